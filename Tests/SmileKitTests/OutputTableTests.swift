import SmileKit
import SmileVision
import XCTest

final class OutputTableTests: XCTestCase {
    func testFieldsAreQuotedOnlyWhenNeeded() {
        XCTAssertEqual(CSVFormat.field("plain.jpg"), "plain.jpg")
        XCTAssertEqual(CSVFormat.field("a,b.jpg"), "\"a,b.jpg\"")
        XCTAssertEqual(CSVFormat.field("say \"hi\".jpg"), "\"say \"\"hi\"\".jpg\"")
        XCTAssertEqual(CSVFormat.field("two\nlines.jpg"), "\"two\nlines.jpg\"")
    }

    func testFacesRows() {
        let faces = [FaceResult(box: Rect(x: 1, y: 2, width: 30, height: 31), smileProbability: 0.91234, isSmiling: true),
                     FaceResult(box: Rect(x: 5, y: 6, width: 7, height: 8), smileProbability: 0.1, isSmiling: false)]
        XCTAssertEqual(FacesTable.header, "image,face,x,y,w,h,p_smile,smiling,angle\n")
        XCTAssertEqual(FacesTable.rows(image: "p,1.jpg", faces: faces), "\"p,1.jpg\",0,1,2,30,31,0.9123,1,0\n\"p,1.jpg\",1,5,6,7,8,0.1000,0,0\n")
        XCTAssertEqual(FacesTable.rows(image: "none.jpg", faces: []), "none.jpg,,,,,,,,\n", "a photo without a face still has a row")
        var tilted = faces[0]
        tilted.angle = -28.66
        XCTAssertEqual(FacesTable.rows(image: "t.jpg", faces: [tilted]), "t.jpg,0,1,2,30,31,0.9123,1,-28.7\n", "a tilted face's angle")
        XCTAssertEqual(FacesTable.ImageRecord(image: "t.jpg", faces: [tilted]).faces.first?.angle, -28.7, "JSON rounds as the CSV does")
    }

    func testFramesRowsKeepEmptyFrames() {
        XCTAssertEqual(FramesTable.header, "frame,file,time_s,face,x,y,w,h,p_smile,smiling,track,p_smile_smoothed,angle\n")
        XCTAssertEqual(FramesTable.rows(frame: 3, file: "f3.png", timeSeconds: 0.12, faces: []), "3,f3.png,0.120,,,,,,,,,,\n")
        let face = FaceResult(box: Rect(x: 1, y: 1, width: 2, height: 2), smileProbability: 0.5, isSmiling: true)
        XCTAssertEqual(FramesTable.rows(frame: 4, file: "f4.png", timeSeconds: nil, faces: [face]),
                       "4,f4.png,,0,1,1,2,2,0.5000,1,,,0\n")
        var tilted = face
        tilted.angle = -20
        XCTAssertEqual(FramesTable.rows(frame: 5, file: "f5.png", timeSeconds: nil, faces: [face, tilted],
                                        tracks: [TrackedFace(track: 3, smoothedProbability: 0.25), TrackedFace(track: 1, smoothedProbability: 0.5)]),
                       "5,f5.png,,0,1,1,2,2,0.5000,1,3,0.2500,0\n5,f5.png,,1,1,1,2,2,0.5000,1,1,0.5000,-20.0\n")
    }

    func testAtomicWriteReplacesWholeFileAndLeavesNoTemporary() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("out.txt")
        try writeAtomically(Data("old".utf8), to: target)
        try writeAtomically(Data("new".utf8), to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "new")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["out.txt"])
    }

    func testRowFileKeepsWholeRows() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try RowFile(url: directory.appendingPathComponent("t.csv"), header: "a,b\n")
        try file.append("1,2\n")
        try file.append("3,4\n")
        XCTAssertEqual(try String(contentsOf: file.url, encoding: .utf8), "a,b\n1,2\n3,4\n")
    }
}
