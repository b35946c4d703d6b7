// haar_kernels.cpp - the row kernels: a scalar one that follows OpenCV's
// arithmetic operation for operation, and an AVX2 one that does the same
// operations for eight neighbouring windows at once (same float and double
// roundings, no fused multiply-adds: the shim is built with -ffp-contract=off),
// so both give OpenCV's verdicts bit for bit.
//
// The AVX2 kernel walks a row two blocks of eight neighbouring windows at a
// time: stage 0 (and each window's variance normalisation) from contiguous
// loads, OpenCV's skip rule, then the later stages for the windows still alive
// while the blocks' integral values are in the L1 cache, both blocks together
// (each stump's offsets and constants loaded once) while each has at least two
// windows alive, then each on its own. A window left alone goes to the
// DeepQueue, which copies the integral patches of eight such windows lane by
// lane and runs the rest of the cascade on them at full width (measured on a
// 640x360 video frame: about a quarter less time than finishing lone windows
// one by one). Features of the frontal cascades' shapes are integer sums of
// their distinct corners (see FeatureShape).

#include "haar_kernels.hpp"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace smile {

namespace {

/// The FeatureShape of feature `f`, its corners laid out in `out`; -1 when it has none (weights
/// not integers, sums that may reach 2^24, or other corner coefficients).
int shapeOf(const HaarScanner::Feature &f, IntegralLayout layout, ShapeStump &out) {
    double largest = 0;
    for (int r = 0; r < f.count; ++r) {
        if (f.weight[r] != std::nearbyint(f.weight[r])) return -1;
        largest += std::fabs(f.weight[r]) * 255.0 * f.w[r] * f.h[r];
    }
    if (largest >= 16777216.0) return -1;
    // Each distinct corner's net coefficient.
    struct Corner { int x, y, coefficient; };
    std::vector<Corner> corners;
    auto add = [&](int x, int y, int coefficient) {
        for (Corner &c : corners)
            if (c.x == x && c.y == y) return void(c.coefficient += coefficient);
        corners.push_back({x, y, coefficient});
    };
    for (int r = 0; r < f.count; ++r) {
        const int w = int(f.weight[r]);
        add(f.x[r], f.y[r], w);
        add(f.x[r] + f.w[r], f.y[r], -w);
        add(f.x[r], f.y[r] + f.h[r], -w);
        add(f.x[r] + f.w[r], f.y[r] + f.h[r], w);
    }
    corners.erase(std::remove_if(corners.begin(), corners.end(), [](const Corner &c) { return c.coefficient == 0; }),
                  corners.end());
    // Fills the slots with the corners of the coefficients listed (each `n` times), in that order.
    auto fill = [&](std::initializer_list<std::pair<int, int>> wanted) {
        size_t total = 0;
        int slot = 0;
        for (auto [coefficient, n] : wanted) {
            total += size_t(n);
            int found = 0;
            for (const Corner &c : corners)
                if (c.coefficient == coefficient) {
                    if (found++ < n) out.corner[slot++] = layout.offset(c.x, c.y);
                }
            if (found != n) return false;
        }
        return total == corners.size();
    };
    std::memset(&out, 0, sizeof out);
    if (fill({{1, 2}, {-1, 2}, {2, 1}, {-2, 1}})) return kHalves;
    if (fill({{1, 2}, {-1, 2}, {3, 2}, {-3, 2}})) return kThirds;
    if (fill({{1, 4}, {-2, 4}, {4, 1}})) return kQuartersPlus;
    if (fill({{-1, 4}, {2, 4}, {-4, 1}})) return kQuartersMinus;
    return -1;
}

}  // namespace

