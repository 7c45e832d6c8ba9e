// newsidx (CLI): JSON text for the json and jsonl output formats.
// Owns string escaping and number rendering so every format writes JSON the same way.

/// Builds one JSON object's text, field by field, in the order written.
struct JSONObject {
    private var text = "{"
    private var first = true

    private mutating func key(_ k: String) {
        if !first { text += "," }
        first = false
        text += JSONText.quoted(k) + ":"
    }

    mutating func add(_ k: String, _ v: String?) {
        key(k)
        text += v.map(JSONText.quoted) ?? "null"
    }

    mutating func add(_ k: String, _ v: Int) { key(k); text += String(v) }
    mutating func add(_ k: String, _ v: UInt64) { key(k); text += String(v) }
    mutating func add(_ k: String, _ v: Double) { key(k); text += JSONText.number(v) }
    mutating func add(_ k: String, _ v: Bool) { key(k); text += v ? "true" : "false" }
    mutating func addRaw(_ k: String, _ json: String) { key(k); text += json }

    var rendered: String { text + "}" }
}

enum JSONText {
    static func quoted(_ s: String) -> String {
        // Ids and titles seldom hold a character to escape: checked byte by byte, they are
        // copied whole (appending them a scalar at a time was most of a JSON hit's cost).
        var plain = true
        for byte in s.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
            plain = false
            break
        }
        if plain { return "\"" + s + "\"" }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func array(_ items: [String]) -> String { "[" + join(items, separator: ",") + "]" }

    /// Shortest round-tripping decimal; JSON has no NaN or infinity, so those become 0.
    static func number(_ v: Double) -> String {
        v.isFinite ? "\(v)" : "0"
    }
}
