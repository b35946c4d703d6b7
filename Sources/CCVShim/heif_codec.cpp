// heif_codec.cpp - see heif_codec.hpp.

#include "heif_codec.hpp"

#include <libheif/heif.h>

#include <dlfcn.h>
#include <opencv2/imgproc.hpp>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace smile {

namespace {

/// libheif's functions we call, resolved once from libheif.so.1.
struct LibHeif {
    decltype(heif_context_alloc) *contextAlloc;
    decltype(heif_context_free) *contextFree;
    decltype(heif_context_read_from_memory_without_copy) *readFromMemory;
    decltype(heif_context_get_primary_image_handle) *primaryHandle;
    decltype(heif_image_handle_get_width) *handleWidth;
    decltype(heif_image_handle_get_height) *handleHeight;
    decltype(heif_image_handle_release) *handleRelease;
    decltype(heif_decode_image) *decodeImage;
    decltype(heif_image_get_plane_readonly) *planeReadonly;
    decltype(heif_image_get_width) *imageWidth;
    decltype(heif_image_get_height) *imageHeight;
    decltype(heif_image_release) *imageRelease;
    decltype(heif_have_encoder_for_format) *haveEncoder;
    decltype(heif_context_get_encoder_for_format) *encoderForFormat;
    decltype(heif_encoder_set_lossy_quality) *setQuality;
    decltype(heif_encoder_release) *encoderRelease;
    decltype(heif_image_create) *imageCreate;
    decltype(heif_image_add_plane) *addPlane;
    decltype(heif_image_get_plane) *plane;
    decltype(heif_encoding_options_alloc) *optionsAlloc;
    decltype(heif_encoding_options_free) *optionsFree;
    decltype(heif_context_encode_image) *encodeImage;
    decltype(heif_context_write) *write;

    LibHeif() {
        const char *name = "libheif.so.1";
        void *library = dlopen(name, RTLD_LAZY | RTLD_LOCAL);
        if (!library) {
            const char *why = dlerror();
            throw std::runtime_error(std::string("cannot load libheif (") + name + "): " + (why ? why : "unknown error") +
                                     "; install Debian's libheif1 to read HEIC and AVIF photos");
        }
        auto get = [&](const char *symbol) {
            void *address = dlsym(library, symbol);
            if (!address) throw std::runtime_error(std::string(name) + " lacks " + symbol + " (another libheif version?)");
            return address;
        };
#define SMILE_HEIF(field, symbol) field = reinterpret_cast<decltype(field)>(get(#symbol))
        SMILE_HEIF(contextAlloc, heif_context_alloc);
        SMILE_HEIF(contextFree, heif_context_free);
        SMILE_HEIF(readFromMemory, heif_context_read_from_memory_without_copy);
        SMILE_HEIF(primaryHandle, heif_context_get_primary_image_handle);
        SMILE_HEIF(handleWidth, heif_image_handle_get_width);
        SMILE_HEIF(handleHeight, heif_image_handle_get_height);
        SMILE_HEIF(handleRelease, heif_image_handle_release);
        SMILE_HEIF(decodeImage, heif_decode_image);
        SMILE_HEIF(planeReadonly, heif_image_get_plane_readonly);
        SMILE_HEIF(imageWidth, heif_image_get_width);
        SMILE_HEIF(imageHeight, heif_image_get_height);
        SMILE_HEIF(imageRelease, heif_image_release);
        SMILE_HEIF(haveEncoder, heif_have_encoder_for_format);
        SMILE_HEIF(encoderForFormat, heif_context_get_encoder_for_format);
        SMILE_HEIF(setQuality, heif_encoder_set_lossy_quality);
        SMILE_HEIF(encoderRelease, heif_encoder_release);
        SMILE_HEIF(imageCreate, heif_image_create);
        SMILE_HEIF(addPlane, heif_image_add_plane);
        SMILE_HEIF(plane, heif_image_get_plane);
        SMILE_HEIF(optionsAlloc, heif_encoding_options_alloc);
        SMILE_HEIF(optionsFree, heif_encoding_options_free);
        SMILE_HEIF(encodeImage, heif_context_encode_image);
        SMILE_HEIF(write, heif_context_write);
#undef SMILE_HEIF
    }
};

const LibHeif &libheif() {
    static const LibHeif functions;
    return functions;
}

/// Owners that release libheif's objects.
struct Context {
    heif_context *pointer;
    Context() : pointer(libheif().contextAlloc()) {
        if (!pointer) throw std::bad_alloc();
    }
    ~Context() { libheif().contextFree(pointer); }
};

struct Handle {
    heif_image_handle *pointer = nullptr;
    ~Handle() {
        if (pointer) libheif().handleRelease(pointer);
    }
};

struct Picture {
    heif_image *pointer = nullptr;
    ~Picture() {
        if (pointer) libheif().imageRelease(pointer);
    }
};

/// Reads `data` and opens its primary image; false with `error` set when it cannot.
bool openPrimary(const uint8_t *data, size_t size, Context &context, Handle &handle, std::string &error) {
    heif_error status = libheif().readFromMemory(context.pointer, data, size, nullptr);
    if (status.code != heif_error_Ok) {
        error = status.message ? status.message : "unreadable HEIF";
        return false;
    }
    status = libheif().primaryHandle(context.pointer, &handle.pointer);
    if (status.code != heif_error_Ok) {
        error = status.message ? status.message : "no primary image";
        return false;
    }
    return true;
}

}  // namespace

