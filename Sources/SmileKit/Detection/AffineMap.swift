/// A 2x3 affine map (row-major, source -> destination) as `Image.warpedAffine` takes it.
public struct AffineMap: Sendable, Equatable {
    /// `[a, b, c, d, e, f]`: x' = a x + b y + c, y' = d x + e y + f.
    public var m: [Double]

    public init(_ m: [Double]) {
        precondition(m.count == 6, "AffineMap needs 6 numbers, got \(m.count)")
        self.m = m
    }

    /// Where `point` goes.
    public func apply(_ point: (x: Double, y: Double)) -> (x: Double, y: Double) {
        (m[0] * point.x + m[1] * point.y + m[2], m[3] * point.x + m[4] * point.y + m[5])
    }

    /// The inverse map (destination -> source); the map must not be singular.
    public var inverted: AffineMap {
        let det = m[0] * m[4] - m[1] * m[3]
        precondition(det != 0, "AffineMap: singular matrix \(m)")
        let a = m[4] / det, b = -m[1] / det, d = -m[3] / det, e = m[0] / det
        return AffineMap([a, b, -(a * m[2] + b * m[5]), d, e, -(d * m[2] + e * m[5])])
    }
}
