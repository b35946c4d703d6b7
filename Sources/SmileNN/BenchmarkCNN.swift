/// The 2019 study's small benchmark CNN.
///
/// `[N, C, H, W]` -> conv 16 -> ReLU -> pool -> conv 32 -> ReLU -> pool -> dropout 0.25 -> conv 64 -> ReLU ->
/// pool -> conv 128 -> ReLU -> pool -> dropout 0.25 -> global average pool -> dense 2 (logits).
/// Convs are 3x3 same; inputs need at least 16x16. Names `conv1`...`conv4`, `relu1`..., `pool1`...,
/// `dropout1`, `dropout2`, `global_pool`, `predictions`.
public enum BenchmarkCNN {
    public static func make(inputChannels: Int, inputHeight: Int, inputWidth: Int, seed: UInt64) -> Sequential {
        precondition(inputHeight >= 16 && inputWidth >= 16, "BenchmarkCNN needs inputs of at least 16x16")
        var rng = SeededRandom(seed: seed)
        var layers: [Layer] = []
        var channels = inputChannels
        let dropoutSeed = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        for (i, width) in [16, 32, 64, 128].enumerated() {
            layers.append(Conv2D(name: "conv\(i + 1)", inputChannels: channels, outputChannels: width, rng: &rng))
            layers.append(ReLU(name: "relu\(i + 1)"))
            layers.append(MaxPool2D(name: "pool\(i + 1)"))
            if i == 1 || i == 3 {
                layers.append(Dropout(name: "dropout\(i / 2 + 1)", rate: 0.25, seed: dropoutSeed &+ UInt64(i)))
            }
            channels = width
        }
        layers.append(GlobalAveragePool(name: "global_pool"))
        layers.append(Dense(name: "predictions", inputs: channels, outputs: 2, rng: &rng))
        return Sequential(layers)
    }
}
