// haar_kernels.hpp - evaluating a Haar cascade on one row of windows: what the
// scan needs from a cascade in evaluation form, and the kernels that give each
// window of a row OpenCV's verdict (found, rejected at stage k, flat, or
// skipped by OpenCV's rule of not looking at the window after one that stage 0
// rejected).
#pragma once

#include "haar_scan.hpp"

#include <opencv2/core.hpp>

#include <cstdint>
#include <vector>

namespace smile {

/// Ints the vector kernel may read past a row's end (its last block of eight windows).
constexpr int kScanPadding = 128;

/// Verdicts of a row kernel: 1 found, kRejectedAtStage0 (0), -k rejected at stage k, kFlat, kSkipped.
constexpr int8_t kFound = 1;
constexpr int8_t kRejectedAtStage0 = 0;
constexpr int8_t kFlat = -1;  // OpenCV's -1 too: the same value as "rejected at stage 1"; neither skips
constexpr int8_t kSkipped = -128;
constexpr int8_t kQueued = 2;  // handed to a DeepQueue, which reports it if found

/// A stump with its feature's rectangles as offsets into integral images of one row stride
/// (a two-rectangle feature has a zero third weight and zero offsets).
struct ScanStump {
    int ofs[3][4];
    float weight[3];
    float threshold, left, right;
};

/// The feature shapes of OpenCV's frontal-face cascades as integer sums of integral-image corners.
///
/// A feature whose weights are integers (-1 and 2 or 3 in these cascades) has a value that is an
/// exact integer while its weighted rectangle sums stay below 2^24 (a 24x24 window's do): the sum
/// of each corner's value times its net coefficient, shared corners counted once. OpenCV's float
/// arithmetic reaches the same integer exactly, so adding corners in int32 (wrapping, like the
/// integral image) and converting once gives its very value, with fewer loads and no float
/// products. Corner slots of a ShapeStump, by shape:
/// - halves   (-1, 2):    (c0 + c1 - c2 - c3) + 2 (c4 - c5)                 (6 corners)
/// - thirds   (-1, 3):    (c0 + c1 - c2 - c3) + 3 (c4 + c5 - c6 - c7)       (8 corners)
/// - quarters (-1, 2, 2): +-[(c0 + c1 + c2 + c3) - 2 (c4 + c5 + c6 + c7) + 4 c8]  (9 corners)
enum FeatureShape { kHalves, kThirds, kQuartersPlus, kQuartersMinus, kShapeCount };

/// A stump of one of the FeatureShapes: its corners as offsets (slots as the shape says).
struct ShapeStump {
    int corner[9];
    float threshold, left, right;
};

/// A stage: stumps [first, first + count). When the cascade's leaf sums are order-free, the
/// stumps of each FeatureShape come first, `shaped[k]` of shape k in FeatureShape order (their
/// corners in ShapeStump entries of the same indices), then the others, `twoRect` two-rectangle
/// ones before three-rectangle ones.
/// With an order-free (exact) sum of leaves, the vector kernel adds leaves in float and trusts
/// the float sum where it lies outside [low, high], a margin about the threshold wider than the
/// float rounding error can be; otherwise (or when `low` > `high`: no margin known) it adds in
/// double like OpenCV.
struct ScanStage {
    int first, twoRect, count;
    int shaped[kShapeCount];
    float threshold;
    float low, high;
};

/// A cascade ready to evaluate on integral images of one stride.
struct ScanCascade {
    const ScanStump *stumps;
    /// Corner forms of the shaped stumps (same indices as `stumps`).
    const ShapeStump *shapes;
    const ScanStage *stages;
    int stageCount;
    /// Corners of the normalisation rectangle (the window less a one-pixel border) and its area.
    int nofs[4];
    double area;
};

/// How integral values are stored: plainly (rows `stride` ints apart); with each row split into
/// its even columns and then its odd ones, each half `stride` ints long (levels scanned at every
/// second column: their neighbouring windows are then neighbouring ints, so eight load at once
/// without shuffling); or as a window patch copied for eight windows, lane by lane (DeepQueue).
struct IntegralLayout {
    enum Kind { plain, split, patch } kind;
    int stride;
    /// Where the integral value at (x, y) lies relative to (0, 0).
    int offset(int x, int y) const {
        switch (kind) {
        case split: return 2 * y * stride + (x & 1) * stride + (x >> 1);
        case patch: return (y * kPatchColumns + x) * 8;
        default: return x + y * stride;
        }
    }
    /// Columns of a copied patch (a window's 25 corners, rounded up to whole vectors).
    static constexpr int kPatchColumns = 32;
};

/// The stumps and stages of a cascade laid out for integral images stored as `layout` says.
/// When `reorder` (allowed when a stage's sum of leaves is exact in double whatever the order: see
/// HaarScanner::load), a stage's shaped stumps go first, then its two-rectangle ones.
void layOutCascade(const std::vector<HaarScanner::Feature> &features, const std::vector<HaarScanner::Stump> &stumps,
                   const std::vector<HaarScanner::Stage> &stages, IntegralLayout layout, bool reorder,
                   std::vector<ScanStump> &outStumps, std::vector<ShapeStump> &outShapes,
                   std::vector<ScanStage> &outStages);

/// Windows left nearly alone in their block of eight by the vector kernel: their integral
/// patches are copied lane by lane, eight windows at a time, and the rest of the cascade runs on
/// the copies at full vector width (a lone window deep in the cascade would otherwise run its
/// hundreds of stumps one by one). Windows wait by the stage they reached, so the eight of a run
/// start together; only `flush` runs windows of different stages together (each lane re-running
/// stages it passed passes them again).
class DeepQueue {
public:
    DeepQueue();
    /// Starts a pyramid level: the cascade laid out for patches, the window size, the level's
    /// plain integral image (of the level's rows from `firstRow` on).
    void begin(const ScanCascade *patchCascade, cv::Size window, const int32_t *plainSum, int plainStride,
               int firstRow = 0);
    /// Queues window (x, y) that has passed the stages before `stage`; runs eight when eight wait there.
    void push(int x, int y, float norm, int stage);
    /// Runs the windows still waiting.
    void flush();
    /// Windows the queue found to pass every stage (in no particular order).
    std::vector<cv::Point> found;

