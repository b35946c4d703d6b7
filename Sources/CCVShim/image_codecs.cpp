// image_codecs.cpp - JPEG and PNG through libjpeg(-turbo) and libpng, set up as OpenCV 4's
// imgcodecs sets them up (grfmt_jpeg.cpp, grfmt_png.cpp, utils.cpp), so the pixels are the same.
//
// Both libraries report errors by longjmp. Each function that calls setjmp keeps no C++ object of
// its own: what outlives a jump (the output, row pointers) belongs to its caller.

#include "image_codecs.hpp"

#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <new>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

namespace smile {

namespace {

// ---------------------------------------------------------------- EXIF

uint32_t read16(const uint8_t *p, bool bigEndian) {
    return bigEndian ? (uint32_t(p[0]) << 8 | p[1]) : (uint32_t(p[1]) << 8 | p[0]);
}

uint32_t read32(const uint8_t *p, bool bigEndian) {
    return bigEndian ? (read16(p, true) << 16 | read16(p + 2, true)) : (read16(p + 2, false) << 16 | read16(p, false));
}

// ---------------------------------------------------------------- JPEG

/// libjpeg's error manager with a place to jump back to.
struct JpegTrap {
    jpeg_error_mgr pub;
    jmp_buf jump;
};

[[noreturn]] void jpegFail(j_common_ptr info) { longjmp(reinterpret_cast<JpegTrap *>(info->err)->jump, 1); }

/// libjpeg's warnings (such as "premature end of data segment") go nowhere, as errors do: the
/// caller reports the file.
void jpegQuiet(j_common_ptr) {}

void trapJpegErrors(JpegTrap &trap) {
    jpeg_std_error(&trap.pub);
    trap.pub.error_exit = jpegFail;
    trap.pub.output_message = jpegQuiet;
}

// OpenCV's fixed-point gray weights (imgcodecs utils.cpp: 0.299, 0.587, the rest; 14 bits).
constexpr int kGrayShift = 14;
constexpr int kGrayR = int(0.299 * (1 << kGrayShift) + 0.5);
constexpr int kGrayG = int(0.587 * (1 << kGrayShift) + 0.5);
constexpr int kGrayB = (1 << kGrayShift) - kGrayR - kGrayG;

/// A row of libjpeg's (inverted, Adobe-style) CMYK to BGR or gray, as OpenCV converts it.
void cmykRow(const uint8_t *cmyk, int width, bool gray, uint8_t *out) {
    for (int x = 0; x < width; ++x, cmyk += 4) {
        const int k = cmyk[3];
        const int c = k - ((255 - cmyk[0]) * k >> 8);
        const int m = k - ((255 - cmyk[1]) * k >> 8);
        const int y = k - ((255 - cmyk[2]) * k >> 8);
        if (gray) {
            out[x] = uint8_t((y * kGrayB + m * kGrayG + c * kGrayR + (1 << (kGrayShift - 1))) >> kGrayShift);
        } else {
            out[3 * x] = uint8_t(y);
            out[3 * x + 1] = uint8_t(m);
            out[3 * x + 2] = uint8_t(c);
        }
    }
}

/// The EXIF orientation of the first APP1 "Exif" segment libjpeg saved; 0 when none.
int jpegOrientation(const jpeg_decompress_struct &cinfo) {
    for (jpeg_saved_marker_ptr m = cinfo.marker_list; m; m = m->next)
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && std::memcmp(m->data, "Exif\0\0", 6) == 0)
            return exifOrientation(m->data + 6, m->data_length - 6);
    return 0;
}

/// The body of decodeJPEG up to jpeg_destroy_decompress (`cinfo` zeroed, its errors trapped); also
/// the image's EXIF orientation.
bool readJPEG(jpeg_decompress_struct &cinfo, JpegTrap &trap, const uint8_t *data, size_t size, bool gray,
              cv::Mat &out, int &orientation) {
    if (setjmp(trap.jump)) return false;
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
    jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&cinfo, TRUE);
    orientation = jpegOrientation(cinfo);
    // Four components are CMYK or YCCK: libjpeg hands out CMYK, converted below.
    if (cinfo.num_components == 4) cinfo.out_color_space = JCS_CMYK;
    else cinfo.out_color_space = gray ? JCS_GRAYSCALE : JCS_EXT_BGR;
    jpeg_start_decompress(&cinfo);
    out.create(int(cinfo.output_height), int(cinfo.output_width), gray ? CV_8UC1 : CV_8UC3);
    const bool cmyk = cinfo.out_color_space == JCS_CMYK;
    JSAMPARRAY row = cmyk ? (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
                                                       cinfo.output_width * 4, 1)
                          : nullptr;
    while (cinfo.output_scanline < cinfo.output_height) {
        uint8_t *target = out.ptr(int(cinfo.output_scanline));
        if (cmyk) {
            jpeg_read_scanlines(&cinfo, row, 1);
            cmykRow(row[0], int(cinfo.output_width), gray, target);
        } else {
            JSAMPROW rows[1] = {target};
            jpeg_read_scanlines(&cinfo, rows, 1);
        }
    }
    jpeg_finish_decompress(&cinfo);
    return true;
}

