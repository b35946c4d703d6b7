// Bit-exact re-implementation of OpenCV 4.6's cv::resize(..., INTER_LINEAR_EXACT)
// for 8-bit single-channel images, able to produce any band of rows and span
// of columns of the output on its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace smile {

/// Coefficient tables for resizing srcWidth x srcHeight to dstWidth x dstHeight.
///
/// Built once by planLinearExact() and reusable for every frame of a video
/// (and by several threads at once: resizeLinearExact() only reads it).
/// The tables hold the same offsets and 8-bit fixed-point weights that
/// OpenCV's `interpolationLinear::getCoeffs` computes, with the edge columns
/// and rows (OpenCV's `min_x/max_x`, `min_y/max_y` cases) folded into
/// ordinary entries whose weights are (256, 0) or (0, 256), which give the
/// same bits as OpenCV's separate edge code.
struct LinearExactPlan {
    int srcWidth = 0, srcHeight = 0;
    int dstWidth = 0, dstHeight = 0;

    /// Left source column of each output column, padded with copies of the
    /// last entry to a multiple of 8 plus one spare group of 8 (the AVX2
    /// kernel works on groups of 8 output columns, two groups at a time).
    std::vector<int32_t> xofs;
    /// Horizontal weights (c0, c1) per output column, c0 + c1 == 256 for real
    /// columns, (0, 0) for the padding.
    std::vector<int16_t> xcoef;

    /// AVX2 "direct" mode (source at least 16 pixels wide): each group of 8
    /// output columns fetches its source pixel pairs (p[o], p[o+1]) from the
    /// two source rows with 2, 4 or 8 unaligned 16-byte loads (one per
    /// 128-bit lane) and vpshufb masks. gloads[g] is that count / 2 (1, 2 or 4).
    bool direct = false;
    std::vector<uint8_t> gloads;
    /// Direct mode: 8 load offsets per group (lane 0, lane 1 of vector 0, then of vector 1, ...),
    /// clamped to srcWidth - 16 so that no load leaves the row.
    std::vector<int32_t> gofs;
    /// Direct mode: 4 vpshufb masks of 32 bytes per group, one per load vector.
    std::vector<uint8_t> gmask;

    /// "Line" mode (used when direct is false: downscale up to about 2x, or a
    /// source narrower than 16): vpshufb mask per group of 8 columns picking
    /// the pairs (V[o], V[o+1]) out of the vertically blended line;
    /// xfits[g] == 0 means the group uses a gather instead.
    std::vector<uint8_t> xmask;
    std::vector<uint8_t> xfits;
    /// Line mode: every group fits (no gathers needed).
    bool allFit = false;

    /// Top source row of each output row.
    std::vector<int32_t> yofs;
    /// Vertical weights (c0, c1) per output row, c0 + c1 == 256.
    std::vector<uint16_t> ycoef;
};

/// Builds the coefficient tables for one size pair.
///
/// Returns false when OpenCV would not run its bit-exact linear resize for
/// this pair, so the caller must use cv::resize: equal sizes (OpenCV copies)
/// and the exact 2x downscale in both directions (OpenCV switches to
/// INTER_AREA). Also false for non-positive sizes. Upscaling and mixed
/// up/down scaling are supported (same code path as in OpenCV).
bool planLinearExact(int srcWidth, int srcHeight, int dstWidth, int dstHeight, LinearExactPlan &plan);

/// Computes output rows [rowBegin, rowEnd) x columns [colBegin, colEnd) of the resized image.
///
/// `src` points at source pixel (0,0) (srcStride bytes between rows), `dst` at
/// output pixel (0,0) (dstStride bytes between rows). Only the requested
/// pixels are written; they equal, bit for bit, the same pixels of
/// cv::resize(src, dst, Size(dstWidth, dstHeight), 0, 0, INTER_LINEAR_EXACT)
/// in OpenCV 4.6. The ranges are clipped to the output size. AVX2 kernels run
/// when `vectorised` and the CPU has AVX2, else portable code (slower than
/// OpenCV's own resize: callers without AVX2 are better off with cv::resize).
/// Uses thread-local scratch, so it may run concurrently on several threads.
void resizeLinearExact(const LinearExactPlan &plan, const uint8_t *src, size_t srcStride, uint8_t *dst,
                       size_t dstStride, int rowBegin, int rowEnd, int colBegin, int colEnd, bool vectorised = true);

/// Whether this CPU runs resizeLinearExact's AVX2 kernels.
bool linearExactHasAvx2();

} // namespace smile
