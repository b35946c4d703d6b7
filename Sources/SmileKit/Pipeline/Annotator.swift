import SmileVision

/// Draws each face's box and verdict on a copy of the image.
public enum Annotator {
    /// Box colour (BGR) for smiling faces: green.
    public static let smilingColour: (b: UInt8, g: UInt8, r: UInt8) = (60, 200, 40)
    /// Box colour (BGR) for non-smiling faces: orange-red.
    public static let notSmilingColour: (b: UInt8, g: UInt8, r: UInt8) = (30, 90, 230)
    /// Landmark colour (BGR): yellow.
    public static let landmarkColour: (b: UInt8, g: UInt8, r: UInt8) = (0, 230, 255)

    /// The image with a box per face, coloured by class and labelled "smile 0.93" / "no smile 0.12".
    ///
    /// A tilted face's box is turned by its angle (the face's own outline); the label sits above
    /// the box's highest point. With `landmarks`, each face's landmarks (YuNet's) are marked by small squares.
    public static func annotate(_ image: Image, faces: [FaceResult], landmarks: Bool = false) -> Image {
        var canvas = image.bgr()
        let thickness = max(2, min(canvas.width, canvas.height) / 300)
        let scale = max(0.4, Double(min(canvas.width, canvas.height)) / 1000)
        for face in faces {
            let colour = face.isSmiling ? smilingColour : notSmilingColour
            var top = (x: face.box.x, y: face.box.y)
            if face.angle == 0 {
                canvas.drawRectangle(face.box, color: colour, thickness: thickness)
            } else {
                let corners = DetectionGeometry.tiltedCorners(of: face.box, angle: face.angle)
                    .map { (x: Int($0.x.rounded()), y: Int($0.y.rounded())) }
                canvas.drawPolygon(corners, color: colour, thickness: thickness)
                top = (x: corners.map(\.x).min()!, y: corners.map(\.y).min()!)
            }
            let label = "\(face.isSmiling ? "smile" : "no smile") \(formatProbability(face.smileProbability))"
            canvas.drawLabel(label, at: (x: top.x, y: top.y - thickness), color: colour, scale: scale)
            if landmarks, let points = face.landmarks {
                let side = max(3, face.box.width / 25)
                for point in points {
                    canvas.drawRectangle(Rect(x: Int(point.x.rounded()) - side / 2, y: Int(point.y.rounded()) - side / 2, width: side, height: side),
                                         color: landmarkColour, thickness: max(1, side / 2))
                }
            }
        }
        return canvas
    }
}

/// A probability with two decimals, e.g. "0.93".
func formatProbability(_ p: Float) -> String {
    let hundredths = Int((p * 100).rounded())
    return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
}
