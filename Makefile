# smile: build, demo and tests. `make` installs missing Debian packages, builds,
# and annotates the sample photos into out/; `make test` runs the test suite.

# FFmpeg's headers: the shim reads videos through FFmpeg itself (Sources/CCVShim/video_decoder.hpp).
APT_PACKAGES := libopencv-dev opencv-data libopenblas-dev libhdf5-dev libjpeg-dev libpng-dev pkg-config \
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
SWIFT_BUILD_FLAGS := -c release
BIN := .build/release/smile

.PHONY: all deps build demo test test-data test-asan test-tsan clean

all: demo

## Install the Debian packages the build needs, only those that are missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build $(SWIFT_BUILD_FLAGS) --product smile

## The main job: annotate the sample photos into out/ (annotated copies + faces.csv).
demo: build
	$(BIN) annotate samples --out out --csv out/faces.csv
	@echo "annotated photos and faces.csv are in out/"

## Unit and end-to-end tests. Tests that need ../shared/data skip unless SMILE_DATA is set.
test: deps
	swift test

## Only the tests that read the real data set (SMILE_DATA must point at it).
test-data: deps
	@test -n "$$SMILE_DATA" || { echo "set SMILE_DATA to the data folder, e.g. SMILE_DATA=../shared/data"; exit 2; }
	swift test --filter DataTests

## AddressSanitizer over the suites that parse untrusted bytes (model files, the face detector model, images and our JPEG
## and PNG codecs, CSV resume and FER2013's labels, tables written to devices) and those of the SIMD kernels that load near buffer ends (Haar scan, level selection, grouping, resize,
## integrals, packed GEMM, the bfloat16 convolutions' masked and unaligned loads).
## LeakSanitizer is off: the only leaks it reports are XCTest's own test-case objects at exit.
## The whole suite also passes under ASan: swift test --sanitize=address --scratch-path .build-asan
test-asan: deps
	ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan \
	  --filter 'SafeTensorsCorruptTests|ModelFileTests|DecodeErrorTests|ImageCodecParityTests|ResumableOutputTests|OutputTableTests|BadInputEndToEndTests|HaarScanEngineTests|PackedGemmTests|HaarPyramidResizeTests|HaarIntegralTests|HaarLevelSelectionTests|HaarGroupingTests|AreaResizeTests|RectGroupingTests|BFloat16ConvolutionTests|YuNetDetectionTests|FER2013Tests|PhotoDegradationTests|DeviceOutputEndToEndTests'

## ThreadSanitizer over the tests that run code on several threads: the crop bank's parallel
## decode and the batch prefetch (ThreadedLoadingTests), and the signal handling and stop request
## of the binary, itself built with TSan, stopped mid-run (InterruptionEndToEndTests).
test-tsan: deps
	TSAN_OPTIONS=halt_on_error=1 swift test --sanitize=thread --scratch-path .build-tsan \
	  --filter 'ThreadedLoadingTests|InterruptionEndToEndTests|ConcurrentRunsEndToEndTests|BoundedQueueTests|VideoFaceDetectorTests|HaarScanEngineTests|AnnotateJobTests|EvaluationJobTests|ModelComputeThreadsTests|InferenceTimingTests'

clean:
	rm -rf .build .build-asan .build-tsan out
