// Bit-exact re-implementation of OpenCV 4.6's INTER_LINEAR_EXACT resize for
// 8-bit single-channel images (see exact_resize.hpp).
//
// What OpenCV computes (modules/imgproc/src/resize.cpp, resize_bitExact with
// interpolationLinear<uchar>, fixed-point types from fixedpoint.inl.hpp):
//
//   * per axis, inv_scale = dst/src (double) and scale = 1/inv_scale; for
//     each output index v: f = scale*(v+0.5) - 0.5 (IEEE double, no FMA),
//     i = floor(f), weight c1 = round_half_even((f - i) * 256) (the
//     softdouble -> ufixedpoint16 conversion uses cvRound(softdouble), which
//     rounds half to even), c0 = 256 - c1. c1 can be 256 (then c0 = 0).
//     Indices with i < 0 use the first source pixel, indices with
//     i >= src-1 the last one.
//   * horizontal pass per source row: H = c0*p[i] + c1*p[i+1] (exact,
//     8 fractional bits, <= 65280; edge columns: p << 8);
//   * vertical pass: out = (cy0*H[i] + cy1*H[i+1] + 2^15) >> 16 (exact
//     32-bit sum, 16 fractional bits, round half up); edge rows use
//     (H + 128) >> 8, which is the same value as weights (256, 0).
//
// Since every intermediate is an exact integer, the result is
//   out = (sum over the 2x2 neighbourhood of cy*cx*p + 2^15) >> 16,
// independent of the order of the two passes. This implementation therefore
// blends vertically first (V = cy0*p0 + cy1*p1, exact in 16 bits) and then
// horizontally, once per *output* row (OpenCV runs the horizontal pass once
// per *source* row):
//   * line mode (downscale up to about 2x): V for the contiguous source
//     columns the requested output columns need, then per 8 output columns
//     two 16-byte loads + vpshufb + vpmaddwd;
//   * direct mode (larger downscales): per 8 output columns, the pixel pairs
//     are fetched from the two source rows with 16-byte loads + vpshufb, so
//     the unused source columns are never touched.
// Edge columns/rows are encoded as ordinary entries with weights (256, 0) at
// index 0 or (0, 256) at index src-2, which give the same bits.

#include "exact_resize.hpp"

#include <immintrin.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

