import SmileKit
import XCTest

final class DataSplitTests: XCTestCase {
    func testSidesAreStableAndNearTheFractions() {
        let split = DataSplit(validation: 0.1, test: 0.2)
        let groups = (0..<5000).map { "file\($0).jpg" }
        let sides = groups.map(split.side(of:))
        XCTAssertEqual(sides, groups.map(split.side(of:)), "the same group must always land on the same side")
        let test = Double(sides.filter { $0 == .test }.count) / 5000, validation = Double(sides.filter { $0 == .validation }.count) / 5000
        XCTAssertEqual(test, 0.2, accuracy: 0.03)
        XCTAssertEqual(validation, 0.1, accuracy: 0.03)
    }

    func testGroupsStayTogether() {
        let split = DataSplit(validation: 0.2, test: 0.3)
        let faces = (0..<200).map { LabelledFace(path: "S\($0 / 3)_\($0).png", label: $0 % 2, framing: .tightCrop, dataset: "ck", group: "S\($0 / 3)") }
        let train = Set(split.select(faces, .train).map(\.group)), test = Set(split.select(faces, .test).map(\.group))
        XCTAssertTrue(train.isDisjoint(with: test))
        XCTAssertEqual(split.select(faces, .train).count + split.select(faces, .validation).count + split.select(faces, .test).count, 200)
    }
}
