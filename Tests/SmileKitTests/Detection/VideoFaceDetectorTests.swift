import SmileVision
import XCTest
@testable import SmileKit

/// The video detector on a clip made by the test: the sample photo sliding across a 640x360 frame.
final class VideoFaceDetectorTests: XCTestCase {
    /// Frame `index` of the clip: the photo shifted right by 3 px per frame, or an empty frame.
    private func frame(_ index: Int, photo: Image, empty: Bool = false) -> Image {
        guard !empty else { return Image(width: 640, height: 360, channels: 3, filledWith: 40) }
        return photo.warpedAffine([1, 0, Double(3 * index) - 60, 0, 1, -20], width: 640, height: 360)
    }

    /// Pushes every frame, then flushes; checks each frame comes back once, in order.
    private func run(_ detector: VideoFaceDetector, _ frames: [Image]) throws -> [[DetectedFace]] {
        var out: [[DetectedFace]] = []
        for (index, image) in frames.enumerated() { out += try detector.push(image, frame: index) }
        out += detector.flush()
        XCTAssertEqual(out.count, frames.count, "every frame comes back once")
        return out
    }

    private func makeDetector(every interval: Int) throws -> VideoFaceDetector {
        var settings = VideoFaceDetector.Settings()
        settings.fullPassInterval = interval
        return VideoFaceDetector(detector: try FaceDetector(cascadePath: Fixtures.frontalCascade()), settings: settings)
    }

    func testLocalSearchFindsTheFacesOfAFullPassOnEveryFrame() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let frames = (0..<12).map { frame($0, photo: photo) }
        let reference = try run(try makeDetector(every: 1), frames)
        let fast = try makeDetector(every: 4)
        let found = try run(fast, frames)
        XCTAssertEqual(fast.fullPasses, 3, "full passes at frames 0, 4 and 8")
        XCTAssertGreaterThan(fast.localSearches, 0)
        for (index, (full, quick)) in zip(reference, found).enumerated() {
            XCTAssertEqual(full.count, 1, "the full pass finds the face in frame \(index)")
            XCTAssertEqual(quick.count, full.count, "frame \(index): \(quick) vs \(full)")
            if let a = full.first, let b = quick.first {
                XCTAssertGreaterThanOrEqual(a.box.intersectionOverUnion(b.box), 0.5, "frame \(index): \(b.box) vs \(a.box)")
            }
        }
    }

    func testAFaceAppearingBetweenFullPassesIsFollowedBack() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        // Empty until frame 2; full passes at 0 and 4: frames 2 and 3 get the face only by backfilling from frame 4.
        let frames = (0..<6).map { frame($0, photo: photo, empty: $0 < 2) }
        let found = try run(try makeDetector(every: 4), frames)
        XCTAssertEqual(found.map(\.count), [0, 0, 1, 1, 1, 1])
    }

    func testAFaceMissingForAFrameIsSearchedForAgain() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        // The face vanishes in frame 2 only; frames 3-5 have no full pass (interval 8) yet find it again.
        let frames = (0..<6).map { frame($0, photo: photo, empty: $0 == 2) }
        let found = try run(try makeDetector(every: 8), frames)
        XCTAssertEqual(found.map(\.count), [1, 1, 0, 1, 1, 1])
    }

    /// A full pass's weak cluster (a face short of `minNeighbours` windows) is searched around in the
    /// frame after it, where a full pass would find the face: without candidates that face is missed.
    func testACandidateOfAFullPassIsSearchedAroundUntilTheNext() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let frames = (0..<12).map { frame($0, photo: photo) }
        // The face's raw windows per frame (the cluster's size with 1 neighbour).
        var counting = FaceDetector.Settings()
        counting.minNeighbours = 1
        let counter = try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: counting)
        let windows = try frames.map { try counter.detectFaces(in: $0).map(\.neighbours).max() ?? 0 }
        // Two frames where the second has the larger cluster: the first's is a candidate at a threshold between.
        let pairs = frames.indices.flatMap { a in frames.indices.map { (a, $0) } }
        guard let (weak, strong) = pairs.filter({ windows[$0.0] >= 2 && windows[$0.0] < windows[$0.1] })
            .min(by: { abs($0.0 - $0.1) < abs($1.0 - $1.1) }) else { return XCTFail("cluster sizes all equal: \(windows)") }
        var settings = FaceDetector.Settings()
        settings.minNeighbours = windows[weak]
        let clip = [frames[weak], frames[strong]]
        func found(candidates: Int?) throws -> [[DetectedFace]] {
            var video = VideoFaceDetector.Settings()
            video.fullPassInterval = 2
            video.candidateNeighbours = candidates
            // A wide search around the candidate: this test is about the candidate being searched at all.
            video.candidateMargin = 1
            video.candidateSizeTolerance = 2
            let detector = try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: settings)
            return try run(VideoFaceDetector(detector: detector, settings: video), clip)
        }
        let reference = try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: settings)
        XCTAssertEqual(try clip.map { try reference.detectFaces(in: $0).count }, [0, 1], "windows \(windows), frames \(weak), \(strong)")
        XCTAssertEqual(try found(candidates: 1).map(\.count), [0, 1], "the candidate of frame 0 is searched in frame 1")
        XCTAssertEqual(try found(candidates: 0).map(\.count), [0, 1], "every cluster is a candidate at 0")
        XCTAssertEqual(try found(candidates: nil).map(\.count), [0, 0], "without candidates frame 1 has nothing to search around")
    }

    /// The faces of the candidate-giving pass are those of the plain one; candidates overlap no face.
    func testCandidatesComeFromTheSameScanAsTheFaces() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let detector = try FaceDetector(cascadePath: Fixtures.frontalCascade())
        var loose = FaceDetector.Settings()
        loose.minNeighbours = 1
        let looser = try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: loose)
        for image in [photo, frame(5, photo: photo), photo.warpedAffine([1, 0, -150, 0, 1, -60], width: 300, height: 200),
                      photo.resized(width: 1800, height: 1800)] {
            let (faces, candidates) = try detector.detectFaces(in: image, candidateNeighbours: 1)
            XCTAssertEqual(faces, try detector.detectFaces(in: image))
            let expected = try looser.detectFaces(in: image).filter { c in !faces.contains { $0.box.intersectionOverUnion(c.box) >= 0.3 } }
            XCTAssertEqual(candidates, expected)
        }
    }

    func testIntervalOneIsThePlainDetector() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let frames = (0..<3).map { frame($0, photo: photo) }
        let plain = try FaceDetector(cascadePath: Fixtures.frontalCascade())
        let video = try makeDetector(every: 1)
        let found = try run(video, frames)
        XCTAssertEqual(found, try frames.map { try plain.detectFaces(in: $0) })
        XCTAssertEqual(video.localSearches, 0)
    }
}
