import Foundation

/// Plain-text tables of evaluation figures, for the terminal.
public enum EvaluationText {
    /// The modes side by side (figures with 95% intervals), their confusion matrices and `notes`.
    public static func table(_ modes: [ModeEvaluation], notes: [String] = []) -> String {
        var rows: [[String]] = [["figure"] + modes.map(\.name)]
        func row(_ name: String, _ cell: (ModeEvaluation) -> String) { rows.append([name] + modes.map(cell)) }
        row("examples (smiling/not)") { m in
            let c = m.metrics.confusion
            return "\(c.total) (\(c.positives)/\(c.negatives))"
        }
        row("threshold") { fmt($0.metrics.threshold) }
        row("accuracy") { withCI($0.metrics.accuracy, $0.accuracyCI) }
        row("precision") { withCI($0.metrics.precision, $0.precisionCI) }
        row("recall") { withCI($0.metrics.recall, $0.recallCI) }
        row("F1") { withCI($0.metrics.f1, $0.f1CI) }
        row("ROC AUC") { withCI($0.roc.auc, $0.aucCI) }
        row("TP FN / FP TN") { m in
            let c = m.metrics.confusion
            return "\(c.truePositives) \(c.falseNegatives) / \(c.falsePositives) \(c.trueNegatives)"
        }
        row("best threshold") { fmt($0.thresholds.best.threshold) }
        row("accuracy at best") { fmt($0.thresholds.best.accuracy) }
        row("calibration error (ECE)") { fmt($0.calibration.expectedError) }
        var text = layout(rows)
        for line in notes { text += line + "\n" }
        return text
    }

    /// Detection counts by face size.
    public static func detectionTable(_ stats: DetectionStatistics) -> String {
        var rows = [["face size", "faces", "found", "missed", "false", "recall", "precision"]]
        func row(_ name: String, _ c: DetectionCounts) {
            rows.append([name, "\(c.truths)", "\(c.matched)", "\(c.missed)", "\(c.falseDetections)",
                         fmt(c.recall), fmt(c.precision)])
        }
        for bucket in FaceSizeBucket.allCases { row(bucket.label, stats.byBucket[bucket] ?? DetectionCounts()) }
        row("all (\(stats.images) images)", stats.overall)
        return layout(rows)
    }

    /// Left-aligned first column, the others right-aligned, two spaces apart.
    static func layout(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// Three decimals or "n/a".
    static func fmt(_ v: Double?) -> String { EvaluationReport.fmt(v) }

    /// `0.812 [0.750, 0.861]`, or the value alone without an interval.
    static func withCI(_ v: Double?, _ ci: ConfidenceInterval?) -> String {
        guard v != nil else { return "n/a" }
        guard let ci else { return fmt(v) }
        return "\(fmt(v)) [\(fmt(ci.lower)), \(fmt(ci.upper))]"
    }
}
