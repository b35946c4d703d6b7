/// Unfolds `images` consecutive CHW images into the im2col matrix of a stride-1 convolution.
///
/// Input: `images x [channels, height, width]`, contiguous. Output `col`: row-major
/// `[channels * kernel * kernel, images * outH * outW]`, row `(c, ky, kx)`, column `(image, oy, ox)`,
/// with `outH = height + 2 * padding - kernel + 1` (likewise `outW`); padded positions are zero.
func im2col(
    _ src: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
    kernel: Int, padding: Int, images: Int, into col: UnsafeMutablePointer<Float>
) {
    let outH = height + 2 * padding - kernel + 1, outW = width + 2 * padding - kernel + 1
    let planeOut = outH * outW, columns = images * planeOut
    for c in 0..<channels {
        for ky in 0..<kernel {
            for kx in 0..<kernel {
                let row = col + ((c * kernel + ky) * kernel + kx) * columns
                let x0 = max(0, padding - kx), x1 = min(outW, width + padding - kx)
                for image in 0..<images {
                    let plane = src + (image * channels + c) * height * width
                    let dstImage = row + image * planeOut
                    for oy in 0..<outH {
                        let iy = oy + ky - padding
                        let d = dstImage + oy * outW
                        if iy < 0 || iy >= height || x1 <= x0 {
                            d.update(repeating: 0, count: outW)
                            continue
                        }
                        if x0 > 0 { d.update(repeating: 0, count: x0) }
                        (d + x0).update(from: plane + iy * width + (x0 + kx - padding), count: x1 - x0)
                        if x1 < outW { (d + x1).update(repeating: 0, count: outW - x1) }
                    }
                }
            }
        }
    }
}

/// Folds an im2col-shaped gradient back onto images, accumulating (`+=`) into `dst`.
///
/// `col` has the layout produced by `im2col`; `dst` is `images x [channels, height, width]`.
func col2im(
    _ col: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
    kernel: Int, padding: Int, images: Int, into dst: UnsafeMutablePointer<Float>
) {
    let outH = height + 2 * padding - kernel + 1, outW = width + 2 * padding - kernel + 1
    let planeOut = outH * outW, columns = images * planeOut
    for c in 0..<channels {
        for ky in 0..<kernel {
            for kx in 0..<kernel {
                let row = col + ((c * kernel + ky) * kernel + kx) * columns
                let x0 = max(0, padding - kx), x1 = min(outW, width + padding - kx)
                if x1 <= x0 { continue }
                let count = x1 - x0
                for image in 0..<images {
                    let plane = dst + (image * channels + c) * height * width
                    let srcImage = row + image * planeOut
                    for oy in 0..<outH {
                        let iy = oy + ky - padding
                        if iy < 0 || iy >= height { continue }
                        let s = srcImage + oy * outW + x0
                        let d = plane + iy * width + (x0 + kx - padding)
                        for i in 0..<count { d[i] += s[i] }
                    }
                }
            }
        }
    }
}
