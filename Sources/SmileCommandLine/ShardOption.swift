import ArgumentParser
import Foundation
import SmileKit

/// `--shard K/N`: this run's part of the inputs, for work spread over several machines.
public struct ShardOption: ParsableArguments {
    public init() {}

    @Option(help: ArgumentHelp(
        "Process only part K of N of the inputs (dealt by a hash of each input's path, the same on every machine), or auto: from an array job's environment (Slurm's SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT; a Kubernetes Indexed Job's JOB_COMPLETION_INDEX with auto/N or SMILE_SHARD_COUNT). Join the shards' tables with smile merge.",
        valueName: "K/N"))
    public var shard: String?

    /// The parsed shard, or nil without --shard.
    public func parsed() throws -> Shard? {
        guard let shard else { return nil }
        do { return try Shard.parse(shard) } catch let error as ShardError { throw ValidationError(error.description) }
    }
}
