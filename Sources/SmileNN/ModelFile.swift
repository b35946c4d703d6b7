// Helpers for model files: a safetensors file plus a check that its tensors are exactly the ones
// a network expects. What goes into the metadata is the pipeline's business (SmileKit).

/// Why a set of tensors does not match what a network expects.
public struct ModelFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable {
        /// An expected tensor is absent.
        case missingTensor
        /// A tensor is present that nothing expects.
        case unexpectedTensor
        /// A tensor has a different shape from the expected one.
        case shapeMismatch
        /// The expectation list itself names a tensor twice.
        case duplicateExpectation
    }

    public var kind: Kind
    /// The model file (or other origin) checked.
    public var source: String
    /// The tensor concerned.
    public var tensor: String
    /// The expected shape, where there is one.
    public var expected: [Int]?
    /// The shape found, where there is one.
    public var found: [Int]?

    public init(_ kind: Kind, source: String, tensor: String, expected: [Int]? = nil, found: [Int]? = nil) {
        self.kind = kind
        self.source = source
        self.tensor = tensor
        self.expected = expected
        self.found = found
    }

    public var description: String {
        switch kind {
        case .missingTensor:
            return "\(source): missing tensor '\(tensor)' (expected shape \(expected ?? []))"
        case .unexpectedTensor:
            return "\(source): unexpected tensor '\(tensor)' (shape \(found ?? [])) that the model does not use"
        case .shapeMismatch:
            return "\(source): tensor '\(tensor)' has shape \(found ?? []) but the model expects \(expected ?? [])"
        case .duplicateExpectation:
            return "\(source): tensor '\(tensor)' is expected twice"
        }
    }
}

/// Checks that `tensors` holds exactly the `expected` names with exactly the expected shapes.
///
/// Reports the first problem in a stable order: missing and mismatched tensors in the order of
/// `expected`, then unexpected extras sorted by name.
public func validateShapes(_ tensors: [String: Tensor], expected: [(name: String, shape: [Int])], source: String) throws {
    var expectedNames = Set<String>()
    for (name, shape) in expected {
        guard expectedNames.insert(name).inserted else {
            throw ModelFileError(.duplicateExpectation, source: source, tensor: name, expected: shape)
        }
        guard let tensor = tensors[name] else {
            throw ModelFileError(.missingTensor, source: source, tensor: name, expected: shape)
        }
        guard tensor.shape == shape else {
            throw ModelFileError(.shapeMismatch, source: source, tensor: name, expected: shape, found: tensor.shape)
        }
    }
    let extras = tensors.keys.filter { !expectedNames.contains($0) }.sorted()
    if let extra = extras.first {
        throw ModelFileError(.unexpectedTensor, source: source, tensor: extra, found: tensors[extra]!.shape)
    }
}
