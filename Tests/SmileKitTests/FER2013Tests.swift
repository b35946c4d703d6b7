@testable import SmileKit
import XCTest

final class FER2013Tests: XCTestCase {
    private let header = "path,split,fer_class,sha1,ferplus_usage,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF,smile\n"

    private func load(_ rows: String) throws -> (faces: [LabelledFace], report: FER2013.LoadReport) {
        let root = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data((header + rows).utf8).write(to: root.appendingPathComponent("labels.csv"))
        return try FER2013.load(root.path)
    }

    func testVotesGiveLabelsAndMixedVotesAreLeftOut() throws {
        let (faces, report) = try load("""
            train/happy/a.jpg,train,happy,aaa,Training,1,8,1,0,0,0,0,0,0,0,1
            train/neutral/b.jpg,train,neutral,bbb,Training,9,0,0,1,0,0,0,0,0,0,0
            train/happy/c.jpg,train,happy,ccc,Training,5,5,0,0,0,0,0,0,0,0,
            train/angry/d.jpg,train,angry,ddd,,,,,,,,,,,,

            """)
        XCTAssertEqual(faces.map(\.label), [1, 0])
        XCTAssertEqual(faces.map { ($0.path as NSString).lastPathComponent }, ["a.jpg", "b.jpg"])
        XCTAssertEqual(report, FER2013.LoadReport(rows: 4, unlabelled: 2, duplicates: 0, conflicting: 0))
        XCTAssertTrue(faces.allSatisfy { $0.framing == .tightCrop && $0.dataset == "fer2013" })
    }

    func testCopiesAreDroppedByHashAndConflictingCopiesEntirely() throws {
        let (faces, report) = try load("""
            train/happy/a.jpg,train,happy,AAA,Training,0,9,1,0,0,0,0,0,0,0,1
            test/happy/a-copy.jpg,test,happy,aaa,PublicTest,0,9,1,0,0,0,0,0,0,0,1
            train/sad/x.jpg,train,sad,xxx,Training,0,9,1,0,0,0,0,0,0,0,1
            train/neutral/x-copy.jpg,train,neutral,xxx,Training,10,0,0,0,0,0,0,0,0,0,0
            train/neutral/y.jpg,train,neutral,yyy,Training,10,0,0,0,0,0,0,0,0,0,0

            """)
        // One face per hash (the first file, whatever case its hash is written in); "xxx" has copies labelled both ways.
        XCTAssertEqual(faces.map { ($0.path as NSString).lastPathComponent }, ["a.jpg", "y.jpg"])
        XCTAssertEqual(report.duplicates, 2)
        XCTAssertEqual(report.conflicting, 1)
        // The hash is the split group, so a copy could never land on the other side.
        XCTAssertEqual(faces.map(\.group), ["aaa", "yyy"])
    }

    func testSplitKeepsEveryHashOnOneSide() throws {
        let rows = (0..<200).map { "train/x/\($0).jpg,train,x,h\($0 % 50),Training,0,9,1,0,0,0,0,0,0,0,1\n" }.joined()
        let (faces, _) = try load(rows)
        XCTAssertEqual(faces.count, 50)
        let split = DataSplit(validation: 0.1, test: 0.2)
        let sides = DataSplit.Side.allCases.map { split.select(faces, $0).count }
        XCTAssertEqual(sides.reduce(0, +), 50)
        XCTAssertTrue(sides.allSatisfy { $0 > 0 }, "every side gets some of 50 hashes: \(sides)")
    }

    func testBadLabelNamesTheFileAndRow() throws {
        XCTAssertThrowsError(try load("train/x/a.jpg,train,x,aaa,Training,0,9,1,0,0,0,0,0,0,0,7\n")) { error in
            XCTAssertTrue("\(error)".contains("labels.csv"), "\(error)")
            XCTAssertTrue("\(error)".contains("row 1"), "\(error)")
        }
    }
}
