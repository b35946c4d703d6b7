#include "bfloat16_kernels.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
#endif

int smile_cpu_has_avx512_bf16(void) {
#if defined(__x86_64__)
    // __builtin_cpu_supports also checks that the OS saves the ZMM registers (XGETBV).
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bf16");
#else
    return 0;
#endif
}

uint16_t smile_bfloat16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40);  // a quiet NaN
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

int smile_bf16_conv3x3_applies(int inputs, int outputs, int width) {
    return inputs >= 2 && outputs > 0 && outputs % 4 == 0 && width >= 16;
}

/// Input channel pairs: channels 2p and 2p + 1 share a word.
static int pairCount(int inputs) { return (inputs + 1) / 2; }

/// Row stride of a padded pair plane: the width in whole vectors and one vector more, which holds the
/// one-pixel border on each side and lets the last vector of a row read two words past it.
static int paddedWidth(int width) { return (width + 15) / 16 * 16 + 16; }

size_t smile_bf16_conv3x3_packed_count(int outputs, int inputs) {
    return (size_t)outputs * (size_t)pairCount(inputs) * 9;
}

void smile_bf16_conv3x3_pack(const float *weight, int outputs, int inputs, uint32_t *packed) {
    const int pairs = pairCount(inputs);
    for (int group = 0; group < outputs / 4; ++group)
        for (int p = 0; p < pairs; ++p)
            for (int tap = 0; tap < 9; ++tap)
                for (int c = 0; c < 4; ++c) {
                    const float *w = weight + (size_t)(group * 4 + c) * inputs * 9 + tap;
                    const uint32_t low = smile_bfloat16(w[(size_t)(2 * p) * 9]);
                    const uint32_t high = 2 * p + 1 < inputs ? smile_bfloat16(w[(size_t)(2 * p + 1) * 9]) : 0;
                    packed[(((size_t)group * pairs + p) * 9 + tap) * 4 + c] = low | high << 16;
                }
}

size_t smile_bf16_conv3x3_scratch_count(int inputs, int height, int width) {
    return (size_t)pairCount(inputs) * (size_t)(height + 3) * (size_t)paddedWidth(width);
}

int smile_bf16_conv3x3_planes_applies(int inputs, int outputs, int height, int width) {
    return inputs >= 2 && outputs > 0 && outputs % 4 == 0 && width > 0 && width <= 16 && height > 0 &&
           height * width % 16 == 0;
}

size_t smile_bf16_conv3x3_planes_scratch_count(int images, int inputs, int height, int width) {
    const size_t positions = (size_t)images * height * width;
    // Pair planes of the input, then the unfolded columns (9 taps per pair).
    return (size_t)pairCount(inputs) * positions * 10;
}

#if defined(__x86_64__)

/// The first `count` lanes of a vector (all sixteen from 16 on).
static inline __mmask16 firstLanes(int count) { return (__mmask16)(count >= 16 ? 0xFFFF : (1u << count) - 1); }

/// Word j of a vector holds bfloat16 j of the low half of `halves` and bfloat16 j of its high half.
BF16_TARGET static inline __m512i interleaveHalves(__m512i halves) {
    static const uint16_t order[32] = {0, 16, 1, 17, 2,  18, 3,  19, 4,  20, 5,  21, 6,  22, 7,  23,
                                       8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31};
    return _mm512_permutexvar_epi16(_mm512_loadu_si512(order), halves);
}

/// Sixteen words, each the bfloat16s of `low[j]` (low half) and `high[j]` (high half; zero without
/// `high`); only the lanes of `lanes` are read, the others are zero.
BF16_TARGET static inline __m512i pairWords(const float *low, const float *high, __mmask16 lanes) {
    const __m512 l = lanes == 0xFFFF ? _mm512_loadu_ps(low) : _mm512_maskz_loadu_ps(lanes, low);
    const __m512 h = !high ? _mm512_setzero_ps() : lanes == 0xFFFF ? _mm512_loadu_ps(high) : _mm512_maskz_loadu_ps(lanes, high);
    return interleaveHalves((__m512i)_mm512_cvtne2ps_pbh(h, l));
}

