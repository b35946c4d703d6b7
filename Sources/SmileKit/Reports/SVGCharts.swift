import Foundation

/// Small inline SVG line charts for the evaluation report (no scripts, no external resources).
enum SVGCharts {
    /// One polyline to draw.
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
    }

    /// Line colours, cycled per series.
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]

    /// A line chart with axes, ticks, labels and a legend.
    static func lineChart(series: [Series], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                          xLabel: String, yLabel: String, title: String, diagonal: Bool = false,
                          xTicks: [Double]? = nil) -> String {
        let width = 360.0, height = 320.0
        let left = 50.0, right = 15.0, top = 25.0, bottom = 45.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xSpan = max(xRange.upperBound - xRange.lowerBound, 1e-12)
        let ySpan = max(yRange.upperBound - yRange.lowerBound, 1e-12)
        func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / xSpan * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - yRange.lowerBound) / ySpan * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        let e = HTMLEscaping.escape
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(e(title))\">\n"
        s += "<title>\(e(title))</title>\n"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"#fff\" stroke=\"#999\"/>\n"
        for fx in xTicks ?? (0...4).map({ xRange.lowerBound + Double($0) / 4 * xSpan }) {
            s += "<line x1=\"\(f(px(fx)))\" y1=\"\(f(top))\" x2=\"\(f(px(fx)))\" y2=\"\(f(top + plotH))\" stroke=\"#eee\"/>"
            s += "<text x=\"\(f(px(fx)))\" y=\"\(f(top + plotH + 15))\" text-anchor=\"middle\" font-size=\"10\">\(tick(fx))</text>\n"
        }
        for i in 0...4 {
            let fy = yRange.lowerBound + Double(i) / 4 * ySpan
            s += "<line x1=\"\(f(left))\" y1=\"\(f(py(fy)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(fy)))\" stroke=\"#eee\"/>"
            s += "<text x=\"\(f(left - 5))\" y=\"\(f(py(fy) + 3))\" text-anchor=\"end\" font-size=\"10\">\(tick(fy))</text>\n"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\" font-size=\"12\">\(e(xLabel))</text>\n"
        s += "<text x=\"12\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 12 \(f(top + plotH / 2)))\">\(e(yLabel))</text>\n"
        if diagonal {
            s += "<line x1=\"\(f(px(xRange.lowerBound)))\" y1=\"\(f(py(yRange.lowerBound)))\" x2=\"\(f(px(xRange.upperBound)))\" y2=\"\(f(py(yRange.upperBound)))\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n"
        }
        for (i, series) in series.enumerated() {
            let colour = palette[i % palette.count]
            let pts = series.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(pts)\"/>\n"
            if series.points.count == 1, let p = series.points.first {
                s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\" fill=\"\(colour)\"/>\n"
            }
            let ly = top + 14 + Double(i) * 14
            s += "<line x1=\"\(f(left + plotW - 120))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + plotW - 105))\" y2=\"\(f(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            s += "<text x=\"\(f(left + plotW - 100))\" y=\"\(f(ly))\" font-size=\"11\">\(e(series.name))</text>\n"
        }
        s += "</svg>"
        return s
    }

    /// Tick label: integers plainly, fractions to two places.
    static func tick(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(format: "%.2f", v)
    }
}
