import SmileKit
import XCTest

final class PhotoSplitTests: XCTestCase {
    func testTheRuleIsAHashOfThePhotoPath() {
        // FNV-1a of the path, modulo 10^6, below half: test. Fixed values guard the rule against change,
        // since changing it would move photos between the side models are chosen on and the side they are tested on.
        XCTAssertEqual(PhotoSplit.side(ofPhoto: "images/3ddfa/test2.jpg"), .test)
        XCTAssertEqual(PhotoSplit.side(ofPhoto: "images/3ddfa_v2/emma.jpg"), .selection)
        let sides = (0..<1000).map { PhotoSplit.side(ofPhoto: "images/p\($0).jpg") }
        let tests = sides.filter { $0 == .test }.count
        XCTAssertTrue((430...570).contains(tests), "about half on each side: \(tests) of 1000")
    }

    func testFacesOfOnePhotoStayTogetherWhereverTheSetLies() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var csv = "path,x,y,w,h,label\n"
        for photo in 0..<40 { for face in 0..<3 { csv += "images/p\(photo).jpg,\(face * 50),0,40,40,\(face % 2)\n" } }
        let file = root.appendingPathComponent("faces.csv")
        try Data(csv.utf8).write(to: file)
        let all = try LabelledSet.load(from: file.path)
        let selection = PhotoSplit.select(all, loadedFrom: file.path, side: .selection)
        let test = PhotoSplit.select(all, loadedFrom: file.path, side: .test)
        XCTAssertEqual(selection.count + test.count, all.count)
        XCTAssertTrue(Set(selection.map(\.path)).isDisjoint(with: Set(test.map(\.path))))
        XCTAssertEqual(selection.count % 3, 0)
        for example in test {
            let relative = String(example.path.dropFirst(root.standardizedFileURL.path.count + 1))
            XCTAssertEqual(PhotoSplit.side(ofPhoto: relative), .test, relative)
        }
        // The same set reached through a relative path with "..": the same sides.
        let detour = root.appendingPathComponent("images").path + "/../faces.csv"
        try FileManager.default.createDirectory(at: root.appendingPathComponent("images"), withIntermediateDirectories: true)
        XCTAssertEqual(PhotoSplit.select(try LabelledSet.load(from: detour), loadedFrom: detour, side: .test).map(\.path), test.map(\.path))
    }
}