namespace smile {

namespace {

// Kernels compiled for AVX2 only (the rest of the file stays baseline x86-64);
// they run only after the run-time check in g_hasAvx2.
#define AVX2_FN __attribute__((target("avx2")))
#define AVX2_INLINE __attribute__((target("avx2"), always_inline)) inline

/// One output index of one axis: left source index and weights (c0, c1).
struct AxisEntry {
    int ofs;
    int c0, c1;
};

/// Rounds a non-negative double to the nearest integer, ties to even (cvRound(softdouble)).
int roundHalfEven(double t) {
    double r = std::floor(t);
    double d = t - r;
    long ri = (long)r;
    if (d > 0.5 || (d == 0.5 && (ri & 1)))
        ++ri;
    return (int)ri;
}

/// Offsets and weights of one axis, as OpenCV's interpolationLinear::getCoeffs plus min/max handling.
///
/// The arithmetic follows getCoeffs: the softdouble operations there are
/// correctly rounded IEEE double operations, which plain double arithmetic
/// reproduces as long as scale*(v+0.5) - 0.5 is not fused into an FMA
/// (build with -ffp-contract=off; the volatile below also prevents it under
/// any flags, e.g. clang's -ffp-contract=fast, which ignores pragmas).
std::vector<AxisEntry> axisTable(int srcSize, int dstSize) {
    const double invScale = (double)dstSize / (double)srcSize; // cv::resize with dsize given
    const double scale = 1.0 / invScale;                       // softdouble::one() / softdouble(inv_scale)
    std::vector<AxisEntry> t(dstSize, AxisEntry{0, 256, 0});
    int minOfs = 0, maxOfs = dstSize; // OpenCV's minofst / maxofst
    for (int v = 0; v < dstSize; ++v) {
        volatile double product = scale * ((double)v + 0.5); // v + 0.5 is exact
        const double f = product - 0.5;
        const double fl = std::floor(f);
        const int i = (int)fl;
        if (i >= 0 && srcSize > 1) {
            if (i < srcSize - 1) {
                // ufixedpoint16(softdouble): negative -> 0 (cannot happen), else cvRound(x * 256).
                const int c1 = roundHalfEven((f - fl) * 256.0);
                t[v] = AxisEntry{i, 256 - c1, c1};
            } else {
                maxOfs = std::min(maxOfs, v);
            }
        } else {
            minOfs = std::max(minOfs, v + 1);
        }
    }
    // OpenCV: indices below min use source pixel 0 (as a value p << 8), indices
    // from max on use the last source pixel. Encode both as ordinary entries.
    for (int v = 0; v < dstSize; ++v) {
        if (v < minOfs)
            t[v] = AxisEntry{0, 256, 0};
        else if (v >= maxOfs)
            t[v] = srcSize >= 2 ? AxisEntry{srcSize - 2, 0, 256} : AxisEntry{0, 256, 0};
    }
    return t;
}

/// Whether the CPU (and OS) support AVX2; __builtin_cpu_init makes this safe during static initialisation.
bool cpuHasAvx2() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

const bool g_hasAvx2 = cpuHasAvx2();

/// Rows [r0, r1) x columns [c0, c1) with portable code (same arithmetic as the AVX2 kernel).
///
/// All weight pairs of real rows/columns satisfy c0 + c1 == 256, so
/// c0*a + c1*b == 256*a + c1*(b - a) exactly; that form needs one multiply.
void resizePortable(const LinearExactPlan &p, const uint8_t *src, size_t srcStride, uint8_t *dst, size_t dstStride,
                    int r0, int r1, int c0, int c1, uint16_t *line) {
    const int32_t *xofs = p.xofs.data();
    const int16_t *xc = p.xcoef.data();
    const int jb = xofs[c0];
    const int je = std::min(p.srcWidth, xofs[c1 - 1] + 2);
    for (int y = r0; y < r1; ++y) {
        const int cy1 = p.ycoef[2 * y + 1];
        const uint8_t *s0 = src + (size_t)p.yofs[y] * srcStride;
        const uint8_t *s1 = cy1 ? s0 + srcStride : s0; // never read past the image (srcHeight == 1)
        uint8_t *d = dst + (size_t)y * dstStride;
        if (p.direct) {
            // Large downscale: blend only the source pixels each output column uses.
            for (int x = c0; x < c1; ++x) {
                const int o = xofs[x];
                const int v0 = (s0[o] << 8) + cy1 * (s1[o] - s0[o]);
                const int v1 = (s0[o + 1] << 8) + cy1 * (s1[o + 1] - s0[o + 1]);
                const int sum = (v0 << 8) + xc[2 * x + 1] * (v1 - v0); // == c0*v0 + c1*v1 >= 0
                d[x] = (uint8_t)((sum + 32768) >> 16);
            }
            continue;
        }
        // Vertical pass: V = cy0*p0 + cy1*p1 (exact, <= 65280).
        for (int j = jb; j < je; ++j)
            line[j] = (uint16_t)((s0[j] << 8) + cy1 * (s1[j] - s0[j]));
        // Horizontal pass and OpenCV's final rounding: (sum + 2^15) >> 16.
        for (int x = c0; x < c1; ++x) {
            const int o = xofs[x];
            const int v0 = line[o], v1 = line[o + 1];
            const int sum = (v0 << 8) + xc[2 * x + 1] * (v1 - v0);
            d[x] = (uint8_t)((sum + 32768) >> 16);
        }
    }
}

/// 16 columns of the AVX2 vertical pass: line[j..j+15] = (k0*s0 + k1*s1) ^ 0x8000.
AVX2_INLINE void verticalStep(const uint8_t *s0, const uint8_t *s1, __m256i k0, __m256i k1, uint16_t *line, int j) {
    const __m256i a = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(s0 + j)));
    const __m256i b = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(s1 + j)));
    const __m256i v = _mm256_add_epi16(_mm256_mullo_epi16(a, k0), _mm256_mullo_epi16(b, k1));
    _mm256_storeu_si256((__m256i *)(line + j), _mm256_xor_si256(v, _mm256_set1_epi16((short)0x8000)));
}

