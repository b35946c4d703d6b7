#include "int8_kernels.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define AVX2_TARGET __attribute__((target("avx2")))
#define VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni")))
#endif

int smile_int8_engine(void) {
#if defined(__x86_64__)
    // __builtin_cpu_supports also checks that the OS saves the vector registers (XGETBV).
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni"))
        return SMILE_INT8_AVX512_VNNI;
    if (__builtin_cpu_supports("avx2")) return SMILE_INT8_AVX2;
#endif
    return SMILE_INT8_NONE;
}

int smile_int8_quads(int inputs) { return (inputs + 3) / 4; }

/// Output channels are computed eight at a time (eight accumulators, one broadcast weight each).
enum { BLOCK = 8, MAX_LANES = 16 };

static int blocks(int outputs) { return (outputs + BLOCK - 1) / BLOCK; }

size_t smile_int8_conv3x3_packed_count(int outputs, int inputs) {
    return (size_t)blocks(outputs) * (size_t)smile_int8_quads(inputs) * 9 * BLOCK;
}

/// The plane geometry of one image: each quad plane is stored with a one-pixel zero border, row
/// stride `stride` = width + 2, as one flat run of words. Output pixel (y, x) is computed at flat
/// position y * stride + x, and its tap (ky, kx) reads the word at that position plus
/// ky * stride + kx; positions with x >= width are computed and thrown away, so one vector loop
/// covers every plane size without edge cases.
typedef struct {
    int stride;     ///< width + 2
    int positions;  ///< height * stride, rounded up to whole vectors of MAX_LANES
    int planeWords; ///< words of a quad plane: the padded plane and what the last vectors read past it
} Geometry;

static Geometry geometry(int height, int width) {
    Geometry g;
    g.stride = width + 2;
    g.positions = (height * g.stride + MAX_LANES - 1) / MAX_LANES * MAX_LANES;
    // The last vector reads up to positions - 1 + 2 * stride + 2.
    const int reach = g.positions + 2 * g.stride + 2;
    const int padded = (height + 2) * g.stride;
    g.planeWords = ((reach > padded ? reach : padded) + MAX_LANES - 1) / MAX_LANES * MAX_LANES;
    return g;
}

size_t smile_int8_conv3x3_scratch_count(int inputs, int outputs, int height, int width) {
    (void)outputs;
    const Geometry g = geometry(height, width);
    return (size_t)smile_int8_quads(inputs) * g.planeWords + (size_t)BLOCK * g.positions;
}

/// `value` / `scale` rounded to the nearest integer (ties to even), within -127...127.
static int8_t quantisedWeight(float value, float scale) {
    if (scale == 0) return 0;
    float q = rintf(value / scale);
    if (q > 127) q = 127;
    if (q < -127) q = -127;
    return (int8_t)q;
}

void smile_int8_conv3x3_pack(const float *weight, int outputs, int inputs, uint32_t *packed, float *weightScale) {
    const int quads = smile_int8_quads(inputs);
    for (int o = 0; o < outputs; ++o) {
        float largest = 0;
        for (int i = 0; i < inputs * 9; ++i) {
            const float magnitude = fabsf(weight[(size_t)o * inputs * 9 + i]);
            if (magnitude > largest) largest = magnitude;
        }
        weightScale[o] = largest / 127;
    }
    memset(packed, 0, smile_int8_conv3x3_packed_count(outputs, inputs) * sizeof *packed);
    for (int o = 0; o < outputs; ++o)
        for (int c = 0; c < inputs; ++c)
            for (int tap = 0; tap < 9; ++tap) {
                const uint8_t q = (uint8_t)quantisedWeight(weight[((size_t)o * inputs + c) * 9 + tap], weightScale[o]);
                const size_t word = (((size_t)(o / BLOCK) * quads + c / 4) * 9 + tap) * BLOCK + o % BLOCK;
                packed[word] |= (uint32_t)q << (8 * (c % 4));
            }
}

/// `value` times `multiplier` rounded to the nearest (ties to even), within 0...127; NaN gives 0.
static inline uint32_t quantisedInput(float value, float multiplier) {
    const float v = value * multiplier;
    if (!(v > 0)) return 0;
    if (v >= 127) return 127;
    return (uint32_t)rintf(v);
}

/// Writes the image's quad planes into `planes` (zero border, see `Geometry`).
static void quantiseInput(const float *input, int inputs, int height, int width, const float *multipliers, Geometry g,
                          uint32_t *planes) {
    const int quads = smile_int8_quads(inputs);
    memset(planes, 0, (size_t)quads * g.planeWords * sizeof *planes);
    const size_t plane = (size_t)height * width;
    for (int c = 0; c < inputs; ++c) {
        uint32_t *words = planes + (size_t)(c / 4) * g.planeWords;
        const int shift = 8 * (c % 4);
        const float *source = input + (size_t)c * plane;
        for (int y = 0; y < height; ++y) {
            uint32_t *row = words + (size_t)(y + 1) * g.stride + 1;
            for (int x = 0; x < width; ++x) row[x] |= quantisedInput(source[y * width + x], multipliers[c]) << shift;
        }
    }
}

