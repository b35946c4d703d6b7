import SmileKit
import XCTest

final class DataSetsTests: XCTestCase {
    private func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func testGenkiAndMuxspaceLabelTables() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("file,smile,yaw,pitch,roll\nfile0001.jpg,1,0,0,0\nfile0002.jpg,0,0.1,0,0\n", root.appendingPathComponent("genki4k/labels.csv"))
        let genki = try DataSets.genki(root.appendingPathComponent("genki4k").path)
        XCTAssertEqual(genki.map(\.label), [1, 0])
        XCTAssertTrue(genki[0].path.hasSuffix("genki4k/files/file0001.jpg"))
        XCTAssertEqual(genki[0].framing, .wholeHead)

        try write("file,emotion,smile\nAaron_Eckhart_0001.jpg,neutral,0\nAaron_Eckhart_0002.jpg,happiness,1\nBo_0001.jpg,happiness,1\n",
                  root.appendingPathComponent("muxspace/labels.csv"))
        let mux = try DataSets.muxspace(root.appendingPathComponent("muxspace").path)
        XCTAssertEqual(mux.map(\.group), ["Aaron_Eckhart", "Aaron_Eckhart", "Bo"])
        XCTAssertEqual(mux.map(\.label), [0, 1, 1])

        try write("file,smile\nx.jpg,2\n", root.appendingPathComponent("bad/labels.csv"))
        XCTAssertThrowsError(try DataSets.genki(root.appendingPathComponent("bad").path)) { error in
            XCTAssertTrue("\(error)".contains("labels.csv"), "\(error)")
            XCTAssertTrue("\(error)".contains("'2' is not 0 or 1"), "\(error)")
        }
    }

    func testClassFoldersGroupCKPlusBySubject() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["happy/S010_006_1.png", "happy/S011_001_2.png", "other/S010_002_3.png", "other/notes.txt"] {
            try write("x", root.appendingPathComponent(name))
        }
        let faces = try DataSets.ckplus(root.path)
        XCTAssertEqual(faces.map(\.label), [0, 1, 1])
        XCTAssertEqual(faces.map(\.group), ["S010", "S010", "S011"])
        XCTAssertEqual(faces[0].framing, .tightCrop)
    }

    func testCelebABalancedSubsetTakesEqualClassesFromEachPartition() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var attributes = "image_id,Attractive,Smiling,Young\n", partitions = "image_id,partition\n"
        for i in 1...60 {
            let id = String(format: "%06d.jpg", i)
            attributes += "\(id),1,\(i % 3 == 0 ? 1 : -1),-1\n"
            partitions += "\(id),\(i <= 36 ? 0 : (i <= 48 ? 1 : 2))\n"
        }
        try write(attributes, root.appendingPathComponent("list_attr_celeba.csv"))
        try write(partitions, root.appendingPathComponent("list_eval_partition.csv"))
        let subset = try CelebA.balancedSubset(root.path, perClass: (train: 10, validation: 4, test: 4))
        XCTAssertEqual(subset.train.count, 20)
        XCTAssertEqual(subset.train.filter { $0.label == 1 }.count, 10)
        XCTAssertEqual(subset.validation.filter { $0.label == 1 }.count, 4)
        XCTAssertEqual(subset.test.filter { $0.label == 0 }.count, 4)
        XCTAssertTrue(subset.train.allSatisfy { Int($0.path.suffix(10).prefix(6))! <= 36 })
        XCTAssertTrue(subset.test.allSatisfy { Int($0.path.suffix(10).prefix(6))! > 48 })
        XCTAssertTrue(subset.train[0].path.hasSuffix("img_align_celeba/000003.jpg"))
        XCTAssertThrowsError(try CelebA.balancedSubset(root.path, perClass: (train: 30, validation: 4, test: 4))) { error in
            XCTAssertTrue("\(error)".contains("partition 0"), "\(error)")
        }
    }
}
