import Foundation
import XCTest
@testable import SmileVision

/// Our Haar scan against OpenCV's on real video frames in $SMILE_DATA (skipped without it): every raw
/// window, in order, on equalised frames of both clips (dim 640x360 stage light and 1080p).
final class HaarScanDataTests: XCTestCase {
    func testRawWindowsMatchOpenCVOnVideoFrames() throws {
        guard let data = ProcessInfo.processInfo.environment["SMILE_DATA"], !data.isEmpty else {
            throw XCTSkip("set SMILE_DATA to the data folder to run this test")
        }
        setOpenCVThreadCount(1)  // OpenCV's raw windows come out in scan order only on one thread
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        var parameters = HaarCascade.Parameters()
        parameters.minNeighbours = 0
        for (clip, frames) in [("hamilton_clip.mp4", Set([0, 60, 100, 200])), ("facenet_group.mp4", Set([10, 50]))] {
            let reader = try VideoReader(path: data + "/video/" + clip)
            while let frame = try reader.next(), frame.index <= frames.max()! {
                guard frames.contains(frame.index) else { continue }
                let gray = frame.image.grayscale()
                try cascade.setScanEngine(.opencv)
                let reference = try cascade.detect(in: gray, parameters: parameters).map(\.rect)
                try cascade.setScanEngine(.smile)
                let ours = try cascade.detect(in: gray, parameters: parameters).map(\.rect)
                XCTAssertGreaterThan(reference.count, 5, "\(clip) frame \(frame.index) should give raw windows")
                XCTAssertEqual(ours, reference, "\(clip) frame \(frame.index)")
            }
        }
    }
}
