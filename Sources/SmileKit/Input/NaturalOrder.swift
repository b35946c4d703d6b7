/// Compares names the way people count: digit runs by value, so `frame2` comes before `frame10`.
///
/// Letters compare case-insensitively; exact ties fall back to plain string order.
public func naturalOrder(_ a: String, _ b: String) -> Bool {
    let left = Array(a.lowercased().unicodeScalars), right = Array(b.lowercased().unicodeScalars)
    var i = 0, j = 0
    while i < left.count, j < right.count {
        let l = left[i], r = right[j]
        if l.properties.numericType != nil, r.properties.numericType != nil, l.isASCII, r.isASCII {
            let startI = i, startJ = j
            while i < left.count, left[i].isASCII, ("0"..."9").contains(left[i]) { i += 1 }
            while j < right.count, right[j].isASCII, ("0"..."9").contains(right[j]) { j += 1 }
            let numberL = String(String.UnicodeScalarView(left[startI..<i])).drop { $0 == "0" }
            let numberR = String(String.UnicodeScalarView(right[startJ..<j])).drop { $0 == "0" }
            if numberL.count != numberR.count { return numberL.count < numberR.count }
            if numberL != numberR { return numberL < numberR }
        } else {
            if l != r { return l.value < r.value }
            i += 1
            j += 1
        }
    }
    if left.count - i != right.count - j { return left.count - i < right.count - j }
    return a < b
}
