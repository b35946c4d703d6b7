import Foundation
import SmileVision

/// Finds the model file to use: an explicit path, `SMILE_MODEL`, then the shipped default.
public enum DefaultModel {
    /// File name of the shipped model under `models/`.
    public static let fileName = "smile-default.safetensors"

    /// Error when no model file can be found.
    public struct NotFound: Error, CustomStringConvertible {
        public let tried: [String]
        public var description: String {
            "no model file found (tried: \(tried.joined(separator: ", "))); pass --model FILE or set SMILE_MODEL"
        }
    }

    /// The places searched for the shipped model, in order: `$SMILE_MODEL`, then `smile-default.safetensors`
    /// in each of `modelDirectories()`.
    public static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var places: [String] = []
        if let fromEnvironment = environment["SMILE_MODEL"], !fromEnvironment.isEmpty { places.append(fromEnvironment) }
        return places + modelDirectories().map { ($0 as NSString).appendingPathComponent(fileName) }
    }

    /// The `models/` folders searched for shipped files, in order: beside the current directory, then
    /// beside the executable, in its parents and their `share/smile/` (`InstallLayout`), and, in debug
    /// builds, the source tree's.
    public static func modelDirectories() -> [String] {
        var places = [FileManager.default.currentDirectoryPath + "/models"]
        places += InstallLayout.roots().map { ($0 as NSString).appendingPathComponent("models") }
        #if DEBUG
        places.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../models").standardized.path)
        #endif
        return places
    }

    /// The model file to load: `explicit` if given (it must exist), else the first candidate that exists.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        let places = candidates(environment: environment)
        guard let found = places.first(where: { FileManager.default.fileExists(atPath: $0) }) else { throw NotFound(tried: places) }
        return URL(fileURLWithPath: found)
    }
}
