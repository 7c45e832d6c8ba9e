// Query: the conjunction of plain terms (AND of words, and the candidates of every phrase/NEAR).
// Owns the fast path for AND over terms; ConjunctionMatcher stays the general case.
import InvertedIndex

/// Matches documents every term matches, leapfrogging the posting cursors directly.
///
/// ConjunctionMatcher aligns its children through virtual next/advance calls and sums their
/// scores through virtual score calls, reading the document's lengths once per child. Over
/// terms alone those layers cost more than the work: here the cursors are walked in place, the
/// lengths are read once per document, and the terms are summed in the same order (rarest
/// first) so scores equal ConjunctionMatcher's exactly.
final class TermConjunctionMatcher: Matcher {
    /// Rarest first: the leader proposes, the others confirm or push the target on.
    let terms: [TermMatcher]
    /// The terms' cursors, weights and fields in the same order, in plain memory: read once per
    /// document per term, and array elements of a class property cost a retain each time.
    private let cursors: UnsafeMutablePointer<Unmanaged<PostingCursor>>
    private let weights: UnsafeMutablePointer<BM25Weight>
    private let inText: UnsafeMutablePointer<Bool>
    private let count: Int
    private let reader: IndexReader
    /// Whether any term is in each field: a length no term needs is not read.
    private let anyInText: Bool
    private let anyInTitle: Bool

    init(_ terms: [TermMatcher]) throws {
        precondition(!terms.isEmpty)
        let sorted = terms.sorted { $0.cost < $1.cost }
        self.terms = sorted
        count = sorted.count
        cursors = .allocate(capacity: count)
        weights = .allocate(capacity: count)
        inText = .allocate(capacity: count)
        for (i, t) in sorted.enumerated() {
            (cursors + i).initialize(to: .passUnretained(t.cursor))  // `terms` keeps them alive
            (weights + i).initialize(to: t.weight)
            (inText + i).initialize(to: t.cursor.term.field == .text)
        }
        reader = sorted[0].reader
        anyInText = sorted.contains { $0.cursor.term.field == .text }
        anyInTitle = sorted.contains { $0.cursor.term.field == .title }
        super.init()
        try align(cursors[0]._withUnsafeGuaranteedRef { $0.doc })
    }

    deinit {
        cursors.deallocate()
        weights.deallocate()
        inText.deallocate()
    }

    override var cost: UInt64 { terms[0].cost }
    @discardableResult override func next() throws -> UInt32 { try align(cursors[0]._withUnsafeGuaranteedRef { try $0.next() }) }
    override func advance(to target: UInt32) throws -> UInt32 {
        guard target > doc else { return doc }
        return try align(cursors[0]._withUnsafeGuaranteedRef { try $0.advance(to: target) })
    }

    override func score() throws -> Double {
        let lengths = try fieldLengths(of: doc)
        var s = 0.0
        for i in 0..<count { s += termScore(i, tf: cursors[i]._withUnsafeGuaranteedRef { $0.tf }, lengths) }
        return s
    }

    /// The document's lengths in the fields the terms are in (zero for the other).
    @inline(__always)
    private func fieldLengths(of doc: UInt32) throws -> (text: UInt32, title: UInt32) {
        (anyInText ? try reader.length(of: doc, .text) : 0, anyInTitle ? try reader.length(of: doc, .title) : 0)
    }

    @inline(__always)
    private func termScore(_ term: Int, tf: UInt32, _ lengths: (text: UInt32, title: UInt32)) -> Double {
        weights[term].score(tf: Double(tf), length: inText[term] ? lengths.text : lengths.title)
    }

    override func collect(into collector: inout Collector) throws {
        if isPair {
            let a = cursors[0].takeUnretainedValue(), b = cursors[1].takeUnretainedValue()
            return try forEachPairMatch(movingCursors: false) { d, i, j in
                guard collector.scoring else { return try collector.add(d, score: 0) }
                let lengths = try fieldLengths(of: d)
                var s = 0.0  // summed as `score()` sums, for the same last bit
                s += termScore(0, tf: a.tf(atBlockIndex: i), lengths)
                s += termScore(1, tf: b.tf(atBlockIndex: j), lengths)
                try collector.add(d, score: s)
            }
        }
        while doc != Matcher.end {
            try collector.add(doc, score: collector.scoring ? try score() : 0)
            try next()
        }
    }

    var isPair: Bool { count == 2 }

    /// For a conjunction of two terms: calls `body` on every document both hold, from the
    /// current one on, with its index in each cursor's current block (and `doc` set), leaving
    /// the matcher exhausted. With `movingCursors`, both cursors are on the document too.
    ///
    /// Once aligned, both cursors' decoded blocks are walked together in place, with no call
    /// per step, until one runs out; seeks (which skip whole blocks) only realign them. Where
    /// one list lags, it is passed over eight ids at a time.
    func forEachPairMatch(movingCursors: Bool, _ body: (UInt32, Int, Int) throws -> Void) throws {
        precondition(isPair)
        let a = cursors[0].takeUnretainedValue(), b = cursors[1].takeUnretainedValue()
        while doc != Matcher.end {
            let (ad, ai, an) = a.remainingDocs(), (bd, bi, bn) = b.remainingDocs()
            var i = ai, j = bi
            while true {
                if movingCursors {
                    try a.move(toBlockIndex: i)
                    try b.move(toBlockIndex: j)
                }
                try body(doc, i, j)
                i += 1
                j += 1
                guard let next = Self.nextCommon(ad, &i, an, bd, &j, bn) else { break }
                doc = next
            }
            try realign(a, i, an, b, j, bn)
        }
    }

    /// Moves both cursors on from where a pair walk stopped, with one block run out: that
    /// cursor seeks the other's current id at once, so the block right after its own is
    /// decoded only when it holds that id (stepping onto it first decoded it for nothing
    /// whenever the next match lay further on).
    private func realign(_ a: PostingCursor, _ i: Int, _ an: Int, _ b: PostingCursor, _ j: Int, _ bn: Int) throws {
        if i >= an && j < bn {
            try b.move(toBlockIndex: j)
            try a.advance(to: b.doc)
        } else if j >= bn && i < an {
            try a.move(toBlockIndex: i)
            try b.advance(to: a.doc)
        } else {
            try a.move(toBlockIndex: i)
            try b.move(toBlockIndex: j)
        }
        try align(a.doc)
    }

    /// Moves `i` and `j` to the next ids the two blocks share; nil when either block runs out.
    @inline(__always)
    private static func nextCommon(_ ad: UnsafePointer<UInt32>, _ i: inout Int, _ an: Int,
                                   _ bd: UnsafePointer<UInt32>, _ j: inout Int, _ bn: Int) -> UInt32? {
        while i < an && j < bn {
            let x = ad[i], y = bd[j]
            if x == y { return x }
            // Past the other block's last id, the rest of this block cannot match: a seek
            // finds the next candidate faster than stepping through it.
            if x < y {
                if y > ad[an - 1] { i = an; return nil }
                i += 1
                while i + 8 < an && ad[i + 8] < y { i += 8 }
            } else {
                if x > bd[bn - 1] { j = bn; return nil }
                j += 1
                while j + 8 < bn && bd[j + 8] < x { j += 8 }
            }
        }
        return nil
    }

    @discardableResult
    private func align(_ start: UInt32) throws -> UInt32 {
        doc = try leapfrog(from: start, count: count) { i, target in
            try cursors[i]._withUnsafeGuaranteedRef { c in c.doc < target ? try c.advance(to: target) : c.doc }
        }
        return doc
    }
}
