import Foundation
import SmileVision
import XCTest
@testable import SmileKit

/// `CompositeDataset`: split filtering and the pasted set's layout.
final class CompositeDatasetTests: XCTestCase {
    var tmp: TempDirectory!
    override func setUpWithError() throws { tmp = try TempDirectory() }
    override func tearDown() { tmp.remove() }

    func testSplitSideKeepsOnlyThatSideByFileName() throws {
        let names = (1...200).map { String(format: "file%04d.jpg", $0) }
        try tmp.write("faces.csv", names.enumerated().map { "\($1),\($0 % 2)" }.joined(separator: "\n"))
        let test = try CompositeDataset.loadFaces(tmp.path("faces.csv"), side: .test)
        let all = try CompositeDataset.loadFaces(tmp.path("faces.csv"), side: nil)
        XCTAssertEqual(all.count, 200)
        XCTAssertFalse(test.isEmpty)
        XCTAssertLessThan(test.count, 80, "about 20% are on the test side")
        let split = DataSplit(validation: 0.1, test: 0.2)
        XCTAssertTrue(test.allSatisfy { split.side(of: ($0.path as NSString).lastPathComponent) == .test })
        XCTAssertEqual(test.count, names.filter { split.side(of: $0) == .test }.count)
    }

    func testGenkiLayoutIsRecognised() throws {
        try tmp.write("genki/labels.csv", "file,smile,yaw,pitch,roll\nfile0001.jpg,1,0,0,0\nfile0002.jpg,0,0,0,0\n")
        try tmp.write("genki/files/file0001.jpg")
        try tmp.write("genki/files/file0002.jpg")
        let faces = try CompositeDataset.loadFaces(tmp.path("genki"), side: nil)
        XCTAssertEqual(faces.map(\.label), [1, 0])
        XCTAssertTrue(faces[0].path.hasSuffix("genki/files/file0001.jpg"))
    }

    func testPastesEachFaceAtEveryScaleWithItsBox() throws {
        let background = tmp.url.appendingPathComponent("bg.png")
        try Data(ImageCodec.encode(Image(width: 640, height: 480, channels: 3, filledWith: 90), as: .png)).write(to: background)
        let faces = [LabelledImage(path: Fixtures.astronaut, label: 1)]
        let out = tmp.url.appendingPathComponent("out")
        let summary = try CompositeDataset(faces: faces, backgrounds: [background.path], scales: [1, 0.5, 0.25], seed: 3,
                                           outputDirectory: out)
            .run(detector: try FaceDetector(cascadePath: try Fixtures.frontalCascade()), console: Fixtures.Capture().console)
        XCTAssertEqual(summary.written, 3)
        XCTAssertEqual(summary.medianBoxes, 0)
        let set = try LabelledSet.load(from: tmp.path("out/faces.csv"))
        XCTAssertEqual(set.count, 3)
        XCTAssertTrue(set.allSatisfy { $0.label == 1 && FileManager.default.fileExists(atPath: $0.path) })
        let full = try XCTUnwrap(set.first { $0.path.hasSuffix("_s100.jpg") })
        XCTAssertEqual(try ImageCodec.decode(file: full.path).width, 512, "scale 1 keeps the face photo")
        XCTAssertEqual(full.box!.width, 93, accuracy: 8)
        let half = try XCTUnwrap(set.first { $0.path.hasSuffix("_s050.jpg") })
        let image = try ImageCodec.decode(file: half.path)
        XCTAssertEqual(image.width, 640)
        XCTAssertEqual(half.box!.height, 93 * 240 / 512, accuracy: 6, "the box shrinks with the photo")
        XCTAssertTrue(half.box!.x >= 0 && half.box!.x + half.box!.width <= 640)
        XCTAssertEqual(try LabelledSet.load(from: out.path).count, 3, "class folders hold the same images")
    }
}
