import Foundation
import SmileVision
import XCTest
@testable import SmileKit

/// YuNet through the shim on the sample photo: its box, landmarks, the map to the Haar framing,
/// the small-face tiles, and the model's checksum.
final class YuNetDetectionTests: XCTestCase {
    /// The astronaut's face in samples/astronaut.jpg (the frontal cascade's box).
    private let astronautFace = Rect(x: 177, y: 67, width: 93, height: 93)
    private let modelPath = Fixtures.projectRoot.appendingPathComponent("models/" + YuNetLocator.relativePath).path

    private func detector(_ configure: (inout FaceDetector.Settings) -> Void = { _ in }) throws -> FaceDetector {
        var settings = FaceDetector.Settings()
        settings.detector = .yunet
        configure(&settings)
        return try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: settings, yunetPath: modelPath)
    }

    func testFindsTheSampleFaceWithItsLandmarksAndMapsItOntoTheHaarBox() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let raw = try YuNet(path: modelPath).detect(in: photo, scoreThreshold: 0.7)
        XCTAssertEqual(raw.count, 1, "\(raw)")
        let face = try XCTUnwrap(raw.first)
        let rawBox = Rect(x: Int(face.x), y: Int(face.y), width: Int(face.width), height: Int(face.height))
        // Debian 12's OpenCV 4.6 with the shipped 2022mar model gives (178, 58, 93 x 116).
        XCTAssertGreaterThanOrEqual(rawBox.intersectionOverUnion(Rect(x: 178, y: 58, width: 93, height: 116)), 0.8, "\(rawBox)")
        XCTAssertGreaterThan(face.height, face.width, "YuNet's box is taller than wide")
        XCTAssertGreaterThan(face.score, 0.9)
        XCTAssertEqual(face.landmarks.count, 5)
        for mark in face.landmarks {
            XCTAssertTrue(Double(rawBox.x)...Double(rawBox.x + rawBox.width) ~= mark.x && Double(rawBox.y)...Double(rawBox.y + rawBox.height) ~= mark.y,
                          "landmark \(mark) inside \(rawBox)")
        }
        // The eyes above the nose above the mouth, the person's right eye on the image's left.
        XCTAssertLessThan(face.landmarks[0].x, face.landmarks[1].x)
        XCTAssertLessThan(max(face.landmarks[0].y, face.landmarks[1].y), face.landmarks[2].y)
        XCTAssertLessThan(face.landmarks[2].y, min(face.landmarks[3].y, face.landmarks[4].y))

        let found = try detector().detectFaces(in: photo)
        XCTAssertEqual(found.count, 1)
        let mapped = try XCTUnwrap(found.first)
        XCTAssertEqual(mapped.box.width, mapped.box.height, "mapped to a square like the cascade's")
        // The map is fitted over hundreds of faces (median IoU 0.86 with the cascade's box); on this
        // portrait the cascade's box is tighter than usual (93 px against YuNet's 94 px width, where
        // faces of over 100 px have a median ratio of 1.14), so the bound here is looser.
        XCTAssertGreaterThanOrEqual(mapped.box.intersectionOverUnion(astronautFace), 0.65, "\(mapped.box) against the Haar box \(astronautFace)")
        for mark in try XCTUnwrap(mapped.landmarks) {
            XCTAssertTrue(Double(mapped.box.x)...Double(mapped.box.x + mapped.box.width) ~= mark.x
                          && Double(mapped.box.y)...Double(mapped.box.y + mapped.box.height) ~= mark.y, "landmark \(mark) inside the square \(mapped.box)")
        }
        XCTAssertEqual(mapped.pass, .yunet)
        XCTAssertEqual(mapped.landmarks?.count, 5)
        XCTAssertNotNil(mapped.score)
    }

    func testAFaceOnATileBorderIsFoundOnce() throws {
        // A 2000x1500 canvas is searched at 640/2000 = 0.32 and, for small faces, at 0.64 in tiles of
        // 640 px overlapping by 64: the enlarged canvas's tiles start at x 0, 576 and 640. The face,
        // shrunk to about 26 px (8 px at the working scale), is centred on x = 608 there, inside the overlap.
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let side = 52
        let head = photo.croppedResized(to: Rect(x: astronautFace.x - 46, y: astronautFace.y - 46, width: 186, height: 186), width: side, height: side)
        var canvas = Image(width: 2000, height: 1500, channels: 3, filledWith: 120)
        let left = Int(608 / 0.64) - side / 2, top = 700
        for y in 0..<side { for x in 0..<side { for c in 0..<3 { canvas.pixels[((top + y) * 2000 + left + x) * 3 + c] = head.pixels[(y * side + x) * 3 + c] } } }
        let faces = try detector().detectFaces(in: canvas)
        let centre = (x: Double(left + side / 2), y: Double(top + side / 2))
        let here = faces.filter { abs(Double($0.box.x + $0.box.width / 2) - centre.x) < 20 && abs(Double($0.box.y + $0.box.height / 2) - centre.y) < 20 }
        XCTAssertEqual(here.count, 1, "one face where the tiles overlap: \(faces)")
        let coarseOnly = try detector { $0.yunetFinePass = false }.detectFaces(in: canvas)
        XCTAssertTrue(coarseOnly.isEmpty, "at the working scale alone the face is too small: \(coarseOnly)")
    }

    func testLocalSearchRegionsGrowToTheNetworksGrid() {
        // At scale 1 the grid is 32 px; at scale 0.5 (a frame searched at half size) 64 px of the frame.
        XCTAssertEqual(FaceDetector.gridAligned(Rect(x: 40, y: 70, width: 100, height: 50), scale: 1), Rect(x: 32, y: 64, width: 128, height: 64))
        XCTAssertEqual(FaceDetector.gridAligned(Rect(x: 40, y: 70, width: 100, height: 50), scale: 0.5), Rect(x: 0, y: 64, width: 192, height: 64))
        XCTAssertEqual(FaceDetector.gridAligned(Rect(x: 64, y: 0, width: 64, height: 32), scale: 1), Rect(x: 64, y: 0, width: 64, height: 32))
    }

    func testTilesCoverTheImageAndOverlap() {
        let tiles = FaceDetector.tiles(width: 1280, height: 900, side: 640, overlap: 64)
        XCTAssertEqual(Set(tiles.map(\.x)), [0, 576, 640])
        XCTAssertEqual(Set(tiles.map(\.y)), [0, 260])
        for y in stride(from: 0, to: 900, by: 7) {
            for x in stride(from: 0, to: 1280, by: 7) {
                XCTAssertTrue(tiles.contains { $0.x <= x && x < $0.x + $0.width && $0.y <= y && y < $0.y + $0.height }, "\(x),\(y) uncovered")
            }
        }
        XCTAssertEqual(FaceDetector.tiles(width: 300, height: 200, side: 640, overlap: 64), [Rect(x: 0, y: 0, width: 300, height: 200)])
    }

    func testAChangedOrTruncatedModelIsRefusedBeforeOpenCVReadsIt() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: modelPath))
        let truncated = directory.appendingPathComponent("truncated.onnx")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        bytes[bytes.count / 2] ^= 0xFF
        let changed = directory.appendingPathComponent("changed.onnx")
        try bytes.write(to: changed)
        for file in [truncated, changed] {
            XCTAssertThrowsError(try YuNet(path: file.path)) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains(file.path) && message.contains("SHA-256") && message.contains("not the expected YuNet model"), message)
            }
        }
        XCTAssertThrowsError(try YuNet(path: directory.appendingPathComponent("missing.onnx").path)) { error in
            XCTAssertTrue("\(error)".contains("cannot read the face detector model"), "\(error)")
        }
    }

    func testTinyImagesAreSearchedWithoutError() throws {
        let small = try ImageCodec.decode(file: Fixtures.astronaut).resized(width: 40, height: 30)
        XCTAssertNoThrow(try detector().detectFaces(in: small))
        XCTAssertNoThrow(try detector().yunetFaces(in: small, regions: [Rect(x: 0, y: 0, width: 20, height: 20)], sides: [5...40]))
    }
}
