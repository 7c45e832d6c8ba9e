// Query: document-at-a-time matchers for terms and boolean structure (AND, OR, exclusion).
// Owns doc-id iteration order and the scores boolean nodes sum from their children.
import InvertedIndex

/// Iterates matching doc ids in ascending order; `doc` is `Matcher.end` once exhausted.
class Matcher {
    static let end = PostingCursor.end
    var doc: UInt32 = 0
    /// An estimate of how many documents it may match, to order conjunctions.
    var cost: UInt64 { 0 }

    @discardableResult func next() throws -> UInt32 { fatalError("abstract") }
    @discardableResult func advance(to target: UInt32) throws -> UInt32 { fatalError("abstract") }
    /// The score of the current doc.
    func score() throws -> Double { 0 }

    /// Hands every remaining match to `collector`, leaving the matcher exhausted. Matchers
    /// with a tighter loop than next()/score() per document override it.
    func collect(into collector: inout Collector) throws {
        var d = doc
        while d != Matcher.end {
            try collector.add(d, score: collector.scoring ? try score() : 0)
            d = try next()
        }
    }
}

/// One term of one field, scored with BM25.
final class TermMatcher: Matcher {
    let cursor: PostingCursor
    let weight: BM25Weight
    let reader: IndexReader
    private let field: Field

    init(cursor: PostingCursor, weight: BM25Weight, reader: IndexReader) {
        self.cursor = cursor
        self.weight = weight
        self.reader = reader
        field = cursor.term.field
        super.init()
        doc = cursor.doc
    }

    override var cost: UInt64 { cursor.term.documentFrequency }
    override func next() throws -> UInt32 { doc = try cursor.next(); return doc }
    @discardableResult override func advance(to target: UInt32) throws -> UInt32 { doc = try cursor.advance(to: target); return doc }

    override func score() throws -> Double {
        try weight.score(tf: Double(cursor.tf), length: length(of: doc))
    }

    func titleLength(of doc: UInt32) throws -> UInt32 { try reader.length(of: doc, .title) }

    override func collect(into collector: inout Collector) throws {
        let cursor = self.cursor, reader = self.reader, weight = self.weight, field = self.field
        var postings: UInt64 = 0
        while cursor.doc != Matcher.end {
            if let threshold = collector.entryScore, bound(cursor.blockSummary) < threshold {
                // No document of this block can enter the top k: count it without reading it.
                let skipped = try cursor.skipBlocks { bound($0) < threshold }
                postings += UInt64(skipped)
                collector.addUnscored(skipped)
                continue
            }
            let block = cursor.remainingBlock()
            postings += UInt64(block.count - block.start)
            // The lowest kept score only rises, so a tf below this one stays out all block long.
            let enteringTF = collector.entryScore.map { smallestTF(above: $0, in: cursor.blockSummary) } ?? 0
            for i in block.start..<block.count {
                let d = block.docs[i]
                if block.tfs[i] < enteringTF {
                    collector.addUnscored(1)  // not even at the block's shortest length: no lengths read
                    continue
                }
                var score = 0.0
                if collector.scoring {
                    score = weight.score(tf: Double(block.tfs[i]), length: try reader.length(of: d, field))
                }
                try collector.add(d, score: score)
            }
            try cursor.move(toBlockIndex: block.count)
        }
        doc = Matcher.end
        // Every posting was met, so the count is the recorded df: a block whose count was
        // damaged (counted from its header, never decoded) had given another count at exit 0.
        if postings != cursor.term.documentFrequency {
            throw IndexError.corrupt("postings of \(cursor.term.name): \(postings) found, df \(cursor.term.documentFrequency) recorded")
        }
    }

    /// The highest score any document of a block can have: BM25 rises with tf and falls with
    /// length, so the block's largest tf at its shortest length bounds every document in it.
    @inline(__always)
    private func bound(_ summary: BlockSummary) -> Double {
        weight.score(tf: Double(summary.maxTF), length: summary.minLength)
    }

    /// The smallest tf that scores above `threshold` at the block's shortest length (past its
    /// max tf when none does): a document with a lower tf cannot enter the top k.
    private func smallestTF(above threshold: Double, in summary: BlockSummary) -> UInt32 {
        var tf: UInt32 = 1
        while tf <= summary.maxTF && weight.score(tf: Double(tf), length: summary.minLength) <= threshold { tf += 1 }
        return tf
    }