/// Where encodeJPEG's output goes (libjpeg mallocs and grows it).
struct JpegOutput {
    unsigned char *bytes = nullptr;
    unsigned long size = 0;
};

/// The body of encodeJPEG up to jpeg_destroy_compress (`cinfo` zeroed, its errors trapped).
bool writeJPEG(jpeg_compress_struct &cinfo, JpegTrap &trap, const cv::Mat &image, int quality, JpegOutput &output) {
    if (setjmp(trap.jump)) return false;
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &output.bytes, &output.size);
    cinfo.image_width = JDIMENSION(image.cols);
    cinfo.image_height = JDIMENSION(image.rows);
    cinfo.input_components = image.channels();
    cinfo.in_color_space = image.channels() == 3 ? JCS_EXT_BGR : JCS_GRAYSCALE;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW rows[1] = {const_cast<uint8_t *>(image.ptr(int(cinfo.next_scanline)))};
        jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    return true;
}

// ---------------------------------------------------------------- PNG

/// The encoded bytes libpng reads from.
struct PngSource {
    const uint8_t *data;
    size_t size, position;
};

void pngRead(png_structp png, png_bytep out, size_t count) {
    auto *source = static_cast<PngSource *>(png_get_io_ptr(png));
    if (count > source->size - source->position) png_error(png, "truncated");
    std::memcpy(out, source->data + source->position, count);
    source->position += count;
}

[[noreturn]] void pngFail(png_structp png, png_const_charp) { png_longjmp(png, 1); }

void pngQuiet(png_structp, png_const_charp) {}

/// The body of decodePNG between creating and destroying libpng's structs.
bool readPNG(png_structp png, png_infop info, png_infop end, PngSource &source, bool gray,
             std::vector<png_bytep> &rows, cv::Mat &out) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_read_fn(png, &source, pngRead);
    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int depth = 0, type = 0;
    png_get_IHDR(png, info, &width, &height, &depth, &type, nullptr, nullptr, nullptr);
    // The transforms OpenCV's PngDecoder asks for, in its order.
    if (depth == 16) png_set_strip_16(png);
    png_set_strip_alpha(png);
    if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if ((type & PNG_COLOR_MASK_COLOR) == 0 && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if ((type & PNG_COLOR_MASK_COLOR) && !gray) png_set_bgr(png);
    else if (!gray) png_set_gray_to_rgb(png);
    else png_set_rgb_to_gray(png, 1, 0.299, 0.587);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    const int channels = gray ? 1 : 3;
    if (width > 0x7FFFFFFFu / 4 || height > 0x7FFFFFFFu || png_get_rowbytes(png, info) != size_t(width) * channels)
        png_error(png, "unexpected row layout");
    out.create(int(height), int(width), gray ? CV_8UC1 : CV_8UC3);
    rows.resize(height);
    for (png_uint_32 y = 0; y < height; ++y) rows[y] = out.ptr(int(y));
    png_read_image(png, rows.data());
    png_read_end(png, end);
    return true;
}

/// The EXIF orientation a PNG's eXIf chunk (before or after the image data) records; 0 when none.
int pngOrientation(png_structp png, png_infop info, png_infop end) {
    png_uint_32 size = 0;
    png_bytep exif = nullptr;
    if (png_get_valid(png, info, PNG_INFO_eXIf)) png_get_eXIf_1(png, info, &size, &exif);
    else if (png_get_valid(png, end, PNG_INFO_eXIf)) png_get_eXIf_1(png, end, &size, &exif);
    return exif ? exifOrientation(exif, size) : 0;
}

void pngWrite(png_structp png, png_bytep data, size_t count) {
    auto *out = static_cast<std::vector<uint8_t> *>(png_get_io_ptr(png));
    try {
        out->insert(out->end(), data, data + count);
    } catch (...) {
        png_error(png, "out of memory");
    }
}

void pngFlush(png_structp) {}

/// The body of encodePNG between creating and destroying libpng's structs.
bool writePNG(png_structp png, png_infop info, const cv::Mat &image, std::vector<png_bytep> &rows,
              std::vector<uint8_t> &out) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_write_fn(png, &out, pngWrite, pngFlush);
    // OpenCV's defaults: the Sub filter, fastest compression, run-length strategy.
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(png, Z_BEST_SPEED);
    png_set_compression_strategy(png, Z_RLE);
    png_set_IHDR(png, info, png_uint_32(image.cols), png_uint_32(image.rows), 8,
                 image.channels() == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    if (image.channels() == 3) png_set_bgr(png);
    rows.resize(size_t(image.rows));
    for (int y = 0; y < image.rows; ++y) rows[size_t(y)] = const_cast<uint8_t *>(image.ptr(y));
    png_write_image(png, rows.data());
    png_write_end(png, info);
    return true;
}

}  // namespace

