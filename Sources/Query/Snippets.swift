// Query: snippets: the best passages of a hit's stored text, with what matched marked as spans.
// Owns passage choice (query-term density) and marking: phrases whole, NEAR operands in matches.
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
    /// Per term id, where the query names it as a single term (`FieldMask`); ids are dense and
    /// the query's come first, so this stays as short as the largest of them (hashing every
    /// token was a twentieth of a snippet).
    private var isQueryTerm: [UInt8] = []
    private var prefixes: [(prefix: String, titleOnly: Bool)] = []
    /// Per term id: where a prefix matches it (`FieldMask`), with `FieldMask.known` once looked at.
    private var prefixMatch: [UInt8] = []
    private var sequences: [(terms: [Int32], titleOnly: Bool)] = []
    private var groups: [(operands: [[Int32]], distance: Int, ordered: Bool, titleOnly: Bool)] = []

    /// Where a query part matches: anywhere (the text field, which holds the title too) or in
    /// the title alone (`title:`), so that `title:x` marks no x of the body.
    private enum FieldMask {
        static let anywhere: UInt8 = 1
        static let title: UInt8 = 2
        static let known: UInt8 = 0x80
        static func of(_ field: Field) -> UInt8 { field == .title ? title : anywhere }
    }

    /// `stemsOfWords` gives, on a stemmed index, the stems of the indexed words a prefix begins
    /// that the prefix does not begin (`IndexReader.stemsOfWords`): the search matches them,
    /// so they are marked (`interna*` had left "International" unmarked, its snippet the
    /// article's opening).
    public init(plan: QueryPlan, language: String, eastAsian: EastAsianTerms,
                stemsOfWords: (String) throws -> [String] = { _ in [] }) throws {
        analyzer = try Analyzer(language: language, eastAsian: eastAsian, expectedTerms: 256)
        try collect(plan, stemsOfWords)
    }

    /// For the hits of `reader`'s index, with its stemmer and its words' stems.
    public convenience init(plan: QueryPlan, reader: IndexReader, maxPrefixTerms: Int = SearchOptions().maxPrefixTerms) throws {
        try self.init(plan: plan, language: reader.store.stemmer, eastAsian: reader.store.eastAsian,
                      stemsOfWords: { try reader.stemsOfWords(withPrefix: $0, limit: maxPrefixTerms) })
    }

    private func collect(_ plan: QueryPlan, _ stemsOfWords: (String) throws -> [String]) throws {
        func ids(_ seq: [String]) -> [Int32] { seq.map(analyzer.termID(ofTerm:)) }
        switch plan {
        case let .term(field, t): markQueryTerm(analyzer.termID(ofTerm: t), field)
        case let .prefix(field, p, wholeWord):
            prefixes.append((p, field == .title))
            if let wholeWord { markQueryTerm(analyzer.termID(ofTerm: wholeWord), field) }
            for stem in try stemsOfWords(p) { markQueryTerm(analyzer.termID(ofTerm: stem), field) }
        case let .phrase(seq): sequences.append((ids(seq.terms), seq.field == .title))
        case let .near(seqs, k, ordered): groups.append((seqs.map { ids($0.terms) }, k, ordered, seqs[0].field == .title))
        case let .all(items, _), let .any(items, _): for item in items { try collect(item, stemsOfWords) }
        case let .required(item): try collect(item, stemsOfWords)
        case .nothing: break
        }
    }

    private func markQueryTerm(_ id: Int32, _ field: Field) {
        let i = Int(id)
        if i >= isQueryTerm.count { isQueryTerm += repeatElement(0, count: i + 1 - isQueryTerm.count) }
        isQueryTerm[i] |= FieldMask.of(field)
    }

    @inline(__always)
    private func queryTermMask(_ id: Int32) -> UInt8 { Int(id) < isQueryTerm.count ? isQueryTerm[Int(id)] : 0 }

    /// A position's term and byte offsets, as plain integers (see `Highlight`), and the pair
    /// of Chinese or Japanese characters stacked on it (-1: none), which ends with the next
    /// position's character.
    private struct Token {
        var term: Int32
        var start: Int
        var end: Int
        var pair: Int32 = -1

        func holds(_ t: Int32) -> Bool { term == t || pair == t }
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
    /// `title`: the document's title, which its stored text starts with (for `title:` parts).
    public func snippet(of text: String, title: String = "", context: Int = 12, passages: Int = 3) -> Snippet {
        let utf8 = Array(text.utf8)
        let tokens = tokenize(utf8)
        let spans = matchSpans(tokens, titleEnd: Self.titleEnd(text, title))
        let chosen = choosePassages(spans, tokenCount: tokens.count, context: context, limit: passages)
        return render(utf8, tokens, chosen, spans)
    }

    /// The whole text with its matched spans (code point offsets), for `show --highlight`.
    public func highlightAll(_ text: String, title: String = "") -> Snippet {
        let utf8 = Array(text.utf8)
        let tokens = tokenize(utf8)
        let spans = matchSpans(tokens, titleEnd: Self.titleEnd(text, title))
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
            analyzer.tokenizeStacking(buf) { token, range, stacked in
                let term = analyzer.termID(ofToken: token)
                if stacked, !out.isEmpty {
                    out[out.count - 1].pair = term
                } else {
                    out.append(Token(term: term, start: range.lowerBound, end: range.upperBound))
                }
            }
        }
        return out
    }

    /// Where a prefix of the query matches `term` (`FieldMask`; 0 where none does).
    private func prefixMask(_ term: Int32) -> UInt8 {
        guard !prefixes.isEmpty else { return 0 }
        let id = Int(term)
        if id >= prefixMatch.count { prefixMatch.append(contentsOf: repeatElement(0, count: id + 1 - prefixMatch.count)) }
        if prefixMatch[id] == 0 {
            let bytes = analyzer.terms.bytes(term)
            var mask = FieldMask.known
            for p in prefixes where bytes.starts(with: p.prefix.utf8) { mask |= p.titleOnly ? FieldMask.title : FieldMask.anywhere }
            prefixMatch[id] = mask
        }
        return prefixMatch[id] & ~FieldMask.known
    }

    /// The byte where the title ends in a stored text (title, blank line, body): 0 without one.
    static func titleEnd(_ text: String, _ title: String) -> Int {
        !title.isEmpty && text.hasPrefix(title) ? title.utf8.count : 0
    }

    /// Token index spans that matched: single terms, whole phrases, NEAR/ADJ operands in matches;
    /// `title:` parts only among the tokens before byte `titleEnd`.
    private func matchSpans(_ tokens: [Token], titleEnd: Int) -> [TokenSpan] {
        let titleTokens = tokens.prefix { $0.end <= titleEnd }.count
        var spans: [TokenSpan] = []
        func marks(_ term: Int32, _ i: Int) -> Bool {
            let mask = queryTermMask(term) | prefixMask(term)
            return mask & FieldMask.anywhere != 0 || (mask & FieldMask.title != 0 && i < titleTokens)
        }
        for (i, t) in tokens.enumerated() {
            if marks(t.term, i) { spans.append(TokenSpan(first: i, last: i)) }
            // A pair covers the next position's character too.
            if t.pair >= 0 && marks(t.pair, i) { spans.append(TokenSpan(first: i, last: min(i + 1, tokens.count - 1))) }
        }
        // Phrases and windows lie inside one field, as matching keeps them: across the title's
        // end, "Lodz" ending the title and "Cafe" opening the body had been marked as "lodz cafe".
        let title = 0..<titleTokens, body = titleTokens..<tokens.count
        for seq in sequences {
            for field in seq.titleOnly ? [title] : [title, body] {
                let inField = Array(tokens[field])
                spans += occurrences(seq.terms, inField).map {
                    TokenSpan(first: field.lowerBound + $0, last: field.lowerBound + Self.end(seq.terms, at: $0, inField))
                }
            }
        }
        for group in groups {
            for field in group.titleOnly ? [title] : [title, body] {
                spans += operandsInWindows((group.operands, group.distance, group.ordered), Array(tokens[field])).map {
                    TokenSpan(first: field.lowerBound + $0.first, last: field.lowerBound + $0.last)
                }
            }
        }
        return merged(spans)
    }

    private func occurrences(_ seq: [Int32], _ tokens: [Token]) -> [Int] {
        guard !seq.isEmpty, tokens.count >= seq.count else { return [] }
        return (0...(tokens.count - seq.count)).filter { p in seq.indices.allSatisfy { tokens[p + $0].holds(seq[$0]) } }
    }

    /// The last token an occurrence of `seq` at `start` covers: one past its last position
    /// when that matched as a pair, whose second character is the next position's.
    private static func end(_ seq: [Int32], at start: Int, _ tokens: [Token]) -> Int {
        let last = start + seq.count - 1
        return tokens[last].term != seq[seq.count - 1] && last + 1 < tokens.count ? last + 1 : last
    }

    /// The operands' occurrences in the group's matches, each marked on its own: a window
    /// marked whole coloured every word between `coffee NEAR/40 brazil`, and no context could
    /// be cut inside it (Xapian, Lucene's highlighters and FTS5 mark the terms or phrases).
    private func operandsInWindows(_ group: (operands: [[Int32]], distance: Int, ordered: Bool), _ tokens: [Token]) -> [TokenSpan] {
        let spans = group.operands.map { op in
            occurrences(op, tokens).map { Span(start: UInt32($0), end: UInt32(Self.end(op, at: $0, tokens))) }
        }
        guard spans.allSatisfy({ !$0.isEmpty }) else { return [] }
        if group.ordered || spans.count == 2 {
            return matchedOccurrences(group, spans).map { TokenSpan(first: Int($0.start), last: Int($0.end)) }
        }
        // Unordered windows: an occurrence inside one can stand for its operand's, and the window
        // only narrows, so every occurrence inside a window is in a match (unless it covers a
        // word of another operand's: chains of phrases that share words are marked loosely).
        var windows: [TokenSpan] = []
        if Windows.operandsOverlap(spans) {
            // No word fills two operands, as the matcher counts: the nearest occurrence of a
            // word given twice is the same one.
            Windows.forEachDisjointWindow(spans, distance: group.distance) { windows.append(TokenSpan(first: $0, last: $1)) }
        } else {
            // The windows the matcher counts. The occurrences nearest the first operand's miss
            // some: for `a NEAR/3 b NEAR/3 c` in "c x x a x x x b c" the c nearest a is the first.
            Windows.forEachChainWindow(spans, distance: group.distance) { windows.append(TokenSpan(first: $0, last: $1)) }
        }
        let inside = merged(windows)
        return spans.flatMap { list in
            var w = 0
            return list.compactMap { occurrence -> TokenSpan? in
                let span = TokenSpan(first: Int(occurrence.start), last: Int(occurrence.end))
                while w < inside.count && inside[w].last < span.last { w += 1 }
                return w < inside.count && inside[w].first <= span.first ? span : nil
            }
        }
    }

    /// The occurrences in matches of an ordered group, or of two operands. Ordered: each
    /// occurrence of the first operand with the earliest of each next one after it (the least
    /// gap), kept when they match. Two operands: each occurrence of either with the other's last
    /// before it and first after it that cover none of its words, the least gaps either way: in
    /// "river … mill … river … mill" the second mill is the second river's match though that
    /// river's nearest mill is the first, and with a phrase operand the nearest start is not
    /// always the least gap (both had been left unmarked); operands that share words ("red blue"
    /// NEAR "blue gold") had been marked by windows, one occurrence in none.
    private func matchedOccurrences(_ group: (operands: [[Int32]], distance: Int, ordered: Bool), _ spans: [[Span]]) -> [Span] {
        var out: [Span] = []
        func keep(_ chosen: [Span]) {
            let sets = chosen.map { [$0] }
            let matches = group.ordered ? Windows.orderedMatches(sets, distance: group.distance) > 0
                                        : Windows.unorderedMatches(sets, distance: group.distance) > 0
            if matches { out += chosen }
        }
        if group.ordered {
            for first in spans[0] {
                var chosen = [first]
                for list in spans.dropFirst() {
                    guard let next = list.first(startingAfter: chosen.last!.end) else { break }
                    chosen.append(next)
                }
                if chosen.count == spans.count { keep(chosen) }
            }
            guard spans.count == 2 else { return out }
            for second in spans[1] {
                if let first = spans[0].last(endingBefore: second.start) { keep([first, second]) }
            }
            return out
        }
        func overlap(_ a: Span, _ b: Span) -> Bool { a.start <= b.end && b.start <= a.end }
        for (mine, other) in [(0, 1), (1, 0)] {
            let list = spans[other]
            for occurrence in spans[mine] {
                // No word fills both operands; the occurrences covering this one's words are
                // few (an operand's length), and the nearest past them is the least gap.
                var before = list.partitionPoint { $0.start > occurrence.start } - 1
                var after = before + 1
                while before >= 0 && overlap(list[before], occurrence) { before -= 1 }
                while after < list.count && overlap(list[after], occurrence) { after += 1 }
                for i in [before, after] where list.indices.contains(i) {
                    keep(mine == 0 ? [occurrence, list[i]] : [list[i], occurrence])
                }
            }
        }
        return out
    }

    private func merged(_ spans: [TokenSpan]) -> [TokenSpan] {
        var out: [TokenSpan] = []
        for s in spans.mergeSorted(by: { $0.first < $1.first }) {
            if let last = out.last, s.first <= last.last {
                out[out.count - 1].last = max(last.last, s.last)
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// Greedy: the passage around the match with most matches near it, then the next match not
    /// yet shown, its passage cut to what the chosen ones do not already show, up to `limit`;
    /// returned in text order, passages that touch joined.
    private func choosePassages(_ spans: [TokenSpan], tokenCount: Int, context: Int, limit: Int) -> [TokenSpan] {
        guard tokenCount > 0 else { return [] }
        guard !spans.isEmpty else { return [TokenSpan(first: 0, last: min(tokenCount, 2 * context + 1) - 1)] }
        let passages = spans.map { TokenSpan(first: max(0, $0.first - context), last: min(tokenCount - 1, $0.last + context)) }
        // Spans are sorted and apart: those beginning in a passage lie between two binary
        // searches (counting them one passage at a time took minutes for a word 300,000 times
        // in one document).
        let densities = passages.map { p in
            spans.partitionPoint { $0.first > p.last } - spans.partitionPoint { $0.first >= p.first }
        }
        let byDensity = Array(passages.indices).mergeSorted {
            (densities[$0], -passages[$0].first, -$0) > (densities[$1], -passages[$1].first, -$1)
        }
        var chosen: [TokenSpan] = []
        // A passage widens for the matches it holds, up to twice a passage's words: a match near
        // its edge had kept less context than asked for, and more context could show less of it
        // ("firm, Oil …" at 3 words where 2 gave "firm, Oil & Natural"). At four times, a
        // snippet of dense matches had grown to 300 words (review).
        let widest = 2 * (2 * context + 1)
        for i in byDensity {
            let match = spans[i]
            if let j = chosen.firstIndex(where: { $0.contains(match.first) && $0.contains(match.last) }) {
                var widened = TokenSpan(first: min(chosen[j].first, passages[i].first), last: max(chosen[j].last, passages[i].last))
                for (k, other) in chosen.enumerated() where k != j && other.overlaps(widened) {
                    if other.first < chosen[j].first { widened.first = other.last + 1 } else { widened.last = other.first - 1 }
                }
                if widened.last - widened.first < widest { chosen[j] = widened }
                continue
            }
            if chosen.count == limit { continue }
            // A match beyond a chosen passage but within its context comes as the words that
            // follow (or precede) it: skipped as overlapping, it had been left out of the
            // snippet, so that more context showed fewer matches.
            var passage = passages[i]
            for c in chosen where c.overlaps(passage) {
                if c.first <= match.first { passage.first = max(passage.first, c.last + 1) } else { passage.last = min(passage.last, c.first - 1) }
            }
            if passage.first <= passage.last { chosen.append(passage) }
        }
        // Passages that touch are one stretch of text: no "…" between words that are adjacent.
        var joined: [TokenSpan] = []
        for passage in chosen.sorted(by: { $0.first < $1.first }) {
            if let last = joined.last, passage.first == last.last + 1 {
                joined[joined.count - 1].last = passage.last
            } else {
                joined.append(passage)
            }
        }
        return joined
    }

    private func render(_ utf8: [UInt8], _ tokens: [Token], _ passages: [TokenSpan], _ spans: [TokenSpan]) -> Snippet {
        var text = ""
        var highlights: [Highlight] = []
        var length = 0
        func append(_ s: String) {
            let shown = Self.shorteningLongRuns(s)
            text += shown
            length += shown.unicodeScalars.count
        }
        let (lead, trail) = Self.edges(utf8, tokens)
        for (n, passage) in passages.enumerated() {
            var cursor = tokens[passage.first].start
            if n == 0 && passage.first == 0, let lead { cursor = lead } else { append(n > 0 ? " … " : "… ") }
            let reachesEnd = n == passages.count - 1 && passage.last == tokens.count - 1
            let end = reachesEnd ? trail ?? tokens[passage.last].end : tokens[passage.last].end
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
        if let last = passages.last, last.last + 1 < tokens.count || trail == nil { append(" …") }
        return Snippet(text: text, highlights: highlights)
    }

    /// The most characters (grapheme clusters) a snippet shows of one run without a space. A
    /// passage is counted in words, and one "word" of a scraped page (a base64 blob, a rule of
    /// 200,000 dashes) had made a snippet line hundreds of kilobytes long. Thai and Chinese are
    /// written without spaces, so the bound is well above a clause of theirs (80 code points
    /// had cut Thai sentences and split a vowel sign from its consonant; review).
    static let longestRun = 200

    /// `piece` (the text between two matches, or a match) with each run of more than
    /// `longestRun` characters without a space cut to its first and last 99, joined by "…".
    static func shorteningLongRuns(_ piece: String) -> String {
        guard piece.utf8.count > longestRun else { return piece }
        let runs = piece.split(separator: " ", omittingEmptySubsequences: false)
        // Characters, and code points too: one letter under 100,000 combining marks is one
        // character (review).
        func isLong(_ run: Substring) -> Bool {
            run.utf8.count > longestRun && (run.count > longestRun || run.unicodeScalars.count > 16 * longestRun)
        }
        guard runs.contains(where: isLong) else { return piece }
        let keep = (longestRun - 1) / 2
        func cut(_ run: Substring) -> String {
            let byCharacters = String(run.prefix(keep)) + "…" + String(run.suffix(keep))
            guard byCharacters.unicodeScalars.count > 16 * longestRun else { return byCharacters }
            let scalars = run.unicodeScalars
            return String(String.UnicodeScalarView(scalars.prefix(keep))) + "…" + String(String.UnicodeScalarView(scalars.suffix(keep)))
        }
        return runs.map { isLong($0) ? cut($0) : String($0) }.joined(separator: " ")
    }

    /// Text before the first word or after the last that a snippet reaching it shows whole: an
    /// opening quote, a closing bracket and full stop, a few symbols. Longer runs are cut and
    /// marked "…" like any other text.
    static let edgeBytes = 64

    /// Where a snippet from the first word starts and where one to the last word ends: the
    /// text's own first and last visible bytes, or nil where more than `edgeBytes` lie beyond
    /// the word. White space alone counts as nothing.
    private static func edges(_ utf8: [UInt8], _ tokens: [Token]) -> (lead: Int?, trail: Int?) {
        guard let first = tokens.first, let last = tokens.last else { return (nil, nil) }
        let lead = utf8[..<first.start].firstIndex { !isSpace($0) } ?? first.start
        let trail = (utf8[last.end...].lastIndex { !isSpace($0) }).map { $0 + 1 } ?? last.end
        return (first.start - lead <= edgeBytes ? lead : nil, trail - last.end <= edgeBytes ? trail : nil)
    }

    /// The white space `flattened` turns into one space.
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// Text with every run of whitespace (newlines included) as one space.
    static func flattened(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var lastSpace = false
        for b in bytes {
            let space = isSpace(b)
            if space { if !lastSpace { out.append(0x20) } } else { out.append(b) }
            lastSpace = space
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Array {
    /// The index of the first element for which `isPast` holds, in an array where every
    /// element after it holds too (`count` when none does): a binary search.
    func partitionPoint(where isPast: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if isPast(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

extension Array where Element == Span {
    /// In spans sorted by start: the first that starts after `position`.
    func first(startingAfter position: UInt32) -> Span? {
        let i = partitionPoint { $0.start > position }
        return i < count ? self[i] : nil
    }

    /// In spans sorted by start (so by end too): the last that ends before `position`.
    func last(endingBefore position: UInt32) -> Span? {
        let i = partitionPoint { $0.end >= position }
        return i > 0 ? self[i - 1] : nil
    }
}