    /// Marks every posting below `end` in a window of slots starting at `windowStart` (a bit
    /// in `matched`) and adds its score to its slot, leaving the cursor on the first posting at
    /// or past `end`. With `scoringEvery` it scores every posting and marks it in `scored`;
    /// without, only postings whose slot `scored` already marks, and the others' tfs and
    /// lengths are never read. The loop holds its own references so no retain/release happens
    /// per posting.
    func drain(below end: UInt64, windowStart: UInt32, scores: UnsafeMutablePointer<Double>,
               matched: UnsafeMutablePointer<UInt64>, scored: UnsafeMutablePointer<UInt64>,
               scoringEvery: Bool) throws {
        let cursor = self.cursor, reader = self.reader, weight = self.weight, field = self.field
        while UInt64(cursor.doc) < end {
            let block = cursor.remainingDocs()
            var tfs = scoringEvery ? cursor.remainingBlock().tfs : nil
            var i = block.start
            while i < block.count {
                let d = block.docs[i]
                if UInt64(d) >= end { break }
                let slot = Int(d &- windowStart)
                let bit: UInt64 = 1 << UInt64(slot & 63)
                matched[slot >> 6] |= bit
                i += 1
                if scoringEvery { scored[slot >> 6] |= bit } else if scored[slot >> 6] & bit == 0 { continue }
                if tfs == nil { tfs = cursor.remainingBlock().tfs }
                scores[slot] += weight.score(tf: Double(tfs.unsafelyUnwrapped[i - 1]), length: try reader.length(of: d, field))
            }
            try cursor.move(toBlockIndex: i)
        }
        doc = cursor.doc
    }

    func length(of doc: UInt32) throws -> UInt32 { try reader.length(of: doc, field) }
}

/// Matches documents every child matches (leapfrog: the rarest child leads).
final class ConjunctionMatcher: Matcher {
    let children: [Matcher]

    init(_ children: [Matcher]) throws {
        self.children = children.sorted { $0.cost < $1.cost }
        super.init()
        try align(self.children[0].doc)
    }

    override var cost: UInt64 { children[0].cost }
    override func next() throws -> UInt32 { try align(children[0].next()) }
    override func advance(to target: UInt32) throws -> UInt32 { try align(children[0].advance(to: target)) }

    override func score() throws -> Double {
        var s = 0.0
        for i in children.indices {
            unowned(unsafe) let c = children[i]
            s += try c.score()
        }
        return s
    }

    @discardableResult
    private func align(_ start: UInt32) throws -> UInt32 {
        doc = try leapfrog(from: start, count: children.count) { i, target in
            unowned(unsafe) let c = children[i]
            return c.doc < target ? try c.advance(to: target) : c.doc
        }
        return doc
    }
}

/// The first doc at or after `start` on which all `count` iterators agree. `advance(i, t)`
/// moves iterator i to its first doc at or after t (never back) and returns it; a doc past
/// the target becomes the new target and the round starts again.
@inline(__always)
func leapfrog(from start: UInt32, count: Int, advance: (Int, UInt32) throws -> UInt32) rethrows -> UInt32 {
    var target = start
    outer: while target != Matcher.end {
        for i in 0..<count {
            let d = try advance(i, target)
            if d > target {
                target = d
                continue outer
            }
        }
        break
    }
    return target
}

/// Matches documents any child matches; scores sum over the children that match.
final class DisjunctionMatcher: Matcher {
    let children: [Matcher]

    init(_ children: [Matcher]) {
        self.children = children
        super.init()
        doc = children.map { $0.doc }.min() ?? Matcher.end
    }

    override var cost: UInt64 { children.reduce(0) { $0 + $1.cost } }

    // The loops below borrow each child without retaining it (`unowned(unsafe)`): the array
    // owns them for the matcher's life, and retain/release was a fifth of ranked-OR time.
    override func next() throws -> UInt32 {
        let current = doc
        var minimum = Matcher.end
        for i in children.indices {
            unowned(unsafe) let c = children[i]
            let d = c.doc == current ? try c.next() : c.doc
            minimum = min(minimum, d)
        }
        doc = minimum
        return doc
    }

    override func advance(to target: UInt32) throws -> UInt32 {
        guard target > doc else { return doc }
        var minimum = Matcher.end
        for i in children.indices {
            unowned(unsafe) let c = children[i]
            let d = c.doc < target ? try c.advance(to: target) : c.doc
            minimum = min(minimum, d)
        }
        doc = minimum
        return doc
    }

    override func score() throws -> Double {
        var s = 0.0
        for i in children.indices {
            unowned(unsafe) let c = children[i]
            if c.doc == doc { s += try c.score() }
        }
        return s
    }
}

/// Matches what `include` matches unless one of `exclude` matches it too; scores are
/// `include`'s. The exclusions are asked plain words first (phrases and NEARs read positions
/// to answer), each kind in falling order of cost (the commonest first, the likeliest to hold
/// a document), and the first that holds it settles it; the others stay
/// where they are until a later document needs them. Excluding through one disjunction had
/// moved every exclusion at every document: `the` less 20 common words took 13.5 ms on
/// news-combined, 1,000 exclusions 0.71 s (ARCHITECTURE.md).
final class ExclusionMatcher: Matcher {
    let include: Matcher
    let exclude: [Matcher]