// ---------------------------------------------------------------- entry points

int exifOrientation(const uint8_t *tiff, size_t size) {
    if (!tiff || size < 8) return 0;
    bool bigEndian;
    if (std::memcmp(tiff, "MM\0*", 4) == 0) bigEndian = true;
    else if (std::memcmp(tiff, "II*\0", 4) == 0) bigEndian = false;
    else return 0;
    const size_t ifd = read32(tiff + 4, bigEndian);
    if (ifd > size - 2) return 0;
    const size_t entries = read16(tiff + ifd, bigEndian);
    for (size_t e = 0; e < entries; ++e) {
        const size_t at = ifd + 2 + 12 * e;
        if (at + 12 > size) return 0;
        const uint8_t *entry = tiff + at;
        // Orientation: tag 0x0112, one SHORT (type 3), stored in the entry itself.
        if (read16(entry, bigEndian) == 0x0112 && read16(entry + 2, bigEndian) == 3) {
            const int value = int(read16(entry + 8, bigEndian));
            return value >= 1 && value <= 8 ? value : 0;
        }
    }
    return 0;
}

void applyExifOrientation(int orientation, cv::Mat &image) {
    // OpenCV's ApplyExifOrientation (loadsave.cpp), case by case.
    switch (orientation) {
    case 2: cv::flip(image, image, 1); break;
    case 3: cv::flip(image, image, -1); break;
    case 4: cv::flip(image, image, 0); break;
    case 5: cv::transpose(image, image); break;
    case 6: cv::transpose(image, image); cv::flip(image, image, 1); break;
    case 7: cv::transpose(image, image); cv::flip(image, image, -1); break;
    case 8: cv::transpose(image, image); cv::flip(image, image, 0); break;
    default: break;
    }
}

bool decodeJPEG(const uint8_t *data, size_t size, bool gray, cv::Mat &out) {
    out.release();
    jpeg_decompress_struct cinfo{};
    JpegTrap trap;
    trapJpegErrors(trap);
    cinfo.err = &trap.pub;
    bool ok = false;
    int orientation = 0;
    try {
        ok = readJPEG(cinfo, trap, data, size, gray, out, orientation);
    } catch (...) {  // the Mat's allocation
        jpeg_destroy_decompress(&cinfo);
        throw;
    }
    jpeg_destroy_decompress(&cinfo);
    if (!ok) {
        out.release();
        return false;
    }
    applyExifOrientation(orientation, out);
    return true;
}

bool decodePNG(const uint8_t *data, size_t size, bool gray, cv::Mat &out) {
    out.release();
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, pngFail, pngQuiet);
    if (!png) return false;
    png_infop info = png_create_info_struct(png), end = png_create_info_struct(png);
    PngSource source{data, size, 0};
    std::vector<png_bytep> rows;
    bool ok = false;
    int orientation = 0;
    try {
        ok = info && end && readPNG(png, info, end, source, gray, rows, out);
        if (ok) orientation = pngOrientation(png, info, end);
    } catch (...) {
        png_destroy_read_struct(&png, &info, &end);
        throw;
    }
    png_destroy_read_struct(&png, &info, &end);
    if (!ok) {
        out.release();
        return false;
    }
    applyExifOrientation(orientation, out);
    return true;
}

bool encodeJPEG(const cv::Mat &image, int quality, std::vector<uint8_t> &out) {
    CV_Assert(image.depth() == CV_8U && (image.channels() == 1 || image.channels() == 3));
    jpeg_compress_struct cinfo{};
    JpegTrap trap;
    trapJpegErrors(trap);
    cinfo.err = &trap.pub;
    JpegOutput output;
    const bool ok = writeJPEG(cinfo, trap, image, std::min(std::max(quality, 0), 100), output);
    jpeg_destroy_compress(&cinfo);
    if (ok) {
        try {
            out.assign(output.bytes, output.bytes + output.size);
        } catch (...) {
            std::free(output.bytes);
            throw;
        }
    }
    std::free(output.bytes);
    return ok;
}

bool encodePNG(const cv::Mat &image, std::vector<uint8_t> &out) {
    CV_Assert(image.depth() == CV_8U && (image.channels() == 1 || image.channels() == 3));
    out.clear();
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, pngFail, pngQuiet);
    if (!png) return false;
    png_infop info = png_create_info_struct(png);
    std::vector<png_bytep> rows;
    const bool ok = info && writePNG(png, info, image, rows, out);
    png_destroy_write_struct(&png, &info);
    return ok;
}

}  // namespace smile
