/*
 * cv_shim.h - a small plain-C API over OpenCV 4 (imgproc, objdetect; imgcodecs
 * and videoio loaded when first needed), libjpeg / libpng and FFmpeg (loaded with
 * the first video) and libheif (loaded with the first HEIC or AVIF photo). The only
 * C++ in the project lives in this shim (cv_shim.cpp; image_codecs for JPEG and PNG;
 * heif_codec for HEIC and AVIF; lazy_opencv for the late-loaded OpenCV modules;
 * video_decoder for video frames) and in CHaarScan, our Haar scan, which it calls.
 *
 * Conventions
 * - Every function returning `int` returns CVS_OK (0) on success or one of the
 *   CVS_E_* codes; the reason is then in cvs_last_error() (thread-local, valid
 *   until the next failing call on the same thread). No C++ exception ever
 *   crosses this boundary.
 * - Pixel buffers are 8-bit, rows top to bottom, channels interleaved (1 = gray,
 *   3 = BGR), no row padding: `width * height * channels` bytes.
 * - Memory: functions whose output size the caller knows (colour conversion,
 *   crop, resize, warp, flip, equalise) write into a caller-provided buffer.
 *   Functions whose output size only the shim knows (decode, encode, video
 *   frames, detections) return a malloc'ed buffer the caller releases with
 *   cvs_free().
 * - Handles (cvs_cascade, cvs_video) are opaque; close each with its *_close.
 *   One handle must not be used from two threads at once.
 */
#ifndef CV_SHIM_H
#define CV_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes. */
enum {
    CVS_OK = 0,
    CVS_E_NOT_FOUND = 1,   /* file does not exist */
    CVS_E_UNREADABLE = 2,  /* exists but cannot be read (permissions, a folder) */
    CVS_E_EMPTY = 3,       /* zero bytes */
    CVS_E_CORRUPT = 4,     /* a known image format, but damaged or truncated */
    CVS_E_TOO_LARGE = 5,   /* header declares more pixels than the caller allows */
    CVS_E_UNSUPPORTED = 6, /* not a recognised image format */
    CVS_E_INVALID = 7,     /* bad argument */
    CVS_E_CASCADE = 8,     /* cascade file missing or invalid */
    CVS_E_VIDEO = 9,       /* video cannot be opened or read */
    CVS_E_INTERNAL = 10    /* OpenCV failed unexpectedly or out of memory */
};

/** Version of this API (bumped when signatures change). */
int cvs_version(void);

/** Sets how many threads OpenCV's own parallel loops (e.g. detectMultiScale's scales) may use. */
void cvs_set_num_threads(int threads);

/** The message of the last failing call on this thread ("" if none). */
const char *cvs_last_error(void);

/** Releases a buffer returned by the shim (NULL is fine). */
void cvs_free(void *p);

/** A malloc'ed image returned by the shim; release `pixels` with cvs_free. */
typedef struct {
    int width;
    int height;
    int channels;
    uint8_t *pixels;
} cvs_image;

/* ---- Codecs ------------------------------------------------------------ */

/**
 * Decodes an image file to 8-bit BGR (gray = 0) or gray (gray = 1), EXIF
 * orientation applied; 16-bit and alpha images are converted. The header is
 * read first and images declaring more than `max_pixels` pixels are refused
 * with CVS_E_TOO_LARGE before anything is allocated for them.
 */
int cvs_decode_file(const char *path, int gray, int64_t max_pixels, cvs_image *out);

/** Like cvs_decode_file, from an encoded in-memory buffer. */
int cvs_decode_buffer(const uint8_t *data, size_t size, int gray, int64_t max_pixels, cvs_image *out);

/**
 * Reads only the header of an encoded buffer (PNG, JPEG, BMP, WebP).
 * Returns CVS_OK with the size, CVS_E_UNSUPPORTED for other formats, or
 * CVS_E_CORRUPT for a damaged header.
 */
int cvs_peek_size(const uint8_t *data, size_t size, int *width, int *height);

enum { CVS_FORMAT_JPEG = 0, CVS_FORMAT_PNG = 1 };

/** Encodes to JPEG (quality 0-100) or PNG; `*out` is malloc'ed (cvs_free). */
int cvs_encode(const uint8_t *pixels, int width, int height, int channels,
               int format, int quality, uint8_t **out, size_t *out_size);

/**
 * Encodes an image as HEIC (`avif` 0) or AVIF (`avif` 1) through libheif, with the EXIF-style
 * `orientation` (1-8) written as the file's irot/imir boxes; CVS_E_UNSUPPORTED when libheif or its
 * encoder for the format is missing. Used by the tests to make phone-style photos.
 */
