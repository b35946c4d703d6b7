import SmileVision
import XCTest
@testable import SmileKit

/// The coarse-to-fine frontal pass against the full pass, on a collage of the sample photo at four sizes.
final class CoarseToFineDetectionTests: XCTestCase {
    override func setUp() {
        super.setUp()
        setOpenCVThreadCount(1)
    }

    private func detector(_ configure: (inout FaceDetector.Settings) -> Void = { _ in }) throws -> FaceDetector {
        var settings = FaceDetector.Settings()
        configure(&settings)
        return try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: settings)
    }

    /// The sample photo at 500, 380, 260 and 190 px side (faces of about 90, 70, 47 and 35 px) on one gray canvas.
    private func collage() throws -> Image {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut, gray: true)
        var canvas = Image(width: 900, height: 700, channels: 1, filledWith: 90)
        let placements = [(side: 500, x: 0, y: 0), (side: 380, x: 510, y: 10), (side: 260, x: 20, y: 430), (side: 190, x: 600, y: 480)]
        for p in placements {
            let tile = photo.resized(width: p.side, height: p.side)
            for y in 0..<p.side {
                for x in 0..<p.side { canvas[p.x + x, p.y + y, 0] = tile[x, y, 0] }
            }
        }
        return canvas
    }

    private func key(_ faces: [DetectedFace]) -> [[Int]] {
        faces.map { [$0.box.x, $0.box.y, $0.box.width, $0.box.height, $0.neighbours] }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    func testRegionsCoveringEverythingGiveExactlyTheFullPass() throws {
        let image = try collage()
        let full = try detector().detectFaces(in: image)
        XCTAssertGreaterThanOrEqual(full.count, 4, "the four astronauts")
        // Regions of ten window sides and sizes within 10x: every odd-level window is scanned.
        let everywhere = try detector {
            $0.pyramidSearch = .coarseToFine
            $0.refineMargin = 10
            $0.refineSizeTolerance = 10
        }
        XCTAssertEqual(key(try everywhere.detectFaces(in: image)), key(full))
    }

    func testDefaultRegionsFindTheFullPassesFaces() throws {
        let image = try collage()
        let full = try detector().detectFaces(in: image)
        let coarse = try detector { $0.pyramidSearch = .coarseToFine }.detectFaces(in: image)
        XCTAssertEqual(coarse.count, full.count)
        for face in full {
            XCTAssertTrue(coarse.contains { $0.box.intersectionOverUnion(face.box) >= 0.5 }, "full-pass face \(face.box) missed")
        }
        // Narrow regions and sizes: windows of the faces are lost, so the search really is limited.
        let narrow = try detector {
            $0.pyramidSearch = .coarseToFine
            $0.refineMargin = 0
            $0.refineSizeTolerance = 1
        }.detectFaces(in: image)
        XCTAssertLessThan(narrow.map(\.neighbours).reduce(0, +), full.map(\.neighbours).reduce(0, +))
    }

    func testCandidatesComeFromTheSameCoarseToFineWindows() throws {
        let image = try collage()
        let detector = try detector { $0.pyramidSearch = .coarseToFine }
        var counts: [Int] = []
        for neighbours in [0, 1] {
            let (faces, candidates) = try detector.detectFaces(in: image, candidateNeighbours: neighbours)
            XCTAssertEqual(key(faces), key(try detector.detectFaces(in: image)))
            for candidate in candidates {
                XCTAssertFalse(faces.contains { $0.box.intersectionOverUnion(candidate.box) >= 0.3 })
                XCTAssertGreaterThan(candidate.neighbours, neighbours)
            }
            counts.append(candidates.count)
        }
        XCTAssertGreaterThan(counts[0], counts[1], "single windows are candidates at 0")
    }

    func testOpenCVsEngineSearchesInFull() throws {
        let image = try collage()
        let opencv = try detector {
            $0.scanEngine = .opencv
            $0.pyramidSearch = .coarseToFine
        }
        XCTAssertEqual(key(try opencv.detectFaces(in: image)), key(try detector().detectFaces(in: image)))
    }
}
