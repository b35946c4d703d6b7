import ArgumentParser
import SmileKit
import SmileVision

/// Options that choose and tune the face detector.
public struct DetectionOptions: ParsableArguments {
    public init() {}

    @Option(name: .customLong("detector"),
            help: ArgumentHelp("Face detector: haar (OpenCV's Haar cascade, the default) or yunet (OpenCV's CNN "
                               + "detector: far more faces in crowds, small, dim and turned faces, with five landmarks "
                               + "each). `eval` and `eval-detection` take both, comma-separated, to compare them "
                               + "on the same photos (haar,yunet).", valueName: "detector"))
    public var detectors: DetectorList = DetectorList([.haar])

    /// The detector, where a command takes one (the first named).
    public var detector: FaceDetector.Kind { detectors.kinds[0] }

    @Option(help: ArgumentHelp("YuNet model file (default: $SMILE_DETECTOR_MODEL, then the shipped "
                               + "models/yunet/\(YuNet.modelFileName)); its SHA-256 must match the shipped file's.", valueName: "file"))
    public var detectorModel: String?

    @Option(help: ArgumentHelp("YuNet: the lowest score (0-1) a face is kept at; lower finds more faces and more false ones.", valueName: "score"))
    public var detectorScore: Double = FaceDetector.Settings().yunetScore

    @Flag(help: ArgumentHelp("YuNet: turn each face upright by the line through its eyes before classifying it (its tilt goes in the angle column)."))
    public var align = false

    @Option(help: ArgumentHelp("Haar cascade XML file (default: $SMILE_CASCADE_DIR, the project's cascades/, then OpenCV's install).", valueName: "file"))
    public var cascade: String?

    @Option(help: ArgumentHelp("Detector pyramid step; smaller finds more faces but is slower. 1.2 with --min-neighbours 3 "
                               + "takes about half the search time but misses about 1 in 11 of the faces 1.1 finds in the "
                               + "project's test photos, mostly small ones in crowds."))
    public var scaleFactor: Double = 1.1

    @Option(help: "Raw detections needed to keep a face; larger gives fewer false faces.")
    public var minNeighbours: Int = 5

    @Option(help: ArgumentHelp("Smallest face to look for: pixels (24) or a fraction of the image's shorter side (0.02). "
                               + "Below the cascade's 24 px this adds an upsampled pass by itself.", valueName: "px-or-fraction"))
    public var minFace: MinimumFace = .pixels(0)

    @Flag(inversion: .prefixedNo, help: ArgumentHelp("Histogram-equalise the image before searching it (the classic recipe does "
                               + "not). Default: video frames always (on a dim clip it found 72% more faces); photos only when dim "
                               + "or flat (the middle 90% of their gray levels spans less than 140 of 256): on well-lit group "
                               + "photos equalising lost more small faces than it found."))
    public var equalize: Bool?

    @Option(help: ArgumentHelp("Images with a longer side above this are shrunk to it for detection (boxes are mapped back); "
                               + "0: never. Detection time grows with the pixel count.", valueName: "px"))
    public var workingSide: Int = FaceDetector.Settings().maxWorkingSide

    @Option(help: ArgumentHelp("Extra pass on the image enlarged by this factor, for faces below about 30 px (1: off). "
                               + "Off by default: on voc_boxes it found 1 more face of 43 at about 4x the detection time and many more false faces.", valueName: "factor"))
    public var upsample: Double = 1