int cvs_encode_heif(const uint8_t *pixels, int width, int height, int channels, int avif, int quality, int orientation,
                    uint8_t **out, size_t *out_size);

/**
 * The references the codec tests compare with: OpenCV's own cv::imdecode (whatever the format)
 * and cv::imencode, from libopencv_imgcodecs loaded on first use. cvs_decode_buffer and
 * cvs_encode read and write JPEG and PNG through libjpeg and libpng themselves (loading
 * libopencv_imgcodecs brings about 120 libraries and made every start slow).
 */
int cvs_decode_buffer_opencv(const uint8_t *data, size_t size, int gray, cvs_image *out);
int cvs_encode_opencv(const uint8_t *pixels, int width, int height, int channels,
                      int format, int quality, uint8_t **out, size_t *out_size);

/* ---- Image operations (caller-provided destination buffers) ------------ */

/** Converts between gray (1) and BGR (3); equal channel counts copy. */
int cvs_convert(const uint8_t *src, int width, int height, int channels,
                uint8_t *dst, int dst_channels);

enum { CVS_BORDER_REPLICATE = 0, CVS_BORDER_CONSTANT = 1 };

/**
 * Crops rectangle (x, y, w, h), which may extend past the image (padding by
 * replicating the edge, or with `constant`), and resizes it to dst_w x dst_h
 * (INTER_AREA when shrinking, INTER_LINEAR otherwise). dst holds
 * dst_w * dst_h * channels bytes.
 */
int cvs_crop_resize(const uint8_t *src, int width, int height, int channels,
                    int x, int y, int w, int h, int border, uint8_t constant,
                    uint8_t *dst, int dst_w, int dst_h);

/** Resizes (INTER_AREA when shrinking, INTER_LINEAR otherwise). */
int cvs_resize(const uint8_t *src, int width, int height, int channels,
               uint8_t *dst, int dst_w, int dst_h);

/**
 * Affine warp with the 2x3 row-major matrix `m` mapping source to destination
 * coordinates; bilinear, border replicate.
 */
int cvs_warp_affine(const uint8_t *src, int width, int height, int channels,
                    const double m[6], uint8_t *dst, int dst_w, int dst_h);

/** Mirrors left-right. */
int cvs_flip_horizontal(const uint8_t *src, int width, int height, int channels, uint8_t *dst);

/** Histogram equalisation of a gray image. */
int cvs_equalize(const uint8_t *src, int width, int height, uint8_t *dst);

/**
 * The integral images the Haar scan reads (cv::integral's CV_32S sum and squared sum, wrapping
 * modulo 2^32): `sum` and `squares` get (height + 1) x (width + 1) ints each, row 0 and column 0
 * zero. `vectorised` 0 runs the plain loop a CPU without AVX2 runs.
 */
int cvs_integral(const uint8_t *gray, int width, int height, int32_t *sum, int32_t *squares, int vectorised);

/**
 * Rows [row_begin, row_end) of a gray image resized to dst_width x dst_height as the Haar scan
 * resizes pyramid levels: `engine` 0 is cv::resize with INTER_LINEAR_EXACT (the whole image
 * into `dst`), 1 our bit-exact resize with AVX2 (where the CPU has it), 2 our portable code. Size
 * pairs ours does not handle (equal sizes, an exact 2x downscale) go to cv::resize. `dst` holds
 * dst_width x dst_height pixels; rows outside the band are left as they were (engines 1 and 2).
 */
int cvs_resize_linear_exact(const uint8_t *gray, int width, int height, uint8_t *dst, int dst_width, int dst_height,
                            int row_begin, int row_end, int engine);

/**
 * A gray image shrunk to dst_width x dst_height as cvs_resize shrinks it (INTER_AREA): `engine`
 * 0 is cv::resize, 1 our bit-exact area resize with AVX2 (where the CPU has it), 2 its portable
 * loop. Size pairs ours does not handle (not smaller both ways, whole-number ratios) go to cv::resize.
 */
int cvs_resize_area(const uint8_t *gray, int width, int height, uint8_t *dst, int dst_width, int dst_height, int engine);

/* ---- Drawing (in place) ------------------------------------------------- */

/** Draws a rectangle outline in BGR colour (gray images get its luminance). */
int cvs_draw_rectangle(uint8_t *pixels, int width, int height, int channels,
                       int x, int y, int w, int h,
                       uint8_t b, uint8_t g, uint8_t r, int thickness);

/**
 * Draws a closed polygon outline through the `count` points (x0, y0, x1, y1, ...) of `xy`, in BGR
 * colour (gray images get its luminance); for boxes turned by a face's tilt.
 */
