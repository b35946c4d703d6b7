// image_codecs.hpp - JPEG and PNG read and written with libjpeg(-turbo) and libpng themselves,
// giving the pixels OpenCV's imdecode gives (the same libraries with the same settings; a test
// compares the two on every photo of the data).
//
// Why not cv::imdecode / cv::imencode: libopencv_imgcodecs brings over a hundred more shared
// libraries into a process (GDAL, GDCM, codecs of formats we never meet); loading them took
// about 140 ms of the tool's 300 ms start-up here, more than finding the faces in a typical
// photo. Other formats still go to OpenCV, loaded only when one comes (lazy_opencv.hpp).
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace smile {

/// Decodes a JPEG to 8-bit BGR (or gray with `gray`) as OpenCV's JPEG decoder does (CMYK and
/// YCCK converted as OpenCV converts them), EXIF orientation applied. False (and `out` empty)
/// when libjpeg rejects the data.
bool decodeJPEG(const uint8_t *data, size_t size, bool gray, cv::Mat &out);

/// Decodes a PNG to 8-bit BGR (or gray) as OpenCV's PNG decoder does: 16-bit samples cut to 8,
/// alpha dropped, palettes and low bit depths expanded; eXIf orientation applied. False (and
/// `out` empty) when libpng rejects the data.
bool decodePNG(const uint8_t *data, size_t size, bool gray, cv::Mat &out);

/// Encodes 8-bit BGR or gray as a baseline JPEG of `quality` (0-100), as cv::imencode does.
bool encodeJPEG(const cv::Mat &image, int quality, std::vector<uint8_t> &out);

/// Encodes 8-bit BGR or gray as a PNG with OpenCV's default settings (fastest compression).
bool encodePNG(const cv::Mat &image, std::vector<uint8_t> &out);

/// The orientation (1-8) an EXIF block (a TIFF header and IFD0) records; 0 when it has none.
int exifOrientation(const uint8_t *tiff, size_t size);

/// Turns `image` upright from EXIF orientation `orientation` (1-8; others leave it), as OpenCV does.
void applyExifOrientation(int orientation, cv::Mat &image);

}  // namespace smile
