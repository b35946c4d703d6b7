import Foundation
import SmileVision
import XCTest
@testable import SmileKit

final class LabelledSetTests: XCTestCase {
    var tmp: TempDirectory!

    override func setUpWithError() throws { tmp = try TempDirectory() }
    override func tearDown() { tmp.remove() }

    func testClassFoldersZeroOne() throws {
        for f in ["0/frame10.jpg", "0/frame2.JPG", "0/notes.txt", "0/.hidden.jpg", "0/sub/x.jpeg",
                  "1/a.png", "1/b.bmp", "1/c.webp", "1/d.gif", "other/e.jpg"] {
            try tmp.write(f)
        }
        let set = try LabelledSet.load(from: tmp.url.path)
        XCTAssertEqual(set, [
            LabelledImage(path: tmp.path("0/frame2.JPG"), label: 0),
            LabelledImage(path: tmp.path("0/frame10.jpg"), label: 0),
            LabelledImage(path: tmp.path("0/sub/x.jpeg"), label: 0),
            LabelledImage(path: tmp.path("1/a.png"), label: 1),
            LabelledImage(path: tmp.path("1/b.bmp"), label: 1),
            LabelledImage(path: tmp.path("1/c.webp"), label: 1),
        ])
    }

    func testClassFoldersNamedCaseInsensitively() throws {
        try tmp.write("Smile/a.jpg")
        try tmp.write("NO_SMILE/b.jpg")
        try tmp.write("smiling/c.jpg")
        try tmp.write("not_smiling/d.jpg")
        let set = try LabelledSet.load(from: tmp.url.path)
        XCTAssertEqual(set.map(\.label), [0, 0, 1, 1])
        XCTAssertEqual(Set(set.filter { $0.label == 1 }.map { ($0.path as NSString).lastPathComponent }), ["a.jpg", "c.jpg"])
    }

    func testDirectoryWithoutClassFoldersFails() throws {
        try tmp.write("faces/a.jpg")
        XCTAssertThrowsError(try LabelledSet.load(from: tmp.url.path)) { error in
            XCTAssertTrue("\(error)".contains(tmp.url.path), "\(error)")
        }
    }

    func testMissingPathFails() {
        XCTAssertThrowsError(try LabelledSet.load(from: tmp.path("nope.csv")))
    }

    func testSimpleCSVWithHeaderQuotesAndNewlines() throws {
        let csv = try tmp.write("lists/set.csv", "path,label\r\n\"a,b.jpg\",1\n\"multi\nline.jpg\",0\n\n\"say \"\"hi\"\".png\", 1 \n/abs/x.jpg,0")
        let set = try LabelledSet.load(from: csv.path)
        XCTAssertEqual(set, [
            LabelledImage(path: tmp.path("lists/a,b.jpg"), label: 1),
            LabelledImage(path: tmp.path("lists/multi\nline.jpg"), label: 0),
            LabelledImage(path: tmp.path("lists/say \"hi\".png"), label: 1),
            LabelledImage(path: "/abs/x.jpg", label: 0),
        ])
    }

    func testSimpleCSVWithoutHeader() throws {
        let csv = try tmp.write("set.csv", "../up.jpg,1\nimg/b.jpg,0\n")
        let set = try LabelledSet.load(from: csv.path)
        XCTAssertEqual(set.map(\.path), [tmp.url.deletingLastPathComponent().appendingPathComponent("up.jpg").path, tmp.path("img/b.jpg")])
        XCTAssertEqual(set.map(\.label), [1, 0])
    }

    func testPerFaceCSV() throws {
        let csv = try tmp.write("faces.csv", "path,x,y,w,h,label\ngroup.jpg,10,20,30,40,1\n\"group, 2.jpg\", 1 ,2,3,4,0\n")
        let set = try LabelledSet.load(from: csv.path)
        XCTAssertEqual(set, [
            LabelledImage(path: tmp.path("group.jpg"), label: 1, box: Rect(x: 10, y: 20, width: 30, height: 40)),
            LabelledImage(path: tmp.path("group, 2.jpg"), label: 0, box: Rect(x: 1, y: 2, width: 3, height: 4)),
        ])
    }

    private func assertBadRow(_ text: String, line: Int, mentions: String, file: StaticString = #filePath, l: UInt = #line) throws {
        let csv = try tmp.write("bad-\(UUID().uuidString).csv", text)
        XCTAssertThrowsError(try LabelledSet.load(from: csv.path), file: file, line: l) { error in
            guard let e = error as? LabelledSetError else { return XCTFail("\(error)", file: file, line: l) }
            XCTAssertEqual(e.file, csv.path, file: file, line: l)
            XCTAssertEqual(e.line, line, "\(e)", file: file, line: l)
            XCTAssertTrue(e.description.contains(mentions), "\(e)", file: file, line: l)
            XCTAssertTrue(e.description.hasPrefix("\(csv.path):\(line): "), "\(e)", file: file, line: l)
        }
    }

    func testBadRowsNameFileAndLine() throws {
        // The quoted newline on line 2 makes the bad row start on line 4.
        try assertBadRow("path,label\n\"a\nb.jpg\",1\nc.jpg,1,extra\n", line: 4, mentions: "expected 2 columns, found 3")
        try assertBadRow("path,label\na.jpg,1\nb.jpg,2\n", line: 3, mentions: "label must be 0 or 1, found '2'")
        try assertBadRow("a.jpg,1\nb.jpg,yes\n", line: 2, mentions: "label must be 0 or 1")
        try assertBadRow("path,x,y,w,h,label\ng.jpg,1,2,3,4,1\ng.jpg,1,two,3,4,0\n", line: 3, mentions: "y must be an integer, found 'two'")
        try assertBadRow("g.jpg,1,2,0,4,0\n", line: 1, mentions: "width and height must be positive")
        try assertBadRow("a.jpg,1,2\n", line: 1, mentions: "found 3")
        try assertBadRow("path,label\n\"open.jpg,1\n", line: 2, mentions: "unterminated quoted field")
    }

    func testEmptyCSVFails() throws {
        let csv = try tmp.write("empty.csv", "\n\n")
        XCTAssertThrowsError(try LabelledSet.load(from: csv.path))
    }

    func testCSVRoundTripAndLineNumbers() throws {
        let rows = [["path", "label"], ["a,b.jpg", "1"], ["say \"hi\"", "0"], ["two\nlines", "1"], ["plain", "0"]]
        let text = CSVTable.write(rows: rows)
        XCTAssertEqual(text, "path,label\n\"a,b.jpg\",1\n\"say \"\"hi\"\"\",0\n\"two\nlines\",1\nplain,0\n")
        let records = try CSVTable.read(string: text)
        XCTAssertEqual(records.map(\.fields), rows)
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4, 6])
        let file = tmp.url.appendingPathComponent("out.csv")
        try CSVTable.write(rows: rows, to: file)
        XCTAssertEqual(try CSVTable.read(contentsOf: file).map(\.fields), rows)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.url.path), ["out.csv"])
    }
}