/// Writes the input as zero-bordered pair planes: padded row r, column j of plane p hold input
/// row r - 1, column j - 1 of channels 2p and 2p + 1 as one word. Two spare rows below let an odd
/// last row be computed as the first of a pair.
BF16_TARGET static void padPairs(const float *input, int inputs, int height, int width, uint32_t *scratch) {
    const int pw = paddedWidth(width);
    const size_t plane = (size_t)(height + 3) * pw, inputPlane = (size_t)height * width;
    for (int p = 0; p < pairCount(inputs); ++p) {
        uint32_t *dst = scratch + p * plane;
        const float *even = input + 2 * p * inputPlane;
        const float *odd = 2 * p + 1 < inputs ? even + inputPlane : NULL;
        memset(dst, 0, (size_t)pw * sizeof *dst);
        for (int row = 0; row < height; ++row) {
            uint32_t *d = dst + (size_t)(row + 1) * pw;
            d[0] = 0;
            for (int x = 0; x < width; x += 16) {
                const size_t at = (size_t)row * width + x;
                _mm512_storeu_si512(d + 1 + x, pairWords(even + at, odd ? odd + at : NULL, firstLanes(width - x)));
            }
            memset(d + 1 + width, 0, (size_t)(pw - width - 1) * sizeof *d);
        }
        memset(dst + (size_t)(height + 1) * pw, 0, 2 * (size_t)pw * sizeof *dst);
    }
}

/// Sixteen output pixels of two rows (or one: `rows`) for four output channels, of which the first
/// `columns` are stored: for each input pair and tap, one bfloat16 dot product of two channels per
/// accumulator, eight accumulators.
BF16_TARGET static inline void tile(const uint32_t *top, int pw, size_t plane, int pairs, const uint32_t *weights,
                                    const float *bias, int relu, float *out, int width, size_t planeOut, int rows,
                                    int columns) {
    __m512 a[4], b[4];
    for (int c = 0; c < 4; ++c) a[c] = b[c] = _mm512_set1_ps(bias ? bias[c] : 0.0f);
    for (int p = 0; p < pairs; ++p) {
        for (int ky = 0; ky < 3; ++ky) {
            const uint32_t *upper = top + (size_t)ky * pw, *lower = upper + pw;
            for (int kx = 0; kx < 3; ++kx) {
                const __m512bh u = (__m512bh)_mm512_loadu_si512(upper + kx);
                const __m512bh l = (__m512bh)_mm512_loadu_si512(lower + kx);
                const uint32_t *w = weights + (ky * 3 + kx) * 4;
                for (int c = 0; c < 4; ++c) {
                    const __m512bh s = (__m512bh)_mm512_set1_epi32((int)w[c]);
                    a[c] = _mm512_dpbf16_ps(a[c], u, s);
                    b[c] = _mm512_dpbf16_ps(b[c], l, s);
                }
            }
        }
        weights += 36;
        top += plane;
    }
    // Masked stores only for a row's partial last vector: they are much slower on Zen 4 (a 64x64
    // layer ran at 124 instead of 200 GFLOP/s with every store masked).
    const __mmask16 stored = firstLanes(columns);
    for (int c = 0; c < 4; ++c) {
        if (relu) a[c] = _mm512_max_ps(a[c], _mm512_setzero_ps()), b[c] = _mm512_max_ps(b[c], _mm512_setzero_ps());
        if (columns >= 16) {
            _mm512_storeu_ps(out + c * planeOut, a[c]);
            if (rows == 2) _mm512_storeu_ps(out + c * planeOut + width, b[c]);
        } else {
            _mm512_mask_storeu_ps(out + c * planeOut, stored, a[c]);
            if (rows == 2) _mm512_mask_storeu_ps(out + c * planeOut + width, stored, b[c]);
        }
    }
}

