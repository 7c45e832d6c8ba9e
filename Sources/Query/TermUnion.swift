// Query: the union of plain terms (ranked OR, prefix expansions), scored window by window.
// Owns the fast path for OR over terms; DisjunctionMatcher stays the general case.
import InvertedIndex

/// Matches documents any of its terms match, with the summed BM25 score.
///
/// Instead of finding the smallest doc among the terms at every step (a scan over all terms
/// per matching document), it drains each term into a window of `windowSize` (a multiple
/// of 64) doc ids at a time: a bit per doc marks a match and a slot per doc sums the score. Walking the window's
/// bits then yields the documents in order. Each term's postings are read in one tight loop,
/// and the terms are added in the order given, so scores equal DisjunctionMatcher's exactly.
///
/// Collecting a top k, it prunes as MaxScore does (Turtle and Flood, 1995): once the terms
/// at the end of the list together score below the lowest kept score, a document only they
/// match cannot enter, so a window is filled from the others first and the end terms add
/// their scores only to documents already scored; the rest are marked and counted. Given
/// terms by falling score bound (as `Searcher` does), the end terms are the weak ones, such as
/// stop words with long lists, and every score is still summed in the order given.
final class TermUnionMatcher: Matcher {
    static let defaultWindowSize = 4096
    private let windowSize: Int
    private let words: Int

    private let terms: [TermMatcher]
    /// `tailBounds[i]`: no document scores more from terms i... than this.
    private let tailBounds: [Double]
    private let scores: UnsafeMutablePointer<Double>
    /// Per slot of the window: matched by some term, and scored (matched by a term that scores
    /// every document it matches).
    private let matched: UnsafeMutablePointer<UInt64>
    private let scored: UnsafeMutablePointer<UInt64>
    private var windowStart: UInt32 = 0
    /// The bit-set word holding the current doc, and that word's bits above the current doc.
    private var word = 0
    private var rest: UInt64 = 0
    /// Matches counted without a score so far (for tests that must see pruning happen).
    private(set) var countedUnscored = 0

    init(_ terms: [TermMatcher], windowSize: Int = defaultWindowSize) throws {
        precondition(windowSize > 0 && windowSize % 64 == 0, "the window is whole bit-set words")
        self.terms = terms
        var tails = [Double](repeating: 0, count: terms.count + 1)
        for i in terms.indices.reversed() { tails[i] = tails[i + 1] + terms[i].weight.scoreBound }
        tailBounds = tails
        self.windowSize = windowSize
        words = windowSize / 64
        scores = .allocate(capacity: windowSize)
        matched = .allocate(capacity: words)
        scored = .allocate(capacity: words)
        scores.initialize(repeating: 0, count: windowSize)
        matched.initialize(repeating: 0, count: words)
        scored.initialize(repeating: 0, count: words)
        super.init()
        try fillWindow()
    }

    deinit {
        scores.deallocate()
        matched.deallocate()
        scored.deallocate()
    }

    override var cost: UInt64 { terms.reduce(0) { $0 + $1.cost } }

    override func score() throws -> Double { scores[Int(doc &- windowStart)] }

    override func collect(into collector: inout Collector) throws {
        while doc != Matcher.end {
            try emitRestOfWindow(into: &collector)
            try fillWindow(scoringEvery: termsScoringEvery(above: collector.entryScore, scoring: collector.scoring))
        }
    }

    /// Hands the collector the current doc and every later one of the window, word by word:
    /// scored documents one by one in doc order, the others (only weak terms match them, so
    /// they cannot enter the top k) as a count. Leaves the window empty.
    private func emitRestOfWindow(into collector: inout Collector) throws {
        let slot = Int(doc &- windowStart)
        var pending = rest | 1 << UInt64(slot & 63)
        for w in word..<words {
            if w > word { pending = matched[w] }
            var withScore = pending & scored[w]
            let unscored = (pending & ~withScore).nonzeroBitCount
            collector.addUnscored(unscored)
            countedUnscored += unscored
            while withScore != 0 {
                let s = w * 64 + withScore.trailingZeroBitCount
                withScore &= withScore &- 1
                try collector.add(windowStart &+ UInt32(s), score: scores[s])
                scores[s] = 0
            }
            matched[w] = 0
            scored[w] = 0
        }
    }

    /// How many leading terms score every document they match: all of them until the top k is
    /// full; then the terms after them together stay below the lowest kept score (a relative
    /// margin covers the rounding of the sums). None when only the count is wanted.
    private func termsScoringEvery(above threshold: Double?, scoring: Bool) -> Int {
        guard scoring else { return 0 }
        guard let threshold else { return terms.count }
        var n = terms.count
        while n > 0 && tailBounds[n - 1] * (1 + 1e-9) < threshold { n -= 1 }
        return n
    }

    @discardableResult override func next() throws -> UInt32 {
        guard doc != Matcher.end else { return doc }
        scores[Int(doc &- windowStart)] = 0
        if try !moveToNextBit() { try fillWindow() }
        return doc
    }

    @discardableResult override func advance(to target: UInt32) throws -> UInt32 {
        guard target > doc else { return doc }
        if UInt64(target) < UInt64(windowStart) + UInt64(windowSize) {
            while doc < target { try next() }
            return doc
        }
        clearWindow()
        for i in terms.indices {
            unowned(unsafe) let t = terms[i]
            if t.doc < target { try t.advance(to: target) }
        }
        try fillWindow()
        return doc
    }

    /// Drains every term's postings below the next window's end into the window; the first
    /// `scoringEvery` terms score every document, the others only documents already scored.
    private func fillWindow(scoringEvery: Int = .max) throws {
        var start = Matcher.end
        for i in terms.indices {
            unowned(unsafe) let t = terms[i]
            start = min(start, t.doc)
        }
        guard start != Matcher.end else {
            doc = Matcher.end
            return
        }
        windowStart = start
        let end = UInt64(start) + UInt64(windowSize)
        for i in terms.indices {
            unowned(unsafe) let t = terms[i]
            try t.drain(below: end, windowStart: start, scores: scores, matched: matched, scored: scored,
                        scoringEvery: i < scoringEvery)
        }
        word = 0
        rest = matched[0]
        _ = try moveToNextBit()
    }

    /// Moves `doc` to the next marked slot of this window; false when the window is used up.
    private func moveToNextBit() throws -> Bool {
        while rest == 0 {
            matched[word] = 0
            scored[word] = 0
            word += 1
            guard word < words else { return false }
            rest = matched[word]
        }
        let bit = rest.trailingZeroBitCount
        rest &= rest &- 1
        doc = windowStart &+ UInt32(word * 64 + bit)
        return true
    }

    /// Forgets the rest of the window (before jumping past it).
    private func clearWindow() {
        guard doc != Matcher.end else { return }
        scores[Int(doc &- windowStart)] = 0
        while true {
            while rest != 0 {
                let bit = rest.trailingZeroBitCount
                rest &= rest &- 1
                scores[word * 64 + bit] = 0
            }
            matched[word] = 0
            scored[word] = 0
            word += 1
            guard word < words else { return }
            rest = matched[word]
        }
    }
}
