import Foundation
import SmileKit
import SmileVision
import XCTest

/// A run spread over three processes with --shard, joined by smile merge.
final class ShardEndToEndTests: XCTestCase {
    func testShardsMergeIntoTheRowsOfOneRun() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for i in 0..<30 { try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: photos.appendingPathComponent("p\(i).jpg").path) }
        let one = try EndToEnd.run(["annotate", photos.path, "--csv", work.path + "/one.csv", "--json", work.path + "/one.json", "--model", model.path])
        XCTAssertEqual(one.status, 0, one.err)

        // Three shards as three processes at once.
        let processes = try (1...3).map { k -> Process in
            let process = Process()
            process.executableURL = EndToEnd.binary
            process.arguments = ["annotate", photos.path, "--csv", work.path + "/s\(k).csv", "--json", work.path + "/s\(k).json",
                                 "--model", model.path, "--shard", "\(k)/3"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit(); XCTAssertEqual(process.terminationStatus, 0) }
        let counts = try (1...3).map { EndToEnd.parseCSV(try String(contentsOfFile: work.path + "/s\($0).csv", encoding: .utf8)).count - 1 }
        XCTAssertEqual(counts.reduce(0, +), 30, "every photo in exactly one shard: \(counts)")
        XCTAssertTrue(counts.allSatisfy { $0 > 0 }, "\(counts)")

        let merged = try EndToEnd.run(["merge"] + (1...3).map { work.path + "/s\($0).csv" } + ["--out", work.path + "/merged.csv"])
        XCTAssertEqual(merged.status, 0, merged.err)
        let oneRows = EndToEnd.parseCSV(try String(contentsOfFile: work.path + "/one.csv", encoding: .utf8))
        let mergedRows = EndToEnd.parseCSV(try String(contentsOfFile: work.path + "/merged.csv", encoding: .utf8))
        XCTAssertEqual(mergedRows.first, oneRows.first)
        XCTAssertEqual(mergedRows.dropFirst().sorted { $0.joined(separator: ",") < $1.joined(separator: ",") },
                       oneRows.dropFirst().sorted { $0.joined(separator: ",") < $1.joined(separator: ",") })
        let json = try EndToEnd.run(["merge"] + [3, 1, 2].map { work.path + "/s\($0).json" } + ["--out", work.path + "/merged.json"])
        XCTAssertEqual(json.status, 0, json.err)
        func images(_ file: String) throws -> [String] {
            let array = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work.path + "/" + file))) as? [[String: Any]]
            return (array ?? []).compactMap { $0["image"] as? String }.sorted()
        }
        XCTAssertEqual(try images("merged.json"), try images("one.json"))

        // Missing and doubled shards are refused, naming them; nothing is written.
        let missing = try EndToEnd.run(["merge", work.path + "/s1.csv", work.path + "/s3.csv", "--out", work.path + "/x.csv"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("shard 2/3 missing"), missing.err)
        let doubled = try EndToEnd.run(["merge", work.path + "/s1.csv", work.path + "/s1.csv", work.path + "/s2.csv", "--out", work.path + "/x.csv"])
        XCTAssertTrue(doubled.err.contains("shard 1/3 given twice"), doubled.err)
        let unsharded = try EndToEnd.run(["merge", work.path + "/one.csv", "--out", work.path + "/x.csv"])
        XCTAssertTrue(unsharded.err.contains("not written by a --shard run"), unsharded.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.path + "/x.csv"))
    }

    /// A shard stopped part way cannot be merged until it is resumed; then the merge equals one run's rows.
    func testAStoppedShardMergesAfterResume() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for i in 0..<60 { try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: photos.appendingPathComponent("p\(i).jpg").path) }
        let one = work.appendingPathComponent("one.csv")
        XCTAssertEqual(try EndToEnd.run(["annotate", photos.path, "--csv", one.path, "--model", model.path]).status, 0)
        let second = work.appendingPathComponent("s2.csv")
        XCTAssertEqual(try EndToEnd.run(["annotate", photos.path, "--csv", second.path, "--model", model.path, "--shard", "2/2"]).status, 0)

        let first = work.appendingPathComponent("s1.csv")
        let stopped = try EndToEnd.runAndSignal(["annotate", photos.path, "--csv", first.path, "--model", model.path, "--shard", "1/2"],
                                                signal: SIGTERM, whenRowsIn: first, reach: 3)
        XCTAssertEqual(stopped.status, 143, stopped.err)
        let early = try EndToEnd.run(["merge", first.path, second.path, "--out", work.path + "/merged.csv"])
        XCTAssertEqual(early.status, 1)
        XCTAssertTrue(early.err.contains("shard 1/2 did not finish"), early.err)
        let wrongShard = try EndToEnd.run(["annotate", photos.path, "--csv", first.path, "--model", model.path, "--shard", "2/2", "--resume"])
        XCTAssertEqual(wrongShard.status, 1)
        XCTAssertTrue(wrongShard.err.contains("written by --shard 1/2"), wrongShard.err)

        XCTAssertEqual(try EndToEnd.run(["annotate", photos.path, "--csv", first.path, "--model", model.path, "--shard", "1/2", "--resume"]).status, 0)
        let merged = try EndToEnd.run(["merge", first.path, second.path, "--out", work.path + "/merged.csv"])
        XCTAssertEqual(merged.status, 0, merged.err)
        let rows = { (url: URL) in EndToEnd.parseCSV(try String(contentsOf: url, encoding: .utf8)).dropFirst().map { $0.joined(separator: ",") }.sorted() }
        XCTAssertEqual(try rows(URL(fileURLWithPath: work.path + "/merged.csv")), try rows(one))
    }
}

