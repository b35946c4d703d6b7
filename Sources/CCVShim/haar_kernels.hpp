// haar_kernels.hpp - evaluating a Haar cascade on one row of windows: what the
// scan needs from a cascade in evaluation form, and the kernels that give each
// window of a row OpenCV's verdict (found, rejected at stage k, flat, or
// skipped by OpenCV's rule of not looking at the window after one that stage 0
// rejected).
#pragma once

#include "haar_scan.hpp"

#include <cstdint>

namespace smile {

/// Ints the vector kernel may read past a row's end (its last block of eight windows).
constexpr int kScanPadding = 128;

/// Verdicts of a row kernel: 1 found, kRejectedAtStage0 (0), -k rejected at stage k, kFlat, kSkipped.
constexpr int8_t kFound = 1;
constexpr int8_t kRejectedAtStage0 = 0;
constexpr int8_t kFlat = -1;  // OpenCV's -1 too: the same value as "rejected at stage 1"; neither skips
constexpr int8_t kSkipped = -128;

/// A stump with its feature's rectangles as offsets into integral images of one row stride
/// (a two-rectangle feature has a zero third weight and zero offsets).
struct ScanStump {
    int ofs[3][4];
    float weight[3];
    float threshold, left, right;
};

/// A stage: stumps [first, first + count), the first `twoRect` of them two-rectangle ones.
struct ScanStage {
    int first, twoRect, count;
    float threshold;
};

/// A cascade ready to evaluate on integral images of one stride.
struct ScanCascade {
    const ScanStump *stumps;
    const ScanStage *stages;
    int stageCount;
    /// Corners of the normalisation rectangle (the window less a one-pixel border) and its area.
    int nofs[4];
    double area;
};

/// How integral images are stored: plainly (rows `stride` ints apart), or with each row split
/// into its even columns and then its odd ones, each half `stride` ints long. Levels scanned at
/// every second column use the split form: their neighbouring windows are then neighbouring
/// ints, so eight load at once without shuffling.
struct IntegralLayout {
    int stride;
    bool split;
    /// Where the integral value at (x, y) lies relative to (0, 0).
    int offset(int x, int y) const { return split ? 2 * y * stride + (x & 1) * stride + (x >> 1) : x + y * stride; }
};

/// The stumps and stages of a cascade laid out for integral images stored as `layout` says.
/// Within a stage, two-rectangle stumps go first when `reorder` (allowed when a stage's sum of
/// leaves is exact in double whatever the order: see HaarScanner::load).
void layOutCascade(const std::vector<HaarScanner::Feature> &features, const std::vector<HaarScanner::Stump> &stumps,
                   const std::vector<HaarScanner::Stage> &stages, IntegralLayout layout, bool reorder,
                   std::vector<ScanStump> &outStumps, std::vector<ScanStage> &outStages);

/// Verdicts for `count` windows at x = i * step of the row starting at `sum`/`squares`
/// (`verdict` and `norm` hold at least count + 64 entries; `norm` is scratch).
using RowKernel = void (*)(const ScanCascade &cascade, const int32_t *sum, const int32_t *squares, int step,
                           int count, int8_t *verdict, float *norm);

/// The fastest row kernel this CPU runs (AVX2 when present, else scalar).
RowKernel rowKernel();

/// The scalar kernel: OpenCV's loop, one window after another (the vector kernel's reference).
void rowScalar(const ScanCascade &cascade, const int32_t *sum, const int32_t *squares, int step, int count,
               int8_t *verdict, float *norm);

}  // namespace smile
