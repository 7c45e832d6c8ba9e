// HTMLCleaner: cleaning for HTML pages: parsing with libxml2 (no network, no entity loading),
// then selection over the DOM's blocks, with the title and date taken from the page metadata.
import CLibXML2

enum HTMLCleaner {
    static func clean(_ bytes: [UInt8], urlHint: String?) -> Article {
        let (input, encoding, warnings) = prepareInput(bytes)
        guard let doc = parse(input, encoding: encoding) else {
            return Article(title: "", paragraphs: [], warnings: warnings + ["HTML could not be parsed"])
        }
        defer { xmlFreeDoc(doc) }
        var walker = DOMWalker()
        if let root = xmlDocGetRootElement(doc) { walker.walk(root) }
        let blocks = MarkupVetoes.apply(walker.vetoes, to: walker.blocks)
        return assemble(blocks, walker.metadata, urlHint: urlHint, warnings: warnings)
    }

    /// Valid UTF-8 is parsed as UTF-8 whatever the page declares; a page in a declared legacy
    /// charset is left to libxml2; anything else is repaired with U+FFFD first, and reported.
    private static func prepareInput(_ bytes: [UInt8]) -> ([UInt8], String?, [String]) {
        if String(validating: bytes, as: UTF8.self) != nil { return (bytes, "UTF-8", []) }
        if let charset = DeclaredCharset.find(in: bytes), !charset.hasPrefix("utf") {
            return (bytes, nil, [])
        }
        let repaired = Array(String(decoding: bytes, as: UTF8.self).utf8)
        return (repaired, "UTF-8", ["invalid UTF-8 replaced with U+FFFD"])
    }

    private static func parse(_ bytes: [UInt8], encoding: String?) -> htmlDocPtr? {
        guard !bytes.isEmpty else { return nil }
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_RECOVER.rawValue)
        let size = Int32(clamping: bytes.count)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                if let encoding {
                    return encoding.withCString { htmlReadMemory(chars, size, nil, $0, options) }
                }
                return htmlReadMemory(chars, size, nil, nil, options)
            }
        }
    }

    private static func assemble(_ blocks: [PageBlock], _ meta: PageMetadata, urlHint: String?,
                                 warnings: [String]) -> Article {
        let selection = ContentSelector.select(blocks)
        let title = meta.bestTitle
        let titleIndex = TitleFinder.htmlTitleBlock(blocks, title: title, selection: selection)
        var decisions: [BlockDecision] = []
        var paragraphs: [String] = []
        decisions.reserveCapacity(blocks.count)
        for i in blocks.indices {
            if i == titleIndex {
                decisions.append(BlockDecision(text: blocks[i].text, kept: true, reason: "title"))
                continue
            }
            let kept = selection.isKept(i)
            decisions.append(BlockDecision(text: blocks[i].text, kept: kept, reason: selection.reason(i)))
            if kept { paragraphs.append(blocks[i].text) }
        }
        let date = meta.date(urlHint: urlHint, blocks: blocks, near: titleIndex ?? selection.region.lowerBound,
                             language: selection.language)
        return Article(title: title ?? titleIndex.map { blocks[$0].text } ?? "", date: date?.iso,
                       paragraphs: paragraphs, blocks: decisions, warnings: warnings)
    }
}

/// The charset a page declares in its first bytes (`<meta charset=...>` or `charset=` in
/// a content-type), lowercased.
enum DeclaredCharset {
    static func find(in bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        guard let range = head.firstRange(of: "charset=") else { return nil }
        let value = head[range.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
        let name = value.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }
}

extension TitleFinder {
    /// The heading block that repeats the page title, so it is reported as the title rather than
    /// as a paragraph; without metadata, the first h1.
    static func htmlTitleBlock(_ blocks: [PageBlock], title: String?, selection: Selection) -> Int? {
        let limit = min(blocks.count, max(selection.region.lowerBound + 3, 1))
        if let title {
            let wanted = TitleText.normalized(title)
            for i in 0..<limit where blocks[i].measure.chars < 400 {
                let candidate = TitleText.normalized(blocks[i].text)
                if !candidate.isEmpty && (candidate == wanted || wanted.hasPrefix(candidate) && candidate.count * 2 > wanted.count) {
                    return i
                }
            }
            return nil
        }
        return (0..<limit).first { blocks[$0].isHeading && blocks[$0].measure.words >= 2 }
    }
}
