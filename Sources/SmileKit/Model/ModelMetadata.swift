import Foundation
import SmileNN

/// Everything needed to use a model file correctly, stored in its safetensors `__metadata__`.
///
/// Each field is one metadata key holding a string (safetensors metadata is string to string);
/// structured fields (the network configuration, the provenance) are JSON strings.
public struct ModelMetadata: Codable, Equatable, Sendable {
    /// Marks a file as a smile model; always "smile-model".
    public var format = "smile-model"
    /// Version of this metadata layout.
    public var formatVersion = 1
    /// Network family: "vgg19" or "benchmark-cnn".
    public var architecture: String
    /// The VGG-19 configuration (also used for the benchmark CNN's input size and channels).
    public var network: VGG19Configuration
    /// Per-channel mean subtracted from pixel values (0...255) before dividing by `normalisationStd`.
    public var normalisationMean: [Float]
    /// Per-channel divisor applied after subtracting the mean.
    public var normalisationStd: [Float]
    /// How the face crop is framed around a detector box (must match training).
    public var framing: CropFraming
    /// Class names by output index; index 1 is "smile".
    public var classes: [String]
    /// p(smile) at or above which a face is called smiling.
    public var threshold: Float
    /// How the model was trained and how well it did.
    public var provenance: [String: String]
    /// The int8 path's calibration: each convolution's largest input per input channel (clipped,
    /// see `Int8Calibration`) by layer name; nil until `smile model calibrate` measured it. Layers
    /// absent run in float.
    public var int8InputMaxima: [String: [Float]]?

    public init(architecture: String, network: VGG19Configuration, normalisationMean: [Float], normalisationStd: [Float],
                framing: CropFraming, classes: [String] = ["no_smile", "smile"], threshold: Float = 0.5,
                provenance: [String: String] = [:]) {
        self.architecture = architecture
        self.network = network
        self.normalisationMean = normalisationMean
        self.normalisationStd = normalisationStd
        self.framing = framing
        self.classes = classes
        self.threshold = threshold
        self.provenance = provenance
    }

    /// The input size as (channels, height, width).
    public var inputShape: (channels: Int, height: Int, width: Int) {
        (network.inputChannels, network.inputHeight, network.inputWidth)
    }
}

extension ModelMetadata {
    /// Error for metadata that is missing or does not describe a usable model.
    public struct Invalid: Error, CustomStringConvertible {
        public let source: String
        public let reason: String
        public var description: String { "\(source): not a usable smile model: \(reason)" }
    }

    private static let keys = ["format", "format_version", "architecture", "network", "normalisation_mean",
                               "normalisation_std", "framing", "classes", "threshold", "provenance"]

    /// Encodes the metadata as safetensors string pairs.
    public func stringPairs() -> [String: String] {
        func json<T: Encodable>(_ value: T) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
        }
        return [
            "format": format, "format_version": String(formatVersion), "architecture": architecture,
            "network": json(network), "normalisation_mean": json(normalisationMean),
            "normalisation_std": json(normalisationStd), "framing": json(framing), "classes": json(classes),
            "threshold": String(threshold), "provenance": json(provenance),
        ].merging(int8InputMaxima.map { ["int8_input_maxima": json($0)] } ?? [:]) { first, _ in first }
    }

    /// Decodes and checks metadata read from a model file named `source`.
    public init(stringPairs pairs: [String: String], source: String) throws {
        func field(_ key: String) throws -> String {
            guard let value = pairs[key] else { throw Invalid(source: source, reason: "metadata key '\(key)' is missing") }
            return value
        }
        func json<T: Decodable>(_ key: String, as type: T.Type) throws -> T {
            do { return try JSONDecoder().decode(T.self, from: Data(try field(key).utf8)) } catch let error as Invalid {
                throw error
            } catch {
                throw Invalid(source: source, reason: "metadata key '\(key)' is not valid: \(error)")
            }
        }
        guard try field("format") == "smile-model" else {
            throw Invalid(source: source, reason: "metadata 'format' is '\(pairs["format"] ?? "")', expected 'smile-model'")
        }
        guard let version = Int(try field("format_version")), version == 1 else {
            throw Invalid(source: source, reason: "unsupported format_version '\(pairs["format_version"] ?? "")'")
        }
        guard let threshold = Float(try field("threshold")), threshold > 0, threshold < 1 else {
            throw Invalid(source: source, reason: "threshold '\(pairs["threshold"] ?? "")' is not a number in (0, 1)")
        }
        self.init(architecture: try field("architecture"), network: try json("network", as: VGG19Configuration.self),
                  normalisationMean: try json("normalisation_mean", as: [Float].self),
                  normalisationStd: try json("normalisation_std", as: [Float].self),
                  framing: try json("framing", as: CropFraming.self), classes: try json("classes", as: [String].self),
                  threshold: threshold, provenance: try json("provenance", as: [String: String].self))
        if pairs["int8_input_maxima"] != nil {
            let maxima = try json("int8_input_maxima", as: [String: [Float]].self)
            guard maxima.values.allSatisfy({ $0.allSatisfy { $0 >= 0 && $0.isFinite } }) else {
                throw Invalid(source: source, reason: "int8 input maxima must be finite and not negative")
            }
            int8InputMaxima = maxima
        }
        try validate(source: source)
    }

    /// Checks the fields agree with each other.
    public func validate(source: String) throws {
        let channels = network.inputChannels
        guard ["vgg19", "benchmark-cnn"].contains(architecture) else {
            throw Invalid(source: source, reason: "unknown architecture '\(architecture)'")
        }
        guard channels == 1 || channels == 3 else { throw Invalid(source: source, reason: "input channels \(channels), expected 1 or 3") }
        guard (16...1024).contains(network.inputHeight), (16...1024).contains(network.inputWidth) else {
            throw Invalid(source: source, reason: "input size \(network.inputWidth)x\(network.inputHeight) out of range 16...1024")
        }
        guard normalisationMean.count == channels, normalisationStd.count == channels,
              normalisationStd.allSatisfy({ $0 > 0 && $0.isFinite }), normalisationMean.allSatisfy(\.isFinite) else {
            throw Invalid(source: source, reason: "normalisation needs \(channels) finite means and positive stds")
        }
        guard classes.count == network.classes, classes.count == 2 else {
            throw Invalid(source: source, reason: "expected 2 classes, found \(classes)")
        }
        guard framing.margin >= 0, framing.margin <= 2, abs(framing.verticalShift) <= 1 else {
            throw Invalid(source: source, reason: "crop framing out of range: \(framing)")
        }
    }
}
