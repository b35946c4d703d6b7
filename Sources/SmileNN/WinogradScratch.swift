import Foundation

/// Work buffers of the Winograd convolutions, one set per thread, shared by every `WinogradConvolution`
/// that runs on that thread.
///
/// The transformed input and products of a chunk are dead once the chunk's output is written, so layers
/// need not own them: sharing keeps the footprint at the largest layer's chunk instead of the sum over
/// layers (F(4x4) chunks of 512-channel layers are tens of MiB), and a buffer touched once is reused by
/// every later layer without new page faults. Buffers only grow.
final class WinogradScratch {
    /// Transformed input tiles of one chunk.
    var v: [Float] = []
    /// GEMM products of one chunk.
    var m: [Float] = []
    /// Rows of the input transform.
    var input: [Float] = []
    /// Rows of the output transform.
    var output: [Float] = []
    /// Packed columns of `v` for `packedGemm` (`WinogradWeights.multiply`).
    var packedWorkspace: [Float] = []
    /// Zeros standing in for padding rows.
    var zeros: [Float] = []

    private static let key = "SmileNN.WinogradScratch"

    /// This thread's buffers.
    static var current: WinogradScratch {
        let dictionary = Thread.current.threadDictionary
        if let scratch = dictionary[key] as? WinogradScratch { return scratch }
        let scratch = WinogradScratch()
        dictionary[key] = scratch
        return scratch
    }
}
