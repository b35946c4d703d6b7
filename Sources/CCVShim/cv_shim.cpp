// cv_shim.cpp - the C API of cv_shim.h implemented over OpenCV 4.
// Every entry point catches all exceptions; errors become codes plus a
// thread-local message.

#include "cv_shim.h"
#include "area_resize.hpp"
#include "exact_resize.hpp"
#include "haar_integral.hpp"
#include "heif_codec.hpp"
#include "haar_scan.hpp"
#include "image_codecs.hpp"
#include "lazy_opencv.hpp"
#include "rect_grouping.hpp"
#include "video_decoder.hpp"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>  // its constants only: the library loads lazily (lazy_opencv.hpp)
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <climits>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {

thread_local std::string lastError;

/// Records `message` as this thread's last error and returns `code`.
int fail(int code, const std::string &message) {
    lastError = message;
    return code;
}

/// Silences OpenCV's own stderr logging once, before the first OpenCV call.
void quietOpenCV() {
    static const bool done = [] {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0);  // AV_LOG_QUIET, unless the user chose a level
        return true;
    }();
    (void)done;
}

/// Runs `body`, turning any exception into an error code.
template <typename F>
int guarded(const char *what, F body) {
    try {
        quietOpenCV();
        return body();
    } catch (const cv::Exception &e) {
        return fail(CVS_E_INTERNAL, std::string(what) + ": OpenCV error: " + e.what());
    } catch (const std::bad_alloc &) {
        return fail(CVS_E_INTERNAL, std::string(what) + ": out of memory");
    } catch (const std::exception &e) {
        return fail(CVS_E_INTERNAL, std::string(what) + ": " + e.what());
    } catch (...) {
        return fail(CVS_E_INTERNAL, std::string(what) + ": unknown error");
    }
}

bool validImage(const uint8_t *p, int w, int h, int c) {
    return p != nullptr && w > 0 && h > 0 && (c == 1 || c == 3);
}

int matType(int channels) { return channels == 1 ? CV_8UC1 : CV_8UC3; }

/// Wraps caller memory without copying.
cv::Mat wrap(const uint8_t *p, int w, int h, int c) {
    return cv::Mat(h, w, matType(c), const_cast<uint8_t *>(p));
}

/// Copies a Mat (8-bit, 1 or 3 channels) into a malloc'ed cvs_image.
int exportImage(const cv::Mat &m, cvs_image *out, const std::string &what) {
    cv::Mat c = m.isContinuous() ? m : m.clone();
    size_t bytes = c.total() * c.elemSize();
    auto *p = static_cast<uint8_t *>(std::malloc(bytes ? bytes : 1));
    if (!p) return fail(CVS_E_INTERNAL, what + ": out of memory");
    std::memcpy(p, c.data, bytes);
    out->width = c.cols;
    out->height = c.rows;
    out->channels = c.channels();
    out->pixels = p;
    return CVS_OK;
}

uint32_t be32(const uint8_t *p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }
uint32_t be16(const uint8_t *p) { return (uint32_t(p[0]) << 8) | p[1]; }
uint32_t le16(const uint8_t *p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8); }
uint32_t le24(const uint8_t *p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16); }
int32_t le32s(const uint8_t *p) { return int32_t(uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24)); }

enum class Format { unknown, png, jpeg, bmp, webp, heif, other };

