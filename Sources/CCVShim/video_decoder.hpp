// video_decoder.hpp - a video's frames through FFmpeg's libraries, loaded when the first video opens.
//
// Why not cv::VideoCapture: when a packet in the middle of a video cannot be decoded, OpenCV's
// FFmpeg backend skips it without a word and numbers the frames that follow one too low (its
// frame position and time count the frames it returned). A damaged file then gives a table whose
// frame numbers and times are wrong after the damage. Decoding here sees each failed packet, so
// the frames after it keep their numbers and the lost ones can be named.
//
// The libraries are dlopen'ed (by the sonames of the headers built against, as lazy_opencv.hpp
// does for OpenCV's video module), so a run on photos never loads FFmpeg. Conversion to BGR and
// the container's rotation are done as OpenCV 4.6's backend does them (SWS_BICUBIC, rotation by
// the display matrix), so frames match cv::VideoCapture's pixel for pixel on undamaged files.
#pragma once

#include <opencv2/core.hpp>

#include <memory>
#include <string>

namespace smile {

/// Where a decoded frame sits in the video, and what was lost just before it.
struct DecodedFrameInfo {
    /// 0-based frame number, counting frames that could not be decoded.
    int index = 0;
    /// index / frames per second, or the frame's timestamp when the rate is unknown.
    double seconds = 0;
    /// Frames that could not be decoded between the previous frame returned and this one.
    int lostBefore = 0;
    /// FFmpeg's reason for the last of those (empty when none).
    std::string lostReason;
    /// The decoder met damaged data in this frame and filled in what it could (FFmpeg's error
    /// concealment): the frame is kept, but parts of it may be wrong.
    bool concealed = false;
};

/// Reads a video file's frames in order as 8-bit BGR. Not thread-safe.
class VideoDecoder {
public:
    /// Opens `path`; throws std::runtime_error naming the file and the reason.
    explicit VideoDecoder(const std::string &path);
    ~VideoDecoder();
    VideoDecoder(const VideoDecoder &) = delete;
    VideoDecoder &operator=(const VideoDecoder &) = delete;

    /// Frames per second of the stream (0 when the container gives none).
    double fps() const;
    /// Frames the container lists (or its duration times the rate; 0 when unknown).
    int frameCount() const;

    /// The next frame into `bgr` with its position; false at the end of the stream. Throws
    /// std::runtime_error when the file cannot be read any further.
    bool next(cv::Mat &bgr, DecodedFrameInfo &info);

    /// Frames that could not be decoded after the last frame returned (valid once `next` has
    /// returned false), and FFmpeg's reason for the last of them.
    int lostAtEnd() const;
    std::string lostAtEndReason() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace smile