/// `frames` over several sources, spread over shards: each shard's folder of per-source tables,
/// merged, equals the folder one run writes.
final class FramesShardEndToEndTests: XCTestCase {
    func testFramesShardsMergeIntoOneRunsFolder() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photo = try ImageCodec.decode(file: EndToEnd.astronaut)
        var sources: [String] = []
        for i in 0..<4 {
            var writer = MotionJPEGWriter(width: photo.width, height: photo.height, framesPerSecond: 10)
            for _ in 0..<(3 + i) { try writer.append(photo) }
            let clip = work.appendingPathComponent("clip\(i).avi").path
            try writer.write(to: clip)
            sources.append(clip)
        }
        let folder = work.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 0..<2 { try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: folder.appendingPathComponent("f\(i).jpg").path) }
        sources.append(folder.path)

        let one = try EndToEnd.run(["frames"] + sources + ["--out", work.path + "/one", "--model", model.path])
        XCTAssertEqual(one.status, 0, one.err)
        for k in 1...2 {
            let part = try EndToEnd.run(["frames"] + sources + ["--out", work.path + "/s\(k)", "--model", model.path, "--shard", "\(k)/2"])
            XCTAssertEqual(part.status, 0, part.err)
        }
        let missing = try EndToEnd.run(["merge", work.path + "/s1", "--out", work.path + "/merged"])
        XCTAssertTrue(missing.err.contains("shard 2/2 missing"), missing.err)
        let merged = try EndToEnd.run(["merge", work.path + "/s1", work.path + "/s2", "--out", work.path + "/merged"])
        XCTAssertEqual(merged.status, 0, merged.err)

        let files = { (dir: String) in try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted() }
        let expected = sources.flatMap { s -> [String] in let n = URL(fileURLWithPath: s).lastPathComponent; return [n + ".csv", n + ".tracks.csv"] }.sorted()
        XCTAssertEqual(try files(work.path + "/one"), expected)
        XCTAssertEqual(try files(work.path + "/merged"), expected)
        XCTAssertFalse(try files(work.path + "/s1").isEmpty)
        XCTAssertFalse(try files(work.path + "/s2").isEmpty)
        for name in expected {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: work.path + "/merged/" + name)),
                           try Data(contentsOf: URL(fileURLWithPath: work.path + "/one/" + name)), name)
        }
        let rows = EndToEnd.parseCSV(try String(contentsOfFile: work.path + "/one/clip3.avi.csv", encoding: .utf8))
        XCTAssertEqual(Set(rows.dropFirst().map { $0[0] }), ["0", "1", "2", "3", "4", "5"], "clip3 has six frames")
    }
}

