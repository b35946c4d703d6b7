import Foundation
import XCTest
@testable import SmileVision

/// Our JPEG and PNG codecs (libjpeg and libpng driven directly) against OpenCV's imdecode and
/// imencode, the reference: the same pixels for every PNG colour type and bit depth, JPEGs of
/// several kinds and every EXIF orientation, and the same JPEG bytes when encoding.
final class ImageCodecParityTests: XCTestCase {
    /// Decodes `bytes` both ways, in colour and in gray, and asserts the same images.
    static func assertSameAsOpenCV(_ bytes: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for gray in [false, true] {
            let ours = try ImageCodec.decode(data: bytes, gray: gray)
            let reference = try ImageCodec.decodeWithOpenCV(data: bytes, gray: gray)
            XCTAssertEqual([ours.width, ours.height, ours.channels], [reference.width, reference.height, reference.channels],
                           "\(what) (gray \(gray)): size", file: file, line: line)
            if ours.pixels == reference.pixels { continue }
            let differing = zip(ours.pixels, reference.pixels).filter { $0 != $1 }.count
            XCTAssertEqual(differing, 0, "\(what) (gray \(gray)): \(differing) bytes differ from OpenCV's", file: file, line: line)
        }
    }

    // MARK: PNG

    /// A PNG with these header fields and scanlines (no filtering), its data in stored zlib blocks.
    private func png(width: Int, height: Int, depth: UInt8, colourType: UInt8, rows: [[UInt8]],
                     palette: [UInt8]? = nil, transparency: [UInt8]? = nil) -> [UInt8] {
        let raw: [UInt8] = rows.flatMap { row -> [UInt8] in [0] + row }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, raw.count - offset)
            let last: UInt8 = offset + count == raw.count ? 1 : 0
            let length = UInt16(count), complement = ~UInt16(count)
            let header: [UInt8] = [last, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(complement & 0xFF), UInt8(complement >> 8)]
            zlib += header
            zlib += Array(raw[offset..<offset + count])
            offset += count
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        zlib += TestSupport.be32(b << 16 | a)
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += TestSupport.pngChunk("IHDR", TestSupport.be32(UInt32(width)) + TestSupport.be32(UInt32(height)) + [depth, colourType, 0, 0, 0])
        if let palette { bytes += TestSupport.pngChunk("PLTE", palette) }
        if let transparency { bytes += TestSupport.pngChunk("tRNS", transparency) }
        bytes += TestSupport.pngChunk("IDAT", zlib) + TestSupport.pngChunk("IEND", [])
        return bytes
    }

    /// Deterministic pseudo-random bytes.
    private func bytes(_ count: Int, seed: UInt64, below limit: Int = 256) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(Int(state >> 33) % limit)
        }
    }

    /// Packs sample values of `depth` bits (below 8) into bytes, most significant first.
    private func packed(_ samples: [UInt8], depth: Int) -> [UInt8] {
        var out: [UInt8] = []
        var current = 0, bits = 0
        for s in samples {
            current = current << depth | Int(s)
            bits += depth
            if bits == 8 {
                out.append(UInt8(current))
                current = 0
                bits = 0
            }
        }
        if bits > 0 { out.append(UInt8(current << (8 - bits))) }
        return out
    }

    func testEveryPNGColourTypeAndDepthDecodesAsOpenCVDecodesIt() throws {
        let width = 13, height = 7
        let channelsOf: [UInt8: Int] = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4]
        let cases: [(type: UInt8, depth: Int, transparent: Bool)] = [
            (0, 1, false), (0, 2, false), (0, 4, false), (0, 8, false), (0, 16, false), (0, 8, true),
            (2, 8, false), (2, 16, false), (2, 8, true),
            (3, 1, false), (3, 2, false), (3, 4, false), (3, 8, false), (3, 8, true),
            (4, 8, false), (4, 16, false), (6, 8, false), (6, 16, false),
        ]
        for (index, c) in cases.enumerated() {
            let samplesPerRow = width * channelsOf[c.type]!
            let entries = c.type == 3 ? 1 << min(c.depth, 8) : 0
            let rows: [[UInt8]] = (0..<height).map { y in
                let seed = UInt64(index * 100 + y)
                if c.depth < 8 { return packed(bytes(samplesPerRow, seed: seed, below: c.type == 3 ? entries : 1 << c.depth), depth: c.depth) }
                if c.type == 3 { return bytes(samplesPerRow, seed: seed, below: entries) }
                return bytes(samplesPerRow * c.depth / 8, seed: seed)
            }
            let palette = c.type == 3 ? bytes(3 * entries, seed: 7) : nil
            var transparency: [UInt8]?
            if c.transparent {
                switch c.type {
                case 0: transparency = [0, rows[0][1]]
                case 2: transparency = [0, rows[0][0], 0, rows[0][1], 0, rows[0][2]]
                default: transparency = bytes(entries / 2, seed: 9)
                }
            }
            let file = png(width: width, height: height, depth: UInt8(c.depth), colourType: c.type, rows: rows,
                           palette: palette, transparency: transparency)
            try Self.assertSameAsOpenCV(file, "PNG type \(c.type), \(c.depth) bits\(c.transparent ? ", tRNS" : "")")
        }
    }

    // MARK: JPEG

    func testJPEGsDecodeAsOpenCVDecodesThem() throws {
        let astronaut = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestSupport.astronautPath)))
        try Self.assertSameAsOpenCV(astronaut, "samples/astronaut.jpg")
        let photo = try ImageCodec.decode(data: astronaut)
        for quality in [95, 60, 20] {
            try Self.assertSameAsOpenCV(try ImageCodec.encode(photo, as: .jpeg(quality: quality)), "colour JPEG q\(quality)")
            try Self.assertSameAsOpenCV(try ImageCodec.encode(photo.grayscale(), as: .jpeg(quality: quality)), "gray JPEG q\(quality)")
        }
        // Odd sizes (partial blocks and chroma subsampling at the edges), and every EXIF orientation.
        let odd = try ImageCodec.encode(TestSupport.noise(width: 37, height: 23, channels: 3), as: .jpeg(quality: 90))
        for orientation in UInt16(1)...8 {
            let tagged = Array(odd.prefix(2)) + TestSupport.exifSegment(orientation: orientation, littleEndian: true) + Array(odd.dropFirst(2))
            try Self.assertSameAsOpenCV(tagged, "37x23 JPEG, EXIF orientation \(orientation)")
        }
    }

    /// CMYK and progressive JPEGs, which only other writers make: Python's PIL (Debian `python3-pil`,
    /// which `.ci/run` installs) writes random pixels in each.
    func testCMYKAndProgressiveJPEGsDecodeAsOpenCVDecodesThem() throws {
        let python = "/usr/bin/python3"
        let dir = try TestSupport.tempDir(self)
        let script = """
            import random, sys
            from PIL import Image
            random.seed(1)
            image = Image.new('CMYK', (41, 29))
            image.putdata([tuple(random.randrange(256) for _ in range(4)) for _ in range(41 * 29)])
            image.save(sys.argv[1] + '/cmyk.jpg', quality=90)
            image.convert('RGB').save(sys.argv[1] + '/progressive.jpg', quality=85, progressive=True)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, dir.path]
        process.standardError = FileHandle.nullDevice
        guard FileManager.default.isExecutableFile(atPath: python), (try? process.run()) != nil else {
            throw XCTSkip("no \(python) to write CMYK and progressive JPEGs with")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("python3-pil is not installed (.ci/run installs it)") }
        for name in ["cmyk.jpg", "progressive.jpg"] {
            let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
            try Self.assertSameAsOpenCV(bytes, name)
        }
    }

    func testJPEGEncodingGivesOpenCVsBytes() throws {
        let photo = try ImageCodec.decode(file: TestSupport.astronautPath)
        for image in [photo, photo.grayscale(), TestSupport.noise(width: 37, height: 23, channels: 3)] {
            for quality in [95, 50] {
                let ours = try ImageCodec.encode(image, as: .jpeg(quality: quality))
                let reference = try ImageCodec.encodeWithOpenCV(image, as: .jpeg(quality: quality))
                XCTAssertEqual(ours, reference, "\(image.width)x\(image.height)x\(image.channels) at quality \(quality)")
            }
        }
    }

    func testPNGEncodingIsLosslessAndOpenCVReadsIt() throws {
        for image in [TestSupport.noise(width: 37, height: 23, channels: 3), TestSupport.noise(width: 37, height: 23, channels: 1)] {
            let bytes = try ImageCodec.encode(image, as: .png)
            XCTAssertEqual(try ImageCodec.decodeWithOpenCV(data: bytes, gray: image.channels == 1).pixels, image.pixels)
            XCTAssertEqual(try ImageCodec.decode(data: bytes, gray: image.channels == 1).pixels, image.pixels)
        }
    }

    // MARK: Other formats

    func testOtherFormatsStillDecodeThroughOpenCV() throws {
        // A 3x2 24-bit BMP (bottom-up rows of BGR, padded to 4 bytes).
        let pixels: [[UInt8]] = [[10, 20, 30, 40, 50, 60, 70, 80, 90], [15, 25, 35, 45, 55, 65, 75, 85, 95]]  // top row first
        let rowBytes = 12
        let imageBytes = rowBytes * 2
        func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        var bmp: [UInt8] = Array("BM".utf8) + le32(54 + imageBytes) + [0, 0, 0, 0] + le32(54)
        bmp += le32(40) + le32(3) + le32(2) + [1, 0, 24, 0] + le32(0) + le32(imageBytes) + le32(2835) + le32(2835) + le32(0) + le32(0)
        for row in pixels.reversed() { bmp += row + [0, 0, 0] }
        let image = try ImageCodec.decode(data: bmp)
        XCTAssertEqual([image.width, image.height, image.channels], [3, 2, 3])
        XCTAssertEqual(image.pixels, pixels.flatMap { $0 })
    }
}
