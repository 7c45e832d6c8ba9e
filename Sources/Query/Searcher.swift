// Query: running a query against an index snapshot: matcher construction and ranking extras.
// Owns which matcher answers which plan, and the bounds on prefix expansion.
import Analysis
import InvertedIndex

public struct SearchOptions: Sendable {
    public var limit = 10
    public var offset = 0
    public var bm25 = BM25Parameters()
    public var defaultOperator = DefaultOperator.all
    public var wordsOnly = false
    /// A prefix expands to at most this many terms, the commonest when it matches more (`s*`
    /// on news-combined: 0.2 s for all of its terms, where 10,000 take a tenth of that).
    public var maxPrefixTerms = 10_000
    /// Stop words dropped from ranked OR lists: a language, "none", or "auto": the index's
    /// stemming language where there is a list for it (a German index had got the English
    /// list), none for another stemming language (English's dropped Dutch "been", leg, and
    /// Turkish "on", ten), and English for an unstemmed index.
    public var stopWords = "auto"
    /// Ranked OR only: extra score for each pair of consecutive query words found within
    /// `proximityWindow` words of each other, as this fraction of a phrase score (0 = off).
    public var proximityWeight = 0.25
    public var proximityWindow = 6
    /// Pair every query word with every other (true), or only with the next one.
    public var proximityAllPairs = false
    /// Ranked OR only: extra score for each pair of consecutive query words found as a
    /// two-word phrase, as this fraction of a phrase score (0 = off).
    public var bigramWeight = 0.0
    /// Ranked OR only: extra score for query words in the title, as this fraction of a term score.
    public var titleWeight = 0.2
    /// Only documents dated on or after / on or before these days (since 1970-01-01).
    public var since: Int32? = nil
    public var until: Int32? = nil
    public var order = ResultOrder.relevance
    public init() {}
}

/// How hits are ordered: by score, or by date (undated documents last) with score breaking ties.
public enum ResultOrder: String, Sendable, CaseIterable {
    case relevance
    case date = "date"
    case dateOldestFirst = "-date"
}

public struct Hit: Equatable, Sendable {
    public var doc: UInt32
    public var score: Double
    /// The document's date (days since 1970-01-01) when ordering by date.
    public var day: Int32? = nil

    public init(doc: UInt32, score: Double, day: Int32? = nil) {
        self.doc = doc
        self.score = score
        self.day = day
    }
}

public struct SearchResult: Sendable {
    public var hits: [Hit]
    /// Every matching document, not only those returned.
    public var count: Int
    /// Things the person should know (a prefix expansion was cut short, say).
    public var warnings: [String]
}

/// Runs queries against one reader snapshot. Not thread-safe.
public final class Searcher {
    public let reader: IndexReader
    private let planner: QueryPlanner
    private var warnings: [String] = []
    /// The days of the search being built, which phrase and NEAR matchers check before positions.
    private var days: DayRange?
    /// What `plan` noticed about the query as written, told with the search of that plan.
    private var notes: (plan: QueryPlan, notes: [String])?
    /// Doc ids per window of the union of terms; 0 uses the general disjunction (for tests
    /// that compare the two).
    var unionWindowSize = TermUnionMatcher.defaultWindowSize
    /// False uses the general conjunction for AND over terms too (for the same tests).
    var termConjunctions = true

    public init(reader: IndexReader) throws {
        self.reader = reader
        planner = QueryPlanner(analyzer: try Analyzer(language: reader.store.stemmer, eastAsian: reader.store.eastAsian, expectedTerms: 64),
                               stemsWholePrefix: !reader.store.wordsCoverEveryDocument)
    }

