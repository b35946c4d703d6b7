import Foundation
import XCTest
@testable import SmileVision

/// Every way decoding can fail gives a distinct kind and a message naming the file.
final class DecodeErrorTests: XCTestCase {
    private func assertDecodeError(_ path: String, _ kind: VisionError.Kind,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ImageCodec.decode(file: path), file: file, line: line) { error in
            guard let e = error as? VisionError else { return XCTFail("not a VisionError: \(error)", file: file, line: line) }
            XCTAssertEqual(e.kind, kind, e.message, file: file, line: line)
            XCTAssertTrue(e.message.contains(path), "message does not name the file: \(e.message)", file: file, line: line)
        }
    }

    func testMissingFile() throws {
        let dir = try TestSupport.tempDir(self)
        assertDecodeError(dir.appendingPathComponent("nope.jpg").path, .fileNotFound)
    }

    func testDirectoryIsUnreadable() throws {
        assertDecodeError(try TestSupport.tempDir(self).path, .unreadable)
    }

    func testPermissionDenied() throws {
        try XCTSkipIf(getuid() == 0, "root can read any file")
        let dir = try TestSupport.tempDir(self)
        let path = try TestSupport.write(try ImageCodec.encode(TestSupport.noise(width: 4, height: 4, channels: 3), as: .png),
                                         "locked.png", in: dir)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
        assertDecodeError(path, .unreadable)
    }

    func testEmptyFile() throws {
        let dir = try TestSupport.tempDir(self)
        assertDecodeError(try TestSupport.write([], "empty.jpg", in: dir), .emptyFile)
    }

    func testRandomBytesNamedJPEG() throws {
        let dir = try TestSupport.tempDir(self)
        let junk = TestSupport.noise(width: 64, height: 64, channels: 1, seed: 7).pixels
        assertDecodeError(try TestSupport.write(junk, "random.jpg", in: dir), .unsupported)
    }

    func testTruncatedPNG() throws {
        let dir = try TestSupport.tempDir(self)
        let png = try ImageCodec.encode(TestSupport.noise(width: 64, height: 48, channels: 3), as: .png)
        let path = try TestSupport.write(Array(png.prefix(png.count / 2)), "half.png", in: dir)
        assertDecodeError(path, .corrupt)
        XCTAssertThrowsError(try ImageCodec.decode(file: path)) { XCTAssertTrue("\($0)".contains("truncated")) }
    }

    func testTruncatedJPEG() throws {
        let dir = try TestSupport.tempDir(self)
        let jpeg = try ImageCodec.encode(TestSupport.noise(width: 64, height: 48, channels: 3), as: .jpeg(quality: 90))
        assertDecodeError(try TestSupport.write(Array(jpeg.prefix(jpeg.count / 2)), "half.jpg", in: dir), .corrupt)
    }

    func testHeaderBombIsRefusedBeforeDecoding() throws {
        let dir = try TestSupport.tempDir(self)
        let bomb = TestSupport.bombPNG(width: 100_000, height: 100_000)
        XCTAssertEqual(try ImageCodec.headerSize(of: bomb).width, 100_000)
        let path = try TestSupport.write(bomb, "bomb.png", in: dir)
        assertDecodeError(path, .tooLarge)
        XCTAssertThrowsError(try ImageCodec.decode(data: bomb)) {
            XCTAssertEqual(($0 as? VisionError)?.kind, .tooLarge)
            XCTAssertTrue(($0 as? VisionError)?.message.contains("100000x100000") ?? false)
        }
    }

    func testPixelLimitIsTheCallers() throws {
        let png = try ImageCodec.encode(TestSupport.noise(width: 20, height: 10, channels: 3), as: .png)
        XCTAssertNoThrow(try ImageCodec.decode(data: png, maxPixels: 200))
        XCTAssertThrowsError(try ImageCodec.decode(data: png, maxPixels: 199)) {
            XCTAssertEqual(($0 as? VisionError)?.kind, .tooLarge)
        }
    }

    func testEmptyBuffer() {
        XCTAssertThrowsError(try ImageCodec.decode(data: [])) {
            XCTAssertEqual(($0 as? VisionError)?.kind, .emptyFile)
        }
    }
}
