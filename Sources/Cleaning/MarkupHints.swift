// MarkupHints: what tag names, ARIA roles and class/id words say about an element being page
// furniture (navigation, sharing, comments, promotions) or the article itself.

enum MarkupHints {
    /// The veto of a `<header>` outside an `<article>`: also a teaser card's own header.
    static let pageHeaderReason = "page header element"
    static let asideReason = "aside element"

    /// Words in class or id attributes that name page furniture. Matched as whole words of the
    /// attribute ("comment-list" → "comment"), never as substrings ("header" is not "ad").
    static let furnitureWords: Set<String> = otherStoriesWords.union([
        "share", "shares", "sharing", "sharedaddy", "sharebar", "social", "socials",
        "newsletter", "subscribe", "subscription", "signup",
        "breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "popup", "modal", "banner",
        "ad", "ads", "advert", "advertisement", "advertising", "sponsor", "sponsored",
        "footer", "nav", "navbar", "navigation", "menu", "masthead", "pagination", "pager", "toolbar",
        "tags", "tagcloud", "caption", "credit", "credits", "copyright",
        "login", "rss", "print", "byline", "author", "bio", "affiliate", "disclosure", "meta", "date",
        "rating", "ratings", "cta", "snippet", "flyout",
    ])

    /// Furniture that lists or discusses other stories (an aside, "most read", related links,
    /// comments): the dates in it are theirs. Other furniture (a "meta" line, a breadcrumb, a
    /// footer) often carries the page's own date.
    static func namesOtherStories(_ vetoReason: String) -> Bool {
        if vetoReason == asideReason || vetoReason == "role complementary" { return true }
        guard let open = vetoReason.firstIndex(of: "\""), vetoReason.last == "\"" else { return false }
        return otherStoriesWords.contains(String(vetoReason[vetoReason.index(after: open)..<vetoReason.index(before: vetoReason.endIndex)]))
    }

    /// The furniture words (below) of boxes about other stories, and of comment sections, named
    /// also in the languages with a stop list.
    static let otherStoriesWords: Set<String> = [
        "related", "relatedposts", "recommended", "recommendations", "promo", "promotion", "promoted", "sidebar",
        "widget", "widgets", "trending", "popular", "mostread", "taboola", "outbrain",
        "comment", "comments", "commentlist", "disqus", "respond", "replies",
        "kommentar", "kommentare", "commentaires", "comentarios", "commenti", "komentarze",
    ]

    static let furnitureRoles: Set<String> = [
        "navigation", "contentinfo", "complementary", "banner", "search", "menu", "menubar", "dialog", "alert",
    ]

    /// Compact (dash- and underscore-free) class names that mark the article body.
    static let articleClassMarks = [
        "articlebody", "articlecontent", "articletext", "postcontent", "postbody", "entrycontent",
        "storybody", "storycontent", "storytext",
    ]

    /// Why `e` is page furniture, or nil. `marksArticle`: `marksArticle(e)`, which the walker
    /// has found already (each element's markup is read once: read three times, these hints
    /// were a third of the time to index a folder of web pages).
    static func vetoReason(_ e: Element, insideArticle: Bool, marksArticle: Bool) -> String? {
        switch e.name {
        case "nav": return "nav element"
        case "footer": return "footer element"
        case "aside": return asideReason
        case "form": return "form element"
        case "figcaption": return "figure caption"
        // Vetoed rather than skipped: libxml2 lets an unclosed element inside <noscript> swallow
        // the rest of the page, and a veto holding the article is lifted.
        case "noscript": return "noscript element"
        case "header" where !insideArticle: return pageHeaderReason
        case "html", "body": return nil
        default: break
        }
        if marksArticle { return nil }
        if let role = e.attribute("role")?.lowercased(), furnitureRoles.contains(role) {
            return "role \(role)"
        }
        for name in ["class", "id"] {
            guard let value = e.attribute(name) else { continue }
            if let word = furnitureWord(in: value) { return "\(name) \"\(word)\"" }
        }
        for (name, value) in e.attributes where name.hasPrefix("data-") && isComponentName(value) {
            if let word = ASCIIWords.furnitureWord(in: value) { return "\(name) \"\(word)\"" }
        }
        return nil
    }