    public func plan(_ query: String, options: SearchOptions) throws -> QueryPlan {
        let node = try QueryParser.parse(query, defaultOperator: options.defaultOperator, wordsOnly: options.wordsOnly)
        var planner = self.planner
        let stopWords = options.stopWords == "auto" ? automaticStopWords : options.stopWords
        try QueryStopWords.check(stopWords)
        // Only the ranked OR lists of `--any` drop stop words: an OR the query spells out is
        // boolean, and dropping a side of it would make it an AND. Building the list is most of
        // a short query's plan.
        let ranked = options.defaultOperator == .any && node.hasRankedList
        planner.stopWords = ranked ? try stopWordList(stopWords) : nil
        planner.splitWordsInRankedLists = options.wordsOnly
        let plan = try planner.plan(node)
        // What another engine reads as syntax is searched as a phrase of its words here, and said so.
        func asPhrase(_ word: String, splitAt mark: Character, _ why: String) -> String {
            "'\(word)' is searched as the phrase \"\(String(word.map { $0 == mark ? " " : $0 }))\": \(why)"
        }
        // Each walk only where its mark is in the query: they build arrays, and every query plans.
        let bytes = query.utf8
        let fields = options.wordsOnly || !bytes.contains(UInt8(ascii: ":")) ? [] : node.fieldLookalikes
        let operators = options.wordsOnly || !bytes.contains(UInt8(ascii: "/")) ? [] : node.operatorLookalikes
        notes = (plan, fields.map { asPhrase($0, splitAt: ":", "the only field is title: (lower case)") }
                    + operators.map { asPhrase($0, splitAt: "/", "proximity is \($0.uppercased()) (capitals)") })
        return plan
    }

    private var automaticStopWords: String {
        let stemmer = reader.store.stemmer
        if QueryStopWords.languages.contains(stemmer) { return stemmer }
        return stemmer == "none" || stemmer == "porter" ? "english" : "none"
    }

    /// The last language's list. Not a `Dictionary` by language: see `StopWordList`.
    private var stopWordCache: (language: String, list: StopWordList?)?

    private func stopWordList(_ language: String) throws -> StopWordList? {
        if let cached = stopWordCache, cached.language == language { return cached.list }
        let list = try QueryStopWords.list(language)
        stopWordCache = (language, list)
        return list
    }

    public func search(_ query: String, options: SearchOptions) throws -> SearchResult {
        try search(plan: plan(query, options: options), options: options)
    }

    public func search(plan: QueryPlan, options: SearchOptions) throws -> SearchResult {
        warnings = notes.flatMap { $0.plan == plan ? $0.notes : nil } ?? []
        // As Xapian's and SQL's ranges, an empty one matches nothing; said, since it is
        // likelier a slip than a question.
        if let since = options.since, let until = options.until, since > until {
            warnings.append("the date range is empty: its first day comes after its last")
        }
        let dated = options.since != nil || options.until != nil
        days = dated ? DayRange(since: options.since, until: options.until) : nil
        defer { days = nil }
        let (wanted, overflow) = options.offset.addingReportingOverflow(options.limit)
        var collector = Collector(top: TopK(capacity: overflow ? Int.max : wanted, order: options.order),
                                  reader: reader, scoring: options.limit > 0)
        try reader.failingOnDamage {
            var matcher = try rankedMatcher(plan, options)
            if let days { matcher = try DateFilterMatcher(matcher, reader: reader, range: days) }
            try matcher.collect(into: &collector)
        }
        let hits = Array(collector.top.sorted().dropFirst(options.offset))
        // Only for a word the index does not hold at all: a search that failed on another word
        // or on its dates is not the run's doing.
        if collector.count == 0, reader.store.eastAsian == .runs,
           let word = try Self.eastAsianWords(plan).first(where: { try reader.termInfo(.text, $0) == nil }) {
            warnings.append("this index holds Chinese, Japanese and Korean text in runs from space or punctuation to the next: "
                            + "'\(word)' finds a run that is exactly it; '\(word)*' also finds the runs it begins "
                            + "(an index made in a new folder finds Chinese and Japanese words inside runs)")
        }
        return SearchResult(hits: hits, count: collector.count, warnings: warnings)
    }

