// HTMLCleaner: cleaning for HTML pages: parsing with libxml2 (no network, no entity loading),
// then selection over the DOM's blocks, with the title and date taken from the page metadata.
internal import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

enum HTMLCleaner {
    static func clean(_ bytes: [UInt8], urlHint: String?, legacy: LegacyEncoding? = nil) -> Article {
        let (input, encoding, warnings) = prepareInput(bytes, legacy: legacy)
        // libxml2 makes no tree of an empty page, which is no sign of a page it could not read.
        if input.allSatisfy({ $0 == 0x20 || (0x09...0x0D).contains($0) }) {
            return Article(title: "", paragraphs: [])
        }
        let (parsed, complete) = parse(StrayEndTags.dropped(from: input), encoding: encoding)
        guard let doc = parsed, complete else {
            if let doc = parsed { xmlFreeDoc(doc) }
            return readAsText(input, warnings: warnings)
        }
        defer { xmlFreeDoc(doc) }
        var walker = DOMWalker()
        if let root = xmlDocGetRootElement(doc) { walker.walk(root) }
        let blocks = MarkupVetoes.apply(walker.vetoes, to: walker.blocks.map(withC1Mapped))
        return assemble(blocks, walker.metadata, parentOf: walker.parentOf, urlHint: urlHint, warnings: warnings)
    }

    /// A page that declares no charset is in the encoding the person named when its bytes are
    /// that encoding's (`LegacyEncoding.claims`). Otherwise valid UTF-8 is parsed as UTF-8
    /// whatever the page declares (but ISO-2022's escapes); a page in a declared legacy charset
    /// is left to libxml2; an undeclared one is Windows-1252 when it holds no UTF-8 sequence at
    /// all, else repaired with U+FFFD first, and reported.
    private static func prepareInput(_ raw: [UInt8], legacy: LegacyEncoding?) -> ([UInt8], String?, [String]) {
        // libxml2 stops reading at a NUL byte, losing the rest of the page.
        let bytes = raw.contains(0) ? raw.map { $0 == 0 ? 0x20 : $0 } : raw
        let declared = DeclaredCharset.find(in: bytes)
        if declared == nil, let legacy, legacy.claims(bytes[...]) {
            let (decoded, replaced) = legacy.utf8(bytes)
            return (decoded, "UTF-8", legacy.note(replaced: replaced))
        }
        if String(validating: bytes, as: UTF8.self) != nil {
            // ISO-2022 text is ASCII with escape codes: valid UTF-8, but not UTF-8's to read.
            if let charset = declared, charset.contains("2022"), bytes.contains(0x1B) { return (bytes, nil, []) }
            return (bytes, "UTF-8", [])
        }
        if let charset = declared, !charset.hasPrefix("utf") {
            // Latin-1 labels mean Windows-1252 (curly quotes, œ), which is decoded here: libxml2
            // read them as strict Latin-1, turning "cœur" into "c" and "ur" around a control code.
            if Windows1252.labels.contains(charset) { return (Windows1252.utf8(bytes), "UTF-8", []) }
            return (bytes, nil, [])
        }
        // Undeclared and without one UTF-8 sequence: Windows-1252, as browsers read such pages in
        // Western locales and as text files are read (`TextDecoding`); "café" had become "caf\u{FFFD}".
        if !TextDecoding.holdsUTF8Sequence(bytes[...]) { return (Windows1252.utf8(bytes), "UTF-8", []) }
        let repaired = Array(String(decoding: bytes, as: UTF8.self).utf8)
        return (repaired, "UTF-8", [TextDecoding.invalidUTF8(encodingGiven: legacy != nil)])
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

    /// Elements nested deeper than this stop the parse, and the page is read as text. libxml2
    /// 2.9.14 stops at 256 by itself: a page of 300 comments each leaving a </div> open lost its
    /// DOM rules and kept every comment (precision 0.05; 1.0 with this limit). `XML_PARSE_HUGE`
    /// lifts that limit altogether, so this one, which later libxml2 releases set for the same
    /// option, is kept by `startElementWithinDepth`. It bounds the parser's work on a stray end
    /// tag, which libxml2 looks for down the whole stack of open elements: 200,000 of them under
    /// 2,040 open divs (a 2 MB page) take 1.3 s, under 250 0.2 s, under 5,000 1.9 s. The walk is
    /// iterative: a tree 100,000 deep, parsed whole without this limit, was walked in 1.3 s.
    static let maxDepth = 2_048

    /// The tree builder's own start of an element, which `startElementWithinDepth` calls.
    private static let treeStartElement: startElementSAXFunc? = {
        guard let context = htmlNewParserCtxt() else { return nil }
        defer { htmlFreeParserCtxt(context) }
        return context.pointee.sax.pointee.startElement
    }()

    /// Stops the parse at an element deeper than `maxDepth`; `parse` then finds it incomplete.
    private static let startElementWithinDepth: startElementSAXFunc = { ctx, name, attributes in
        guard let context = ctx?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
        if context.pointee.nodeNr >= HTMLCleaner.maxDepth {
            xmlStopParser(context)
            return
        }
        HTMLCleaner.treeStartElement?(ctx, name, attributes)
    }

    /// The parsed tree, and whether libxml2 read the page to its end: it stops early at nesting
    /// deeper than `maxDepth`, and what follows would be lost.
    private static func parse(_ bytes: [UInt8], encoding: String?) -> (htmlDocPtr?, Bool) {
        _ = libraryReady
        guard !bytes.isEmpty, treeStartElement != nil, let context = htmlNewParserCtxt() else { return (nil, false) }
        defer { htmlFreeParserCtxt(context) }
        // The context owns its copy of the handler, so other parses are untouched.
        context.pointee.sax.pointee.startElement = startElementWithinDepth
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_RECOVER.rawValue | XML_PARSE_HUGE.rawValue)
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

    /// A block whose text holds C1 controls, measured again with them read as Windows-1252.
    private static func withC1Mapped(_ block: PageBlock) -> PageBlock {
        guard let text = Windows1252.mappingC1(block.text) else { return block }
        var mapped = block
        mapped.text = text
        mapped.measure = TextMeasure(text)
        return mapped
    }

    private static func assemble(_ blocks: [PageBlock], _ meta: PageMetadata, parentOf: [Int], urlHint: String?,
                                 warnings: [String]) -> Article {
        var selection = ContentSelector.select(blocks)
        ArticleElement.widen(&selection, blocks, parentOf: parentOf)
        ArticleElement.dropOrphanLabels(&selection, blocks)
        // Read as the blocks are, so the description and title still match the blocks they quote.
        let mapC1 = { (s: String) in Windows1252.mappingC1(s) ?? s }
        if let description = meta.description.map(mapC1) { keepQuotedLead(&selection, blocks, description: description) }
        let title = meta.bestTitle.map(mapC1)
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
        var article = Article(title: title ?? titleIndex.map { blocks[$0].text } ?? "", date: date?.iso,
                              paragraphs: paragraphs, blocks: decisions, warnings: warnings)
        preferArticleBody(meta.articleBodies, titleIndex: titleIndex, in: &article)
        return article
    }
}

extension HTMLCleaner {
    /// An articleBody shorter than this is a teaser or a summary, not the article.
    static let articleBodyMinWords = 50

