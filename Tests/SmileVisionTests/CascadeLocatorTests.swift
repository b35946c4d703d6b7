import XCTest
@testable import SmileVision

/// The cascade search order and its error.
final class CascadeLocatorTests: XCTestCase {
    func testFindsSystemCascade() throws {
        let path = try CascadeLocator.locate(CascadeLocator.frontalFace, environment: [:])
        XCTAssertTrue(path.hasSuffix("/" + CascadeLocator.frontalFace))
    }

    func testEnvironmentFolderComesFirst() throws {
        let dir = try TestSupport.tempDir(self)
        let copy = try TestSupport.write([0x3C], CascadeLocator.frontalFace, in: dir)
        XCTAssertEqual(try CascadeLocator.locate(CascadeLocator.frontalFace, environment: ["SMILE_CASCADE_DIR": dir.path]), copy)
        let explicit = try TestSupport.write([0x3C], "mine.xml", in: dir)
        XCTAssertEqual(try CascadeLocator.locate(CascadeLocator.frontalFace, explicit: explicit), explicit)
    }

    func testMissingCascadeListsPlacesTried() throws {
        let dir = try TestSupport.tempDir(self)
        XCTAssertThrowsError(try CascadeLocator.locate("no_such_cascade.xml", environment: ["SMILE_CASCADE_DIR": dir.path])) {
            let e = $0 as? VisionError
            XCTAssertEqual(e?.kind, .cascade)
            XCTAssertTrue(e?.message.contains(dir.path) ?? false)
            XCTAssertTrue(e?.message.contains("/usr/share/opencv4/haarcascades") ?? false)
            XCTAssertTrue(e?.message.contains("/usr/local/share/opencv/haarcascades") ?? false)
        }
        XCTAssertThrowsError(try CascadeLocator.locate(CascadeLocator.frontalFace, explicit: dir.path + "/typo.xml"))
    }
}