    /// The query's words written in Chinese, Japanese or Korean letters (not its prefixes).
    static func eastAsianWords(_ plan: QueryPlan) -> [String] {
        func isEastAsian(_ term: String) -> Bool {
            term.unicodeScalars.contains { c in
                (0x3040...0x9FFF).contains(c.value) || (0xAC00...0xD7A3).contains(c.value)
                    || (0xF900...0xFAFF).contains(c.value) || c.value >= 0x20000
            }
        }
        switch plan {
        case let .term(_, term): return isEastAsian(term) ? [term] : []
        case let .phrase(seq): return seq.terms.filter(isEastAsian)
        case let .near(seqs, _, _): return seqs.flatMap { $0.terms.filter(isEastAsian) }
        case let .all(items, _), let .any(items, _): return items.flatMap(eastAsianWords)
        case let .required(item): return eastAsianWords(item)
        case .prefix, .nothing: return []
        }
    }

    /// The matching doc ids in order, unscored (brute-force comparisons and `--count`).
    public func matchingDocs(plan: QueryPlan, options: SearchOptions) throws -> [UInt32] {
        try reader.failingOnDamage {
            let matcher = try build(plan, options.bm25, options.maxPrefixTerms)
            var out: [UInt32] = []
            var d = matcher.doc
            while d != Matcher.end {
                out.append(d)
                d = try matcher.next()
            }
            return out
        }
    }

    /// The list of a ranked OR query (`--any`) and its exclusions: the ranking extras go with
    /// it. Only `--any` has them (a written OR in an AND query had taken them too), with
    /// exclusions as without (an excluded word had turned them off), and for one word as for
    /// several (a one-word list had no title weight).
    func rankedList(_ plan: QueryPlan, _ options: SearchOptions) -> (items: [QueryPlan], excluded: [QueryPlan])? {
        guard options.defaultOperator == .any,
              options.proximityWeight > 0 || options.bigramWeight > 0 || options.titleWeight > 0 else { return nil }
        switch plan {
        case let .any(items, excluded): return (items, excluded)
        case .term(.text, _): return ([plan], [])
        default: return nil
        }
    }

    /// The matcher for a search, with the ranking extras of a ranked OR query of plain words.
    func rankedMatcher(_ plan: QueryPlan, _ options: SearchOptions) throws -> Matcher {
        guard let (items, excluded) = rankedList(plan, options) else { return try build(plan, options.bm25, options.maxPrefixTerms) }
        let base = try build(.any(items, excluded: []), options.bm25, options.maxPrefixTerms)
        // The extras only add to the scores of documents the list matches (a title word is in
        // the text too; a pair's words both are): a count needs none of them, and reading a
        // pair's positions in every document holding both words had made `--any --count` of
        // 15 common words take 45 ms where the list alone takes 2.4 ms.
        if options.limit == 0 { return try exclude(excluded, from: base, options.bm25, options.maxPrefixTerms) }
        let words = Self.rankedWords(items)
        var extras: [Matcher] = []
        if options.titleWeight > 0 {
            for w in Self.distinctInQueryOrder(words) {
                if let m = try termMatcher(.title, w, options.bm25) { extras.append(WeightedMatcher(m, weight: options.titleWeight)) }
            }
        }
        for pair in proximityGroups(words, options) {
            let m = try positional(pair.operands, mode: pair.mode, options.bm25)
            if !(m is EmptyMatcher) { extras.append(WeightedMatcher(m, weight: pair.weight)) }
        }
        guard !extras.isEmpty, !(base is EmptyMatcher) else { return try exclude(excluded, from: base, options.bm25, options.maxPrefixTerms) }
        // With a required item, the extras only add to the documents it matches; without one,
        // every document they match the list matches too.
        let ranked = items.contains(where: \.isRequired) ? requiring(base, optional: try union(extras)) : DisjunctionMatcher([base] + extras)
        return try exclude(excluded, from: ranked, options.bm25, options.maxPrefixTerms)
    }