    /// A page states its whole article in JSON-LD for search engines, while an app shell
    /// renders it only by script and a paywall shows its first paragraphs. So the page's one
    /// article-typed articleBody of at least `articleBodyMinWords` words is the body when the
    /// visible article has fewer than half its words, or fewer than 80% and every visible
    /// paragraph is found in it (the opening a paywall leaves). Otherwise the visible article
    /// stays: it keeps the page's paragraphs, which articleBody often runs into one line. On the
    /// development pages the visible article never falls under these (at least 0.65 of the
    /// words; the two under 0.8 show paragraphs that articleBody lacks).
    /// Several different articleBodies are a listing of stories, none of them the page's.
    static func preferArticleBody(_ bodies: [String], titleIndex: Int?, in article: inout Article) {
        guard let body = bodies.first, bodies.allSatisfy({ $0 == body }) else { return }
        let paragraphs = articleBodyParagraphs(body)
        let stated = wordCount(paragraphs)
        guard stated >= articleBodyMinWords else { return }
        let shown = wordCount(article.paragraphs)
        guard shown * 2 < stated || shown * 5 < stated * 4 && showsOnlyPart(of: paragraphs, article.paragraphs) else { return }
        let reason = "JSON-LD articleBody (the page shows \(shown) of its \(stated) words)"
        var replaced: [Int] = []
        for i in article.blocks.indices where article.blocks[i].kept && i != titleIndex {
            article.blocks[i].kept = false
            article.blocks[i].reason = "replaced by the " + reason
            replaced.append(i)
        }
        article.paragraphs = paragraphs
        let added = paragraphs.map { BlockDecision(text: $0, kept: true, reason: reason) }
        article.blocks.insert(contentsOf: added, at: replaced.first ?? article.blocks.count)
    }