int cvs_draw_polygon(uint8_t *pixels, int width, int height, int channels,
                     const int *xy, int count,
                     uint8_t b, uint8_t g, uint8_t r, int thickness);

/**
 * Draws a text label on a filled box of colour (b, g, r), with black or white
 * text, whichever reads better. (x, y) is the bottom-left of the box; the box
 * is moved inside the image when it would stick out.
 */
int cvs_draw_label(uint8_t *pixels, int width, int height, int channels,
                   const char *text, int x, int y,
                   uint8_t b, uint8_t g, uint8_t r, double scale);

/* ---- Haar cascades ------------------------------------------------------ */

typedef struct cvs_cascade cvs_cascade;

/** Who scans the image pyramid for a cascade's raw windows. */
enum {
    CVS_HAAR_OPENCV = 0,       /* OpenCV's CascadeClassifier */
    CVS_HAAR_SMILE = 1,        /* our scan (same windows), vectorised where the CPU allows */
    CVS_HAAR_SMILE_SCALAR = 2,  /* our scan as a plain loop, one window after another (the reference) */
    CVS_HAAR_SMILE_PORTABLE = 3 /* our scan as a CPU without AVX2 runs it (fast layouts, scalar kernel) */
};

/**
 * Chooses the scan engine (new cascades start with CVS_HAAR_SMILE when it can
 * read them, else CVS_HAAR_OPENCV). Level-weight detection always uses OpenCV.
 */
int cvs_cascade_set_engine(cvs_cascade *cascade, int engine);

/** The engine `cascade` scans with. */
int cvs_cascade_engine(const cvs_cascade *cascade);

/** One detection: box, neighbour count (0 if unknown) and level weight (0 if not requested). */
typedef struct {
    int x, y, width, height;
    int neighbours;
    double weight;
} cvs_detection;

/** Loads a cascade XML file. */
int cvs_cascade_open(const char *path, cvs_cascade **out);

/** Frees a cascade (NULL is fine). */
void cvs_cascade_close(cvs_cascade *cascade);

/**
 * Runs detectMultiScale on a gray image (histogram-equalised first when
 * `equalize`). min/max size 0 means no limit. With `weights` = 0 the
 * detectMultiScale2 overload is used (same boxes as the plain call, plus the
 * neighbour count per box); with `weights` = 1 detectMultiScale3 with
 * outputRejectLevels = true (level weights; OpenCV then keeps more boxes).
 * `*out` is malloc'ed (cvs_free), `*count` may be 0 with `*out` NULL.
 */
int cvs_cascade_detect(cvs_cascade *cascade, const uint8_t *gray, int width, int height,
                       double scale_factor, int min_neighbours, int min_size, int max_size,
                       int equalize, int weights, cvs_detection **out, int *count);

/**
 * cvs_cascade_detect (no level weights) with the raw windows limited to those whose boxes lie
 * inside one of `region_count` rectangles (x, y, width, height quadruples in `regions`): the
 * pyramid, grouping and clipping of the whole-image call, so a face whose raw windows all lie
 * well inside a region comes out as the whole-image call gives it. `sides` (NULL, or a min, max
 * pair per region; max 0: no limit) limits the box widths each region holds. Our scan looks only
 * at windows in the regions; with the OpenCV engine the whole image is scanned and the windows filtered.
 */
int cvs_cascade_detect_regions(cvs_cascade *cascade, const uint8_t *gray, int width, int height,
                               double scale_factor, int min_neighbours, int min_size, int max_size, int equalize,
                               const int *regions, const int *sides, int region_count, cvs_detection **out,
                               int *count);

/**
 * The raw windows (before grouping; neighbours 0) our scan finds on the pyramid levels whose index
 * is `level_phase` modulo `level_every` (index 0: the first level scanned; 1, 0: every level), in
 * the whole image when `regions` is NULL, else only inside the regions (as
 * cvs_cascade_detect_regions, `sides` likewise). The levels, windows and order are those of the
 * whole pass, so the windows of {2, 0} and {2, 1} together are the pass's raw windows. Needs our
 * scan engine: CVS_E_INVALID with OpenCV's (unless every level is asked for).
 */
int cvs_cascade_raw_windows(cvs_cascade *cascade, const uint8_t *gray, int width, int height, double scale_factor,
                            int min_size, int max_size, int equalize, int level_every, int level_phase,
                            const int *regions, const int *sides, int region_count, cvs_detection **out, int *count);

