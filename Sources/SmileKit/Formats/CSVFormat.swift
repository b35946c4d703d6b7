/// Formats CSV rows as RFC 4180 says: fields with commas, quotes or line breaks are quoted.
public enum CSVFormat {
    /// One field, quoted (with inner quotes doubled) when it needs to be.
    public static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One line: the fields joined by commas, ended by a newline.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
