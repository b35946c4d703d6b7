/// Escaping of text for HTML element content and quoted attribute values.
public enum HTMLEscaping {
    /// Replaces `&`, `<`, `>`, `"` and `'` with character references.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
