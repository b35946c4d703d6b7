/// Where a photo's time goes, fitted by least squares over measured photos: so much per megapixel,
/// so much per face.
///
/// Detection scans the whole image pyramid (time grows with the pixels) and evaluates the cascade
/// deep on the windows around each face (time grows with the faces); classification runs the
/// network once per face; decoding, drawing and encoding grow with the pixels. Each stage is fitted
/// through the origin on those quantities, so the model says how many faces a photo of a given size
/// can hold within a time budget (`faces(within:megapixels:)`). Written here because it is two
/// normal equations: no linear-algebra package is worth a dependency for a 2x2 solve.
public struct PhotoCostModel: Sendable, Equatable {
    /// One measured photo: its size, its faces, and the milliseconds of each stage.
    public struct Sample: Sendable, Equatable {
        public var megapixels: Double
        public var faces: Int
        public var detect, classify, other: Double

        /// Creates a sample (`other`: decoding, drawing and encoding).
        public init(megapixels: Double, faces: Int, detect: Double, classify: Double, other: Double) {
            self.megapixels = megapixels
            self.faces = faces
            self.detect = detect
            self.classify = classify
            self.other = other
        }
    }

    /// Detection milliseconds per megapixel.
    public var detectPerMegapixel: Double
    /// Detection milliseconds per face.
    public var detectPerFace: Double
    /// Classification milliseconds per face.
    public var classifyPerFace: Double
    /// Decoding, drawing and encoding milliseconds per megapixel.
    public var otherPerMegapixel: Double
    /// Root-mean-square difference between each sample's total and the model's, in milliseconds.
    public var rmsError: Double

    /// Creates a model from its coefficients.
    public init(detectPerMegapixel: Double, detectPerFace: Double, classifyPerFace: Double, otherPerMegapixel: Double,
                rmsError: Double = 0) {
        self.detectPerMegapixel = detectPerMegapixel
        self.detectPerFace = detectPerFace
        self.classifyPerFace = classifyPerFace
        self.otherPerMegapixel = otherPerMegapixel
        self.rmsError = rmsError
    }

    /// The least-squares model of `samples`; nil when they cannot tell pixels from faces apart
    /// (fewer than three different face counts, e.g. portraits of one face each, or faces in
    /// proportion to the pixels throughout).
    public static func fit(_ samples: [Sample]) -> PhotoCostModel? {
        guard Set(samples.map(\.faces)).count >= 3 else { return nil }
        let m = samples.map(\.megapixels), f = samples.map { Double($0.faces) }
        let mm = dot(m, m), ff = dot(f, f), mf = dot(m, f)
        // The normal equations of detect = a m + b f; a determinant tiny against its terms means
        // the two columns are (nearly) proportional.
        let determinant = mm * ff - mf * mf
        guard mm > 0, ff > 0, determinant > 1e-9 * mm * ff else { return nil }
        let d = samples.map(\.detect)
        let md = dot(m, d), fd = dot(f, d)
        var model = PhotoCostModel(detectPerMegapixel: (ff * md - mf * fd) / determinant,
                                   detectPerFace: (mm * fd - mf * md) / determinant,
                                   classifyPerFace: dot(f, samples.map(\.classify)) / ff,
                                   otherPerMegapixel: dot(m, samples.map(\.other)) / mm)
        let squares = samples.map { s -> Double in
            let error = s.detect + s.classify + s.other - model.milliseconds(megapixels: s.megapixels, faces: s.faces)
            return error * error
        }
        model.rmsError = (squares.reduce(0, +) / Double(samples.count)).squareRoot()
        return model
    }

    /// The model's milliseconds for a photo of `megapixels` holding `faces` faces.
    public func milliseconds(megapixels: Double, faces: Int) -> Double {
        (detectPerMegapixel + otherPerMegapixel) * megapixels + (detectPerFace + classifyPerFace) * Double(faces)
    }

    /// The most faces a photo of `megapixels` can hold and still take at most `budget` milliseconds
    /// by the model; nil when even a photo without faces takes longer.
    public func faces(within budget: Double, megapixels: Double) -> Int? {
        let left = budget - (detectPerMegapixel + otherPerMegapixel) * megapixels
        let perFace = detectPerFace + classifyPerFace
        guard left >= 0 else { return nil }
        guard perFace > 0 else { return Int.max }
        return Int((left / perFace).rounded(.down))
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}
