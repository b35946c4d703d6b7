// haar_regions.hpp - scanning one pyramid level only where its windows' boxes
// lie inside given frame rectangles, with exactly the verdicts the whole-level
// scan gives those windows (OpenCV's skip rule included).
#pragma once

#include "haar_kernels.hpp"

#include <opencv2/core.hpp>

#include <vector>

namespace smile {

/// One pyramid level, plain layout, as the region scan needs it.
struct RegionLevel {
    const ScanCascade *cascade;
    /// Integral images of level rows from `firstRow` on (a band holding every window scanned).
    const int32_t *sum, *squares;
    int stride, firstRow;
    /// Row and column step, rows scanned ([0, lastRow)), windows per row.
    int ystep, lastRow, count;
    /// The level's scale and the size of its boxes in frame pixels.
    float scale;
    cv::Size box;
};

/// Whether any of `regions` can hold a box of `box`'s size (else the level need not be built).
bool regionsHoldBox(const std::vector<cv::Rect> &regions, cv::Size box);

/// The rows [first, last] (multiples of the row step) with windows inside a region; false when none.
bool regionRows(const RegionLevel &level, const std::vector<cv::Rect> &regions, int &first, int &last);

/// The windows (level pixels) of `level` found inside `regions`, appended to `found` in OpenCV's
/// order (rows, then columns); `verdict` and `norm` are scratch, `queue` optional (begun by the caller).
void scanLevelInRegions(const RegionLevel &level, const std::vector<cv::Rect> &regions, RowKernel kernel,
                        DeepQueue *queue, std::vector<int8_t> &verdict, std::vector<float> &norm,
                        std::vector<cv::Point> &found);

}  // namespace smile
