// Ingest: a strict JSON parser for one JSON Lines record, keeping its top-level scalar fields.
// Owns JSON syntax errors (with the byte column), and why we do not use Foundation: speed.

/// A parse failure inside one line.
struct JSONSyntaxError: Error, CustomStringConvertible {
    let message: String
    let column: Int
    var description: String { "invalid JSON at column \(column): \(message)" }
}

/// Parses one JSON object and returns its top-level string fields; numbers and booleans come
/// back as their literal text, nested values and nulls are skipped.
enum JSONRecord {
    static func fields(_ line: ArraySlice<UInt8>) throws -> [String: String] {
        var skipped = Set<String>()
        return try fields(line, skipped: &skipped)
    }

    /// `fields`, also naming the keys whose values were skipped (nested values and nulls).
    static func fields(_ line: ArraySlice<UInt8>, skipped: inout Set<String>) throws -> [String: String] {
        var repaired = false, others: [String: OtherValue] = [:]
        let fields = try fields(line, others: &others, repairedUTF8: &repaired)
        skipped = Set(others.filter { $0.value.isSkipped }.keys)
        return fields
    }

    /// What a value that is no string or number was, for a caller that must tell a field
    /// left empty (null) from one given in a shape it cannot take.
    enum OtherValue {
        case boolean, null, nested

        /// Not among the fields: true and false come back as their text.
        var isSkipped: Bool { self != .boolean }
    }

    /// `fields`, also naming the keys whose values were no string or number, and saying
    /// whether a string held bytes that are not UTF-8 (each such sequence reads as U+FFFD).
    static func fields(_ line: ArraySlice<UInt8>, others: inout [String: OtherValue],
                       repairedUTF8: inout Bool) throws -> [String: String] {
        var p = JSONParser(bytes: line)
        defer { repairedUTF8 = p.repairedUTF8 }
        p.skipSpace()
        guard p.peek() == UInt8(ascii: "{") else { throw p.error("a record must be a JSON object") }
        p.index += 1
        var out: [String: String] = [:]
        p.skipSpace()
        if p.peek() == UInt8(ascii: "}") {
            p.index += 1
        } else {
            while true {
                p.skipSpace()
                let key = try p.string()
                p.skipSpace()
                try p.expect(UInt8(ascii: ":"))
                p.skipSpace()
                let kind: OtherValue? = switch p.peek() {
                case UInt8(ascii: "t"), UInt8(ascii: "f"): .boolean
                case UInt8(ascii: "n"): .null
                case UInt8(ascii: "{"), UInt8(ascii: "["): .nested
                default: nil
                }
                if let value = try p.scalarOrSkip() { out[key] = value }
                others[key] = kind
                p.skipSpace()
                if p.peek() == UInt8(ascii: ",") { p.index += 1; continue }
                try p.expect(UInt8(ascii: "}"))
                break
            }
        }
        p.skipSpace()
        guard p.index == line.endIndex else { throw p.error("unexpected text after the object") }
        return out
    }
}

struct JSONParser {
    let bytes: ArraySlice<UInt8>
    var index: Int
    private var depth = 0
    /// Whether a string so far held bytes that are not UTF-8.
    private(set) var repairedUTF8 = false

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    func peek() -> UInt8? { index < bytes.endIndex ? bytes[index] : nil }

    func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, column: index - bytes.startIndex + 1)
    }

    mutating func skipSpace() {
        while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { index += 1 }
    }

    mutating func expect(_ c: UInt8) throws {
        guard peek() == c else { throw error("expected '\(Character(Unicode.Scalar(c)))'") }
        index += 1
    }

    /// A string, number, true or false as text; nil for null, objects and arrays (skipped).
    mutating func scalarOrSkip() throws -> String? {
        guard let c = peek() else { throw error("a value is missing") }
        switch c {
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "{"), UInt8(ascii: "["): try skipContainer(); return nil
        case UInt8(ascii: "t"): try literal("true"); return "true"
        case UInt8(ascii: "f"): try literal("false"); return "false"
        case UInt8(ascii: "n"): try literal("null"); return nil
        default: return try number()
        }
    }

    mutating func literal(_ word: String) throws {
        for b in word.utf8 {
            guard peek() == b else { throw error("expected \(word)") }
            index += 1
        }
    }

    mutating func number() throws -> String {
        let start = index
        while let c = peek(), (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { index += 1 }
        guard index > start else { throw error("unexpected character") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func skipContainer() throws {
        var stack: [UInt8] = []
        repeat {
            guard let c = peek() else { throw error("unclosed object or array") }
            switch c {
            case UInt8(ascii: "\""): _ = try string(); continue
            case UInt8(ascii: "{"): stack.append(UInt8(ascii: "}"))
            case UInt8(ascii: "["): stack.append(UInt8(ascii: "]"))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard stack.popLast() == c else { throw error("mismatched bracket") }
            default: break
            }
            index += 1
        } while !stack.isEmpty
    }

    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        // Fast path: no escapes.
        while let c = peek(), c != UInt8(ascii: "\""), c != UInt8(ascii: "\\") { index += 1 }
        guard let stop = peek() else { throw error("unterminated string") }
        if stop == UInt8(ascii: "\"") {
            index += 1
            return decoded(bytes[start..<index - 1])
        }
        var out = Array(bytes[start..<index])
        while true {
            guard let c = peek() else { throw error("unterminated string") }
            index += 1
            if c == UInt8(ascii: "\"") { break }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            try escape(into: &out)
        }
        return decoded(out[...])
    }

    /// The bytes as a string, each sequence that is not UTF-8 replaced by U+FFFD (and noted).
    private mutating func decoded(_ raw: ArraySlice<UInt8>) -> String {
        if let valid = raw.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) { return valid }
        repairedUTF8 = true
        return String(decoding: raw, as: UTF8.self)
    }

    private mutating func escape(into out: inout [UInt8]) throws {
        guard let e = peek() else { throw error("unterminated escape") }
        index += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if scalar >= 0xD800 && scalar < 0xDC00, peek() == UInt8(ascii: "\\"),
               index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "u") {
                index += 2
                let low = try hex4()
                scalar = low >= 0xDC00 && low < 0xE000 ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
            }
            let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(s)).utf8))
        default:
            throw error("unknown escape '\\\(Character(Unicode.Scalar(e)))'")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek(), let d = Character(Unicode.Scalar(c)).hexDigitValue else {
                throw error("bad \\u escape")
            }
            v = v << 4 | UInt32(d)
            index += 1
        }
        return v
    }
}

/// The top-level scalar fields of one JSON object, for other modules (batch requests).
public enum JSONFields {
    /// The object's top-level scalar fields (as `JSONRecord.fields`), and the keys whose values
    /// are objects, arrays or null, which a caller expecting scalars must not pass over unsaid.
    public static func parse(_ text: String) throws -> (fields: [String: String], nonScalar: Set<String>) {
        var skipped = Set<String>()
        let fields = try JSONRecord.fields(Array(text.utf8)[...], skipped: &skipped)
        return (fields, skipped)
    }
}
