import Foundation
import XCTest
import SmileVision
@testable import SmileKit

final class ShardTests: XCTestCase {
    func testParsesKOfN() throws {
        XCTAssertEqual(try Shard.parse("2/5", environment: [:]), try Shard(index: 2, count: 5))
        XCTAssertEqual(try Shard.parse("1/1", environment: [:]).description, "1/1")
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "1/2/3", "", "auto/x"] {
            XCTAssertThrowsError(try Shard.parse(bad, environment: [:]), bad)
        }
    }

    func testAutoReadsSlurmArrays() throws {
        // --array=0-3: IDs 0...3, MIN 0; --array=1-4: IDs 1...4, MIN 1. Either way the first task is shard 1.
        XCTAssertEqual(try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "4"]),
                       try Shard(index: 1, count: 4))
        XCTAssertEqual(try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"]),
                       try Shard(index: 4, count: 4))
        XCTAssertThrowsError(try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"]))
        XCTAssertThrowsError(try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "1"]), "no count")
    }

    func testAutoReadsKubernetesIndexedJobs() throws {
        XCTAssertEqual(try Shard.parse("auto/3", environment: ["JOB_COMPLETION_INDEX": "0"]), try Shard(index: 1, count: 3))
        XCTAssertEqual(try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "2", "SMILE_SHARD_COUNT": "3"]), try Shard(index: 3, count: 3))
        XCTAssertThrowsError(try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "2"]), "no count")
        XCTAssertThrowsError(try Shard.parse("auto", environment: [:]), "no array job")
        XCTAssertThrowsError(try Shard.parse("auto/3", environment: ["JOB_COMPLETION_INDEX": "x"]))
    }

    /// Every path belongs to exactly one shard, the one FNV-1a of its bytes modulo N names
    /// (computed here independently), and the shards are of similar size.
    func testEveryPathIsInExactlyOneShard() throws {
        let shards = try (1...4).map { try Shard(index: $0, count: 4) }
        let paths = (0..<2000).map { "photos/holiday \($0)/IMG_\($0 * 7).jpg" }
        for path in paths {
            var hash: UInt64 = 14_695_981_039_346_656_037
            for byte in Array(path.utf8) { hash = (hash ^ UInt64(byte)).multipliedReportingOverflow(by: 1_099_511_628_211).partialValue }
            let owners = shards.filter { $0.contains(path: path) }
            XCTAssertEqual(owners.map(\.index), [Int(hash % 4) + 1], path)
        }
        for shard in shards {
            XCTAssertEqual(Double(paths.filter { shard.contains(path: $0) }.count), 500, accuracy: 75)
        }
    }
}

/// Joining evaluation tallies, as `smile merge` does for eval shards.
final class EvaluationTallyMergeTests: XCTestCase {
    private func tally(_ scores: [(Int, Double)], gallery: Int, threshold: Double = 0.5, limit: Int = 3) -> EvaluationTally {
        var t = EvaluationTally(threshold: threshold, galleryLimit: limit)
        t.without = scores.map { ScoredLabel(label: $0.0, probability: $0.1) }
        t.found = t.without
        t.all = t.without
        t.photos = scores.count
        t.detectionSeconds = Double(scores.count)
        t.withErrors = (0..<gallery).map { EvaluationReport.GalleryItem(jpeg: Data([UInt8($0)]), probability: 0.9, trueLabel: 0, source: "s\($0)") }
        t.galleryTotal = gallery
        var stats = DetectionStatistics()
        stats.add(detections: [Rect(x: 0, y: 0, width: 40, height: 40)], truths: [Rect(x: 0, y: 0, width: 40, height: 40), Rect(x: 100, y: 0, width: 40, height: 40)])
        t.detection = stats
        return t
    }

    func testMergedTallyIsTheSumOfBoth() throws {
        let a = tally([(1, 0.9), (0, 0.2)], gallery: 2), b = tally([(1, 0.3)], gallery: 2)
        let joined = try a.merged(with: b)
        XCTAssertEqual(joined.without, a.without + b.without)
        XCTAssertEqual(joined.photos, 3)
        XCTAssertEqual(joined.detection?.overall.truths, 4)
        XCTAssertEqual(joined.detection?.overall.matched, 2)
        XCTAssertEqual(joined.detection?.overall.missed, 2)
        XCTAssertEqual(joined.withErrors.count, 3, "the gallery stops at its limit")
        XCTAssertEqual(joined.galleryTotal, 4, "but counts every item")
        let result = joined.result(replicates: 10)
        XCTAssertEqual(result.withoutDetection.metrics.accuracy, 2.0 / 3.0)
        XCTAssertEqual(result.secondsPerPhotoWithDetection, 1)
    }

    func testTalliesAtOtherThresholdsAreRefused() {
        XCTAssertThrowsError(try tally([(1, 0.9)], gallery: 0).merged(with: tally([(1, 0.9)], gallery: 0, threshold: 0.6)))
    }
}
