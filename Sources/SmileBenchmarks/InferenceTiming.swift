import Foundation
import SmileNN

/// Median and minimum of repeated timings, in milliseconds.
public struct TimingSummary: Sendable {
    /// Every timed run, in order.
    public var samples: [Double]
    /// The median (mean of the middle two for an even count).
    public var median: Double {
        let s = samples.sorted(), n = s.count
        guard n > 0 else { return .nan }
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }
    /// The fastest run.
    public var min: Double { samples.min() ?? .nan }

    public init(samples: [Double]) { self.samples = samples }
}

/// One layer of an inference plan with its timing.
public struct LayerTiming: Sendable {
    public var name: String
    /// Output shape for the timed input.
    public var outputShape: [Int]
    /// "direct", "direct-bf16" (the direct convolution in bfloat16), "direct-int8" (in int8), "wino2x2", "wino4x4", "im2col", "packed" (im2col on the packed-weight kernel), or "" for layers that are not convolutions.
    public var path: String
    /// Multiply-adds times two of the layer as a direct convolution / matrix product (0 for cheap layers).
    public var flops: Double
    public var timing: TimingSummary
}

/// Timing of `Sequential` inference passes (`predictLogits`: folded batch-norm, fused ReLU, no dropout).
public enum InferenceTiming {
    /// What the timings measure.
    public enum Clock: String, Sendable, CaseIterable {
        /// Elapsed (monotonic) time.
        case wall
        /// CPU time of the whole process (all threads): on a busy machine it leaves out time spent waiting
        /// for a core, though not the slowdown from shared caches and memory bandwidth.
        case cpu

        /// The current reading in milliseconds.
        @inline(__always)
        public func nowMilliseconds() -> Double {
            var t = timespec()
            clock_gettime(self == .wall ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &t)
            return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) * 1e-6
        }
    }


    /// Times `repeats` forward passes of `input` after `warmup` untimed ones.
    public static func time(_ net: Sequential, input: Tensor, warmup: Int, repeats: Int, clock: Clock = .wall) -> TimingSummary {
        for _ in 0..<warmup { _ = net.predictLogits(input) }
        var samples: [Double] = []
        samples.reserveCapacity(repeats)
        for _ in 0..<repeats {
            let start = clock.nowMilliseconds()
            _ = net.predictLogits(input)
            samples.append(clock.nowMilliseconds() - start)
        }
        return TimingSummary(samples: samples)
    }

    /// Times `repeats` passes of `input` split by batch into `parts` after `warmup` untimed ones, each
    /// part through its own network of `nets` (copies with the same weights) on a thread of its own,
    /// as the tool splits a photo's faces over `--threads`. With one part, `time(_:input:warmup:repeats:)`.
    public static func time(_ nets: [Sequential], input: Tensor, parts: [Range<Int>], warmup: Int, repeats: Int,
                            clock: Clock = .wall) -> TimingSummary {
        guard parts.count > 1 else { return time(nets[0], input: input, warmup: warmup, repeats: repeats, clock: clock) }
        precondition(nets.count >= parts.count, "a network for each part")
        let imageShape = Array(input.shape.dropFirst())
        let perImage = imageShape.reduce(1, *)
        let inputs = parts.map { part in
            Tensor(shape: [part.count] + imageShape, data: Array(input.data[part.lowerBound * perImage..<part.upperBound * perImage]))
        }
        func pass() {
            DispatchQueue.concurrentPerform(iterations: parts.count) { i in _ = nets[i].predictLogits(inputs[i]) }
        }
        for _ in 0..<warmup { pass() }
        var samples: [Double] = []
        samples.reserveCapacity(repeats)
        for _ in 0..<repeats {
            let start = clock.nowMilliseconds()
            pass()
            samples.append(clock.nowMilliseconds() - start)
        }
        return TimingSummary(samples: samples)
    }

    /// Times each layer of the inference plan separately (same warm-up and repeats as `time`).
    public static func timeLayers(_ net: Sequential, input: Tensor, warmup: Int, repeats: Int, clock: Clock = .wall) -> [LayerTiming] {
        let layers = net.inferenceLayers
        var samples = [[Double]](repeating: [], count: layers.count)
        var shapes = [[Int]](repeating: [], count: layers.count)
        var inputs = [[Int]](repeating: [], count: layers.count)
        for run in 0..<(warmup + repeats) {
            var h = input
            for (i, layer) in layers.enumerated() {
                inputs[i] = h.shape
                let start = clock.nowMilliseconds()
                h = layer.forward(h, training: false)
                let elapsed = clock.nowMilliseconds() - start
                shapes[i] = h.shape
                if run >= warmup { samples[i].append(elapsed) }
            }
        }
        return layers.indices.map { i in
            let layer = layers[i]
            var path = "", flops = 0.0
            if let conv = layer as? Conv2D {
                let x = inputs[i], y = shapes[i]
                if conv.usesInt8(height: x[2], width: x[3]) {
                    path = "direct-int8"
                } else if conv.usesDirect(batch: x[0], height: x[2], width: x[3]) {
                    path = conv.usesBFloat16(height: x[2], width: x[3]) ? "direct-bf16" : "direct"
                } else {
                    switch conv.winogradTile(batch: x[0], height: x[2], width: x[3]) {
                    case .f2x2?: path = "wino2x2"
                    case .f4x4?: path = "wino4x4"
                    case nil: path = conv.usesPackedGemm(batch: x[0], height: x[2], width: x[3]) ? "packed" : "im2col"
                    }
                }
                flops = 2 * Double(y.reduce(1, *)) * Double(conv.inputChannels * conv.kernelSize * conv.kernelSize)
            } else if let dense = layer as? Dense {
                flops = 2 * Double(shapes[i][0]) * Double(dense.inputs * dense.outputs)
            }
            return LayerTiming(name: layer.name, outputShape: shapes[i], path: path, flops: flops, timing: TimingSummary(samples: samples[i]))
        }
    }

    /// Direct-method FLOPs (2 x multiply-adds) of the convolutions and dense layers for `input`'s shape.
    public static func flops(_ net: Sequential, input: Tensor) -> Double {
        var total = 0.0
        var h = input.shape
        for layer in net.layers {
            if let conv = layer as? Conv2D {
                let (oh, ow) = conv.outputSize(height: h[2], width: h[3])
                h = [h[0], conv.outputChannels, oh, ow]
                total += 2 * Double(h.reduce(1, *)) * Double(conv.inputChannels * conv.kernelSize * conv.kernelSize)
            } else if layer is MaxPool2D {
                h = [h[0], h[1], h[2] / 2, h[3] / 2]
            } else if let dense = layer as? Dense {
                total += 2 * Double(h[0]) * Double(dense.inputs * dense.outputs)
                h = [h[0], dense.outputs]
            } else if layer is GlobalAveragePool {
                h = [h[0], h[1]]
            } else if layer is Flatten {
                h = [h[0], h.dropFirst().reduce(1, *)]
            }
        }
        return total
    }
}
