import Foundation
import XCTest
@testable import SmileVision

/// Our JPEG and PNG decoding against OpenCV's imdecode on the real images in $SMILE_DATA (skipped
/// without it): every photo of realworld/ and the first 40 images of each training set, in colour
/// and in gray, must come out byte for byte the same.
final class ImageCodecParityDataTests: XCTestCase {
    func testRealImagesDecodeAsOpenCVDecodesThem() throws {
        guard let data = ProcessInfo.processInfo.environment["SMILE_DATA"], !data.isEmpty else {
            throw XCTSkip("set SMILE_DATA to the data folder to run this test")
        }
        let root = URL(fileURLWithPath: data)
        let folders: [(path: String, limit: Int)] = [
            ("realworld/groups", .max), ("realworld/voc_boxes", .max), ("realworld/portraits", .max),
            ("genki4k", 40), ("smilesmiled/smile", 40), ("smilesmiled/no_smile", 40), ("muxspace", 40),
            ("ckplus48/happy", 40), ("ckplus48/other", 40),
        ]
        var compared = 0
        for (path, limit) in folders {
            let folder = root.appendingPathComponent(path)
            let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
                .filter { ["jpg", "jpeg", "png"].contains(($0 as NSString).pathExtension.lowercased()) }
                .sorted().prefix(limit)
            XCTAssertFalse(files.isEmpty, "no images in \(path)")
            for file in files {
                let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
                try ImageCodecParityTests.assertSameAsOpenCV(bytes, "\(path)/\(file)")
                compared += 1
            }
        }
        print("decoded \(compared) real images both ways: the same pixels")
    }
}
