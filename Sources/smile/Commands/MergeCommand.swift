import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit

/// `smile merge`: joins the tables of a run's shards.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the tables of runs made with --shard into the table one run would have written.",
        discussion: """
        Give every shard's table (CSV of annotate or eval, or annotate's JSON), or every shard's \
        frames --out folder; each must have the manifest its run wrote (TABLE.shard beside a \
        table, .smile.shard in a folder). All shards 1 to N must be there once each, \
        every one finished (a stopped shard: run it again with --resume first), with one header, \
        and no photo in two of them; otherwise nothing is written. Rows come in shard order.

        Examples:
          smile annotate /archive --out out/1 --shard 1/2 & smile annotate /archive --out out/2 --shard 2/2
          smile merge out/1/faces.csv out/2/faces.csv --out faces.csv
        """
    )

    @Argument(help: ArgumentHelp("The shards' tables.", valueName: "table"))
    var tables: [String]

    @Option(help: ArgumentHelp("The merged table (a folder when merging frames folders).", valueName: "file"))
    var out: String

    func run() throws {
        let console = RunConsole.standardError()
        do {
            let summary = try ShardMerge.merge(tables.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: out))
            console.note("\(summary.shards) shards, \(summary.rows) rows -> \(out)")
        } catch let error as ShardError {
            console.note("error: \(error)")
            throw ExitCode(1)
        } catch let error as OutputError {
            console.note("error: \(error)")
            throw ExitCode(1)
        }
    }
}