/**
 * Groups raw windows (those of a detect call with 0 neighbours) as detectMultiScale ends:
 * cv::groupRectangles with eps 0.2 keeps clusters of more than `min_neighbours` windows, then
 * boxes are clipped to the `width` x `height` image. With `min_neighbours` 0 every cluster comes
 * back, a single window included, averaged the same way (a detect call with 0 neighbours instead
 * returns the windows ungrouped, and groupRectangles would drop boxes inside others). Grouping
 * one scan's windows at two thresholds gives the faces and the weaker clusters of the same scan
 * without scanning twice.
 * `*out` is malloc'ed (cvs_free), `*count` may be 0 with `*out` NULL.
 */
int cvs_group_detections(const cvs_detection *raw, int raw_count, int min_neighbours, int width, int height,
                         cvs_detection **out, int *count);

/**
 * Groups `count` boxes (x, y, width, height each in `xywh`) as cv::groupRectangles(boxes,
 * weights, threshold, 0.2) does: `engine` 0 is OpenCV's, 1 ours (used by detection). Writes the
 * kept boxes with their window counts (x, y, width, height, count each; room for `count` of them)
 * to `out` and their number to `*out_count`. With `labels` non-NULL, also writes each box's
 * cluster as cv::partition numbers it (engine 0 cv::partition itself). For tests.
 */
int cvs_group_rectangles(const int *xywh, int count, int threshold, int engine, int *out, int *out_count, int *labels);

/* ---- YuNet (OpenCV's CNN face detector, cv::FaceDetectorYN) ------------- */

typedef struct cvs_yunet cvs_yunet;

/** One face found by YuNet: its box, five landmarks and its score, in image pixels. */
typedef struct {
    float x, y, width, height;
    /** Right eye, left eye, nose tip, right and left mouth corner (as seen: the right eye is on the image's left), x then y each. */
    float landmarks[10];
    float score;
} cvs_face;

/**
 * Loads a YuNet ONNX model (the 2022mar file reads in OpenCV 4.6). The caller checks the file's
 * checksum first; OpenCV parses it here. CVS_E_CASCADE when it is missing or not a usable model.
 */
int cvs_yunet_open(const char *path, cvs_yunet **out);

/** Frees a YuNet detector (NULL is fine). */
void cvs_yunet_close(cvs_yunet *detector);

/**
 * Runs YuNet on a gray or BGR image at its own size (gray is made BGR first): faces scoring at
 * least `score_threshold`, after YuNet's own NMS at IoU `nms_threshold`, best first.
 * `*out` is malloc'ed (cvs_free), `*count` may be 0 with `*out` NULL.
 */
int cvs_yunet_detect(cvs_yunet *detector, const uint8_t *pixels, int width, int height, int channels,
                     float score_threshold, float nms_threshold, cvs_face **out, int *count);

/* ---- Video -------------------------------------------------------------- */

typedef struct cvs_video cvs_video;

/** Which reader `cvs_video_open` uses. */
enum {
    /** FFmpeg's libraries driven by the shim: frames keep their numbers past damaged data. */
    CVS_VIDEO_FFMPEG = 0,
    /** OpenCV's VideoCapture, the reference the shim's reader is checked against. */
    CVS_VIDEO_OPENCV_REFERENCE = 1,
};

/** Opens a video file; reports frames per second and the frame count the container lists (0 if unknown). */
int cvs_video_open(const char *path, int reader, cvs_video **out, double *fps, int *frame_count);

/** A frame's place in its video, and what was lost just before it. */
typedef struct {
    /** 0-based frame number; frames that could not be decoded keep their numbers. */
    int index;
    /** index / fps (the frame's timestamp when the rate is unknown). */
    double seconds;
    /** Frames that could not be decoded between the previous frame read and this one. */
    int lost_before;
    /** 1 when the decoder filled in damaged data in this frame (error concealment). */
    int concealed;
    /** The decoder's reason for the last lost frame ("" when none). */
    char lost_reason[128];
} cvs_video_frame;

/**
 * Reads the next frame as BGR into `*frame` (pixels malloc'ed, cvs_free) with its place in
 * `*info`. Returns CVS_OK and sets `*got` to 1 for a frame, 0 at the end of the video;
 * CVS_E_VIDEO when the file cannot be read any further.
 */
int cvs_video_read(cvs_video *video, cvs_image *frame, cvs_video_frame *info, int *got);

/** Frames that could not be decoded after the last frame read (once `*got` was 0), with the reason. */
int cvs_video_lost_at_end(const cvs_video *video, int *count, char *reason, int reason_size);

/** Closes a video (NULL is fine). */
void cvs_video_close(cvs_video *video);

#ifdef __cplusplus
}
#endif
#endif
