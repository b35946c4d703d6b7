import CSV
import Foundation

/// Formats CSV rows as RFC 4180 says, through CSV.swift's writer (the library the tables are read
/// with): fields with commas, quotes or line breaks are quoted, inner quotes doubled.
///
/// A row is made as text and written by its table in one write with the other rows of its photo or
/// frame, so a table holds whole rows whenever a run stops.
public enum CSVFormat {
    /// One field, quoted when it needs to be.
    public static func field(_ value: String) -> String {
        String(row([value]).dropLast())
    }

    /// One line: the fields joined by commas, ended by a newline.
    public static func row(_ fields: [String]) -> String {
        let stream = OutputStream(toMemory: ())
        do {
            let writer = try CSVWriter(stream: stream)
            try writer.write(row: fields)
            writer.stream.close()
        } catch {
            // A stream into memory has nothing that can fail.
            preconditionFailure("CSV row into memory failed: \(error)")
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