    // Unconditional: the value often starts with a minus sign (`--angles -20,20`), which would otherwise read as an option.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Face tilts to look for with rotated passes, in degrees counter-clockwise, comma-separated "
                               + "(e.g. -40,-20,20,40; empty: off). Tilted faces are turned upright before classification. "
                               + "Off by default: on voc_boxes +-20 found 1 more face of 43 at about 3x the detection time (+-20,+-40: 6x).", valueName: "degrees"))
    public var angles: AngleList = AngleList([])

    @Flag(help: ArgumentHelp("Also run the profile cascade on the image and its mirror, for faces seen from the side "
                             + "(on voc_boxes: 1 more face of 43, 1 more false face, about 4x the detection time)."))
    public var profile = false

    @Flag(help: "Keep only faces in which the eye cascade finds an eye (on voc_boxes: false faces 4 -> 1, but recall 0.84 -> 0.51).")
    public var eyeCheck = false

    @Option(help: ArgumentHelp("Who scans the image pyramid: smile (our scan: the same boxes as OpenCV's, several times "
                               + "faster; cascades it cannot read fall back to OpenCV), opencv (OpenCV's own), or "
                               + "smile-scalar (our scan as a plain loop), smile-portable (as a CPU without AVX2 runs it). "
                               + "For comparisons and tests; hidden from --help.", valueName: "engine", visibility: .hidden))
    public var haarEngine: HaarCascade.ScanEngine = .smile

    @Option(help: ArgumentHelp("How the pyramid is searched: full (every window of every level, as OpenCV) or "
                               + "coarse-to-fine (every second level in full, the others only around the "
                               + "windows found there: on the project's photos the same faces at about 0.6 "
                               + "of the time). Default: coarse-to-fine, except full for frames "
                               + "--detect-every 1 (the reference). Needs our scan engine.", valueName: "search"))
    public var pyramidSearch: FaceDetector.PyramidSearch?

    public func validate() throws {
        guard scaleFactor > 1.0, scaleFactor <= 2.0 else { throw ValidationError("--scale-factor must be in (1, 2], got \(scaleFactor)") }
        guard minNeighbours >= 0 else { throw ValidationError("--min-neighbours must be >= 0") }
        guard workingSide == 0 || workingSide >= 48 else { throw ValidationError("--working-side must be 0 or at least 48, got \(workingSide)") }
        guard upsample >= 1, upsample <= 4 else { throw ValidationError("--upsample must be in [1, 4], got \(upsample)") }
        guard angles.degrees.allSatisfy({ abs($0) < 90 }) else { throw ValidationError("--angles must be within (-90, 90) degrees") }
        if detectors.kinds == [.yunet] && (!angles.degrees.isEmpty || profile || eyeCheck || upsample > 1) {
            throw ValidationError("--angles, --profile, --eye-check and --upsample are passes of the Haar cascade; with --detector yunet, drop them (YuNet finds turned and small faces itself)")
        }
        if align && !detectors.kinds.contains(.yunet) { throw ValidationError("--align needs --detector yunet (it uses YuNet's eye landmarks)") }
        guard detectorScore > 0, detectorScore < 1 else { throw ValidationError("--detector-score must be between 0 and 1, got \(detectorScore)") }
    }

    /// The detector settings these options describe; `defaultSearch` unless --pyramid-search was given,
    /// and, unless --equalize or --no-equalize was, equalising always for `video`, else only dim or flat images.
    public func settings(defaultSearch: FaceDetector.PyramidSearch = .coarseToFine, video: Bool = false) -> FaceDetector.Settings {
        var settings = FaceDetector.Settings()
        settings.scaleFactor = scaleFactor
        settings.minNeighbours = minNeighbours
        settings.maxWorkingSide = workingSide
        settings.equalize = equalize ?? true
        settings.equalizeOnlyLowContrast = equalize == nil && !video
        switch minFace {
        case .pixels(let px): settings.minFaceSize = px
        case .fraction(let f): settings.minFaceFraction = f
        }
        settings.upsample = upsample
        settings.angles = angles.degrees
        settings.profile = profile
        settings.eyeCheck = eyeCheck
        settings.scanEngine = haarEngine
        settings.pyramidSearch = pyramidSearch ?? defaultSearch
        settings.detector = detector
        settings.yunetScore = detectorScore
        settings.yunetFinePass = !video
        settings.yunetAlign = align
        return settings
    }

    /// Builds the detector these options describe (`defaultSearch` unless --pyramid-search was given;
    /// another scan engine when `engine` is given; video frames or photos as `settings` says).
    public func makeDetector(defaultSearch: FaceDetector.PyramidSearch = .coarseToFine,
                      engine: HaarCascade.ScanEngine? = nil, video: Bool = false, kind: FaceDetector.Kind? = nil) throws -> FaceDetector {
        guard kind != nil || detectors.kinds.count == 1 else {
            throw ValidationError("--detector takes one detector here; `smile eval` and `smile eval-detection` compare several")
        }
        var settings = settings(defaultSearch: defaultSearch, video: video)
        let detector = kind ?? self.detector
        settings.detector = detector
        if let engine { settings.scanEngine = engine }
        return try FaceDetector(cascadePath: try CascadeLocator.locate(CascadeLocator.frontalFace, explicit: cascade),
                                settings: settings, yunetPath: detector == .yunet ? try YuNetLocator.locate(explicit: detectorModel) : nil)
    }
}

/// `--min-face`: whole pixels, or a fraction (below 1) of the image's shorter side.
public enum MinimumFace: ExpressibleByArgument, Equatable {
    case pixels(Int)
    case fraction(Double)

    public init?(argument: String) {
        if let px = Int(argument), px >= 0 {
            self = .pixels(px)
        } else if let f = Double(argument), f > 0, f < 1 {
            self = .fraction(f)
        } else {
            return nil
        }
    }

    public var defaultValueDescription: String {
        switch self {
        case .pixels(let px): return String(px)
        case .fraction(let f): return String(f)
        }
    }
}

/// `--angles`: comma-separated degrees.
public struct AngleList: ExpressibleByArgument, Equatable {
    public var degrees: [Double]

    public init(_ degrees: [Double]) { self.degrees = degrees }

    public init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        var values: [Double] = []
        for p in parts {
            guard let v = Double(p) else { return nil }
            values.append(v)
        }
        degrees = values
    }

    public var defaultValueDescription: String {
        degrees.isEmpty ? "none" : degrees.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }.joined(separator: ",")
    }
}

extension HaarCascade.ScanEngine: ExpressibleByArgument {}

/// `--detector`: one detector, or several comma-separated (for the commands that compare them).
public struct DetectorList: ExpressibleByArgument, Equatable {
    public var kinds: [FaceDetector.Kind]

    public init(_ kinds: [FaceDetector.Kind]) { self.kinds = kinds }

    public init?(argument: String) {
        let kinds = argument.split(separator: ",").map { FaceDetector.Kind(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        guard !kinds.isEmpty, kinds.allSatisfy({ $0 != nil }) else { return nil }
        var unique: [FaceDetector.Kind] = []
        for case let kind? in kinds where !unique.contains(kind) { unique.append(kind) }
        self.kinds = unique
    }

    public static var allValueStrings: [String] { FaceDetector.Kind.allCases.map(\.rawValue) }

    public var defaultValueDescription: String { kinds.map(\.rawValue).joined(separator: ",") }
}
extension FaceDetector.PyramidSearch: ExpressibleByArgument {}
