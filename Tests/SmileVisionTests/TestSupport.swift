import Foundation
import XCTest
@testable import SmileVision

/// Paths and builders shared by the SmileVision tests.
enum TestSupport {
    /// The project root, found from this file's location.
    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `samples/astronaut.jpg`.
    static var astronautPath: String { projectRoot.appendingPathComponent("samples/astronaut.jpg").path }

    /// A fresh temporary folder, removed when the test ends.
    static func tempDir(_ test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("smile-vision-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// A deterministic pseudo-random image.
    static func noise(width: Int, height: Int, channels: Int, seed: UInt64 = 42) -> Image {
        var state = seed
        let pixels = (0..<width * height * channels).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// A smooth gradient image (compresses well as JPEG).
    static func gradient(width: Int, height: Int, channels: Int) -> Image {
        var img = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    img[x, y, c] = UInt8(x * 150 / max(width - 1, 1) + y * 60 / max(height - 1, 1) + c * 20)
                }
            }
        }
        return img
    }

    /// CRC-32 (ISO-HDLC, as PNG uses).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Big-endian bytes of a 32-bit value.
    static func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    /// An APP1 Exif segment holding only Orientation = `value`, its TIFF block big-endian ("MM")
    /// or little-endian ("II").
    static func exifSegment(orientation value: UInt16, littleEndian: Bool = false) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] { littleEndian ? u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) : u16(UInt16(v >> 16)) + u16(UInt16(v & 0xFFFF)) }
        var tiff: [UInt8] = (littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]) + u16(42) + u32(8)  // byte order, 42, IFD at 8
        tiff += u16(1)                                                                          // one entry
        tiff += u16(0x0112) + u16(3) + u32(1) + u16(value) + [0, 0]                             // Orientation, SHORT, count 1
        tiff += u32(0)                                                                          // no next IFD
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    /// A PNG chunk with its length and CRC.
    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return be32(UInt32(data.count)) + typeBytes + data + be32(crc32(typeBytes + data))
    }

    /// A tiny PNG whose header declares `width` x `height` (the pixel data is not there).
    static func bombPNG(width: UInt32, height: UInt32) -> [UInt8] {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let ihdr = be32(width) + be32(height) + [8, 2, 0, 0, 0]  // 8-bit RGB
        let idat: [UInt8] = [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]  // a few zlib bytes
        return signature + pngChunk("IHDR", ihdr) + pngChunk("IDAT", idat) + pngChunk("IEND", [])
    }

    /// Writes bytes to `name` in `dir`.
    static func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Largest absolute difference between two same-shape images.
    static func maxDiff(_ a: Image, _ b: Image) -> Int {
        precondition(a.pixels.count == b.pixels.count)
        return zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    /// Mean absolute difference between two same-shape images.
    static func meanDiff(_ a: Image, _ b: Image) -> Double {
        Double(zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(a.pixels.count)
    }
}
