/// A deterministic train / validation / test split by group, stable across runs and machines.
///
/// Each group's side is decided by a hash of its name (FNV-1a), never by file order or a random
/// generator, so adding files to a set does not move the others.
public struct DataSplit: Sendable, Equatable, Codable {
    /// Fraction of groups for validation.
    public var validation: Double
    /// Fraction of groups held out for testing (never seen by training or model selection).
    public var test: Double

    public init(validation: Double, test: Double) {
        precondition(validation >= 0 && test >= 0 && validation + test <= 1, "split fractions out of range")
        self.validation = validation
        self.test = test
    }

    /// Which side of a split a face is on.
    public enum Side: String, Sendable, CaseIterable { case train, validation, test }

    /// The side for `group`.
    public func side(of group: String) -> Side {
        let position = Double(stableHash(group) % 1_000_000) / 1_000_000
        if position < test { return .test }
        if position < test + validation { return .validation }
        return .train
    }

    /// The faces on `side`.
    public func select(_ faces: [LabelledFace], _ side: Side) -> [LabelledFace] {
        faces.filter { self.side(of: $0.group) == side }
    }
}
