import Foundation
import SmileVision
import XCTest
@testable import SmileKit

final class DlibXMLTests: XCTestCase {
    func testParsesAttributesInAnyOrderAndSkipsIgnored() throws {
        let xml = """
        <?xml version='1.0' encoding='ISO-8859-1'?>
        <?xml-stylesheet type='text/xsl' href='image_metadata_stylesheet.xsl'?>
        <dataset>
        <name>t</name>
        <images>
          <image file='a.jpg'>
            <box top='10' left='20' width='30' height='40'/>
            <box height='4' width='3' left='2' top='1'>
              <label>face</label>
              <part name='01' x='3' y='4'/>
            </box>
            <box top='5' left='5' width='5' height='5' ignore='1'/>
          </image>
          <image file="sub/b.png" width='9'></image>
          <image file='/abs/c.jpg'><box left="7" top="8" width="9" height="10"></box></image>
        </images>
        </dataset>
        """
        let base = URL(fileURLWithPath: "/data/set")
        let images = try DlibXML.parse(data: Data(xml.utf8), baseDirectory: base)
        XCTAssertEqual(images, [
            DlibImageBoxes(file: "/data/set/a.jpg", boxes: [
                Rect(x: 20, y: 10, width: 30, height: 40), Rect(x: 2, y: 1, width: 3, height: 4),
            ]),
            DlibImageBoxes(file: "/data/set/sub/b.png", boxes: []),
            DlibImageBoxes(file: "/abs/c.jpg", boxes: [Rect(x: 7, y: 8, width: 9, height: 10)]),
        ])
    }

    func testBadBoxNamesLine() {
        let xml = "<dataset><images>\n<image file='a.jpg'>\n<box top='x' left='1' width='2' height='3'/>\n</image></images></dataset>"
        XCTAssertThrowsError(try DlibXML.parse(data: Data(xml.utf8), baseDirectory: URL(fileURLWithPath: "/"))) { error in
            let e = error as? DlibXMLError
            XCTAssertEqual(e?.line, 3)
            XCTAssertTrue(e?.reason.contains("top") ?? false, "\(error)")
        }
    }

    func testMalformedXMLThrows() {
        XCTAssertThrowsError(try DlibXML.parse(data: Data("<dataset><images>".utf8), baseDirectory: URL(fileURLWithPath: "/")))
        XCTAssertThrowsError(try DlibXML.parse(data: Data("<dataset><image file='a'></dataset>".utf8), baseDirectory: URL(fileURLWithPath: "/")))
    }

    func testReadsFileRelativeToItsDirectory() throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let file = try tmp.write("xml/set.xml", "<dataset><images><image file='../img/p.jpg'><box top='1' left='2' width='3' height='4'/></image></images></dataset>")
        let images = try DlibXML.parse(contentsOf: file)
        XCTAssertEqual(images.first?.file, tmp.url.appendingPathComponent("img/p.jpg").standardizedFileURL.path)
    }
}

/// Checks against the real VOC face boxes when SMILE_DATA points at shared/data.
final class EvaluationDataTests: XCTestCase {
    func testVOCBoxesHave43Faces() throws {
        guard let root = ProcessInfo.processInfo.environment["SMILE_DATA"], !root.isEmpty else {
            throw XCTSkip("SMILE_DATA is not set; set it to the shared data folder to check realworld/voc_boxes")
        }
        let dir = URL(fileURLWithPath: root).appendingPathComponent("realworld/voc_boxes")
        let training = try DlibXML.parse(contentsOf: dir.appendingPathComponent("training.xml"))
        let testing = try DlibXML.parse(contentsOf: dir.appendingPathComponent("testing.xml"))
        XCTAssertEqual(training.reduce(0) { $0 + $1.boxes.count }, 18)
        XCTAssertEqual(testing.reduce(0) { $0 + $1.boxes.count }, 25)
        XCTAssertEqual((training + testing).reduce(0) { $0 + $1.boxes.count }, 43)
        for image in training + testing {
            XCTAssertTrue(FileManager.default.fileExists(atPath: image.file), "missing \(image.file)")
            XCTAssertTrue(image.boxes.allSatisfy { $0.width > 0 && $0.height > 0 })
        }
    }
}
