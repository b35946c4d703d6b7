// No machine-learning library exists for Swift on this platform, so the layers, losses and
// optimisers of SmileNN are written by hand; the heavy lifting (matrix products) is OpenBLAS.

/// A learnable tensor with its accumulated gradient.
///
/// `name` is the full saved name, e.g. `"block1_conv1.weight"`. Every assignment to `value`
/// (including in-place mutation) bumps `version`, which lets cached inference weights notice changes.
public final class Parameter {
    /// The saved name, `"<layer>.<role>"`.
    public let name: String
    /// The current value.
    public var value: Tensor { didSet { version &+= 1 } }
    /// The gradient accumulated by `backward` since the last `zeroGradients`; same shape as `value`.
    public var gradient: Tensor
    /// Optimisers skip parameters whose flag is false (frozen layers).
    public var isTrainable: Bool = true
    /// Incremented on every change of `value`.
    public private(set) var version: Int = 0

    /// Creates a parameter with a zero gradient of the same shape.
    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        self.gradient = Tensor(shape: value.shape)
    }
}

/// A network layer with a cached forward pass and a backward pass.
///
/// Layers own and reuse their output and gradient buffers: the tensor returned by `forward` or
/// `backward` stays valid until the next call of the same method, and is overwritten in place then
/// when nobody else still holds it (otherwise Swift's copy-on-write makes a fresh copy).
public protocol Layer: AnyObject {
    /// The Keras-style layer name, used as the prefix of saved tensor names.
    var name: String { get }
    /// Forward pass; `training` enables dropout and batch statistics. Caches what backward needs.
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// Backward pass for the last `forward(training: true)`: accumulates (+=) parameter gradients,
    /// returns the input gradient (same shape as that forward's input).
    func backward(_ outputGradient: Tensor) -> Tensor
    /// The learnable tensors (trainable or frozen).
    var parameters: [Parameter] { get }
    /// Non-trainable state saved with the model (batch-norm `running_mean` / `running_var`), keyed by
    /// the name without the layer prefix. Setting replaces the entries given (shapes must match).
    var buffers: [String: Tensor] { get set }
    /// Drops whatever the last training forward cached (called when a backward will not come).
    func releaseCaches()
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var buffers: [String: Tensor] {
        get { [:] }
        set {}
    }
    public func releaseCaches() {}
}
