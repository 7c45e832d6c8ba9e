// Query: phrase and NEAR/ADJ matching: a conjunction of terms, verified on positions.
// Owns the window definitions; positions are read only for documents that have every term.
import InvertedIndex

/// A phrase (one operand) or a proximity group (several), scored by its match frequency.
final class PositionalMatcher: Matcher {
    enum Mode {
        case phrase
        case near(distance: Int, ordered: Bool)
    }

    /// Per operand, the term matchers of its words in order.
    private let operands: [[TermMatcher]]
    private let conjunction: TermConjunctionMatcher
    private let mode: Mode
    let weight: BM25Weight
    private(set) var frequency = 0
    /// Position lists per operand and word, reused from document to document.
    private var buffers: [[[UInt32]]]
    /// Candidate phrase starts and one word's positions, for phraseFrequency.
    private var phraseStarts: [UInt32] = []
    private var phraseScratch: [UInt32] = []
    private let phraseCursors: [PostingCursor]

    init(operands: [[TermMatcher]], mode: Mode, weight: BM25Weight) throws {
        self.operands = operands
        self.mode = mode
        self.weight = weight
        buffers = operands.map { $0.map { _ in [] } }
        phraseCursors = operands[0].map(\.cursor)
        conjunction = try TermConjunctionMatcher(operands.flatMap { $0 })
        super.init()
        try verify(conjunction.doc)
    }

    override var cost: UInt64 { conjunction.cost }
    override func next() throws -> UInt32 { try verify(conjunction.next()) }
    override func advance(to target: UInt32) throws -> UInt32 { try verify(conjunction.advance(to: target)) }

    override func score() throws -> Double {
        try weight.score(tf: Double(frequency), length: operands[0][0].length(of: doc))
    }

    @discardableResult
    private func verify(_ start: UInt32) throws -> UInt32 {
        var d = start
        while d != Matcher.end {
            doc = d
            frequency = try matchFrequency()
            if frequency > 0 { break }
            d = try conjunction.next()
        }
        doc = d
        return doc
    }

    private func matchFrequency() throws -> Int {
        if case .phrase = mode { return try phraseFrequency() }
        for (o, operand) in operands.enumerated() {
            for (t, term) in operand.enumerated() { try term.cursor.positions(into: &buffers[o][t]) }
        }
        guard case let .near(distance, ordered) = mode else { return 0 }
        if operands.count == 2 && operands[0].count == 1 && operands[1].count == 1, try singleRegion() {
            // The common case, two words: one merge over two sorted lists, nothing allocated.
            let (a, b) = (buffers[0][0], buffers[1][0])
            return ordered ? Windows.orderedPairMatches(a, b, distance: distance)
                           : Windows.unorderedPairMatches(a, b, distance: distance)
        }
        var spans: [[Span]] = []
        for (o, operand) in operands.enumerated() {
            let starts = Windows.phraseStarts(buffers[o])
            if starts.isEmpty { return 0 }
            spans.append(starts.map { Span(start: $0, end: $0 + UInt32(operand.count - 1)) })
        }
        var total = 0
        for region in try regions(spans) {
            total += ordered ? Windows.orderedMatches(region, distance: distance)
                             : Windows.unorderedMatches(region, distance: distance)
        }
        return total
    }

    /// Phrase occurrences, reading the word with the fewest positions in this document first
    /// and keeping only the starts every further word confirms; once none remain, the other
    /// words' positions are never read. Finds the starts `Windows.phraseStarts` finds.
    private func phraseFrequency() throws -> Int {
        let cursors = phraseCursors
        if cursors.count == 1 {
            try cursors[0].positions(into: &phraseStarts)
            return phraseStarts.count
        }
        var first = 0
        for k in cursors.indices where cursors[k].tf < cursors[first].tf { first = k }
        try cursors[first].positions(into: &phraseStarts)
        Windows.shiftStarts(&phraseStarts, by: UInt32(first))
        for k in cursors.indices where k != first && !phraseStarts.isEmpty {
            unowned(unsafe) let c = cursors[k]
            try c.positions(into: &phraseScratch)
            Windows.keepStarts(&phraseStarts, confirmedBy: phraseScratch, offset: UInt32(k))
        }
        return phraseStarts.count
    }

    /// Whether all positions lie in one region (the document has no title, or the field is
    /// the title), so no window can need splitting.
    private func singleRegion() throws -> Bool {
        let first = operands[0][0]
        if first.cursor.term.field != .text { return true }
        return try first.titleLength(of: doc) == 0
    }

    /// A window never spans title and body: in the text field, split the spans at the title.
    private func regions(_ spans: [[Span]]) throws -> [[[Span]]] {
        let first = operands[0][0]
        guard first.cursor.term.field == .text else { return [spans] }
        let titleLength = try first.titleLength(of: doc)
        guard titleLength > 0 else { return [spans] }
        let title = spans.map { $0.filter { $0.start < titleLength } }
        let body = spans.map { $0.filter { $0.start >= titleLength } }
        return [title, body].filter { region in region.allSatisfy { !$0.isEmpty } }
    }
}

