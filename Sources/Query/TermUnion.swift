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
final class TermUnionMatcher: Matcher {
    static let defaultWindowSize = 4096
    private let windowSize: Int
    private let words: Int

    private let terms: [TermMatcher]
    private let scores: UnsafeMutablePointer<Double>
    private let bits: UnsafeMutablePointer<UInt64>
    private var windowStart: UInt32 = 0
    /// The bit-set word holding the current doc, and that word's bits above the current doc.
    private var word = 0
    private var rest: UInt64 = 0

    init(_ terms: [TermMatcher], windowSize: Int = defaultWindowSize) throws {
        precondition(windowSize > 0 && windowSize % 64 == 0, "the window is whole bit-set words")
        self.terms = terms
        self.windowSize = windowSize
        words = windowSize / 64
        scores = .allocate(capacity: windowSize)
        bits = .allocate(capacity: words)
        scores.initialize(repeating: 0, count: windowSize)
        bits.initialize(repeating: 0, count: words)
        super.init()
        try fillWindow()
    }

    deinit {
        scores.deallocate()
        bits.deallocate()
    }

    override var cost: UInt64 { terms.reduce(0) { $0 + $1.cost } }

    override func score() throws -> Double { scores[Int(doc &- windowStart)] }

    override func collect(into collector: inout Collector) throws {
        while doc != Matcher.end {
            try collector.add(doc, score: scores[Int(doc &- windowStart)])
            try next()
        }
    }

    override func next() throws -> UInt32 {
        guard doc != Matcher.end else { return doc }
        scores[Int(doc &- windowStart)] = 0
        if try !moveToNextBit() { try fillWindow() }
        return doc
    }

    override func advance(to target: UInt32) throws -> UInt32 {
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

    /// Drains every term's postings below the next window's end into the window.
    private func fillWindow() throws {
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
            try t.drain(below: end, windowStart: start, scores: scores, bits: bits)
        }
        word = 0
        rest = bits[0]
        _ = try moveToNextBit()
    }

    /// Moves `doc` to the next marked slot of this window; false when the window is used up.
    private func moveToNextBit() throws -> Bool {
        while rest == 0 {
            bits[word] = 0
            word += 1
            guard word < words else { return false }
            rest = bits[word]
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
            bits[word] = 0
            word += 1
            guard word < words else { return }
            rest = bits[word]
        }
    }
}
