// Query: phrase and NEAR/ADJ matching: candidates from a conjunction of terms, checked on positions.
// Owns the window definitions and the order in which a candidate's words are looked up and read.
import Analysis
import InvertedIndex

/// A phrase (one operand) or a proximity group (several), scored by its match frequency.
final class PositionalMatcher: Matcher {
    enum Mode {
        case phrase
        case near(distance: Int, ordered: Bool)
    }

    /// Per operand, the term matchers of its words in order. They own the cursors below.
    private let operands: [[TermMatcher]]
    private let conjunction: TermConjunctionMatcher
    private let mode: Mode
    let weight: BM25Weight
    private(set) var frequency = 0
    /// Every operand's word cursors, operand after operand, in plain memory: they are read for
    /// every candidate, and class references taken out of arrays cost a retain and release each.
    private let words: UnsafeMutablePointer<Unmanaged<PostingCursor>>
    private let wordCount: Int
    /// Where each operand's words start in `words`, with the total last.
    private let operandOffsets: [Int]
    /// Word indexes of one operand in the order they are checked, and the starts that
    /// survive: scratch memory reused from candidate to candidate.
    private let order: UnsafeMutablePointer<Int>
    /// In a phrase of three words or more, the words past the two rarest (by document
    /// frequency) stay out of the candidate conjunction; they follow the other two in `order`,
    /// rarest first. A candidate moves their cursors only when the rarer words leave starts
    /// to confirm, so most candidates never load a block of a word like "the".
    private let lazyWords: Int
    private var starts = PositionScratch()
    private let reader: IndexReader
    private let field: Field
    /// NEAR/ADJ of two single words: the common case, checked with one merge and no spans.
    private let isWordPair: Bool
    /// Operands that may cover the same words of a document: one word given twice, a phrase
    /// holding another operand's word, or Chinese and Japanese pairs stacked on characters.
    /// No word fills two operands (`Windows.disjointUnorderedMatches`).
    private let operandsMayOverlap: Bool
    /// NEAR of one word with itself, which needs two of its occurrences.
    private let isRepeatedWord: Bool
    /// Per operand, how many positions past its start it ends: one less than its words, and
    /// one more when its last term is a pair of Chinese or Japanese characters, whose second
    /// character is the next position's ("芯片 ADJ/0 产业" holds 芯片产业).
    private let operandTails: [UInt32]
    /// A dated search's days: a candidate dated outside is passed over before its positions
    /// are read (the filter above would drop it only after).
    private let days: DayRange?

    init(operands: [[TermMatcher]], mode: Mode, weight: BM25Weight, days: DayRange? = nil) throws {
        self.operands = operands
        self.days = days
        self.mode = mode
        self.weight = weight
        let cursors = operands.flatMap { $0.map { $0.cursor } }
        wordCount = cursors.count
        words = .allocate(capacity: wordCount)
        for (i, c) in cursors.enumerated() { (words + i).initialize(to: .passUnretained(c)) }
        operandOffsets = operands.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        order = .allocate(capacity: operands.map { $0.count }.max()!)
        reader = operands[0][0].reader
        field = operands[0][0].cursor.term.field
        let pairs = reader.store.eastAsian == .pairs
        operandTails = operands.map { words in
            UInt32(words.count - 1) + (pairs && EastAsianTerms.isPair(words[words.count - 1].cursor.term.term) ? 1 : 0)
        }
        isWordPair = operands.count == 2 && wordCount == 2 && operandTails == [0, 0]
        let termsByOperand = operands.map { Set($0.map { $0.cursor.term.term }) }
        let sharedTerm = termsByOperand.indices.contains { i in
            termsByOperand[..<i].contains { !$0.isDisjoint(with: termsByOperand[i]) }
        }
        let eastAsian = pairs && termsByOperand.joined().contains { EastAsianTerms.isPairedText($0) }
        operandsMayOverlap = sharedTerm || eastAsian
        isRepeatedWord = isWordPair && sharedTerm
        var eager = operands.flatMap { $0 }
        if case .phrase = mode, wordCount > 2 {
            let phrase = operands[0]
            let byRarity = phrase.indices.sorted { (phrase[$0].cost, $0) < (phrase[$1].cost, $1) }
            for (i, k) in byRarity.enumerated() { order[i] = k }
            eager = byRarity.prefix(2).map { phrase[$0] }
        }
        lazyWords = wordCount - eager.count
        conjunction = try TermConjunctionMatcher(eager)
        super.init()
        try verify(conjunction.doc)
    }

