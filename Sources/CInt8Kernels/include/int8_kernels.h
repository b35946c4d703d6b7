// int8_kernels.h - a 3x3 convolution whose products are taken in 8-bit integers.
//
// Written in C with intrinsics because Swift's SIMD types have no u8 x s8 dot product: AVX-512 VNNI's
// vpdpbusd does 64 multiply-adds per instruction (four times a float FMA's 16), AVX2's
// vpmaddubsw + vpmaddwd 32 in two. Every AVX-512 and AVX2 function carries its own target
// attribute, so the module builds for any x86-64; call a kernel only with the engine that
// `smile_int8_engine` returned (or the reference, which runs anywhere).
//
// The numbers, the same on every engine: inputs (activations, which must be >= 0: they follow a
// ReLU) are quantised with one scale per input channel to 7 bits, q = min(127, rint(x * m[c]))
// (negative and NaN inputs give 0); weights, with each input channel's scale 1 / m[c] folded in by
// the caller, with one scale per output channel to s8 in -127...127 (`smile_int8_conv3x3_pack`). Seven bits keep AVX2's pairwise sums of u8 x s8 products inside
// int16 (2 * 127 * 127 < 32767), so every engine sums the same products exactly in int32; the
// output is float(sum) * outputScale[o] + bias[o], then max(0, .) when asked.
#ifndef SMILE_INT8_KERNELS_H
#define SMILE_INT8_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// The code paths of the kernel.
enum smile_int8_engine_kind {
    SMILE_INT8_NONE = 0,         ///< no vector engine (the reference still runs)
    SMILE_INT8_AVX2 = 1,         ///< vpmaddubsw and vpmaddwd, eight pixels a vector
    SMILE_INT8_AVX512_VNNI = 2,  ///< vpdpbusd, sixteen pixels a vector
};

/// The fastest engine this CPU and OS run: AVX-512 VNNI (with F and BW), else AVX2, else none.
int smile_int8_engine(void);

/// Input channels go in quads: channels 4q...4q+3 share a 32-bit word (zero past the last).
int smile_int8_quads(int inputs);

/// 32-bit words of packed weights for `outputs` x `inputs` 3x3 kernels (outputs padded to blocks of 8).
size_t smile_int8_conv3x3_packed_count(int outputs, int inputs);

/// Packs `[outputs, inputs, 3, 3]` float weights as `[outputs / 8][quads][9][8]` words of four s8
/// (input channels 4q...4q+3, low byte first), each output channel's weights divided by its scale
/// `maxabs / 127` and rounded to the nearest (ties to even); writes the scales to `weightScale`
/// (`outputs` floats; 0 and all-zero weights for an all-zero channel).
void smile_int8_conv3x3_pack(const float *weight, int outputs, int inputs, uint32_t *packed, float *weightScale);

/// 32-bit words of scratch a call needs for one `[inputs, height, width]` image.
size_t smile_int8_conv3x3_scratch_count(int inputs, int outputs, int height, int width);

/// Convolves one image `[inputs, height, width]` (stride 1, padding 1) with packed weights into float
/// `[outputs, height, width]` on `engine`: input channel c quantised by `inputMultipliers[c]`,
/// products summed exactly in int32, `outputScale[o]` (the weight scale of the folded weights) and
/// `bias` (or none) applied, `max(0, .)` when `relu`. `SMILE_INT8_NONE` runs the plain C reference.
void smile_int8_conv3x3(int engine, const float *input, int inputs, int height, int width, const float *inputMultipliers,
                        const uint32_t *packed, int outputs, const float *outputScale, const float *bias, int relu,
                        uint32_t *scratch, float *output);

#endif
