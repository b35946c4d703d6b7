// lazy_opencv.cpp - see lazy_opencv.hpp.

#include "lazy_opencv.hpp"

#include <dlfcn.h>

#include <stdexcept>

namespace smile::lazy {

namespace {

/// A library loaded once (thread-safe), or why it could not be.
struct Library {
    void *handle = nullptr;
    std::string name, error;

    explicit Library(const std::string &module) {
        name = "libopencv_" + module + ".so." + std::to_string(CV_VERSION_MAJOR * 100 + CV_VERSION_MINOR);
        handle = dlopen(name.c_str(), RTLD_LAZY | RTLD_LOCAL);
        if (!handle) {
            const char *why = dlerror();
            error = why ? why : "unknown error";
        }
    }

    /// The function `mangled` of this library as a `Function`; throws when the library or the
    /// function is missing.
    template <class Function>
    Function function(const char *mangled) const {
        if (!handle) throw std::runtime_error("cannot load OpenCV's " + name + ": " + error);
        void *address = dlsym(handle, mangled);
        if (!address) throw std::runtime_error(name + " lacks " + mangled + " (another OpenCV version?)");
        return reinterpret_cast<Function>(address);
    }
};

const Library &imgcodecs() {
    static const Library library("imgcodecs");
    return library;
}

const Library &videoio() {
    static const Library library("videoio");
    return library;
}

/// cv::VideoCapture's members we call, resolved once.
struct CaptureFunctions {
    void (*construct)(void *);
    void (*destroy)(void *);
    bool (*open)(void *, const std::string &, int);
    bool (*isOpened)(const void *);
    bool (*read)(void *, const cv::_OutputArray &);
    double (*get)(const void *, int);
    void (*release)(void *);

    CaptureFunctions() {
        const Library &l = videoio();
        construct = l.function<void (*)(void *)>("_ZN2cv12VideoCaptureC1Ev");
        destroy = l.function<void (*)(void *)>("_ZN2cv12VideoCaptureD1Ev");
        open = l.function<bool (*)(void *, const std::string &, int)>(
            "_ZN2cv12VideoCapture4openERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEi");
        isOpened = l.function<bool (*)(const void *)>("_ZNK2cv12VideoCapture8isOpenedEv");
        read = l.function<bool (*)(void *, const cv::_OutputArray &)>("_ZN2cv12VideoCapture4readERKNS_12_OutputArrayE");
        get = l.function<double (*)(const void *, int)>("_ZNK2cv12VideoCapture3getEi");
        release = l.function<void (*)(void *)>("_ZN2cv12VideoCapture7releaseEv");
    }
};

const CaptureFunctions &capture() {
    static const CaptureFunctions functions;
    return functions;
}

}  // namespace

cv::Mat imdecode(const cv::Mat &buffer, int flags) {
    using Imdecode = cv::Mat (*)(const cv::_InputArray &, int);
    static const Imdecode decode = imgcodecs().function<Imdecode>("_ZN2cv8imdecodeERKNS_11_InputArrayEi");
    return decode(cv::_InputArray(buffer), flags);
}

bool imencode(const std::string &extension, const cv::Mat &image, std::vector<uchar> &out,
              const std::vector<int> &parameters) {
    using Imencode = bool (*)(const std::string &, const cv::_InputArray &, std::vector<uchar> &, const std::vector<int> &);
    static const Imencode encode = imgcodecs().function<Imencode>(
        "_ZN2cv8imencodeERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERKNS_11_InputArrayERSt6vectorIhSaIhEERKSB_IiSaIiEE");
    return encode(extension, cv::_InputArray(image), out, parameters);
}

VideoCapture::VideoCapture() { capture().construct(storage_); }

VideoCapture::~VideoCapture() { capture().destroy(storage_); }

bool VideoCapture::open(const std::string &path) { return capture().open(storage_, path, cv::CAP_ANY); }

bool VideoCapture::isOpened() const { return capture().isOpened(storage_); }

bool VideoCapture::read(cv::Mat &frame) { return capture().read(storage_, cv::_OutputArray(frame)); }

double VideoCapture::get(int property) const { return capture().get(storage_, property); }

void VideoCapture::release() { capture().release(storage_); }

}  // namespace smile::lazy
