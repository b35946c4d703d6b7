import SmileVision

/// When the frontal pass histogram-equalises the image: always (video), or only a dim or flat one (photos).
///
/// Equalising spreads a compressed histogram over all gray levels. On dim video that lets the
/// cascade find many more faces (72% more on hamilton_clip, whose frames' middle 90% of gray levels
/// span 46-133 of 256), but on well-lit photos it costs faces: on realworld/ (photos spanning
/// 143-231) the search without it found 50 real faces the equalised one missed and missed 27 it
/// found (small faces in crowds, by eye), and on the composite set it found 321 of 360 labelled
/// faces against 313, in the same time (`bench/detection-settings.sh`). So photos are equalised only
/// when their middle 90% of gray levels spans less than `lowContrastSpread`.
extension FaceDetector {
    /// Gray levels (of 256) spanned by the 5th to 95th percentile below which an image counts as dim or flat.
    public static let lowContrastSpread = 140

    /// Whether the frontal pass equalises `working` (a gray working copy).
    func equalizes(_ working: Image) -> Bool {
        guard settings.equalize else { return false }
        return !settings.equalizeOnlyLowContrast || working.middleGraySpread() < Self.lowContrastSpread
    }
}

extension Image {
    /// Gray levels from the 5th to the 95th percentile of a gray image's pixels.
    func middleGraySpread() -> Int {
        precondition(channels == 1, "middleGraySpread needs a gray image")
        var histogram = [Int](repeating: 0, count: 256)
        pixels.withUnsafeBufferPointer { for value in $0 { histogram[Int(value)] += 1 } }
        /// The smallest gray level at or below which at least `fraction` of the pixels lie.
        func percentile(_ fraction: Double) -> Int {
            let wanted = max(Int((Double(pixels.count) * fraction).rounded(.up)), 1)
            var seen = 0
            for level in 0..<256 {
                seen += histogram[level]
                if seen >= wanted { return level }
            }
            return 255
        }
        return percentile(0.95) - percentile(0.05)
    }
}
