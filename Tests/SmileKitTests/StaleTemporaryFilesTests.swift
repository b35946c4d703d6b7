import Foundation
@testable import SmileKit
import XCTest

/// Which leftover temporary files a later run removes: only `.NAME.PID.tmp` files of dead processes.
final class StaleTemporaryFilesTests: XCTestCase {
    /// The id of a process that has ended (started, waited for).
    static func deadPid() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    func testNamesRoundTripAndOthersAreNotTemporaryFiles() {
        XCTAssertEqual(StaleTemporaryFiles.temporaryName(for: "a b.jpg", pid: 42), ".a b.jpg.42.tmp")
        XCTAssertEqual(StaleTemporaryFiles.parse(".a b.jpg.42.tmp")?.name, "a b.jpg")
        XCTAssertEqual(StaleTemporaryFiles.parse(".a b.jpg.42.tmp")?.pid, 42)
        XCTAssertEqual(StaleTemporaryFiles.parse("..hidden.7.tmp")?.name, ".hidden", "a name may itself start with a dot")
        for other in ["a.jpg.42.tmp", ".a.jpg.tmp", ".a.jpg.4x2.tmp", ".a.jpg.-42.tmp", ".a.jpg.0.tmp", ".a.jpg.42.tmp~",
                      ".42.tmp", "..42.tmp", ".a.jpg.99999999999.tmp", ".a.jpg.42.TMP", "faces.csv", ".hidden"] {
            XCTAssertNil(StaleTemporaryFiles.parse(other), "\(other) is not a temporary file name")
        }
    }

    func testOnlyDeadProcessesTemporaryFilesAreRemoved() throws {
        let work = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let dead = try Self.deadPid()
        XCTAssertFalse(StaleTemporaryFiles.isAlive(dead))
        XCTAssertTrue(StaleTemporaryFiles.isAlive(getpid()))
        XCTAssertTrue(StaleTemporaryFiles.isAlive(1), "init exists (kill answers EPERM for another user's process)")
        let sub = work.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let stale = [work.appendingPathComponent(".a.jpg.\(dead).tmp"), sub.appendingPathComponent(".b.jpg.\(dead).tmp")]
        let kept = [work.appendingPathComponent(".a.jpg.\(getpid()).tmp"), work.appendingPathComponent("a.jpg.\(dead).tmp"),
                    work.appendingPathComponent(".a.jpg.\(dead).tmp.bak"), work.appendingPathComponent("a.jpg")]
        for url in stale + kept { try Data("x".utf8).write(to: url) }
        // A directory and a symbolic link with a temporary file's name are not regular files: kept.
        let directoryNamedLikeOne = work.appendingPathComponent(".c.jpg.\(dead).tmp")
        try FileManager.default.createDirectory(at: directoryNamedLikeOne, withIntermediateDirectories: true)
        let linkNamedLikeOne = work.appendingPathComponent(".d.jpg.\(dead).tmp")
        try FileManager.default.createSymbolicLink(atPath: linkNamedLikeOne.path, withDestinationPath: "a.jpg")
        // A symbolic link to a directory elsewhere is not followed.
        let elsewhere = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let outside = elsewhere.appendingPathComponent(".e.jpg.\(dead).tmp")
        try Data("x".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent("link").path, withDestinationPath: elsewhere.path)

        let flat = StaleTemporaryFiles.remove(in: work)
        XCTAssertEqual(flat.map(\.lastPathComponent), [stale[0].lastPathComponent], "without recursion only the top file goes")
        XCTAssertTrue(FileManager.default.fileExists(atPath: stale[1].path))
        let deep = StaleTemporaryFiles.remove(in: work, recursive: true)
        XCTAssertEqual(deep.map(\.lastPathComponent), [stale[1].lastPathComponent])
        for url in stale { XCTAssertFalse(FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent) removed") }
        for url in kept + [directoryNamedLikeOne, outside] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent) kept")
        }
        XCTAssertNotNil(try? FileManager.default.destinationOfSymbolicLink(atPath: linkNamedLikeOne.path), "the link is kept")
        XCTAssertEqual(StaleTemporaryFiles.remove(in: work.appendingPathComponent("missing"), recursive: true), [])
    }
}