BF16_TARGET void smile_bf16_conv3x3(const float *input, int inputs, int height, int width, const uint32_t *packed,
                                    int outputs, const float *bias, int relu, uint32_t *scratch, float *output) {
    padPairs(input, inputs, height, width, scratch);
    const int pw = paddedWidth(width), pairs = pairCount(inputs);
    const size_t plane = (size_t)(height + 3) * pw, planeOut = (size_t)height * width;
    for (int group = 0; group < outputs / 4; ++group) {
        const uint32_t *weights = packed + (size_t)group * pairs * 36;
        float *out = output + (size_t)group * 4 * planeOut;
        for (int row = 0; row < height; row += 2)
            for (int x = 0; x < width; x += 16)
                tile(scratch + (size_t)row * pw + x, pw, plane, pairs, weights, bias ? bias + group * 4 : NULL, relu,
                     out + (size_t)row * width + x, width, planeOut, height - row < 2 ? 1 : 2, width - x);
    }
}

/// Unfolds the input for the GEMM of `smile_bf16_conv3x3_planes`: row k = 9 p + tap of `columns`
/// holds, for every output pixel of every image (`positions` in all, image by image), the word of
/// pair p at that tap's input pixel (zero outside the image). `pairs` is scratch for the pair planes.
BF16_TARGET static void unfold(const float *input, int images, int inputs, int height, int width, uint32_t *pairs,
                               uint32_t *columns) {
    const int plane = height * width, pairCountIn = pairCount(inputs);
    const size_t positions = (size_t)images * plane;
    for (int image = 0; image < images; ++image)
        for (int p = 0; p < pairCountIn; ++p) {
            const float *even = input + ((size_t)image * inputs + 2 * p) * plane;
            const float *odd = 2 * p + 1 < inputs ? even + plane : NULL;
            uint32_t *dst = pairs + ((size_t)image * pairCountIn + p) * plane;
            for (int i = 0; i < plane; i += 16) _mm512_storeu_si512(dst + i, pairWords(even + i, odd ? odd + i : NULL, 0xFFFF));
        }
    const __mmask16 row = (__mmask16)((1u << width) - 1);
    for (int p = 0; p < pairCountIn; ++p)
        for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
                // Output column c reads input column c + kx - 1: all but the first (kx 0) or last (kx 2).
                const __mmask16 inside = kx == 0 ? (__mmask16)(row & ~1u) : kx == 2 ? (__mmask16)(row >> 1) : row;
                uint32_t *dst = columns + (size_t)(p * 9 + ky * 3 + kx) * positions;
                for (int image = 0; image < images; ++image) {
                    const uint32_t *src = pairs + ((size_t)image * pairCountIn + p) * plane;
                    for (int y = 0; y < height; ++y, dst += width) {
                        const int sourceRow = y + ky - 1;
                        __m512i v = _mm512_setzero_si512();
                        // Lanes outside the mask are neither read nor faulted on.
                        if (sourceRow >= 0 && sourceRow < height)
                            v = _mm512_maskz_loadu_epi32(inside, src + sourceRow * width + kx - 1);
                        _mm512_mask_storeu_epi32(dst, row, v);
                    }
                }
            }
}

