import Foundation
import SmileVision

/// Draws training curves (loss and accuracy per epoch, training and validation) as a PNG.
///
/// Drawn by hand on an `Image` because no plotting library is available to the project.
public enum CurvePlot {
    private typealias Colour = (b: UInt8, g: UInt8, r: UInt8)
    private static let trainColour: Colour = (200, 90, 30), validationColour: Colour = (30, 120, 230)

    /// PNG bytes of a two-panel plot: loss (left) and accuracy (right) against epoch.
    public static func png(_ history: [EpochRecord]) throws -> [UInt8] {
        var canvas = Image(width: 960, height: 400, channels: 3, filledWith: 255)
        let epochs = history.map { Double($0.epoch) }
        let losses = history.flatMap { [Double($0.loss), Double($0.validationLoss)] }.filter(\.isFinite)
        panel(&canvas, x: 60, title: "loss", epochs: epochs, series: [history.map { Double($0.loss) }, history.map { Double($0.validationLoss) }],
              range: (0, max(0.1, losses.max() ?? 1) * 1.05))
        panel(&canvas, x: 540, title: "accuracy", epochs: epochs,
              series: [history.map { Double($0.accuracy) }, history.map { Double($0.validationAccuracy) }], range: (0.5, 1))
        canvas.drawLabel("train", at: (x: 380, y: 390), color: trainColour, scale: 0.5)
        canvas.drawLabel("validation", at: (x: 460, y: 390), color: validationColour, scale: 0.5)
        return try ImageCodec.encode(canvas, as: .png)
    }

    private static func panel(_ canvas: inout Image, x left: Int, title: String, epochs: [Double], series: [[Double]], range: (Double, Double)) {
        let top = 30, width = 380, height = 320
        canvas.drawRectangle(Rect(x: left, y: top, width: width, height: height), color: (0, 0, 0), thickness: 1)
        canvas.drawLabel("\(title) (\(format(range.0))-\(format(range.1)))", at: (x: left, y: top - 6), color: (0, 0, 0), scale: 0.5)
        canvas.drawLabel("epoch 1-\(Int(epochs.last ?? 1))", at: (x: left + width - 110, y: top + height + 20), color: (0, 0, 0), scale: 0.45)
        let maxEpoch = max(2, epochs.last ?? 2)
        func point(_ epoch: Double, _ value: Double) -> (Int, Int) {
            let clamped = min(max(value, range.0), range.1)
            return (left + Int((epoch - 1) / (maxEpoch - 1) * Double(width - 1)),
                    top + height - 1 - Int((clamped - range.0) / (range.1 - range.0) * Double(height - 1)))
        }
        for (values, colour) in zip(series, [trainColour, validationColour]) {
            for i in values.indices where values[i].isFinite {
                let p = point(epochs[i], values[i])
                canvas.drawRectangle(Rect(x: p.0 - 2, y: p.1 - 2, width: 5, height: 5), color: colour, thickness: -1)
                if i > 0, values[i - 1].isFinite { line(&canvas, from: point(epochs[i - 1], values[i - 1]), to: p, colour: colour) }
            }
        }
    }

    /// A two-pixel-thick straight line (Bresenham).
    private static func line(_ canvas: inout Image, from a: (Int, Int), to b: (Int, Int), colour: Colour) {
        var (x, y) = a
        let dx = abs(b.0 - x), dy = -abs(b.1 - y), sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var error = dx + dy
        while true {
            for (ox, oy) in [(0, 0), (1, 0), (0, 1)] {
                let px = x + ox, py = y + oy
                guard px >= 0, py >= 0, px < canvas.width, py < canvas.height else { continue }
                let i = (py * canvas.width + px) * 3
                canvas.pixels[i] = colour.b
                canvas.pixels[i + 1] = colour.g
                canvas.pixels[i + 2] = colour.r
            }
            if x == b.0 && y == b.1 { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    private static func format(_ v: Double) -> String { String(format: "%.2f", v) }
}
