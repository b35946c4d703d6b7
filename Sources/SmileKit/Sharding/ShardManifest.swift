import Foundation

/// What a `--shard` run wrote beside each of its tables (`TABLE.shard`, JSON): which shard, and
/// whether it went through all its inputs. `smile merge` reads it to refuse missing, doubled and
/// unfinished shards.
public struct ShardManifest: Codable, Equatable {
    /// The shard, as `K/N`.
    public var shard: String
    /// Inputs of this shard (photos, or labelled photos for `eval`).
    public var inputs: Int
    /// Every input was tried (a run stopped by a signal is not complete until resumed to the end).
    public var complete: Bool

    public init(shard: Shard, inputs: Int, complete: Bool) {
        self.shard = shard.description
        self.inputs = inputs
        self.complete = complete
    }

    /// The manifest's file beside `table`; for a folder of tables (`frames --out`), inside it.
    public static func url(for table: URL) -> URL {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: table.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return table.appendingPathComponent(".smile.shard")
        }
        return table.appendingPathExtension("shard")
    }

    /// Writes the manifest of `table` (atomically).
    public func write(for table: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try writeAtomically(try encoder.encode(self), to: Self.url(for: table))
    }

    /// The manifest beside `table`, or nil when there is none.
    public static func read(for table: URL) throws -> ShardManifest? {
        let url = url(for: table)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        do { return try JSONDecoder().decode(ShardManifest.self, from: data) } catch {
            throw ShardError("\(url.path): not a shard manifest (\(error))")
        }
    }

    /// Refuses to continue `table` as `shard` when an earlier run wrote it as another shard.
    public static func checkResume(of table: URL, as shard: Shard?) throws {
        let previous = try read(for: table)
        switch (previous, shard) {
        case (nil, nil): return
        case (let previous?, let shard?) where previous.shard == shard.description: return
        case (let previous?, _):
            throw ShardError("\(table.path): cannot resume: the table was written by --shard \(previous.shard), this run is \(shard.map { "--shard \($0)" } ?? "not sharded")")
        case (nil, let shard?):
            // A table without a manifest that already has rows came from an unsharded run.
            if let size = (try? FileManager.default.attributesOfItem(atPath: table.path))?[.size] as? Int, size > 0 {
                throw ShardError("\(table.path): cannot resume as --shard \(shard): the table was written by a run without --shard")
            }
        }
    }
}
