// haar_scan.hpp - our own scan of an upright, stump-based Haar cascade (such as
// haarcascade_frontalface_default.xml) that finds exactly the raw windows
// OpenCV's CascadeClassifier::detectMultiScale finds, in the same order, only
// faster: with AVX2 it evaluates eight neighbouring windows at once.
//
// Why not OpenCV: its scan evaluates one window at a time through virtual
// calls and cannot use vector instructions across windows; on one core its
// full pass over a 640x360 video frame took 160-230 ms here. Why exact: the
// project's recall figures are measured against OpenCV's own full pass, so
// our scan is tested to give the same boxes as OpenCV's, window for window.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace smile {

/// Which pyramid levels a scan visits: those whose index (0: the first level scanned) is `phase`
/// modulo `every`. Every level by default; {2, 0} and {2, 1} split a pass in two.
struct ScanLevels {
    int every = 1, phase = 0;
    bool includes(size_t index) const { return int(index % size_t(every)) == phase; }
};

/// A Haar cascade in the form our scan evaluates: stumps grouped in stages.
class HaarScanner {
public:
    /// Reads `path`; nullptr when the cascade is not one we scan (old format,
    /// LBP, tilted features, trees deeper than one split) - OpenCV then scans.
    static std::unique_ptr<HaarScanner> load(const std::string &path);

    /// Which evaluation runs: the fastest this CPU allows; what a CPU without AVX2 runs (the same
    /// layouts, the scalar kernel); or the plain reference loop (tests compare all three).
    enum class Kernel { fastest, portable, reference };

    /// Which pyramid levels a scan visits (every level by default).
    using Levels = ScanLevels;

    /// The raw windows (before grouping) that detectMultiScale with one
    /// thread finds in the 8-bit gray `gray`, in the same order.
    void candidates(const cv::Mat &gray, double scaleFactor, cv::Size minSize, cv::Size maxSize,
                    std::vector<cv::Rect> &out, Kernel kernel = Kernel::fastest, Levels levels = {}) const;

    /// Of the raw windows `candidates` finds, exactly those whose boxes lie inside one of
    /// `regions` (rectangles of `gray`), in the same order, scanning little more than those
    /// windows: the same pyramid levels, each level's rows only where a region holds boxes.
    /// With `sides`, region i holds only boxes of width sides[i].first..sides[i].second.
    void candidatesInRegions(const cv::Mat &gray, double scaleFactor, cv::Size minSize, cv::Size maxSize,
                             const std::vector<cv::Rect> &regions, std::vector<cv::Rect> &out,
                             Kernel kernel = Kernel::fastest,
                             const std::vector<std::pair<int, int>> *sides = nullptr, Levels levels = {}) const;

    /// Rectangle sums of one feature: up to three weighted rectangles.
    struct Feature {
        int x[3], y[3], w[3], h[3];
        float weight[3];
        int count;
    };
    /// One weak classifier: a feature, its threshold and the two leaf values.
    struct Stump {
        int feature;
        float threshold, left, right;
    };
    /// Stumps [first, first + count) and the stage's threshold.
    struct Stage {
        int first, count;
        float threshold;
    };

private:
    /// The scan behind both: every window, or (with `regions`) those inside the regions.
    void scan(const cv::Mat &gray, double scaleFactor, cv::Size minSize, cv::Size maxSize,
              const std::vector<cv::Rect> *regions, const std::vector<std::pair<int, int>> *sides,
              std::vector<cv::Rect> &out, Kernel kernel, Levels levels) const;
    /// Tells this scanner's offsets apart in a thread's scratch (an address could be reused).
    uint64_t id_ = 0;
    /// Whether stages may be evaluated in another stump order (see leafSumsAreExact).
    bool reorderable_ = false;
    cv::Size window_;
    std::vector<Feature> features_;
    std::vector<Stump> stumps_;
    std::vector<Stage> stages_;
};

}  // namespace smile
