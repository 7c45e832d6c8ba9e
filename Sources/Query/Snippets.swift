// Query: snippets: the best passages of a hit's stored text, with what matched marked as spans.
// Owns passage choice (query-term density) and whole-unit marking of phrases and NEAR windows.
import Analysis
import InvertedIndex

/// A short excerpt of a document and the parts of it that matched.
public struct Snippet: Equatable, Sendable {
    public var text: String
    /// Matched spans as Unicode scalar (code point) offsets into `text`, in order.
    public var highlights: [Highlight]
}

/// Code points `start..<end` of a snippet. Not a `Range`: the first use of an array of `Range`
/// or `ClosedRange` makes the runtime look their layout up, and with the spans and offsets
/// below these lookups took 180,000 instructions of a process printing one snippet (callgrind).
public struct Highlight: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var count: Int { end - start }
}

/// Builds snippets for one query; reuse it for every hit of that query.
public final class SnippetMaker {
    /// Gives every token of a hit's text and every term of the query an id, so matching
    /// compares integers: a String and a dictionary lookup per token were most of a snippet.
    private let analyzer: Analyzer
    /// Per term id, whether the query names it as a single term; ids are dense and the query's
    /// come first, so this stays as short as the largest of them (hashing every token was a
    /// twentieth of a snippet).
    private var isQueryTerm: [Bool] = []
    private var prefixes: [String] = []
    /// Per term id: 0 not yet known, 1 matches a prefix, 2 does not.
    private var prefixMatch: [UInt8] = []
    private var sequences: [[Int32]] = []
    private var groups: [(operands: [[Int32]], distance: Int, ordered: Bool)] = []

    public init(plan: QueryPlan, language: String) throws {
        analyzer = try Analyzer(language: language, expectedTerms: 256)
        collect(plan)
    }

    private func collect(_ plan: QueryPlan) {
        func ids(_ seq: [String]) -> [Int32] { seq.map(analyzer.termID(ofTerm:)) }
        switch plan {
        case let .term(_, t): markQueryTerm(analyzer.termID(ofTerm: t))
        case let .prefix(_, p, wholeWord):
            prefixes.append(p)
            if let wholeWord { markQueryTerm(analyzer.termID(ofTerm: wholeWord)) }
        case let .phrase(seq): sequences.append(ids(seq.terms))
        case let .near(seqs, k, ordered): groups.append((seqs.map { ids($0.terms) }, k, ordered))
        case let .all(items, _), let .any(items, _): items.forEach(collect)
        case .nothing: break
        }
    }

    private func markQueryTerm(_ id: Int32) {
        let i = Int(id)
        if i >= isQueryTerm.count { isQueryTerm += repeatElement(false, count: i + 1 - isQueryTerm.count) }
        isQueryTerm[i] = true
    }

    @inline(__always)
    private func isSingleQueryTerm(_ id: Int32) -> Bool { Int(id) < isQueryTerm.count && isQueryTerm[Int(id)] }

    /// A token's term and byte offsets, as plain integers (see `Highlight`).
    private struct Token {
        var term: Int32
        var start: Int
        var end: Int
    }

    /// Tokens `first` through `last` (both included): a matched span or a passage. Not a
    /// `ClosedRange` (see `Highlight`).
    private struct TokenSpan {
        var first: Int
        var last: Int

        func contains(_ token: Int) -> Bool { first <= token && token <= last }
        func overlaps(_ other: TokenSpan) -> Bool { first <= other.last && other.first <= last }
    }

    /// Up to `passages` passages of about `context` words either side of the densest matches.
    public func snippet(of text: String, context: Int = 12, passages: Int = 3) -> Snippet {
        let utf8 = Array(text.utf8)
        let tokens = tokenize(utf8)
        let spans = matchSpans(tokens)
        let chosen = choosePassages(spans, tokenCount: tokens.count, context: context, limit: passages)
        return render(utf8, tokens, chosen, spans)
    }

    /// The whole text with its matched spans (code point offsets), for `show --highlight`.
    public func highlightAll(_ text: String) -> Snippet {
        let utf8 = Array(text.utf8)
        let tokens = tokenize(utf8)
        let spans = matchSpans(tokens)
        var highlights: [Highlight] = []
        var scalarsBefore = 0, byteCursor = 0
        func advance(to byte: Int) {
            scalarsBefore += String(decoding: utf8[byteCursor..<byte], as: UTF8.self).unicodeScalars.count
            byteCursor = byte
        }
        for span in spans {
            advance(to: tokens[span.first].start)
            let start = scalarsBefore
            advance(to: tokens[span.last].end)
            highlights.append(Highlight(start: start, end: scalarsBefore))
        }
        return Snippet(text: text, highlights: highlights)
    }

    private func tokenize(_ utf8: [UInt8]) -> [Token] {
        var out: [Token] = []
        utf8.withUnsafeBufferPointer { buf in
            Tokenizer.tokenizeWithOffsets(buf) { token, range in
                out.append(Token(term: analyzer.termID(ofToken: token), start: range.lowerBound, end: range.upperBound))
            }
        }
        return out
    }

    private func matchesPrefix(_ term: Int32) -> Bool {
        guard !prefixes.isEmpty else { return false }
        let id = Int(term)
        if id >= prefixMatch.count { prefixMatch.append(contentsOf: repeatElement(0, count: id + 1 - prefixMatch.count)) }
        if prefixMatch[id] == 0 {
            let bytes = analyzer.terms.bytes(term)
            prefixMatch[id] = prefixes.contains { bytes.starts(with: $0.utf8) } ? 1 : 2
        }
        return prefixMatch[id] == 1
    }

