import SmileVision
import Foundation

/// The faces table of `smile annotate`: `image,face,x,y,w,h,p_smile,smiling,angle`, one row per face.
///
/// A photo with no face gets one row with the face columns empty, so every processed photo
/// appears (which is also how `--resume` knows a photo is done). `angle` is the face's tilt in
/// degrees (counter-clockwise positive, 0 upright; `--angles` finds tilted faces); it comes last so
/// the older columns keep their positions. With YuNet (`--detector yunet`) the detector's score and
/// the five landmarks follow (`landmarkColumns`); the Haar cascade's table keeps its columns.
public enum FacesTable {
    /// The column names, in order.
    public static let columns = ["image", "face", "x", "y", "w", "h", "p_smile", "smiling", "angle"]
    /// The CSV header line.
    public static let header = CSVFormat.row(columns)
    /// The columns YuNet's tables add at the end: its score and the landmarks' pixel coordinates
    /// (the person's right eye and mouth corner are on the image's left).
    public static let landmarkColumns = ["score", "right_eye_x", "right_eye_y", "left_eye_x", "left_eye_y", "nose_x", "nose_y",
                                         "mouth_right_x", "mouth_right_y", "mouth_left_x", "mouth_left_y"]

    /// The columns of a table with or without the landmark columns.
    public static func columns(landmarks: Bool) -> [String] { landmarks ? columns + landmarkColumns : columns }

    /// The header line of a table with or without the landmark columns.
    public static func header(landmarks: Bool) -> String { CSVFormat.row(columns(landmarks: landmarks)) }

    /// CSV rows for one image's faces (one row with empty face columns when no face was found).
    public static func rows(image: String, faces: [FaceResult], landmarks: Bool = false) -> String {
        let count = columns(landmarks: landmarks).count
        guard !faces.isEmpty else { return CSVFormat.row([image] + Array(repeating: "", count: count - 1)) }
        return faces.enumerated().map { index, face in
            CSVFormat.row([image, String(index)] + boxFields(face) + [angleField(face.angle)] + (landmarks ? landmarkFields(face) : []))
        }.joined()
    }

    /// The score and landmark fields of one face (score to four decimals, coordinates to one; empty where absent).
    static func landmarkFields(_ face: FaceResult) -> [String] {
        let score = face.detectorScore.map { String(format: "%.4f", $0) } ?? ""
        let marks = face.landmarks.map { $0.flatMap { [String(format: "%.1f", $0.x), String(format: "%.1f", $0.y)] } }
        return [score] + (marks ?? Array(repeating: "", count: landmarkColumns.count - 1))
    }

    /// An angle in degrees with one decimal ("0" for upright).
    static func angleField(_ angle: Double) -> String { angle == 0 ? "0" : String(format: "%.1f", angle) }

    /// The `x,y,w,h,p_smile,smiling` fields of one face.
    static func boxFields(_ face: FaceResult) -> [String] {
        [String(face.box.x), String(face.box.y), String(face.box.width), String(face.box.height),
         String(format: "%.4f", face.smileProbability), face.isSmiling ? "1" : "0"]
    }

    /// One JSON object per image: `{"image": ..., "faces": [{"face", "x", "y", "w", "h", "p_smile", "smiling", "angle"}]}`,
    /// with YuNet also `"score"` and `"landmarks"` (five `[x, y]` pairs, in the order of `landmarkColumns`).
    /// The encoder of the JSON table (`annotate --json`, `smile merge`): one layout everywhere.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public struct ImageRecord: Codable, Equatable {
        public struct Face: Codable, Equatable {
            public var face: Int, x: Int, y: Int, w: Int, h: Int
            public var p_smile: Double
            public var smiling: Bool
            /// Tilt in degrees, one decimal, as in the CSV.
            public var angle: Double
            /// The detector's score, four decimals (YuNet only; absent from the Haar cascade's records).
            public var score: Double?
            /// The five landmarks as [x, y], one decimal (YuNet only).
            public var landmarks: [[Double]]?
        }
        public var image: String
        public var faces: [Face]

        /// The record of one image from its faces-table rows (`[image, face, x, y, w, h, p_smile, smiling, angle]`;
        /// a row with an empty face column stands for no face). Nil if a row is malformed.
        init?(image: String, rows: [[String]]) {
            self.image = image
            var faces: [Face] = []
            for row in rows where !row[1].isEmpty {
                guard row.count == FacesTable.columns.count || row.count == FacesTable.columns(landmarks: true).count,
                      let face = Int(row[1]), let x = Int(row[2]), let y = Int(row[3]),
                      let w = Int(row[4]), let h = Int(row[5]), let p = Double(row[6]), let angle = Double(row[8]) else { return nil }
                var entry = Face(face: face, x: x, y: y, w: w, h: h, p_smile: p, smiling: row[7] == "1", angle: angle)
                if row.count > FacesTable.columns.count {
                    entry.score = Double(row[9])
                    let values = row[10...].compactMap(Double.init)
                    entry.landmarks = values.count == 10 ? (0..<5).map { [values[2 * $0], values[2 * $0 + 1]] } : nil
                }
                faces.append(entry)
            }
            self.faces = faces
        }

