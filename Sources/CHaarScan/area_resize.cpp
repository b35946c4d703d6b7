// area_resize.cpp - see area_resize.hpp.

#include "area_resize.hpp"
#include "exact_resize.hpp"

#include <immintrin.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <vector>

namespace smile {

namespace {

/// One weighted source pixel of an output pixel (OpenCV's DecimateAlpha, one channel).
struct Tap {
    int source, target;
    float weight;
};

/// OpenCV's computeResizeAreaTab for one channel: the taps of every output pixel along one
/// axis, in OpenCV's order (outputs ascending, each output's sources ascending).
std::vector<Tap> areaTaps(int sourceSize, int targetSize, double scale) {
    std::vector<Tap> taps;
    for (int d = 0; d < targetSize; ++d) {
        const double f1 = d * scale, f2 = f1 + scale;
        const double cellWidth = std::min(scale, sourceSize - f1);
        int s1 = cvCeil(f1), s2 = cvFloor(f2);
        s2 = std::min(s2, sourceSize - 1);
        s1 = std::min(s1, s2);
        if (s1 - f1 > 1e-3) taps.push_back({s1 - 1, d, float((s1 - f1) / cellWidth)});
        for (int s = s1; s < s2; ++s) taps.push_back({s, d, float(1.0 / cellWidth)});
        if (f2 - s2 > 1e-3) taps.push_back({s2, d, float(std::min(std::min(f2 - s2, 1.), cellWidth) / cellWidth)});
    }
    return taps;
}

/// The horizontal taps by output column: `count` taps each (zero weights pad the shorter lists),
/// tap t of column x at [t * columns + x], so eight neighbouring columns read one vector.
struct ColumnTaps {
    int columns = 0, count = 0;
    std::vector<int32_t> source;
    std::vector<float> weight;
};

ColumnTaps columnTaps(const std::vector<Tap> &taps, int columns) {
    std::vector<int> perColumn(size_t(columns), 0);
    for (const Tap &t : taps) ++perColumn[size_t(t.target)];
    ColumnTaps c;
    c.columns = columns;
    c.count = *std::max_element(perColumn.begin(), perColumn.end());
    // Padding reads the column's first source (any pixel would do) with weight 0.
    c.source.assign(size_t(c.count) * size_t(columns) + 8, 0);
    c.weight.assign(size_t(c.count) * size_t(columns) + 8, 0.f);
    std::fill(perColumn.begin(), perColumn.end(), 0);
    for (const Tap &t : taps) {
        const size_t slot = size_t(perColumn[size_t(t.target)]++) * size_t(columns) + size_t(t.target);
        c.source[slot] = t.source;
        c.weight[slot] = t.weight;
    }
    for (int x = 0; x < columns; ++x)
        for (int t = perColumn[size_t(x)]; t < c.count; ++t) c.source[size_t(t) * size_t(columns) + size_t(x)] = c.source[size_t(x)];
    return c;
}

/// One source row (as floats) weighted into every output column, each column's taps added in
/// OpenCV's order: ((0 + p0 w0) + p1 w1) + ... (a zero-weight pad adds +0, which changes nothing).
void horizontalScalar(const ColumnTaps &c, const float *row, float *out) {
    for (int x = 0; x < c.columns; ++x) {
        float sum = 0.f;
        for (int t = 0; t < c.count; ++t) {
            const size_t slot = size_t(t) * size_t(c.columns) + size_t(x);
            sum += row[c.source[slot]] * c.weight[slot];
        }
        out[x] = sum;
    }
}

/// The same eight columns at a time; `bytes` is the source row with three readable bytes after
/// its end (each gather reads four bytes at a pixel and keeps the first).
__attribute__((target("avx2"))) void horizontalAvx2(const ColumnTaps &c, const uint8_t *bytes, float *out) {
    const __m256i lowByte = _mm256_set1_epi32(0xFF);
    int x = 0;
    for (; x + 8 <= c.columns; x += 8) {
        __m256 sum = _mm256_setzero_ps();
        for (int t = 0; t < c.count; ++t) {
            const size_t slot = size_t(t) * size_t(c.columns) + size_t(x);
            const __m256i index = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(c.source.data() + slot));
            const __m256i word = _mm256_i32gather_epi32(reinterpret_cast<const int *>(bytes), index, 1);
            const __m256 pixel = _mm256_cvtepi32_ps(_mm256_and_si256(word, lowByte));
            // A product, then a sum, each rounded: never fused (OpenCV's loop is not).
            sum = _mm256_add_ps(sum, _mm256_mul_ps(pixel, _mm256_loadu_ps(c.weight.data() + slot)));
        }
        _mm256_storeu_ps(out + x, sum);
    }
    for (; x < c.columns; ++x) {
        float sum = 0.f;
        for (int t = 0; t < c.count; ++t) {
            const size_t slot = size_t(t) * size_t(c.columns) + size_t(x);
            sum += float(bytes[c.source[slot]]) * c.weight[slot];
        }
        out[x] = sum;
    }
}

/// sum[x] = beta * row[x] (`start`) or sum[x] += beta * row[x], rounded as OpenCV's loop rounds.
__attribute__((target("avx2"))) void accumulateAvx2(float *sum, const float *row, float beta, int n, bool start) {
    const __m256 b = _mm256_set1_ps(beta);
    int x = 0;
    for (; x + 8 <= n; x += 8) {
        const __m256 term = _mm256_mul_ps(b, _mm256_loadu_ps(row + x));
        _mm256_storeu_ps(sum + x, start ? term : _mm256_add_ps(_mm256_loadu_ps(sum + x), term));
    }
    for (; x < n; ++x) sum[x] = start ? beta * row[x] : sum[x] + beta * row[x];
}

/// The same, with AVX2 when `vectorised`.
void accumulate(float *sum, const float *row, float beta, int n, bool start, bool vectorised) {
    if (vectorised) return accumulateAvx2(sum, row, beta, n, start);
    for (int x = 0; x < n; ++x) sum[x] = start ? beta * row[x] : sum[x] + beta * row[x];
}

/// An output row: saturate_cast<uchar>(sum), i.e. rounded half to even, clamped to 0..255.
void store(const float *sum, uint8_t *out, int n) {
    for (int x = 0; x < n; ++x) out[x] = cv::saturate_cast<uint8_t>(sum[x]);
}

}  // namespace

