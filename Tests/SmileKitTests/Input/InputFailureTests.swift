import SmileVision
import XCTest
@testable import SmileKit

/// Failures name their file once, whatever layer the error came from.
final class InputFailureTests: XCTestCase {
    func testDecoderMessageStartingWithThePathIsNotRepeated() {
        let error = VisionError(kind: .corrupt, message: "/in/a.jpg: not an image (unrecognised format)")
        XCTAssertEqual(InputFailure(path: "/in/a.jpg", error: error).description, "/in/a.jpg: not an image (unrecognised format)")
        let other = VisionError(kind: .internalError, message: "detection failed")
        XCTAssertEqual(InputFailure(path: "/in/a.jpg", error: other).description, "/in/a.jpg: detection failed")
        // Only a leading copy of this very path is dropped.
        let elsewhere = VisionError(kind: .fileNotFound, message: "/in/b.jpg: no such file")
        XCTAssertEqual(InputFailure(path: "/in/a.jpg", error: elsewhere).description, "/in/a.jpg: /in/b.jpg: no such file")
    }

    func testLoadErrorsGiveTheirOwnFileAndLine() {
        let csv = CSVFileError(file: "/sets/s.csv", line: 3, reason: "label must be 0 or 1, found 'x'")
        XCTAssertEqual(InputFailure(loading: "/sets/s.csv", error: csv).description, "/sets/s.csv:3: label must be 0 or 1, found 'x'")
        let folder = CSVFileError(file: "/sets/dir", line: 0, reason: "no class folders")
        XCTAssertEqual(InputFailure(loading: "/sets/dir", error: folder).description, "/sets/dir: no class folders")
        let xml = DlibXMLError(file: "/sets/b.xml", line: 0, reason: "no such file")
        XCTAssertEqual(InputFailure(loading: "/sets/b.xml", error: xml).description, "/sets/b.xml: no such file")
        struct Odd: Error {}
        XCTAssertEqual(InputFailure(loading: "/sets/c.csv", error: Odd()).path, "/sets/c.csv")
    }
}
