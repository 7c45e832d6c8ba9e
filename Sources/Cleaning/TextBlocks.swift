// TextBlocks: decoding raw bytes to text and splitting plain text into blocks: one per line,
// or one per paragraph when the lines are hard-wrapped prose.

enum TextDecoding {
    /// Valid UTF-8 is taken as is. Otherwise the encoding the person named, if any, decodes
    /// it. Without one, text without a single multi-byte UTF-8 sequence is read as
    /// Windows-1252 (what Latin-1 files are in practice, as browsers read them): "café" saved in
    /// Latin-1 had become "caf\u{FFFD}", which no search for "cafe" found. Anything else, a UTF-8
    /// file with stray bytes or one in a legacy Chinese, Japanese or Korean encoding, is
    /// decoded with U+FFFD replacements and reported, naming the option that reads it.
    static func decode(_ bytes: [UInt8], legacy: LegacyEncoding? = nil) -> (text: String, warnings: [String]) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let legacy, legacy.claims(body) {
            let (decoded, replaced) = legacy.utf8(Array(body))
            return (String(decoding: decoded, as: UTF8.self), legacy.note(replaced: replaced))
        }
        if let text = String(validating: body, as: UTF8.self) { return (text, []) }
        if !holdsUTF8Sequence(body) { return (String(decoding: Windows1252.utf8(Array(body)), as: UTF8.self), []) }
        return (String(decoding: body, as: UTF8.self), [invalidUTF8(encodingGiven: legacy != nil)])
    }

    /// The note of a page repaired as UTF-8; it names the option only to someone who did not give it.
    static func invalidUTF8(encodingGiven: Bool) -> String {
        encodingGiven ? "invalid UTF-8 replaced with U+FFFD"
            : "invalid UTF-8 replaced with U+FFFD (text in another encoding is read with --encoding, e.g. gb18030, big5, shift_jis, euc-kr)"
    }

    /// How many multi-byte UTF-8 sequences the bytes hold, and how many bytes above ASCII are
    /// in none.
    static func census(_ bytes: ArraySlice<UInt8>) -> (sequences: Int, strays: Int) {
        var sequences = 0, strays = 0
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] < 0x80 {
                i += 1
            } else if let length = sequenceLength(at: i, in: bytes) {
                sequences += 1
                i += length
            } else {
                strays += 1
                i += 1
            }
        }
        return (sequences, strays)
    }

    /// Whether a lead byte is followed by the continuation bytes it announces anywhere.
    static func holdsUTF8Sequence(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.indices.contains { sequenceLength(at: $0, in: bytes) != nil }
    }

    /// The length of the multi-byte UTF-8 sequence at `i`: a lead byte followed by the
    /// continuation bytes it announces; nil for anything else.
    private static func sequenceLength(at i: Int, in bytes: ArraySlice<UInt8>) -> Int? {
        let b = bytes[i]
        let length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 1
        guard length > 1, i + length <= bytes.endIndex,
              bytes[(i + 1)..<(i + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) else { return nil }
        return length
    }
}

/// Windows-1252, the superset of ISO-8859-1 that pages and files labelled Latin-1 are written
/// in (the WHATWG encoding standard reads the label so): 0x80–0x9F are curly quotes, dashes,
/// the euro sign and œ, not control characters.
enum Windows1252 {
    static func utf8(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            if b < 0x80 { out.append(b); continue }
            let scalar = b >= 0xA0 ? UInt32(b) : high[Int(b - 0x80)]
            out.append(contentsOf: String(Unicode.Scalar(scalar)!).utf8)
        }
        return out
    }

    /// The text with its C1 controls (U+0080–U+009F) read as the Windows-1252 characters of
    /// those bytes, as HTML5 reads `&#150;` and its kin, which pages written in Windows-1252
    /// emit; nil when it has none, as nearly every text, so it is not copied. The five codes
    /// Windows-1252 leaves undefined stay, as the HTML5 table leaves them.
    static func mappingC1(_ text: String) -> String? {
        var text = text
        // In UTF-8 a C1 control is C2 80–C2 9F, and C2 is never a continuation byte.
        let holdsC1 = text.withUTF8 { utf8 in
            utf8.indices.dropLast().contains { utf8[$0] == 0xC2 && utf8[$0 + 1] <= 0x9F && utf8[$0 + 1] >= 0x80 }
        }
        guard holdsC1 else { return nil }
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            scalars.append((0x80...0x9F).contains(s.value) ? Unicode.Scalar(high[Int(s.value - 0x80)])! : s)
        }
        return String(scalars)
    }

    /// 0x80–0x9F; the five bytes the encoding leaves undefined map to the C1 code of the same value.
    private static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Labels the WHATWG encoding standard reads as Windows-1252.
    static let labels: Set<String> = [
        "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "cp819", "ibm819", "us-ascii", "ascii",
        "windows-1252", "cp1252", "x-cp1252", "iso-ir-100", "csisolatin1",
    ]
}

enum TextBlocks {
    static func split(_ text: String) -> [PageBlock] {
        // Splitting the UTF-8 bytes, not Characters: grapheme breaking would cost more than cleaning.
        let lines = splitLines(text)
        let paragraphs = isHardWrapped(lines) ? joinWrappedLines(lines) : lines.map { trim($0) }
        return paragraphs.compactMap(makeBlock)
    }

