// haar_kernels.cpp - the row kernels: a scalar one that follows OpenCV's
// arithmetic operation for operation, and an AVX2 one that does the same
// operations for eight neighbouring windows at once (same float and double
// roundings, no fused multiply-adds: the shim is built with -ffp-contract=off),
// so both give OpenCV's verdicts bit for bit.
//
// The AVX2 kernel works in three passes over a row: stage 0 (and each
// window's variance normalisation) for every window, eight at a time from
// contiguous loads; OpenCV's skip rule; then the later stages for the windows
// still alive, eight neighbours at a time while at least two of them live. A
// window left alone goes to the DeepQueue, which copies the integral patches of
// eight such windows lane by lane and runs the rest of the cascade on them at
// full width (measured on a 640x360 video frame: about a quarter less time than
// finishing lone windows one by one).

#include "haar_kernels.hpp"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace smile {

void layOutCascade(const std::vector<HaarScanner::Feature> &features, const std::vector<HaarScanner::Stump> &stumps,
                   const std::vector<HaarScanner::Stage> &stages, IntegralLayout layout, bool reorder,
                   std::vector<ScanStump> &outStumps, std::vector<ScanStage> &outStages) {
    outStumps.clear();
    outStages.clear();
    auto place = [&](const HaarScanner::Stump &stump) {
        const HaarScanner::Feature &f = features[stump.feature];
        ScanStump s;
        std::memset(&s, 0, sizeof s);
        for (int r = 0; r < f.count; ++r) {
            s.ofs[r][0] = layout.offset(f.x[r], f.y[r]);
            s.ofs[r][1] = layout.offset(f.x[r] + f.w[r], f.y[r]);
            s.ofs[r][2] = layout.offset(f.x[r], f.y[r] + f.h[r]);
            s.ofs[r][3] = layout.offset(f.x[r] + f.w[r], f.y[r] + f.h[r]);
            s.weight[r] = f.weight[r];
        }
        s.threshold = stump.threshold;
        s.left = stump.left;
        s.right = stump.right;
        outStumps.push_back(s);
    };
    auto isTwoRect = [&](const HaarScanner::Stump &stump) { return features[stump.feature].weight[2] == 0.0f; };
    for (const HaarScanner::Stage &stage : stages) {
        ScanStage out{int(outStumps.size()), 0, stage.count, stage.threshold, 1.f, 0.f};
        if (reorder) {
            // Float sums of n terms err by at most (n - 1) * 2^-24 * sum of |terms| (Higham's
            // bound); the margin doubles it and widens by the threshold's own float rounding.
            double magnitude = 0;
            for (int i = 0; i < stage.count; ++i)
                magnitude += std::max(std::fabs(stumps[stage.first + i].left), std::fabs(stumps[stage.first + i].right));
            double margin = 2.0 * stage.count * std::ldexp(magnitude, -24) + std::ldexp(std::fabs(stage.threshold) + 1, -20);
            out.low = float(stage.threshold - margin);
            out.high = float(stage.threshold + margin);
        }
        if (reorder) {
            for (int i = 0; i < stage.count; ++i)
                if (isTwoRect(stumps[stage.first + i])) place(stumps[stage.first + i]), ++out.twoRect;
            for (int i = 0; i < stage.count; ++i)
                if (!isTwoRect(stumps[stage.first + i])) place(stumps[stage.first + i]);
        } else {
            for (int i = 0; i < stage.count; ++i) place(stumps[stage.first + i]);
        }
        outStages.push_back(out);
    }
}

