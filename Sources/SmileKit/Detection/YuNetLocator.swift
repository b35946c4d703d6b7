import Foundation
import SmileVision

/// Finds the YuNet model file the way the classifier's model is found: `SMILE_DETECTOR_MODEL`,
/// then `models/yunet/` beside the current directory, then beside the executable and its parents.
public enum YuNetLocator {
    /// The model's path inside a models folder.
    public static let relativePath = "yunet/" + YuNet.modelFileName

    /// The places searched, in order.
    public static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var places: [String] = []
        if let fromEnvironment = environment["SMILE_DETECTOR_MODEL"], !fromEnvironment.isEmpty { places.append(fromEnvironment) }
        places += DefaultModel.modelDirectories().map { ($0 as NSString).appendingPathComponent(relativePath) }
        return places
    }

    /// The model file: `explicit` if given, else the first candidate that exists.
    public static func locate(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let explicit { return explicit }
        let places = candidates(environment: environment)
        guard let found = places.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw VisionError(kind: .cascade, message: "YuNet face detector model not found (tried: \(places.joined(separator: ", "))); "
                              + "pass --detector-model FILE or set SMILE_DETECTOR_MODEL")
        }
        return found
    }
}