    /// Sites built from components name them in data attributes (data-qa="author-bio",
    /// data-component="share-bar") where others use a class, often with generated class names
    /// beside them that say nothing: such a name is read like a class. Only a single name of
    /// letters, digits, dashes and underscores: data attributes also hold addresses, dates,
    /// settings and JSON, whose words are no names of the element.
    static func isComponentName(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            bytes.count <= 40 && bytes.contains { isASCIILetter($0) } && bytes.allSatisfy { b in
                isASCIILetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
            }
        }
    }

    private static func isASCIILetter(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
    }

    static func marksArticle(_ e: Element) -> Bool {
        marksArticle(e, body: marksArticleBody(e))
    }

    /// `marksArticle(e)` given `marksArticleBody(e)`.
    static func marksArticle(_ e: Element, body: Bool) -> Bool {
        e.name == "article" || e.name == "main" || body
    }

    /// Narrower than <article> or <main>, which also wrap teaser cards and sidebars: the element
    /// the page itself names as the article's body text.
    static func marksArticleBody(_ e: Element) -> Bool {
        if let itemprop = e.attribute("itemprop"), ASCIIWords.lowercased(itemprop) == "articlebody" { return true }
        // The microformat convention: the post's text in "entry" (or "entry-content") inside "hentry".
        let className = e.attribute("class"), id = e.attribute("id")
        if className == nil && id == nil { return false }
        if let className, ASCIIWords.spaceSeparated(className, contain: "entry") { return true }
        let compact = CompactName(className, id, dropping: [UInt8(ascii: "-"), UInt8(ascii: "_")])
        return articleClassMarks.contains { compact.contains($0) }
    }

    /// Class names that state a page's state rather than an element's role: "has-sidebar",
    /// "with-comments", "comments-open".
    static let stateWords: Set<String> = ["has", "with", "no", "is", "show", "hide", "open", "closed", "enabled", "active"]

    private static func furnitureWord(in attribute: String) -> String? {
        ASCIIWords.isASCII(attribute) ? ASCIIWords.furnitureWord(in: attribute) : furnitureWordByCharacter(in: attribute)
    }

    /// `furnitureWord(in:)` for any attribute, by `Character`.
    static func furnitureWordByCharacter(in attribute: String) -> String? {
        for className in attribute.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            let words = classWords(className)
            guard let first = words.first, let last = words.last,
                  !stateWords.contains(first), !stateWords.contains(last) else { continue }
            if let word = words.first(where: furnitureWords.contains) { return word }
        }
        return nil
    }

    /// The words of one class name, split at dashes, underscores and digits and, as generated
    /// and camel-cased names run words together ("RelatedCoverage", "authorInfo"), at a capital
    /// after a lower-case letter; lowercased.
    static func classWords(_ className: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for c in className {
            let (isLetter, isUpper, isLower) = Self.letterCase(c)
            if !isLetter || (isUpper && previousLower) {
                if !current.isEmpty { words.append(current.lowercased()) }
                current = ""
            }
            if isLetter { current.append(c) }
            previousLower = isLower
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }

    /// `isLetter`, `isUppercase` and `isLowercase`, answered without Unicode's tables for ASCII,
    /// which nearly every class name is: the tables had a fifth of the time to index HTML pages.
    private static func letterCase(_ c: Character) -> (letter: Bool, upper: Bool, lower: Bool) {
        guard let a = c.asciiValue else { return (c.isLetter, c.isUppercase, c.isLowercase) }
        let upper = a >= UInt8(ascii: "A") && a <= UInt8(ascii: "Z")
        let lower = a >= UInt8(ascii: "a") && a <= UInt8(ascii: "z")
        return (upper || lower, upper, lower)
    }
}