namespace {

// ---- scalar: OpenCV's HaarEvaluator::setWindow and predictOrderedStump ----

/// A rectangle's sum from four integral-image corners (wrapping like OpenCV's int arithmetic).
inline int32_t rectSum(const int32_t *p, const int *o) {
    return int32_t(uint32_t(p[o[0]]) - uint32_t(p[o[1]]) - uint32_t(p[o[2]]) + uint32_t(p[o[3]]));
}

/// The window's variance normalisation factor; `kept` false for windows OpenCV skips as flat.
inline float windowNorm(const ScanCascade &c, const int32_t *p, const int32_t *q, bool &kept) {
    int windowSum = rectSum(p, c.nofs);
    unsigned windowSquares = unsigned(rectSum(q, c.nofs));
    double nf = c.area * windowSquares - double(windowSum) * windowSum;
    if (nf > 0.) {
        float factor = float(1. / std::sqrt(nf));
        kept = c.area * factor < 1e-1;
        return factor;
    }
    kept = false;
    return 1.f;
}

/// A stump's feature value for one window, as OpenCV computes it (adding the third rectangle
/// always: for a two-rectangle feature it adds 0 * 0, which changes no bit that matters).
inline float featureValue(const ScanStump &s, const int32_t *p, float factor) {
    float ret = s.weight[0] * float(rectSum(p, s.ofs[0])) + s.weight[1] * float(rectSum(p, s.ofs[1]));
    ret += s.weight[2] * float(rectSum(p, s.ofs[2]));
    return ret * factor;
}

/// Stages [first, end) for one window: 1 passed them all, -k rejected at stage k.
int stagesUpTo(const ScanCascade &c, const int32_t *p, float factor, int first, int end) {
    for (int k = first; k < end; ++k) {
        const ScanStage &stage = c.stages[k];
        double sum = 0;
        for (const ScanStump *s = c.stumps + stage.first, *end = s + stage.count; s != end; ++s) {
            double value = featureValue(*s, p, factor);
            sum += value < s->threshold ? s->left : s->right;
        }
        if (sum < stage.threshold) return -k;
    }
    return kFound;
}

/// Stages from `first` on for one window: 1 found, -k rejected at stage k.
inline int stagesFrom(const ScanCascade &c, const int32_t *p, float factor, int first) {
    return stagesUpTo(c, p, factor, first, c.stageCount);
}

// ---- AVX2: eight windows at x, x + step, ..., x + 7 * step ----

/// The even 32-bit elements of a then b: [a0 a2 a4 a6 b0 b2 b4 b6].
__attribute__((target("avx2"))) inline __m256i evens(__m256i a, __m256i b) {
    __m256 s = _mm256_shuffle_ps(_mm256_castsi256_ps(a), _mm256_castsi256_ps(b), _MM_SHUFFLE(2, 0, 2, 0));
    return _mm256_permute4x64_epi64(_mm256_castps_si256(s), _MM_SHUFFLE(3, 1, 2, 0));
}

/// The integral-image values at `p + j * Step` for j = 0..7.
template <int Step>
__attribute__((target("avx2"))) inline __m256i load8(const int32_t *p) {
    if (Step == 1) return _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
    return evens(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p)),
                 _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p + 8)));
}

template <int Step>
__attribute__((target("avx2"))) inline __m256i rectSum8(const int32_t *p, const int *o) {
    __m256i s = _mm256_sub_epi32(load8<Step>(p + o[0]), load8<Step>(p + o[1]));
    return _mm256_add_epi32(_mm256_sub_epi32(s, load8<Step>(p + o[2])), load8<Step>(p + o[3]));
}

/// Four int32 lanes read as unsigned, converted exactly to double.
__attribute__((target("avx2"))) inline __m256d unsignedToDouble(__m128i v) {
    __m256d d = _mm256_cvtepi32_pd(v);
    __m256d negative = _mm256_cvtepi32_pd(_mm_srai_epi32(v, 31));  // -1.0 where the sign bit is set
    return _mm256_sub_pd(d, _mm256_mul_pd(negative, _mm256_set1_pd(4294967296.0)));
}

