/// A direct 3x3 convolution (stride 1, padding 1) over NCHW planes, for layers with few channels.
///
/// im2col + GEMM and Winograd pay for their transforms with long GEMMs; with 1-16 input channels
/// (the shipped model's first blocks) the GEMMs are short and the copies dominate. This kernel reads
/// the (zero-bordered) input in place: each step multiplies eight neighbouring input pixels by one
/// broadcast weight for four output channels and two output rows, eight AVX accumulators in all, so
/// every FMA needs no more than one load.

/// Floats `directConvolution3x3` needs as padded-input scratch for `channels` planes of `height x width`.
public func directConvolution3x3ScratchCount(channels: Int, height: Int, width: Int) -> Int {
    channels * (height + 3) * paddedWidth(width)
}

/// Floats of packed weights for `outputs` x `inputs` 3x3 kernels (`outputs` a multiple of 4).
public func directConvolution3x3PackedCount(outputs: Int, inputs: Int) -> Int {
    outputs * inputs * 9
}

/// Packs `[outputs, inputs, 3, 3]` weights as `[outputs / 4][inputs][3][3][4]`: the four output
/// channels of a group side by side for each input channel and tap.
public func directConvolution3x3PackWeights(
    _ weight: UnsafePointer<Float>, outputs: Int, inputs: Int, into packed: UnsafeMutablePointer<Float>
) {
    precondition(outputs % 4 == 0, "direct convolution packs output channels in fours")
    for group in 0..<(outputs / 4) {
        for ci in 0..<inputs {
            for tap in 0..<9 {
                for c in 0..<4 {
                    packed[((group * inputs + ci) * 9 + tap) * 4 + c] = weight[((group * 4 + c) * inputs + ci) * 9 + tap]
                }
            }
        }
    }
}

/// Convolves one image `[inputs, height, width]` with packed 3x3 kernels into `[outputs, height, width]`,
/// adding `bias` (if any) and applying `max(0, ·)` when `relu`.
///
/// `width` must be a multiple of 8 and `outputs` of 4; `scratch` holds
/// `directConvolution3x3ScratchCount(channels: inputs, ...)` floats.
public func directConvolution3x3(
    _ input: UnsafePointer<Float>, inputs: Int, height: Int, width: Int,
    packedWeights: UnsafePointer<Float>, outputs: Int, bias: UnsafePointer<Float>?, relu: Bool,
    scratch: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
) {
    precondition(width % 8 == 0 && outputs % 4 == 0, "direct convolution needs width % 8 == 0 and outputs % 4 == 0")
    let pw = paddedWidth(width), planeStride = (height + 3) * pw
    // Zero-bordered copy: padded row r, column j hold input row r - 1, column j - 1. One spare row
    // below lets an odd last row be computed as the first of a pair.
    for ci in 0..<inputs {
        let plane = scratch + ci * planeStride
        plane.update(repeating: 0, count: pw)
        for row in 0..<height {
            let dst = plane + (row + 1) * pw
            dst[0] = 0
            (dst + 1).update(from: input + (ci * height + row) * width, count: width)
            (dst + 1 + width).update(repeating: 0, count: pw - width - 1)
        }
        (plane + (height + 1) * pw).update(repeating: 0, count: 2 * pw)
    }
    let plane = height * width
    for group in 0..<(outputs / 4) {
        let weights = packedWeights + group * inputs * 36
        var biases = SIMD4<Float>()
        if let bias { biases = SIMD4(bias[group * 4], bias[group * 4 + 1], bias[group * 4 + 2], bias[group * 4 + 3]) }
        let out = output + group * 4 * plane
        var row = 0
        while row < height {
            let rows = min(2, height - row)
            var x = 0
            while x < width {
                directTile(
                    scratch + row * pw + x, pw: pw, planeStride: planeStride, inputs: inputs, weights: weights,
                    biases: biases, relu: relu, output: out + row * width + x, rowStride: width, planeOut: plane,
                    rows: rows)
                x += 8
            }
            row += 2
        }
    }
}

/// Row stride of a padded plane: the width, a one-pixel border each side, rounded up to whole vectors.
private func paddedWidth(_ width: Int) -> Int {
    (width + 2 + 7) / 8 * 8
}

/// Eight output pixels of two rows (or one: `rows`) for four output channels.
@inline(__always)
private func directTile(
    _ top: UnsafePointer<Float>, pw: Int, planeStride: Int, inputs: Int, weights: UnsafePointer<Float>,
    biases: SIMD4<Float>, relu: Bool, output: UnsafeMutablePointer<Float>, rowStride: Int, planeOut: Int, rows: Int
) {
    typealias V = SIMD8<Float>
    var a0 = V(repeating: biases[0]), a1 = V(repeating: biases[1])
    var a2 = V(repeating: biases[2]), a3 = V(repeating: biases[3])
    var b0 = a0, b1 = a1, b2 = a2, b3 = a3
    var wp = weights
    var src = UnsafeRawPointer(top)
    let rowBytes = pw * MemoryLayout<Float>.size, planeBytes = planeStride * MemoryLayout<Float>.size
    for _ in 0..<inputs {
        for ky in 0..<3 {
            let upper = src + ky * rowBytes, lower = upper + rowBytes
            for kx in 0..<3 {
                let u = upper.loadUnaligned(fromByteOffset: kx * 4, as: V.self)
                let l = lower.loadUnaligned(fromByteOffset: kx * 4, as: V.self)
                let w = wp + (ky * 3 + kx) * 4
                var s = V(repeating: w[0])
                a0.addProduct(s, u); b0.addProduct(s, l)
                s = V(repeating: w[1])
                a1.addProduct(s, u); b1.addProduct(s, l)
                s = V(repeating: w[2])
                a2.addProduct(s, u); b2.addProduct(s, l)
                s = V(repeating: w[3])
                a3.addProduct(s, u); b3.addProduct(s, l)
            }
        }
        wp += 36
        src += planeBytes
    }
    if relu {
        // Not pointwiseMax: that compiles to a call and a scalar loop; this to one vmaxps.
        a0 = a0.replacing(with: 0, where: a0 .< 0); a1 = a1.replacing(with: 0, where: a1 .< 0)
        a2 = a2.replacing(with: 0, where: a2 .< 0); a3 = a3.replacing(with: 0, where: a3 .< 0)
        b0 = b0.replacing(with: 0, where: b0 .< 0); b1 = b1.replacing(with: 0, where: b1 .< 0)
        b2 = b2.replacing(with: 0, where: b2 .< 0); b3 = b3.replacing(with: 0, where: b3 .< 0)
    }
    let raw = UnsafeMutableRawPointer(output), planeOutBytes = planeOut * MemoryLayout<Float>.size
    raw.storeBytes(of: a0, as: V.self)
    raw.storeBytes(of: a1, toByteOffset: planeOutBytes, as: V.self)
    raw.storeBytes(of: a2, toByteOffset: 2 * planeOutBytes, as: V.self)
    raw.storeBytes(of: a3, toByteOffset: 3 * planeOutBytes, as: V.self)
    guard rows == 2 else { return }
    let next = raw + rowStride * MemoryLayout<Float>.size
    next.storeBytes(of: b0, as: V.self)
    next.storeBytes(of: b1, toByteOffset: planeOutBytes, as: V.self)
    next.storeBytes(of: b2, toByteOffset: 2 * planeOutBytes, as: V.self)
    next.storeBytes(of: b3, toByteOffset: 3 * planeOutBytes, as: V.self)
}