    private static func wordCount(_ paragraphs: [String]) -> Int {
        paragraphs.reduce(0) { $0 + TextMeasure($1).words }
    }

    /// Compared as letters and digits alone, since the page and the script punctuate and
    /// space the same text differently.
    static func showsOnlyPart(of stated: [String], _ shown: [String]) -> Bool {
        let whole = TitleText.normalized(stated.joined(separator: " "))
        return shown.allSatisfy { whole.contains(TitleText.normalized($0)) }
    }

    /// One paragraph per line. Some sites write their article's HTML into articleBody, whose
    /// tags (`<p>` unclosed, `<br>`) end paragraphs as line breaks do, and its entities
    /// (`&rsquo;`, `&#8217;`: 14 of the 36 articleBodies of the development pages) stand for
    /// characters; both had been stored as written, so "8217" found the page. Others escape
    /// that HTML as text (`&lt;p&gt;`, its own entities escaped twice: `&amp;ccedil;`, on two
    /// development pages), which no one reading can be sure to undo, so such a body gives none.
    static func articleBodyParagraphs(_ body: String) -> [String] {
        if body.contains("&lt;") { return [] }
        let text = body.contains("<") || body.contains("&") ? MarkupStripper.text(of: Array(body.utf8)) : body
        return text.split(whereSeparator: { $0.isNewline }).map { TitleText.collapsed(String($0)) }.filter { !$0.isEmpty }
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

/// `</html>` and `</body>` before the page's last tags: libxml2 stops building the tree at
/// them and loses the rest of the page, where browsers keep reading it into the body.
enum StrayEndTags {
    /// The page without them; the same array, uncopied, when it has none (nearly every page).
    static func dropped(from bytes: [UInt8]) -> [UInt8] {
        let stray = bytes.withUnsafeBufferPointer { find(in: $0) }
        guard !stray.isEmpty else { return bytes }
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var from = 0
        for tag in stray {
            kept += bytes[from..<tag.lowerBound]
            from = tag.upperBound
        }
        kept += bytes[from...]
        return kept
    }

    /// The byte ranges of the stray end tags, in page order.
    private static func find(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let tail = tailStart(bytes)
        var found: [Range<Int>] = []
        var i = 0
        guard let base = bytes.baseAddress else { return [] }
        while i + 1 < tail {
            // memchr to the next "<": a byte at a time, this scan was 2% of cleaning.
            guard let next = memchr(base + i, Int32(UInt8(ascii: "<")), tail - 1 - i) else { break }
            i = base.distance(to: next.assumingMemoryBound(to: UInt8.self))
            if bytes[i + 1] == UInt8(ascii: "/"), let end = endOfTag(bytes, at: i) {
                found.append(i..<end)
                i = end
            } else {
                i += 1
            }
        }
        return found
    }

    /// Where the page's closing run begins: its last `</body>` and `</html>` tags with only
    /// white space after them, which close the page where it ends anyway.
    private static func tailStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var start = bytes.count
        while true {
            var end = start
            while end > 0 && isSpace(bytes[end - 1]) { end -= 1 }
            guard end > 0, bytes[end - 1] == UInt8(ascii: ">"),
                  let open = (0..<(end - 1)).last(where: { bytes[$0] == UInt8(ascii: "<") }),
                  endOfTag(bytes, at: open) == end else { return start }
            start = open
        }
    }

    /// The end (past its '>') of the `</html ...>` or `</body ...>` tag at `i`, else nil.
    private static func endOfTag(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let nameStart = i + 2, nameEnd = i + 6
        guard nameEnd < bytes.count, bytes[i + 1] == UInt8(ascii: "/") else { return nil }
        // Compared in place, ASCII lower-cased: this runs at every end tag of every page.
        func named(_ name: String) -> Bool { zip(bytes[nameStart..<nameEnd], name.utf8).allSatisfy { $0 | 0x20 == $1 } }
        guard named("html") || named("body") else { return nil }
        let next = bytes[nameEnd]
        guard next == UInt8(ascii: ">") || next == UInt8(ascii: "/") || isSpace(next) else { return nil }
        return bytes[nameEnd...].firstIndex(of: UInt8(ascii: ">")).map { $0 + 1 }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
}