/// windowNorm for four windows: the factors, and a bit per window kept.
__attribute__((target("avx2"))) inline __m128 norm4(__m128i sum, __m128i squares, double area, int &keptBits) {
    __m256d s = _mm256_cvtepi32_pd(sum);
    __m256d q = unsignedToDouble(squares);
    __m256d nf = _mm256_sub_pd(_mm256_mul_pd(_mm256_set1_pd(area), q), _mm256_mul_pd(s, s));
    __m256d positive = _mm256_cmp_pd(nf, _mm256_setzero_pd(), _CMP_GT_OQ);
    __m128 factor = _mm256_cvtpd_ps(_mm256_div_pd(_mm256_set1_pd(1.0), _mm256_sqrt_pd(nf)));
    __m256d scaled = _mm256_mul_pd(_mm256_set1_pd(area), _mm256_cvtps_pd(factor));
    keptBits = _mm256_movemask_pd(_mm256_and_pd(positive, _mm256_cmp_pd(scaled, _mm256_set1_pd(1e-1), _CMP_LT_OQ)));
    return factor;
}

/// The feature values of stump `s` for eight windows (`Rects` of its rectangles).
template <int Step, int Rects>
__attribute__((target("avx2"))) inline __m256 featureValue8(const ScanStump &s, const int32_t *p, __m256 factor) {
    __m256 ret = _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(s.weight[0]), _mm256_cvtepi32_ps(rectSum8<Step>(p, s.ofs[0]))),
                               _mm256_mul_ps(_mm256_set1_ps(s.weight[1]), _mm256_cvtepi32_ps(rectSum8<Step>(p, s.ofs[1]))));
    if (Rects == 3)
        ret = _mm256_add_ps(ret, _mm256_mul_ps(_mm256_set1_ps(s.weight[2]), _mm256_cvtepi32_ps(rectSum8<Step>(p, s.ofs[2]))));
    return _mm256_mul_ps(ret, factor);
}

/// Adds stump `s`'s leaf for eight windows to the two double accumulators.
template <int Step, int Rects>
__attribute__((target("avx2"))) inline void addLeaves8(const ScanStump &s, const int32_t *p, __m256 factor,
                                                       __m256d &totalLo, __m256d &totalHi) {
    const __m256 value = featureValue8<Step, Rects>(s, p, factor);  // (not inside the macro: its comma)
    __m256 below = _mm256_cmp_ps(value, _mm256_set1_ps(s.threshold), _CMP_LT_OQ);
    __m256 leaf = _mm256_blendv_ps(_mm256_set1_ps(s.right), _mm256_set1_ps(s.left), below);
    totalLo = _mm256_add_pd(totalLo, _mm256_cvtps_pd(_mm256_castps256_ps128(leaf)));
    totalHi = _mm256_add_pd(totalHi, _mm256_cvtps_pd(_mm256_extractf128_ps(leaf, 1)));
}

/// A bit per window that stage `k` rejects, adding leaves in double (OpenCV's arithmetic).
template <int Step>
__attribute__((target("avx2"))) int stageRejectsExact(const ScanCascade &c, int k, const int32_t *p, __m256 factor) {
    const ScanStage &stage = c.stages[k];
    const ScanStump *s = c.stumps + stage.first;
    const ScanStump *twoEnd = s + stage.twoRect, *end = s + stage.count;
    __m256d totalLo = _mm256_setzero_pd(), totalHi = _mm256_setzero_pd();
    for (; s != twoEnd; ++s) addLeaves8<Step, 2>(*s, p, factor, totalLo, totalHi);
    for (; s != end; ++s) addLeaves8<Step, 3>(*s, p, factor, totalLo, totalHi);
    const __m256d threshold = _mm256_set1_pd(stage.threshold);
    return _mm256_movemask_pd(_mm256_cmp_pd(totalLo, threshold, _CMP_LT_OQ)) |
           (_mm256_movemask_pd(_mm256_cmp_pd(totalHi, threshold, _CMP_LT_OQ)) << 4);
}

/// Stump `s`'s leaf for eight windows.
template <int Step, int Rects>
__attribute__((target("avx2"))) inline __m256 leaf8(const ScanStump &s, const int32_t *p, __m256 factor) {
    const __m256 value = featureValue8<Step, Rects>(s, p, factor);
    __m256 below = _mm256_cmp_ps(value, _mm256_set1_ps(s.threshold), _CMP_LT_OQ);
    return _mm256_blendv_ps(_mm256_set1_ps(s.right), _mm256_set1_ps(s.left), below);
}

