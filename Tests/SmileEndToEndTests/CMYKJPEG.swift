import Foundation

/// Writes a CMYK JPEG, which OpenCV cannot: with Python's PIL (Debian `python3-pil`, which `.ci/run`
/// installs) or else ImageMagick's `convert`.
enum CMYKJPEG {
    /// The ink of every pixel: C, M, Y, K = 0, 128, 255, 30 of 255, an orange.
    static let ink = (c: 0, m: 128, y: 255, k: 30)

    /// The writers tried in turn: a name and the command writing a 96x64 file of `ink` to the path appended.
    static let writers: [(name: String, command: [String])] = [
        ("python3-pil", ["/usr/bin/python3", "-c",
                         "import sys; from PIL import Image; Image.new('CMYK', (96, 64), (\(ink.c), \(ink.m), \(ink.y), \(ink.k))).save(sys.argv[1], quality=95)"]),
        ("imagemagick", ["/usr/bin/convert", "-size", "96x64",
                         "xc:cmyk(\(ink.c),\(ink.m),\(ink.y),\(ink.k))", "-colorspace", "CMYK", "-quality", "95"]),
    ]

    /// Writes the file with the first writer that works; returns that writer's name, or nil when none does.
    static func write(to url: URL) -> String? {
        for writer in writers where FileManager.default.isExecutableFile(atPath: writer.command[0]) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: writer.command[0])
            process.arguments = Array(writer.command.dropFirst()) + [url.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            if process.terminationStatus == 0, isCMYK(url) { return writer.name }
        }
        return nil
    }

    /// Whether `url` is a JPEG whose frame header (SOF0/1/2) declares 4 components.
    static func isCMYK(_ url: URL) -> Bool {
        guard let bytes = try? [UInt8](Data(contentsOf: url)), bytes.starts(with: [0xFF, 0xD8]) else { return false }
        var i = 2
        while i + 9 < bytes.count, bytes[i] == 0xFF {
            let marker = bytes[i + 1], length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            if (0xC0...0xC2).contains(marker) { return bytes[i + 9] == 4 }
            i += 2 + length
        }
        return false
    }
}