        public init(image: String, faces: [FaceResult]) {
            self.image = image
            self.faces = faces.enumerated().map { index, face in
                Face(face: index, x: face.box.x, y: face.box.y, w: face.box.width, h: face.box.height,
                     p_smile: (Double(face.smileProbability) * 10000).rounded() / 10000, smiling: face.isSmiling,
                     angle: (face.angle * 10).rounded() / 10, score: face.detectorScore.map { ($0 * 10000).rounded() / 10000 },
                     landmarks: face.landmarks?.map { [($0.x * 10).rounded() / 10, ($0.y * 10).rounded() / 10] })
            }
        }
    }
}

/// The per-frame table of `smile frames`:
/// `frame,file,time_s,face,x,y,w,h,p_smile,smiling,track,p_smile_smoothed,angle`.
///
/// A frame with no face gets one row with the face columns empty, so every frame appears. `track` is the
/// face's track id (stable across frames), `p_smile_smoothed` its track's smoothed p(smile), `angle` the
/// face's tilt in degrees (0 upright); they come last so the older columns keep their positions.
public enum FramesTable {
    /// The column names, in order.
    public static let columns = ["frame", "file", "time_s", "face", "x", "y", "w", "h", "p_smile", "smiling",
                                 "track", "p_smile_smoothed", "angle"]
    /// The CSV header line.
    public static let header = CSVFormat.row(columns)

    /// The columns of a table with or without YuNet's score and landmarks (`FacesTable.landmarkColumns`) at the end.
    public static func columns(landmarks: Bool) -> [String] { landmarks ? columns + FacesTable.landmarkColumns : columns }

    /// The header line of a table with or without the landmark columns.
    public static func header(landmarks: Bool) -> String { CSVFormat.row(columns(landmarks: landmarks)) }

    /// CSV rows for one frame; `tracks` (one per face, when tracking) fills the track columns.
    public static func rows(frame: Int, file: String, timeSeconds: Double?, faces: [FaceResult],
                            tracks: [TrackedFace]? = nil, landmarks: Bool = false) -> String {
        let time = timeSeconds.map { String(format: "%.3f", $0) } ?? ""
        let lead = [String(frame), file, time]
        let count = columns(landmarks: landmarks).count
        guard !faces.isEmpty else { return CSVFormat.row(lead + Array(repeating: "", count: count - lead.count)) }
        return faces.enumerated().map { index, face in
            let track = tracks.flatMap { index < $0.count ? $0[index] : nil }
            return CSVFormat.row(lead + [String(index)] + FacesTable.boxFields(face)
                                 + [track.map { String($0.track) } ?? "", track.map { String(format: "%.4f", $0.smoothedProbability) } ?? "",
                                    FacesTable.angleField(face.angle)] + (landmarks ? FacesTable.landmarkFields(face) : []))
        }.joined()
    }
}

extension FramesTable {
    /// One frame's rows read back from a frames CSV.
    public struct FrameRows {
        public var file: String
        public var timeSeconds: Double?
        public var faces: [FaceResult]
        /// `p_smile_smoothed` of each face, as written.
        public var smoothed: [Float]
    }

    /// Groups rows read back from a frames CSV by frame, in frame order, checking every field.
    public static func parseFrames(_ rows: [[String]], source: String) throws -> [(frame: Int, rows: FrameRows)] {
        var frames: [Int: FrameRows] = [:]
        for (index, row) in rows.enumerated() {
            func bad() -> OutputError {
                OutputError(path: source, reason: "cannot resume: data row \(index + 1) is not \(columns.joined(separator: ","))")
            }
            guard row.count == columns.count || row.count == columns(landmarks: true).count, let frame = Int(row[0]) else { throw bad() }
            var entry = frames[frame] ?? FrameRows(file: row[1], timeSeconds: Double(row[2]), faces: [], smoothed: [])
            if !row[3].isEmpty {
                guard let x = Int(row[4]), let y = Int(row[5]), let w = Int(row[6]), let h = Int(row[7]), let p = Float(row[8]),
                      let smoothed = Float(row[11]) else { throw bad() }
                entry.faces.append(FaceResult(box: Rect(x: x, y: y, width: w, height: h), smileProbability: p,
                                              isSmiling: row[9] == "1", angle: Double(row[12]) ?? 0))
                entry.smoothed.append(smoothed)
            }
            frames[frame] = entry
        }
        return frames.keys.sorted().map { ($0, frames[$0]!) }
    }
}