/// One output from its sum: a product, then a sum (never fused), then ReLU (NaN gives 0), as the header says.
static inline float outputValue(int32_t sum, float scale, float bias, int relu) {
    float v = (float)sum * scale;
    v += bias;
    return relu && !(v > 0) ? 0 : v;
}

/// Turns one block's sums (`[BLOCK][positions]`) into float outputs of channels `first`..., as the
/// header says.
static void writeBlock(const int32_t *sums, Geometry g, int first, int outputs, int height, int width,
                       const float *outputScale, const float *bias, int relu, float *output) {
    for (int j = 0; j < BLOCK && first + j < outputs; ++j) {
        const int o = first + j;
        const float scale = outputScale[o], b = bias ? bias[o] : 0;
        const int32_t *row = sums + (size_t)j * g.positions;
        float *out = output + (size_t)o * height * width;
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) out[y * width + x] = outputValue(row[y * g.stride + x], scale, b, relu);
    }
}

/// The byte-wise dot product of two words: u8 lanes of `a` times s8 lanes of `b`, summed.
static inline int32_t dot4(uint32_t a, uint32_t b) {
    int32_t sum = 0;
    for (int k = 0; k < 4; ++k) sum += (int32_t)((a >> (8 * k)) & 0xff) * (int32_t)(int8_t)((b >> (8 * k)) & 0xff);
    return sum;
}

/// The plain C engine: one position at a time.
static void sumsReference(const uint32_t *planes, int quads, Geometry g, const uint32_t *weights, int32_t *sums) {
    for (int p = 0; p < g.positions; ++p)
        for (int j = 0; j < BLOCK; ++j) {
            int32_t sum = 0;
            for (int q = 0; q < quads; ++q)
                for (int tap = 0; tap < 9; ++tap)
                    sum += dot4(planes[(size_t)q * g.planeWords + p + (tap / 3) * g.stride + tap % 3],
                                weights[((size_t)q * 9 + tap) * BLOCK + j]);
            sums[(size_t)j * g.positions + p] = sum;
        }
}

#if defined(__x86_64__)

/// AVX2: eight positions a vector; u8 x s8 pairs summed into int16 (exact with 7-bit inputs), then
/// pairs of those into int32.
AVX2_TARGET static void sumsAVX2(const uint32_t *planes, int quads, Geometry g, const uint32_t *weights, int32_t *sums) {
    const __m256i ones = _mm256_set1_epi16(1);
    for (int p = 0; p < g.positions; p += 8) {
        __m256i acc[BLOCK];
        for (int j = 0; j < BLOCK; ++j) acc[j] = _mm256_setzero_si256();
        for (int q = 0; q < quads; ++q) {
            const uint32_t *plane = planes + (size_t)q * g.planeWords + p;
            const uint32_t *w = weights + (size_t)q * 9 * BLOCK;
            for (int tap = 0; tap < 9; ++tap) {
                const __m256i x = _mm256_loadu_si256((const __m256i *)(plane + (tap / 3) * g.stride + tap % 3));
                for (int j = 0; j < BLOCK; ++j) {
                    const __m256i pairs = _mm256_maddubs_epi16(x, _mm256_set1_epi32((int)w[tap * BLOCK + j]));
                    acc[j] = _mm256_add_epi32(acc[j], _mm256_madd_epi16(pairs, ones));
                }
            }
        }
        for (int j = 0; j < BLOCK; ++j) _mm256_storeu_si256((__m256i *)(sums + (size_t)j * g.positions + p), acc[j]);
    }
}

/// AVX-512 VNNI: sixteen positions a vector, four u8 x s8 products summed into int32 per lane.
VNNI_TARGET static void sumsVNNI(const uint32_t *planes, int quads, Geometry g, const uint32_t *weights, int32_t *sums) {
    for (int p = 0; p < g.positions; p += 16) {
        __m512i acc[BLOCK];
        for (int j = 0; j < BLOCK; ++j) acc[j] = _mm512_setzero_si512();
        for (int q = 0; q < quads; ++q) {
            const uint32_t *plane = planes + (size_t)q * g.planeWords + p;
            const uint32_t *w = weights + (size_t)q * 9 * BLOCK;
            for (int tap = 0; tap < 9; ++tap) {
                const __m512i x = _mm512_loadu_si512((const void *)(plane + (tap / 3) * g.stride + tap % 3));
                for (int j = 0; j < BLOCK; ++j)
                    acc[j] = _mm512_dpbusd_epi32(acc[j], x, _mm512_set1_epi32((int)w[tap * BLOCK + j]));
            }
        }
        for (int j = 0; j < BLOCK; ++j) _mm512_storeu_si512((void *)(sums + (size_t)j * g.positions + p), acc[j]);
    }
}

