// ImageDecodeFuzz.c - libFuzzer target for cvs_decode_buffer: the shim's JPEG and PNG readers
// (libjpeg and libpng driven directly, EXIF orientation), its header checks, and OpenCV's decoder
// for other formats and for what libjpeg or libpng reject. Each input is decoded in colour and in
// gray, under a pixel limit so that huge declared sizes are refused rather than allocated.
#include <stddef.h>
#include <stdint.h>

#include "cv_shim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    for (int gray = 0; gray < 2; ++gray) {
        cvs_image image;
        if (cvs_decode_buffer(data, size, gray, 4 * 1024 * 1024, &image) == CVS_OK) cvs_free(image.pixels);
    }
    return 0;
}