/// The hints above read from an attribute's UTF-8 bytes when it is all ASCII, as nearly every
/// class name is, giving what the `String` and `Character` forms give (which are used
/// otherwise). Splitting by `Character` cost a string and grapheme breaking per word.
enum ASCIIWords {
    /// `value.lowercased()`, by byte arithmetic when it is all ASCII.
    static func lowercased(_ value: String) -> String {
        var value = value
        let lowered: [UInt8]? = value.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return bytes.map(lowercase)
        }
        return lowered.map { String(decoding: $0, as: UTF8.self) } ?? value.lowercased()
    }

    /// Whether `word` is one of `value`'s pieces between single spaces.
    static func spaceSeparated(_ value: String, contain word: String) -> Bool {
        var value = value, word = word
        let answer: Bool? = value.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return word.withUTF8 { wanted in
                bytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).contains { $0.elementsEqual(wanted) }
            }
        }
        return answer ?? value.split(separator: " ").contains(Substring(word))
    }

    /// All ASCII, and no carriage return, which with a line feed after it is one `Character`.
    static func isASCII(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { $0.allSatisfy { $0 < 0x80 && $0 != 0x0D } }
    }

    /// `MarkupHints.furnitureWord(in:)` for an all-ASCII attribute.
    static func furnitureWord(in attribute: String) -> String? {
        var attribute = attribute
        return attribute.withUTF8 { bytes in
            for className in bytes.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }) {
                if let word = furnitureWord(inClassName: className) { return word }
            }
            return nil
        }
    }

    /// The class name's first furniture word, unless its first or last word states the page's
    /// state; the words as `MarkupHints.classWords` cuts them. A word becomes a string only when
    /// a furniture word of its length starts with its letter (`mayBeFurniture`), and the first
    /// and last words only once one is found.
    private static func furnitureWord(inClassName name: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        var firstWord: Range<Int>?, lastWord: Range<Int>?, furniture: String?
        var start = -1  // where the current word began, -1 between words
        var previousLower = false
        func endWord(at end: Int) {
            guard start >= 0 else { return }
            let word = start..<end
            if firstWord == nil { firstWord = word }
            lastWord = word
            if furniture == nil && mayBeFurniture(name[word]), case let text = string(name[word]),
               MarkupHints.furnitureWords.contains(text) {
                furniture = text
            }
            start = -1
        }
        for i in name.indices {
            let b = name[i]
            let upper = b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")
            let lower = b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")
            if !(upper || lower) || (upper && previousLower) { endWord(at: i) }
            if (upper || lower) && start < 0 { start = i }
            previousLower = lower
        }
        endWord(at: name.endIndex)
        guard let furniture, let firstWord, let lastWord,
              !MarkupHints.stateWords.contains(string(name[firstWord])),
              !MarkupHints.stateWords.contains(string(name[lastWord])) else {
            return nil
        }
        return furniture
    }

    /// The word lower-cased, as a string.
    private static func string(_ word: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        String(unsafeUninitializedCapacity: word.count) { out in
            for (k, b) in word.enumerated() { out[k] = lowercase(b) }
            return word.count
        }
    }

    /// Per first letter (a–z), a bit for each length some furniture word of that letter has.
    private static let furnitureLengths: [UInt64] = {
        var table = [UInt64](repeating: 0, count: 26)
        for word in MarkupHints.furnitureWords {
            let bytes = Array(word.utf8)
            guard let first = bytes.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"), bytes.count < 64 else {
                preconditionFailure("furniture word \(word) is not lower-case ASCII")
            }
            table[Int(first - UInt8(ascii: "a"))] |= 1 << UInt64(bytes.count)
        }
        return table
    }()

    /// Whether some furniture word has this word's first letter and length.
    @inline(__always)
    private static func mayBeFurniture(_ word: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard word.count < 64, let first = word.first else { return false }
        return furnitureLengths[Int(lowercase(first) &- UInt8(ascii: "a"))] & (1 << UInt64(word.count)) != 0
    }

    @inline(__always)
    private static func lowercase(_ b: UInt8) -> UInt8 { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b }
}