    /// A queued window: where it lies, its normalisation factor and the stage it reached.
    struct Lane {
        int x, y;
        float norm;
        int stage;
    };

private:
    void run(const Lane *lanes, int count);
    const ScanCascade *cascade_ = nullptr;
    const int32_t *sum_ = nullptr;
    int stride_ = 0, firstRow_ = 0, rows_ = 0, columns_ = 0;
    std::vector<Lane> waiting_;     // stageCount buckets of eight
    std::vector<int> waitingCount_;  // windows waiting per stage
    std::vector<int32_t> patch_;    // rows_ x kPatchColumns x 8 lanes, 32-byte aligned inside
};

/// Verdicts for `count` windows at x = i * step of the row starting at `sum`/`squares`
/// (`verdict` and `norm` hold at least count + 64 entries; `norm` is scratch). With a `queue`,
/// windows left nearly alone are handed to it (verdict kQueued) and the row is pixel row `y`,
/// window i at pixel column `x0` + i * `pixelStep` (`x0` 0 for a whole row; a region scan starts
/// rows further right). The first window is taken as one OpenCV looks at.
using RowKernel = void (*)(const ScanCascade &cascade, const int32_t *sum, const int32_t *squares, int step,
                           int count, int8_t *verdict, float *norm, DeepQueue *queue, int y, int pixelStep, int x0);

/// The fastest row kernel this CPU runs (AVX2 when present, else scalar).
RowKernel rowKernel();

/// The scalar kernel: OpenCV's loop, one window after another (the vector kernel's reference).
void rowScalar(const ScanCascade &cascade, const int32_t *sum, const int32_t *squares, int step, int count,
               int8_t *verdict, float *norm, DeepQueue *queue, int y, int pixelStep, int x0);

/// One window's verdict after stage 0 alone: kFlat, kRejectedAtStage0, or kFound (passes stage 0).
int8_t stageZeroVerdict(const ScanCascade &cascade, const int32_t *sum, const int32_t *squares);

}  // namespace smile
