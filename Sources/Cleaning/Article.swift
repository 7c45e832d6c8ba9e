// Cleaning: what cleaning hands on: the article (title, date, paragraphs) and each block's decision.
// Owns those value types only; Cleaner.swift is the entry point, the selectors and classifiers decide.

/// What kind of bytes a page is, which decides the rules used on it.
public enum InputKind: String, Sendable {
    case plainText
    case html
}

/// One block of the page and what the cleaner decided about it.
public struct BlockDecision: Sendable, Equatable {
    public var text: String
    public var kept: Bool
    /// Why it was kept or dropped, in a few words ("short line run", "link density 0.8").
    public var reason: String

    public init(text: String, kept: Bool, reason: String) {
        self.text = text
        self.kept = kept
        self.reason = reason
    }
}

/// The cleaned article: what indexing stores and `newsidx clean` prints.
public struct Article: Sendable {
    public var title: String
    /// ISO 8601 date (yyyy-mm-dd) when one was found.
    public var date: String?
    public var paragraphs: [String]
    /// Every block in page order with its decision, for `--explain` and the dropped list.
    public var blocks: [BlockDecision]
    /// Problems met on the way that did not stop cleaning ("invalid UTF-8 replaced").
    public var warnings: [String]

    public init(title: String, date: String? = nil, paragraphs: [String],
                blocks: [BlockDecision] = [], warnings: [String] = []) {
        self.title = title
        self.date = date
        self.paragraphs = paragraphs
        self.blocks = blocks
        self.warnings = warnings
    }

    public var body: String { paragraphs.joined(separator: "\n\n") }
    public var dropped: [BlockDecision] { blocks.filter { !$0.kept } }
}