/// Vertical pass of one row with AVX2: line[j] = (cy0*s0[j] + cy1*s1[j]) ^ 0x8000 for j in [jb, je).
///
/// The xor stores V - 32768 as a signed 16-bit value, so the horizontal pass
/// can use the signed vpmaddwd (the same bias trick as OpenCV's SIMD vlineResize).
AVX2_FN void verticalAvx2(const uint8_t *s0, const uint8_t *s1, unsigned cy0, unsigned cy1, int jb, int je,
                          uint16_t *line) {
    const __m256i k0 = _mm256_set1_epi16((short)cy0);
    const __m256i k1 = _mm256_set1_epi16((short)cy1);
    if (je - jb < 16) {
        for (int j = jb; j < je; ++j)
            line[j] = (uint16_t)((cy0 * s0[j] + cy1 * s1[j]) ^ 0x8000u);
        return;
    }
    int j = jb;
    for (; j + 32 <= je; j += 32) {
        verticalStep(s0, s1, k0, k1, line, j);
        verticalStep(s0, s1, k0, k1, line, j + 16);
    }
    for (; j + 16 <= je; j += 16)
        verticalStep(s0, s1, k0, k1, line, j);
    if (j < je)
        verticalStep(s0, s1, k0, k1, line, je - 16); // overlapping last vector; never reads past column je-1
}

/// Raw pointers to the plan's column tables, kept in registers by the AVX2 loops.
///
/// (Reading them through the vectors would reload the pointers after every
/// byte store, since uint8_t stores may alias anything.)
struct ColumnTables {
    const int32_t *xofs;
    const int16_t *xcoef;
    const uint8_t *xmask, *xfits;
    const int32_t *gofs;
    const uint8_t *gmask, *gloads;
};

/// Adds 2^23 (the bias of the signed multiply-add) and OpenCV's rounding constant 2^15, then >> 16.
AVX2_INLINE __m256i finishSum(__m256i sum) {
    return _mm256_srli_epi32(_mm256_add_epi32(sum, _mm256_set1_epi32((1 << 23) + (1 << 15))), 16);
}

/// Horizontal pass of 8 output columns (group g) from the blended line; returns 8 int32 results in [0, 255].
///
/// `line` holds V - 32768 as int16. c0*(V0-32768) + c1*(V1-32768) = sum - 2^23
/// because c0 + c1 == 256, which finishSum() undoes.
template <bool AllFit>
AVX2_INLINE __m256i groupLine(const ColumnTables &t, const int16_t *line, int g) {
    const int x = 8 * g;
    __m256i v;
    if (AllFit || t.xfits[g]) {
        // Two 16-byte loads (one per lane) and a shuffle that builds the pairs (V[o], V[o+1]).
        const __m128i lo = _mm_loadu_si128((const __m128i *)(line + t.xofs[x]));
        const __m128i hi = _mm_loadu_si128((const __m128i *)(line + t.xofs[x + 4]));
        v = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        v = _mm256_shuffle_epi8(v, _mm256_loadu_si256((const __m256i *)(t.xmask + 32 * g)));
    } else {
        // Group spanning too many source columns: gather the 32-bit pair at line + o.
        const __m256i idx = _mm256_loadu_si256((const __m256i *)(t.xofs + x));
        v = _mm256_i32gather_epi32((const int *)line, idx, 2);
    }
    return finishSum(_mm256_madd_epi16(v, _mm256_loadu_si256((const __m256i *)(t.xcoef + 2 * x))));
}

/// Pixel pairs (p[o], p[o+1]) of the 8 columns of a group from one source row, as 16-bit values (direct mode).
///
/// NV vectors of two 16-byte loads each (one per lane), each shuffled so that
/// its columns land in their own 32-bit slots and zeros elsewhere, ORed together.
template <int NV>
AVX2_INLINE __m256i rowPairs(const uint8_t *s, const int32_t *ofs, const uint8_t *mask) {
    __m256i acc = _mm256_setzero_si256();
    for (int m = 0; m < NV; ++m) {
        const __m128i lo = _mm_loadu_si128((const __m128i *)(s + ofs[2 * m]));
        const __m128i hi = _mm_loadu_si128((const __m128i *)(s + ofs[2 * m + 1]));
        const __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        const __m256i sel = _mm256_shuffle_epi8(v, _mm256_loadu_si256((const __m256i *)(mask + 32 * m)));
        acc = m == 0 ? sel : _mm256_or_si256(acc, sel);
    }
    return acc;
}

