import Foundation

/// One of N parts of a run spread over several machines or processes (`--shard K/N`).
///
/// Inputs are dealt by a stable hash of their path as given on the command line (`stableHash`), so
/// every input belongs to exactly one shard, the same one on every machine that runs the same
/// command, and adding inputs does not move the others.
public struct Shard: Equatable, Codable, Sendable, CustomStringConvertible {
    /// 1-based index, 1...count.
    public let index: Int
    /// Number of shards.
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (1...count).contains(index) else {
            throw ShardError("shard \(index)/\(count): the index must be 1 to the count, and the count at least 1")
        }
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the input at `path` (as given on the command line) is this shard's.
    public func contains(path: String) -> Bool { Int(stableHash(path) % UInt64(count)) == index - 1 }

    /// `K/N` (1-based), or `auto` / `auto/N` read from an array job's environment:
    /// Slurm's `SLURM_ARRAY_TASK_ID` (counted from `SLURM_ARRAY_TASK_MIN`) and `SLURM_ARRAY_TASK_COUNT`,
    /// or a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` (0-based) with the count from `auto/N`
    /// or `SMILE_SHARD_COUNT`.
    public static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "auto" {
            guard parts.count <= 2 else { throw ShardError("--shard \(text): write auto or auto/N") }
            let given = parts.count == 2 ? Int(parts[1]) : nil
            if parts.count == 2 && given == nil { throw ShardError("--shard \(text): N must be a number") }
            return try fromEnvironment(environment, count: given)
        }
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ShardError("--shard \(text): write K/N (this run's part K of N, counted from 1) or auto")
        }
        return try Shard(index: index, count: count)
    }

    /// The shard an array job's environment names (see `parse`).
    static func fromEnvironment(_ environment: [String: String], count given: Int?) throws -> Shard {
        func number(_ name: String) throws -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text) else { throw ShardError("$\(name) is \(text), not a number") }
            return value
        }
        if let task = try number("SLURM_ARRAY_TASK_ID") {
            let first = try number("SLURM_ARRAY_TASK_MIN") ?? 0
            guard let count = try given ?? number("SLURM_ARRAY_TASK_COUNT") else {
                throw ShardError("--shard auto: $SLURM_ARRAY_TASK_ID is set but not $SLURM_ARRAY_TASK_COUNT; give --shard auto/N")
            }
            return try Shard(index: task - first + 1, count: count)
        }
        if let index = try number("JOB_COMPLETION_INDEX") {
            guard let count = try given ?? number("SMILE_SHARD_COUNT") else {
                throw ShardError("--shard auto: $JOB_COMPLETION_INDEX is set; give the count as --shard auto/N or $SMILE_SHARD_COUNT")
            }
            return try Shard(index: index + 1, count: count)
        }
        throw ShardError("--shard auto: no array job here ($SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX is not set)")
    }
}

/// A shard that cannot be parsed, or shard outputs that cannot be merged.
public struct ShardError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