/// One occurrence of an operand: its first and last position.
public struct Span: Equatable, Sendable {
    public var start: UInt32
    public var end: UInt32
    public init(start: UInt32, end: UInt32) {
        self.start = start
        self.end = end
    }
}

/// The proximity definitions, as pure functions over sorted positions.
///
/// - Phrase: term i at position p + i for every i.
/// - NEAR/k (unordered): one occurrence of every operand such that the number of words between
///   the earliest-ending occurrence and the latest-starting one is at most k
///   (latestStart − earliestEnd − 1 ≤ k; overlapping occurrences qualify). For single words this
///   is SQLite FTS5's NEAR.
/// - ADJ/k (ordered): occurrences in the written order, each starting after the previous one
///   ends, with at most k words in the gaps between them altogether.
/// A chain `a NEAR/3 b NEAR/5 c` is one group with the smallest distance named.
public enum Windows {
    /// Turns a word's positions into the phrase starts they imply (the word is `offset`
    /// words into the phrase), dropping positions too early to start a phrase.
    public static func shiftStarts(_ positions: inout [UInt32], by offset: UInt32) {
        guard offset > 0 else { return }
        positions.removeAll { $0 < offset }
        for i in positions.indices { positions[i] -= offset }
    }

    /// Keeps the starts `s` for which `positions` (sorted) holds `s + offset`.
    public static func keepStarts(_ starts: inout [UInt32], confirmedBy positions: [UInt32], offset: UInt32) {
        var kept = 0, j = 0
        for s in starts {
            let target = s + offset
            while j < positions.count && positions[j] < target { j += 1 }
            if j == positions.count { break }
            if positions[j] == target {
                starts[kept] = s
                kept += 1
            }
        }
        starts.removeLast(starts.count - kept)
    }

    /// `unorderedMatches` for two single words, in one merge.
    public static func unorderedPairMatches(_ a: [UInt32], _ b: [UInt32], distance: Int) -> Int {
        var i = 0, j = 0
        var latestA = -1, latestB = -1
        var count = 0
        while i < a.count || j < b.count {
            let p: Int
            if j == b.count || (i < a.count && a[i] <= b[j]) {
                p = Int(a[i]); latestA = p; i += 1
            } else {
                p = Int(b[j]); latestB = p; j += 1
            }
            guard latestA >= 0 && latestB >= 0 else { continue }
            if p - min(latestA, latestB) - 1 <= distance { count += 1 }
        }
        return count
    }

    /// `orderedMatches` for two single words: each `a` with the first `b` after it.
    public static func orderedPairMatches(_ a: [UInt32], _ b: [UInt32], distance: Int) -> Int {
        var j = 0
        var count = 0
        for p in a {
            while j < b.count && b[j] <= p { j += 1 }
            if j == b.count { break }
            if Int(b[j]) - Int(p) - 1 <= distance { count += 1 }
        }
        return count
    }

    public static func phraseStarts(_ lists: [[UInt32]]) -> [UInt32] {
        guard let first = lists.first else { return [] }
        return first.filter { p in
            for i in 1..<max(lists.count, 1) where !contains(lists[i], p + UInt32(i)) { return false }
            return true
        }
    }

    /// How many latest-starting occurrences close a qualifying window (0 = no match).
    public static func unorderedMatches(_ spans: [[Span]], distance: Int) -> Int {
        var events: [(span: Span, operand: Int)] = []
        for (i, list) in spans.enumerated() { for s in list { events.append((s, i)) } }
        events.sort { $0.span.start < $1.span.start || ($0.span.start == $1.span.start && $0.operand < $1.operand) }
        var latest = [Span?](repeating: nil, count: spans.count)
        var seen = 0
        var count = 0
        for (span, operand) in events {
            if latest[operand] == nil { seen += 1 }
            latest[operand] = span
            guard seen == spans.count else { continue }
            let earliestEnd = latest.lazy.map { $0!.end }.min()!
            if Int(span.start) - Int(earliestEnd) - 1 <= distance { count += 1 }
        }
        return count
    }

    /// How many occurrences of the first operand start a qualifying ordered window.
    public static func orderedMatches(_ spans: [[Span]], distance: Int) -> Int {
        var count = 0
        for first in spans[0] {
            var previousEnd = first.end
            var gaps = 0
            var complete = true
            for list in spans.dropFirst() {
                guard let next = list.first(where: { $0.start > previousEnd }) else { complete = false; break }
                gaps += Int(next.start) - Int(previousEnd) - 1
                previousEnd = next.end
            }
            if complete && gaps <= distance { count += 1 }
        }
        return count
    }

    static func contains(_ sorted: [UInt32], _ value: UInt32) -> Bool {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == value
    }
}
