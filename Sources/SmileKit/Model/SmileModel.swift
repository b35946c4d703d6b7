import Foundation
import SmileNN
import SmileVision

/// A smile classifier: a network plus the metadata that says how to feed it.
///
/// Not thread-safe: the network reuses its buffers across calls. One call may still use several
/// threads (`setComputeThreads`).
public final class SmileModel {
    /// How the model expects its input and how it was made.
    public let metadata: ModelMetadata
    /// The network; output `[N, 2]`, index 1 is "smile".
    public let network: Sequential
    /// Where the model was loaded from, or a description.
    public let source: String
    /// Threads one batch of faces is split over (see `setComputeThreads`).
    public private(set) var computeThreads = 1
    /// In what precision the classifier's convolutions multiply (see `setPrecision`).
    public private(set) var precision: ConvolutionPrecision = .float32
    /// Whether each face is also classified mirrored and the two probabilities averaged (twice the
    /// classifier's time; see `smile eval --mirror` for what it changes).
    public var mirrorAveraging = false
    /// Copies of `network` for the compute threads after the first, sharing its weights.
    private var networkCopies: [Sequential] = []
    /// Faces each compute thread gets at least: a part smaller than this is not worth a thread.
    public static let minimumFacesPerThread = 4
    /// Faces per pass through the network. A pass of a few faces keeps each layer's activations in
    /// the core's cache: on an AMD EPYC with 1 MB of L2 a core the shipped model
    /// took 0.49 ms a face in float32 in passes of 4 against 0.53-0.54 in passes of 32 or 88, and
    /// 0.51-0.54 in passes of 1 or 2 (`smile-bench nn --model ... --batches 1,2,4,8,16,32,88`); in
    /// bfloat16 0.26 in passes of 4, 0.27 of 1, 0.30 of 32.
    public static let facesPerPass = 4

    /// Wraps a built network with its metadata.
    public init(network: Sequential, metadata: ModelMetadata, source: String) {
        self.network = network
        self.metadata = metadata
        self.source = source
    }

    /// Builds the network that `metadata` describes, with freshly initialised weights (VGG-19's
    /// left zero without `randomWeights`, for weights loaded next).
    public static func makeNetwork(for metadata: ModelMetadata, seed: UInt64, randomWeights: Bool = true) -> Sequential {
        let net = metadata.network
        let network: Sequential
        switch metadata.architecture {
        case "benchmark-cnn":
            network = BenchmarkCNN.make(inputChannels: net.inputChannels, inputHeight: net.inputHeight, inputWidth: net.inputWidth, seed: seed)
        default:
            network = VGG19.make(net, seed: seed, randomWeights: randomWeights)
        }
        if let maxima = metadata.int8InputMaxima { network.setInt8InputMaxima(maxima) }
        return network
    }

    /// Loads a model file, checking its metadata and every tensor's name and shape.
    public static func load(contentsOf url: URL) throws -> SmileModel {
        let file = try SafeTensors.read(contentsOf: url)
        let metadata = try ModelMetadata(stringPairs: file.metadata, source: url.path)
        let network = makeNetwork(for: metadata, seed: 0, randomWeights: false)
        let expected = network.namedTensors().map { (name: $0.name, shape: $0.tensor.shape) }
        try validateShapes(file.tensors, expected: expected, source: url.path)
        try network.load(file.tensors)
        return SmileModel(network: network, metadata: metadata, source: url.path)
    }

    /// Saves the weights and metadata as safetensors (atomically).
    public func save(to url: URL) throws {
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in network.namedTensors() { tensors[name] = tensor }
        try SafeTensors(tensors: tensors, metadata: metadata.stringPairs()).write(to: url)
    }

