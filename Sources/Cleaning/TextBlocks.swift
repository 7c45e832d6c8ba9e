// TextBlocks: decoding raw bytes to text and splitting plain text into blocks: one per line,
// or one per paragraph when the lines are hard-wrapped prose.

enum TextDecoding {
    /// Valid UTF-8 is taken as is; anything else is decoded with U+FFFD replacements and reported.
    static func decode(_ bytes: [UInt8]) -> (text: String, warnings: [String]) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let text = String(validating: body, as: UTF8.self) { return (text, []) }
        return (String(decoding: body, as: UTF8.self), ["invalid UTF-8 replaced with U+FFFD"])
    }
}

enum TextBlocks {
    static func split(_ text: String) -> [PageBlock] {
        // Splitting the UTF-8 bytes, not Characters: grapheme breaking would cost more than cleaning.
        let lines = splitLines(text)
        let paragraphs = isHardWrapped(lines) ? joinWrappedLines(lines) : lines.map { trim($0) }
        return paragraphs.compactMap(makeBlock)
    }

    private static func splitLines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "\n") {
                lines.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        lines.append(text[start..<utf8.endIndex])
        return lines
    }

    /// Wrapped prose has most of its lines filling 60–100% of a fixed width of 40–120 characters;
    /// page dumps and one-paragraph-per-line files do not.
    static func isHardWrapped(_ lines: [Substring]) -> Bool {
        let lengths = lines.map { $0.utf8.count }.filter { $0 > 0 }
        guard lengths.count >= 4 else { return false }
        let sorted = lengths.sorted()
        let width = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
        guard width >= 40 && width <= 120 else { return false }
        let filling = lengths.filter { $0 * 10 >= width * 6 && $0 <= width + 10 }.count
        return filling * 10 >= lengths.count * 6
    }

    /// A paragraph ends at a blank line or where the next line is indented (Reuters style).
    private static func joinWrappedLines(_ lines: [Substring]) -> [String] {
        var paragraphs: [String] = []
        var current = ""
        for line in lines {
            let trimmed = trim(line)
            let indented = line.first == " " || line.first == "\t"
            if trimmed.isEmpty || indented {
                if !current.isEmpty { paragraphs.append(current) }
                current = trimmed
            } else {
                current = current.isEmpty ? trimmed : current + " " + trimmed
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs
    }

    private static func makeBlock(_ text: String) -> PageBlock? {
        guard !text.isEmpty else { return nil }
        var block = PageBlock(text: text)
        if block.measure.startsWithBullet { block.text = stripBullet(text) }
        return block.text.isEmpty ? nil : block
    }

    /// Drops the list marker ("• ", "□ ", "* ") so kept list items read as text.
    private static func stripBullet(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        let rest = text.unicodeScalars.dropFirst()
        guard first.properties.generalCategory != .lowercaseLetter else { return text }
        return trim(Substring(String(rest)))
    }

    /// Trims whitespace, no-break spaces and BOMs at both ends; only the edges are decoded.
    static func trim(_ s: Substring) -> String {
        var scalars = s.unicodeScalars[...]
        while let f = scalars.first, isBlank(f) { scalars = scalars.dropFirst() }
        while let l = scalars.last, isBlank(l) { scalars = scalars.dropLast() }
        if scalars.startIndex == s.startIndex && scalars.endIndex == s.endIndex { return String(s) }
        return String(Substring(scalars))
    }

    private static func isBlank(_ c: Unicode.Scalar) -> Bool {
        c.value <= 0x20 || c.value == 0xA0 || c.value == 0xFEFF || c.value == 0x7F
            || (c.value >= 0x2000 && c.value <= 0x200B) || c.value == 0x3000
    }
}