/// `quantiseInput` eight pixels at a time: the same numbers (cvtps2dq rounds to the nearest, ties
/// to even, as rintf does in the default rounding mode; maxps gives 0 for NaN).
AVX2_TARGET static void quantiseInputAVX2(const float *input, int inputs, int height, int width, const float *multipliers,
                                          Geometry g, uint32_t *planes) {
    const int quads = smile_int8_quads(inputs);
    memset(planes, 0, (size_t)quads * g.planeWords * sizeof *planes);
    const size_t plane = (size_t)height * width;
    const __m256 zero = _mm256_setzero_ps(), top = _mm256_set1_ps(127);
    const int whole = width / 8 * 8;
    for (int q = 0; q < quads; ++q) {
        uint32_t *words = planes + (size_t)q * g.planeWords;
        const int present = inputs - 4 * q < 4 ? inputs - 4 * q : 4;
        for (int y = 0; y < height; ++y) {
            uint32_t *row = words + (size_t)(y + 1) * g.stride + 1;
            for (int x = 0; x < whole; x += 8) {
                __m256i word = _mm256_setzero_si256();
                for (int k = 0; k < present; ++k) {
                    const __m256 v = _mm256_loadu_ps(input + (size_t)(4 * q + k) * plane + (size_t)y * width + x);
                    const __m256 scale = _mm256_set1_ps(multipliers[4 * q + k]);
                    const __m256 clamped = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(v, scale), zero), top);
                    word = _mm256_or_si256(word, _mm256_slli_epi32(_mm256_cvtps_epi32(clamped), 8 * k));
                }
                _mm256_storeu_si256((__m256i *)(row + x), word);
            }
            for (int x = whole; x < width; ++x)
                for (int k = 0; k < present; ++k)
                    row[x] |= quantisedInput(input[(size_t)(4 * q + k) * plane + (size_t)y * width + x], multipliers[4 * q + k]) << (8 * k);
        }
    }
}

/// `writeBlock` eight pixels at a time, with the same float operations (a product, then a sum).
AVX2_TARGET static void writeBlockAVX2(const int32_t *sums, Geometry g, int first, int outputs, int height, int width,
                                       const float *outputScale, const float *bias, int relu, float *output) {
    const int whole = width / 8 * 8;
    for (int j = 0; j < BLOCK && first + j < outputs; ++j) {
        const int o = first + j;
        const float b = bias ? bias[o] : 0;
        const __m256 scale = _mm256_set1_ps(outputScale[o]), shift = _mm256_set1_ps(b), zero = _mm256_setzero_ps();
        const int32_t *row = sums + (size_t)j * g.positions;
        float *out = output + (size_t)o * height * width;
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < whole; x += 8) {
                const __m256i sum = _mm256_loadu_si256((const __m256i *)(row + y * g.stride + x));
                __m256 v = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(sum), scale), shift);
                if (relu) v = _mm256_max_ps(v, zero);
                _mm256_storeu_ps(out + y * width + x, v);
            }
            for (int x = whole; x < width; ++x) out[y * width + x] = outputValue(row[y * g.stride + x], outputScale[o], b, relu);
        }
    }
}

#endif

void smile_int8_conv3x3(int engine, const float *input, int inputs, int height, int width, const float *inputMultipliers,
                        const uint32_t *packed, int outputs, const float *outputScale, const float *bias, int relu,
                        uint32_t *scratch, float *output) {
    const Geometry g = geometry(height, width);
    const int quads = smile_int8_quads(inputs);
    const int vector = engine == SMILE_INT8_AVX2 || engine == SMILE_INT8_AVX512_VNNI;
#if defined(__x86_64__)
    if (vector) quantiseInputAVX2(input, inputs, height, width, inputMultipliers, g, scratch);
    else
#endif
        quantiseInput(input, inputs, height, width, inputMultipliers, g, scratch);
    int32_t *sums = (int32_t *)(scratch + (size_t)quads * g.planeWords);
    for (int b = 0; b < blocks(outputs); ++b) {
        const uint32_t *weights = packed + (size_t)b * quads * 9 * BLOCK;
        switch (engine) {
#if defined(__x86_64__)
        case SMILE_INT8_AVX512_VNNI: sumsVNNI(scratch, quads, g, weights, sums); break;
        case SMILE_INT8_AVX2: sumsAVX2(scratch, quads, g, weights, sums); break;
#endif
        default: sumsReference(scratch, quads, g, weights, sums); break;
        }
#if defined(__x86_64__)
        if (vector) writeBlockAVX2(sums, g, b * BLOCK, outputs, height, width, outputScale, bias, relu, output);
        else
#endif
            writeBlock(sums, g, b * BLOCK, outputs, height, width, outputScale, bias, relu, output);
    }
}