/// A bit per window (of those in `relevant`) that stage `k` rejects: leaves added in float (two
/// running sums), the double sum redone only when a relevant window's float sum falls within
/// the stage's margin of its threshold (rare: sums usually land far from it).
template <int Step>
__attribute__((target("avx2"))) inline int stageRejects(const ScanCascade &c, int k, const int32_t *p, __m256 factor,
                                                        int relevant) {
    const ScanStage &stage = c.stages[k];
    if (!(stage.low <= stage.high)) return stageRejectsExact<Step>(c, k, p, factor);
    const ScanStump *s = c.stumps + stage.first;
    const ScanStump *twoEnd = s + stage.twoRect, *end = s + stage.count;
    __m256 even = _mm256_setzero_ps(), odd = _mm256_setzero_ps();
    for (; s + 1 < twoEnd; s += 2) {
        even = _mm256_add_ps(even, leaf8<Step, 2>(s[0], p, factor));
        odd = _mm256_add_ps(odd, leaf8<Step, 2>(s[1], p, factor));
    }
    if (s != twoEnd) even = _mm256_add_ps(even, leaf8<Step, 2>(*s++, p, factor));
    for (; s + 1 < end; s += 2) {
        even = _mm256_add_ps(even, leaf8<Step, 3>(s[0], p, factor));
        odd = _mm256_add_ps(odd, leaf8<Step, 3>(s[1], p, factor));
    }
    if (s != end) even = _mm256_add_ps(even, leaf8<Step, 3>(*s, p, factor));
    const __m256 total = _mm256_add_ps(even, odd);
    const int below = _mm256_movemask_ps(_mm256_cmp_ps(total, _mm256_set1_ps(stage.low), _CMP_LT_OQ));
    const int above = _mm256_movemask_ps(_mm256_cmp_ps(total, _mm256_set1_ps(stage.high), _CMP_GT_OQ));
    if ((~(below | above) & relevant) != 0) return stageRejectsExact<Step>(c, k, p, factor);
    return below;
}

/// Windows left alive fewer than this in a block of eight go to the deep queue (or, without one,
/// on one by one): vector work on mostly dead lanes costs more.
constexpr int kMinVectorLanes = 2;

/// Stages from 1 on for the windows of `alive` (a bit per window) in a block of eight.
template <int Step>
__attribute__((target("avx2"))) void laterStages8(const ScanCascade &c, const int32_t *p, const float *norm, int alive,
                                                  int8_t *verdict, DeepQueue *queue, int y, int x0, int pixelStep) {
    const __m256 factor = _mm256_loadu_ps(norm);
    int k = 1;
    for (; k < c.stageCount && alive != 0 && __builtin_popcount(alive) >= kMinVectorLanes; ++k) {
        int rejected = stageRejects<Step>(c, k, p, factor, alive) & alive;
        for (int bits = rejected; bits != 0; bits &= bits - 1) verdict[__builtin_ctz(bits)] = int8_t(-k);
        alive &= ~rejected;
    }
    for (int bits = alive; bits != 0; bits &= bits - 1) {
        int j = __builtin_ctz(bits);
        if (queue && k < c.stageCount) {
            queue->push(x0 + j * pixelStep, y, norm[j], k);
            verdict[j] = kQueued;
        } else {
            verdict[j] = int8_t(stagesFrom(c, p + j * Step, norm[j], k));
        }
    }
}

