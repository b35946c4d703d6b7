import Foundation
import SmileKit
import SmileNN
import SmileVision
import XCTest

/// Helpers for the end-to-end tests: the built `smile` binary, temporary folders, a model file.
enum EndToEnd {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let astronaut = projectRoot.appendingPathComponent("samples/astronaut.jpg").path

    /// The `smile` executable built beside the test bundle.
    static var binary: URL {
        var directory = Bundle.main.bundleURL
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("smile").path) { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("smile")
    }

    /// The `smile-bench` executable built beside `smile`.
    static var benchBinary: URL { binary.deletingLastPathComponent().appendingPathComponent("smile-bench") }

    /// Runs `smile-bench` with `arguments`; returns (status, stdout, stderr).
    static func runBench(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runProgram(benchBinary, arguments)
    }

    /// Runs `smile` with `arguments`; returns (status, stdout, stderr).
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runProgram(binary, arguments)
    }

    /// Runs `executable` with `arguments` and waits for it; returns (status, stdout, stderr).
    static func runProgram(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile(), errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Runs `smile`, sends `signal` once the CSV at `csv` has at least `rows` data lines
    /// (polled every few milliseconds), and waits for it to end. Returns (status, stderr);
    /// the status of a process killed by a signal is the signal number.
    static func runAndSignal(_ arguments: [String], signal: Int32, whenRowsIn csv: URL, reach rows: Int) throws -> (status: Int32, err: String) {
        let errFile = csv.deletingLastPathComponent().appendingPathComponent("\(UUID().uuidString).stderr")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)  // (opening it next says why if this failed)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        while process.isRunning {
            let text = (try? String(contentsOf: csv, encoding: .utf8)) ?? ""
            if text.filter({ $0 == "\n" }).count > rows {
                kill(process.processIdentifier, signal)
                break
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smile-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A small untrained model saved into `directory` (the tests check plumbing, not accuracy).
    static func tinyModelFile(in directory: URL) throws -> URL {
        let config = VGG19Configuration(widthMultiplier: 0.0625, inputHeight: 32, inputWidth: 32, inputChannels: 1,
                                        batchNorm: false, head: .globalAveragePool(dropout: 0), classes: 2)
        let metadata = ModelMetadata(architecture: "vgg19", network: config, normalisationMean: [128], normalisationStd: [64],
                                     framing: CropFraming(margin: 0.1), provenance: ["purpose": "end-to-end tests"])
        let url = directory.appendingPathComponent("tiny.safetensors")
        try SmileModel(network: SmileModel.makeNetwork(for: metadata, seed: 7), metadata: metadata, source: "tiny").save(to: url)
        return url
    }

    /// Parses CSV text into rows of fields (RFC 4180 quoting), independently of the writer.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var characters = Array(text)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" { if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false } } else { field.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(field); field = ""
            } else if c == "\n" { row.append(field); rows.append(row); row = []; field = ""
            } else { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    static var dataRoot: String? {
        guard let root = ProcessInfo.processInfo.environment["SMILE_DATA"], !root.isEmpty, FileManager.default.fileExists(atPath: root) else { return nil }
        return root
    }
}