void layOutCascade(const std::vector<HaarScanner::Feature> &features, const std::vector<HaarScanner::Stump> &stumps,
                   const std::vector<HaarScanner::Stage> &stages, IntegralLayout layout, bool reorder,
                   std::vector<ScanStump> &outStumps, std::vector<ShapeStump> &outShapes,
                   std::vector<ScanStage> &outStages) {
    outStumps.clear();
    outShapes.clear();
    outStages.clear();
    auto place = [&](const HaarScanner::Stump &stump, const ShapeStump &shape) {
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
        ShapeStump corners = shape;
        corners.threshold = stump.threshold;
        corners.left = stump.left;
        corners.right = stump.right;
        outShapes.push_back(corners);
    };
    // Each stump's shape (-1: none; kShapeCount + 0/1: a plain two- or three-rectangle stump).
    std::vector<int> kind(stumps.size());
    std::vector<ShapeStump> shape(stumps.size());
    for (size_t i = 0; i < stumps.size(); ++i) {
        const HaarScanner::Feature &f = features[stumps[i].feature];
        int k = shapeOf(f, layout, shape[i]);
        kind[i] = k >= 0 ? k : f.weight[2] == 0.0f ? kShapeCount : kShapeCount + 1;
    }
    for (const HaarScanner::Stage &stage : stages) {
        ScanStage out{int(outStumps.size()), 0, stage.count, {}, stage.threshold, 1.f, 0.f};
        if (reorder) {
            // Float sums of n terms err by at most (n - 1) * 2^-24 * sum of |terms| (Higham's
            // bound); the margin doubles it and widens by the threshold's own float rounding.
            double magnitude = 0;
            for (int i = 0; i < stage.count; ++i)
                magnitude += std::max(std::fabs(stumps[stage.first + i].left), std::fabs(stumps[stage.first + i].right));
            double margin = 2.0 * stage.count * std::ldexp(magnitude, -24) + std::ldexp(std::fabs(stage.threshold) + 1, -20);
            out.low = float(stage.threshold - margin);
            out.high = float(stage.threshold + margin);
            // Shapes in FeatureShape order, then plain two-rectangle stumps, then three-rectangle ones.
            for (int k = 0; k <= kShapeCount + 1; ++k)
                for (int i = stage.first; i < stage.first + stage.count; ++i) {
                    if (kind[size_t(i)] != k) continue;
                    place(stumps[size_t(i)], shape[size_t(i)]);
                    if (k < kShapeCount) ++out.shaped[k];
                    if (k == kShapeCount) ++out.twoRect;
                }
        } else {
            for (int i = 0; i < stage.count; ++i) place(stumps[stage.first + i], ShapeStump{});
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

/// A shaped stump's feature value for eight windows, before normalisation: the integer sum of
/// its corners (see FeatureShape), converted to float (exactly: it stays below 2^24).
template <int Step, int Shape>
__attribute__((target("avx2"))) inline __m256 shapeSum8(const ShapeStump &s, const int32_t *p) {
    // (Macros, not lambdas: a lambda would not inherit the AVX2 target.)
#define corner(j) load8<Step>(p + s.corner[j])
#define pairSum(a, b) _mm256_add_epi32(corner(a), corner(b))
    __m256i v;
    if (Shape == kHalves || Shape == kThirds) {
        __m256i unit = _mm256_sub_epi32(pairSum(0, 1), pairSum(2, 3));
        __m256i part = Shape == kHalves ? _mm256_sub_epi32(corner(4), corner(5)) : _mm256_sub_epi32(pairSum(4, 5), pairSum(6, 7));
        __m256i weighted = _mm256_slli_epi32(part, 1);
        if (Shape == kThirds) weighted = _mm256_add_epi32(weighted, part);
        v = _mm256_add_epi32(unit, weighted);
    } else {
        __m256i unit = _mm256_add_epi32(pairSum(0, 1), pairSum(2, 3));
        __m256i twice = _mm256_slli_epi32(_mm256_add_epi32(pairSum(4, 5), pairSum(6, 7)), 1);
        __m256i four = _mm256_slli_epi32(corner(8), 2);
        v = Shape == kQuartersPlus ? _mm256_add_epi32(_mm256_sub_epi32(unit, twice), four)
                                   : _mm256_sub_epi32(_mm256_sub_epi32(twice, unit), four);
    }
#undef corner
#undef pairSum
    return _mm256_cvtepi32_ps(v);
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

/// Plain stump `s`'s leaf for eight windows (`Rects` of its rectangles).
template <int Step, int Rects>
__attribute__((target("avx2"))) inline __m256 leaf8(const ScanStump &s, const int32_t *p, __m256 factor) {
    const __m256 value = featureValue8<Step, Rects>(s, p, factor);
    __m256 below = _mm256_cmp_ps(value, _mm256_set1_ps(s.threshold), _CMP_LT_OQ);
    return _mm256_blendv_ps(_mm256_set1_ps(s.right), _mm256_set1_ps(s.left), below);
}

/// Shaped stump `s`'s leaf for eight windows (`Shape` a FeatureShape).
template <int Step, int Shape>
__attribute__((target("avx2"))) inline __m256 leaf8(const ShapeStump &s, const int32_t *p, __m256 factor) {
    const __m256 value = _mm256_mul_ps(shapeSum8<Step, Shape>(s, p), factor);
    __m256 below = _mm256_cmp_ps(value, _mm256_set1_ps(s.threshold), _CMP_LT_OQ);
    return _mm256_blendv_ps(_mm256_set1_ps(s.right), _mm256_set1_ps(s.left), below);
}

/// Adds the leaves of `count` stumps from `s` (shaped, or plain of `Kind` rectangles) for eight
/// windows to the two double accumulators.
template <int Step, int Kind, class Stump>
__attribute__((target("avx2"))) inline void addLeaves(const Stump *s, int count, const int32_t *p, __m256 factor,
                                                      __m256d &totalLo, __m256d &totalHi) {
    for (const Stump *end = s + count; s != end; ++s) {
        const __m256 leaf = leaf8<Step, Kind>(*s, p, factor);
        totalLo = _mm256_add_pd(totalLo, _mm256_cvtps_pd(_mm256_castps256_ps128(leaf)));
        totalHi = _mm256_add_pd(totalHi, _mm256_cvtps_pd(_mm256_extractf128_ps(leaf, 1)));
    }
}

/// Adds the leaves of `count` stumps from `s` (as addLeaves) to float accumulators for N blocks
/// of eight windows (block n at p + 8 n Step): one block alternates two sums, several keep one each.
template <int Step, int Kind, int N, class Stump>
__attribute__((target("avx2"))) inline void sumLeaves(const Stump *s, int count, const int32_t *p,
                                                      const __m256 *factor, __m256 *even, __m256 *odd) {
    const Stump *end = s + count;
    if (N == 1) {
        for (; s + 1 < end; s += 2) {
            even[0] = _mm256_add_ps(even[0], leaf8<Step, Kind>(s[0], p, factor[0]));
            odd[0] = _mm256_add_ps(odd[0], leaf8<Step, Kind>(s[1], p, factor[0]));
        }
    }
    for (; s != end; ++s)
        for (int n = 0; n < N; ++n) even[n] = _mm256_add_ps(even[n], leaf8<Step, Kind>(*s, p + 8 * n * Step, factor[n]));
}

/// A bit per window that stage `k` rejects, adding leaves in double (OpenCV's arithmetic).
template <int Step>
__attribute__((target("avx2"))) int stageRejectsExact(const ScanCascade &c, int k, const int32_t *p, __m256 factor) {
    const ScanStage &stage = c.stages[k];
    __m256d totalLo = _mm256_setzero_pd(), totalHi = _mm256_setzero_pd();
    const ShapeStump *shaped = c.shapes + stage.first;
    addLeaves<Step, kHalves>(shaped, stage.shaped[kHalves], p, factor, totalLo, totalHi);
    shaped += stage.shaped[kHalves];
    addLeaves<Step, kThirds>(shaped, stage.shaped[kThirds], p, factor, totalLo, totalHi);
    shaped += stage.shaped[kThirds];
    addLeaves<Step, kQuartersPlus>(shaped, stage.shaped[kQuartersPlus], p, factor, totalLo, totalHi);
    shaped += stage.shaped[kQuartersPlus];
    addLeaves<Step, kQuartersMinus>(shaped, stage.shaped[kQuartersMinus], p, factor, totalLo, totalHi);
    shaped += stage.shaped[kQuartersMinus];
    const ScanStump *s = c.stumps + (shaped - c.shapes);
    const int rest = stage.first + stage.count - int(s - c.stumps);
    addLeaves<Step, 2>(s, stage.twoRect, p, factor, totalLo, totalHi);
    addLeaves<Step, 3>(s + stage.twoRect, rest - stage.twoRect, p, factor, totalLo, totalHi);
    const __m256d threshold = _mm256_set1_pd(stage.threshold);
    return _mm256_movemask_pd(_mm256_cmp_pd(totalLo, threshold, _CMP_LT_OQ)) |
           (_mm256_movemask_pd(_mm256_cmp_pd(totalHi, threshold, _CMP_LT_OQ)) << 4);
}

/// For N blocks of eight windows (block n at p + 8 n Step), a bit per window (of those in
/// `relevant[n]`) that stage `k` rejects, in `rejected[n]`: leaves added in float, the double
/// sum redone only for a block where a relevant window's float sum falls within the stage's
/// margin of its threshold (rare: sums usually land far from it). Several blocks share each
/// stump's offsets and constants, loaded once.
template <int Step, int N>
__attribute__((target("avx2"))) inline void stageRejectsN(const ScanCascade &c, int k, const int32_t *p,
                                                          const __m256 *factor, const int *relevant, int *rejected) {
    const ScanStage &stage = c.stages[k];
    if (!(stage.low <= stage.high)) {
        for (int n = 0; n < N; ++n) rejected[n] = stageRejectsExact<Step>(c, k, p + 8 * n * Step, factor[n]);
        return;
    }
    __m256 even[N], odd[N];
    for (int n = 0; n < N; ++n) even[n] = odd[n] = _mm256_setzero_ps();
    const ShapeStump *shaped = c.shapes + stage.first;
    sumLeaves<Step, kHalves, N>(shaped, stage.shaped[kHalves], p, factor, even, odd);
    shaped += stage.shaped[kHalves];
    sumLeaves<Step, kThirds, N>(shaped, stage.shaped[kThirds], p, factor, even, odd);
    shaped += stage.shaped[kThirds];
    sumLeaves<Step, kQuartersPlus, N>(shaped, stage.shaped[kQuartersPlus], p, factor, even, odd);
    shaped += stage.shaped[kQuartersPlus];
    sumLeaves<Step, kQuartersMinus, N>(shaped, stage.shaped[kQuartersMinus], p, factor, even, odd);
    shaped += stage.shaped[kQuartersMinus];
    const ScanStump *s = c.stumps + (shaped - c.shapes);
    const int rest = stage.first + stage.count - int(s - c.stumps);
    sumLeaves<Step, 2, N>(s, stage.twoRect, p, factor, even, odd);
    sumLeaves<Step, 3, N>(s + stage.twoRect, rest - stage.twoRect, p, factor, even, odd);
    for (int n = 0; n < N; ++n) {
        const __m256 total = _mm256_add_ps(even[n], odd[n]);
        const int below = _mm256_movemask_ps(_mm256_cmp_ps(total, _mm256_set1_ps(stage.low), _CMP_LT_OQ));
        const int above = _mm256_movemask_ps(_mm256_cmp_ps(total, _mm256_set1_ps(stage.high), _CMP_GT_OQ));
        rejected[n] = (~(below | above) & relevant[n]) != 0 ? stageRejectsExact<Step>(c, k, p + 8 * n * Step, factor[n])
                                                            : below;
    }
}

/// A bit per window of one block of eight (of those in `relevant`) that stage `k` rejects.
template <int Step>
__attribute__((target("avx2"))) inline int stageRejects(const ScanCascade &c, int k, const int32_t *p, __m256 factor,
                                                        int relevant) {
    int rejected;
    stageRejectsN<Step, 1>(c, k, p, &factor, &relevant, &rejected);
    return rejected;
}

/// Windows left alive fewer than this in a block of eight go to the deep queue (or, without one,
/// on one by one): vector work on mostly dead lanes costs more.
constexpr int kMinVectorLanes = 2;

/// Stages from `k` on for the windows of `alive` (a bit per window) in a block of eight.
template <int Step>
__attribute__((target("avx2"))) void laterStages8(const ScanCascade &c, const int32_t *p, const float *norm, int alive,
                                                  int8_t *verdict, DeepQueue *queue, int y, int x0, int pixelStep,
                                                  int k = 1) {
    const __m256 factor = _mm256_loadu_ps(norm);
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

/// Stages from 1 on for two neighbouring blocks of eight (`alive` bits each): together while
/// both have enough windows alive, then each on its own.
template <int Step>
__attribute__((target("avx2"))) void laterStages16(const ScanCascade &c, const int32_t *p, const float *norm,
                                                   int aliveA, int aliveB, int8_t *verdict, DeepQueue *queue, int y,
                                                   int x0, int pixelStep) {
    const __m256 factor[2] = {_mm256_loadu_ps(norm), _mm256_loadu_ps(norm + 8)};
    int alive[2] = {aliveA, aliveB};
    int k = 1;
    for (; k < c.stageCount && __builtin_popcount(alive[0]) >= kMinVectorLanes &&
           __builtin_popcount(alive[1]) >= kMinVectorLanes;
         ++k) {
        int rejected[2];
        stageRejectsN<Step, 2>(c, k, p, factor, alive, rejected);
        for (int n = 0; n < 2; ++n) {
            rejected[n] &= alive[n];
            for (int bits = rejected[n]; bits != 0; bits &= bits - 1) verdict[8 * n + __builtin_ctz(bits)] = int8_t(-k);
            alive[n] &= ~rejected[n];
        }
    }
    for (int n = 0; n < 2; ++n)
        if (alive[n] != 0)
            laterStages8<Step>(c, p + 8 * n * Step, norm + 8 * n, alive[n], verdict + 8 * n, queue, y,
                               x0 + 8 * n * pixelStep, pixelStep, k);
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

/// Stage 0's normalisation factors for a block of eight windows, and a bit per window kept (not flat).
template <int Step>
__attribute__((target("avx2"))) inline __m256 blockNorm(const ScanCascade &c, const int32_t *p, const int32_t *q,
                                                        int &kept) {
    __m256i windowSum = rectSum8<Step>(p, c.nofs);
    __m256i windowSquares = rectSum8<Step>(q, c.nofs);
    int keptLo, keptHi;
    __m128 lo = norm4(_mm256_castsi256_si128(windowSum), _mm256_castsi256_si128(windowSquares), c.area, keptLo);
    __m128 hi = norm4(_mm256_extracti128_si256(windowSum, 1), _mm256_extracti128_si256(windowSquares, 1), c.area, keptHi);
    kept = keptLo | (keptHi << 4);
    return _mm256_set_m128(hi, lo);
}

/// Verdicts after stage 0 for `n` windows (up to eight), OpenCV's skip rule applied: it does not
/// look at the window after one that stage 0 rejected (`skipNext` carries that across blocks).
/// Returns a bit per window alive.
inline int stageZeroVerdicts(int kept, int rejected, int n, int8_t *verdict, bool &skipNext) {
    int alive = 0;
    for (int j = 0; j < n; ++j) {
        if (skipNext) {
            verdict[j] = kSkipped;
            skipNext = false;
        } else if ((kept >> j & 1) == 0) {
            verdict[j] = kFlat;
        } else if (rejected >> j & 1) {
            verdict[j] = kRejectedAtStage0;
            skipNext = true;
        } else {
            verdict[j] = kFound;
            alive |= 1 << j;
        }
    }
    return alive;
}

template <int Step>
__attribute__((target("avx2"))) void rowAvx2(const ScanCascade &c, const int32_t *sum, const int32_t *squares,
                                             int count, int8_t *verdict, float *norm, DeepQueue *queue, int y,
                                             int pixelStep, int x0) {
    // Two blocks of eight at a time, while their integral values are still in the L1 cache: stage 0
    // and the normalisation, OpenCV's skip rule, then the later stages for the windows alive.
    bool skipNext = false;
    int i = 0;
    for (; i + 8 < count; i += 16) {
        const int32_t *p = sum + i * Step;
        int kept[2], rejected[2];
        const __m256 factor[2] = {blockNorm<Step>(c, p, squares + i * Step, kept[0]),
                                  blockNorm<Step>(c, p + 8 * Step, squares + (i + 8) * Step, kept[1])};
        _mm256_storeu_ps(norm + i, factor[0]);
        _mm256_storeu_ps(norm + i + 8, factor[1]);
        stageRejectsN<Step, 2>(c, 0, p, factor, kept, rejected);
        const int aliveA = stageZeroVerdicts(kept[0], rejected[0], 8, verdict + i, skipNext);
        const int aliveB = stageZeroVerdicts(kept[1], rejected[1], std::min(8, count - i - 8), verdict + i + 8, skipNext);
        if (aliveA != 0 && aliveB != 0)
            laterStages16<Step>(c, p, norm + i, aliveA, aliveB, verdict + i, queue, y, x0 + i * pixelStep, pixelStep);
        else if (aliveA != 0)
            laterStages8<Step>(c, p, norm + i, aliveA, verdict + i, queue, y, x0 + i * pixelStep, pixelStep);
        else if (aliveB != 0)
            laterStages8<Step>(c, p + 8 * Step, norm + i + 8, aliveB, verdict + i + 8, queue, y,
                               x0 + (i + 8) * pixelStep, pixelStep);
    }
    if (i < count) {
        const int32_t *p = sum + i * Step;
        int kept;
        const __m256 factor = blockNorm<Step>(c, p, squares + i * Step, kept);
        _mm256_storeu_ps(norm + i, factor);
        const int alive = stageZeroVerdicts(kept, stageRejects<Step>(c, 0, p, factor, kept), count - i, verdict + i, skipNext);
        if (alive != 0) laterStages8<Step>(c, p, norm + i, alive, verdict + i, queue, y, x0 + i * pixelStep, pixelStep);
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