    deinit {
        words.deallocate()
        order.deallocate()
        starts.deallocate()
    }

    override var cost: UInt64 { conjunction.cost }
    override func next() throws -> UInt32 { try verify(conjunction.next()) }
    override func advance(to target: UInt32) throws -> UInt32 { try verify(conjunction.advance(to: target)) }

    override func score() throws -> Double {
        weight.score(tf: Double(frequency), length: try reader.length(of: doc, field))
    }

    /// With two words in the candidate conjunction, its candidates come from walking both
    /// words' blocks together rather than one `next()` at a time.
    override func collect(into collector: inout Collector) throws {
        guard conjunction.isPair, doc != Matcher.end else { return try super.collect(into: &collector) }
        try collector.add(doc, score: collector.scoring ? try score() : 0)
        _ = try conjunction.next()
        try conjunction.forEachPairMatch(movingCursors: true) { d, _, _ in
            doc = d
            frequency = try matchFrequency()
            if frequency > 0 { try collector.add(d, score: collector.scoring ? try score() : 0) }
        }
        doc = Matcher.end
    }

    @discardableResult
    private func verify(_ start: UInt32) throws -> UInt32 {
        var d = start
        while d != Matcher.end {
            doc = d
            if try days?.holds(d, reader) ?? true {
                frequency = try matchFrequency()
                if frequency > 0 { break }
            }
            d = try conjunction.next()
        }
        doc = d
        return doc
    }

    private func matchFrequency() throws -> Int {
        guard case let .near(distance, ordered) = mode else {
            // A one-word phrase occurs once per position, and a document holds tf of them.
            if wordCount == 1 { return Int(words[0]._withUnsafeGuaranteedRef { $0.tf }) }
            return try phraseStarts(ofWordsFrom: 0, count: wordCount, lazy: lazyWords)
        }
        if isWordPair { return try wordPairMatches(distance: distance, ordered: ordered) }
        var spans: [[Span]] = []
        for o in operands.indices {
            let length = operandOffsets[o + 1] - operandOffsets[o]
            let n = try phraseStarts(ofWordsFrom: operandOffsets[o], count: length, lazy: 0)
            if n == 0 { return 0 }
            spans.append((0..<n).map { Span(start: starts.base[$0], end: starts.base[$0] + operandTails[o]) })
        }
        var total = 0
        for region in try regions(spans) {
            total += ordered ? Windows.orderedMatches(region, distance: distance)
                : operandsMayOverlap ? Windows.disjointUnorderedMatches(region, distance: distance)
                : Windows.unorderedMatches(region, distance: distance)
        }
        return total
    }

