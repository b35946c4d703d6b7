// rect_grouping.hpp - OpenCV 4.6's clustering of raw detection windows (cv::partition with
// cv::SimilarRects, and cv::groupRectangles on top of it), with the same results, without
// comparing every window with every other.
//
// cv::partition tests all N^2 pairs of windows; a crowded photo has thousands of raw windows,
// and that took 2-3% of its detection here. Two windows can only be similar when their left
// edges lie within eps * (w + h) / 2 of each other (the predicate's own tolerance is at most
// that), so with the windows sorted by x each is tested only against those that close. The
// clusters (connected components of the similarity graph) do not depend on the order pairs are
// joined in, and they are numbered as cv::partition numbers them: by their first window.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

namespace smile {

/// The labels and count cv::partition(rects, labels, cv::SimilarRects(eps)) gives.
int partitionSimilarRects(const std::vector<cv::Rect> &rects, double eps, std::vector<int> &labels);

/// Every cluster of `rects` (cv::partition with cv::SimilarRects(eps)), a single window included,
/// as the average of its windows rounded as cv::groupRectangles rounds, with its window count.
void averageClusters(const std::vector<cv::Rect> &rects, double eps, std::vector<cv::Rect> &averages,
                     std::vector<int> &counts);

/// What cv::groupRectangles(rects, weights, threshold, eps) makes of `rects` and `weights`:
/// the average of each cluster of more than `threshold` windows (rounded as OpenCV rounds), less
/// those inside a larger, better supported one, with its window count in `weights`.
void groupSimilarRects(std::vector<cv::Rect> &rects, std::vector<int> &weights, int threshold, double eps);

}  // namespace smile