/// Four output channels times `NV` vectors of sixteen output pixels from `position` on: `depth`
/// bfloat16 dot products per accumulator (`columns` rows `positions` words apart).
#define PLANES_BLOCK(NV)                                                                                          \
    BF16_TARGET static inline void block##NV(const uint32_t *columns, size_t positions, size_t position,        \
                                             int depth, const uint32_t *weights, const float *bias, int relu,     \
                                             float *output, int outputs, int plane, int channel) {                \
        __m512 acc[4][NV];                                                                                        \
        for (int c = 0; c < 4; ++c)                                                                               \
            for (int v = 0; v < NV; ++v) acc[c][v] = _mm512_set1_ps(bias ? bias[c] : 0.0f);                       \
        const uint32_t *x = columns + position;                                                                   \
        for (int k = 0; k < depth; ++k, x += positions, weights += 4) {                                           \
            __m512bh in[NV];                                                                                      \
            for (int v = 0; v < NV; ++v) in[v] = (__m512bh)_mm512_loadu_si512(x + 16 * v);                       \
            for (int c = 0; c < 4; ++c) {                                                                         \
                const __m512bh w = (__m512bh)_mm512_set1_epi32((int)weights[c]);                                 \
                for (int v = 0; v < NV; ++v) acc[c][v] = _mm512_dpbf16_ps(acc[c][v], in[v], w);                 \
            }                                                                                                     \
        }                                                                                                         \
        for (int v = 0; v < NV; ++v) {                                                                            \
            const size_t at = position + 16 * (size_t)v, image = at / plane, pixel = at % plane;                  \
            float *out = output + (image * outputs + channel) * plane + pixel;                                    \
            for (int c = 0; c < 4; ++c) {                                                                         \
                __m512 value = relu ? _mm512_max_ps(acc[c][v], _mm512_setzero_ps()) : acc[c][v];                  \
                _mm512_storeu_ps(out + (size_t)c * plane, value);                                                 \
            }                                                                                                     \
        }                                                                                                         \
    }
PLANES_BLOCK(1)
PLANES_BLOCK(2)
PLANES_BLOCK(3)
PLANES_BLOCK(4)
#undef PLANES_BLOCK

BF16_TARGET void smile_bf16_conv3x3_planes(const float *input, int images, int inputs, int height, int width,
                                           const uint32_t *packed, int outputs, const float *bias, int relu,
                                           uint32_t *scratch, float *output) {
    const int plane = height * width, depth = pairCount(inputs) * 9;
    const size_t positions = (size_t)images * plane;
    uint32_t *columns = scratch + (size_t)pairCount(inputs) * positions;
    unfold(input, images, inputs, height, width, scratch, columns);
    for (int group = 0; group < outputs / 4; ++group) {
        const uint32_t *weights = packed + (size_t)group * depth * 4;
        const float *b = bias ? bias + group * 4 : NULL;
        size_t position = 0;
        for (; position + 64 <= positions; position += 64)
            block4(columns, positions, position, depth, weights, b, relu, output, outputs, plane, group * 4);
        switch ((positions - position) / 16) {
        case 3: block3(columns, positions, position, depth, weights, b, relu, output, outputs, plane, group * 4); break;
        case 2: block2(columns, positions, position, depth, weights, b, relu, output, outputs, plane, group * 4); break;
        case 1: block1(columns, positions, position, depth, weights, b, relu, output, outputs, plane, group * 4); break;
        default: break;
        }
    }
}

#else

void smile_bf16_conv3x3_planes(const float *input, int images, int inputs, int height, int width,
                               const uint32_t *packed, int outputs, const float *bias, int relu, uint32_t *scratch,
                               float *output) {
    (void)input, (void)images, (void)inputs, (void)height, (void)width, (void)packed, (void)outputs, (void)bias,
        (void)relu, (void)scratch, (void)output;
    __builtin_trap();  // smile_cpu_has_avx512_bf16() is 0 here: never called
}

void smile_bf16_conv3x3(const float *input, int inputs, int height, int width, const uint32_t *packed,
                        int outputs, const float *bias, int relu, uint32_t *scratch, float *output) {
    (void)input, (void)inputs, (void)height, (void)width, (void)packed, (void)outputs, (void)bias, (void)relu,
        (void)scratch, (void)output;
    __builtin_trap();  // smile_cpu_has_avx512_bf16() is 0 here: never called
}

#endif