    init(include: Matcher, exclude: [Matcher]) throws {
        self.include = include
        self.exclude = Array(exclude.enumerated()).mergeSorted {
            ($0.element is TermMatcher ? 1 : 0, $0.element.cost, -$0.offset) > ($1.element is TermMatcher ? 1 : 0, $1.element.cost, -$1.offset)
        }.map { $0.element }
        super.init()
        try skipExcluded(include.doc)
    }

    override var cost: UInt64 { include.cost }
    override func next() throws -> UInt32 { try skipExcluded(include.next()) }
    override func advance(to target: UInt32) throws -> UInt32 { try skipExcluded(include.advance(to: target)) }
    override func score() throws -> Double { try include.score() }

    @discardableResult
    private func skipExcluded(_ start: UInt32) throws -> UInt32 {
        var d = start
        while d != Matcher.end, try isExcluded(d) { d = try include.next() }
        doc = d
        return doc
    }

    private func isExcluded(_ d: UInt32) throws -> Bool {
        for i in exclude.indices {
            unowned(unsafe) let e = exclude[i]
            let at = e.doc < d ? try e.advance(to: d) : e.doc
            if at == d { return true }
        }
        return false
    }
}

/// Matches nothing (a term absent from the index).
final class EmptyMatcher: Matcher {
    override init() {
        super.init()
        doc = Matcher.end
    }
    override func next() throws -> UInt32 { Matcher.end }
    override func advance(to target: UInt32) throws -> UInt32 { Matcher.end }
}

/// Another matcher's documents, scored otherwise by a subclass.
class WrappingMatcher: Matcher {
    let inner: Matcher

    init(_ inner: Matcher) {
        self.inner = inner
        super.init()
        doc = inner.doc
    }

    override var cost: UInt64 { inner.cost }
    override func next() throws -> UInt32 { doc = try inner.next(); return doc }
    override func advance(to target: UInt32) throws -> UInt32 { doc = try inner.advance(to: target); return doc }
}

/// Another matcher's documents with its scores scaled: for extra evidence (title, proximity)
/// that adds to a document's score without adding documents.
final class WeightedMatcher: WrappingMatcher {
    let weight: Double

    init(_ inner: Matcher, weight: Double) {
        self.weight = weight
        super.init(inner)
    }

    override func score() throws -> Double { try inner.score() * weight }
}

/// The days a `--since`/`--until` search keeps, both ends in; undated documents are outside.
struct DayRange {
    let since: Int32
    let until: Int32

    init(since: Int32?, until: Int32?) {
        self.since = since ?? Int32.min + 1
        self.until = until ?? Int32.max
    }

    func holds(_ doc: UInt32, _ reader: IndexReader) throws -> Bool {
        guard let day = try reader.norms(of: doc).day else { return false }
        return day >= since && day <= until
    }
}

/// Documents of another matcher dated within a `DayRange`.
/// Applied during the walk, so counts and top-k see only documents in range.
final class DateFilterMatcher: Matcher {
    let inner: Matcher
    private let reader: IndexReader
    private let range: DayRange

    init(_ inner: Matcher, reader: IndexReader, range: DayRange) throws {
        self.inner = inner
        self.reader = reader
        self.range = range
        super.init()
        try skipOutOfRange(inner.doc)
    }

    override var cost: UInt64 { inner.cost }
    override func next() throws -> UInt32 { try skipOutOfRange(inner.next()) }
    override func advance(to target: UInt32) throws -> UInt32 { try skipOutOfRange(inner.advance(to: target)) }
    override func score() throws -> Double { try inner.score() }

    @discardableResult
    private func skipOutOfRange(_ start: UInt32) throws -> UInt32 {
        var d = start
        while d != Matcher.end, !(try range.holds(d, reader)) { d = try inner.next() }
        doc = d
        return doc
    }
}

/// A list with required items (Lucene's `+oil gas`): the documents `required` matches, each
/// scored by it plus whatever `optional` scores there. `optional` moves only when a score is
/// asked for, so a count reads the required items alone.
final class RequiredOptionalMatcher: WrappingMatcher {
    private let optional: Matcher

    init(required: Matcher, optional: Matcher) {
        self.optional = optional
        super.init(required)
    }

    override func score() throws -> Double {
        var total = try inner.score()
        if optional.doc < doc { try optional.advance(to: doc) }
        if optional.doc == doc { total += try optional.score() }
        return total
    }
}
