// video_decoder.cpp - see video_decoder.hpp.

#include "video_decoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libswscale/swscale.h>
}

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace smile {

namespace {

/// One of FFmpeg's libraries, loaded once by the soname of the headers we were built against.
struct Library {
    void *handle = nullptr;
    std::string name, error;

    Library(const char *base, int major) {
        name = std::string("lib") + base + ".so." + std::to_string(major);
        handle = dlopen(name.c_str(), RTLD_LAZY | RTLD_LOCAL);
        if (!handle) {
            const char *why = dlerror();
            error = why ? why : "unknown error";
        }
    }

    /// The C function `symbol`, typed like the declaration `F`; throws when missing.
    template <class F>
    F *function(const char *symbol) const {
        if (!handle) throw std::runtime_error("cannot load FFmpeg's " + name + ": " + error);
        void *address = dlsym(handle, symbol);
        if (!address) throw std::runtime_error(name + " lacks " + symbol + " (another FFmpeg version?)");
        return reinterpret_cast<F *>(address);
    }
};

/// The FFmpeg functions the decoder calls, resolved on first use.
struct FFmpeg {
    decltype(avformat_open_input) *openInput;
    decltype(avformat_find_stream_info) *findStreamInfo;
    decltype(av_find_best_stream) *findBestStream;
    decltype(av_read_frame) *readFrame;
    decltype(avformat_close_input) *closeInput;
    decltype(av_stream_get_side_data) *streamSideData;
    decltype(avformat_index_get_entries_count) *indexEntries;
    decltype(avformat_index_get_entry) *indexEntry;
    decltype(avcodec_alloc_context3) *allocContext;
    decltype(avcodec_parameters_to_context) *parametersToContext;
    decltype(avcodec_open2) *openCodec;
    decltype(avcodec_send_packet) *sendPacket;
    decltype(avcodec_receive_frame) *receiveFrame;
    decltype(avcodec_free_context) *freeContext;
    decltype(av_packet_alloc) *packetAlloc;
    decltype(av_packet_free) *packetFree;
    decltype(av_packet_unref) *packetUnref;
    decltype(av_frame_alloc) *frameAlloc;
    decltype(av_frame_free) *frameFree;
    decltype(av_strerror) *describeError;
    decltype(av_log_set_level) *setLogLevel;
    decltype(av_display_rotation_get) *displayRotation;
    decltype(sws_getCachedContext) *scalerContext;
    decltype(sws_scale) *scale;
    decltype(sws_freeContext) *freeScaler;

    FFmpeg() {
        const Library format("avformat", LIBAVFORMAT_VERSION_MAJOR), codec("avcodec", LIBAVCODEC_VERSION_MAJOR),
            util("avutil", LIBAVUTIL_VERSION_MAJOR), scaler("swscale", LIBSWSCALE_VERSION_MAJOR);
        openInput = format.function<decltype(avformat_open_input)>("avformat_open_input");
        findStreamInfo = format.function<decltype(avformat_find_stream_info)>("avformat_find_stream_info");
        findBestStream = format.function<decltype(av_find_best_stream)>("av_find_best_stream");
        readFrame = format.function<decltype(av_read_frame)>("av_read_frame");
        closeInput = format.function<decltype(avformat_close_input)>("avformat_close_input");
        streamSideData = format.function<decltype(av_stream_get_side_data)>("av_stream_get_side_data");
        indexEntries = format.function<decltype(avformat_index_get_entries_count)>("avformat_index_get_entries_count");
        indexEntry = format.function<decltype(avformat_index_get_entry)>("avformat_index_get_entry");
        allocContext = codec.function<decltype(avcodec_alloc_context3)>("avcodec_alloc_context3");
        parametersToContext = codec.function<decltype(avcodec_parameters_to_context)>("avcodec_parameters_to_context");
        openCodec = codec.function<decltype(avcodec_open2)>("avcodec_open2");
        sendPacket = codec.function<decltype(avcodec_send_packet)>("avcodec_send_packet");
        receiveFrame = codec.function<decltype(avcodec_receive_frame)>("avcodec_receive_frame");
        freeContext = codec.function<decltype(avcodec_free_context)>("avcodec_free_context");
        packetAlloc = codec.function<decltype(av_packet_alloc)>("av_packet_alloc");
        packetFree = codec.function<decltype(av_packet_free)>("av_packet_free");
        packetUnref = codec.function<decltype(av_packet_unref)>("av_packet_unref");
        frameAlloc = util.function<decltype(av_frame_alloc)>("av_frame_alloc");
        frameFree = util.function<decltype(av_frame_free)>("av_frame_free");
        describeError = util.function<decltype(av_strerror)>("av_strerror");
        setLogLevel = util.function<decltype(av_log_set_level)>("av_log_set_level");
        displayRotation = util.function<decltype(av_display_rotation_get)>("av_display_rotation_get");
        scalerContext = scaler.function<decltype(sws_getCachedContext)>("sws_getCachedContext");
        scale = scaler.function<decltype(sws_scale)>("sws_scale");
        freeScaler = scaler.function<decltype(sws_freeContext)>("sws_freeContext");
        // Decoding errors are reported through the API, with the frames they cost; FFmpeg's own
        // log lines on stderr would only repeat them without saying which frame.
        setLogLevel(AV_LOG_QUIET);
    }
};

const FFmpeg &ffmpeg() {
    static const FFmpeg functions;
    return functions;
}

std::string describe(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {0};
    if (ffmpeg().describeError(code, text, sizeof text) < 0) return "error " + std::to_string(code);
    return text;
}

double ratio(AVRational r) { return r.den != 0 ? double(r.num) / double(r.den) : 0; }

}  // namespace

struct VideoDecoder::State {
    std::string path;
    AVFormatContext *format = nullptr;
    AVCodecContext *codec = nullptr;
    AVPacket *packet = nullptr;
    AVFrame *frame = nullptr;
    SwsContext *scaler = nullptr;
    int stream = -1;
    double fps = 0;
    int frameCount = 0;
    /// Clockwise rotation to apply, in degrees (0, 90, 180 or 270).
    int rotation = 0;
    /// Byte positions of the stream's packets as the container's index lists them, in order
    /// (empty without an index): a packet found at a later entry than expected means the packets
    /// between were lost to damaged data (the demuxer resynchronises without saying so).
    std::vector<int64_t> indexedPositions;
    /// The stream ordinal the next packet should have, and the ordinals of packets sent but not
    /// yet out of the decoder (by byte position).
    int64_t nextOrdinal = 0;
    std::unordered_map<int64_t, int64_t> ordinalAtPosition;
    /// Runs of frames lost, not yet reported: first ordinal, count, reason.
    struct Gap {
        int64_t first;
        int count;
        std::string reason;
    };
    std::deque<Gap> gaps;
    /// Frames returned, frames lost among those numbered so far, the last frame's number.
    int returned = 0, lost = 0, lastIndex = -1;
    /// A constant frame rate (average and base rates agree): a frame's timestamp then gives its
    /// number, which also counts frames the decoder dropped without an error (a P frame whose
    /// reference was damaged).
    bool constantRate = false;
    int64_t startTime = AV_NOPTS_VALUE;
    bool draining = false, ended = false;

    ~State() {
        const FFmpeg &f = ffmpeg();
        if (scaler) f.freeScaler(scaler);
        if (frame) f.frameFree(&frame);
        if (packet) f.packetFree(&packet);
        if (codec) f.freeContext(&codec);
        if (format) f.closeInput(&format);
    }

    [[noreturn]] void fail(const std::string &reason) const { throw std::runtime_error(path + ": " + reason); }

    void open() {
        const FFmpeg &f = ffmpeg();
        int rc = f.openInput(&format, path.c_str(), nullptr, nullptr);
        if (rc < 0) fail("cannot open as a video (" + describe(rc) + ")");
        rc = f.findStreamInfo(format, nullptr);
        if (rc < 0) fail("cannot open as a video (" + describe(rc) + ")");
        const AVCodec *decoder = nullptr;
        stream = f.findBestStream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
        if (stream < 0 || !decoder) fail("cannot open as a video (no video stream that can be decoded)");
        AVStream *video = format->streams[stream];
        codec = f.allocContext(decoder);
        if (!codec || f.parametersToContext(codec, video->codecpar) < 0) fail("cannot set up the video decoder");
        codec->thread_count = 0;  // FFmpeg picks, from the CPUs this process may run on
        rc = f.openCodec(codec, decoder, nullptr);
        if (rc < 0) fail("cannot open the video decoder (" + describe(rc) + ")");
        packet = f.packetAlloc();
        frame = f.frameAlloc();
        if (!packet || !frame) fail("out of memory");

        fps = ratio(video->avg_frame_rate);
        if (!(fps > 0) || !std::isfinite(fps)) fps = ratio(video->r_frame_rate);
        if (!(fps > 0) || !std::isfinite(fps)) fps = 0;
        double baseRate = ratio(video->r_frame_rate);
        constantRate = fps > 0 && std::fabs(baseRate - fps) <= 0.001 * fps;
        startTime = video->start_time;
        int64_t listed = video->nb_frames;
        if (listed <= 0) {
            double seconds = format->duration > 0 ? double(format->duration) / AV_TIME_BASE
                                                  : double(video->duration) * ratio(video->time_base);
            listed = seconds > 0 && fps > 0 ? int64_t(std::floor(seconds * fps + 0.5)) : 0;
        }
        frameCount = listed > 0 && listed < INT32_MAX ? int(listed) : 0;
        int entries = f.indexEntries(video);
        for (int i = 0; i < entries; ++i) {
            const AVIndexEntry *entry = f.indexEntry(video, i);
            if (entry) indexedPositions.push_back(entry->pos);
        }
        if (!std::is_sorted(indexedPositions.begin(), indexedPositions.end())) indexedPositions.clear();
        // The display matrix's rotation is counter-clockwise; turned the other way, as OpenCV does.
        size_t size = 0;
        const uint8_t *matrix = f.streamSideData(video, AV_PKT_DATA_DISPLAYMATRIX, &size);
        if (matrix && size >= 9 * sizeof(int32_t)) {
            double degrees = f.displayRotation(reinterpret_cast<const int32_t *>(matrix));
            if (std::isfinite(degrees)) rotation = ((-int(std::lround(degrees))) % 360 + 360) % 360;
        }
    }

    /// Feeds the decoder one more packet of the stream (or the end of it).
    void feed() {
        const FFmpeg &f = ffmpeg();
        for (;;) {
            int rc = f.readFrame(format, packet);
            if (rc == AVERROR_EOF) {
                f.sendPacket(codec, nullptr);
                draining = true;
                return;
            }
            if (rc < 0) fail("cannot read past frame " + std::to_string(returned + lost) + " (" + describe(rc) + ")");
            bool ours = packet->stream_index == stream;
            if (ours) {
                int64_t ordinal = place(packet->pos);
                rc = f.sendPacket(codec, packet);
                if (rc < 0 && rc != AVERROR(EAGAIN)) gaps.push_back({ordinal, 1, describe(rc)});
            }
            f.packetUnref(packet);
            if (ours) return;
        }
    }

    /// The stream ordinal of the packet at byte `position`, noting the packets skipped before it.
    int64_t place(int64_t position) {
        int64_t ordinal = nextOrdinal;
        if (!indexedPositions.empty() && position >= 0) {
            // The last indexed packet starting at or before `position` (a chunk header may precede the data).
            auto at = std::upper_bound(indexedPositions.begin(), indexedPositions.end(), position);
            int64_t listed = int64_t(at - indexedPositions.begin()) - 1;
            if (listed > ordinal) {
                gaps.push_back({ordinal, int(listed - ordinal), "missing or unreadable in the file"});
                ordinal = listed;
            }
        }
        if (position >= 0) ordinalAtPosition[position] = ordinal;
        nextOrdinal = ordinal + 1;
        return ordinal;
    }

    /// Counts the lost runs up to the packet the current frame came from into `lost`; sets
    /// `reason` to the last one's.
    void settleGaps(std::string &reason) {
        int64_t ordinal = nextOrdinal - 1;
        auto found = ordinalAtPosition.find(frame->pkt_pos);
        if (found != ordinalAtPosition.end()) {
            ordinal = found->second;
            ordinalAtPosition.erase(found);
        }
        int count = 0;
        while (!gaps.empty() && gaps.front().first <= ordinal) {
            count += gaps.front().count;
            reason = gaps.front().reason;
            gaps.pop_front();
        }
        lost += count;
    }

    /// The current frame's number by its timestamp, or -1 when the rate is not constant or the
    /// frame has no timestamp.
    int indexByTime() {
        int64_t pts = frame->best_effort_timestamp;
        if (!constantRate || pts == AV_NOPTS_VALUE) return -1;
        if (startTime == AV_NOPTS_VALUE) startTime = pts;
        double position = double(pts - startTime) * ratio(format->streams[stream]->time_base) * fps;
        return std::isfinite(position) && position >= 0 && position < INT32_MAX ? int(std::lround(position)) : -1;
    }

    /// The decoded frame as 8-bit BGR, turned upright.
    void convert(cv::Mat &bgr) {
        const FFmpeg &f = ffmpeg();
        scaler = f.scalerContext(scaler, frame->width, frame->height, AVPixelFormat(frame->format), frame->width,
                                 frame->height, AV_PIX_FMT_BGR24, SWS_BICUBIC, nullptr, nullptr, nullptr);
        if (!scaler) fail("cannot convert frame " + std::to_string(returned + lost) + " to BGR");
        cv::Mat converted(frame->height, frame->width, CV_8UC3);
        uint8_t *planes[4] = {converted.data, nullptr, nullptr, nullptr};
        int strides[4] = {int(converted.step[0]), 0, 0, 0};
        f.scale(scaler, frame->data, frame->linesize, 0, frame->height, planes, strides);
        switch (rotation) {
        case 90: cv::rotate(converted, bgr, cv::ROTATE_90_CLOCKWISE); break;
        case 180: cv::rotate(converted, bgr, cv::ROTATE_180); break;
        case 270: cv::rotate(converted, bgr, cv::ROTATE_90_COUNTERCLOCKWISE); break;
        default: bgr = converted;
        }
    }
};

VideoDecoder::VideoDecoder(const std::string &path) : state_(std::make_unique<State>()) {
    state_->path = path;
    state_->open();
}

VideoDecoder::~VideoDecoder() = default;

double VideoDecoder::fps() const { return state_->fps; }

int VideoDecoder::frameCount() const { return state_->frameCount; }

bool VideoDecoder::next(cv::Mat &bgr, DecodedFrameInfo &info) {
    State &s = *state_;
    const FFmpeg &f = ffmpeg();
    // Errors without a frame or new input between them (see below).
    constexpr int kMostFailuresInARow = 1000;
    int failuresInARow = 0;
    for (;;) {
        int rc = f.receiveFrame(s.codec, s.frame);
        if (rc == 0) {
            s.convert(bgr);
            std::string reason;
            s.settleGaps(reason);
            // Each way of counting sees losses the other may miss (a demuxer renumbers what it
            // skipped; a decoder drops frames without an error): the larger number is the frame's.
            int index = std::max({s.returned + s.lost, s.lastIndex + 1, s.indexByTime()});
            s.lost = index - s.returned;
            info.index = index;
            info.lostBefore = index - s.lastIndex - 1;
            info.lostReason = info.lostBefore > 0 ? (reason.empty() ? "damaged data the decoder could not rebuild" : reason) : "";
            s.lastIndex = index;
            info.concealed = s.frame->decode_error_flags != 0 || (s.frame->flags & AV_FRAME_FLAG_CORRUPT) != 0;
            if (s.fps > 0) {
                info.seconds = info.index / s.fps;
            } else {
                int64_t pts = s.frame->best_effort_timestamp;
                AVStream *video = s.format->streams[s.stream];
                int64_t start = video->start_time != AV_NOPTS_VALUE ? video->start_time : 0;
                info.seconds = pts != AV_NOPTS_VALUE ? double(pts - start) * ratio(video->time_base) : 0;
            }
            s.returned += 1;
            return true;
        }
        if (rc == AVERROR_EOF) {
            if (s.ended) return false;
            s.ended = true;
            // Packets the index lists that never came: the file's end is cut off or unreadable.
            int64_t listed = int64_t(s.indexedPositions.size());
            if (listed > s.nextOrdinal) s.gaps.push_back({s.nextOrdinal, int(listed - s.nextOrdinal), "missing from the file"});
            return false;
        }
        if (rc != AVERROR(EAGAIN)) {
            // A frame the decoder could not finish; the stream goes on. A decoder that only
            // repeats its error without taking input would never end the loop: give up then.
            if (++failuresInARow > kMostFailuresInARow)
                s.fail("the decoder keeps failing after frame " + std::to_string(s.returned + s.lost) + " (" + describe(rc) + ")");
            s.gaps.push_back({s.nextOrdinal - 1, 1, describe(rc)});
            continue;
        }
        failuresInARow = 0;
        if (s.draining) return false;
        s.feed();
    }
}

int VideoDecoder::lostAtEnd() const {
    int count = 0;
    for (const auto &gap : state_->gaps) count += gap.count;
    return count;
}

std::string VideoDecoder::lostAtEndReason() const { return state_->gaps.empty() ? std::string() : state_->gaps.back().reason; }

}  // namespace smile
