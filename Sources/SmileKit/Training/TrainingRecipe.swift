import SmileNN

/// The 2019 study's training recipes, as `smile train --recipe` names them.
public enum TrainingRecipe: String, CaseIterable, Codable, Sendable {
    /// The study's small CNN (conv 16-32-64-128, global average pool, dense 2) with RMSprop.
    case benchmark
    /// VGG-19 with batch-norm, any width and input size, trained from scratch with Adam.
    case vgg19
    /// The study's transfer learning: bottleneck features of a base VGG-19, a top MLP trained
    /// on them, then block 5 fine-tuned with SGD at a low learning rate, with augmentation.
    case vgg19Transfer = "vgg19-transfer"

    /// Default settings of the recipe (each can be overridden on the command line).
    public var defaults: (epochs: Int, batchSize: Int, learningRate: Float, optimizer: String) {
        switch self {
        case .benchmark: return (20, 32, 1e-3, "rmsprop")
        case .vgg19: return (12, 32, 2e-3, "adam")
        case .vgg19Transfer: return (10, 32, 1e-4, "sgd")
        }
    }

    /// The network configuration the recipe trains.
    public func network(width: Double, inputSide: Int) -> (architecture: String, config: VGG19Configuration) {
        var config = VGG19Configuration(widthMultiplier: width, inputHeight: inputSide, inputWidth: inputSide, inputChannels: 1,
                                        batchNorm: self == .vgg19, head: .globalAveragePool(dropout: 0.3), classes: 2)
        switch self {
        case .benchmark:
            config.widthMultiplier = 1
            return ("benchmark-cnn", config)
        case .vgg19:
            return ("vgg19", config)
        case .vgg19Transfer:
            config.head = .dense(hidden: [256], dropout: 0.5)
            return ("vgg19", config)
        }
    }

    /// The optimiser called `name` ("sgd", "rmsprop", "adam") at `learningRate`.
    public static func optimizer(_ name: String, learningRate: Float, weightDecay: Float) -> Optimizer? {
        switch name {
        case "sgd": return SGD(learningRate: learningRate, momentum: 0.9, weightDecay: weightDecay)
        case "rmsprop": return RMSprop(learningRate: learningRate, weightDecay: weightDecay)
        case "adam": return Adam(learningRate: learningRate, weightDecay: weightDecay)
        default: return nil
        }
    }
}