/// Transposes eight rows of eight ints: out[d] holds element d of every row, row l in lane l.
__attribute__((target("avx2"))) inline void transpose8(__m256i r[8]) {
    __m256i t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_epi32(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_epi32(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_unpacklo_epi64(t[i], t[i + 2]);
        u[i + 1] = _mm256_unpackhi_epi64(t[i], t[i + 2]);
        u[i + 2] = _mm256_unpacklo_epi64(t[i + 1], t[i + 3]);
        u[i + 3] = _mm256_unpackhi_epi64(t[i + 1], t[i + 3]);
    }
    for (int d = 0; d < 4; ++d) {
        r[d] = _mm256_permute2x128_si256(u[d], u[d + 4], 0x20);
        r[d + 4] = _mm256_permute2x128_si256(u[d], u[d + 4], 0x31);
    }
}

template <int Step>
__attribute__((target("avx2"))) void rowAvx2(const ScanCascade &c, const int32_t *sum, const int32_t *squares,
                                             int count, int8_t *verdict, float *norm, DeepQueue *queue, int y,
                                             int pixelStep, int x0) {
    // Stage 0 and the normalisation for every window.
    for (int i = 0; i < count; i += 8) {
        const int32_t *p = sum + i * Step;
        __m256i windowSum = rectSum8<Step>(p, c.nofs);
        __m256i windowSquares = rectSum8<Step>(squares + i * Step, c.nofs);
        int keptLo, keptHi;
        __m128 lo = norm4(_mm256_castsi256_si128(windowSum), _mm256_castsi256_si128(windowSquares), c.area, keptLo);
        __m128 hi =
            norm4(_mm256_extracti128_si256(windowSum, 1), _mm256_extracti128_si256(windowSquares, 1), c.area, keptHi);
        __m256 factor = _mm256_set_m128(hi, lo);
        _mm256_storeu_ps(norm + i, factor);
        int kept = keptLo | (keptHi << 4);
        int rejected = stageRejects<Step>(c, 0, p, factor, kept);
        for (int j = 0; j < 8; ++j)
            verdict[i + j] = (kept >> j & 1) == 0 ? kFlat : (rejected >> j & 1) ? kRejectedAtStage0 : kFound;
    }
    // OpenCV does not look at the window after one that stage 0 rejected.
    for (int i = 0; i < count; ++i)
        if (verdict[i] == kRejectedAtStage0 && i + 1 < count) verdict[++i] = kSkipped;
    // The later stages for the windows still alive.
    for (int i = 0; i < count; i += 8) {
        int alive = 0;
        for (int j = 0; j < 8 && i + j < count; ++j)
            if (verdict[i + j] == kFound) alive |= 1 << j;
        if (alive != 0)
            laterStages8<Step>(c, sum + i * Step, norm + i, alive, verdict + i, queue, y, x0 + i * pixelStep,
                               pixelStep);
    }
}

void rowVector(const ScanCascade &c, const int32_t *sum, const int32_t *squares, int step, int count, int8_t *verdict,
               float *norm, DeepQueue *queue, int y, int pixelStep, int x0) {
    if (step == 1)
        rowAvx2<1>(c, sum, squares, count, verdict, norm, queue, y, pixelStep, x0);
    else if (step == 2)
        rowAvx2<2>(c, sum, squares, count, verdict, norm, queue, y, pixelStep, x0);
    else
        rowScalar(c, sum, squares, step, count, verdict, norm, queue, y, pixelStep, x0);
}

}  // namespace

void rowScalar(const ScanCascade &c, const int32_t *sum, const int32_t *squares, int step, int count, int8_t *verdict,
               float *norm, DeepQueue *queue, int y, int pixelStep, int x0) {
    (void)norm, (void)queue, (void)y, (void)pixelStep, (void)x0;
    for (int i = 0; i < count; ++i) verdict[i] = kSkipped;
    for (int i = 0; i < count; ++i) {
        const int32_t *p = sum + i * step;
        bool kept;
        float factor = windowNorm(c, p, squares + i * step, kept);
        verdict[i] = int8_t(kept ? stagesFrom(c, p, factor, 0) : kFlat);
        if (verdict[i] == kRejectedAtStage0) ++i;  // OpenCV skips the next window
    }
}

int8_t stageZeroVerdict(const ScanCascade &c, const int32_t *sum, const int32_t *squares) {
    bool kept;
    float factor = windowNorm(c, sum, squares, kept);
    if (!kept) return kFlat;
    return int8_t(stagesUpTo(c, sum, factor, 0, 1));  // 0 (rejected at stage 0) or kFound
}