    /// Lines end at LF, and at each CR of a run of CRs that no LF follows nor precedes: files
    /// saved on old Macs end every line with CR alone and had been read as one line without a
    /// title, while "\r\r\n" (a Windows file converted twice) and "\n\r" are one line end, not
    /// a paragraph break. Run by run, not once per text: one CRLF at a Mac file's end had made
    /// the whole file one line (both found by review).
    private static func splitLines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard byte == lf || byte == cr else { index = utf8.index(after: index); continue }
            var runEnd = index
            while runEnd != utf8.endIndex && utf8[runEnd] == cr { runEnd = utf8.index(after: runEnd) }
            guard runEnd != utf8.endIndex && utf8[runEnd] == lf else {
                for _ in utf8[index..<runEnd] {  // lone CRs: a line end each
                    lines.append(text[start..<index])
                    start = utf8.index(after: index)
                    index = start
                }
                continue
            }
            lines.append(text[start..<index])  // an LF, CRs before it or not: one line end
            index = utf8.index(after: runEnd)
            // CRs after it before a line's text ("\n\r", RISC OS and some converters) belong to
            // this line end, as trimming had made them.
            var crs = index
            while crs != utf8.endIndex && utf8[crs] == cr { crs = utf8.index(after: crs) }
            if crs == utf8.endIndex || utf8[crs] != lf { index = crs }
            start = index
        }
        lines.append(text[start..<utf8.endIndex])
        return lines
    }

    /// Wrapped prose has half its lines or more filling 60–100% of a fixed width of 40–120
    /// columns; page dumps and one-paragraph-per-line files do not. Columns as a terminal shows
    /// them: a Chinese, Japanese or Korean character takes two, as the dump's wrapping counted it.
    static func isHardWrapped(_ lines: [Substring]) -> Bool {
        let lengths = lines.map(columns).filter { $0 > 0 }
        guard lengths.count >= 4 else { return false }
        let sorted = lengths.sorted()
        let width = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
        guard width >= 40 && width <= 120 else { return false }
        let filling = lengths.filter { $0 * 10 >= width * 6 && $0 <= width + 10 }.count
        return filling * 2 >= lengths.count
    }

    private static func columns(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    /// East Asian wide and full-width characters (Unicode's East_Asian_Width W and F, in the
    /// blocks news text uses).
    static func isWide(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// A paragraph ends at a blank line or at an indented line, as wire copy indents each first
    /// line and goes on at the margin. A lynx dump instead indents every line of its body alike
    /// and separates paragraphs with blank lines: there an indented line begins a paragraph only
    /// when indented more than the one before, or when its first word would have fitted on the
    /// line before, within the paragraph's longest line (so that line was not wrapped); its
    /// wrapped lines had each become a
    /// paragraph, too short to keep. Lines of Chinese or Japanese join without a space.
    private static func joinWrappedLines(_ lines: [Substring]) -> [String] {
        let indents = lines.map { line in line.prefix { $0 == " " || $0 == "\t" }.count }
        let lynx = indentsEveryBodyLine(lines, indents)
        var paragraphs: [String] = []
        var current = ""
        var previousIndent = 0
        var previousColumns = 0
        var widest = 0  // the paragraph's longest line so far: where this dump wrapped, at least
        for (line, indent) in zip(lines, indents) {
            let trimmed = trim(line)
            let fitted = previousColumns + 1 + columns(trimmed.prefix { $0 != " " }[...]) <= widest
            let begins = lynx ? indent > previousIndent || (indent > 0 && fitted) : indent > 0
            if trimmed.isEmpty || begins {
                if !current.isEmpty { paragraphs.append(current) }
                current = trimmed
                widest = 0
            } else if current.isEmpty {
                current = trimmed
            } else {
                current += joinsWithoutSpace(current, trimmed) ? trimmed : " " + trimmed
            }
            if !trimmed.isEmpty {
                previousIndent = indent
                previousColumns = columns(line)
                widest = max(widest, previousColumns)
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs
    }

    /// Lynx's shape: the lines after indented ones mostly keep the indent (wire copy goes back
    /// to the margin), and blank lines lead into indented paragraphs (wire copy has none inside
    /// its body, nor its one-line items).
    private static func indentsEveryBodyLine(_ lines: [Substring], _ indents: [Int]) -> Bool {
        var kept = 0, returned = 0, blankThenIndented = 0
        for i in lines.indices.dropLast() {
            let nextBlank = trim(lines[i + 1]).isEmpty
            if trim(lines[i]).isEmpty {
                if !nextBlank && indents[i + 1] > 0 { blankThenIndented += 1 }
            } else if indents[i] > 0 && !nextBlank {
                if indents[i + 1] >= indents[i] { kept += 1 } else if indents[i + 1] == 0 { returned += 1 }
            }
        }
        return kept > returned && blankThenIndented >= 2
    }

    /// Both sides of the line break are wide characters of a script written without spaces
    /// (Hangul is written with them, so Korean lines join with one).
    private static func joinsWithoutSpace(_ before: String, _ after: String) -> Bool {
        guard let last = before.unicodeScalars.last, let first = after.unicodeScalars.first else { return false }
        return writtenUnspaced(last) && writtenUnspaced(first)
    }

    /// A wide character of Chinese or Japanese, whose prose leaves no space between words
    /// (Korean, also wide, spaces its words).
    static func writtenUnspaced(_ c: Unicode.Scalar) -> Bool {
        isWide(c) && !((0xAC00...0xD7A3).contains(c.value) || (0x1100...0x115F).contains(c.value))
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