bool resizeAreaExact(const cv::Mat &src, cv::Mat &dst, bool vectorised) {
    if (src.type() != CV_8UC1 || dst.type() != CV_8UC1 || src.empty() || dst.empty()) return false;
    const int sw = src.cols, sh = src.rows, dw = dst.cols, dh = dst.rows;
    if (dw > sw || dh > sh || (dw == sw && dh == sh)) return false;
    // As cv::resize computes its scales, and its test for the integer-ratio path.
    const double scaleX = 1. / (double(dw) / sw), scaleY = 1. / (double(dh) / sh);
    const int wholeX = cv::saturate_cast<int>(scaleX), wholeY = cv::saturate_cast<int>(scaleY);
    if (std::abs(scaleX - wholeX) < DBL_EPSILON && std::abs(scaleY - wholeY) < DBL_EPSILON) return false;

    vectorised = vectorised && linearExactHasAvx2();
    const ColumnTaps columns = columnTaps(areaTaps(sw, dw, scaleX), dw);
    const std::vector<Tap> rows = areaTaps(sh, dh, scaleY);
    std::vector<float> source(static_cast<size_t>(sw)), weighted(static_cast<size_t>(dw)), sum(static_cast<size_t>(dw), 0.f);
    std::vector<uint8_t> bytes(static_cast<size_t>(sw) + 4);
    int previousTarget = rows.front().target, weightedRow = -1;
    for (const Tap &r : rows) {
        // A source row shared by two output rows is weighted once (OpenCV weights it twice, alike).
        if (r.source != weightedRow) {
            const uint8_t *pixels = src.ptr<uint8_t>(r.source);
            if (vectorised) {
                // Copied where the gathers may read past the row's end.
                std::memcpy(bytes.data(), pixels, size_t(sw));
                horizontalAvx2(columns, bytes.data(), weighted.data());
            } else {
                for (int x = 0; x < sw; ++x) source[size_t(x)] = pixels[x];
                horizontalScalar(columns, source.data(), weighted.data());
            }
            weightedRow = r.source;
        }
        const bool next = r.target != previousTarget;
        if (next) {
            store(sum.data(), dst.ptr<uint8_t>(previousTarget), dw);
            previousTarget = r.target;
        }
        accumulate(sum.data(), weighted.data(), r.weight, dw, next, vectorised);
    }
    store(sum.data(), dst.ptr<uint8_t>(previousTarget), dw);
    return true;
}

}  // namespace smile