DeepQueue::DeepQueue() : patch_(32 * IntegralLayout::kPatchColumns * 8 + 8) {}

void DeepQueue::begin(const ScanCascade *patchCascade, cv::Size window, const int32_t *plainSum, int plainStride,
                      int firstRow) {
    firstRow_ = firstRow;
    cascade_ = patchCascade;
    rows_ = window.height + 1;
    columns_ = window.width + 1;
    sum_ = plainSum;
    stride_ = plainStride;
    waiting_.resize(size_t(cascade_->stageCount) * 8);
    waitingCount_.assign(size_t(cascade_->stageCount), 0);
    found.clear();
    if (size_t(rows_) * IntegralLayout::kPatchColumns * 8 + 8 > patch_.size())
        patch_.resize(size_t(rows_) * IntegralLayout::kPatchColumns * 8 + 8);
}

void DeepQueue::push(int x, int y, float norm, int stage) {
    Lane *bucket = waiting_.data() + size_t(stage) * 8;
    int &count = waitingCount_[size_t(stage)];
    bucket[count] = Lane{x, y, norm, stage};
    if (++count == 8) {
        run(bucket, 8);
        count = 0;
    }
}

void DeepQueue::flush() {
    // What waits, lowest stage first, eight at a time.
    Lane group[8];
    int size = 0;
    for (size_t k = 0; k < waitingCount_.size(); ++k) {
        for (int i = 0; i < waitingCount_[k]; ++i) {
            group[size++] = waiting_[k * 8 + size_t(i)];
            if (size == 8) run(group, size), size = 0;
        }
        waitingCount_[k] = 0;
    }
    if (size > 0) run(group, size);
}

__attribute__((target("avx2"))) void DeepQueue::run(const Lane *lanes, int count) {
    Lane lane[8];
    for (int l = 0; l < 8; ++l) lane[l] = lanes[l < count ? l : 0];
    // 32-byte aligned start inside the buffer.
    int32_t *patch = reinterpret_cast<int32_t *>((reinterpret_cast<uintptr_t>(patch_.data()) + 31) & ~uintptr_t(31));
    const int32_t *window[8];
    for (int l = 0; l < 8; ++l) window[l] = sum_ + size_t(lane[l].y - firstRow_) * stride_ + lane[l].x;
    // Copy each window's patch, lane by lane: eight columns at a time through a transpose.
    for (int dy = 0; dy < rows_; ++dy) {
        int32_t *row = patch + dy * IntegralLayout::kPatchColumns * 8;
        int dx = 0;
        for (; dx + 8 <= columns_; dx += 8) {
            __m256i r[8];
            for (int l = 0; l < 8; ++l)
                r[l] = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(window[l] + dy * stride_ + dx));
            transpose8(r);
            for (int d = 0; d < 8; ++d) _mm256_store_si256(reinterpret_cast<__m256i *>(row + (dx + d) * 8), r[d]);
        }
        for (; dx < columns_; ++dx)
            for (int l = 0; l < 8; ++l) row[dx * 8 + l] = window[l][dy * stride_ + dx];
    }
    // The rest of the cascade: lanes re-running a stage they passed pass it again (same values).
    float norms[8];
    int first = lane[0].stage;
    for (int l = 0; l < 8; ++l) norms[l] = lane[l].norm, first = std::min(first, lane[l].stage);
    const __m256 factor = _mm256_loadu_ps(norms);
    int alive = (1 << count) - 1;
    for (int k = first; k < cascade_->stageCount && alive != 0; ++k) alive &= ~stageRejects<1>(*cascade_, k, patch, factor, alive);
    for (int bits = alive; bits != 0; bits &= bits - 1) found.push_back(cv::Point(lane[__builtin_ctz(bits)].x, lane[__builtin_ctz(bits)].y));
}

RowKernel rowKernel() {
    static const RowKernel kernel = __builtin_cpu_supports("avx2") ? rowVector : rowScalar;
    return kernel;
}

}  // namespace smile
