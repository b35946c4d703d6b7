import SmileVision

/// Finds faces in a photo or frame with a Haar cascade, at a bounded working resolution.
///
/// Large images are shrunk so their longer side is at most `maxWorkingSide` before detection
/// (Haar cost grows with pixel count and phone photos gain nothing from full resolution);
/// boxes are mapped back to the original image. With the default settings it runs one frontal
/// cascade pass (the original behaviour); the extra passes of `Settings` (upsampled, rotated,
/// profile) and the eye check are described in `FaceDetector+MultiPass.swift`.
/// Not thread-safe (the cascades are not).
public final class FaceDetector {
    /// Detection settings.
    public struct Settings: Sendable, Equatable {
        /// Cascade pyramid step; smaller finds more faces, slower.
        public var scaleFactor = 1.1
        /// Neighbouring raw detections needed to keep a box; larger means fewer false faces.
        public var minNeighbours = 5
        /// Smallest face side to look for, in pixels of the original image (0: the cascade's own 24 px).
        public var minFaceSize = 0
        /// Smallest face side as a fraction of the image's shorter side (0: none); the larger of this
        /// and `minFaceSize` applies.
        public var minFaceFraction = 0.0
        /// Largest face side to look for, in pixels of the original image (0: no limit).
        public var maxFaceSize = 0
        /// Images with a longer side above this are downscaled for detection (0: never).
        public var maxWorkingSide = 1600
        /// Enlargement of the extra small-face pass (1: no such pass). A minimum face below the
        /// cascade's 24 px window turns the pass on by itself, enlarged enough to reach it.
        public var upsample = 1.0
        /// The upsampled pass looks only for faces up to this side (original pixels): larger ones
        /// are the plain pass's job, and skipping them keeps the pass cheaper.
        public var upsampleMaxFace = 48
        /// Face tilts (degrees, counter-clockwise positive) looked for by rotated passes; empty: none.
        public var angles: [Double] = []
        /// Also run the profile cascade on the image and its mirror.
        public var profile = false
        /// Keep only faces in which the eye cascade finds an eye (fewer false faces, some recall lost).
        public var eyeCheck = false
        /// Histogram-equalise the gray image before searching it (off when the caller hands in a part
        /// of a frame it equalised as a whole, as `VideoFaceDetector` does).
        public var equalize = true
        /// With `equalize`, equalise only a dim or flat image (see `FaceDetector+Equalization.swift`):
        /// what photos get; video frames are equalised always.
        public var equalizeOnlyLowContrast = false
        /// IoU at or above which boxes of the passes are merged into one face.
        public var nmsIoU = NonMaximumSuppression.defaultIoUThreshold
        /// Who scans the pyramid: our scan (same boxes as OpenCV's, faster) wherever it can read
        /// the cascade, or OpenCV's own (`.opencv`, for comparison).
        public var scanEngine = HaarCascade.ScanEngine.smile
        /// How the frontal pass searches the pyramid (see `FaceDetector+CoarseToFine.swift`); OpenCV's
        /// scan engine always searches it in full.
        public var pyramidSearch = PyramidSearch.full
        /// Coarse to fine: the even levels' search region around an odd level's raw window, in window
        /// sides on each side.
        public var refineMargin = 0.5
        /// Coarse to fine: box widths searched around an odd level's raw window, from its width / this
        /// to its width * this.
        public var refineSizeTolerance = 1.5
        /// Which detector finds the faces: the Haar cascade (the default) or YuNet.
        public var detector = Kind.haar
        /// YuNet: the lowest score a face is kept at.
        public var yunetScore = 0.7
        /// YuNet: images with a longer side above this are searched shrunk to it (0: never).
        public var yunetWorkingSide = 640
        /// YuNet: faces under this side (pixels of the shrunk image) are looked for again at twice its scale,
        /// when that is still at most the original's (see `yunetFinePass`).
        public var yunetSmallFace = 24.0
        /// YuNet: whether an image shrunk to less than half is also searched at twice that scale, in tiles,
        /// for its small faces (photos: yes; video frames: no, it would cost four more passes a frame).
        public var yunetFinePass = true
        /// YuNet: turn each face upright by its eye line before classifying it (its `angle`).
        public var yunetAlign = false
        /// YuNet's local search keeps faces scoring this much below `yunetScore`: a region is searched only
        /// around a face already found, and cut out of its frame a face scores a little lower. 0.1 by
        /// measurement (`--detect-every 3` against every frame searched whole, `smile compare-frames`):
        /// 99.2% and 98.8% of the faces on the two clips; 0: 97.0% and 98.5%; 0.2: 99.2% on both, with more
        /// faces the whole-frame search does not give.
        public var yunetRegionScoreDrop = 0.1
        public init() {}

        /// Whether only the original single frontal pass runs.
        public var isSinglePass: Bool { upsample <= 1 && angles.isEmpty && !profile && !eyeCheck && minFaceFraction <= 0 && minFaceSize == 0 || (upsample <= 1 && angles.isEmpty && !profile && !eyeCheck && minFaceSize >= 24 && minFaceFraction <= 0) }
    }

    /// The face detectors `Settings.detector` chooses from.
    public enum Kind: String, CaseIterable, Sendable {
        /// OpenCV's Haar cascade (Viola-Jones), the design's detector.
        case haar
        /// YuNet, OpenCV's small CNN face detector: more faces in crowds, small and turned faces.
        case yunet
    }

    /// The cascade in use (also with YuNet: training frames its crops by it).
    public let cascade: HaarCascade
    /// YuNet, when `settings.detector` is `.yunet`.
    public let yunet: YuNet?
    /// The settings in use.
    public var settings: Settings

    /// The profile cascade, when profile passes are on.
    public let profileCascade: HaarCascade?
    /// The eye cascade, when the eye check is on.
    public let eyeCascade: HaarCascade?

    /// Loads the frontal cascade at `cascadePath`, and the profile and eye cascades when the settings
    /// need them (from the given paths, else found by `CascadeLocator`).
    public init(cascadePath: String, settings: Settings = Settings(),
                profileCascadePath: String? = nil, eyeCascadePath: String? = nil, yunetPath: String? = nil) throws {
        self.cascade = try HaarCascade(path: cascadePath)
        self.yunet = settings.detector == .yunet ? try YuNet(path: yunetPath ?? YuNetLocator.locate()) : nil
        self.settings = settings
        self.profileCascade = settings.profile
            ? try HaarCascade(path: profileCascadePath ?? CascadeLocator.locate(CascadeLocator.profileFace)) : nil
        self.eyeCascade = settings.eyeCheck
            ? try HaarCascade(path: eyeCascadePath ?? CascadeLocator.locate(CascadeLocator.eye)) : nil
        for loaded in [cascade, profileCascade, eyeCascade].compactMap({ $0 }) {
            // A cascade our scan cannot read (tree-based, tilted features) stays with OpenCV.
            if settings.scanEngine == .opencv || loaded.scanEngine != .opencv { try loaded.setScanEngine(settings.scanEngine) }
        }
    }

    /// Face boxes in `image` coordinates, largest first (the boxes of `detectFaces`).
    public func detect(in image: Image) throws -> [Rect] {
        try detectFaces(in: image).map(\.box)
    }
}
