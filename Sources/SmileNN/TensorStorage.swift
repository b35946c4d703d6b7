/// Buffer-reuse and convenience helpers on `Tensor` used by the layers.
extension Tensor {
    /// Gives the tensor `shape`, keeping the storage when the element count is unchanged
    /// (contents are then unspecified) and reallocating only when it differs.
    @inline(__always)
    mutating func reuse(shape newShape: [Int]) {
        if shape == newShape { return }
        let n = newShape.reduce(1, *)
        if n == data.count { shape = newShape } else { self = Tensor(shape: newShape) }
    }

    /// The same elements viewed with another shape of equal element count (shares storage).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, data: data)
    }

    /// A tensor of `shape` with independent normal samples of standard deviation `std`.
    public init(shape: [Int], normalStd std: Float, rng: inout SeededRandom) {
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = rng.normal() * std }
        self.init(shape: shape, data: values)
    }

    /// A tensor of `shape` with independent samples uniform in `[-limit, limit)`.
    public init(shape: [Int], uniformLimit limit: Float, rng: inout SeededRandom) {
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = (rng.uniform() * 2 - 1) * limit }
        self.init(shape: shape, data: values)
    }

    /// Sets every element to zero in place.
    public mutating func zero() {
        data.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}

/// Grows `array` to at least `count` elements (never shrinks, so buffers are reused).
@inline(__always)
func ensureCapacity<Element: Numeric>(_ array: inout [Element], _ count: Int) {
    if array.count < count { array = [Element](repeating: 0, count: count) }
}