    /// The plain text words of a ranked list, required or not, which its extras score.
    static func rankedWords(_ items: [QueryPlan]) -> [String] {
        items.compactMap { item -> String? in
            if case let .term(.text, t) = item.withoutRequiredMark { return t } else { return nil }
        }
    }

    /// Each word once, in the order the query gives them. Not a Set's order: that changes
    /// from one instance to the next, and summing in another order changes a score's last bit.
    /// Duplicates are found by sorting, not hashing (see `StopWordList`).
    static func distinctInQueryOrder(_ words: [String]) -> [String] {
        let byWord = Array(words.indices).mergeSorted { words[$0] < words[$1] }
        var isRepeat = [Bool](repeating: false, count: words.count)
        for (previous, i) in zip(byWord, byWord.dropFirst()) where words[previous] == words[i] { isRepeat[i] = true }
        return words.indices.filter { !isRepeat[$0] }.map { words[$0] }
    }

    /// One piece of proximity evidence for a ranked OR query: two query words as a sloppy
    /// (unordered window) or exact (ordered, adjacent) pair, and the weight of its score.
    struct ProximityGroup {
        var label: String
        var operands: [TermSequence]
        var mode: PositionalMatcher.Mode
        var weight: Double
        var isBigram: Bool { if case .phrase = mode { true } else { false } }
    }

    /// The proximity evidence scored for these query words: window pairs, then bigrams.
    func proximityGroups(_ words: [String], _ options: SearchOptions) -> [ProximityGroup] {
        guard words.count > 1 else { return [] }
        var groups: [ProximityGroup] = []
        if options.proximityWeight > 0 {
            for (a, b) in proximityPairs(words, options) where a != b {
                groups.append(ProximityGroup(
                    label: "\(a) NEAR/\(options.proximityWindow) \(b)",
                    operands: [TermSequence(field: .text, terms: [a]), TermSequence(field: .text, terms: [b])],
                    mode: .near(distance: options.proximityWindow, ordered: false), weight: options.proximityWeight))
            }
        }
        if options.bigramWeight > 0 {
            for (a, b) in zip(words, words.dropFirst()) where a != b {
                groups.append(ProximityGroup(label: "\"\(a) \(b)\"", operands: [TermSequence(field: .text, terms: [a, b])],
                                             mode: .phrase, weight: options.bigramWeight))
            }
        }
        return groups
    }

    /// Adjacent pairs scored for proximity, from the query's start: a pasted article of 963
    /// words had read the positions of 962 pairs (0.4 s on news-combined). The judged
    /// collections' longest queries (CACM's, 79 words with stop words) stay under it.
    static let maximumAdjacentPairs = 64

    /// Which query words are scored for appearing near each other.
    private func proximityPairs(_ words: [String], _ options: SearchOptions) -> [(String, String)] {
        guard options.proximityAllPairs else { return Array(zip(words, words.dropFirst()).prefix(Self.maximumAdjacentPairs)) }
        let capped = Array(words.prefix(10))
        return capped.indices.flatMap { i in capped[(i + 1)...].map { (capped[i], $0) } }
    }

    private func build(_ plan: QueryPlan, _ bm25: BM25Parameters, _ maxPrefix: Int) throws -> Matcher {
        switch plan {
        case let .term(field, term):
            return try termMatcher(field, term, bm25) ?? EmptyMatcher()
        case let .phrase(seq):
            return try positional([seq], mode: .phrase, bm25)
        case let .near(seqs, distance, ordered):
            return try positional(seqs, mode: .near(distance: distance, ordered: ordered), bm25)
        case let .prefix(field, prefix, wholeWord):
            let (infos, truncated) = try prefixTerms(field, prefix, wholeWord: wholeWord, limit: maxPrefix)
            if truncated {
                warnings.append("\(prefix)* matches more than \(maxPrefix) terms; only the \(maxPrefix) commonest were searched")
            }
            return try union(infos.map { try termMatcher($0, bm25) })
        case let .all(items, excluded):
            let (flat, flatExcluded) = Self.flattened(items, excluded, all: true)
            let matcher = try conjunction(try children(flat, bm25, maxPrefix))
            return try exclude(flatExcluded, from: matcher, bm25, maxPrefix)
        case let .any(items, excluded):
            let (flat, _) = Self.flattened(items, [], all: false)
            let required = flat.filter(\.isRequired).map(\.withoutRequiredMark)
            let optional = try children(flat.filter { !$0.isRequired }, bm25, maxPrefix).filter { !($0 is EmptyMatcher) }
            guard !required.isEmpty else { return try exclude(excluded, from: try union(optional), bm25, maxPrefix) }
            let matcher = requiring(try conjunction(try children(required, bm25, maxPrefix)), optional: try union(optional))
            return try exclude(excluded, from: matcher, bm25, maxPrefix)
        case let .required(item):
            return try build(item, bm25, maxPrefix)
        case .nothing:
            return EmptyMatcher()
        }
    }

