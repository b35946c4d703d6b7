/// Natural ("human") ordering of file names: `frame2` < `frame10`.
///
/// Names are compared character by character, case-insensitively, except
/// that where both have a run of ASCII digits the runs compare by numeric
/// value (any length, no overflow). Names equal under those rules are ordered by a
/// plain case-sensitive comparison, so the order is total and deterministic
/// (`a.jpg` and `A.jpg` never compare equal; `frame01` and `frame1` neither).
public enum NaturalSort {
    /// Returns true when `lhs` sorts before `rhs` in natural order.
    public static func areInIncreasingOrder(_ lhs: String, _ rhs: String) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Three-way natural comparison: negative, zero or positive.
    public static func compare(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if isDigit(a[i]) && isDigit(b[j]) {
                let si = i, sj = j
                while i < a.count && isDigit(a[i]) { i += 1 }
                while j < b.count && isDigit(b[j]) { j += 1 }
                let c = compareNumeric(a[si..<i], b[sj..<j])
                if c != 0 { return c }
            } else {
                let x = a[i].lowercased(), y = b[j].lowercased()
                if x != y { return compareStrings(x, y) }
                i += 1
                j += 1
            }
        }
        let restA = a.count - i, restB = b.count - j
        if restA != restB { return restA < restB ? -1 : 1 }
        return compareStrings(lhs, rhs)
    }

    private static func isDigit(_ c: Character) -> Bool {
        c.isASCII && c.isNumber
    }

    /// Compares digit runs by value without converting to a fixed-width integer.
    private static func compareNumeric(_ a: ArraySlice<Character>, _ b: ArraySlice<Character>) -> Int {
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
