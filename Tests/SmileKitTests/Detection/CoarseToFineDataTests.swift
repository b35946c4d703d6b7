import Foundation
import SmileVision
import XCTest
@testable import SmileKit

/// The coarse-to-fine search (the photo default) against the full pass on ../shared/data/realworld
/// (needs SMILE_DATA): the full pass's faces must be found (IoU >= 0.5). Prints the counts per set.
final class CoarseToFineDataTests: XCTestCase {
    override func setUp() {
        super.setUp()
        setOpenCVThreadCount(1)
    }

    func testCoarseToFineFindsTheFullPassesFacesOnThePhotoSets() throws {
        guard let root = Fixtures.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping coarse-to-fine on realworld/") }
        var coarseSettings = FaceDetector.Settings()
        coarseSettings.pyramidSearch = .coarseToFine
        let full = try FaceDetector(cascadePath: Fixtures.frontalCascade())
        let coarse = try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: coarseSettings)
        var fullFaces = 0, found = 0, extra = 0
        for set in ["groups", "voc_boxes", "portraits"] {
            let dir = URL(fileURLWithPath: root).appendingPathComponent("realworld/\(set)")
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasSuffix(".xml") }.sorted()
            var setFaces = 0, setFound = 0
            for file in files {
                let image = try ImageCodec.decode(file: dir.appendingPathComponent(file).path)
                let reference = try full.detect(in: image)
                let faces = try coarse.detect(in: image)
                let matched = reference.filter { r in faces.contains { $0.intersectionOverUnion(r) >= 0.5 } }.count
                setFaces += reference.count
                setFound += matched
                extra += faces.filter { f in !reference.contains { $0.intersectionOverUnion(f) >= 0.5 } }.count
            }
            print("coarse-to-fine on \(set): \(setFound) of the full pass's \(setFaces) faces")
            fullFaces += setFaces
            found += setFound
        }
        print("coarse-to-fine: \(found) of \(fullFaces) faces, \(extra) faces the full pass does not have")
        XCTAssertGreaterThan(fullFaces, 400, "the photo sets hold hundreds of faces")
        XCTAssertGreaterThanOrEqual(Double(found), 0.99 * Double(fullFaces), "coarse-to-fine lost faces")
        XCTAssertLessThanOrEqual(extra, fullFaces / 100, "coarse-to-fine's faces are the full pass's")
    }
}
