import Foundation

/// The training curves of a run: loss and accuracy per epoch, training and validation, as SVG
/// charts with axes, ticks and legends (drawn like the evaluation report's), and an HTML summary
/// of the run that shows them beside the table of epochs.
public enum CurvePlot {
    /// `curves.svg`: the loss and accuracy charts side by side.
    public static func svg(_ history: [EpochRecord]) -> String {
        let (loss, accuracy) = charts(history)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 740 320\" width=\"740\" height=\"320\">\n"
            + "<g>\(standalone(loss))</g>\n<g transform=\"translate(380 0)\">\(standalone(accuracy))</g>\n</svg>\n"
    }

    /// `summary.html`: what was trained (`title`, `details`), the charts, and every epoch's figures.
    public static func html(_ history: [EpochRecord], title: String, details: [(String, String)]) -> String {
        let e = HTMLEscaping.escape
        let (loss, accuracy) = charts(history)
        var page = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>\(e(title))</title>\n"
        page += "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right}"
        page += "th{border-bottom:1px solid #999}td.k{text-align:left;color:#555}</style></head><body>\n"
        page += "<h1>\(e(title))</h1>\n<table>\n"
        for (key, value) in details { page += "<tr><td class=\"k\">\(e(key))</td><td style=\"text-align:left\">\(e(value))</td></tr>\n" }
        page += "</table>\n<p>\(loss)\n\(accuracy)</p>\n<table>\n<tr><th>epoch</th><th>learning rate</th><th>loss</th><th>accuracy</th>"
        page += "<th>validation loss</th><th>validation accuracy</th><th>images/s</th><th>seconds</th></tr>\n"
        for r in history {
            page += String(format: "<tr><td>%d</td><td>%.2e</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.0f</td><td>%.0f</td></tr>\n",
                           r.epoch, r.learningRate, r.loss, r.accuracy, r.validationLoss, r.validationAccuracy, r.imagesPerSecond, r.seconds)
        }
        return page + "</table>\n</body></html>\n"
    }

    /// The two charts as inline SVG elements.
    static func charts(_ history: [EpochRecord]) -> (loss: String, accuracy: String) {
        let epochs = history.map { Double($0.epoch) }
        let last = max(2, epochs.last ?? 2)
        let xTicks = epochTicks(upTo: Int(last))
        func series(_ name: String, _ value: (EpochRecord) -> Float) -> SVGCharts.Series {
            SVGCharts.Series(name: name, points: history.map { (Double($0.epoch), Double(value($0))) }.filter { $0.1.isFinite })
        }
        let losses = history.flatMap { [Double($0.loss), Double($0.validationLoss)] }.filter(\.isFinite)
        let loss = SVGCharts.lineChart(series: [series("train", \.loss), series("validation", \.validationLoss)],
                                       xRange: 1...last, yRange: 0...max(0.1, (losses.max() ?? 1) * 1.05),
                                       xLabel: "epoch", yLabel: "loss (cross-entropy)", title: "Loss", xTicks: xTicks)
        let accuracies = history.flatMap { [Double($0.accuracy), Double($0.validationAccuracy)] }.filter(\.isFinite)
        let floor = min(0.5, ((accuracies.min() ?? 0.5) * 10).rounded(.down) / 10)
        let accuracy = SVGCharts.lineChart(series: [series("train", \.accuracy), series("validation", \.validationAccuracy)],
                                           xRange: 1...last, yRange: floor...1, xLabel: "epoch", yLabel: "accuracy",
                                           title: "Accuracy", xTicks: xTicks)
        return (loss, accuracy)
    }

    /// Whole epochs to label: every one up to 10, then about 6 evenly spaced.
    static func epochTicks(upTo last: Int) -> [Double] {
        let step = last <= 10 ? 1 : Int((Double(last) / 6).rounded(.up))
        var ticks = Array(stride(from: 1, through: last, by: step))
        if ticks.last != last { ticks.append(last) }
        return ticks.map(Double.init)
    }

    /// An inline chart made a standalone SVG fragment (the namespace a file needs).
    private static func standalone(_ chart: String) -> String {
        chart.replacingOccurrences(of: "<svg class=\"chart\"", with: "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"")
    }
}
