// DOMWalker: turns a libxml2 HTML tree into blocks in reading order, carrying what the markup
// says about each (heading, link text, inside article/nav/footer, class hints) and the metadata.
internal import CLibXML2

/// Blocks that a vetoing element (nav, footer, class "share") held, recorded when it closes.
struct VetoRange {
    var reason: String
    var blocks: Range<Int>
}

struct DOMWalker {
    private(set) var blocks: [PageBlock] = []
    private(set) var vetoes: [VetoRange] = []
    private(set) var metadata = PageMetadata()
    /// For each block element (by id, 1-based), the block element around it; 0 at the top.
    private(set) var parentOf: [Int] = [0]

    private struct Frame {
        var isBlock = false
        var veto: String?
        var vetoStart = 0
        var inArticle = false
        var inArticleBody = false
        var inLink = false
        var inHeading = false
        var isH1 = false
        /// The innermost block element around this point, and the one around that.
        var blockID = 0
        var parentBlockID = 0
    }

    private var frames: [Frame] = [Frame()]
    private var buffer = TextBuffer()
    private var elementCount = 0

    /// Iterative pre-order walk: libxml2 trees can be deeper than the stack allows recursion.
    mutating func walk(_ root: xmlNodePtr) {
        var current: xmlNodePtr? = root
        while let node = current {
            if enter(node), let child = node.pointee.children {
                current = child
                continue
            }
            var climbing: xmlNodePtr? = node
            current = nil
            while let done = climbing {
                leave(done)
                if done == root { break }
                if let next = done.pointee.next {
                    current = next
                    break
                }
                climbing = done.pointee.parent
            }
        }
        flush()
    }

    /// Handles a node on the way down; returns whether to visit its children.
    private mutating func enter(_ node: xmlNodePtr) -> Bool {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            appendText(node)
            return false
        case XML_ELEMENT_NODE:
            return enterElement(node)
        default:
            return false
        }
    }

    private mutating func enterElement(_ node: xmlNodePtr) -> Bool {
        let element = Element(node)
        metadata.collect(from: element, inFurniture: element.name == "time" && frames.contains { $0.veto.map(MarkupHints.namesOtherStories) ?? false })
        var frame = frames[frames.count - 1]
        frame.isBlock = HTMLTags.blockLevel.contains(element.name)
        frame.veto = nil
        // Set before a skipped element returns: inherited, its end had noted the h1's text so far.
        frame.isH1 = element.name == "h1"
        if frame.isBlock {
            flush()
            elementCount += 1
            frame.parentBlockID = frame.blockID
            frame.blockID = elementCount
            parentOf.append(frame.parentBlockID)
        }
        if HTMLTags.skipped.contains(element.name) || element.isHidden {
            // Hidden from screen readers only, it is still on the page between the words around
            // it (" – " between a kicker and a headline): they must not run together.
            if element.isAriaHidden { buffer.separate() }
            frames.append(frame)
            return false
        }
        let marksBody = MarkupHints.marksArticleBody(element)
        let marksArticle = MarkupHints.marksArticle(element, body: marksBody)
        if let veto = MarkupHints.vetoReason(element, insideArticle: frame.inArticle, marksArticle: marksArticle) {
            frame.veto = veto
            frame.vetoStart = blocks.count
        }
        frame.inArticle = frame.inArticle || marksArticle
        frame.inArticleBody = frame.inArticleBody || marksBody
        frame.inLink = frame.inLink || element.name == "a"
        frame.inHeading = frame.inHeading || HTMLTags.headings.contains(element.name)
        frames.append(frame)
        return true
    }

    private mutating func leave(_ node: xmlNodePtr) {
        guard node.pointee.type == XML_ELEMENT_NODE, frames.count > 1 else { return }
        let frame = frames[frames.count - 1]
        if frame.isH1 { metadata.noteH1(buffer.text) }
        if frame.isBlock { flush() }
        if let veto = frame.veto { vetoes.append(VetoRange(reason: veto, blocks: frame.vetoStart..<blocks.count)) }
        frames.removeLast()
    }

    private mutating func appendText(_ node: xmlNodePtr) {
        guard let content = node.pointee.content else { return }
        let frame = frames[frames.count - 1]
        buffer.append(content, link: frame.inLink, heading: frame.inHeading, article: frame.inArticle,
                      articleBody: frame.inArticleBody,
                      element: frame.blockID, container: frame.parentBlockID)
    }

    private mutating func flush() {
        guard let block = buffer.takeBlock() else { return }
        blocks.append(block)
    }
}

/// The text of the block being built, with whitespace collapsed as a browser would.
private struct TextBuffer {
    /// UTF-8, built byte by byte: appending scalar by scalar to a `String` had a sixth of the
    /// walker's time.
    private var bytes: [UInt8] = []
    var text: String { String(decoding: bytes, as: UTF8.self) }
    private var linkChars = 0
    private var heading = false
    private var article = false
    private var articleBody = false
    private var endsWithSpace = true
    private var container = 0
    private var element = 0

