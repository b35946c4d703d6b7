import Foundation

/// `smile merge`: the tables of all the shards of a run joined into the table one run would have
/// written (rows in shard order rather than input order).
///
/// Every table must have its shard manifest; the shards must be all of 1...N exactly once, each
/// complete, with one header, and no photo may appear in two of them.
public enum ShardMerge {
    /// What a merge joined.
    public struct Summary: Equatable {
        public var shards: Int
        public var rows: Int
    }

    /// Merges `tables` (all CSV, or all `annotate` JSON, or all folders of `frames --out`) into `output`.
    public static func merge(_ tables: [URL], into output: URL) throws -> Summary {
        guard !tables.isEmpty else { throw ShardError("nothing to merge: name the shards' tables") }
        let ordered = try checkedShards(tables)
        if tables.allSatisfy(isFolder) {
            if tables.allSatisfy(isEvaluationReport) { return try mergeEvaluationReports(ordered, into: output) }
            return try mergeFolders(ordered, into: output)
        }
        guard !tables.contains(where: isFolder) else { throw ShardError("cannot merge folders and tables together") }
        if tables.allSatisfy({ $0.pathExtension.lowercased() == "json" }) {
            return try mergeJSON(ordered, into: output)
        }
        guard !tables.contains(where: { $0.pathExtension.lowercased() == "json" }) else {
            throw ShardError("cannot merge CSV and JSON tables together")
        }
        return try mergeCSV(ordered, into: output)
    }

    /// The tables in shard order, after checking their manifests.
    static func checkedShards(_ tables: [URL]) throws -> [URL] {
        var byIndex: [Int: URL] = [:]
        var count: Int?
        for table in tables {
            guard FileManager.default.fileExists(atPath: table.path) else { throw ShardError("\(table.path): no such file") }
            guard let manifest = try ShardManifest.read(for: table) else {
                throw ShardError("\(table.path): no shard manifest beside it (\(ShardManifest.url(for: table).lastPathComponent)): not written by a --shard run")
            }
            let shard = try Shard.parse(manifest.shard, environment: [:])
            if let count, count != shard.count {
                throw ShardError("\(table.path) is shard \(shard) but other tables are shards of \(count)")
            }
            count = shard.count
            if let other = byIndex[shard.index] {
                throw ShardError("shard \(shard) given twice: \(other.path) and \(table.path)")
            }
            guard manifest.complete else {
                throw ShardError("\(table.path): shard \(shard) did not finish; run it again with --resume, then merge")
            }
            byIndex[shard.index] = table
        }
        let total = count ?? 0
        let missing = (1...total).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            throw ShardError("shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(total)" }.joined(separator: ", ")) missing: merge needs all \(total)")
        }
        return (1...total).map { byIndex[$0]! }
    }

    static func mergeCSV(_ tables: [URL], into output: URL) throws -> Summary {
        var header: String?
        var body = ""
        var owners = ShardOwners()
        var rows = 0
        for table in tables {
            let text: String
            do { text = try String(contentsOf: table, encoding: .utf8) } catch {
                throw ShardError("\(table.path): cannot read: \(systemReason(error))")
            }
            guard let newline = text.firstIndex(of: "\n") else { throw ShardError("\(table.path): no header line") }
            let firstLine = String(text[...newline])
            if let header, header != firstLine {
                throw ShardError("\(table.path): its header differs from \(tables[0].path)'s: tables of different commands or detectors")
            }
            header = firstLine
            let complete = RowFile.completeRowsLength(text)
            guard complete == text.utf8.count else { throw ShardError("\(table.path): ends in an incomplete row") }
            let records = try CSVTable.read(string: text, sourceName: table.path).dropFirst()
            for record in records {
                guard let key = record.fields.first else { continue }
                try owners.claim(key, for: table, in: "tables")
            }
            rows += records.count
            body += text[text.index(after: newline)...]
        }
        try writeAtomically(Data(((header ?? "") + body).utf8), to: output)
        return Summary(shards: tables.count, rows: rows)
    }

    static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func isEvaluationReport(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(EvaluationRecord.fileName).path)
    }

    /// The shards' `eval --report` folders joined into one report folder (`report.html` and
    /// `evaluation.json`) with the figures of one run over all their photos. Rows: labelled examples.
    static func mergeEvaluationReports(_ folders: [URL], into output: URL) throws -> Summary {
        var merged: EvaluationRecord?
        var owners = ShardOwners()
        for folder in folders {
            let record = try EvaluationRecord.read(fromReportFolder: folder)
            for path in record.detectors.first?.tally.photoPaths ?? [] { try owners.claim(path, for: folder, in: "evaluations") }
            merged = try merged.map { try $0.merged(with: record) } ?? record
        }
        guard var record = merged else { throw ShardError("nothing to merge: name the shards' report folders") }
        record.command += " (shards merged by smile merge)"
        try record.writeReport(record.results(), into: output)
        return Summary(shards: folders.count, rows: record.detectors.first?.tally.examples ?? 0)
    }

    /// The shards' folders of per-source tables (`frames --out`) copied into one folder; a file name
    /// in two shards' folders is refused. Rows: the data rows of the tables copied.
    static func mergeFolders(_ folders: [URL], into output: URL) throws -> Summary {
        var owners = ShardOwners()
        var files: [(name: String, url: URL)] = []
        for folder in folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
            for name in names {
                try owners.claim(name, for: folder, in: "folders")
                files.append((name, folder.appendingPathComponent(name)))
            }
        }
        var rows = 0
        for file in files where !isFolder(file.url) {
            let data = try Data(contentsOf: file.url)
            rows += max(0, data.filter { $0 == UInt8(ascii: "\n") }.count - 1)
            try writeAtomically(data, to: output.appendingPathComponent(file.name))
        }
        return Summary(shards: folders.count, rows: rows)
    }

    static func mergeJSON(_ tables: [URL], into output: URL) throws -> Summary {
        var records: [FacesTable.ImageRecord] = []
        var owners = ShardOwners()
        for table in tables {
            let part: [FacesTable.ImageRecord]
            do { part = try JSONDecoder().decode([FacesTable.ImageRecord].self, from: Data(contentsOf: table)) } catch {
                throw ShardError("\(table.path): not an annotate JSON table (\(error))")
            }
            for record in part { try owners.claim(record.image, for: table, in: "tables") }
            records += part
        }
        try writeAtomically(try FacesTable.jsonEncoder().encode(records), to: output)
        return Summary(shards: tables.count, rows: records.count)
    }
}

/// Which shard's output each photo (or file) came from: one photo in two shards means the shards
/// were not run over the same inputs, and the merge is refused.
struct ShardOwners {
    private var owner: [String: URL] = [:]

    /// Records `key` as `shard`'s; throws when another shard already has it (`what`: the shards' outputs, for the message).
    mutating func claim(_ key: String, for shard: URL, in what: String) throws {
        if let other = owner[key], other != shard {
            throw ShardError("\(key) is in two shards' \(what) (\(other.path) and \(shard.path)): were they run with the same inputs?")
        }
        owner[key] = shard
    }
}
