// haar_regions.cpp - the region scan of one pyramid level (see haar_regions.hpp).
//
// A window is in a region when its box (cvRound(x * scale), cvRound(y * scale), box size) lies
// inside it. Each row's windows in the regions form intervals of column indices; overlapping
// intervals are merged. OpenCV does not look at the window after one that stage 0 rejects, so
// whether a segment's first window is looked at depends on the windows before it: walking left
// until a window stage 0 does not reject (flat, or passing) shows where looking certainly
// resumes; the windows between were all rejected, so from there every second one is looked at.

#include "haar_regions.hpp"

#include <algorithm>

namespace smile {

namespace {

/// Column indices [first, last] of a row's windows whose boxes lie within [left, right) in frame x.
bool columnRange(const RegionLevel &l, int left, int right, int &first, int &last) {
    const int maxX = right - l.box.width;  // largest box x allowed
    if (maxX < left || l.count <= 0) return false;
    auto boxX = [&](int i) { return cvRound(i * l.ystep * l.scale); };
    // Estimates from the scale, then corrected (boxX never decreases with i).
    int i = std::clamp(int(left / (l.ystep * l.scale)) - 1, 0, l.count - 1);
    while (i > 0 && boxX(i - 1) >= left) --i;
    while (i < l.count && boxX(i) < left) ++i;
    int j = std::clamp(int(maxX / (l.ystep * l.scale)) + 1, 0, l.count - 1);
    while (j < l.count - 1 && boxX(j + 1) <= maxX) ++j;
    while (j >= 0 && boxX(j) > maxX) --j;
    if (i > j) return false;
    first = i;
    last = j;
    return true;
}

/// The first window at or after `i0` of the row at `sum`/`squares` that OpenCV looks at.
int firstVisited(const RegionLevel &l, const int32_t *sum, const int32_t *squares, int i0) {
    int j = i0 - 1;
    while (j >= 0 && stageZeroVerdict(*l.cascade, sum + j * l.ystep, squares + j * l.ystep) == kRejectedAtStage0) --j;
    // Window j + 1 is looked at; windows j + 1 .. i0 - 1 are all rejected at stage 0 when looked at.
    return (i0 - (j + 1)) % 2 == 0 ? i0 : i0 + 1;
}

}  // namespace

/// Whether some region holds a box of the level at row `y`.
static bool rowInRegions(const RegionLevel &l, const std::vector<cv::Rect> &regions, int y) {
    const int boxY = cvRound(y * l.scale);
    for (const cv::Rect &r : regions)
        if (boxY >= r.y && boxY + l.box.height <= r.y + r.height && r.width >= l.box.width) return true;
    return false;
}

bool regionRows(const RegionLevel &l, const std::vector<cv::Rect> &regions, int &first, int &last) {
    first = -1;
    for (int y = 0; y < l.lastRow; y += l.ystep)
        if (rowInRegions(l, regions, y)) {
            if (first < 0) first = y;
            last = y;
        }
    return first >= 0;
}

bool regionsHoldBox(const std::vector<cv::Rect> &regions, cv::Size box) {
    for (const cv::Rect &r : regions)
        if (r.width >= box.width && r.height >= box.height) return true;
    return false;
}

void scanLevelInRegions(const RegionLevel &l, const std::vector<cv::Rect> &regions, RowKernel kernel,
                        DeepQueue *queue, std::vector<int8_t> &verdict, std::vector<float> &norm,
                        std::vector<cv::Point> &found) {
    const size_t before = found.size();
    if (verdict.size() < size_t(l.count) + 64) {
        verdict.resize(size_t(l.count) + 64);
        norm.resize(size_t(l.count) + 64);
    }
    std::vector<std::pair<int, int>> segments;
    for (int y = 0; y < l.lastRow; y += l.ystep) {
        const int boxY = cvRound(y * l.scale);
        segments.clear();
        for (const cv::Rect &r : regions) {
            int first, last;
            if (boxY < r.y || boxY + l.box.height > r.y + r.height) continue;
            if (columnRange(l, r.x, r.x + r.width, first, last)) segments.push_back({first, last});
        }
        if (segments.empty()) continue;
        std::sort(segments.begin(), segments.end());
        const size_t row = size_t(y - l.firstRow) * l.stride;
        const int32_t *sum = l.sum + row, *squares = l.squares + row;
        size_t s = 0;
        while (s < segments.size()) {
            int first = segments[s].first, last = segments[s].second;
            // Merge the segments that overlap or touch this one.
            for (++s; s < segments.size() && segments[s].first <= last + 1; ++s) last = std::max(last, segments[s].second);
            const int start = first == 0 ? 0 : firstVisited(l, sum, squares, first);
            if (start > last) continue;
            const int count = last - start + 1;
            kernel(*l.cascade, sum + start * l.ystep, squares + start * l.ystep, l.ystep, count, verdict.data(),
                   norm.data(), queue, y, l.ystep, start * l.ystep);
            for (int i = 0; i < count; ++i)
                if (verdict[i] == kFound) found.push_back(cv::Point((start + i) * l.ystep, y));
        }
    }
    if (queue) {
        queue->flush();
        found.insert(found.end(), queue->found.begin(), queue->found.end());
        queue->found.clear();
    }
    std::sort(found.begin() + before, found.end(),
              [](const cv::Point &a, const cv::Point &b) { return a.y != b.y ? a.y < b.y : a.x < b.x; });
}

}  // namespace smile
