import Foundation
import SmileVision
import XCTest

/// `smile frames` over a video damaged in the middle and over frame directories with an intruder:
/// every frame that decodes keeps its row and number, the others are named, the exit status is 1.
final class DamagedStreamEndToEndTests: XCTestCase {
    /// A Motion-JPEG clip of the sample photo, 24 frames at 8 fps, with garbage over frames 9-11.
    func testVideoDamagedInTheMiddleKeepsItsGoodFrames() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photo = try ImageCodec.decode(file: EndToEnd.astronaut)
        var writer = MotionJPEGWriter(width: photo.width, height: photo.height, framesPerSecond: 8)
        for _ in 0..<24 { try writer.append(photo) }
        let clip = work.appendingPathComponent("clip.avi").path
        let frames = try writer.write(to: clip)
        let whole = work.appendingPathComponent("whole.csv"), damaged = work.appendingPathComponent("damaged.csv")
        let unbroken = try EndToEnd.run(["frames", clip, "--csv", whole.path, "--model", model.path])
        XCTAssertEqual(unbroken.status, 0, unbroken.err)

        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: clip)))
        for i in (frames[9].lowerBound - 4)..<frames[11].upperBound { bytes[i] = UInt8(truncatingIfNeeded: i &* 7919 % 251) }
        try Data(bytes).write(to: URL(fileURLWithPath: clip))
        let result = try EndToEnd.run(["frames", clip, "--csv", damaged.path, "--model", model.path])

        XCTAssertEqual(result.status, 1, "a damaged video is a failure: \(result.err)")
        let errors = result.err.components(separatedBy: "\n").filter { $0.hasPrefix("error: ") }
        XCTAssertEqual(errors.count, 1, result.err)
        XCTAssertTrue(errors.first?.contains(clip) ?? false, "the video is named: \(errors)")
        XCTAssertTrue(errors.first?.contains("frames 9-11 (1.12-1.38 s) could not be decoded") ?? false, "the lost frames are named: \(errors)")
        let wholeRows = EndToEnd.parseCSV(try String(contentsOf: whole, encoding: .utf8))
        let damagedRows = EndToEnd.parseCSV(try String(contentsOf: damaged, encoding: .utf8))
        XCTAssertEqual(Set(wholeRows.dropFirst().map { $0[0] }).count, 24)
        XCTAssertEqual(damagedRows.dropFirst().map { $0[0] }, wholeRows.dropFirst().map { $0[0] }.filter { !["9", "10", "11"].contains($0) },
                       "every other frame keeps its row and its number")
        // The frames before the damage are exactly as in the unbroken run (tracking after a gap may differ).
        XCTAssertEqual(Array(damagedRows.prefix(10)), Array(wholeRows.prefix(10)))
    }

    /// A frame directory with a file that is not an image and a frame of another size in the middle.
    func testFrameDirectoryWithIntrudersKeepsTheOtherFrames() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let dir = work.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["f1.jpg", "f2.jpg", "f5.jpg", "f6.jpg"] {
            try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: dir.appendingPathComponent(name).path)
        }
        try Data("not an image".utf8).write(to: dir.appendingPathComponent("f3.jpg"))
        let small = try ImageCodec.encode(Image(width: 100, height: 80, channels: 3, filledWith: 128), as: .png)
        try Data(small).write(to: dir.appendingPathComponent("f4.png"))
        let csv = work.appendingPathComponent("frames.csv")

        let result = try EndToEnd.run(["frames", dir.path, "--csv", csv.path, "--model", model.path])

        XCTAssertEqual(result.status, 1, result.err)
        let errors = result.err.components(separatedBy: "\n").filter { $0.hasPrefix("error: ") }
        XCTAssertEqual(errors.count, 2, result.err)
        XCTAssertTrue(errors.contains { $0.contains("f3.jpg") && $0.contains("not an image") }, "\(errors)")
        XCTAssertTrue(errors.contains { $0.contains("f4.png") && $0.contains("100x80") }, "\(errors)")
        let rows = EndToEnd.parseCSV(try String(contentsOf: csv, encoding: .utf8)).dropFirst()
        XCTAssertEqual(Set(rows.map { $0[1] }), ["f1.jpg", "f2.jpg", "f5.jpg", "f6.jpg"])
        XCTAssertEqual(Set(rows.map { $0[0] }), ["0", "1", "4", "5"], "frames keep their places in the sequence")
    }
}
