import Foundation
import SmileKit
import SmileNN
import XCTest

/// Training on a small real subset of ../shared/data (needs SMILE_DATA; CI sets it).
final class TrainingDataTests: XCTestCase {
    private func job(_ recipe: TrainingRecipe, out: URL, epochs: Int, learningRate: Float? = nil, base: String? = nil,
                     resume: Bool = false, limit: Int = 1200) throws -> TrainingJob {
        guard let root = Fixtures.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping training on ../shared/data") }
        // Augmentation off: it slows early learning, and this budget is only a few hundred steps.
        return TrainingJob(recipe: recipe, dataRoot: root, trainSets: ["genki4k", "smilesmiled"], width: 0.125, inputSide: 48,
                           epochs: epochs, batchSize: 32, learningRate: learningRate, patience: 0, augmentation: .none, seed: 5,
                           threads: 1, limitPerSet: limit, baseModel: base, cascadePath: try Fixtures.frontalCascade(),
                           outputDirectory: out, resume: resume)
    }

    func testBenchmarkRecipeLearnsClearlyBetterThanChance() throws {
        let out = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        var lines: [String] = []
        let outcome = try job(.benchmark, out: out, epochs: 12, learningRate: 3e-3).run { lines.append($0) }
        // Judge on the held-out test sides by AUC, which chance puts at 0.5 whatever the class balance.
        for name in ["genki4k", "smilesmiled"] {
            let metrics = try XCTUnwrap(outcome.testMetrics[name])
            XCTAssertGreaterThan(metrics.confusion.total, 20)
        }
        print(lines.filter { $0.hasPrefix("test ") || $0.hasPrefix("epoch") }.joined(separator: "\n"))
        let auc = try XCTUnwrap(outcome.testAUC["smilesmiled"])
        XCTAssertGreaterThan(auc, 0.75, "AUC on held-out SMILEsmileD crops\n" + lines.joined(separator: "\n"))
        XCTAssertEqual(outcome.state.history.count, 12)
        XCTAssertEqual(lines.filter { $0.hasPrefix("epoch") }.count, 12, "one progress line per epoch")
        for file in ["best.safetensors", "last.safetensors", "state.json", "curves.csv", "curves.svg", "summary.html", "model.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
        }
        let model = try SmileModel.load(contentsOf: outcome.modelFile)
        XCTAssertEqual(model.metadata.provenance["recipe"], "benchmark")
        XCTAssertNotNil(model.metadata.provenance["test_smilesmiled"])
    }

    func testResumeContinuesAfterTheLastCompletedEpoch() throws {
        let out = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let first = try job(.vgg19, out: out, epochs: 1, limit: 300).run { _ in }
        var lines: [String] = []
        let second = try job(.vgg19, out: out, epochs: 2, resume: true, limit: 300).run { lines.append($0) }
        XCTAssertTrue(lines.contains { $0.hasPrefix("resuming after epoch 1") }, lines.joined(separator: "\n"))
        XCTAssertEqual(second.state.history.count, 2)
        XCTAssertEqual(second.state.history[0], first.state.history[0], "epoch 1 is kept, not redone")
        XCTAssertEqual(lines.filter { $0.hasPrefix("epoch") }.count, 1, "only epoch 2 runs")
    }

    func testTransferRecipeStartsFromABaseModel() throws {
        let baseRun = try Fixtures.temporaryDirectory(), out = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: baseRun); try? FileManager.default.removeItem(at: out) }
        let base = try job(.vgg19, out: baseRun, epochs: 1, limit: 300).run { _ in }
        var lines: [String] = []
        let transfer = try job(.vgg19Transfer, out: out, epochs: 1, base: base.modelFile.path, limit: 300).run { lines.append($0) }
        XCTAssertTrue(lines.contains { $0.hasPrefix("bottleneck features") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("top MLP epoch") })
        // Blocks 1-4 stay as the base had them; block 5 and the head were trained.
        let baseTensors = Dictionary(uniqueKeysWithValues: base.model.network.namedTensors().map { ($0.name, $0.tensor) })
        let tuned = Dictionary(uniqueKeysWithValues: transfer.model.network.namedTensors().map { ($0.name, $0.tensor) })
        XCTAssertEqual(tuned["block1_conv1.weight"], baseTensors["block1_conv1.weight"])
        XCTAssertEqual(tuned["block4_conv4.weight"], baseTensors["block4_conv4.weight"])
        XCTAssertNotEqual(tuned["block5_conv1.weight"], baseTensors["block5_conv1.weight"])
        XCTAssertNotNil(tuned["fc1.weight"])
    }
}