/// `smile eval` spread over shards, its reports joined by smile merge.
final class EvalShardEndToEndTests: XCTestCase {
    /// Three eval shards' report folders merge into the report of one run: the same scores, counts and figures.
    func testEvalShardsMergeIntoOneReport() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let set = work.appendingPathComponent("set")
        for (label, count) in [("1", 5), ("0", 3)] {
            let folder = set.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<count { try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: folder.appendingPathComponent("p\(i).jpg").path) }
        }
        let blank = try ImageCodec.encode(Image(width: 120, height: 90, channels: 3, filledWith: 60), as: .png)
        try Data(blank).write(to: set.appendingPathComponent("0/blank.png"))
        let common = [set.path, "--detector", "haar,yunet", "--model", model.path]
        XCTAssertEqual(try EndToEnd.run(["eval"] + common + ["--report", work.path + "/one"]).status, 0)
        for k in 1...3 {
            let part = try EndToEnd.run(["eval"] + common + ["--report", work.path + "/s\(k)", "--shard", "\(k)/3"])
            XCTAssertEqual(part.status, 0, part.err)
        }
        let missing = try EndToEnd.run(["merge", work.path + "/s1", work.path + "/s3", "--out", work.path + "/merged"])
        XCTAssertTrue(missing.err.contains("shard 2/3 missing"), missing.err)
        let merged = try EndToEnd.run(["merge", work.path + "/s2", work.path + "/s1", work.path + "/s3", "--out", work.path + "/merged"])
        XCTAssertEqual(merged.status, 0, merged.err)

        let one = try EvaluationRecord.read(fromReportFolder: work.appendingPathComponent("one"))
        let joined = try EvaluationRecord.read(fromReportFolder: work.appendingPathComponent("merged"))
        XCTAssertEqual(joined.detectors.map(\.detector), ["haar", "yunet"])
        for (a, b) in zip(one.results(replicates: 10), joined.results(replicates: 10)) {
            XCTAssertEqual(b.result.examples, 9)
            XCTAssertEqual(b.result.photos, a.result.photos)
            XCTAssertEqual(b.result.notFound.map(\.path).sorted(), a.result.notFound.map(\.path).sorted(), "the blank photo")
            for (modeA, modeB) in zip(a.result.modes, b.result.modes) {
                XCTAssertEqual(modeB.metrics, modeA.metrics, modeA.name)
                XCTAssertEqual(modeB.accuracyCI, modeA.accuracyCI, modeA.name)
                XCTAssertEqual(modeB.roc.auc, modeA.roc.auc, modeA.name)
            }
            XCTAssertEqual(b.result.gallery.count, a.result.gallery.count)
        }
        // The summary table without the timing note and the bootstrap intervals (F1, AUC), which
        // depend on the order of the samples.
        func summary(_ folder: String) throws -> String {
            let html = try String(contentsOfFile: work.path + "/" + folder + "/report.html", encoding: .utf8)
            let section = html.components(separatedBy: "<section id=\"summary\">")[1].components(separatedBy: "</section>")[0]
            return section.components(separatedBy: "\n").filter { !$0.contains("Detection + classification") && !$0.contains("<th>F1") && !$0.contains("<th>ROC AUC") }.joined(separator: "\n")
        }
        XCTAssertEqual(try summary("merged"), try summary("one"))
    }
}