/// Recognises an encoded image by its first bytes.
Format sniff(const uint8_t *d, size_t n) {
    static const uint8_t png[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (n >= 8 && std::memcmp(d, png, 8) == 0) return Format::png;
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return Format::jpeg;
    if (n >= 2 && d[0] == 'B' && d[1] == 'M') return Format::bmp;
    if (n >= 12 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) return Format::webp;
    if (smile::looksLikeHEIF(d, n)) return Format::heif;
    if (n >= 4 && ((std::memcmp(d, "II*\0", 4) == 0) || std::memcmp(d, "MM\0*", 4) == 0)) return Format::other;  // TIFF
    if (n >= 2 && d[0] == 'P' && d[1] >= '1' && d[1] <= '7') return Format::other;                                 // PNM/PAM
    if (n >= 10 && std::memcmp(d, "#?RADIANCE", 10) == 0) return Format::other;
    if (n >= 4 && d[0] == 0x59 && d[1] == 0xA6 && d[2] == 0x6A && d[3] == 0x95) return Format::other;            // Sun raster
    if (n >= 12 && std::memcmp(d, "\0\0\0\x0cjP  ", 8) == 0) return Format::other;                                // JPEG 2000
    return Format::unknown;
}

/// True for JPEG start-of-frame markers (those carrying the image size).
bool isSOF(uint8_t m) {
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/// Walks JPEG segments to the frame header; also reports where the first scan starts.
int peekJPEG(const uint8_t *d, size_t n, int *w, int *h, size_t *scanStart) {
    size_t i = 2;
    bool haveSize = false;
    while (i + 1 < n) {
        if (d[i] != 0xFF) return CVS_E_CORRUPT;
        while (i < n && d[i] == 0xFF) ++i;  // fill bytes
        if (i >= n) break;
        uint8_t m = d[i++];
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) continue;  // no length
        if (m == 0xD9) break;
        if (i + 2 > n) break;
        uint32_t len = be16(d + i);
        if (len < 2) return CVS_E_CORRUPT;
        if (isSOF(m)) {
            if (i + 7 > n) break;
            *h = int(be16(d + i + 3));
            *w = int(be16(d + i + 5));
            haveSize = true;
        }
        if (m == 0xDA) {
            if (scanStart) *scanStart = i + len;
            return haveSize ? CVS_OK : CVS_E_CORRUPT;
        }
        i += len;
    }
    if (haveSize && scanStart) *scanStart = n;
    return haveSize ? CVS_OK : CVS_E_CORRUPT;
}

/// True when an end-of-image marker follows the first scan (entropy-coded
/// data never contains 0xFF 0xD9, so its absence means the file was cut).
bool jpegHasEnd(const uint8_t *d, size_t n, size_t scanStart) {
    for (size_t i = scanStart; i + 1 < n; ++i)
        if (d[i] == 0xFF && d[i + 1] == 0xD9) return true;
    return false;
}

/// True when every PNG chunk is complete up to IEND (checked before libpng,
/// which would print its own message for a cut file).
bool pngComplete(const uint8_t *d, size_t n) {
    size_t p = 8;
    while (p + 12 <= n) {
        size_t len = be32(d + p);
        if (len > n - p - 12) return false;
        if (std::memcmp(d + p + 4, "IEND", 4) == 0) return true;
        p += 12 + len;
    }
    return false;
}

/// Reads the declared size from the header of a PNG, JPEG, BMP or WebP.
int peek(const uint8_t *d, size_t n, int *w, int *h) {
    switch (sniff(d, n)) {
    case Format::png:
        if (n < 24 || std::memcmp(d + 12, "IHDR", 4) != 0) return CVS_E_CORRUPT;
        if (be32(d + 16) > 0x7FFFFFFFu || be32(d + 20) > 0x7FFFFFFFu) return CVS_E_CORRUPT;
        *w = int(be32(d + 16));
        *h = int(be32(d + 20));
        return CVS_OK;
    case Format::jpeg:
        return peekJPEG(d, n, w, h, nullptr);
    case Format::bmp:
        if (n < 26) return CVS_E_CORRUPT;
        if (le32s(d + 14) == 12) {
            *w = int(le16(d + 18));
            *h = int(le16(d + 20));
        } else {
            int32_t ww = le32s(d + 18), hh = le32s(d + 22);
            if (hh == INT32_MIN) return CVS_E_CORRUPT;
            *w = ww;
            *h = hh < 0 ? -hh : hh;
        }
        return CVS_OK;
    case Format::webp:
        if (n < 30) return CVS_E_CORRUPT;
        if (std::memcmp(d + 12, "VP8 ", 4) == 0) {
            *w = int(le16(d + 26) & 0x3FFF);
            *h = int(le16(d + 28) & 0x3FFF);
        } else if (std::memcmp(d + 12, "VP8L", 4) == 0) {
            uint32_t bits = uint32_t(d[21]) | (uint32_t(d[22]) << 8) | (uint32_t(d[23]) << 16) | (uint32_t(d[24]) << 24);
            *w = int((bits & 0x3FFF) + 1);
            *h = int(((bits >> 14) & 0x3FFF) + 1);
        } else if (std::memcmp(d + 12, "VP8X", 4) == 0) {
            *w = int(le24(d + 24) + 1);
            *h = int(le24(d + 27) + 1);
        } else {
            return CVS_E_CORRUPT;
        }
        return CVS_OK;
    default:
        return CVS_E_UNSUPPORTED;
    }
}

/// cv::imdecode (EXIF orientation applied); empty when OpenCV cannot read the data.
cv::Mat decodeWithOpenCV(const uint8_t *d, size_t n, int gray) {
    try {
        cv::Mat buf(1, int(std::min<size_t>(n, size_t(INT32_MAX))), CV_8UC1, const_cast<uint8_t *>(d));
        return smile::lazy::imdecode(buf, gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    } catch (const cv::Exception &) {
        return cv::Mat();
    }
}

/// Shared decode path for files and buffers; `name` prefixes every message.
/// A HEIC or AVIF photo through libheif (heif_codec.hpp), its declared size checked first.
int decodeHEIF(const uint8_t *d, size_t n, int gray, int64_t maxPixels, cvs_image *out, const std::string &name) {
    std::string error;
    int w = 0, h = 0;
    cv::Mat img;
    try {
        if (!smile::peekHEIF(d, n, w, h, error)) return fail(CVS_E_CORRUPT, name + ": corrupt or truncated HEIF image (" + error + ")");
        if (w <= 0 || h <= 0) return fail(CVS_E_CORRUPT, name + ": HEIF image declares an empty image");
        if (maxPixels > 0 && int64_t(w) * int64_t(h) > maxPixels)
            return fail(CVS_E_TOO_LARGE, name + ": image declares " + std::to_string(w) + "x" + std::to_string(h) +
                                             " pixels, more than the limit of " + std::to_string(maxPixels));
        if (!smile::decodeHEIF(d, n, gray != 0, img, error)) return fail(CVS_E_CORRUPT, name + ": cannot decode the HEIF image (" + error + ")");
    } catch (const std::runtime_error &e) {
        return fail(CVS_E_UNSUPPORTED, name + ": " + e.what());
    }
    return exportImage(img, out, name);
}

int decode(const uint8_t *d, size_t n, int gray, int64_t maxPixels, cvs_image *out, const std::string &name) {
    if (!out) return fail(CVS_E_INVALID, name + ": no output given");
    *out = cvs_image{0, 0, 0, nullptr};
    if (n == 0) return fail(CVS_E_EMPTY, name + ": empty file (0 bytes)");
    Format format = sniff(d, n);
    if (format == Format::heif) return decodeHEIF(d, n, gray, maxPixels, out, name);
    int w = 0, h = 0;
    int rc = peek(d, n, &w, &h);
    if (rc == CVS_E_CORRUPT)
        return fail(CVS_E_CORRUPT, name + ": corrupt or truncated image header");
    if (rc == CVS_OK) {
        if (w <= 0 || h <= 0)
            return fail(CVS_E_CORRUPT, name + ": header declares an empty image (" + std::to_string(w) + "x" + std::to_string(h) + ")");
        if (maxPixels > 0 && int64_t(w) * int64_t(h) > maxPixels)
            return fail(CVS_E_TOO_LARGE, name + ": image declares " + std::to_string(w) + "x" + std::to_string(h) +
                                             " pixels, more than the limit of " + std::to_string(maxPixels));
    }
    if (format == Format::png && !pngComplete(d, n))
        return fail(CVS_E_CORRUPT, name + ": truncated PNG (a chunk is cut short or IEND is missing)");
    if (format == Format::jpeg) {
        size_t scan = 0;
        int tw, th;
        if (peekJPEG(d, n, &tw, &th, &scan) == CVS_OK && !jpegHasEnd(d, n, scan))
            return fail(CVS_E_CORRUPT, name + ": truncated JPEG (no end-of-image marker)");
    }
    cv::Mat img;
    // JPEG and PNG ourselves; other formats, and the rare JPEG or PNG libjpeg or libpng reject
    // (OpenCV also reads motion-JPEG frames without Huffman tables), through OpenCV's imdecode.
    if (format == Format::jpeg) smile::decodeJPEG(d, n, gray != 0, img);
    else if (format == Format::png) smile::decodePNG(d, n, gray != 0, img);
    if (img.empty()) img = decodeWithOpenCV(d, n, gray);
    if (img.empty()) {
        if (format == Format::unknown)
            return fail(CVS_E_UNSUPPORTED, name + ": not an image (unrecognised format)");
        return fail(CVS_E_CORRUPT, name + ": corrupt or truncated image data");
    }
    if (maxPixels > 0 && int64_t(img.cols) * int64_t(img.rows) > maxPixels)
        return fail(CVS_E_TOO_LARGE, name + ": image has " + std::to_string(img.cols) + "x" + std::to_string(img.rows) +
                                         " pixels, more than the limit of " + std::to_string(maxPixels));
    if (img.depth() != CV_8U) {
        cv::Mat c;
        img.convertTo(c, CV_8U, img.depth() == CV_16U ? 1.0 / 257.0 : 1.0);
        img = c;
    }
    int want = gray ? 1 : 3;
    if (img.channels() != want) {
        cv::Mat c;
        int code = img.channels() == 4 ? (gray ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGRA2BGR)
                 : img.channels() == 1 ? cv::COLOR_GRAY2BGR : cv::COLOR_BGR2GRAY;
        cv::cvtColor(img, c, code);
        img = c;
    }
    return exportImage(img, out, name);
}

/// Copies encoded bytes into a malloc'ed buffer for the caller.
int handOutBytes(const std::vector<uint8_t> &bytes, uint8_t **out, size_t *size) {
    auto *p = static_cast<uint8_t *>(std::malloc(bytes.size() ? bytes.size() : 1));
    if (!p) return fail(CVS_E_INTERNAL, "encode: out of memory");
    std::memcpy(p, bytes.data(), bytes.size());
    *out = p;
    *size = bytes.size();
    return CVS_OK;
}

/// Crops with padding, by index mapping; `border` replicate or constant.
cv::Mat cropPadded(const cv::Mat &src, int x, int y, int w, int h, int border, uint8_t constant) {
    cv::Mat dst(h, w, src.type(), cv::Scalar::all(constant));
    const int c = src.channels();
    const int W = src.cols, H = src.rows;
    const int ix0 = std::max(x, 0), ix1 = std::min(x + w, W);
    for (int r = 0; r < h; ++r) {
        int sy = y + r;
        bool outside = sy < 0 || sy >= H;
        if (outside && border == CVS_BORDER_CONSTANT) continue;
        sy = std::min(std::max(sy, 0), H - 1);
        const uint8_t *s = src.ptr<uint8_t>(sy);
        uint8_t *o = dst.ptr<uint8_t>(r);
        if (border == CVS_BORDER_CONSTANT) {
            if (ix1 > ix0) std::memcpy(o + (ix0 - x) * c, s + ix0 * c, size_t(ix1 - ix0) * c);
            continue;
        }
        for (int col = 0; col < w; ++col) {
            int sx = std::min(std::max(x + col, 0), W - 1);
            std::memcpy(o + col * c, s + sx * c, c);
        }
    }
    return dst;
}

/// INTER_AREA when shrinking in both directions, INTER_LINEAR otherwise.
void resizeInto(const cv::Mat &src, cv::Mat &dst) {
    if (src.cols == dst.cols && src.rows == dst.rows) {
        src.copyTo(dst);
        return;
    }
    int interp = (dst.cols <= src.cols && dst.rows <= src.rows) ? cv::INTER_AREA : cv::INTER_LINEAR;
    // OpenCV's generic area path, bit for bit, in about half its time (area_resize.hpp).
    if (interp == cv::INTER_AREA && smile::resizeAreaExact(src, dst)) return;
    cv::Mat tmp;
    cv::resize(src, tmp, dst.size(), 0, 0, interp);
    tmp.copyTo(dst);  // dst wraps caller memory: copy, do not reallocate
}

}  // namespace

/// The engine's kernel for our scan.
static smile::HaarScanner::Kernel kernelOf(int engine) {
    return engine == CVS_HAAR_SMILE_SCALAR     ? smile::HaarScanner::Kernel::reference
           : engine == CVS_HAAR_SMILE_PORTABLE ? smile::HaarScanner::Kernel::portable
                                               : smile::HaarScanner::Kernel::fastest;
}

/// Copies boxes, neighbour counts and level weights into a malloc'ed array for the caller.
static int handOut(const std::vector<cv::Rect> &boxes, const std::vector<int> &numbers, const std::vector<double> &levelWeights,
            cvs_detection **out, int *count) {
    if (boxes.empty()) return CVS_OK;
    auto *d = static_cast<cvs_detection *>(std::malloc(sizeof(cvs_detection) * boxes.size()));
    if (!d) return fail(CVS_E_INTERNAL, "detect: out of memory");
    for (size_t i = 0; i < boxes.size(); ++i) {
        d[i].x = boxes[i].x;
        d[i].y = boxes[i].y;
        d[i].width = boxes[i].width;
        d[i].height = boxes[i].height;
        d[i].neighbours = i < numbers.size() ? numbers[i] : 0;
        d[i].weight = i < levelWeights.size() ? levelWeights[i] : 0.0;
    }
    *out = d;
    *count = int(boxes.size());
    return CVS_OK;
}

/// cv::groupRectangles (eps 0.2, as detectMultiScale; our equal, faster version) and clipping to the
/// image, as detectMultiScale ends.
static void groupAndClip(cv::Size image, int minNeighbours, std::vector<cv::Rect> &boxes, std::vector<int> &neighbours) {
    smile::groupSimilarRects(boxes, neighbours, minNeighbours, 0.2);
    const cv::Rect whole(0, 0, image.width, image.height);
    size_t kept = 0;
    for (size_t i = 0; i < boxes.size(); ++i) {
        cv::Rect r = boxes[i] & whole;
        if (r.area() <= 0) continue;
        boxes[kept] = r;
        neighbours[kept] = neighbours[i];
        ++kept;
    }
    boxes.resize(kept);
    neighbours.resize(kept);
}

/// Every cluster of `boxes` (groupRectangles' similarity, eps 0.2), a single box included, as the
/// average of its boxes (rounded as groupRectangles rounds), with its size in `counts`; clipped to
/// the image. groupRectangles itself cannot: at threshold 0 it returns the boxes ungrouped.
static void clusterAndClip(cv::Size image, std::vector<cv::Rect> &boxes, std::vector<int> &counts) {
    std::vector<cv::Rect> averages;
    smile::averageClusters(boxes, 0.2, averages, counts);
    const cv::Rect whole(0, 0, image.width, image.height);
    boxes.clear();
    size_t kept = 0;
    for (size_t c = 0; c < averages.size(); ++c) {
        const cv::Rect r = averages[c] & whole;
        if (r.area() <= 0) continue;
        boxes.push_back(r);
        counts[kept++] = counts[c];
    }
    counts.resize(kept);
}

/// detectMultiScale (the numDetections overload) with our scan in place of OpenCV's:
/// the same grouping (eps 0.2) and the same clipping to the image follow. With `regions`, only
/// the raw windows inside them are grouped (see HaarScanner::candidatesInRegions).
void scanAndGroup(const smile::HaarScanner &scanner, const cv::Mat &gray, double scaleFactor, int minNeighbours,
                  cv::Size minSize, cv::Size maxSize, smile::HaarScanner::Kernel kernel, std::vector<cv::Rect> &boxes,
                  std::vector<int> &neighbours, const std::vector<cv::Rect> *regions = nullptr,
                  const std::vector<std::pair<int, int>> *sides = nullptr, smile::ScanLevels levels = {}) {
    if (regions)
        scanner.candidatesInRegions(gray, scaleFactor, minSize, maxSize, *regions, boxes, kernel, sides, levels);
    else
        scanner.candidates(gray, scaleFactor, minSize, maxSize, boxes, kernel, levels);
    groupAndClip(gray.size(), minNeighbours, boxes, neighbours);
}

struct cvs_cascade {
    std::string path;
    /// Our faster scan of the same cascade; null when it cannot scan this cascade.
    std::unique_ptr<smile::HaarScanner> scanner;
    int engine = CVS_HAAR_OPENCV;

    /// OpenCV's classifier of the cascade, read on first use when our scan reads the cascade
    /// (then only OpenCV's engine and level weights need it; reading the XML twice cost every start).
    cv::CascadeClassifier &classifier() {
        std::call_once(classifierRead, [this] { opencv.load(path); });
        if (opencv.empty()) throw std::runtime_error(path + ": OpenCV cannot read this cascade");
        return opencv;
    }

private:
    cv::CascadeClassifier opencv;
    std::once_flag classifierRead;
};

struct cvs_video {
    std::string path;
    /// The reader: our FFmpeg decoder, or OpenCV's VideoCapture as the reference it is checked against.
    std::unique_ptr<smile::VideoDecoder> decoder;
    std::unique_ptr<smile::lazy::VideoCapture> capture;
    double fps = 0;
    int index = 0;
};

extern "C" {

int cvs_version(void) { return 2; }

void cvs_set_num_threads(int threads) { cv::setNumThreads(threads); }

const char *cvs_last_error(void) { return lastError.c_str(); }

void cvs_free(void *p) { std::free(p); }

int cvs_decode_file(const char *path, int gray, int64_t max_pixels, cvs_image *out) {
    if (!path) return fail(CVS_E_INVALID, "decode: no path given");
    std::string name(path);
    return guarded(path, [&]() -> int {
        struct stat st;
        if (stat(path, &st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR) return fail(CVS_E_NOT_FOUND, name + ": no such file");
            return fail(CVS_E_UNREADABLE, name + ": cannot read: " + std::strerror(errno));
        }
        if (S_ISDIR(st.st_mode)) return fail(CVS_E_UNREADABLE, name + ": is a directory, not an image file");
        FILE *f = std::fopen(path, "rb");
        if (!f) return fail(CVS_E_UNREADABLE, name + ": cannot open: " + std::strerror(errno));
        std::vector<uint8_t> bytes;
        uint8_t chunk[65536];
        size_t got;
        while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.insert(bytes.end(), chunk, chunk + got);
        bool err = std::ferror(f) != 0;
        int savedErrno = errno;
        std::fclose(f);
        if (err) return fail(CVS_E_UNREADABLE, name + ": read error: " + std::strerror(savedErrno));
        return decode(bytes.data(), bytes.size(), gray, max_pixels, out, name);
    });
}

int cvs_decode_buffer(const uint8_t *data, size_t size, int gray, int64_t max_pixels, cvs_image *out) {
    if (!data && size > 0) return fail(CVS_E_INVALID, "image data: null buffer");
    return guarded("image data", [&] { return decode(data, size, gray, max_pixels, out, "image data"); });
}

int cvs_peek_size(const uint8_t *data, size_t size, int *width, int *height) {
    if (!data || !width || !height) return fail(CVS_E_INVALID, "peek: null argument");
    int rc = peek(data, size, width, height);
    if (rc == CVS_E_UNSUPPORTED) return fail(rc, "image data: header format not known to the size reader");
    if (rc == CVS_E_CORRUPT) return fail(rc, "image data: corrupt or truncated image header");
    return rc;
}

int cvs_encode(const uint8_t *pixels, int width, int height, int channels,
               int format, int quality, uint8_t **out, size_t *out_size) {
    if (!validImage(pixels, width, height, channels) || !out || !out_size)
        return fail(CVS_E_INVALID, "encode: invalid image or output");
    if (format != CVS_FORMAT_JPEG && format != CVS_FORMAT_PNG) return fail(CVS_E_INVALID, "encode: unknown format");
    return guarded("encode", [&]() -> int {
        std::vector<uint8_t> buf;
        const cv::Mat image = wrap(pixels, width, height, channels);
        bool ok = format == CVS_FORMAT_JPEG ? smile::encodeJPEG(image, quality, buf) : smile::encodePNG(image, buf);
        if (!ok) return fail(CVS_E_INTERNAL, std::string("encode: ") + (format == CVS_FORMAT_JPEG ? "libjpeg" : "libpng") +
                                                 " could not encode the image");
        return handOutBytes(buf, out, out_size);
    });
}

int cvs_encode_heif(const uint8_t *pixels, int width, int height, int channels, int avif, int quality, int orientation,
                    uint8_t **out, size_t *out_size) {
    if (!validImage(pixels, width, height, channels) || !out || !out_size)
        return fail(CVS_E_INVALID, "encode: invalid image or output");
    return guarded("encode", [&]() -> int {
        cv::Mat bgr = wrap(pixels, width, height, channels);
        if (channels == 1) cv::cvtColor(bgr, bgr, cv::COLOR_GRAY2BGR);
        std::vector<uint8_t> buf;
        std::string error;
        bool ok = false;
        try {
            ok = smile::encodeHEIF(bgr, avif != 0, quality, orientation, buf, error);
        } catch (const std::runtime_error &e) {
            return fail(CVS_E_UNSUPPORTED, std::string("encode: ") + e.what());
        }
        if (!ok) return fail(CVS_E_UNSUPPORTED, "encode: " + error);
        return handOutBytes(buf, out, out_size);
    });
}

int cvs_decode_buffer_opencv(const uint8_t *data, size_t size, int gray, cvs_image *out) {
    if (!data || !out) return fail(CVS_E_INVALID, "image data: null buffer");
    *out = cvs_image{0, 0, 0, nullptr};
    return guarded("image data", [&]() -> int {
        cv::Mat img = decodeWithOpenCV(data, size, gray);
        if (img.empty()) return fail(CVS_E_CORRUPT, "image data: OpenCV could not decode it");
        return exportImage(img, out, "image data");
    });
}

int cvs_encode_opencv(const uint8_t *pixels, int width, int height, int channels, int format, int quality,
                      uint8_t **out, size_t *out_size) {
    if (!validImage(pixels, width, height, channels) || !out || !out_size)
        return fail(CVS_E_INVALID, "encode: invalid image or output");
    if (format != CVS_FORMAT_JPEG && format != CVS_FORMAT_PNG) return fail(CVS_E_INVALID, "encode: unknown format");
    return guarded("encode", [&]() -> int {
        std::vector<uchar> buf;
        std::vector<int> params;
        if (format == CVS_FORMAT_JPEG) params = {cv::IMWRITE_JPEG_QUALITY, std::min(std::max(quality, 0), 100)};
        if (!smile::lazy::imencode(format == CVS_FORMAT_JPEG ? ".jpg" : ".png", wrap(pixels, width, height, channels),
                                   buf, params))
            return fail(CVS_E_INTERNAL, "encode: OpenCV could not encode the image");
        return handOutBytes(buf, out, out_size);
    });
}

int cvs_convert(const uint8_t *src, int width, int height, int channels, uint8_t *dst, int dst_channels) {
    if (!validImage(src, width, height, channels) || !dst || (dst_channels != 1 && dst_channels != 3))
        return fail(CVS_E_INVALID, "convert: invalid image");
    return guarded("convert", [&]() -> int {
        cv::Mat s = wrap(src, width, height, channels), d = wrap(dst, width, height, dst_channels);
        if (channels == dst_channels) s.copyTo(d);
        else cv::cvtColor(s, d, channels == 3 ? cv::COLOR_BGR2GRAY : cv::COLOR_GRAY2BGR);
        return CVS_OK;
    });
}

int cvs_crop_resize(const uint8_t *src, int width, int height, int channels,
                    int x, int y, int w, int h, int border, uint8_t constant,
                    uint8_t *dst, int dst_w, int dst_h) {
    if (!validImage(src, width, height, channels) || !dst || w <= 0 || h <= 0 || dst_w <= 0 || dst_h <= 0)
        return fail(CVS_E_INVALID, "crop: invalid image or rectangle");
    return guarded("crop", [&]() -> int {
        cv::Mat s = wrap(src, width, height, channels), d = wrap(dst, dst_w, dst_h, channels);
        bool inside = x >= 0 && y >= 0 && x + w <= width && y + h <= height;
        cv::Mat crop = inside ? s(cv::Rect(x, y, w, h)) : cropPadded(s, x, y, w, h, border, constant);
        resizeInto(crop, d);
        return CVS_OK;
    });
}

int cvs_resize(const uint8_t *src, int width, int height, int channels, uint8_t *dst, int dst_w, int dst_h) {
    if (!validImage(src, width, height, channels) || !dst || dst_w <= 0 || dst_h <= 0)
        return fail(CVS_E_INVALID, "resize: invalid image or size");
    return guarded("resize", [&]() -> int {
        cv::Mat d = wrap(dst, dst_w, dst_h, channels);
        resizeInto(wrap(src, width, height, channels), d);
        return CVS_OK;
    });
}

int cvs_warp_affine(const uint8_t *src, int width, int height, int channels,
                    const double m[6], uint8_t *dst, int dst_w, int dst_h) {
    if (!validImage(src, width, height, channels) || !m || !dst || dst_w <= 0 || dst_h <= 0)
        return fail(CVS_E_INVALID, "warp: invalid image, matrix or size");
    return guarded("warp", [&]() -> int {
        cv::Mat mat(2, 3, CV_64F);
        for (int i = 0; i < 6; ++i) mat.at<double>(i / 3, i % 3) = m[i];
        cv::Mat tmp;
        cv::warpAffine(wrap(src, width, height, channels), tmp, mat, cv::Size(dst_w, dst_h),
                       cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        cv::Mat d = wrap(dst, dst_w, dst_h, channels);
        tmp.copyTo(d);
        return CVS_OK;
    });
}

int cvs_flip_horizontal(const uint8_t *src, int width, int height, int channels, uint8_t *dst) {
    if (!validImage(src, width, height, channels) || !dst) return fail(CVS_E_INVALID, "flip: invalid image");
    return guarded("flip", [&]() -> int {
        cv::Mat d = wrap(dst, width, height, channels);
        cv::flip(wrap(src, width, height, channels), d, 1);
        return CVS_OK;
    });
}

int cvs_equalize(const uint8_t *src, int width, int height, uint8_t *dst) {
    if (!validImage(src, width, height, 1) || !dst) return fail(CVS_E_INVALID, "equalize: invalid gray image");
    return guarded("equalize", [&]() -> int {
        cv::Mat d = wrap(dst, width, height, 1);
        cv::equalizeHist(wrap(src, width, height, 1), d);
        return CVS_OK;
    });
}

int cvs_draw_rectangle(uint8_t *pixels, int width, int height, int channels,
                       int x, int y, int w, int h, uint8_t b, uint8_t g, uint8_t r, int thickness) {
    if (!validImage(pixels, width, height, channels) || w <= 0 || h <= 0)
        return fail(CVS_E_INVALID, "draw: invalid image or rectangle");
    return guarded("draw", [&]() -> int {
        cv::Mat img = wrap(pixels, width, height, channels);
        cv::Scalar color = channels == 3 ? cv::Scalar(b, g, r) : cv::Scalar(0.114 * b + 0.587 * g + 0.299 * r);
        cv::rectangle(img, cv::Rect(x, y, w, h), color, std::max(thickness, 1), cv::LINE_AA);
        return CVS_OK;
    });
}

int cvs_draw_polygon(uint8_t *pixels, int width, int height, int channels,
                     const int *xy, int count, uint8_t b, uint8_t g, uint8_t r, int thickness) {
    if (!validImage(pixels, width, height, channels) || !xy || count < 2)
        return fail(CVS_E_INVALID, "polygon: invalid image or fewer than 2 points");
    return guarded("polygon", [&]() -> int {
        cv::Mat img = wrap(pixels, width, height, channels);
        cv::Scalar color = channels == 3 ? cv::Scalar(b, g, r) : cv::Scalar(0.114 * b + 0.587 * g + 0.299 * r);
        std::vector<cv::Point> points;
        for (int i = 0; i < count; i++) points.emplace_back(xy[2 * i], xy[2 * i + 1]);
        cv::polylines(img, points, true, color, std::max(thickness, 1), cv::LINE_AA);
        return CVS_OK;
    });
}

int cvs_draw_label(uint8_t *pixels, int width, int height, int channels,
                   const char *text, int x, int y, uint8_t b, uint8_t g, uint8_t r, double scale) {
    if (!validImage(pixels, width, height, channels) || !text || !(scale > 0))
        return fail(CVS_E_INVALID, "label: invalid image, text or scale");
    return guarded("label", [&]() -> int {
        cv::Mat img = wrap(pixels, width, height, channels);
        const int font = cv::FONT_HERSHEY_SIMPLEX;
        const int thick = std::max(1, int(std::lround(scale * 1.5)));
        const int pad = std::max(2, int(std::lround(scale * 4)));
        int baseline = 0;
        cv::Size ts = cv::getTextSize(text, font, scale, thick, &baseline);
        int bw = ts.width + 2 * pad, bh = ts.height + baseline + 2 * pad;
        int left = std::max(0, std::min(x, width - bw));
        int top = std::max(0, std::min(y - bh, height - bh));
        double lum = 0.114 * b + 0.587 * g + 0.299 * r;
        cv::Scalar bg = channels == 3 ? cv::Scalar(b, g, r) : cv::Scalar(lum);
        cv::Scalar fg = lum >= 128 ? cv::Scalar::all(0) : cv::Scalar::all(255);
        cv::rectangle(img, cv::Rect(left, top, bw, bh), bg, cv::FILLED);
        cv::putText(img, text, cv::Point(left + pad, top + pad + ts.height), font, scale, fg, thick, cv::LINE_AA);
        return CVS_OK;
    });
}

int cvs_cascade_open(const char *path, cvs_cascade **out) {
    if (!path || !out) return fail(CVS_E_INVALID, "cascade: no path given");
    *out = nullptr;
    std::string name(path);
    return guarded(path, [&]() -> int {
        struct stat st;
        if (stat(path, &st) != 0) return fail(CVS_E_CASCADE, name + ": cascade file not found");
        if (S_ISDIR(st.st_mode)) return fail(CVS_E_CASCADE, name + ": is a directory, not a cascade file");
        std::unique_ptr<cvs_cascade> c(new cvs_cascade());
        c->path = name;
        c->scanner = smile::HaarScanner::load(name);
        if (c->scanner) {
            c->engine = CVS_HAAR_SMILE;
        } else {
            bool ok = false;
            try {
                ok = !c->classifier().empty();
            } catch (const std::exception &) {
                ok = false;
            }
            if (!ok) return fail(CVS_E_CASCADE, name + ": not a valid OpenCV cascade file");
        }
        *out = c.release();
        return CVS_OK;
    });
}

void cvs_cascade_close(cvs_cascade *cascade) { delete cascade; }

// ---- YuNet ----------------------------------------------------------------

struct cvs_yunet {
    cv::Ptr<cv::FaceDetectorYN> detector;
    std::string path;
};

int cvs_yunet_open(const char *path, cvs_yunet **out) {
    if (!path || !out) return fail(CVS_E_INVALID, "yunet: no path given");
    *out = nullptr;
    std::string name(path);
    return guarded(path, [&]() -> int {
        struct stat st;
        if (stat(path, &st) != 0) return fail(CVS_E_CASCADE, name + ": detector model not found");
        if (S_ISDIR(st.st_mode)) return fail(CVS_E_CASCADE, name + ": is a directory, not a detector model");
        std::unique_ptr<cvs_yunet> y(new cvs_yunet());
        y->path = name;
        try {
            y->detector = cv::FaceDetectorYN::create(name, "", cv::Size(320, 320), 0.9f, 0.3f, 5000);
        } catch (const cv::Exception &e) {
            return fail(CVS_E_CASCADE, name + ": not a usable YuNet model: " + e.what());
        }
        if (!y->detector) return fail(CVS_E_CASCADE, name + ": not a usable YuNet model");
        *out = y.release();
        return CVS_OK;
    });
}

void cvs_yunet_close(cvs_yunet *detector) { delete detector; }

int cvs_yunet_detect(cvs_yunet *detector, const uint8_t *pixels, int width, int height, int channels,
                     float score_threshold, float nms_threshold, cvs_face **out, int *count) {
    if (!detector || !out || !count) return fail(CVS_E_INVALID, "yunet: null argument");
    *out = nullptr;
    *count = 0;
    if (!validImage(pixels, width, height, channels)) return fail(CVS_E_INVALID, "yunet: bad image");
    return guarded("yunet", [&]() -> int {
        cv::Mat input(height, width, channels == 1 ? CV_8UC1 : CV_8UC3, const_cast<uint8_t *>(pixels));
        cv::Mat bgr;
        if (channels == 1) cv::cvtColor(input, bgr, cv::COLOR_GRAY2BGR); else bgr = input;
        detector->detector->setInputSize(cv::Size(width, height));
        detector->detector->setScoreThreshold(score_threshold);
        detector->detector->setNMSThreshold(nms_threshold);
        cv::Mat faces;
        detector->detector->detect(bgr, faces);
        if (faces.empty()) return CVS_OK;
        CV_Assert(faces.type() == CV_32F && faces.cols >= 15);
        auto *result = static_cast<cvs_face *>(std::malloc(sizeof(cvs_face) * faces.rows));
        if (!result) return fail(CVS_E_INTERNAL, "yunet: out of memory");
        for (int i = 0; i < faces.rows; ++i) {
            const float *row = faces.ptr<float>(i);
            cvs_face &f = result[i];
            f.x = row[0]; f.y = row[1]; f.width = row[2]; f.height = row[3];
            for (int k = 0; k < 10; ++k) f.landmarks[k] = row[4 + k];
            f.score = row[14];
        }
        *out = result;
        *count = faces.rows;
        return CVS_OK;
    });
}

int cvs_cascade_set_engine(cvs_cascade *cascade, int engine) {
    if (!cascade) return fail(CVS_E_INVALID, "cascade: null handle");
    if (engine != CVS_HAAR_OPENCV && engine != CVS_HAAR_SMILE && engine != CVS_HAAR_SMILE_SCALAR &&
        engine != CVS_HAAR_SMILE_PORTABLE)
        return fail(CVS_E_INVALID, "cascade: unknown scan engine " + std::to_string(engine));
    if (engine != CVS_HAAR_OPENCV && !cascade->scanner)
        return fail(CVS_E_INVALID, "cascade: our scan reads only upright stump-based Haar cascades; this one is "
                                   "scanned by OpenCV");
    cascade->engine = engine;
    return CVS_OK;
}

int cvs_cascade_engine(const cvs_cascade *cascade) { return cascade ? cascade->engine : CVS_HAAR_OPENCV; }

/// cvs_cascade_detect and cvs_cascade_detect_regions: with `regions`, only raw windows inside them count.
static int detectIn(cvs_cascade *cascade, const uint8_t *gray, int width, int height, double scale_factor,
                    int min_neighbours, int min_size, int max_size, int equalize, int weights,
                    const std::vector<cv::Rect> *regions, const std::vector<std::pair<int, int>> *sides,
                    cvs_detection **out, int *count, smile::ScanLevels scanLevels = {}) {
    if (!cascade || !validImage(gray, width, height, 1) || !out || !count)
        return fail(CVS_E_INVALID, "detect: invalid cascade or image");
    if (scanLevels.every < 1 || scanLevels.phase < 0 || scanLevels.phase >= scanLevels.every)
        return fail(CVS_E_INVALID, "detect: invalid level selection");
    if (scanLevels.every > 1 && (weights || cascade->engine == CVS_HAAR_OPENCV))
        return fail(CVS_E_INVALID, "detect: a level selection needs our scan engine and no level weights");
    if (!(scale_factor > 1.0)) return fail(CVS_E_INVALID, "detect: scale factor must be greater than 1");
    if (min_neighbours < 0 || min_size < 0 || max_size < 0) return fail(CVS_E_INVALID, "detect: negative parameter");
    *out = nullptr;
    *count = 0;
    if (regions && regions->empty()) return CVS_OK;
    return guarded("detect", [&]() -> int {
        cv::Mat img = wrap(gray, width, height, 1);
        if (equalize) {
            cv::Mat eq;
            cv::equalizeHist(img, eq);
            img = eq;
        }
        std::vector<cv::Rect> boxes;
        std::vector<int> levels, numbers;
        std::vector<double> levelWeights;
        cv::Size minS(min_size, min_size), maxS(max_size, max_size);
        if (weights) {
            cascade->classifier().detectMultiScale(img, boxes, levels, levelWeights, scale_factor, min_neighbours, 0, minS, maxS, true);
        } else if (cascade->engine != CVS_HAAR_OPENCV) {
            scanAndGroup(*cascade->scanner, img, scale_factor, min_neighbours, minS, maxS, kernelOf(cascade->engine),
                         boxes, numbers, regions, sides, scanLevels);
        } else if (regions) {
            // OpenCV's raw windows (0 neighbours: no grouping), those inside a region, then grouped.
            std::vector<cv::Rect> raw;
            cascade->classifier().detectMultiScale(img, raw, numbers, scale_factor, 0, 0, minS, maxS);
            for (const cv::Rect &r : raw)
                for (size_t i = 0; i < regions->size(); ++i)
                    if (((r & (*regions)[i]) == r) &&
                        (!sides || (r.width >= (*sides)[i].first && r.width <= (*sides)[i].second))) {
                        boxes.push_back(r);
                        break;
                    }
            groupAndClip(img.size(), min_neighbours, boxes, numbers);
        } else {
            cascade->classifier().detectMultiScale(img, boxes, numbers, scale_factor, min_neighbours, 0, minS, maxS);
        }
        return handOut(boxes, numbers, levelWeights, out, count);
    });
}

int cvs_cascade_detect(cvs_cascade *cascade, const uint8_t *gray, int width, int height,
                       double scale_factor, int min_neighbours, int min_size, int max_size,
                       int equalize, int weights, cvs_detection **out, int *count) {
    return detectIn(cascade, gray, width, height, scale_factor, min_neighbours, min_size, max_size, equalize, weights,
                    nullptr, nullptr, out, count);
}

/// The regions and side ranges of cvs_cascade_detect_regions as our scan takes them (empty ones dropped).
static bool parseRegions(const int *regions, const int *sides, int region_count, std::vector<cv::Rect> &areas,
                         std::vector<std::pair<int, int>> &ranges) {
    if (region_count < 0 || (region_count > 0 && !regions)) return false;
    for (int i = 0; i < region_count; ++i) {
        cv::Rect r(regions[4 * i], regions[4 * i + 1], regions[4 * i + 2], regions[4 * i + 3]);
        if (r.width <= 0 || r.height <= 0) continue;
        areas.push_back(r);
        if (sides) ranges.push_back({sides[2 * i], sides[2 * i + 1] > 0 ? sides[2 * i + 1] : INT_MAX});
    }
    return true;
}

int cvs_cascade_detect_regions(cvs_cascade *cascade, const uint8_t *gray, int width, int height,
                               double scale_factor, int min_neighbours, int min_size, int max_size, int equalize,
                               const int *regions, const int *sides, int region_count, cvs_detection **out,
                               int *count) {
    std::vector<cv::Rect> areas;
    std::vector<std::pair<int, int>> ranges;
    if (!parseRegions(regions, sides, region_count, areas, ranges)) return fail(CVS_E_INVALID, "detect: invalid regions");
    return detectIn(cascade, gray, width, height, scale_factor, min_neighbours, min_size, max_size, equalize, 0, &areas,
                    sides ? &ranges : nullptr, out, count);
}

int cvs_cascade_raw_windows(cvs_cascade *cascade, const uint8_t *gray, int width, int height, double scale_factor,
                            int min_size, int max_size, int equalize, int level_every, int level_phase,
                            const int *regions, const int *sides, int region_count, cvs_detection **out, int *count) {
    std::vector<cv::Rect> areas;
    std::vector<std::pair<int, int>> ranges;
    if (regions && !parseRegions(regions, sides, region_count, areas, ranges))
        return fail(CVS_E_INVALID, "detect: invalid regions");
    return detectIn(cascade, gray, width, height, scale_factor, 0, min_size, max_size, equalize, 0,
                    regions ? &areas : nullptr, regions && sides ? &ranges : nullptr, out, count,
                    {level_every, level_phase});
}

int cvs_integral(const uint8_t *gray, int width, int height, int32_t *sum, int32_t *squares, int vectorised) {
    if (!validImage(gray, width, height, 1) || !sum || !squares) return fail(CVS_E_INVALID, "integral: invalid image");
    smile::integralSumAndSquares(gray, size_t(width), width, height, sum, squares, size_t(width) + 1, vectorised != 0);
    return CVS_OK;
}

int cvs_resize_linear_exact(const uint8_t *gray, int width, int height, uint8_t *dst, int dst_width, int dst_height,
                            int row_begin, int row_end, int engine) {
    if (!validImage(gray, width, height, 1) || !validImage(dst, dst_width, dst_height, 1) || engine < 0 || engine > 2)
        return fail(CVS_E_INVALID, "resize: invalid image or engine");
    return guarded("resize", [&]() -> int {
        cv::Mat src = wrap(gray, width, height, 1), out = wrap(dst, dst_width, dst_height, 1);
        smile::LinearExactPlan plan;
        if (engine == 0 || !smile::planLinearExact(width, height, dst_width, dst_height, plan))
            cv::resize(src, out, out.size(), 0, 0, cv::INTER_LINEAR_EXACT);
        else
            smile::resizeLinearExact(plan, gray, size_t(width), dst, size_t(dst_width), row_begin, row_end, 0, dst_width,
                                     engine == 1);
        return CVS_OK;
    });
}

int cvs_resize_area(const uint8_t *gray, int width, int height, uint8_t *dst, int dst_width, int dst_height, int engine) {
    if (!validImage(gray, width, height, 1) || !validImage(dst, dst_width, dst_height, 1) || engine < 0 || engine > 2)
        return fail(CVS_E_INVALID, "resize: invalid image or engine");
    return guarded("resize", [&]() -> int {
        cv::Mat src = wrap(gray, width, height, 1), out = wrap(dst, dst_width, dst_height, 1);
        if (engine == 0 || !smile::resizeAreaExact(src, out, engine == 1)) {
            cv::Mat tmp;
            cv::resize(src, tmp, out.size(), 0, 0, cv::INTER_AREA);
            tmp.copyTo(out);
        }
        return CVS_OK;
    });
}

int cvs_group_rectangles(const int *xywh, int count, int threshold, int engine, int *out, int *out_count, int *labels) {
    if (count < 0 || (count > 0 && (!xywh || !out)) || !out_count || engine < 0 || engine > 1)
        return fail(CVS_E_INVALID, "group: invalid boxes or engine");
    return guarded("group", [&]() -> int {
        std::vector<cv::Rect> boxes;
        for (int i = 0; i < count; ++i) boxes.emplace_back(xywh[4 * i], xywh[4 * i + 1], xywh[4 * i + 2], xywh[4 * i + 3]);
        if (labels) {
            std::vector<int> found;
            if (engine == 0)
                cv::partition(boxes, found, cv::SimilarRects(0.2));
            else
                smile::partitionSimilarRects(boxes, 0.2, found);
            std::copy(found.begin(), found.end(), labels);
        }
        std::vector<int> weights;
        if (engine == 0)
            cv::groupRectangles(boxes, weights, threshold, 0.2);
        else
            smile::groupSimilarRects(boxes, weights, threshold, 0.2);
        for (size_t i = 0; i < boxes.size(); ++i) {
            const int kept[5] = {boxes[i].x, boxes[i].y, boxes[i].width, boxes[i].height, weights[i]};
            std::copy(kept, kept + 5, out + 5 * i);
        }
        *out_count = int(boxes.size());
        return CVS_OK;
    });
}

int cvs_group_detections(const cvs_detection *raw, int raw_count, int min_neighbours, int width, int height,
                         cvs_detection **out, int *count) {
    if (raw_count < 0 || (raw_count > 0 && !raw) || !out || !count || width <= 0 || height <= 0 || min_neighbours < 0)
        return fail(CVS_E_INVALID, "group: invalid windows or image size");
    *out = nullptr;
    *count = 0;
    return guarded("group", [&]() -> int {
        std::vector<cv::Rect> boxes;
        std::vector<int> numbers;
        boxes.reserve(size_t(raw_count));
        for (int i = 0; i < raw_count; ++i) boxes.emplace_back(raw[i].x, raw[i].y, raw[i].width, raw[i].height);
        if (min_neighbours == 0)
            clusterAndClip(cv::Size(width, height), boxes, numbers);
        else
            groupAndClip(cv::Size(width, height), min_neighbours, boxes, numbers);
        return handOut(boxes, numbers, {}, out, count);
    });
}

int cvs_video_open(const char *path, int reader, cvs_video **out, double *fps, int *frame_count) {
    if (!path || !out) return fail(CVS_E_INVALID, "video: no path given");
    *out = nullptr;
    std::string name(path);
    return guarded(path, [&]() -> int {
        struct stat st;
        if (stat(path, &st) != 0) return fail(CVS_E_NOT_FOUND, name + ": no such video file");
        if (S_ISDIR(st.st_mode)) return fail(CVS_E_UNREADABLE, name + ": is a directory, not a video file");
        FILE *f = std::fopen(path, "rb");
        if (!f) return fail(CVS_E_UNREADABLE, name + ": cannot open: " + std::strerror(errno));
        std::fclose(f);
        if (st.st_size == 0) return fail(CVS_E_EMPTY, name + ": empty file (0 bytes)");
        auto v = std::make_unique<cvs_video>();
        v->path = name;
        if (reader == CVS_VIDEO_OPENCV_REFERENCE) {
            v->capture = std::make_unique<smile::lazy::VideoCapture>();
            bool ok = false;
            try {
                ok = v->capture->open(name) && v->capture->isOpened();
            } catch (const cv::Exception &) {
                ok = false;
            }
            if (!ok) return fail(CVS_E_VIDEO, name + ": cannot open as a video (unsupported or corrupt)");
            v->fps = v->capture->get(cv::CAP_PROP_FPS);
            if (!(v->fps > 0) || !std::isfinite(v->fps)) v->fps = 0;
            double n = v->capture->get(cv::CAP_PROP_FRAME_COUNT);
            if (frame_count) *frame_count = (n > 0 && std::isfinite(n)) ? int(n) : 0;
        } else {
            try {
                v->decoder = std::make_unique<smile::VideoDecoder>(name);
            } catch (const std::runtime_error &e) {
                return fail(CVS_E_VIDEO, e.what());
            }
            v->fps = v->decoder->fps();
            if (frame_count) *frame_count = v->decoder->frameCount();
        }
        if (fps) *fps = v->fps;
        *out = v.release();
        return CVS_OK;
    });
}

namespace {

/// The reference reader's next frame: OpenCV's own numbering and CAP_PROP_POS_MSEC.
bool readReference(cvs_video *video, cv::Mat &m, cvs_video_frame *info) {
    if (!video->capture->read(m) || m.empty()) return false;
    double ms = video->capture->get(cv::CAP_PROP_POS_MSEC);
    int i = video->index++;
    double t = ms > 0 && std::isfinite(ms) ? ms / 1000.0 : (video->fps > 0 ? i / video->fps : double(i));
    if (i == 0 && !(ms > 0)) t = 0;
    info->index = i;
    info->seconds = t;
    return true;
}

void copyReason(const std::string &reason, char *out, size_t size) {
    std::snprintf(out, size, "%s", reason.c_str());
}

}  // namespace

int cvs_video_read(cvs_video *video, cvs_image *frame, cvs_video_frame *info, int *got) {
    if (!video || !frame || !info || !got) return fail(CVS_E_INVALID, "video: invalid handle or output");
    *got = 0;
    *frame = cvs_image{0, 0, 0, nullptr};
    *info = cvs_video_frame{};
    return guarded(video->path.c_str(), [&]() -> int {
        cv::Mat m;
        if (video->capture) {
            if (!readReference(video, m, info)) return CVS_OK;
        } else {
            smile::DecodedFrameInfo decoded;
            try {
                if (!video->decoder->next(m, decoded)) return CVS_OK;
            } catch (const std::runtime_error &e) {
                return fail(CVS_E_VIDEO, e.what());
            }
            info->index = decoded.index;
            info->seconds = decoded.seconds;
            info->lost_before = decoded.lostBefore;
            info->concealed = decoded.concealed ? 1 : 0;
            copyReason(decoded.lostReason, info->lost_reason, sizeof info->lost_reason);
        }
        if (m.depth() != CV_8U) {
            cv::Mat c;
            m.convertTo(c, CV_8U);
            m = c;
        }
        if (m.channels() != 3) {
            cv::Mat c;
            cv::cvtColor(m, c, m.channels() == 4 ? cv::COLOR_BGRA2BGR : cv::COLOR_GRAY2BGR);
            m = c;
        }
        int rc = exportImage(m, frame, video->path);
        if (rc != CVS_OK) return rc;
        *got = 1;
        return CVS_OK;
    });
}

int cvs_video_lost_at_end(const cvs_video *video, int *count, char *reason, int reason_size) {
    if (!video || !count) return fail(CVS_E_INVALID, "video: invalid handle or output");
    *count = video->decoder ? video->decoder->lostAtEnd() : 0;
    if (reason && reason_size > 0) copyReason(video->decoder ? video->decoder->lostAtEndReason() : "", reason, size_t(reason_size));
    return CVS_OK;
}

void cvs_video_close(cvs_video *video) {
    if (!video) return;
    try {
        if (video->capture) video->capture->release();
    } catch (...) {
    }
    delete video;
}

}  // extern "C"