    mutating func append(_ content: UnsafePointer<xmlChar>, link: Bool, heading isHeading: Bool, article inArticle: Bool,
                         articleBody inArticleBody: Bool,
                         element innermost: Int, container parent: Int) {
        var piece = String(cString: content)  // invalid UTF-8 repaired, as a string makes it
        var added = 0  // in `TextMeasure.chars`' unit
        piece.withUTF8 { utf8 in
            var i = 0
            while i < utf8.count {
                let length = Self.scalarLength(leadByte: utf8[i])
                if Self.isSpace(utf8, at: i, length: length) {
                    if !endsWithSpace { bytes.append(0x20); endsWithSpace = true; added += 1 }
                } else {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[i..<i + length]))
                    endsWithSpace = false
                    added += length >= 3 ? ScriptDensity.weight(utf8, at: i, width: length) : 1
                }
                i += length
            }
        }
        if added > 0 {
            if link { linkChars += added }
            heading = heading || isHeading
            article = article || inArticle
            articleBody = articleBody || inArticleBody
            if container == 0 { container = parent }
            if element == 0 { element = innermost }
        }
    }

    /// The bytes of the scalar a lead byte of valid UTF-8 begins.
    @inline(__always)
    private static func scalarLength(leadByte b: UInt8) -> Int {
        b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
    }

    /// Whether the scalar at `i` (`length` bytes of valid UTF-8) is Unicode's White_Space or the
    /// no-break space; ASCII is answered without Unicode's tables, which had a sixth of the
    /// time to index HTML pages.
    @inline(__always)
    private static func isSpace(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int, length: Int) -> Bool {
        let b = utf8[i]
        if length == 1 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        var value = UInt32(b) & (0xFF >> UInt32(length + 1))
        for k in 1..<length { value = value << 6 | UInt32(utf8[i + k] & 0x3F) }
        return value == 0xA0 || Unicode.Scalar(value)!.properties.isWhitespace
    }

    /// A word break, as the text of an element left out would have made.
    mutating func separate() {
        if !endsWithSpace { bytes.append(0x20); endsWithSpace = true }
    }

    mutating func takeBlock() -> PageBlock? {
        defer { self = TextBuffer() }
        while bytes.last == 0x20 { bytes.removeLast() }
        guard !bytes.isEmpty else { return nil }
        var block = PageBlock(text: text)
        block.linkChars = min(linkChars, block.measure.chars)
        block.isHeading = heading
        block.inArticleMarkup = article
        block.inArticleBodyMarkup = articleBody
        block.containerID = container
        block.elementID = element
        return block
    }
}

/// An element's name and the attributes the cleaner reads, copied out of libxml2.
struct Element {
    let name: String
    private(set) var attributes: [(String, String)] = []

    init(_ node: xmlNodePtr) {
        name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
        var attr = node.pointee.properties
        while let a = attr {
            if let attrName = a.pointee.name {
                let value = a.pointee.children?.pointee.content.map { String(cString: $0) } ?? ""
                attributes.append((String(cString: attrName).lowercased(), value))
            }
            attr = a.pointee.next
        }
        self.node = node
    }

    let node: xmlNodePtr

    func attribute(_ wanted: String) -> String? {
        attributes.first { $0.0 == wanted }?.1
    }

    var isAriaHidden: Bool { attribute("aria-hidden") == "true" }

    var isHidden: Bool {
        if attribute("hidden") != nil || isAriaHidden { return true }
        guard let style = attribute("style") else { return false }
        let compact = CompactName(style, dropping: [UInt8(ascii: " ")])
        return compact.contains("display:none") || compact.contains("visibility:hidden")
    }

    /// All text below the element (for <title> and JSON-LD scripts, which are not walked).
    var textContent: String {
        guard let raw = xmlNodeGetContent(node) else { return "" }
        defer { xmlFree(raw) }
        return String(cString: raw)
    }
}

enum HTMLTags {
    static let blockLevel: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    ]
    /// Elements whose text is never article prose; `rt` and `rp` are ruby's reading aids
    /// (furigana over kanji), which had been read into the words they annotate. AMP's ad and
    /// consent elements hold placeholder and fallback text ("Ad failed to load") beside the
    /// paragraphs.
    static let skipped: Set<String> = [
        "script", "style", "template", "svg", "math", "iframe", "object", "embed",
        "canvas", "select", "option", "button", "textarea", "input", "title", "video", "audio", "map",
        "rt", "rp", "amp-ad", "amp-embed", "amp-sticky-ad", "amp-consent",
    ]
    static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
}

/// Attribute values as ASCII-lowercased UTF-8 with some bytes dropped, for looking up marks
/// written in lower-case ASCII ("articlebody", "display:none"). `String.contains(_:)` builds a
/// table of Characters in a dictionary at every call: with `lowercased()` and a Character
/// filter it took about a third of the time to index a folder of HTML pages.
struct CompactName {
    private var bytes: [UInt8] = []

    init(_ values: String?..., dropping dropped: [UInt8]) {
        for (k, value) in values.enumerated() {
            if k > 0 { bytes.append(UInt8(ascii: " ")) }
            for b in (value ?? "").utf8 where !dropped.contains(b) {
                bytes.append(b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b)
            }
        }
    }

    func contains(_ mark: String) -> Bool {
        let needle = mark.utf8
        guard let first = needle.first else { return true }
        guard needle.count <= bytes.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == first {
            if bytes[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }
}
