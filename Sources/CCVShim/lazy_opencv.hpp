// lazy_opencv.hpp - OpenCV's image codecs and video reading, loaded when first needed.
//
// Why: libopencv_imgcodecs and libopencv_videoio bring about 180 more shared libraries into the
// process (GDAL, GDCM, FFmpeg, GStreamer, ...: the tool loaded 266 with them linked, 82 without).
// Linked, they made every start of the tool take about 300 ms here, `smile --help` included. JPEG and PNG, nearly every photo, are read without
// them (image_codecs.hpp); these load on the first other image format and on the first video.
//
// How: dlopen the library OpenCV's headers name (libopencv_<module>.so.<major><minor>) and dlsym
// the C++ functions we call, by their Itanium-ABI names (the ABI of Debian's compilers and OpenCV).
// Members are called as functions taking the object first, as that ABI defines them.
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include <string>
#include <vector>

namespace smile::lazy {

/// cv::imdecode from libopencv_imgcodecs. Throws std::runtime_error naming the library when it
/// cannot be loaded.
cv::Mat imdecode(const cv::Mat &buffer, int flags);

/// cv::imencode from libopencv_imgcodecs (throws likewise).
bool imencode(const std::string &extension, const cv::Mat &image, std::vector<uchar> &out,
              const std::vector<int> &parameters);

/// A cv::VideoCapture made and driven through libopencv_videoio, loaded on first construction
/// (which throws std::runtime_error naming the library when it cannot be loaded).
class VideoCapture {
public:
    VideoCapture();
    ~VideoCapture();
    VideoCapture(const VideoCapture &) = delete;
    VideoCapture &operator=(const VideoCapture &) = delete;

    /// cv::VideoCapture::open(path, CAP_ANY).
    bool open(const std::string &path);
    bool isOpened() const;
    /// The next frame into `frame`; false at the end.
    bool read(cv::Mat &frame);
    /// cv::VideoCapture::get.
    double get(int property) const;
    void release();

private:
    /// The cv::VideoCapture itself, built by the library's constructor.
    alignas(cv::VideoCapture) unsigned char storage_[sizeof(cv::VideoCapture)];
};

}  // namespace smile::lazy
