import Foundation
import SmileKit
import SmileVision
import XCTest

/// The two places training code runs work on other threads: `FaceCropBank.build` (parallel decode
/// and detection) and `BatchLoader.forEachBatch` (the next batch made in the background).
///
/// They need no data set, so they also run under ThreadSanitizer (`make test-tsan`).
final class ThreadedLoadingTests: XCTestCase {
    /// Six copies of the sample photo, alternating labels, as whole-head faces.
    private func faces(in directory: URL) throws -> [LabelledFace] {
        try (0..<6).map { index in
            let path = directory.appendingPathComponent("face\(index).jpg").path
            try FileManager.default.copyItem(atPath: Fixtures.astronaut, toPath: path)
            return LabelledFace(path: path, label: index % 2, framing: .wholeHead, dataset: "samples", group: path)
        }
    }

    private func bank(threads: Int, directory: URL) throws -> FaceCropBank {
        var faces = try faces(in: directory)
        faces.append(LabelledFace(path: directory.appendingPathComponent("missing.jpg").path, label: 0, framing: .wholeHead,
                                  dataset: "samples", group: "missing"))
        let (bank, report) = try FaceCropBank.build(faces, framing: CropFraming(margin: 0.1), side: 40, context: 1.25,
                                                    tightBoxes: [:], threads: threads,
                                                    makeDetector: { try FaceDetector(cascadePath: try Fixtures.frontalCascade()) })
        XCTAssertEqual(report.failures.map(\.path), [faces.last!.path], "the missing file is the one failure")
        return bank
    }

    func testParallelCropBankEqualsSingleThreadedOne() throws {
        let work = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let one = try bank(threads: 1, directory: work.appendingPathComponent("one", isDirectory: true).creatingDirectory())
        let two = try bank(threads: 3, directory: work.appendingPathComponent("two", isDirectory: true).creatingDirectory())
        XCTAssertEqual(one.count, 6)
        XCTAssertEqual(two.count, 6)
        XCTAssertEqual(one.pixels, two.pixels, "three workers frame the same crops as one")
        XCTAssertEqual(two.detected, Array(repeating: true, count: 6), "the detector found every face")
    }

    func testPrefetchedBatchesEqualBatchesMadeInLine() throws {
        let work = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let bank = try bank(threads: 2, directory: work)
        let loader = BatchLoader(bank: bank, augmentation: .standard, inputSide: 32, mean: 128, std: 64)
        let order = [5, 0, 3, 1, 4, 2]
        var seen: [(index: Int, data: [Float], labels: [Int])] = []
        loader.forEachBatch(of: order, batchSize: 4, seed: 11) { index, input, labels in
            seen.append((index, input.data, labels))
        }
        XCTAssertEqual(seen.map(\.index), [0, 1])
        XCTAssertEqual(seen.map(\.labels), [[1, 0, 1, 1], [0, 0]])
        // forEachBatch seeds batch k with seed * golden + k; the same batches made here must match.
        for (k, slice) in [order[0..<4], order[4..<6]].enumerated() {
            let inline = loader.makeBatch(slice, seed: 11 &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(k))
            XCTAssertEqual(seen[k].data, inline.input.data, "batch \(k) made in the background equals one made in line")
        }
    }
}

private extension URL {
    /// Creates the directory (and parents) and returns it.
    func creatingDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