    /// A list's items with the lists of its own kind inside it spliced in: `a AND (b AND -c)` is
    /// `a AND b AND -c`, and `a OR (b OR c)` is `a OR b OR c` (an OR list with exclusions of its
    /// own stays a group). Scores are the same sums; each level of nesting had been another
    /// matcher every document passed through (100 nested ORs of common words took 0.8 s).
    static func flattened(_ items: [QueryPlan], _ excluded: [QueryPlan], all: Bool) -> (items: [QueryPlan], excluded: [QueryPlan]) {
        var flat: [QueryPlan] = [], flatExcluded = excluded
        for item in items {
            switch item {
            case let .all(sub, subExcluded) where all:
                let inner = flattened(sub, subExcluded, all: true)
                flat += inner.items
                flatExcluded += inner.excluded
            case let .any(sub, subExcluded) where !all && subExcluded.isEmpty && !sub.contains(where: \.isRequired):
                flat += flattened(sub, [], all: false).items
            default:
                flat.append(item)
            }
        }
        return (flat, flatExcluded)
    }

    /// One matcher per distinct item: a word given n times is read once and scores n times its
    /// score, as n clauses would (500 copies of a word had opened 500 cursors). Only plain terms
    /// are merged, found by sorting, not hashing (see `StopWordList`).
    private func children(_ items: [QueryPlan], _ bm25: BM25Parameters, _ maxPrefix: Int) throws -> [Matcher] {
        var repeats = [Int](repeating: 1, count: items.count)
        let keys = items.map { item -> String? in
            if case let .term(field, term) = item { return "\(field.name):\(term)" } else { return nil }
        }
        let sorted = items.indices.filter { keys[$0] != nil }.mergeSorted { (keys[$0]!, $0) < (keys[$1]!, $1) }
        var first = sorted.first ?? 0
        for i in sorted.dropFirst() {
            if keys[i] == keys[first] { repeats[first] += 1; repeats[i] = 0 } else { first = i }
        }
        return try items.indices.filter { repeats[$0] > 0 }.map { i in
            guard repeats[i] > 1, case let .term(field, term) = items[i] else { return try build(items[i], bm25, maxPrefix) }
            return try termMatcher(field, term, bm25, repeats: repeats[i]) ?? EmptyMatcher()
        }
    }

    /// AND over matchers: the cursor-walking one when all are plain terms, else the general one.
    private func conjunction(_ children: [Matcher]) throws -> Matcher {
        if children.contains(where: { $0 is EmptyMatcher }) { return EmptyMatcher() }
        let terms = children.compactMap { $0 as? TermMatcher }
        guard terms.count == children.count, termConjunctions else { return try ConjunctionMatcher(children) }
        return try TermConjunctionMatcher(terms)
    }

