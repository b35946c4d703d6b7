/// Configuration of a VGG-19 classifier (convolutional base plus a small head).
public struct VGG19Configuration: Codable, Sendable, Equatable {
    /// The classifier on top of the convolutional base.
    public enum Head: Codable, Sendable, Equatable {
        /// Global average pool -> dropout -> dense(classes).
        case globalAveragePool(dropout: Double)
        /// Flatten -> [dense(h) -> ReLU -> dropout] for each h -> dense(classes). The study's top: `[256]`, 0.5.
        case dense(hidden: [Int], dropout: Double)
    }

    /// Scales every block's channel count (rounded, at least 1).
    public var widthMultiplier: Double = 1
    /// Input height (at least 32).
    public var inputHeight = 64
    /// Input width (at least 32).
    public var inputWidth = 64
    /// 1 (grey) or 3 (colour).
    public var inputChannels = 3
    /// Inserts BatchNorm2D between each convolution and its ReLU.
    public var batchNorm = false
    public var head: Head
    public var classes = 2

    public init(
        widthMultiplier: Double = 1, inputHeight: Int = 64, inputWidth: Int = 64, inputChannels: Int = 3,
        batchNorm: Bool = false, head: Head = .dense(hidden: [256], dropout: 0.5), classes: Int = 2
    ) {
        self.widthMultiplier = widthMultiplier
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.inputChannels = inputChannels
        self.batchNorm = batchNorm
        self.head = head
        self.classes = classes
    }
}

/// VGG-19 (Simonyan & Zisserman 2014) with Keras layer names.
///
/// Five blocks of (2, 2, 4, 4, 4) 3x3 same convolutions with 64, 128, 256, 512, 512 channels (times the
/// width multiplier), each conv followed by [BatchNorm2D] and ReLU, each block by a 2x2 max-pool.
/// Names: `block{b}_conv{i}`, `block{b}_bn{i}`, `block{b}_relu{i}`, `block{b}_pool`, then the head
/// (`flatten`, `fc1`, `fc1_relu`, `fc1_dropout`, ..., or `global_pool`, `dropout`) and `predictions` (logits).
public enum VGG19 {
    static let convolutionsPerBlock = [2, 2, 4, 4, 4]
    static let baseChannels = [64, 128, 256, 512, 512]

    /// Channel count of each block for `config`.
    public static func blockChannels(_ config: VGG19Configuration) -> [Int] {
        baseChannels.map { max(1, Int((Double($0) * config.widthMultiplier).rounded())) }
    }

    /// Builds the network; weights from `seed` (He-normal convs, Glorot dense), dropout seeds derived from it.
    ///
    /// `randomWeights: false` leaves the weights zero, for a network whose weights are loaded next:
    /// drawing them costs a sine, a cosine and a logarithm per weight (about 30 ms at width 0.25).
    public static func make(_ config: VGG19Configuration, seed: UInt64, randomWeights: Bool = true) -> Sequential {
        precondition(config.inputChannels >= 1 && config.classes >= 2 && config.widthMultiplier > 0)
        precondition(config.inputHeight >= 32 && config.inputWidth >= 32, "VGG-19 needs inputs of at least 32x32")
        var rng = SeededRandom(seed: seed)
        var layers: [Layer] = []
        var channels = config.inputChannels
        var h = config.inputHeight, w = config.inputWidth
        for (b, (count, width)) in zip(convolutionsPerBlock, blockChannels(config)).enumerated() {
            for i in 1...count {
                let name = "block\(b + 1)_conv\(i)"
                layers.append(randomWeights
                    ? Conv2D(name: name, inputChannels: channels, outputChannels: width, rng: &rng)
                    : Conv2D(name: name, weight: Tensor(shape: [width, channels, 3, 3]), bias: Tensor(shape: [width]), padding: 1))
                if config.batchNorm { layers.append(BatchNorm2D(name: "block\(b + 1)_bn\(i)", channels: width)) }
                layers.append(ReLU(name: "block\(b + 1)_relu\(i)"))
                channels = width
            }
            layers.append(MaxPool2D(name: "block\(b + 1)_pool"))
            h /= 2
            w /= 2
        }
        var dropoutSeed = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        switch config.head {
        case let .globalAveragePool(dropout):
            layers.append(GlobalAveragePool(name: "global_pool"))
            layers.append(Dropout(name: "dropout", rate: Float(dropout), seed: dropoutSeed))
            layers.append(dense("predictions", channels, config.classes, randomWeights, &rng))
        case let .dense(hidden, dropout):
            layers.append(Flatten(name: "flatten"))
            var features = channels * h * w
            for (i, units) in hidden.enumerated() {
                layers.append(dense("fc\(i + 1)", features, units, randomWeights, &rng))
                layers.append(ReLU(name: "fc\(i + 1)_relu"))
                layers.append(Dropout(name: "fc\(i + 1)_dropout", rate: Float(dropout), seed: dropoutSeed))
                dropoutSeed &+= 1
                features = units
            }
            layers.append(dense("predictions", features, config.classes, randomWeights, &rng))
        }
        return Sequential(layers)
    }

    /// A dense layer with Glorot-uniform weights from `rng`, or zero weights.
    private static func dense(_ name: String, _ inputs: Int, _ outputs: Int, _ random: Bool, _ rng: inout SeededRandom) -> Dense {
        random ? Dense(name: name, inputs: inputs, outputs: outputs, rng: &rng)
            : Dense(name: name, weight: Tensor(shape: [outputs, inputs]), bias: Tensor(shape: [outputs]))
    }

    /// Number of convolution parameters (weights + biases of the 16 convs).
    /// Full width, 3 channels: exactly 20,024,384 (Keras VGG19 `include_top=False`).
    public static func convolutionParameterCount(_ config: VGG19Configuration) -> Int {
        var total = 0
        var channels = config.inputChannels
        for (count, width) in zip(convolutionsPerBlock, blockChannels(config)) {
            for _ in 0..<count {
                total += width * channels * 9 + width
                channels = width
            }
        }
        return total
    }

    /// Index in `model.layers` where block `block` (1...5) starts (its first convolution); 6 gives the
    /// first head layer. E.g. freeze blocks 1-4 by freezing every parameter below `blockStartIndex(5, in:)`.
    public static func blockStartIndex(_ block: Int, in model: Sequential) -> Int {
        precondition((1...6).contains(block), "block must be 1...6")
        if block == 6 {
            guard let i = model.layers.firstIndex(where: { $0.name == "block5_pool" }) else {
                preconditionFailure("model has no block5_pool")
            }
            return i + 1
        }
        guard let i = model.layers.firstIndex(where: { $0.name == "block\(block)_conv1" }) else {
            preconditionFailure("model has no block\(block)_conv1")
        }
        return i
    }
}
