import SmileNN

/// A human-readable summary of a model file, as `smile model info` prints it.
public enum ModelDescription {
    /// Lines describing the architecture, input, framing, classes and provenance of `model`.
    public static func text(_ model: SmileModel) -> String {
        let m = model.metadata, net = m.network
        let parameterCount = model.network.parameters.reduce(0) { $0 + $1.value.count }
        var lines = [
            "file:          \(model.source)",
            "architecture:  \(m.architecture)\(m.architecture == "vgg19" ? " (width x\(net.widthMultiplier), batch-norm \(net.batchNorm ? "yes" : "no"), head \(net.head))" : "")",
            "parameters:    \(parameterCount)",
            "input:         \(net.inputWidth)x\(net.inputHeight), \(net.inputChannels == 1 ? "1 channel (gray)" : "3 channels (BGR)")",
            "normalisation: (pixel - \(m.normalisationMean)) / \(m.normalisationStd)",
            "crop framing:  \(m.framing)",
            "classes:       \(m.classes.enumerated().map { "\($0)=\($1)" }.joined(separator: ", "))",
            "threshold:     \(m.threshold)",
        ]
        if !m.provenance.isEmpty {
            lines.append("provenance:")
            for key in m.provenance.keys.sorted() { lines.append("  \(key): \(m.provenance[key]!)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
