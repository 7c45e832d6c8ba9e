// newsidx (CLI): JSON text for the json and jsonl output formats.
// Owns string escaping and number rendering so every format writes JSON the same way.

/// Builds one JSON object's text, field by field, in the order written, as UTF-8 bytes: a
/// `String` took about 370 instructions for each small append, most of printing a hit.
struct JSONObject {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    init() { bytes.reserveCapacity(256) }

    /// Keys are this program's own field names, which need no escaping.
    private mutating func key(_ k: String) {
        assert(JSONText.needsNoEscape(k), "JSON key \(k) needs escaping")
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: k.utf8)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func add(_ k: String, _ v: String?) {
        key(k)
        if let v { JSONText.appendQuoted(v, to: &bytes) } else { append("null") }
    }

    mutating func add(_ k: String, _ v: Int) { key(k); append(String(v)) }
    mutating func add(_ k: String, _ v: UInt64) { key(k); append(String(v)) }
    mutating func add(_ k: String, _ v: Double) { key(k); append(JSONText.number(v)) }
    mutating func add(_ k: String, _ v: Bool) { key(k); append(v ? "true" : "false") }
    mutating func addRaw(_ k: String, _ json: String) { key(k); append(json) }

    /// The object so far, left open for fields written after it (a streamed array).
    var renderedOpen: String { String(decoding: bytes, as: UTF8.self) }

    var rendered: String {
        var closed = bytes
        closed.append(UInt8(ascii: "}"))
        return String(decoding: closed, as: UTF8.self)
    }
}

enum JSONText {
    static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string. Ids and titles seldom hold a character to escape: checked
    /// byte by byte, they are copied whole (appending them a scalar at a time was most of a
    /// JSON hit's cost).
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if needsNoEscape(s) {
            out.append(contentsOf: s.utf8)
        } else {
            out.append(contentsOf: escaped(s).utf8)
        }
        out.append(UInt8(ascii: "\""))
    }

    static func needsNoEscape(_ s: String) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for byte in s.utf8 {
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F { return false }
            if byte & 0xFE == 0xA8 && previous == 0x80 && beforePrevious == 0xE2 { return false }  // U+2028, U+2029
            beforePrevious = previous
            previous = byte
        }
        return true
    }

    private static func escaped(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // The line and paragraph separators are valid in JSON strings but end a line for
                // many readers (Python's splitlines, JavaScript before ES2019), as Go's encoder knows.
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func array(_ items: [String]) -> String { "[" + join(items, separator: ",") + "]" }

    /// Shortest round-tripping decimal; JSON has no NaN or infinity, so those become 0.
    static func number(_ v: Double) -> String {
        v.isFinite ? v.description : "0"
    }
}
