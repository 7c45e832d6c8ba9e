// MarkupStripper: HTML to plain text without a parser, for pages libxml2 cannot read to the
// end; block tags become line breaks, script and style bodies and comments are dropped.
internal import CLibXML2

enum MarkupStripper {
    static let lineBreakingTags: Set<String> = [
        "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
        "header", "footer", "nav", "aside", "blockquote", "pre", "ul", "ol", "table", "main", "figure",
        "figcaption", "hr", "dd", "dt", "form",
    ]

    static func text(of bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<") {
                i = skipTag(bytes, from: i, into: &out)
            } else if bytes[i] == UInt8(ascii: "&") {
                i = decodeEntity(bytes, from: i, into: &out)
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Skips one tag (or comment, or script/style element), writing a newline for block tags.
    private static func skipTag(_ b: [UInt8], from start: Int, into out: inout [UInt8]) -> Int {
        if hasPrefix(b, "<!--", at: start) { return (find(b, "-->", from: start + 4) ?? b.count - 3) + 3 }
        let end = (b[start...].firstIndex(of: UInt8(ascii: ">")) ?? b.count - 1) + 1
        let name = tagName(b, start + 1, end)
        if lineBreakingTags.contains(name) { out.append(UInt8(ascii: "\n")) }
        for raw in ["script", "style"] where name == raw {
            return (find(b, "</" + raw, from: end) ?? b.count)
        }
        return end
    }

    private static func tagName(_ b: [UInt8], _ from: Int, _ end: Int) -> String {
        var i = from
        if i < end && b[i] == UInt8(ascii: "/") { i += 1 }
        var name: [UInt8] = []
        while i < end, name.count < 12, (b[i] | 0x20) >= UInt8(ascii: "a") && (b[i] | 0x20) <= UInt8(ascii: "z") || (b[i] >= 0x30 && b[i] <= 0x39) {
            name.append(b[i] | 0x20)
            i += 1
        }
        return String(decoding: name, as: UTF8.self)
    }

    private static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "#39": "'",
    ]

    private static func decodeEntity(_ b: [UInt8], from start: Int, into out: inout [UInt8]) -> Int {
        let limit = min(b.count, start + 10)
        guard let semicolon = b[start..<limit].firstIndex(of: UInt8(ascii: ";")) else {
            out.append(b[start])
            return start + 1
        }
        let name = String(decoding: b[(start + 1)..<semicolon], as: UTF8.self)
        if let text = entities[name] {
            out.append(contentsOf: text.utf8)
        } else if let scalar = numericReference(name) ?? namedReference(name) {
            out.append(contentsOf: String(Character(scalar)).utf8)
        } else {
            out.append(contentsOf: b[start...semicolon])
        }
        return semicolon + 1
    }

    /// `#8217` or `#x2019`.
    private static func numericReference(_ name: String) -> Unicode.Scalar? {
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let code = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
        return code.flatMap(Unicode.Scalar.init)
    }

    /// HTML 4's named characters (`rsquo`, `eacute`, `mdash`...), as libxml2's parser knows them:
    /// the few in `entities` alone had left `&rsquo;` in text read this way.
    private static func namedReference(_ name: String) -> Unicode.Scalar? {
        guard let entry = htmlEntityLookup(name) else { return nil }
        return Unicode.Scalar(entry.pointee.value)
    }

    private static func hasPrefix(_ b: [UInt8], _ prefix: String, at i: Int) -> Bool {
        let p = Array(prefix.utf8)
        return i + p.count <= b.count && Array(b[i..<(i + p.count)]) == p
    }

    private static func find(_ b: [UInt8], _ needle: String, from: Int) -> Int? {
        let n = Array(needle.utf8)
        guard !n.isEmpty, b.count >= n.count else { return nil }
        var i = from
        while i + n.count <= b.count {
            if b[i] == n[0] && (b[i] | 0x20) == (n[0] | 0x20) && hasPrefix(b, needle, at: i) { return i }
            i += 1
        }
        return nil
    }
}