/// 8 output columns (group g) straight from two source rows (direct mode); returns 8 int32 in [0, 255].
///
/// V = cy0*p0 + cy1*p1 per source column (exact in 16 bits), biased by
/// -32768, then the same signed multiply-add and rounding as groupLine.
template <int NV>
AVX2_INLINE __m256i groupDirect(const ColumnTables &t, const uint8_t *s0, const uint8_t *s1, __m256i k0, __m256i k1,
                                int g) {
    const int32_t *ofs = t.gofs + 8 * g;
    const uint8_t *mask = t.gmask + 128 * g;
    const __m256i a = rowPairs<NV>(s0, ofs, mask);
    const __m256i b = rowPairs<NV>(s1, ofs, mask);
    __m256i v = _mm256_add_epi16(_mm256_mullo_epi16(a, k0), _mm256_mullo_epi16(b, k1));
    v = _mm256_xor_si256(v, _mm256_set1_epi16((short)0x8000));
    return finishSum(_mm256_madd_epi16(v, _mm256_loadu_si256((const __m256i *)(t.xcoef + 16 * g))));
}

/// Dispatches groupDirect on the group's load count.
AVX2_INLINE __m256i groupDirectAny(const ColumnTables &t, const uint8_t *s0, const uint8_t *s1, __m256i k0,
                                   __m256i k1, int g) {
    switch (t.gloads[g]) {
    case 1:
        return groupDirect<1>(t, s0, s1, k0, k1, g);
    case 2:
        return groupDirect<2>(t, s0, s1, k0, k1, g);
    default:
        return groupDirect<4>(t, s0, s1, k0, k1, g);
    }
}

/// Packs two groups of results (16 columns starting at x) to bytes and stores the part inside [c0, c1).
AVX2_INLINE void storeGroups(uint8_t *d, int x, int c0, int c1, __m256i a, __m256i b) {
    __m256i q = _mm256_packus_epi32(a, b);                                  // a0-3 b0-3 | a4-7 b4-7 (u16)
    q = _mm256_packus_epi16(q, q);                                          // bytes, same order per lane
    q = _mm256_permutevar8x32_epi32(q, _mm256_setr_epi32(0, 4, 1, 5, 0, 0, 0, 0)); // a0-7 b0-7
    const __m128i out = _mm256_castsi256_si128(q);
    if (x >= c0 && x + 16 <= c1) {
        _mm_storeu_si128((__m128i *)(d + x), out);
    } else {
        alignas(16) uint8_t tmp[16];
        _mm_store_si128((__m128i *)tmp, out);
        const int from = std::max(x, c0), to = std::min(x + 16, c1);
        std::memcpy(d + from, tmp + (from - x), (size_t)(to - from));
    }
}

/// First source row and (when its weight is non-zero) second source row of output row y.
inline void sourceRows(const LinearExactPlan &p, const uint8_t *src, size_t srcStride, int y, const uint8_t *&s0,
                       const uint8_t *&s1) {
    s0 = src + (size_t)p.yofs[y] * srcStride;
    s1 = p.ycoef[2 * y + 1] ? s0 + srcStride : s0; // srcHeight == 1 has no second row
}

/// Line mode rows: vertical blend into a line, then groupLine (AllFit: no group needs a gather).
template <bool AllFit>
AVX2_FN void resizeLineAvx2(const LinearExactPlan &p, const ColumnTables t, const uint8_t *src, size_t srcStride,
                            uint8_t *dst, size_t dstStride, int r0, int r1, int c0, int c1, uint16_t *line) {
    const int gBegin = c0 >> 3;
    const int gLast = (c1 - 1) >> 3; // groups gBegin..gLast, computed in pairs (a spare group exists)
    // Source columns used by these groups:
    const int jb = t.xofs[8 * gBegin];
    const int je = std::min(p.srcWidth, t.xofs[8 * gLast + 7] + 2);
    // Two line buffers: the vertical pass of row y+1 runs before the horizontal
    // pass of row y, so that the latter's loads do not wait on fresh stores.
    uint16_t *cur = line, *next = line + p.srcWidth + 32;
    const uint8_t *s0, *s1;
    sourceRows(p, src, srcStride, r0, s0, s1);
    verticalAvx2(s0, s1, p.ycoef[2 * r0], p.ycoef[2 * r0 + 1], jb, je, cur);
    for (int y = r0; y < r1; ++y) {
        if (y + 1 < r1) {
            sourceRows(p, src, srcStride, y + 1, s0, s1);
            verticalAvx2(s0, s1, p.ycoef[2 * y + 2], p.ycoef[2 * y + 3], jb, je, next);
        }
        uint8_t *d = dst + (size_t)y * dstStride;
        const int16_t *l = (const int16_t *)cur;
        for (int g = gBegin; g <= gLast; g += 2)
            storeGroups(d, 8 * g, c0, c1, groupLine<AllFit>(t, l, g), groupLine<AllFit>(t, l, g + 1));
        std::swap(cur, next);
    }
}

