// bfloat16_kernels.h - a 3x3 convolution whose products are taken in bfloat16 with AVX-512 BF16.
//
// Written in C with intrinsics because Swift's SIMD types have no bfloat16 dot product
// (vdpbf16ps): on CPUs that have it (Zen 4, Cooper Lake, Sapphire Rapids) it does twice the
// multiply-adds of a float FMA per cycle. Every AVX-512 function carries its own target
// attribute, so the module builds for any x86-64; call nothing but `smile_cpu_has_avx512_bf16`
// unless it returned 1.
#ifndef SMILE_BFLOAT16_KERNELS_H
#define SMILE_BFLOAT16_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU and OS run AVX-512 F, BW, VL and BF16 (so the kernels below may be called), else 0.
int smile_cpu_has_avx512_bf16(void);

/// `value` rounded to the nearest bfloat16 (ties to even), as the kernels round inputs and weights.
uint16_t smile_bfloat16(float value);

/// Whether `smile_bf16_conv3x3` computes a convolution of this shape: `inputs` of 2 or more,
/// `outputs` a multiple of 4, `width` 16 or more (a row's last vector may be partly used).
int smile_bf16_conv3x3_applies(int inputs, int outputs, int width);

/// 32-bit words of packed weights for `outputs` x `inputs` 3x3 kernels.
size_t smile_bf16_conv3x3_packed_count(int outputs, int inputs);

/// Packs `[outputs, inputs, 3, 3]` float weights as `[outputs / 4][pairs][3][3][4]` words, each
/// word the bfloat16s of one output channel's weights for input channels 2p (low half) and 2p + 1
/// (high half; zero past the last channel).
void smile_bf16_conv3x3_pack(const float *weight, int outputs, int inputs, uint32_t *packed);

/// 32-bit words of scratch `smile_bf16_conv3x3` needs for an input of `inputs` x `height` x `width`.
size_t smile_bf16_conv3x3_scratch_count(int inputs, int height, int width);

/// Convolves one image `[inputs, height, width]` (stride 1, padding 1) with packed weights into
/// float `[outputs, height, width]`: inputs and weights rounded to bfloat16, products summed in
/// float, `bias` (or none) added, `max(0, .)` applied when `relu`. (Inputs are rounded by
/// vcvtne2ps2bf16, which reads denormal floats, below 1.2e-38, as zero.)
void smile_bf16_conv3x3(const float *input, int inputs, int height, int width, const uint32_t *packed,
                        int outputs, const float *bias, int relu, uint32_t *scratch, float *output);

/// Whether `smile_bf16_conv3x3_planes` computes a convolution of this shape: `inputs` of 2 or more,
/// `outputs` a multiple of 4, `width` at most 16 and `height * width` a multiple of 16 (8x8, 4x4).
int smile_bf16_conv3x3_planes_applies(int inputs, int outputs, int height, int width);

/// 32-bit words of scratch `smile_bf16_conv3x3_planes` needs for `images` inputs of `inputs` x `height` x `width`.
size_t smile_bf16_conv3x3_planes_scratch_count(int images, int inputs, int height, int width);

/// `smile_bf16_conv3x3` for small planes, all `images` at once (`[images, inputs, height, width]` into
/// `[images, outputs, height, width]`), with the same packed weights: the planes are unfolded into
/// bfloat16 pair columns (im2col), sixteen output pixels to a vector, and multiplied as one GEMM.
void smile_bf16_conv3x3_planes(const float *input, int images, int inputs, int height, int width,
                               const uint32_t *packed, int outputs, const float *bias, int relu, uint32_t *scratch,
                               float *output);

#endif
