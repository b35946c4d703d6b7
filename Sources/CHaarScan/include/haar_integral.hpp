// haar_integral.hpp - the integral images a Haar scan reads: sums of pixels and of
// their squares, as cv::integral(src, sum, sqsum, noArray(), CV_32S, CV_32S) gives
// them (int32, wrapping modulo 2^32), computed eight pixels at a time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace smile {

/// Integral images of a `width` x `height` 8-bit image (rows `srcStride` bytes apart): `sum` and
/// `squares` get (height + 1) rows of (width + 1) ints, `stride` ints apart, row 0 and column 0
/// zero; entry (x, y) is the sum over pixels above and left of it, modulo 2^32 (OpenCV's values).
/// OpenCV's own loop for this pair of int32 outputs is scalar (about 3 ns a pixel here, as much
/// as the pyramid's resizing); this one uses AVX2 prefix sums when `vectorised` and the CPU has
/// them, else a plain loop.
void integralSumAndSquares(const uint8_t *src, size_t srcStride, int width, int height, int32_t *sum,
                           int32_t *squares, size_t stride, bool vectorised = true);

}  // namespace smile
