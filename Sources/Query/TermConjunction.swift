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
    private let cursors: [PostingCursor]
    private let weights: [BM25Weight]
    private let inText: [Bool]
    private let reader: IndexReader

    init(_ terms: [TermMatcher]) throws {
        precondition(!terms.isEmpty)
        self.terms = terms.sorted { $0.cost < $1.cost }
        cursors = self.terms.map(\.cursor)
        weights = self.terms.map(\.weight)
        inText = self.terms.map { $0.cursor.term.field == .text }
        reader = terms[0].reader
        super.init()
        try align(cursors[0].doc)
    }

    override var cost: UInt64 { terms[0].cost }
    override func next() throws -> UInt32 { try align(cursors[0].next()) }
    override func advance(to target: UInt32) throws -> UInt32 {
        guard target > doc else { return doc }
        return try align(cursors[0].advance(to: target))
    }

    override func score() throws -> Double {
        let lengths = try reader.lengths(of: doc)
        var s = 0.0
        for i in cursors.indices {
            unowned(unsafe) let c = cursors[i]
            s += weights[i].score(tf: Double(c.tf), length: inText[i] ? lengths.text : lengths.title)
        }
        return s
    }

    override func collect(into collector: inout Collector) throws {
        while doc != Matcher.end {
            try collector.add(doc, score: collector.scoring ? try score() : 0)
            try next()
        }
    }

    @discardableResult
    private func align(_ start: UInt32) throws -> UInt32 {
        var target = start
        try cursors.withUnsafeBufferPointer { cursors in
            outer: while target != Matcher.end {
                unowned(unsafe) let lead = cursors[0]
                if lead.doc < target { target = try lead.advance(to: target) }
                for i in 1..<cursors.count {
                    unowned(unsafe) let c = cursors[i]
                    let d = c.doc < target ? try c.advance(to: target) : c.doc
                    if d > target {
                        target = d
                        continue outer
                    }
                }
                break
            }
        }
        doc = target
        return doc
    }
}