    /// Token index spans that matched: single terms, whole phrases, whole NEAR/ADJ windows.
    private func matchSpans(_ tokens: [Token]) -> [TokenSpan] {
        var spans: [TokenSpan] = []
        for (i, t) in tokens.enumerated() where isSingleQueryTerm(t.term) || matchesPrefix(t.term) {
            spans.append(TokenSpan(first: i, last: i))
        }
        for seq in sequences { spans += occurrences(seq, tokens).map { TokenSpan(first: $0, last: $0 + seq.count - 1) } }
        for group in groups { spans += windows(group, tokens) }
        return merged(spans)
    }

    private func occurrences(_ seq: [Int32], _ tokens: [Token]) -> [Int] {
        guard !seq.isEmpty, tokens.count >= seq.count else { return [] }
        return (0...(tokens.count - seq.count)).filter { p in seq.indices.allSatisfy { tokens[p + $0].term == seq[$0] } }
    }

    private func windows(_ group: (operands: [[Int32]], distance: Int, ordered: Bool), _ tokens: [Token]) -> [TokenSpan] {
        let spans = group.operands.map { op in occurrences(op, tokens).map { Span(start: UInt32($0), end: UInt32($0 + op.count - 1)) } }
        guard spans.allSatisfy({ !$0.isEmpty }) else { return [] }
        var out: [TokenSpan] = []
        // Each occurrence of the first operand, with the nearest occurrence of every other one:
        // kept when that set alone satisfies the group.
        for first in spans[0] {
            var chosen = [first]
            for list in spans.dropFirst() {
                let candidates = group.ordered ? list.filter { $0.start > chosen.last!.end } : list
                guard let nearest = candidates.min(by: { distance($0, first) < distance($1, first) }) else { break }
                chosen.append(nearest)
            }
            guard chosen.count == spans.count else { continue }
            let sets = chosen.map { [$0] }
            let ok = group.ordered ? Windows.orderedMatches(sets, distance: group.distance) > 0
                                   : Windows.unorderedMatches(sets, distance: group.distance) > 0
            if ok { out.append(TokenSpan(first: Int(chosen.map(\.start).min()!), last: Int(chosen.map(\.end).max()!))) }
        }
        return out
    }

    private func distance(_ a: Span, _ b: Span) -> Int { abs(Int(a.start) - Int(b.start)) }

    private func merged(_ spans: [TokenSpan]) -> [TokenSpan] {
        var out: [TokenSpan] = []
        for s in spans.sorted(by: { $0.first < $1.first }) {
            if let last = out.last, s.first <= last.last {
                out[out.count - 1].last = max(last.last, s.last)
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// Greedy: the passage around the match with most matches near it, then the next that does
    /// not overlap, up to `limit`; returned in text order.
    private func choosePassages(_ spans: [TokenSpan], tokenCount: Int, context: Int, limit: Int) -> [TokenSpan] {
        guard tokenCount > 0 else { return [] }
        guard !spans.isEmpty else { return [TokenSpan(first: 0, last: min(tokenCount, 2 * context + 1) - 1)] }
        let passages = spans.map { TokenSpan(first: max(0, $0.first - context), last: min(tokenCount - 1, $0.last + context)) }
        let densities = passages.map { p in spans.filter { p.contains($0.first) }.count }
        let byDensity = passages.indices.sorted {
            (densities[$0], -passages[$0].first, -$0) > (densities[$1], -passages[$1].first, -$1)
        }
        var chosen: [TokenSpan] = []
        for passage in byDensity.lazy.map({ passages[$0] }) {
            if chosen.count == limit { break }
            if chosen.contains(where: { $0.overlaps(passage) }) { continue }
            chosen.append(passage)
        }
        return chosen.sorted { $0.first < $1.first }
    }

    private func render(_ utf8: [UInt8], _ tokens: [Token], _ passages: [TokenSpan], _ spans: [TokenSpan]) -> Snippet {
        var text = ""
        var highlights: [Highlight] = []
        var length = 0
        func append(_ s: String) {
            text += s
            length += s.unicodeScalars.count
        }
        for (n, passage) in passages.enumerated() {
            if n > 0 || passage.first > 0 { append(n > 0 ? " … " : "… ") }
            var cursor = tokens[passage.first].start
            let end = tokens[passage.last].end
            for span in spans where passage.contains(span.first) && passage.contains(span.last) {
                let from = tokens[span.first].start, to = tokens[span.last].end
                append(Self.flattened(utf8[cursor..<from]))
                let start = length
                append(Self.flattened(utf8[from..<to]))
                highlights.append(Highlight(start: start, end: length))
                cursor = to
            }
            append(Self.flattened(utf8[cursor..<end]))
        }
        if let last = passages.last, last.last + 1 < tokens.count { append(" …") }
        return Snippet(text: text, highlights: highlights)
    }

    /// Text with every run of whitespace (newlines included) as one space.
    static func flattened(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var lastSpace = false
        for b in bytes {
            let space = b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
            if space { if !lastSpace { out.append(0x20) } } else { out.append(b) }
            lastSpace = space
        }
        return String(decoding: out, as: UTF8.self)
    }
}