    /// OR over matchers: the windowed union when all are plain terms, else the general one.
    /// Plain terms are put in falling order of their score bound (ties in query order), for
    /// both, so the union can prune its weakest terms and scores are summed the same way.
    private func union(_ children: [Matcher]) throws -> Matcher {
        if children.isEmpty { return EmptyMatcher() }
        if children.count == 1 { return children[0] }
        let terms = children.compactMap { $0 as? TermMatcher }
        guard terms.count == children.count else { return DisjunctionMatcher(children) }
        let ordered = Array(terms.enumerated()).mergeSorted {
            ($0.element.weight.scoreBound, -$0.offset) > ($1.element.weight.scoreBound, -$1.offset)
        }.map { $0.element }
        guard unionWindowSize > 0 else { return DisjunctionMatcher(ordered) }
        return try TermUnionMatcher(ordered, windowSize: unionWindowSize)
    }

    /// The documents `required` matches, scored by it plus whatever of `optional` they match.
    private func requiring(_ required: Matcher, optional: Matcher) -> Matcher {
        guard !(required is EmptyMatcher), !(optional is EmptyMatcher) else { return required }
        return RequiredOptionalMatcher(required: required, optional: optional)
    }

    private func exclude(_ excluded: [QueryPlan], from matcher: Matcher, _ bm25: BM25Parameters,
                         _ maxPrefix: Int) throws -> Matcher {
        guard !excluded.isEmpty, !(matcher is EmptyMatcher) else { return matcher }
        let negatives = try children(excluded, bm25, maxPrefix).filter { !($0 is EmptyMatcher) }
        guard !negatives.isEmpty else { return matcher }
        return try ExclusionMatcher(include: matcher, exclude: negatives)
    }

    /// The terms a prefix plan searches: those starting with it, at most `limit` (and whether
    /// more exist), and on a stemmed index the stems of the words starting with it
    /// (`interna*` finds "international" through its stem `intern`) and of its whole word.
    func prefixTerms(_ field: Field, _ prefix: String, wholeWord: String?, limit: Int) throws -> (terms: [TermInfo], truncated: Bool) {
        var (infos, truncated) = try reader.terms(withPrefix: prefix, field: field, limit: limit)
        var stems = try reader.stemsOfWords(withPrefix: prefix, limit: limit)
        if let wholeWord, !wholeWord.hasPrefix(prefix), !stems.contains(wholeWord) { stems.append(wholeWord) }
        for stem in stems {
            guard let info = try reader.termInfo(field, stem) else { continue }
            // The bound holds for all of them: a stem past it is left out, as a term is.
            guard infos.count < limit else { return (infos, true) }
            infos.append(info)
        }
        return (infos, truncated)
    }

    func termMatcher(_ field: Field, _ term: String, _ bm25: BM25Parameters, repeats: Int = 1) throws -> TermMatcher? {
        guard let info = try reader.termInfo(field, term) else { return nil }
        return try termMatcher(info, bm25, repeats: repeats)
    }

    /// `repeats`: how many times the query gives the term; its score is that many times one's.
    func termMatcher(_ info: TermInfo, _ bm25: BM25Parameters, repeats: Int = 1) throws -> TermMatcher {
        let idf = Double(repeats) * BM25Weight.idf(documentFrequency: info.documentFrequency, documents: reader.stats.documents)
        let weight = BM25Weight(idf: idf, parameters: bm25, averageLength: reader.stats.averageLength(info.field))
        return TermMatcher(cursor: try reader.postings(info), weight: weight, reader: reader)
    }

    func positional(_ seqs: [TermSequence], mode: PositionalMatcher.Mode,
                            _ bm25: BM25Parameters) throws -> Matcher {
        var operands: [[TermMatcher]] = []
        var idf = 0.0
        for seq in seqs {
            var terms: [TermMatcher] = []
            for term in seq.terms {
                guard let m = try termMatcher(seq.field, term, bm25) else { return EmptyMatcher() }
                idf += m.weight.idf
                terms.append(m)
            }
            operands.append(terms)
        }
        let weight = BM25Weight(idf: idf, parameters: bm25, averageLength: reader.stats.averageLength(seqs[0].field))
        return try PositionalMatcher(operands: operands, mode: mode, weight: weight, days: days)
    }
}