enum MarkupVetoes {
    /// A vetoing element that holds most of the article as the text alone shows it is a wrapper
    /// with an unlucky class ("has-sidebar", "comments-open"), not furniture: its veto is ignored.
    static let wrapperShare = 0.5

    static func apply(_ vetoes: [VetoRange], to blocks: [PageBlock]) -> [PageBlock] {
        guard !vetoes.isEmpty else { return blocks }
        let coreChars = articleCoreChars(blocks)
        let total = coreChars.reduce(0, +)
        var result = blocks
        for veto in vetoes where !veto.blocks.isEmpty && !isWrapper(veto, coreChars, total, blocks) {
            for i in veto.blocks where result[i].markupVeto == nil {
                result[i].markupVeto = veto.reason
            }
        }
        return removeSiteBuildingBlocks(result, coreChars, total)
    }

    private static func isWrapper(_ veto: VetoRange, _ coreChars: [Int], _ total: Int, _ blocks: [PageBlock]) -> Bool {
        let held = veto.blocks.reduce(0) { $0 + coreChars[$1] }
        guard total > 0 && Double(held) > wrapperShare * Double(total) else { return false }
        return !isPageFrameOutsideArticle(veto.reason, veto.blocks, blocks)
    }

    /// The page's own frame (footer, nav, aside, page header) outside an <article> or <main>
    /// that holds prose of its own holds no article: where the text alone lost the article
    /// among a gallery's captions, a <footer>'s legal notice had been the core, its veto lifted,
    /// and the notice printed as the article. A class word is left to the wrapper rule: themes
    /// wrap the article in "content-sidebar-wrap" and put teasers in <article> elements.
    private static func isPageFrameOutsideArticle(_ reason: String, _ held: some Sequence<Int>, _ blocks: [PageBlock]) -> Bool {
        pageFrameReasons.contains(reason) && held.allSatisfy { !blocks[$0].inArticleMarkup } && hasArticleProse(blocks)
    }

    private static let pageFrameReasons: Set<String> = ["footer element", "nav element", MarkupHints.asideReason, MarkupHints.pageHeaderReason]

    /// Whether blocks inside article markup hold a sentence-long paragraph.
    private static func hasArticleProse(_ blocks: [PageBlock]) -> Bool {
        blocks.contains { $0.inArticleMarkup && $0.markupVeto == nil && !$0.isHeading && $0.measure.words >= 12 }
    }

    /// A class word that marks most of the article's paragraphs one by one (page builders call
    /// every box a "widget") is the site's building block, not furniture: its vetoes are lifted.
    private static func removeSiteBuildingBlocks(_ blocks: [PageBlock], _ coreChars: [Int], _ total: Int) -> [PageBlock] {
        guard total > 0 else { return blocks }
        var heldByReason: [String: Int] = [:]
        for i in blocks.indices {
            if let reason = blocks[i].markupVeto { heldByReason[reason, default: 0] += coreChars[i] }
        }
        let lifted = Set(heldByReason.filter { reason, held in
            Double(held) > wrapperShare * Double(total)
                && !isPageFrameOutsideArticle(reason, blocks.indices.filter { blocks[$0].markupVeto == reason }, blocks)
        }.keys)
        guard !lifted.isEmpty else { return blocks }
        var result = blocks
        for i in result.indices where result[i].markupVeto.map(lifted.contains) == true {
            result[i].markupVeto = nil
        }
        return result
    }

    /// Characters of each block that text-only selection (no markup vetoes) keeps as the article.
    private static func articleCoreChars(_ blocks: [PageBlock]) -> [Int] {
        let selection = ContentSelector.select(blocks)
        return blocks.indices.map { selection.isKept($0) ? blocks[$0].measure.chars : 0 }
    }
}
