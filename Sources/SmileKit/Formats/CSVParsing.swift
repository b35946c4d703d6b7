import CSV
import Foundation

/// One CSV record and the physical line it starts on.
public struct CSVRecord: Hashable, Sendable {
    /// Field values, unquoted.
    public var fields: [String]
    /// 1-based line number where the record starts.
    public var line: Int

    /// Creates a record.
    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}

/// Errors reading or writing CSV.
public struct CSVFileError: Error, CustomStringConvertible, Equatable {
    /// The file (or "<string>").
    public var file: String
    /// 1-based line, 0 when unknown.
    public var line: Int
    /// What went wrong.
    public var reason: String

    /// Creates an error.
    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `file:line: reason`.
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}

/// RFC-4180 CSV reading and writing (quoted fields with commas, doubled quotes, newlines).
///
/// Parsing and quoting are done by yaslab/CSV.swift; this wrapper adds what
/// it lacks: line numbers for error messages (counted from the line breaks
/// inside each record), detection of an unterminated quoted field (which the
/// library silently runs to end of file), BOM removal, skipping blank lines,
/// and atomic file writes.
public enum CSVTable {
    /// Parses CSV text into records; blank lines are skipped.
    public static func read(string: String, sourceName: String = "<string>") throws -> [CSVRecord] {
        var text = string
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if let line = unterminatedQuoteLine(text) {
            throw CSVFileError(file: sourceName, line: line, reason: "unterminated quoted field")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text)
        } catch {
            throw CSVFileError(file: sourceName, line: 0, reason: "cannot parse CSV: \(error)")
        }
        var records: [CSVRecord] = []
        var line = 1
        while let row = reader.next() {
            if !(row.count == 1 && row[0].isEmpty) {
                records.append(CSVRecord(fields: row, line: line))
            }
            line += 1 + row.reduce(0) { $0 + lineBreaks(in: $1) }
        }
        if let error = reader.error {
            throw CSVFileError(file: sourceName, line: line, reason: "cannot parse CSV: \(error)")
        }
        return records
    }

    /// Reads and parses the UTF-8 CSV file at `url`.
    public static func read(contentsOf url: URL) throws -> [CSVRecord] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CSVFileError(file: url.path, line: 0, reason: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CSVFileError(file: url.path, line: 0, reason: "not UTF-8 text")
        }
        return try read(string: text, sourceName: url.path)
    }

    /// Formats rows as CSV, quoting fields that need it; lines end with "\n", including the last.
    public static func write(rows: [[String]]) -> String {
        rows.map(CSVFormat.row).joined()
    }

    /// Writes rows as a CSV file atomically (temporary file, then rename).
    public static func write(rows: [[String]], to url: URL) throws {
        try writeAtomically(Data(write(rows: rows).utf8), to: url)
    }

    /// Line breaks in a field ("\r\n", "\r" and "\n" each count once).
    static func lineBreaks(in field: String) -> Int {
        var count = 0
        var previousCR = false
        for u in field.unicodeScalars {
            if u == "\r" {
                count += 1
                previousCR = true
            } else {
                if u == "\n" && !previousCR { count += 1 }
                previousCR = false
            }
        }
        return count
    }

    /// The line where a quoted field opens and never closes, or nil when quotes balance.
    static func unterminatedQuoteLine(_ text: String) -> Int? {
        var line = 1
        var inQuotes = false
        var openedAt = 0
        var atFieldStart = true
        var previousCR = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let u = pending ?? scalars.next() {
            pending = nil
            let isBreak = u == "\r" || (u == "\n" && !previousCR)
            previousCR = u == "\r"
            if isBreak { line += 1 }
            if inQuotes {
                if u == "\"" {
                    let next = scalars.next()
                    if next == "\"" { continue }  // escaped quote
                    inQuotes = false
                    atFieldStart = false
                    pending = next
                }
            } else if u == "\"" && atFieldStart {
                inQuotes = true
                openedAt = line
            } else {
                atFieldStart = u == "," || u == "\n" || u == "\r"
            }
        }
        return inQuotes ? openedAt : nil
    }
}