/// Rows [r0, r1) x columns [c0, c1) with AVX2; `line` has room for two lines of srcWidth + 32.
AVX2_FN void resizeAvx2(const LinearExactPlan &p, const uint8_t *src, size_t srcStride, uint8_t *dst,
                        size_t dstStride, int r0, int r1, int c0, int c1, uint16_t *line) {
    const ColumnTables t{p.xofs.data(), p.xcoef.data(), p.xmask.data(), p.xfits.data(),
                         p.gofs.data(), p.gmask.data(), p.gloads.data()};
    if (!p.direct) {
        if (p.allFit)
            resizeLineAvx2<true>(p, t, src, srcStride, dst, dstStride, r0, r1, c0, c1, line);
        else
            resizeLineAvx2<false>(p, t, src, srcStride, dst, dstStride, r0, r1, c0, c1, line);
        return;
    }
    const int gBegin = c0 >> 3;
    const int gLast = (c1 - 1) >> 3;
    for (int y = r0; y < r1; ++y) {
        const uint8_t *s0, *s1;
        sourceRows(p, src, srcStride, y, s0, s1);
        const __m256i k0 = _mm256_set1_epi16((short)p.ycoef[2 * y]);
        const __m256i k1 = _mm256_set1_epi16((short)p.ycoef[2 * y + 1]);
        uint8_t *d = dst + (size_t)y * dstStride;
        for (int g = gBegin; g <= gLast; g += 2)
            storeGroups(d, 8 * g, c0, c1, groupDirectAny(t, s0, s1, k0, k1, g),
                        groupDirectAny(t, s0, s1, k0, k1, g + 1));
    }
}

#undef AVX2_FN
#undef AVX2_INLINE

} // namespace

bool linearExactHasAvx2() { return g_hasAvx2; }

