import Foundation
import XCTest

/// Tables written to devices: checked writes, and the device left a device.
final class DeviceOutputEndToEndTests: XCTestCase {
    private func isCharacterDevice(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR
    }

    func testAFullDeviceIsAnErrorAndStaysADevice() throws {
        guard isCharacterDevice("/dev/full") else { throw XCTSkip("no /dev/full here") }
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        for option in ["--csv", "--json"] {
            let result = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.appendingPathComponent("out\(option)").path,
                                           option, "/dev/full", "--model", model.path])
            XCTAssertEqual(result.status, 1, "\(option): \(result.err)")
            XCTAssertTrue(result.err.contains("/dev/full") && result.err.contains("No space left on device"), "\(option): \(result.err)")
            XCTAssertTrue(isCharacterDevice("/dev/full"), "\(option): /dev/full must stay a device")
        }
    }

    func testJSONToStandardOutputParses() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let result = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.appendingPathComponent("out").path,
                                       "--json", "/dev/stdout", "--model", model.path])
        XCTAssertEqual(result.status, 0, result.err)
        let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]]
        XCTAssertEqual(json?.count, 1, result.out)
    }
}
