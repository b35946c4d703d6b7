// heif_codec.hpp - HEIC and AVIF photos through libheif, loaded when the first one is read.
//
// Phones save HEIC (iPhones) and more and more tools AVIF; OpenCV 4.6 reads neither. libheif
// (Debian's libheif1: HEVC through libde265 and x265, AV1 through dav1d and aom) is dlopen'ed on
// first use, as FFmpeg is for videos, so runs on JPEG and PNG never load it or its codecs.
//
// Orientation: a HEIF file says how to turn its image in its own boxes (irot, imir), which libheif
// applies while decoding; the EXIF orientation a phone also writes says the same turn, and the
// HEIF specification has the boxes win. Applying the EXIF tag as well would turn the photo twice,
// so it is not read: the decoded photo is upright as a JPEG with its EXIF tag applied would be.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace smile {

/// Whether `data` starts like a HEIF file (an ISO-BMFF `ftyp` box of a HEIC or AVIF brand).
bool looksLikeHEIF(const uint8_t *data, size_t size);

/// The primary image's size (after its transformations) without decoding it; false when the file
/// cannot be parsed. Throws std::runtime_error when libheif cannot be loaded.
bool peekHEIF(const uint8_t *data, size_t size, int &width, int &height, std::string &error);

/// The primary image as 8-bit BGR (or gray), turned upright; false with `error` set when it cannot
/// be decoded. Throws std::runtime_error when libheif cannot be loaded.
bool decodeHEIF(const uint8_t *data, size_t size, bool gray, cv::Mat &out, std::string &error);

/// HEIC (`avif` false) or AVIF bytes of a BGR image at `quality` (0-100), with the orientation tag
/// `orientation` (EXIF's 1-8) written as HEIF's irot/imir boxes; false with `error` set when this
/// libheif has no encoder for the format.
bool encodeHEIF(const cv::Mat &bgr, bool avif, int quality, int orientation, std::vector<uint8_t> &out, std::string &error);

}  // namespace smile
