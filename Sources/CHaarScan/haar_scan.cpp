// haar_scan.cpp - HaarScanner: loading a cascade and scanning the image
// pyramid exactly as OpenCV 4's CascadeClassifier does with one thread
// (cascadedetect.cpp: detectMultiScaleNoGrouping, HaarEvaluator::setWindow,
// predictOrderedStump); the row kernels (haar_kernels.cpp) do the evaluating.

#include "haar_scan.hpp"
#include "exact_resize.hpp"
#include "haar_integral.hpp"
#include "haar_kernels.hpp"
#include "haar_regions.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

namespace smile {

namespace {

/// OpenCV subtracts this from every stage threshold when it reads a cascade.
constexpr float kThresholdEps = 1e-5f;

/// Reads the stages, stumps and features of a new-format Haar cascade.
bool readCascade(const cv::FileNode &root, cv::Size &window, std::vector<HaarScanner::Feature> &features,
                 std::vector<HaarScanner::Stump> &stumps, std::vector<HaarScanner::Stage> &stages) {
    if ((std::string)root["stageType"] != "BOOST" || (std::string)root["featureType"] != "HAAR") return false;
    window = cv::Size((int)root["width"], (int)root["height"]);
    if (window.width <= 2 || window.height <= 2) return false;
    cv::FileNode params = root["featureParams"];
    if (params.empty() || (int)params["maxCatCount"] != 0) return false;

    cv::FileNode stageNodes = root["stages"];
    if (stageNodes.empty()) return false;
    for (cv::FileNodeIterator it = stageNodes.begin(); it != stageNodes.end(); ++it) {
        cv::FileNode stageNode = *it;
        HaarScanner::Stage stage;
        stage.threshold = (float)stageNode["stageThreshold"] - kThresholdEps;
        stage.first = int(stumps.size());
        cv::FileNode weak = stageNode["weakClassifiers"];
        if (weak.empty()) return false;
        for (cv::FileNodeIterator w = weak.begin(); w != weak.end(); ++w) {
            cv::FileNode nodes = (*w)["internalNodes"], leaves = (*w)["leafValues"];
            // A stump: one split (left, right, feature, threshold) and two leaves.
            if (nodes.size() != 4 || leaves.size() != 2) return false;
            HaarScanner::Stump stump;
            stump.feature = (int)nodes[2];
            stump.threshold = (float)nodes[3];
            stump.left = (float)leaves[0];
            stump.right = (float)leaves[1];
            stumps.push_back(stump);
        }
        stage.count = int(stumps.size()) - stage.first;
        stages.push_back(stage);
    }

    cv::FileNode featureNodes = root["features"];
    if (featureNodes.empty()) return false;
    for (cv::FileNodeIterator it = featureNodes.begin(); it != featureNodes.end(); ++it) {
        if ((int)(*it)["tilted"] != 0) return false;
        HaarScanner::Feature f{};
        cv::FileNode rects = (*it)["rects"];
        if (rects.size() < 1 || rects.size() > 3) return false;
        f.count = int(rects.size());
        int r = 0;
        for (cv::FileNodeIterator ri = rects.begin(); ri != rects.end(); ++ri, ++r) {
            cv::FileNodeIterator v = (*ri).begin();
            v >> f.x[r] >> f.y[r] >> f.w[r] >> f.h[r] >> f.weight[r];
            if (f.x[r] < 0 || f.y[r] < 0 || f.w[r] < 0 || f.h[r] < 0 || f.x[r] + f.w[r] > window.width ||
                f.y[r] + f.h[r] > window.height)
                return false;
        }
        features.push_back(f);
    }
    for (const auto &s : stumps)
        if (s.feature < 0 || s.feature >= int(features.size())) return false;
    // Verdicts are int8: -k for a rejection at stage k.
    return !stages.empty() && stages.size() < 127;
}

/// Whether every stage's sum of leaves is exact in double whatever the order of adding: the
/// largest sum it can reach, over the smallest leaf's unit in the last place, stays below 2^52.
/// Then our kernels may add a stage's two-rectangle stumps first and still match OpenCV bit for bit.
bool leafSumsAreExact(const std::vector<HaarScanner::Stump> &stumps, const std::vector<HaarScanner::Stage> &stages) {
    for (const HaarScanner::Stage &stage : stages) {
        double largest = 0, smallestUnit = HUGE_VAL;
        for (int i = 0; i < stage.count; ++i) {
            const HaarScanner::Stump &s = stumps[stage.first + i];
            for (float leaf : {s.left, s.right}) {
                if (leaf == 0) continue;
                int exponent;
                std::frexp(leaf, &exponent);
                smallestUnit = std::min(smallestUnit, std::ldexp(1.0, exponent - 24));
            }
            largest += std::max(std::fabs(s.left), std::fabs(s.right));
        }
        if (largest > 0 && largest / smallestUnit >= std::ldexp(1.0, 52)) return false;
    }
    return true;
}

/// Copies `rows` rows of `cols` integral values into the split layout (see IntegralLayout).
void splitColumns(const int32_t *plain, int stride, int rows, int cols, int32_t *split, int half) {
    for (int r = 0; r < rows; ++r) {
        const int32_t *from = plain + size_t(r) * stride;
        int32_t *even = split + size_t(r) * 2 * half, *odd = even + half;
        // Two plain loops (the compiler vectorises these; one loop alternating targets it does not).
        for (int i = 0; 2 * i < cols; ++i) even[i] = from[2 * i];
        for (int i = 0; 2 * i + 1 < cols; ++i) odd[i] = from[2 * i + 1];
    }
}

/// Scratch of one thread: pyramid level pixels and its two integral images.
struct Scratch {
    std::vector<uint8_t> pixels;
    std::vector<int32_t> sum, squares;
    /// The cascade laid out for the plain and the split integral images and for copied patches.
    std::vector<ScanStump> stumps, splitStumps, patchStumps;
    std::vector<ShapeStump> shapes, splitShapes, patchShapes;
    std::vector<ScanStage> stages, splitStages, patchStages;
    /// Windows found in a level, per band of rows (one band unless several threads scan).
    std::vector<std::vector<cv::Point>> bands;
    /// Integral images of a level scanned every second column, in the split layout.
    std::vector<int32_t> splitSum, splitSquares;
    int featureStride = -1;
    uint64_t featureOwner = 0;
    /// Resize plans from an image of `planSource` size to each level size met so far (a video's
    /// frames all reuse them).
    cv::Size planSource;
    std::vector<std::pair<cv::Size, LinearExactPlan>> plans;
};

/// Rows [first, end) of pyramid level `level` resized from `gray` as OpenCV's scan resizes it
/// (cv::resize with INTER_LINEAR_EXACT on Debian's OpenCV 4.6; INTER_LINEAR gives other windows).
/// With `fast` and AVX2, our bit-exact resize computes just those rows, about 5x faster than
/// cv::resize (exact_resize.hpp); otherwise cv::resize computes the whole level.
void resizeLevelRows(const cv::Mat &gray, cv::Mat &level, int first, int end, bool fast, Scratch &s) {
    if (fast && linearExactHasAvx2()) {
        if (level.size() == gray.size()) {
            for (int y = first; y < end; ++y) std::memcpy(level.ptr(y), gray.ptr(y), size_t(level.cols));
            return;
        }
        if (s.planSource != gray.size()) {
            s.plans.clear();
            s.planSource = gray.size();
        }
        auto known = std::find_if(s.plans.begin(), s.plans.end(), [&](const auto &p) { return p.first == level.size(); });
        if (known == s.plans.end()) {
            LinearExactPlan plan;
            if (planLinearExact(gray.cols, gray.rows, level.cols, level.rows, plan))
                known = s.plans.insert(s.plans.end(), {level.size(), std::move(plan)});
        }
        if (known != s.plans.end()) {
            resizeLinearExact(known->second, gray.data, gray.step, level.data, level.step, first, end, 0, level.cols);
            return;
        }
    }
    cv::resize(gray, level, level.size(), 0, 0, cv::INTER_LINEAR_EXACT);
}

thread_local Scratch scratch;

/// What the thread scanning a band of rows needs of its own (the level's images are shared).
struct RowScratch {
    std::vector<int8_t> verdict;
    std::vector<float> norm;
    DeepQueue queue;
};

thread_local RowScratch rowScratch;

/// Rows per band when several threads scan a level (OpenCV's own scan also splits rows).
constexpr int kBandRows = 16;

// ThreadSanitizer cannot see the synchronisation inside OpenCV's thread pool (Debian's OpenCV runs
// parallel_for_ on TBB, which is not instrumented), so it would report the level's images, written
// before parallel_for_, as racing with the bands that read them. These two mark the hand-overs that
// parallel_for_ guarantees: everything before it happens before each band, each band before what
// follows it. They do nothing in other builds.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SMILE_TSAN 1
extern "C" void __tsan_acquire(void *address);
extern "C" void __tsan_release(void *address);
#endif
#endif

/// The address ThreadSanitizer's hand-overs synchronise on (a constant, so reading it races with nothing).
static char threadPoolToken;

/// Marks what this thread wrote so far as visible to the threads that next take over.
inline void threadPoolHandOver() {
#ifdef SMILE_TSAN
    __tsan_release(&threadPoolToken);
#endif
}

/// Marks that this thread sees what was handed over.
inline void threadPoolTakeOver() {
#ifdef SMILE_TSAN
    __tsan_acquire(&threadPoolToken);
#endif
}

/// `run` as a body for cv::parallel_for_, taking over before it reads anything the caller wrote and
/// handing over when done. (parallel_for_'s std::function overload would first read a wrapper the
/// caller built, before any hand-over could be marked.)
template <class Run>
struct PoolBody : cv::ParallelLoopBody {
    explicit PoolBody(Run &run) : run(run) {}
    void operator()(const cv::Range &range) const override {
        threadPoolTakeOver();
        run(range);
        threadPoolHandOver();
    }
    Run &run;
};

}  // namespace

std::unique_ptr<HaarScanner> HaarScanner::load(const std::string &path) {
    try {
        cv::FileStorage fs(path, cv::FileStorage::READ);
        if (!fs.isOpened()) return nullptr;
        static std::atomic<uint64_t> nextID{1};
        std::unique_ptr<HaarScanner> scanner(new HaarScanner());
        scanner->id_ = nextID++;
        if (!readCascade(fs.getFirstTopLevelNode(), scanner->window_, scanner->features_, scanner->stumps_,
                         scanner->stages_))
            return nullptr;
        scanner->reorderable_ = leafSumsAreExact(scanner->stumps_, scanner->stages_);
        return scanner;
    } catch (const cv::Exception &) {
        return nullptr;
    }
}

void HaarScanner::candidates(const cv::Mat &gray, double scaleFactor, cv::Size minSize, cv::Size maxSize,
                             std::vector<cv::Rect> &out, Kernel which, Levels levels) const {
    scan(gray, scaleFactor, minSize, maxSize, nullptr, nullptr, out, which, levels);
}

void HaarScanner::candidatesInRegions(const cv::Mat &gray, double scaleFactor, cv::Size minSize, cv::Size maxSize,
                                      const std::vector<cv::Rect> &regions, std::vector<cv::Rect> &out,
                                      Kernel which, const std::vector<std::pair<int, int>> *sides,
                                      Levels levels) const {
    CV_Assert(!sides || sides->size() == regions.size());
    scan(gray, scaleFactor, minSize, maxSize, &regions, sides, out, which, levels);
}

void HaarScanner::scan(const cv::Mat &gray, double scaleFactor, cv::Size minSize, cv::Size maxSize,
                       const std::vector<cv::Rect> *allRegions, const std::vector<std::pair<int, int>> *sides,
                       std::vector<cv::Rect> &out, Kernel which, Levels levels) const {
    CV_Assert(levels.every >= 1 && levels.phase >= 0 && levels.phase < levels.every);
    const bool vectorised = which != Kernel::reference;
    // Our AVX2 resize and integral images only for the fastest kernel: the others stand for a CPU without AVX2.
    const bool fastLayouts = which == Kernel::fastest;
    out.clear();
    CV_Assert(gray.type() == CV_8UC1 && scaleFactor > 1);
    const cv::Size imageSize = gray.size();
    if (maxSize.width == 0 || maxSize.height == 0) maxSize = imageSize;

    // The pyramid's scales, as detectMultiScaleNoGrouping picks them.
    std::vector<float> scales;
    for (double factor = 1;; factor *= scaleFactor) {
        cv::Size w(cvRound(window_.width * factor), cvRound(window_.height * factor));
        if (w.width > maxSize.width || w.height > maxSize.height || w.width > imageSize.width ||
            w.height > imageSize.height)
            break;
        if (w.width < minSize.width || w.height < minSize.height) continue;
        scales.push_back(float(factor));
    }
    if (scales.empty()) return;

    // All levels share one row stride (like OpenCV's single buffer), so feature offsets are fixed.
    const cv::Size first(cvRound(imageSize.width / scales[0]) + 1, cvRound(imageSize.height / scales[0]) + 1);
    const int stride = (first.width + 15) & ~15;
    const int half = stride / 2 + 16;
    const size_t integralSize = size_t(stride) * first.height + kScanPadding;
    const size_t splitSize = size_t(2 * half) * first.height + kScanPadding;
    Scratch &s = scratch;
    if (s.sum.size() < integralSize) {
        s.sum.assign(integralSize, 0);
        s.squares.assign(integralSize, 0);
    }
    if (s.splitSum.size() < splitSize) {
        s.splitSum.assign(splitSize, 0);
        s.splitSquares.assign(splitSize, 0);
    }
    if (s.pixels.size() < size_t(first.width) * first.height) s.pixels.resize(size_t(first.width) * first.height);
    if (s.featureStride != stride || s.featureOwner != id_) {
        layOutCascade(features_, stumps_, stages_, {IntegralLayout::plain, stride}, reorderable_, s.stumps, s.shapes,
                      s.stages);
        layOutCascade(features_, stumps_, stages_, {IntegralLayout::split, half}, reorderable_, s.splitStumps,
                      s.splitShapes, s.splitStages);
        layOutCascade(features_, stumps_, stages_, {IntegralLayout::patch, 0}, reorderable_, s.patchStumps,
                      s.patchShapes, s.patchStages);
        s.featureStride = stride;
        s.featureOwner = id_;
    }

    const cv::Rect normRect(1, 1, window_.width - 2, window_.height - 2);
    auto cascadeFor = [&](IntegralLayout layout, const std::vector<ScanStump> &stumps,
                          const std::vector<ShapeStump> &shapes, const std::vector<ScanStage> &stages) {
        ScanCascade c;
        c.stumps = stumps.data();
        c.shapes = shapes.data();
        c.stages = stages.data();
        c.stageCount = int(stages.size());
        c.area = double(normRect.area());
        c.nofs[0] = layout.offset(normRect.x, normRect.y);
        c.nofs[1] = layout.offset(normRect.x + normRect.width, normRect.y);
        c.nofs[2] = layout.offset(normRect.x, normRect.y + normRect.height);
        c.nofs[3] = layout.offset(normRect.x + normRect.width, normRect.y + normRect.height);
        return c;
    };
    const ScanCascade plain = cascadeFor({IntegralLayout::plain, stride}, s.stumps, s.shapes, s.stages);
    const ScanCascade split = cascadeFor({IntegralLayout::split, half}, s.splitStumps, s.splitShapes, s.splitStages);
    const ScanCascade patch = cascadeFor({IntegralLayout::patch, 0}, s.patchStumps, s.patchShapes, s.patchStages);
    // Windows wider than a patch row cannot be queued (not the case for OpenCV's face cascades).
    const bool useQueue = vectorised && window_.width + 1 <= IntegralLayout::kPatchColumns;

    // OpenCV splits rows into stripes from the first level's width; the stripes bound the last row scanned.
    const int stripes = cvCeil(std::max(first.width - window_.width, 0) / 32.);
    if (stripes == 0) return;
    const RowKernel kernel = which == Kernel::fastest ? rowKernel() : rowScalar;

    for (size_t index = 0; index < scales.size(); ++index) {
        if (!levels.includes(index)) continue;
        const float scale = scales[index];
        const cv::Size size(cvRound(imageSize.width / scale), cvRound(imageSize.height / scale));
        const int ystep = scale >= 2 ? 1 : 2;
        const cv::Size work(std::max(size.width + 1 - window_.width, 0), std::max(size.height + 1 - window_.height, 0));
        const int stripeSize = std::max((work.height / ystep + stripes - 1) / stripes, 1) * ystep;
        const int lastRow = std::min(stripes * stripeSize, work.height);
        const cv::Size box(cvRound(window_.width * scale), cvRound(window_.height * scale));
        // The regions that hold this level's boxes (all of them unless `sides` limits them).
        std::vector<cv::Rect> sized;
        const std::vector<cv::Rect> *regions = allRegions;
        if (sides) {
            for (size_t i = 0; i < allRegions->size(); ++i)
                if (box.width >= (*sides)[i].first && box.width <= (*sides)[i].second) sized.push_back((*allRegions)[i]);
            regions = &sized;
        }
        if (regions && !regionsHoldBox(*regions, box)) continue;

        const int count = (work.width + ystep - 1) / ystep;
        // A region scan needs integral images of only the band of rows its windows lie in.
        RegionLevel region{&plain, s.sum.data(), s.squares.data(), stride, 0, ystep, lastRow, count, scale, box};
        int bandFirst = 0, bandLast = 0;
        if (regions && !regionRows(region, *regions, bandFirst, bandLast)) continue;

        cv::Mat level(size, CV_8U, s.pixels.data());
        if (regions) {
            // Rectangle sums from a band's integral images equal the whole level's (modulo 2^32, as all sums are).
            const int bandEnd = std::min(bandLast + window_.height, size.height);
            const int bandRows = bandEnd - bandFirst;
            resizeLevelRows(gray, level, bandFirst, bandEnd, fastLayouts, s);
            integralSumAndSquares(level.ptr(bandFirst), level.step, size.width, bandRows, s.sum.data(), s.squares.data(),
                                  size_t(stride), fastLayouts);
            region.firstRow = bandFirst;
            RowScratch &r = rowScratch;
            DeepQueue *queue = useQueue ? &r.queue : nullptr;
            if (queue) queue->begin(&patch, window_, s.sum.data(), stride, bandFirst);
            std::vector<cv::Point> &found = s.bands.empty() ? s.bands.emplace_back() : s.bands[0];
            found.clear();
            scanLevelInRegions(region, *regions, kernel, queue, r.verdict, r.norm, found);
            for (const cv::Point &p : found)
                out.push_back(cv::Rect(cvRound(p.x * scale), cvRound(p.y * scale), box.width, box.height));
            continue;
        }
        resizeLevelRows(gray, level, 0, size.height, fastLayouts, s);
        integralSumAndSquares(level.ptr(), level.step, size.width, size.height, s.sum.data(), s.squares.data(),
                              size_t(stride), fastLayouts);

        // Every second column: scan the split copies, where those windows are neighbours (the
        // scalar reference keeps the plain layout, so tests compare the two).
        const bool useSplit = vectorised && ystep == 2;
        if (useSplit) {
            splitColumns(s.sum.data(), stride, size.height + 1, size.width + 1, s.splitSum.data(), half);
            splitColumns(s.squares.data(), stride, size.height + 1, size.width + 1, s.splitSquares.data(), half);
        }
        // Scans rows [first, end) into `found`, in OpenCV's order (rows, then columns).
        auto scanBand = [&](int first, int end, std::vector<cv::Point> &found) {
            RowScratch &r = rowScratch;
            if (r.verdict.size() < size_t(stride) + 64) {
                r.verdict.resize(size_t(stride) + 64);
                r.norm.resize(size_t(stride) + 64);
            }
            DeepQueue *queue = useQueue ? &r.queue : nullptr;
            found.clear();
            if (queue) queue->begin(&patch, window_, s.sum.data(), stride);
            for (int y = first; y < end; y += ystep) {
                if (useSplit)
                    kernel(split, s.splitSum.data() + size_t(y) * 2 * half, s.splitSquares.data() + size_t(y) * 2 * half,
                           1, count, r.verdict.data(), r.norm.data(), queue, y, ystep, 0);
                else
                    kernel(plain, s.sum.data() + size_t(y) * stride, s.squares.data() + size_t(y) * stride, ystep,
                           count, r.verdict.data(), r.norm.data(), queue, y, ystep, 0);
                for (int i = 0; i < count; ++i)
                    if (r.verdict[i] == kFound) found.push_back(cv::Point(i * ystep, y));
            }
            if (queue) {
                queue->flush();
                found.insert(found.end(), queue->found.begin(), queue->found.end());
                std::sort(found.begin(), found.end(),
                          [](const cv::Point &a, const cv::Point &b) { return a.y != b.y ? a.y < b.y : a.x < b.x; });
            }
        };
        // Bands of rows (a multiple of the row step), scanned on OpenCV's threads when it has several.
        const int bandRows = kBandRows * ystep;
        const int bandCount = std::max(1, cv::getNumThreads() > 1 ? (lastRow + bandRows - 1) / bandRows : 1);
        if (s.bands.size() < size_t(bandCount)) s.bands.resize(bandCount);
        if (bandCount == 1) {
            scanBand(0, lastRow, s.bands[0]);
        } else {
            auto scanBands = [&](const cv::Range &range) {
                for (int b = range.start; b < range.end; ++b)
                    scanBand(b * bandRows, std::min((b + 1) * bandRows, lastRow), s.bands[b]);
            };
            const PoolBody<decltype(scanBands)> body(scanBands);
            threadPoolHandOver();
            cv::parallel_for_(cv::Range(0, bandCount), body);
            threadPoolTakeOver();
        }
        for (int b = 0; b < bandCount; ++b)
            for (const cv::Point &p : s.bands[b])
                out.push_back(cv::Rect(cvRound(p.x * scale), cvRound(p.y * scale), box.width, box.height));
    }
}

}  // namespace smile
