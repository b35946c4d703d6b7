# smile: build, demo and tests. `make` installs missing Debian packages, builds,
# and annotates the sample photos into out/; `make test` runs the test suite.

# FFmpeg's and libheif's headers: the shim reads videos through FFmpeg and HEIC/AVIF photos through
# libheif itself, both loaded when first needed (Sources/CCVShim/video_decoder.hpp, heif_codec.hpp).
APT_PACKAGES := libopencv-dev opencv-data libopenblas-dev libhdf5-dev libjpeg-dev libpng-dev pkg-config \
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libheif-dev
SWIFT_BUILD_FLAGS := -c release
BIN := .build/release/smile
PREFIX ?= /usr/local
# Where `make install` takes the cascades from (Debian's opencv-data).
CASCADE_DIR := /usr/share/opencv4/haarcascades
CASCADES := haarcascade_frontalface_default.xml haarcascade_profileface.xml haarcascade_eye.xml

.PHONY: all deps build demo install test test-data test-install test-asan test-tsan clean

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

## Install the binary into PREFIX/bin and what it needs into PREFIX/share/smile (the models, YuNet
## with its licence, the cascades), where it finds them from any directory; a man page and bash,
## zsh and fish completions from swift-argument-parser's generators.
install: build
	install -d $(PREFIX)/bin $(PREFIX)/share/smile/models/yunet $(PREFIX)/share/smile/cascades \
	  $(PREFIX)/share/man/man1 $(PREFIX)/share/bash-completion/completions $(PREFIX)/share/zsh/site-functions \
	  $(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN) $(PREFIX)/bin/smile
	install -m 644 models/*.safetensors $(PREFIX)/share/smile/models/
	install -m 644 models/yunet/* $(PREFIX)/share/smile/models/yunet/
	install -m 644 $(addprefix $(CASCADE_DIR)/,$(CASCADES)) $(PREFIX)/share/smile/cascades/
	$(BIN) --generate-completion-script bash > $(PREFIX)/share/bash-completion/completions/smile
	$(BIN) --generate-completion-script zsh > $(PREFIX)/share/zsh/site-functions/_smile
	$(BIN) --generate-completion-script fish > $(PREFIX)/share/fish/vendor_completions.d/smile.fish
	rm -rf .build/plugins/GenerateManual/outputs
	swift package --allow-writing-to-package-directory generate-manual --date 2026-01-01
	install -m 644 .build/plugins/GenerateManual/outputs/smile/smile.1 $(PREFIX)/share/man/man1/smile.1
	@echo "installed $(PREFIX)/bin/smile"

## Unit and end-to-end tests. Tests that need ../shared/data skip unless SMILE_DATA is set.
test: deps
	swift test

## Only the tests that read the real data set (SMILE_DATA must point at it).
test-data: deps
	@test -n "$$SMILE_DATA" || { echo "set SMILE_DATA to the data folder, e.g. SMILE_DATA=../shared/data"; exit 2; }
	swift test --filter DataTests

## AddressSanitizer over the suites that parse untrusted bytes (model files, the face detector model, images and our JPEG
## and PNG codecs, CSV resume and FER2013's labels, tables written to devices and full disks, damaged videos, HEIC and AVIF) and those of the SIMD kernels that load near buffer ends (Haar scan, level selection, grouping, resize,
## integrals, packed GEMM, the bfloat16 convolutions' masked and unaligned loads, the int8 convolution's
## reads past its padded planes).
## LeakSanitizer is off: the only leaks it reports are XCTest's own test-case objects at exit.
## The whole suite also passes under ASan: swift test --sanitize=address --scratch-path .build-asan
test-asan: deps
	ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan \
	  --filter 'SafeTensorsCorruptTests|ModelFileTests|DecodeErrorTests|ImageCodecParityTests|ResumableOutputTests|OutputTableTests|BadInputEndToEndTests|HaarScanEngineTests|PackedGemmTests|HaarPyramidResizeTests|HaarIntegralTests|HaarLevelSelectionTests|HaarGroupingTests|AreaResizeTests|RectGroupingTests|BFloat16ConvolutionTests|YuNetDetectionTests|FER2013Tests|PhotoDegradationTests|DeviceOutputEndToEndTests|DamagedVideoTests|DamagedStreamEndToEndTests|FullDiskEndToEndTests|VideoReaderTests|HEIFTests|Int8ConvolutionTests|EvaluationTallyMergeTests|EvalShardEndToEndTests'

## ThreadSanitizer over the tests that run code on several threads: the crop bank's parallel
## decode and the batch prefetch (ThreadedLoadingTests), and the signal handling and stop request
## of the binary, itself built with TSan, stopped mid-run (InterruptionEndToEndTests).
test-tsan: deps
	TSAN_OPTIONS=halt_on_error=1 swift test --sanitize=thread --scratch-path .build-tsan \
	  --filter 'ThreadedLoadingTests|InterruptionEndToEndTests|ConcurrentRunsEndToEndTests|BoundedQueueTests|VideoFaceDetectorTests|HaarScanEngineTests|AnnotateJobTests|EvaluationJobTests|ModelComputeThreadsTests|InferenceTimingTests|DamagedStreamEndToEndTests'

## Installs into a temporary prefix and runs the installed tool from another directory.
test-install: deps
	Tests/install-test.sh

clean:
	rm -rf .build .build-asan .build-tsan out
