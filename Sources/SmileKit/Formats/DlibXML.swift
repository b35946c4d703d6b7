import Foundation
import SmileVision
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One image of a dlib imglab dataset and its face boxes.
public struct DlibImageBoxes: Hashable, Sendable {
    /// Image path, resolved against the XML file's directory (absolute paths kept).
    public var file: String
    /// Boxes not marked `ignore='1'`, in file order.
    public var boxes: [Rect]

    /// Creates an entry.
    public init(file: String, boxes: [Rect]) {
        self.file = file
        self.boxes = boxes
    }
}

/// Errors reading a dlib imglab XML file.
public struct DlibXMLError: Error, CustomStringConvertible, Equatable {
    /// The file (or "<data>" for in-memory XML).
    public var file: String
    /// Line number, 0 when unknown.
    public var line: Int
    /// What went wrong.
    public var reason: String

    /// `file:line: reason`.
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}

/// Reader for dlib's imglab XML (`<dataset><images><image file=…><box top left width height/>…`).
///
/// Attributes may come in any order; boxes with `ignore='1'` are skipped;
/// child elements of `<box>` (`<label>`, `<part>`) and unknown elements are
/// ignored. Images with no boxes are kept with an empty list.
public enum DlibXML {
    /// Parses the XML file at `url`, resolving image paths against its directory.
    public static func parse(contentsOf url: URL) throws -> [DlibImageBoxes] {
        let data: Data
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DlibXMLError(file: url.path, line: 0, reason: "no such file")
        }
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DlibXMLError(file: url.path, line: 0, reason: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data: data, baseDirectory: url.deletingLastPathComponent(), sourceName: url.path)
    }

    /// Parses XML `data`, resolving relative image paths against `baseDirectory`.
    public static func parse(data: Data, baseDirectory: URL, sourceName: String = "<data>") throws -> [DlibImageBoxes] {
        let parser = XMLParser(data: data)
        let delegate = Delegate(baseDirectory: baseDirectory, sourceName: sourceName)
        parser.delegate = delegate
        let ok = parser.parse()
        if let error = delegate.error { throw error }
        if !ok {
            let reason = parser.parserError.map { "malformed XML: \($0.localizedDescription)" } ?? "malformed XML"
            throw DlibXMLError(file: sourceName, line: parser.lineNumber, reason: reason)
        }
        if delegate.depth != 0 {
            throw DlibXMLError(file: sourceName, line: parser.lineNumber, reason: "malformed XML: unexpected end of file")
        }
        return delegate.images
    }

    /// Resolves `file` against `base` unless it is absolute.
    static func resolve(_ file: String, against base: URL) -> String {
        if file.hasPrefix("/") { return file }
        return base.appendingPathComponent(file).standardizedFileURL.path
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        let baseDirectory: URL
        let sourceName: String
        var images: [DlibImageBoxes] = []
        var inImage = false
        /// Open elements; non-zero after parsing means the document was cut short.
        var depth = 0
        var error: DlibXMLError?

        init(baseDirectory: URL, sourceName: String) {
            self.baseDirectory = baseDirectory
            self.sourceName = sourceName
        }

        func fail(_ parser: XMLParser, _ reason: String) {
            if error == nil { error = DlibXMLError(file: sourceName, line: parser.lineNumber, reason: reason) }
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes: [String: String] = [:]) {
            depth += 1
            switch elementName {
            case "image":
                guard let file = attributes["file"], !file.isEmpty else {
                    return fail(parser, "<image> without a file attribute")
                }
                images.append(DlibImageBoxes(file: DlibXML.resolve(file, against: baseDirectory), boxes: []))
                inImage = true
            case "box":
                guard inImage, !images.isEmpty else { return fail(parser, "<box> outside <image>") }
                if let ignore = attributes["ignore"]?.trimmingCharacters(in: .whitespaces),
                   ignore != "0", !ignore.isEmpty {
                    return
                }
                var values: [String: Int] = [:]
                for key in ["left", "top", "width", "height"] {
                    guard let text = attributes[key] else { return fail(parser, "<box> without \(key)") }
                    guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else {
                        return fail(parser, "<box> \(key)='\(text)' is not an integer")
                    }
                    values[key] = v
                }
                images[images.count - 1].boxes.append(
                    Rect(x: values["left"]!, y: values["top"]!, width: values["width"]!, height: values["height"]!))
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?) {
            depth -= 1
            if elementName == "image" { inImage = false }
        }
    }
}
