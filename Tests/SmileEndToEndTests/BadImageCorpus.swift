import Foundation
import SmileVision

/// Builds a directory of damaged, odd and hostile image files next to good photos.
///
/// Every kind the corpus holds is listed in `Kind`, with whether `smile` must process it
/// (a good or merely unusual image) or name it on stderr as bad.
enum BadImageCorpus {
    /// One file of the corpus: its name, its bytes, and whether it must be processed.
    struct Entry {
        var name: String
        var bytes: [UInt8]
        var isGood: Bool
    }

    /// Good photos (copies of the sample) whose names need CSV quoting or are not ASCII.
    static let oddNames = ["with space.jpg", "comma, in name.jpg", "quote \"q\".jpg", "new\nline.jpg", "ñandú café.jpg"]

    /// The corpus entries (all but the symlink loop, made by `write`).
    static func entries() throws -> [Entry] {
        let astronaut = try [UInt8](Data(contentsOf: URL(fileURLWithPath: EndToEnd.astronaut)))
        let photo = try ImageCodec.decode(file: EndToEnd.astronaut)
        let jpeg = try ImageCodec.encode(photo, as: .jpeg(quality: 90))
        let png = try ImageCodec.encode(photo.resized(width: 128, height: 128), as: .png)
        var entries = oddNames.map { Entry(name: $0, bytes: astronaut, isGood: true) }
        entries += [
            Entry(name: "good.jpg", bytes: astronaut, isGood: true),
            Entry(name: "zero-bytes.jpg", bytes: [], isGood: false),
            Entry(name: "truncated.jpg", bytes: Array(jpeg.prefix(jpeg.count / 3)), isGood: false),
            Entry(name: "truncated.png", bytes: Array(png.prefix(png.count / 2)), isGood: false),
            Entry(name: "random-bytes.jpg", bytes: (0..<4096).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761) >> 13) }, isGood: false),
            Entry(name: "text.jpg", bytes: Array("This is a shopping list, not a photo.\n".utf8), isGood: false),
            Entry(name: "one-pixel.png", bytes: try ImageCodec.encode(Image(width: 1, height: 1, channels: 3), as: .png), isGood: true),
            Entry(name: "two-by-two.jpg", bytes: try ImageCodec.encode(Image(width: 2, height: 2, channels: 3), as: .jpeg(quality: 90)), isGood: true),
            Entry(name: "sixteen-bit.png", bytes: PNGBytes.gradient(width: 64, height: 48, bitDepth: 16, colourType: 2), isGood: true),
            Entry(name: "alpha.png", bytes: PNGBytes.gradient(width: 64, height: 48, bitDepth: 8, colourType: 6), isGood: true),
            Entry(name: "gray.jpg", bytes: try ImageCodec.encode(photo.grayscale(), as: .jpeg(quality: 90)), isGood: true),
            Entry(name: "tiny.webp", bytes: webp1x1, isGood: true),
            Entry(name: "bomb.png", bytes: PNGBytes.headerOnly(width: 100_000, height: 100_000), isGood: false),
        ]
        return entries
    }

    /// A 1x1 lossless WebP.
    static let webp1x1: [UInt8] = Array("RIFF".utf8) + [0x1A, 0, 0, 0] + Array("WEBPVP8L".utf8) + [0x0D, 0, 0, 0, 0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0x00]

    /// A 1x1 GIF (OpenCV 4.6 has no GIF reader, so `smile` must name it as unsupported).
    static let gif1x1: [UInt8] = Array("GIF89a".utf8) + [1, 0, 1, 0, 0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x21, 0xF9, 4, 1, 0, 0, 0, 0,
                                                          0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B]

    /// Writes the corpus into `directory` plus a symlink loop (`loop` -> the directory itself);
    /// returns the entries written.
    static func write(into directory: URL) throws -> [Entry] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let all = try entries()
        for entry in all { try Data(entry.bytes).write(to: directory.appendingPathComponent(entry.name)) }
        let sub = directory.appendingPathComponent("nested")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: sub.appendingPathComponent("loop").path, withDestinationPath: "..")
        return all
    }

    /// Every regular file under `directory` with its bytes (to prove a run changed nothing).
    static func snapshot(_ directory: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[name] = try Data(contentsOf: url)
            }
        }
        return result
    }
}

/// Minimal PNG files written byte by byte (stored, uncompressed zlib blocks), for the
/// variants OpenCV's encoder does not produce: 16-bit samples and lying headers.
enum PNGBytes {
    /// A gradient PNG with `bitDepth` 8 or 16 and colour type 0 (gray), 2 (RGB) or 6 (RGBA).
    static func gradient(width: Int, height: Int, bitDepth: UInt8, colourType: UInt8) -> [UInt8] {
        let channels = [0: 1, 2: 3, 6: 4][Int(colourType)]!, bytesPerSample = Int(bitDepth) / 8
        var raw: [UInt8] = []
        for y in 0..<height {
            raw.append(0)  // filter: none
            for x in 0..<width {
                for c in 0..<channels {
                    let value = c == 3 ? 65535 - x * 900 : (x * 1000 + y * 300 + c * 5000) % 65536
                    raw += bytesPerSample == 2 ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value >> 8)]
                }
            }
        }
        return signature + chunk("IHDR", be32(width) + be32(height) + [bitDepth, colourType, 0, 0, 0])
            + chunk("IDAT", storedZlib(raw)) + chunk("IEND", [])
    }

    /// A PNG whose header declares `width` x `height` RGB pixels, followed by a few zlib bytes only.
    static func headerOnly(width: Int, height: Int) -> [UInt8] {
        signature + chunk("IHDR", be32(width) + be32(height) + [8, 2, 0, 0, 0])
            + chunk("IDAT", storedZlib([0, 0, 0, 0])) + chunk("IEND", [])
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in body {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return be32(data.count) + body + be32(Int(~crc))
    }

    /// `data` as a zlib stream of stored (uncompressed) deflate blocks.
    static func storedZlib(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let count = min(65535, data.count - start), last: UInt8 = start + count == data.count ? 1 : 0
            out += [last, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[start..<start + count]
            start += count
        } while start < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + be32(Int(b << 16 | a))
    }
}