    /// Converts face crops (already framed and resized to the input size) to a normalised NCHW batch.
    public func inputBatch(_ crops: [Image]) -> Tensor {
        let (channels, height, width) = metadata.inputShape
        let plane = height * width
        var data = [Float](repeating: 0, count: crops.count * channels * plane)
        for (n, crop) in crops.enumerated() {
            let image = channels == 1 ? crop.grayscale() : crop.bgr()
            precondition(image.width == width && image.height == height, "crop \(image.width)x\(image.height), model wants \(width)x\(height)")
            for c in 0..<channels {
                let mean = metadata.normalisationMean[c], scale = 1 / metadata.normalisationStd[c]
                let base = (n * channels + c) * plane
                for i in 0..<plane { data[base + i] = (Float(image.pixels[i * channels + c]) - mean) * scale }
            }
        }
        return Tensor(shape: [crops.count, channels, height, width], data: data)
    }

    /// Splits each batch of faces over up to `threads` threads, each part through its own copy of
    /// the network (our convolution kernels run on the calling thread: a crowd's faces, classified
    /// one after another, would otherwise leave the other cores idle). Call it once the weights are
    /// final: the copies take them as they are now.
    public func setComputeThreads(_ threads: Int) throws {
        let tensors = Dictionary(network.namedTensors().map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        networkCopies = try (0..<max(threads - 1, 0)).map { _ in
            let copy = Self.makeNetwork(for: metadata, seed: 0, randomWeights: false)
            try copy.load(tensors)
            copy.setConvolutionPrecision(precision)
            return copy
        }
        computeThreads = networkCopies.count + 1
    }

    /// Sets the precision of the classifier's convolutions (float32 unless set; `ConvolutionPrecision.fastest`
    /// is what the command line uses by default).
    public func setPrecision(_ precision: ConvolutionPrecision) {
        self.precision = precision
        network.setConvolutionPrecision(precision)
        networkCopies.forEach { $0.setConvolutionPrecision(precision) }
    }

    /// The parts a batch of `faces` is split into over `threads` threads: as even as can be, each of
    /// at least `minimumFacesPerThread` faces (one part when there are too few).
    public static func parts(faces: Int, threads: Int) -> [Range<Int>] {
        let count = max(1, min(threads, faces / minimumFacesPerThread))
        return (0..<count).map { part in part * faces / count..<(part + 1) * faces / count }
    }

    /// p(smile) for each face crop: each part of `parts(faces:threads:)` on a thread of its own,
    /// in passes of up to `facesPerPass` faces.
    public func smileProbabilities(_ crops: [Image]) -> [Float] {
        guard !crops.isEmpty else { return [] }
        let parts = Self.parts(faces: crops.count, threads: computeThreads)
        guard parts.count > 1 else { return smileProbabilities(crops[...], on: network) }
        var results = [[Float]](repeating: [], count: parts.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: parts.count) { part in
            let probabilities = smileProbabilities(crops[parts[part]], on: part == 0 ? network : networkCopies[part - 1])
            lock.withLock { results[part] = probabilities }
        }
        return results.flatMap { $0 }
    }

    /// p(smile) for each face crop, through `net` in batches of up to `facesPerPass`.
    private func smileProbabilities(_ crops: ArraySlice<Image>, on net: Sequential) -> [Float] {
        var result: [Float] = []
        result.reserveCapacity(crops.count)
        for start in stride(from: crops.startIndex, to: crops.endIndex, by: Self.facesPerPass) {
            let batch = Array(crops[start..<min(start + Self.facesPerPass, crops.endIndex)])
            let probabilities = net.predictProbabilities(inputBatch(batch))
            if mirrorAveraging {
                let mirrored = net.predictProbabilities(inputBatch(batch.map { $0.flippedHorizontally() }))
                result += (0..<batch.count).map { (probabilities.data[$0 * 2 + 1] + mirrored.data[$0 * 2 + 1]) / 2 }
            } else {
                result += (0..<batch.count).map { probabilities.data[$0 * 2 + 1] }
            }
        }
        return result
    }

    /// Frames `box` in `image` as the model was trained and resizes it to the input size.
    public func crop(_ image: Image, around box: Rect) -> Image {
        let (_, height, width) = metadata.inputShape
        return image.croppedResized(to: metadata.framing.cropRect(around: box), width: width, height: height)
    }
}
