import SmileVision
import XCTest
@testable import SmileKit

/// The extra passes on the sample photo turned and shrunk by the test: found with them, missed without.
final class MultiPassDetectionTests: XCTestCase {
    /// The astronaut's face in samples/astronaut.jpg (the frontal cascade's box).
    private let astronautFace = Rect(x: 177, y: 67, width: 93, height: 93)

    private func detector(_ configure: (inout FaceDetector.Settings) -> Void = { _ in }) throws -> FaceDetector {
        var settings = FaceDetector.Settings()
        configure(&settings)
        return try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: settings)
    }

    /// The astronaut turned by `degrees` (counter-clockwise) about its face centre, in the middle of an 800x800
    /// canvas; returns the image and where the face centre went.
    private func turnedAstronaut(_ degrees: Double) throws -> (Image, (x: Double, y: Double)) {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let centre = (x: Double(astronautFace.x) + 46, y: Double(astronautFace.y) + 46)
        let m = Image.rotationMatrix(center: centre, degrees: degrees, dx: 400 - centre.x, dy: 400 - centre.y)
        return (photo.warpedAffine(m, width: 800, height: 800), (400, 400))
    }

    private func centre(_ r: Rect) -> (x: Double, y: Double) { (Double(r.x) + Double(r.width) / 2, Double(r.y) + Double(r.height) / 2) }

    /// Faces whose centre is within 25 px of `point`.
    private func faces(_ faces: [DetectedFace], near point: (x: Double, y: Double)) -> [DetectedFace] {
        faces.filter { hypot(centre($0.box).x - point.x, centre($0.box).y - point.y) < 25 }
    }

    func testTurnedFacesAreFoundOnlyByTheRotatedPassesWithAboutTheRightAngle() throws {
        let plain = try detector()
        let rotated = try detector { $0.angles = [-40, -20, 20, 40] }
        for tilt in [30.0, 45.0, -30.0] {
            let (image, face) = try turnedAstronaut(tilt)
            XCTAssertTrue(faces(try plain.detectFaces(in: image), near: face).isEmpty, "plain pass misses the face turned by \(tilt)")
            let found = faces(try rotated.detectFaces(in: image), near: face)
            XCTAssertEqual(found.count, 1, "rotated passes find the face turned by \(tilt) once: \(found)")
            guard let f = found.first else { continue }
            XCTAssertEqual(f.angle, tilt, accuracy: 12, "angle of the face turned by \(tilt)")
            XCTAssertEqual(Double(f.box.width), 93, accuracy: 20)

            // The upright crop shows a frontal face the plain detector finds, upright.
            let crop = DetectionGeometry.uprightCrop(image, rect: CropFraming(margin: 0.5).cropRect(around: f.box),
                                                     angle: f.angle, width: 200, height: 200)
            let inCrop = try plain.detectFaces(in: crop)
            XCTAssertEqual(inCrop.count, 1, "a frontal face in the de-rotated crop (tilt \(tilt))")
            if let c = inCrop.first { XCTAssertEqual(centre(c.box).x, 100, accuracy: 15); XCTAssertEqual(centre(c.box).y, 100, accuracy: 15) }
        }
    }

    func testUprightFaceKeepsAngleZeroWithRotatedPasses() throws {
        let image = try ImageCodec.decode(file: Fixtures.astronaut)
        let found = try detector { $0.angles = [-40, -20, 20, 40]; $0.profile = true }.detectFaces(in: image)
        let face = faces(found, near: centre(astronautFace))
        XCTAssertEqual(face.count, 1, "\(found)")
        XCTAssertEqual(face.first?.angle, 0)
    }

    /// The astronaut shrunk (area averaging, as a camera would) so its face box is about `side` px, pasted on
    /// a black 400x300 canvas at (150, 100).
    private func smallAstronaut(faceSide side: Double) throws -> (Image, Rect) {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let f = side / 93
        let small = photo.resized(width: Int(512 * f), height: Int(512 * f))
        var image = Image(width: 400, height: 300, channels: 3)
        for y in 0..<small.height { for x in 0..<small.width { for c in 0..<3 { image[150 + x, 100 + y, c] = small[x, y, c] } } }
        let face = Rect(x: Int(150 + 177 * f), y: Int(100 + 67 * f), width: Int(side), height: Int(side))
        return (image, face)
    }

    func testSmallFacesAreFoundOnlyByTheUpsampledPass() throws {
        let plain = try detector()
        let upsampled = try detector { $0.upsample = 2 }
        // On this photo the plain pass still finds face boxes of 24 px and more (its window is 24 px);
        // below that only the upsampled pass can.
        for side in [16.0, 18.0, 20.0] {
            let (image, face) = try smallAstronaut(faceSide: side)
            XCTAssertFalse(try plain.detect(in: image).contains { $0.intersectionOverUnion(face) >= 0.5 }, "plain misses the \(side) px face")
            let found = try upsampled.detect(in: image)
            XCTAssertTrue(found.contains { $0.intersectionOverUnion(face) >= 0.5 }, "upsampled finds the \(side) px face: \(found)")
        }
        // A minimum face below the cascade's window turns the upsampled pass on by itself.
        let (image, face) = try smallAstronaut(faceSide: 18)
        XCTAssertTrue(try detector { $0.minFaceSize = 12 }.detect(in: image).contains { $0.intersectionOverUnion(face) >= 0.5 })
        XCTAssertTrue(try detector { $0.minFaceFraction = 0.05 }.detect(in: image).contains { $0.intersectionOverUnion(face) >= 0.5 })
    }

    func testDefaultSettingsKeepTheOriginalSinglePass() throws {
        let image = try ImageCodec.decode(file: Fixtures.astronaut)
        let cascade = try HaarCascade(path: Fixtures.frontalCascade())
        let raw = try cascade.detect(in: image.grayscale()).map(\.rect).sorted { $0.area > $1.area }
        XCTAssertEqual(try detector().detect(in: image), raw)
        XCTAssertTrue(try detector().detectFaces(in: image).allSatisfy { $0.angle == 0 && $0.pass == .frontal })
    }

    func testEyeCheckKeepsTheAstronaut() throws {
        let image = try ImageCodec.decode(file: Fixtures.astronaut)
        let (turned, centre) = try turnedAstronaut(30)
        let checked = try detector { $0.eyeCheck = true; $0.angles = [20, 40] }
        XCTAssertTrue(try checked.detect(in: image).contains { $0.intersectionOverUnion(astronautFace) > 0.7 })
        XCTAssertEqual(faces(try checked.detectFaces(in: turned), near: centre).count, 1, "eye found in the de-rotated face")
        // A blank image region called a face has no eye.
        let blank = Image(width: 200, height: 200, channels: 1)
        XCTAssertFalse(try FaceDetector.hasEye(DetectedFace(box: Rect(x: 50, y: 50, width: 100, height: 100)), in: blank,
                                                eyeCascade: HaarCascade(path: CascadeLocator.locate(CascadeLocator.eye))))
    }
}