bool looksLikeHEIF(const uint8_t *data, size_t size) {
    if (size < 12 || std::memcmp(data + 4, "ftyp", 4) != 0) return false;
    static const char *brands[] = {"heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "avif", "avis"};
    for (const char *brand : brands)
        if (std::memcmp(data + 8, brand, 4) == 0) return true;
    return false;
}

bool peekHEIF(const uint8_t *data, size_t size, int &width, int &height, std::string &error) {
    Context context;
    Handle handle;
    if (!openPrimary(data, size, context, handle, error)) return false;
    width = libheif().handleWidth(handle.pointer);
    height = libheif().handleHeight(handle.pointer);
    return true;
}

bool decodeHEIF(const uint8_t *data, size_t size, bool gray, cv::Mat &out, std::string &error) {
    Context context;
    Handle handle;
    if (!openPrimary(data, size, context, handle, error)) return false;
    Picture picture;
    // No options: libheif applies the file's transformations (irot, imir, clap).
    heif_error status = libheif().decodeImage(handle.pointer, &picture.pointer, heif_colorspace_RGB,
                                              heif_chroma_interleaved_RGB, nullptr);
    if (status.code != heif_error_Ok) {
        error = status.message ? status.message : "cannot decode";
        return false;
    }
    int stride = 0;
    const uint8_t *pixels = libheif().planeReadonly(picture.pointer, heif_channel_interleaved, &stride);
    int width = libheif().imageWidth(picture.pointer, heif_channel_interleaved);
    int height = libheif().imageHeight(picture.pointer, heif_channel_interleaved);
    if (!pixels || width <= 0 || height <= 0) {
        error = "decoded image has no pixels";
        return false;
    }
    cv::Mat rgb(height, width, CV_8UC3, const_cast<uint8_t *>(pixels), size_t(stride));
    cv::cvtColor(rgb, out, gray ? cv::COLOR_RGB2GRAY : cv::COLOR_RGB2BGR);
    return true;
}

bool encodeHEIF(const cv::Mat &bgr, bool avif, int quality, int orientation, std::vector<uint8_t> &out, std::string &error) {
    const LibHeif &heif = libheif();
    heif_compression_format format = avif ? heif_compression_AV1 : heif_compression_HEVC;
    if (!heif.haveEncoder(format)) {
        error = std::string("this libheif has no ") + (avif ? "AV1" : "HEVC") + " encoder";
        return false;
    }
    Context context;
    heif_encoder *encoder = nullptr;
    heif_error status = heif.encoderForFormat(context.pointer, format, &encoder);
    if (status.code != heif_error_Ok) {
        error = status.message ? status.message : "no encoder";
        return false;
    }
    std::unique_ptr<heif_encoder, void (*)(heif_encoder *)> encoderOwner(encoder, libheif().encoderRelease);
    heif.setQuality(encoder, quality);
    Picture picture;
    status = heif.imageCreate(bgr.cols, bgr.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &picture.pointer);
    if (status.code == heif_error_Ok) status = heif.addPlane(picture.pointer, heif_channel_interleaved, bgr.cols, bgr.rows, 8);
    if (status.code != heif_error_Ok) {
        error = status.message ? status.message : "cannot create the image";
        return false;
    }
    int stride = 0;
    uint8_t *plane = heif.plane(picture.pointer, heif_channel_interleaved, &stride);
    cv::Mat rgb(bgr.rows, bgr.cols, CV_8UC3, plane, size_t(stride));
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    heif_encoding_options *options = heif.optionsAlloc();
    options->image_orientation = heif_orientation(orientation >= 1 && orientation <= 8 ? orientation : 1);
    status = heif.encodeImage(context.pointer, picture.pointer, encoder, options, nullptr);
    heif.optionsFree(options);
    if (status.code != heif_error_Ok) {
        error = status.message ? status.message : "cannot encode";
        return false;
    }
    heif_writer writer{1, [](heif_context *, const void *data, size_t size, void *user) {
                           auto *bytes = static_cast<std::vector<uint8_t> *>(user);
                           bytes->insert(bytes->end(), static_cast<const uint8_t *>(data), static_cast<const uint8_t *>(data) + size);
                           return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
                       }};
    status = heif.write(context.pointer, &writer, &out);
    if (status.code != heif_error_Ok) {
        error = status.message ? status.message : "cannot write";
        return false;
    }
    return true;
}

}  // namespace smile
