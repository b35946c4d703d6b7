/// Natural ("human") ordering of file names: `frame2` < `frame10`.
///
/// Names are split into runs of ASCII digits and runs of other characters.
/// Digit runs compare by numeric value (any length, no overflow); other runs
/// compare case-insensitively. Names equal under those rules are ordered by a
/// plain case-sensitive comparison, so the order is total and deterministic
/// (`a.jpg` and `A.jpg` never compare equal; `frame01` and `frame1` neither).
public enum NaturalSort {
    /// Returns true when `lhs` sorts before `rhs` in natural order.
    public static func areInIncreasingOrder(_ lhs: String, _ rhs: String) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Three-way natural comparison: negative, zero or positive.
    public static func compare(_ lhs: String, _ rhs: String) -> Int {
        let a = chunks(lhs), b = chunks(rhs)
        for (x, y) in zip(a, b) {
            let c: Int
            if x.isDigits && y.isDigits {
                c = compareNumeric(x.text, y.text)
            } else {
                c = compareStrings(x.text.lowercased(), y.text.lowercased())
            }
            if c != 0 { return c }
        }
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        return compareStrings(lhs, rhs)
    }

    private struct Chunk {
        var isDigits: Bool
        var text: Substring
    }

    private static func isDigit(_ c: Character) -> Bool {
        c.isASCII && c.isNumber
    }

    private static func chunks(_ s: String) -> [Chunk] {
        var out: [Chunk] = []
        var start = s.startIndex
        var i = s.startIndex
        while i < s.endIndex {
            let digit = isDigit(s[i])
            var j = s.index(after: i)
            while j < s.endIndex && isDigit(s[j]) == digit { j = s.index(after: j) }
            out.append(Chunk(isDigits: digit, text: s[start..<j]))
            start = j
            i = j
        }
        return out
    }

    /// Compares digit strings by value without converting to a fixed-width integer.
    private static func compareNumeric(_ a: Substring, _ b: Substring) -> Int {
        let x = a.drop(while: { $0 == "0" }), y = b.drop(while: { $0 == "0" })
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        return compareStrings(String(x), String(y))
    }

    private static func compareStrings<S: StringProtocol>(_ a: S, _ b: S) -> Int {
        a == b ? 0 : (a < b ? -1 : 1)
    }
}

extension Sequence where Element == String {
    /// The elements sorted in natural order (see ``NaturalSort``).
    public func naturallySorted() -> [String] {
        sorted(by: NaturalSort.areInIncreasingOrder)
    }
}
