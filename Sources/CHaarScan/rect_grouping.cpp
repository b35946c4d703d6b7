// rect_grouping.cpp - see rect_grouping.hpp.
#include "rect_grouping.hpp"

#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <numeric>

namespace smile {

namespace {

/// Union-find over window indices, with path halving.
struct DisjointSets {
    std::vector<int> parent;
    explicit DisjointSets(size_t count) : parent(count) { std::iota(parent.begin(), parent.end(), 0); }
    int root(int i) {
        while (parent[size_t(i)] != i) {
            parent[size_t(i)] = parent[size_t(parent[size_t(i)])];
            i = parent[size_t(i)];
        }
        return i;
    }
    void join(int a, int b) {
        a = root(a);
        b = root(b);
        if (a != b) parent[size_t(std::max(a, b))] = std::min(a, b);
    }
};

}  // namespace

int partitionSimilarRects(const std::vector<cv::Rect> &rects, double eps, std::vector<int> &labels) {
    const size_t n = rects.size();
    const int count = int(n);
    std::vector<int> byX(n);
    std::iota(byX.begin(), byX.end(), 0);
    std::sort(byX.begin(), byX.end(), [&](int a, int b) {
        return rects[size_t(a)].x != rects[size_t(b)].x ? rects[size_t(a)].x < rects[size_t(b)].x : a < b;
    });
    const cv::SimilarRects similar(eps);
    DisjointSets sets(n);
    for (int p = 0; p < count; ++p) {
        const cv::Rect &r = rects[size_t(byX[size_t(p)])];
        // SimilarRects' tolerance with any other window is at most this (its minima are at most r's sides).
        const double reach = eps * (r.width + r.height) * 0.5;
        for (int q = p + 1; q < count && rects[size_t(byX[size_t(q)])].x - r.x <= reach; ++q)
            if (similar(r, rects[size_t(byX[size_t(q)])])) sets.join(byX[size_t(p)], byX[size_t(q)]);
    }
    // Numbered by first window, as cv::partition numbers its classes.
    labels.assign(n, -1);
    std::vector<int> classOfRoot(n, -1);
    int classes = 0;
    for (int i = 0; i < count; ++i) {
        int &label = classOfRoot[size_t(sets.root(i))];
        if (label < 0) label = classes++;
        labels[size_t(i)] = label;
    }
    return classes;
}

void averageClusters(const std::vector<cv::Rect> &rects, double eps, std::vector<cv::Rect> &averages,
                     std::vector<int> &counts) {
    std::vector<int> labels;
    const size_t classes = size_t(partitionSimilarRects(rects, eps, labels));
    std::vector<cv::Rect> sums(classes, cv::Rect(0, 0, 0, 0));
    counts.assign(classes, 0);
    for (size_t i = 0; i < rects.size(); ++i) {
        cv::Rect &sum = sums[size_t(labels[i])];
        sum.x += rects[i].x;
        sum.y += rects[i].y;
        sum.width += rects[i].width;
        sum.height += rects[i].height;
        ++counts[size_t(labels[i])];
    }
    averages.resize(classes);
    for (size_t c = 0; c < classes; ++c) {
        const float s = 1.f / float(counts[c]);  // groupRectangles' float average, rounded
        const cv::Rect &sum = sums[c];
        averages[c] = cv::Rect(cv::saturate_cast<int>(sum.x * s), cv::saturate_cast<int>(sum.y * s),
                               cv::saturate_cast<int>(sum.width * s), cv::saturate_cast<int>(sum.height * s));
    }
}

void groupSimilarRects(std::vector<cv::Rect> &rects, std::vector<int> &weights, int threshold, double eps) {
    if (threshold <= 0 || rects.empty()) {
        weights.assign(rects.size(), 1);
        return;
    }
    std::vector<cv::Rect> averages;
    std::vector<int> counts;
    averageClusters(rects, eps, averages, counts);
    std::vector<int> supported;  // clusters of more than `threshold` windows, the only ones kept or compared
    for (size_t c = 0; c < counts.size(); ++c)
        if (counts[c] > threshold) supported.push_back(int(c));
    rects.clear();
    weights.clear();
    for (const int i : supported) {
        const cv::Rect r1 = averages[size_t(i)];
        const int n1 = counts[size_t(i)];
        // Dropped when inside (with a margin of eps) another supported box of more windows.
        const bool inside = std::any_of(supported.begin(), supported.end(), [&](int j) {
            if (j == i) return false;
            const cv::Rect r2 = averages[size_t(j)];
            const int n2 = counts[size_t(j)];
            const int dx = cv::saturate_cast<int>(r2.width * eps), dy = cv::saturate_cast<int>(r2.height * eps);
            return r1.x >= r2.x - dx && r1.y >= r2.y - dy && r1.x + r1.width <= r2.x + r2.width + dx &&
                   r1.y + r1.height <= r2.y + r2.height + dy && (n2 > std::max(3, n1) || n1 < 3);
        });
        if (inside) continue;
        rects.push_back(r1);
        weights.push_back(n1);
    }
}

}  // namespace smile
