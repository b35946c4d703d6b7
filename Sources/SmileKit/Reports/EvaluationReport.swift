import Foundation

/// A self-contained HTML evaluation report: inline CSS and SVG, images as data URIs, no scripts.
///
/// Sections, each with a stable id and an `<h2>`: `summary` (figures per
/// mode, side by side, with 95% intervals), `confusion`, `roc`, `zoom`,
/// `detection` and `gallery`. Sections without data say so rather than
/// disappear, so links to them always work. Undefined figures print "n/a".
public enum EvaluationReport {
    /// What was run.
    public struct RunInfo: Sendable {
        /// Model file or name.
        public var model: String
        /// When the evaluation ran.
        public var date: Date
        /// The command line.
        public var command: String

        /// Creates run information.
        public init(model: String, date: Date, command: String) {
            self.model = model
            self.date = date
            self.command = command
        }
    }

    /// One line of the zoom study: p(smile) against face size for one mode.
    public struct ZoomSeries: Sendable {
        /// Mode name, e.g. "with detection".
        public var name: String
        /// (face size, p(smile)) points; drawn in order of size.
        public var points: [(size: Double, probability: Double)]

        /// Creates a series.
        public init(name: String, points: [(size: Double, probability: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// The zoom study: how p(smile) changes with the face's size.
    public struct ZoomStudy: Sendable {
        /// X-axis label, e.g. "face size (px)" or "face size (% of image)".
        public var xLabel: String
        /// One series per mode.
        public var series: [ZoomSeries]

        /// Creates a zoom study.
        public init(xLabel: String, series: [ZoomSeries]) {
            self.xLabel = xLabel
            self.series = series
        }
    }

    /// A misclassified face for the gallery.
    public struct GalleryItem: Sendable, Codable {
        /// JPEG bytes of the face crop (embedded as a data URI).
        public var jpeg: Data
        /// The model's p(smile).
        public var probability: Double
        /// True label (1 = smiling).
        public var trueLabel: Int
        /// Source photo name.
        public var source: String
        /// The mode it was misclassified in, if relevant.
        public var mode: String?

        /// Creates a gallery item.
        public init(jpeg: Data, probability: Double, trueLabel: Int, source: String, mode: String? = nil) {
            self.jpeg = jpeg
            self.probability = probability
            self.trueLabel = trueLabel
            self.source = source
            self.mode = mode
        }
    }

    /// Everything the report shows.
    public struct Input: Sendable {
        /// Page title.
        public var title: String
        /// Run information.
        public var run: RunInfo
        /// Evaluated modes, shown side by side (typically "without detection" and "with detection").
        public var modes: [ModeEvaluation]
        /// Zoom study, if measured.
        public var zoom: ZoomStudy?
        /// Detection statistics, if measured.
        public var detection: DetectionStatistics?
        /// Detection statistics of several detectors on the same photos, each under its name
        /// (shown instead of `detection` when not empty).
        public var detectionByDetector: [(name: String, statistics: DetectionStatistics)] = []
        /// Misclassified faces.
        public var gallery: [GalleryItem]
        /// Explanatory lines shown under the summary table (how unfound faces count, timings).
        public var notes: [String]

        /// Creates report input.
        public init(title: String = "Smile evaluation", run: RunInfo, modes: [ModeEvaluation],
                    zoom: ZoomStudy? = nil, detection: DetectionStatistics? = nil, gallery: [GalleryItem] = [],
                    notes: [String] = []) {
            self.title = title
            self.run = run
            self.modes = modes
            self.zoom = zoom
            self.detection = detection
            self.gallery = gallery
            self.notes = notes
        }
    }

    /// The section ids, in page order.
    public static let sectionIDs = ["summary", "confusion", "roc", "calibration", "zoom", "detection", "gallery"]

    /// Renders the report as one HTML document.
    public static func html(_ input: Input) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<title>\(esc(input.title))</title>\n<style>\(css)</style>\n</head>\n<body>\n"
        h += "<h1>\(esc(input.title))</h1>\n"
        h += "<dl class=\"run\"><dt>Model</dt><dd>\(esc(input.run.model))</dd>"
        h += "<dt>Date</dt><dd>\(esc(iso8601(input.run.date)))</dd>"
        h += "<dt>Command</dt><dd><code>\(esc(input.run.command))</code></dd></dl>\n"
        h += summarySection(input.modes, notes: input.notes)
        h += confusionSection(input.modes)
        h += rocSection(input.modes)
        h += calibrationSection(input.modes)
        h += zoomSection(input.zoom)
        h += detectionSection(input.detection, byDetector: input.detectionByDetector)
        h += gallerySection(input.gallery)
        h += "</body>\n</html>\n"
        return h
    }

    /// Renders the report and writes it atomically to `url`.
    public static func write(_ input: Input, to url: URL) throws {
        try writeAtomically(Data(html(input).utf8), to: url)
    }

    // MARK: - Sections

    static func summarySection(_ modes: [ModeEvaluation], notes: [String] = []) -> String {
        var h = sectionStart("summary", "Summary")
        for line in notes { h += "<p class=\"note\">\(esc(line))</p>\n" }
        guard !modes.isEmpty else { return h + none + "</section>\n" }
        h += "<table class=\"figures\">\n<thead><tr><th>Figure</th>"
        for m in modes { h += "<th>\(esc(m.name))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        func row(_ name: String, _ cell: (ModeEvaluation) -> String) {
            h += "<tr><th>\(esc(name))</th>" + modes.map { "<td>\(cell($0))</td>" }.joined() + "</tr>\n"
        }
        row("Examples (smiling / not)") { m in
            let c = m.metrics.confusion
            return "\(c.total) (\(c.positives) / \(c.negatives))"
        }
        row("Threshold") { fmt($0.metrics.threshold) }
        row("Accuracy") { withCI($0.metrics.accuracy, $0.accuracyCI) }
        row("Precision") { withCI($0.metrics.precision, $0.precisionCI) }
        row("Recall") { withCI($0.metrics.recall, $0.recallCI) }
        row("Specificity") { withCI($0.metrics.specificity, nil) }
        row("F1") { withCI($0.metrics.f1, $0.f1CI) }
        row("ROC AUC") { withCI($0.roc.auc, $0.aucCI) }
        row("Best-accuracy threshold") { fmt($0.thresholds.best.threshold) }
        row("Accuracy at best threshold") { fmt($0.thresholds.best.accuracy) }
        row("F1 at best threshold") { fmt($0.thresholds.best.f1) }
        row("Calibration error (ECE)") { fmt($0.calibration.expectedError) }
        h += "</tbody>\n</table>\n"
        h += "<p class=\"note\">95% intervals: Wilson score for accuracy, precision and recall; "
        h += "seeded stratified percentile bootstrap for F1 and AUC. n/a = undefined (empty denominator).</p>\n"
        return h + "</section>\n"
    }

    static func confusionSection(_ modes: [ModeEvaluation]) -> String {
        var h = sectionStart("confusion", "Confusion matrices")
        guard !modes.isEmpty else { return h + none + "</section>\n" }
        h += "<div class=\"row\">\n"
        for m in modes {
            let c = m.metrics.confusion
            h += "<table class=\"confusion\"><caption>\(esc(m.name)) (threshold \(fmt(m.metrics.threshold)))</caption>\n"
            h += "<tr><th></th><th>predicted smiling</th><th>predicted not</th></tr>\n"
            h += "<tr><th>smiling</th><td class=\"ok\">\(c.truePositives)</td><td class=\"bad\">\(c.falseNegatives)</td></tr>\n"
            h += "<tr><th>not smiling</th><td class=\"bad\">\(c.falsePositives)</td><td class=\"ok\">\(c.trueNegatives)</td></tr>\n"
            h += "</table>\n"
        }
        return h + "</div>\n</section>\n"
    }

    static func rocSection(_ modes: [ModeEvaluation]) -> String {
        var h = sectionStart("roc", "ROC curves")
        guard !modes.isEmpty else { return h + none + "</section>\n" }
        h += "<div class=\"row\">\n"
        for m in modes {
            h += "<figure>"
            if m.roc.points.isEmpty {
                h += "<p>n/a: ROC needs both classes.</p>"
            } else {
                let series = SVGCharts.Series(
                    name: "AUC \(fmt(m.roc.auc))",
                    points: m.roc.points.map { ($0.falsePositiveRate, $0.truePositiveRate) })
                h += SVGCharts.lineChart(series: [series], xRange: 0...1, yRange: 0...1,
                                         xLabel: "false-positive rate", yLabel: "true-positive rate",
                                         title: "ROC: \(m.name)", diagonal: true)
            }
            h += "<figcaption>\(esc(m.name)): AUC \(withCI(m.roc.auc, m.aucCI))</figcaption></figure>\n"
        }
        return h + "</div>\n</section>\n"
    }

    static func calibrationSection(_ modes: [ModeEvaluation]) -> String {
        var h = sectionStart("calibration", "Calibration")
        guard !modes.isEmpty else { return h + none + "</section>\n" }
        h += "<p class=\"note\">Reliability diagrams: faces binned by predicted p(smile) in tenths; each point is a bin's "
        h += "mean prediction against the fraction of its faces that smile. On the diagonal, a probability means what it says. "
        h += "ECE: the mean gap, weighted by the faces in each bin.</p>\n<div class=\"row\">\n"
        for m in modes {
            h += "<figure>"
            if m.calibration.bins.isEmpty {
                h += "<p>n/a: no examples.</p>"
            } else {
                let series = SVGCharts.Series(name: "ECE \(fmt(m.calibration.expectedError))",
                                              points: m.calibration.bins.map { ($0.meanProbability, $0.observedRate) })
                h += SVGCharts.lineChart(series: [series], xRange: 0...1, yRange: 0...1, xLabel: "predicted p(smile)",
                                         yLabel: "fraction smiling", title: "Reliability: \(m.name)", diagonal: true)
            }
            let counts = m.calibration.bins.map { "\(fmt($0.lower))-\(fmt($0.upper)): \($0.count)" }.joined(separator: ", ")
            h += "<figcaption>\(esc(m.name)): ECE \(fmt(m.calibration.expectedError)); faces per bin \(esc(counts))</figcaption></figure>\n"
        }
        return h + "</div>\n</section>\n"
    }

    static func zoomSection(_ zoom: ZoomStudy?) -> String {
        var h = sectionStart("zoom", "Zoom study")
        let all = zoom?.series.flatMap(\.points) ?? []
        guard let zoom, let minX = all.map(\.size).min(), let maxX = all.map(\.size).max() else {
            return h + none + "</section>\n"
        }
        let series = zoom.series.map { s in
            SVGCharts.Series(name: s.name,
                             points: s.points.sorted { $0.size < $1.size }.map { ($0.size, $0.probability) })
        }
        h += "<figure>" + SVGCharts.lineChart(series: series, xRange: minX...max(maxX, minX + 1), yRange: 0...1,
                                              xLabel: zoom.xLabel, yLabel: "p(smile)", title: "Zoom study")
        h += "<figcaption>p(smile) against \(esc(zoom.xLabel)), one line per mode.</figcaption></figure>\n"
        return h + "</section>\n"
    }

    static func detectionSection(_ stats: DetectionStatistics?, byDetector: [(name: String, statistics: DetectionStatistics)] = []) -> String {
        var h = sectionStart("detection", "Face detection by face size")
        let tables = byDetector.isEmpty ? stats.map { [(name: "", statistics: $0)] } ?? [] : byDetector
        guard !tables.isEmpty else { return h + none + "</section>\n" }
        for (name, stats) in tables {
            if !name.isEmpty { h += "<h3>\(esc(name))</h3>\n" }
            h += detectionTable(stats)
        }
        h += "<p class=\"note\">A detection counts when IoU ≥ 0.5 (greedy, highest IoU first). "
        h += "Faces are bucketed by the ground-truth box; false detections by their own box.</p>\n"
        return h + "</section>\n"
    }

    /// One detector's counts by face size as an HTML table.
    static func detectionTable(_ stats: DetectionStatistics) -> String {
        var h = "<table class=\"figures\">\n<thead><tr><th>Face size (larger side)</th><th>Faces</th><th>Found</th>"
        h += "<th>Missed</th><th>False detections</th><th>Recall</th><th>Precision</th></tr></thead>\n<tbody>\n"
        func row(_ name: String, _ c: DetectionCounts) {
            h += "<tr><th>\(esc(name))</th><td>\(c.truths)</td><td>\(c.matched)</td><td>\(c.missed)</td>"
            h += "<td>\(c.falseDetections)</td><td>\(fmt(c.recall))</td><td>\(fmt(c.precision))</td></tr>\n"
        }
        for bucket in FaceSizeBucket.allCases { row(bucket.label, stats.byBucket[bucket] ?? DetectionCounts()) }
        row("All (\(stats.images) images)", stats.overall)
        return h + "</tbody>\n</table>\n"
    }

    static func gallerySection(_ items: [GalleryItem]) -> String {
        var h = sectionStart("gallery", "Misclassified faces")
        guard !items.isEmpty else { return h + "<p>No misclassified faces.</p>\n</section>\n" }
        h += "<div class=\"gallery\">\n"
        for item in items {
            let truth = item.trueLabel == 1 ? "smiling" : "not smiling"
            h += "<figure><img alt=\"\(esc(item.source))\" src=\"data:image/jpeg;base64,\(item.jpeg.base64EncodedString())\">"
            h += "<figcaption>p(smile) \(fmt(item.probability))<br>true: \(truth)<br>\(esc(item.source))"
            if let mode = item.mode { h += "<br><span class=\"note\">\(esc(mode))</span>" }
            h += "</figcaption></figure>\n"
        }
        return h + "</div>\n</section>\n"
    }

    // MARK: - Helpers

    static let none = "<p>Not measured in this run.</p>\n"

    static func esc(_ s: String) -> String { HTMLEscaping.escape(s) }

    static func sectionStart(_ id: String, _ heading: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(esc(heading))</h2>\n"
    }

    /// Three decimals, or "n/a" for nil or non-finite values.
    static func fmt(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "n/a" }
        return String(format: "%.3f", v)
    }

    static func withCI(_ v: Double?, _ ci: ConfidenceInterval?) -> String {
        guard v != nil else { return "n/a" }
        guard let ci else { return fmt(v) }
        return "\(fmt(v)) <span class=\"ci\">[\(fmt(ci.lower)), \(fmt(ci.upper))]</span>"
    }

    static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static let css = """
    body{font-family:sans-serif;margin:2em;color:#222;max-width:1100px}
    h1{margin-bottom:.3em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
    dl.run{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dl.run dt{font-weight:bold}dl.run dd{margin:0}
    table{border-collapse:collapse;margin:.5em 1em .5em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}
    th{background:#f4f4f4;text-align:left}caption{font-weight:bold;padding:.3em}
    td.ok{background:#e8f5e9}td.bad{background:#fdecea}.ci{color:#666;font-size:.85em}.note{color:#666;font-size:.9em}
    .row{display:flex;flex-wrap:wrap;gap:1em}figure{margin:.5em}
    .gallery{display:flex;flex-wrap:wrap;gap:.5em}.gallery figure{width:150px;font-size:.85em;word-break:break-all}
    .gallery img{width:150px;height:auto;display:block;border:1px solid #ccc}
    """
}