bool planLinearExact(int srcWidth, int srcHeight, int dstWidth, int dstHeight, LinearExactPlan &plan) {
    if (srcWidth <= 0 || srcHeight <= 0 || dstWidth <= 0 || dstHeight <= 0)
        return false;
    if (srcWidth == dstWidth && srcHeight == dstHeight)
        return false; // cv::resize copies
    // hal::resize: INTER_LINEAR_EXACT becomes INTER_AREA when both scales are exactly 2
    // (same test as OpenCV: is_area_fast && iscale_x == 2 && iscale_y == 2).
    {
        const double scaleX = 1.0 / ((double)dstWidth / srcWidth);
        const double scaleY = 1.0 / ((double)dstHeight / srcHeight);
        const long iscaleX = std::lrint(scaleX), iscaleY = std::lrint(scaleY); // saturate_cast<int>(double)
        const bool isAreaFast = std::abs(scaleX - (double)iscaleX) < DBL_EPSILON &&
                                std::abs(scaleY - (double)iscaleY) < DBL_EPSILON;
        if (isAreaFast && iscaleX == 2 && iscaleY == 2)
            return false;
    }

    plan.srcWidth = srcWidth;
    plan.srcHeight = srcHeight;
    plan.dstWidth = dstWidth;
    plan.dstHeight = dstHeight;

    // Columns: padded to whole groups of 8 plus one spare group (the AVX2 loop
    // computes groups in pairs). Padding repeats the last offset with weights 0.
    const std::vector<AxisEntry> tx = axisTable(srcWidth, dstWidth);
    const int groups = (dstWidth + 7) / 8 + 1;
    const int xcount = 8 * groups;
    plan.xofs.assign(xcount, 0);
    plan.xcoef.assign(2 * xcount, 0);
    for (int x = 0; x < xcount; ++x) {
        const bool real = x < dstWidth;
        const AxisEntry &e = tx[real ? x : dstWidth - 1];
        plan.xofs[x] = e.ofs;
        plan.xcoef[2 * x] = (int16_t)(real ? e.c0 : 0);
        plan.xcoef[2 * x + 1] = (int16_t)(real ? e.c1 : 0);
    }
    plan.xmask.assign(32 * groups, 0);
    plan.xfits.assign(groups, 1);
    for (int g = 0; g < groups; ++g) {
        for (int lane = 0; lane < 2; ++lane) {
            const int base = plan.xofs[8 * g + 4 * lane];
            for (int k = 0; k < 4; ++k) {
                const int d = plan.xofs[8 * g + 4 * lane + k] - base; // pair starts at element d of the lane
                if (d < 0 || d > 6) {
                    plan.xfits[g] = 0;
                    continue;
                }
                for (int b = 0; b < 4; ++b)
                    plan.xmask[32 * g + 16 * lane + 4 * k + b] = (uint8_t)(2 * d + b);
            }
        }
    }

    // Direct mode: per group, the fewest 16-byte loads per lane (1, 2 or 4)
    // whose bytes contain all the pairs (p[o], p[o+1]) of the lane's columns.
    // A load serving columns x..x+k-1 starts at min(xofs[x], srcWidth - 16).
    // Line mode is faster while most groups fit its shuffle (downscale factor
    // up to about 2); direct mode avoids blending whole source rows beyond that.
    int fitting = 0;
    for (int g = 0; g < groups; ++g)
        fitting += plan.xfits[g];
    plan.direct = srcWidth >= 16 && 2 * fitting < groups;
    plan.allFit = fitting == groups;
    plan.gloads.assign(groups, 4);
    plan.gofs.assign(8 * groups, 0);
    plan.gmask.assign(128 * groups, 0x80);
    if (plan.direct) {
        for (int g = 0; g < groups; ++g) {
            for (int nv = 1; nv <= 4; nv *= 2) {
                const int k = 4 / nv; // columns per load
                bool ok = true;
                int32_t ofs[8];
                uint8_t mask[128];
                std::memset(mask, 0x80, sizeof mask);
                for (int m = 0; m < nv; ++m)
                    for (int lane = 0; lane < 2; ++lane) {
                        const int first = 8 * g + 4 * lane + m * k;
                        const int a = std::min(plan.xofs[first], srcWidth - 16);
                        ofs[2 * m + lane] = a;
                        for (int t = 0; t < k; ++t) {
                            const int d = plan.xofs[first + t] - a; // pair = bytes d, d+1 of the load
                            if (d < 0 || d + 1 > 15) {
                                ok = false;
                                continue;
                            }
                            uint8_t *mm = mask + 32 * m + 16 * lane + 4 * (m * k + t);
                            mm[0] = (uint8_t)d;
                            mm[2] = (uint8_t)(d + 1);
                        }
                    }
                if (ok || nv == 4) { // nv == 4 (one column per load) always fits
                    plan.gloads[g] = (uint8_t)nv;
                    std::memcpy(&plan.gofs[8 * g], ofs, sizeof(int32_t) * 2 * nv);
                    std::memcpy(&plan.gmask[128 * g], mask, sizeof mask);
                    break;
                }
            }
        }
    }

    const std::vector<AxisEntry> ty = axisTable(srcHeight, dstHeight);
    plan.yofs.resize(dstHeight);
    plan.ycoef.resize(2 * dstHeight);
    for (int y = 0; y < dstHeight; ++y) {
        plan.yofs[y] = ty[y].ofs;
        plan.ycoef[2 * y] = (uint16_t)ty[y].c0;
        plan.ycoef[2 * y + 1] = (uint16_t)ty[y].c1;
    }
    return true;
}

void resizeLinearExact(const LinearExactPlan &plan, const uint8_t *src, size_t srcStride, uint8_t *dst,
                       size_t dstStride, int rowBegin, int rowEnd, int colBegin, int colEnd, bool vectorised) {
    rowBegin = std::max(rowBegin, 0);
    colBegin = std::max(colBegin, 0);
    rowEnd = std::min(rowEnd, plan.dstHeight);
    colEnd = std::min(colEnd, plan.dstWidth);
    if (rowBegin >= rowEnd || colBegin >= colEnd)
        return;
    // Two lines of vertically blended values indexed by source column, with room
    // for the 16-byte lane loads and gathers that read a little past the end.
    static thread_local std::vector<uint16_t> scratch;
    const size_t need = 2 * ((size_t)plan.srcWidth + 32);
    if (scratch.size() < need)
        scratch.resize(need);
    if (vectorised && g_hasAvx2)
        resizeAvx2(plan, src, srcStride, dst, dstStride, rowBegin, rowEnd, colBegin, colEnd, scratch.data());
    else
        resizePortable(plan, src, srcStride, dst, dstStride, rowBegin, rowEnd, colBegin, colEnd, scratch.data());
}

} // namespace smile
