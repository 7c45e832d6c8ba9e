// JSONReader: a lenient JSON reader for the JSON-LD scripts of pages (strings and structure).
// Owns what a page's script may get wrong and still be read (raw line breaks, a trailing ";").
//
// Not Ingest's JSONParser: that one is strict, reports columns and keeps a record's top-level
// scalars fast; this one reads whole trees and forgives what sites write, and Cleaning cannot
// import Ingest (Ingest imports Cleaning).

/// The parts of a JSON value that JSON-LD reading needs: strings and structure.
indirect enum JSONValue {
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    case scalar

    /// The string values under `key` of article-typed objects: anywhere below, or with
    /// `ownOnly` those of the page's own article alone (the document's top level, its `@graph`
    /// and its `mainEntity`; not the items of a list, the updates of a live blog or the results
    /// of a search, which are other stories).
    func collectArticleValues(of key: String, ownOnly: Bool = false, into found: inout [String]) {
        switch self {
        case .array(let items):
            for item in items { item.collectArticleValues(of: key, ownOnly: ownOnly, into: &found) }
        case .object(let members):
            if case .string(let value)? = members[key], !types.isDisjoint(with: JSONLD.articleTypes) {
                found.append(value)
            }
            let nested = ownOnly ? ["@graph", "mainEntity"].compactMap { members[$0] } : Array(members.values)
            for value in nested { value.collectArticleValues(of: key, ownOnly: ownOnly, into: &found) }
        case .string, .scalar: break
        }
    }

    /// An object's `@type`, which JSON-LD writes as one name or a list of them.
    private var types: Set<String> {
        guard case .object(let members) = self else { return [] }
        switch members["@type"] {
        case .string(let name)?: return [name]
        case .array(let items)?: return Set(items.compactMap { if case .string(let s) = $0 { s } else { nil } })
        default: return []
        }
    }
}

/// A small JSON reader over a script's bytes: any syntax error (an unterminated string, a bad
/// escape, a missing comma) gives nil, so a broken script is ignored rather than half read.
struct JSONReader {
    private let bytes: [UInt8]
    private var i = 0
    /// Deeper nesting is no JSON-LD a site writes; the limit bounds the recursion on hostile input.
    static let maxDepth = 64

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The first value in the text. What follows it is not read: some sites end the script
    /// with a stray ";" after a complete object.
    mutating func document() -> JSONValue? { value(depth: 0) }

    private mutating func value(depth: Int) -> JSONValue? {
        skipSpace()
        guard depth < JSONReader.maxDepth, i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"): return object(depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        default: return scalar()
        }
    }

    private mutating func object(depth: Int) -> JSONValue? {
        var members: [String: JSONValue] = [:]
        let closed = list(closing: UInt8(ascii: "}")) { reader in
            reader.skipSpace()
            guard reader.at("\""), let key = reader.string() else { return false }
            reader.skipSpace()
            guard reader.at(":") else { return false }
            reader.i += 1
            guard let value = reader.value(depth: depth + 1) else { return false }
            members[key] = value
            return true
        }
        return closed ? .object(members) : nil
    }

    private mutating func array(depth: Int) -> JSONValue? {
        var items: [JSONValue] = []
        let closed = list(closing: UInt8(ascii: "]")) { reader in
            guard let item = reader.value(depth: depth + 1) else { return false }
            items.append(item)
            return true
        }
        return closed ? .array(items) : nil
    }

    /// Reads comma-separated elements from just past an opening bracket to its closing one.
    private mutating func list(closing: UInt8, element: (inout JSONReader) -> Bool) -> Bool {
        i += 1
        skipSpace()
        if i < bytes.count && bytes[i] == closing {
            i += 1
            return true
        }
        while element(&self) {
            skipSpace()
            guard i < bytes.count else { return false }
            if bytes[i] == closing {
                i += 1
                return true
            }
            guard bytes[i] == UInt8(ascii: ",") else { return false }
            i += 1
        }
        return false
    }

    /// Numbers, true, false and null, whose values JSON-LD reading never needs.
    private mutating func scalar() -> JSONValue? {
        let start = i
        while i < bytes.count, isScalarByte(bytes[i]) { i += 1 }
        return i > start ? .scalar : nil
    }

    private func isScalarByte(_ b: UInt8) -> Bool {
        let lower = b | 0x20
        return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
    }

    private func at(_ c: Unicode.Scalar) -> Bool { i < bytes.count && bytes[i] == UInt8(ascii: c) }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }
}

extension JSONReader {
    /// The string whose opening quote is at the reading position, escapes decoded, read up to
    /// its closing unescaped quote; nil when the text ends first or an escape is malformed.
    /// Raw control characters are taken as they come, though JSON forbids them: sites write
    /// raw line breaks into articleBody (three of the development pages), and browsers, whose
    /// scripts never parse the block, show no error.
    mutating func string() -> String? {
        var out: [UInt8] = []
        i += 1
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                continue
            }
            guard let scalar = escape() else { return nil }
            UTF8.encode(scalar) { out.append($0) }
        }
        return nil
    }

    /// The character of the escape whose backslash was just read.
    private mutating func escape() -> Unicode.Scalar? {
        guard i < bytes.count else { return nil }
        let c = bytes[i]
        i += 1
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(c)
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "u"): return unicodeEscape()
        default: return nil
        }
    }

    /// `\uXXXX`: characters beyond the BMP come as two, a high and a low surrogate. A surrogate
    /// without its partner is no character, yet JSON allows it: it becomes U+FFFD rather than
    /// costing the whole text.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let unit = hex4() else { return nil }
        if (0xD800..<0xDC00).contains(unit), at("\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u") {
            let beforePartner = i
            i += 2
            guard let low = hex4() else { return nil }
            if (0xDC00..<0xE000).contains(low) {
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            }
            i = beforePartner  // not its partner: read on its own next
        }
        return Unicode.Scalar(unit) ?? "\u{FFFD}"
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for b in bytes[i..<(i + 4)] {
            guard let digit = hexDigit(b) else { return nil }
            value = value << 4 | digit
        }
        i += 4
        return value
    }

    private func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
