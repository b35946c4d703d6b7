// haar_integral.cpp - see haar_integral.hpp.

#include "haar_integral.hpp"

#include <immintrin.h>

#include <cstring>

namespace smile {

namespace {

/// One output row from the row above: running sums of the pixels (and squares) left of each
/// column, plus the row above's values. Unsigned arithmetic: OpenCV's int sums wrap the same way.
void integralRowScalar(const uint8_t *pixels, int width, const int32_t *sumAbove, const int32_t *squaresAbove,
                       int32_t *sum, int32_t *squares) {
    uint32_t rowSum = 0, rowSquares = 0;
    sum[0] = 0;
    squares[0] = 0;
    for (int x = 0; x < width; ++x) {
        rowSum += pixels[x];
        rowSquares += uint32_t(pixels[x]) * pixels[x];
        sum[x + 1] = int32_t(uint32_t(sumAbove[x + 1]) + rowSum);
        squares[x + 1] = int32_t(uint32_t(squaresAbove[x + 1]) + rowSquares);
    }
}

/// Inclusive prefix sums of eight int32 lanes.
__attribute__((target("avx2"))) inline __m256i prefix8(__m256i x) {
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 4));
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 8));
    // Each 128-bit half now holds its own prefix; the upper half also needs the lower half's total.
    __m256i lowTotal = _mm256_shuffle_epi32(x, _MM_SHUFFLE(3, 3, 3, 3));
    return _mm256_add_epi32(x, _mm256_permute2x128_si256(lowTotal, lowTotal, 0x08));
}

/// integralRowScalar, eight pixels at a time (the remainder scalar).
__attribute__((target("avx2"))) void integralRowAvx2(const uint8_t *pixels, int width, const int32_t *sumAbove,
                                                     const int32_t *squaresAbove, int32_t *sum, int32_t *squares) {
    sum[0] = 0;
    squares[0] = 0;
    __m256i carrySum = _mm256_setzero_si256(), carrySquares = _mm256_setzero_si256();
    const __m256i last = _mm256_set1_epi32(7);
    int x = 0;
    for (; x + 8 <= width; x += 8) {
        __m256i v = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(pixels + x)));
        __m256i q = _mm256_mullo_epi32(v, v);
        v = _mm256_add_epi32(prefix8(v), carrySum);
        q = _mm256_add_epi32(prefix8(q), carrySquares);
        carrySum = _mm256_permutevar8x32_epi32(v, last);
        carrySquares = _mm256_permutevar8x32_epi32(q, last);
        const __m256i above = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(sumAbove + x + 1));
        const __m256i aboveSquares = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(squaresAbove + x + 1));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(sum + x + 1), _mm256_add_epi32(v, above));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(squares + x + 1), _mm256_add_epi32(q, aboveSquares));
    }
    uint32_t rowSum = uint32_t(_mm256_cvtsi256_si32(carrySum));
    uint32_t rowSquares = uint32_t(_mm256_cvtsi256_si32(carrySquares));
    for (; x < width; ++x) {
        rowSum += pixels[x];
        rowSquares += uint32_t(pixels[x]) * pixels[x];
        sum[x + 1] = int32_t(uint32_t(sumAbove[x + 1]) + rowSum);
        squares[x + 1] = int32_t(uint32_t(squaresAbove[x + 1]) + rowSquares);
    }
}

}  // namespace

void integralSumAndSquares(const uint8_t *src, size_t srcStride, int width, int height, int32_t *sum,
                           int32_t *squares, size_t stride, bool vectorised) {
    static const bool hasAvx2 = __builtin_cpu_supports("avx2");
    const bool avx2 = vectorised && hasAvx2;
    std::memset(sum, 0, sizeof(int32_t) * size_t(width + 1));
    std::memset(squares, 0, sizeof(int32_t) * size_t(width + 1));
    for (int y = 0; y < height; ++y) {
        const int32_t *sumAbove = sum + size_t(y) * stride, *squaresAbove = squares + size_t(y) * stride;
        int32_t *sumRow = sum + size_t(y + 1) * stride, *squaresRow = squares + size_t(y + 1) * stride;
        if (avx2)
            integralRowAvx2(src + size_t(y) * srcStride, width, sumAbove, squaresAbove, sumRow, squaresRow);
        else
            integralRowScalar(src + size_t(y) * srcStride, width, sumAbove, squaresAbove, sumRow, squaresRow);
    }
}

}  // namespace smile