    /// The phrase starts of `count` words from `words[first]` on, left in `starts`; returns how
    /// many. Reads the word with the fewest positions in this document first, then the others
    /// from rarest on, keeping only the starts each confirms: once none remain, the remaining
    /// words' positions are never read. The last `lazy` words, already in `order`, are not
    /// known to be in the document: each is looked for only when it is next to confirm.
    /// Finds the starts `Windows.phraseStarts` finds.
    private func phraseStarts(ofWordsFrom first: Int, count: Int, lazy: Int) throws -> Int {
        let eager = count - lazy
        if lazy == 0 { for k in 0..<count { order[k] = k } }
        for i in 1..<eager {
            let k = order[i]
            var j = i
            while j > 0 && tf(first + order[j - 1]) > tf(first + k) {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = k
        }
        let rarest = try words[first + order[0]]._withUnsafeGuaranteedRef { try $0.positions() }
        starts.reserve(rarest.count)
        var n = Windows.shiftStarts(rarest, by: UInt32(order[0]), into: starts.base)
        var r = 1
        while r < count && n > 0 {
            let k = order[r]
            if r >= eager, try !moveToCandidate(first + k) { return 0 }
            // Starts ascend, so no position past the last one's target is needed.
            let (limit, overflow) = starts.base[n - 1].addingReportingOverflow(UInt32(k))
            let positions = try words[first + k]._withUnsafeGuaranteedRef { try $0.positions(through: overflow ? .max : limit) }
            if n == 1 && !overflow {
                // Decoding stopped at the first position to reach the only target: the target
                // is that position or none.
                n = positions[positions.count - 1] == limit ? 1 : 0
            } else {
                n = Windows.keepStarts(starts.base, count: n, confirmedBy: positions, offset: UInt32(k))
            }
            r += 1
        }
        return n
    }

    /// Moves a word's cursor, never backwards, to the current candidate; returns whether the
    /// word is in it.
    private func moveToCandidate(_ word: Int) throws -> Bool {
        try words[word]._withUnsafeGuaranteedRef { c in
            (c.doc < doc ? try c.advance(to: doc) : c.doc) == doc
        }
    }

    @inline(__always)
    private func tf(_ word: Int) -> UInt32 { words[word]._withUnsafeGuaranteedRef { $0.tf } }

    /// NEAR/ADJ of two words straight from the cursors' buffers; in the text field the lists
    /// are split at the title, as a window never spans title and body. Splitting only removes
    /// windows, so a document without any across the whole field is passed over without
    /// reading its title length (a cache miss in the norms for most candidates).
    private func wordPairMatches(distance: Int, ordered: Bool) throws -> Int {
        let a = try words[0]._withUnsafeGuaranteedRef { try $0.positions() }
        let b = try words[1]._withUnsafeGuaranteedRef { try $0.positions() }
        if isRepeatedWord && !ordered { return try repeatedWordMatches(a, distance: distance) }
        let unsplit = Windows.pairMatches(a, b, distance, ordered)
        guard field == .text && unsplit > 0 else { return unsplit }
        let titleLength = try reader.length(of: doc, .title)
        guard titleLength > 0 else { return unsplit }
        let (titleA, bodyA) = Windows.split(a, at: titleLength)
        let (titleB, bodyB) = Windows.split(b, at: titleLength)
        return Windows.pairMatches(titleA, titleB, distance, ordered) + Windows.pairMatches(bodyA, bodyB, distance, ordered)
    }

    /// One word NEAR itself takes two of its occurrences (as the ordered merge already does).
    private func repeatedWordMatches(_ a: UnsafeBufferPointer<UInt32>, distance: Int) throws -> Int {
        let titleLength = field == .text ? try reader.length(of: doc, .title) : 0
        guard titleLength > 0 else { return Windows.repeatedWordMatches(a, distance: distance) }
        let (title, body) = Windows.split(a, at: titleLength)
        return Windows.repeatedWordMatches(title, distance: distance) + Windows.repeatedWordMatches(body, distance: distance)
    }

    /// A window never spans title and body: in the text field, split the spans at the title.
    private func regions(_ spans: [[Span]]) throws -> [[[Span]]] {
        guard field == .text else { return [spans] }
        let titleLength = try reader.length(of: doc, .title)
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
/// - NEAR/k (unordered): one occurrence of every operand, in a window holding at most k words
///   that are none of theirs (window width − the operands' lengths ≤ k), as Lucene's unordered
///   spans and Xapian's NEAR count. No word fills two operands: `alpha NEAR/0 alpha` needs two
///   alphas side by side, and `"alpha beta" NEAR/0 beta` a beta besides the phrase's (Lucene's
///   unordered spans let one occurrence fill both, LUCENE-3120; its ordered spans and ADJ do
///   not). For two operands this is SQLite FTS5's NEAR (latestStart − earliestEnd − 1 ≤ k).
/// - ADJ/k (ordered): occurrences in the written order, each starting after the previous one
///   ends, with at most k words in the gaps between them altogether.
/// A chain `a NEAR/3 b NEAR/5 c` is one group with the smallest distance named.
public enum Windows {
    /// Writes the phrase starts a word's positions imply (the word is `offset` words into the
    /// phrase) to `starts`, which has room for all of them, dropping positions too early to
    /// start a phrase; returns how many were written.
    public static func shiftStarts(_ positions: UnsafeBufferPointer<UInt32>, by offset: UInt32,
                                   into starts: UnsafeMutablePointer<UInt32>) -> Int {
        var n = 0
        for p in positions where p >= offset {
            starts[n] = p - offset
            n += 1
        }
        return n
    }

    /// Keeps, in place and in order, those of the first `count` starts `s` for which
    /// `positions` (sorted) holds `s + offset`; returns how many remain.
    public static func keepStarts(_ starts: UnsafeMutablePointer<UInt32>, count: Int,
                                  confirmedBy positions: UnsafeBufferPointer<UInt32>, offset: UInt32) -> Int {
        var kept = 0, j = 0
        for i in 0..<count {
            let s = starts[i]
            let target = s + offset
            while j < positions.count && positions[j] < target { j += 1 }
            if j == positions.count { break }
            if positions[j] == target {
                starts[kept] = s
                kept += 1
            }
        }
        return kept
    }

    /// The positions before `boundary` and those from it on.
    public static func split(_ positions: UnsafeBufferPointer<UInt32>, at boundary: UInt32)
        -> (before: UnsafeBufferPointer<UInt32>, from: UnsafeBufferPointer<UInt32>) {
        var lo = 0, hi = positions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if positions[mid] < boundary { lo = mid + 1 } else { hi = mid }
        }
        return (UnsafeBufferPointer(rebasing: positions[..<lo]), UnsafeBufferPointer(rebasing: positions[lo...]))
    }

    /// `orderedMatches` or `unorderedMatches` for two single words.
    @inline(__always)
    static func pairMatches(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>,
                            _ distance: Int, _ ordered: Bool) -> Int {
        ordered ? orderedPairMatches(a, b, distance: distance) : unorderedPairMatches(a, b, distance: distance)
    }

    /// `unorderedMatches` for two single words, in one merge: each position, taken in order
    /// (`a`'s first on a tie), closes a window when the other word's latest position before it
    /// is near enough. The merge selects rather than branches (which list goes next follows no
    /// pattern a predictor learns: this loop took 15% of the NEAR class's time); once a list
    /// runs out, the other's remaining positions only move away from its last one.
    public static func unorderedPairMatches(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>,
                                            distance: Int) -> Int {
        guard !a.isEmpty && !b.isEmpty else { return 0 }
        if a.count >= skew &* b.count { return lopsidedPairMatches(long: a, short: b, shortPassesTies: false, distance: distance) }
        if b.count >= skew &* a.count { return lopsidedPairMatches(long: b, short: a, shortPassesTies: true, distance: distance) }
        let none = Int.min / 2  // "not seen yet": too far back for any window
        var i = 0, j = 0
        var latestA = none, latestB = none
        var count = 0
        while i < a.count && j < b.count {
            let x = Int(a[i]), y = Int(b[j])
            // All ones when `b`'s position goes next, else zero: masks, because the compiler
            // turns selects on `x <= y` back into a branch.
            let takeB = (y &- x) >> 63
            let p = x ^ ((x ^ y) & takeB)
            latestA ^= (latestA ^ p) & ~takeB
            latestB ^= (latestB ^ p) & takeB
            i &+= 1 &+ takeB
            j &-= takeB
            count &+= p &- min(latestA, latestB) &- 1 <= distance ? 1 : 0
        }
        let (rest, from, other) = i < a.count ? (a, i, latestB) : (b, j, latestA)
        for k in from..<rest.count {
            guard Int(rest[k]) &- other &- 1 <= distance else { break }
            count &+= 1
        }
        return count
    }

    /// How many times longer one list must be than the other for `lopsidedPairMatches`.
    public static let skew = 4

    /// `unorderedPairMatches` when one list is much longer ("the NEAR/5 announcement"): one
    /// pass over the long list, stepping through the short one where it falls behind, a branch
    /// that goes the same way nearly every time. A position closes a window when the other
    /// word's latest position before it is near enough; on a tie `a`'s goes first, so a short
    /// list that is `a` passes a long-list position it equals (`shortPassesTies`).
    static func lopsidedPairMatches(long: UnsafeBufferPointer<UInt32>, short: UnsafeBufferPointer<UInt32>,
                                    shortPassesTies: Bool, distance: Int) -> Int {
        let tie = shortPassesTies ? 1 : 0
        var j = 0
        var previousLong = Int.min / 2  // none yet: too far back for any window
        var count = 0
        for x in long {
            let p = Int(x)
            // Short positions before p (or equal, when they go first) come next in the merge;
            // the latest long one before each is `previousLong`.
            while j < short.count && Int(short[j]) < p &+ tie {
                count &+= Int(short[j]) &- previousLong &- 1 <= distance ? 1 : 0
                j &+= 1
            }
            if j > 0 { count &+= p &- Int(short[j &- 1]) &- 1 <= distance ? 1 : 0 }
            previousLong = p
        }
        while j < short.count && Int(short[j]) &- previousLong &- 1 <= distance {
            count &+= 1
            j &+= 1
        }
        return count
    }

    /// `orderedMatches` for two single words: each `a` with the first `b` after it.
    public static func orderedPairMatches(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>,
                                          distance: Int) -> Int {
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

    /// How many qualifying windows, one occurrence of each operand, hold at most `distance`
    /// words that are none of the operands' (0 = no match), as Lucene's unordered span query
    /// and Xapian's NEAR count: `x NEAR/0 y NEAR/0 z` matches "x y z", as `x ADJ/0 y ADJ/0 z`
    /// does. For two operands that is SQLite FTS5's rule too (the words between the first
    /// one's end and the last one's start); FTS5 counts a chain's middle operands as words
    /// between as well, so that its NEAR of three missed what the ADJ chain found.
    public static func unorderedMatches(_ spans: [[Span]], distance: Int) -> Int {
        let k = spans.count
        guard k > 0, spans.allSatisfy({ !$0.isEmpty }) else { return 0 }
        return k == 2 ? unorderedTwoOperandMatches(spans, distance: distance) : unorderedChainMatches(spans, distance: distance)
    }

    /// Two operands: how many latest-starting occurrences close a qualifying window. Each
    /// operand's spans come in start order, so they are merged (ties to the earlier operand)
    /// rather than gathered and sorted: the sort and its arrays had three quarters of a chain of
    /// eight common words' time (0.26–0.33 s on news-combined).
    private static func unorderedTwoOperandMatches(_ spans: [[Span]], distance: Int) -> Int {
        let k = spans.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: k) { next in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: k) { latestEnd in
                next.initialize(repeating: 0)
                latestEnd.initialize(repeating: 0)
                var seen = 0, count = 0
                // Operands' ends rise with their starts, so the earliest of the latest ends
                // changes only when its own operand moves on.
                var earliestEnd = UInt32.max, earliestOperand = -1
                while true {
                    var operand = -1, start = UInt32.max
                    for i in 0..<k where next[i] < spans[i].count && spans[i][next[i]].start < start {
                        operand = i
                        start = spans[i][next[i]].start
                    }
                    guard operand >= 0 else { return count }
                    let span = spans[operand][next[operand]]
                    if next[operand] == 0 { seen += 1 }
                    next[operand] += 1
                    latestEnd[operand] = span.end
                    guard seen == k else { continue }
                    if operand == earliestOperand || earliestOperand < 0 {
                        earliestEnd = UInt32.max
                        for i in 0..<k where latestEnd[i] < earliestEnd { earliestEnd = latestEnd[i]; earliestOperand = i }
                    }
                    if Int(span.start) - Int(earliestEnd) - 1 <= distance { count += 1 }
                }
            }
        }
    }

    /// Three operands or more: how many start positions open a qualifying window, every
    /// operand taking its first occurrence at or after the start. That choice is exact: of the
    /// windows beginning there, it ends earliest, because an operand's spans share one length.
    /// (Taking each operand's latest occurrence before the window's last start, as the pair
    /// merge does, can end a window later through a long phrase's later occurrence.)
    private static func unorderedChainMatches(_ spans: [[Span]], distance: Int) -> Int {
        var count = 0
        forEachChainWindow(spans, distance: distance) { _, _ in count += 1 }
        return count
    }

    /// Calls `body` with the first and last position of each window `unorderedChainMatches`
    /// counts (snippets mark them).
    public static func forEachChainWindow(_ spans: [[Span]], distance: Int, _ body: (Int, Int) -> Void) {
        guard !spans.isEmpty, spans.allSatisfy({ !$0.isEmpty }) else { return }
        let lengths = spans.reduce(0) { $0 + Int($1[0].end) - Int($1[0].start) + 1 }
        // Each operand's first occurrence not before the window's start.
        var next = [Int](repeating: 0, count: spans.count)
        while true {
            var start = Int.max, end = 0
            for (i, list) in spans.enumerated() {
                // No later start finds this operand either.
                guard next[i] < list.count else { return }
                start = min(start, Int(list[next[i]].start))
                end = max(end, Int(list[next[i]].end))
            }
            if end - start + 1 - lengths <= distance { body(start, end) }
            for (i, list) in spans.enumerated() where Int(list[next[i]].start) == start { next[i] += 1 }
        }
    }

    /// `unorderedMatches` of one word with itself: each occurrence closes a window with the one
    /// before it when at most `distance` words lie between.
    public static func repeatedWordMatches(_ positions: UnsafeBufferPointer<UInt32>, distance: Int) -> Int {
        var count = 0
        for i in positions.indices.dropFirst() where Int(positions[i]) - Int(positions[i - 1]) - 1 <= distance {
            count += 1
        }
        return count
    }

    /// `unorderedMatches` for operands that may cover the same words: how many start positions
    /// open a qualifying window whose occurrences are pairwise disjoint.
    public static func disjointUnorderedMatches(_ spans: [[Span]], distance: Int) -> Int {
        var count = 0
        forEachDisjointWindow(spans, distance: distance) { _, _ in count += 1 }
        return count
    }

    /// Whether an occurrence of one operand covers a word an occurrence of another covers.
    public static func operandsOverlap(_ spans: [[Span]]) -> Bool {
        spans.indices.contains { i in spans[..<i].contains { occurrencesOverlap($0, spans[i]) } }
    }

    /// Whether some span of `a` overlaps some span of `b` (each in start order).
    static func occurrencesOverlap(_ a: [Span], _ b: [Span]) -> Bool {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i].start <= b[j].end && b[j].start <= a[i].end { return true }
            if a[i].end < b[j].end { i += 1 } else { j += 1 }
        }
        return false
    }

    /// Calls `body` with the first and last position of each window `disjointUnorderedMatches`
    /// counts: for each start, whether a window opens there and its earliest end
    /// (`DisjointWindowSearch`).
    public static func forEachDisjointWindow(_ spans: [[Span]], distance: Int, _ body: (Int, Int) -> Void) {
        guard !spans.isEmpty, spans.allSatisfy({ !$0.isEmpty }) else { return }
        var search = DisjointWindowSearch(spans, distance: distance)
        for start in Set(spans.joined().map(\.start)).sorted() {
            if let end = search.windowEnd(openingAt: start) { body(Int(start), end) }
        }
    }

    /// How many occurrences of the first operand start a qualifying ordered window: each with
    /// the first occurrence of the next operand after it, and so on. An operand's spans share
    /// one length, so its ends rise with its starts, and the occurrence each operand takes rises
    /// from one first occurrence to the next: one pointer per operand only moves forward. (A
    /// search from each operand's start had made `a ADJ/0 b ADJ/0 a` take 2.4 s on a document
    /// of 160,000 words.)
    public static func orderedMatches(_ spans: [[Span]], distance: Int) -> Int {
        var taken = [Int](repeating: 0, count: spans.count)
        var count = 0
        firsts: for first in spans[0] {
            var previousEnd = first.end
            var gaps = 0
            for k in 1..<spans.count {
                let list = spans[k]
                var j = taken[k]
                while j < list.count && list[j].start <= previousEnd { j += 1 }
                taken[k] = j
                // Later first occurrences end later still: none of them completes a window.
                guard j < list.count else { break firsts }
                gaps += Int(list[j].start) - Int(previousEnd) - 1
                previousEnd = list[j].end
            }
            if gaps <= distance { count += 1 }
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

/// The search behind `Windows.forEachDisjointWindow`: one occurrence per operand inside the
/// widest qualifying window from the start, none overlapping another, one starting there.
///
/// Operands fall into groups whose occurrences cover some word in common in this document (one
/// word given twice, a phrase and a word of it); a group is decided on its own. Disjoint
/// occurrences, taken in position order, each start after the one before ends, so a group is a
/// walk over the sets of its operands placed so far, keeping for each set the earliest end its
/// last occurrence can have (any completion of a later end completes an earlier one too): each
/// step places one more operand at its first occurrence after that end. Operands with the same
/// occurrences (the same word or phrase given several times) count as one with a multiplicity,
/// so a set is how many of each are placed. A search over the occurrences themselves had taken
/// minutes where the choices could not be completed (eight common words beside a shared pair;
/// four phrases of "the united states" four times each).
private struct DisjointWindowSearch {
    struct Group {
        /// One operand per kind of occurrence list, and how many operands have it.
        var kinds: [Int] = []
        var counts: [Int] = []
        /// A set's number: the sum over kinds of placed × place value.
        var placeValues: [Int] = []
        var sets = 1
    }

    let spans: [[Span]]
    /// The widest window that qualifies: the operands' lengths and `distance` other words.
    let widest: Int
    let groups: [Group]
    /// Per set of the group being decided, the earliest end of its last occurrence (reused).
    private var earliestEnd: [Int]
    /// Per group, the end of its choice for the current start.
    private var groupEnds: [Int]
    /// Per kind of the group being decided, how many of its operands the current set holds.
    private var placed: [Int]

    init(_ spans: [[Span]], distance: Int) {
        self.spans = spans
        widest = distance + spans.reduce(0) { $0 + Int($1[0].end) - Int($1[0].start) + 1 }
        groups = Self.groups(spans)
        earliestEnd = Array(repeating: 0, count: groups.map(\.sets).max() ?? 1)
        groupEnds = Array(repeating: 0, count: groups.count)
        placed = Array(repeating: 0, count: groups.map(\.kinds.count).max() ?? 0)
    }

    private static func groups(_ spans: [[Span]]) -> [Group] {
        var root = Array(spans.indices)
        func find(_ i: Int) -> Int { root[i] == i ? i : find(root[i]) }
        for i in spans.indices {
            for j in spans.indices where j > i && find(i) != find(j) && Windows.occurrencesOverlap(spans[i], spans[j]) {
                root[find(j)] = find(i)
            }
        }
        return Dictionary(grouping: spans.indices, by: find).values.sorted { $0.min()! < $1.min()! }.map { members in
            var group = Group()
            for o in members.sorted() {
                if let k = group.kinds.firstIndex(where: { spans[$0] == spans[o] }) { group.counts[k] += 1; continue }
                group.kinds.append(o)
                group.counts.append(1)
            }
            for count in group.counts {
                group.placeValues.append(group.sets)
                group.sets *= count + 1
            }
            return group
        }
    }

    /// The last position of a qualifying window opening at `start`.
    mutating func windowEnd(openingAt start: UInt32) -> Int? {
        let limit = Int(start) + widest - 1
        if groups.count == 1 { return decide(groups[0], start: start, limit: limit, opening: true) }
        for (g, group) in groups.enumerated() {
            guard let end = decide(group, start: start, limit: limit, opening: false) else { return nil }
            groupEnds[g] = end
        }
        // Some group must place its first occurrence at the start itself.
        for (g, group) in groups.enumerated() {
            guard let end = decide(group, start: start, limit: limit, opening: true) else { continue }
            return groups.indices.reduce(end) { $1 == g ? $0 : max($0, groupEnds[$1]) }
        }
        return nil
    }

    /// The earliest end of a choice for `group` inside the window, its first occurrence at
    /// `start` when `opening`.
    private mutating func decide(_ group: Group, start: UInt32, limit: Int, opening: Bool) -> Int? {
        let unreached = Int.max
        for set in 0..<group.sets { earliestEnd[set] = unreached }
        earliestEnd[0] = Int(start) - 1
        // Placing an operand raises a set's number, so every set is final before it is left.
        // `placed` counts each kind's operands in the set, advanced as an odometer.
        for k in group.kinds.indices { placed[k] = 0 }
        for set in 0..<group.sets {
            defer { Self.advance(&placed, counts: group.counts) }
            let after = earliestEnd[set]
            guard after != unreached else { continue }
            for (k, operand) in group.kinds.enumerated() where placed[k] < group.counts[k] {
                let list = spans[operand]
                let j = Self.firstIndex(list) { Int($0.start) > after }
                guard j < list.count, Int(list[j].end) <= limit, !(opening && set == 0 && list[j].start != start) else { continue }
                let next = set + group.placeValues[k]
                earliestEnd[next] = min(earliestEnd[next], Int(list[j].end))
            }
        }
        let full = earliestEnd[group.sets - 1]
        return full == unreached ? nil : full
    }

    private static func advance(_ placed: inout [Int], counts: [Int]) {
        for k in counts.indices {
            placed[k] += 1
            if placed[k] <= counts[k] { return }
            placed[k] = 0
        }
    }

    /// The first index of `list` whose span satisfies `holds`, which once true stays true
    /// (starts and ends rise together).
    private static func firstIndex(_ list: [Span], where holds: (Span) -> Bool) -> Int {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if holds(list[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
