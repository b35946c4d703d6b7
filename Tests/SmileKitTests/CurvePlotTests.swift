import XCTest
@testable import SmileKit

final class CurvePlotTests: XCTestCase {
    let history = (1...4).map { e in
        EpochRecord(epoch: e, learningRate: 0.001, loss: 0.8 / Float(e), accuracy: 0.6 + 0.05 * Float(e),
                    validationLoss: 0.9 / Float(e), validationAccuracy: 0.55 + 0.05 * Float(e), imagesPerSecond: 100, seconds: 60)
    }

    /// Axes with whole-epoch ticks, labels and legends; each curve's points where the axes put them.
    func testSVGHasAxesTicksLegendsAndThePoints() {
        let svg = CurvePlot.svg(history)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        for tick in 1...4 { XCTAssertEqual(svg.components(separatedBy: "text-anchor=\"middle\" font-size=\"10\">\(tick)</text>").count - 1, 2, "epoch tick \(tick) on both charts") }
        XCTAssertEqual(svg.components(separatedBy: ">epoch</text>").count - 1, 2)
        XCTAssertTrue(svg.contains(">loss (cross-entropy)</text>") && svg.contains(">accuracy</text>"))
        XCTAssertEqual(svg.components(separatedBy: ">train</text>").count - 1, 2)
        XCTAssertEqual(svg.components(separatedBy: ">validation</text>").count - 1, 2)
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 4)
        // The loss chart: x from 1 to 4 over 295 px from 50, y from 0 to 0.945 (0.9 * 1.05) over 250 px from 25.
        // Train loss at epoch 1 is 0.8: (50.0, 25 + 250 - 0.8 / 0.945 * 250) = (50.0, 63.4).
        XCTAssertTrue(svg.contains("points=\"50.0,63.4 "), svg)
    }

    func testEpochTicksStayReadable() {
        XCTAssertEqual(CurvePlot.epochTicks(upTo: 4), [1, 2, 3, 4])
        XCTAssertEqual(CurvePlot.epochTicks(upTo: 30), [1, 6, 11, 16, 21, 26, 30])
    }

    func testSummaryShowsTheChartsAndEveryEpoch() {
        let html = CurvePlot.html(history, title: "Training run w <1>", details: [("best", "epoch 4")])
        XCTAssertTrue(html.contains("<h1>Training run w &lt;1&gt;</h1>"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 2)
        XCTAssertTrue(html.contains("<td>4</td><td>1.00e-03</td><td>0.2000</td><td>0.8000</td><td>0.2250</td><td>0.7500</td>"), html)
        XCTAssertTrue(html.contains("epoch 4"))
    }
}
