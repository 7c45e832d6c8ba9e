// HTMLCleaner: cleaning for HTML pages: parsing with libxml2 (no network, no entity loading),
// then selection over the DOM's blocks, with the title and date taken from the page metadata.
internal import CLibXML2

enum HTMLCleaner {
    static func clean(_ bytes: [UInt8], urlHint: String?) -> Article {
        let (input, encoding, warnings) = prepareInput(bytes)
        // libxml2 makes no tree of an empty page, which is no sign of a page it could not read.
        if input.allSatisfy({ $0 == 0x20 || (0x09...0x0D).contains($0) }) {
            return Article(title: "", paragraphs: [])
        }
        let (parsed, complete) = parse(input, encoding: encoding)
        guard let doc = parsed, complete else {
            if let doc = parsed { xmlFreeDoc(doc) }
            return readAsText(input, warnings: warnings)
        }
        defer { xmlFreeDoc(doc) }
        var walker = DOMWalker()
        if let root = xmlDocGetRootElement(doc) { walker.walk(root) }
        let blocks = MarkupVetoes.apply(walker.vetoes, to: walker.blocks)
        return assemble(blocks, walker.metadata, parentOf: walker.parentOf, urlHint: urlHint, warnings: warnings)
    }

    /// Valid UTF-8 is parsed as UTF-8 whatever the page declares; a page in a declared legacy
    /// charset is left to libxml2; an undeclared one is Windows-1252 when it holds no UTF-8
    /// sequence at all, else repaired with U+FFFD first, and reported.
    private static func prepareInput(_ raw: [UInt8]) -> ([UInt8], String?, [String]) {
        // libxml2 stops reading at a NUL byte, losing the rest of the page.
        let bytes = raw.contains(0) ? raw.map { $0 == 0 ? 0x20 : $0 } : raw
        if String(validating: bytes, as: UTF8.self) != nil { return (bytes, "UTF-8", []) }
        if let charset = DeclaredCharset.find(in: bytes), !charset.hasPrefix("utf") {
            // Latin-1 labels mean Windows-1252 (curly quotes, œ), which is decoded here: libxml2
            // read them as strict Latin-1, turning "cœur" into "c" and "ur" around a control code.
            if Windows1252.labels.contains(charset) { return (Windows1252.utf8(bytes), "UTF-8", []) }
            return (bytes, nil, [])
        }
        // Undeclared and without one UTF-8 sequence: Windows-1252, as browsers read such pages in
        // Western locales and as text files are read (`TextDecoding`); "café" had become "caf\u{FFFD}".
        if !TextDecoding.holdsUTF8Sequence(bytes[...]) { return (Windows1252.utf8(bytes), "UTF-8", []) }
        let repaired = Array(String(decoding: bytes, as: UTF8.self).utf8)
        return (repaired, "UTF-8", ["invalid UTF-8 replaced with U+FFFD"])
    }

    /// libxml2 sets up its global state (the mutex of its string dictionaries among it) on
    /// first use, without a lock, unless told to first, as its manual asks of threaded
    /// programs: two workers opening their first page at once left an `index` run waiting on
    /// that mutex forever. A static is set up once, whichever thread gets there first.
    ///
    /// libxml2 also decides then whether the program has threads: only if every pthread
    /// function it names weakly is linked does it keep its state per thread. A static link
    /// leaves out any that nothing else calls (`pthread_equal`, see `Package.swift`), and
    /// libxml2 then shares one state among the workers: one `index` run of HTML pages in forty
    /// died of a corrupted heap. `xmlGetThreadId` answers 0 in that case, so a build that
    /// lost the symbol stops at its first page with this message instead.
    private static let libraryReady: Void = {
        xmlInitParser()
        if xmlGetThreadId() == 0 {
            fatalError("libxml2 reports no thread support (built without it, or a pthread function "
                + "missing from the link): HTML cannot be cleaned on several threads")
        }
    }()

    /// The parsed tree, and whether libxml2 read the page to its end: it stops early at nesting
    /// deeper than its limit (256), and what follows would be lost.
    private static func parse(_ bytes: [UInt8], encoding: String?) -> (htmlDocPtr?, Bool) {
        _ = libraryReady
        guard !bytes.isEmpty, let context = htmlNewParserCtxt() else { return (nil, false) }
        defer { htmlFreeParserCtxt(context) }
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_RECOVER.rawValue)
        let size = Int32(clamping: bytes.count)
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                if let encoding {
                    return encoding.withCString { htmlCtxtReadMemory(context, chars, size, nil, $0, options) }
                }
                return htmlCtxtReadMemory(context, chars, size, nil, nil, options)
            }
        }
        return (doc, context.pointee.disableSAX == 0)
    }

    /// Last resort when the tree is unusable: tags stripped, then the plain-text rules.
    private static func readAsText(_ bytes: [UInt8], warnings: [String]) -> Article {
        var article = PlainTextCleaner.clean(MarkupStripper.text(of: bytes))
        article.warnings = warnings + ["HTML could not be parsed to its end (nesting too deep?); read as text"]
        return article
    }

    private static func assemble(_ blocks: [PageBlock], _ meta: PageMetadata, parentOf: [Int], urlHint: String?,
                                 warnings: [String]) -> Article {
        var selection = ContentSelector.select(blocks)
        ArticleElement.widen(&selection, blocks, parentOf: parentOf)
        ArticleElement.dropOrphanLabels(&selection, blocks)
        if let description = meta.description { keepQuotedLead(&selection, blocks, description: description) }
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

extension HTMLCleaner {
    /// At least this many characters of a block must open the page's description for the block
    /// to count as quoted there.
    static let quotedLeadChars = 40

    /// Sites fill their meta description with the article's opening words, so a block the
    /// description opens with (or that opens with the description, cut short) is the article's
    /// lead, even where a sidebar's prose outweighed a short post. Markup furniture is not: a
    /// site-wide description can repeat a box of the page template.
    static func keepQuotedLead(_ selection: inout Selection, _ blocks: [PageBlock], description: String) {
        let wanted = TitleText.normalized(description)
        guard wanted.count >= quotedLeadChars else { return }
        for i in blocks.indices where !selection.isKept(i) && blocks[i].markupVeto == nil && blocks[i].linkChars == 0 {
            let text = TitleText.normalized(blocks[i].text)
            guard text.count >= quotedLeadChars else { continue }
            if wanted.hasPrefix(text) || text.hasPrefix(wanted.prefix(quotedLeadChars * 2)) {
                selection.widened.insert(i)
                selection.verdicts[i] = selection.verdicts[i].revised(quality: .good, reason: "the lead the page's description quotes")
                return
            }
        }
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
