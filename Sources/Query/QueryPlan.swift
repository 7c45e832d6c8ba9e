// Query: the analyzed query, where every word has become index terms of a field.
// Owns the step from syntax to terms: stemming, multi-token words as phrases, prefixes, fields.
import Analysis
import InvertedIndex

/// A phrase or single term of one field, as NEAR and phrase matching see it.
public struct TermSequence: Equatable, Sendable {
    public var field: Field
    public var terms: [String]
}

/// The analyzed query tree the matchers are built from.
public indirect enum QueryPlan: Equatable, Sendable {
    case term(Field, String)
    case phrase(TermSequence)
    /// Terms starting with the folded prefix; on a stemmed index also `wholeWord`, the prefix
    /// stemmed as a word of its own when that stem does not start with it (`economy*` also
    /// finds `economi`, the stem of "economy" and "economies").
    case prefix(Field, String, wholeWord: String?)
    case near([TermSequence], distance: Int, ordered: Bool)
    case all([QueryPlan], excluded: [QueryPlan])
    case any([QueryPlan], excluded: [QueryPlan])
    /// An item of an `any` list that a document must match; the other items add to its score.
    case required(QueryPlan)
    /// A part with no searchable words (only punctuation, say); it matches nothing.
    case nothing
}

public struct QueryPlanner {
    let analyzer: Analyzer
    /// Folded words dropped from ranked OR lists (unless only stop words are left).
    var stopWords: StopWordList?
    /// In ranked OR lists, a word of several tokens ("IL-6") counts as those words, not a phrase:
    /// natural-language text hyphenates freely and a phrase would demand one spelling.
    var splitWordsInRankedLists = false
    /// Whether a prefix on a stemmed index also takes the stem of the prefix read as a whole
    /// word: the way to "economi" from `economy*` on an index whose `words` table lacks older
    /// documents' words. With every word there it is no word's stem when no word begins with
    /// the prefix (`cons*` had found "con").
    let stemsWholePrefix: Bool

    public init(analyzer: Analyzer, stopWords: StopWordList? = nil, stemsWholePrefix: Bool = true) {
        self.analyzer = analyzer
        self.stopWords = stopWords
        self.stemsWholePrefix = stemsWholePrefix
    }

    public func plan(_ node: QueryNode) throws -> QueryPlan {
        let plan = try build(node)
        if plan == .nothing {
            throw QuerySyntaxError(message: "the query has no searchable words", column: 1)
        }
        return plan
    }

    private func build(_ node: QueryNode) throws -> QueryPlan {
        switch node {
        case let .word(field, text, _), let .phrase(field, text, _):
            return sequencePlan(field: field, text: text)
        case let .prefix(field, text, column):
            let tokens = analyzer.tokens(text)
            // Chinese or Japanese cut into pairs: what begins with these characters holds them,
            // and a lone character is found wherever it stands. Tested on the folded tokens,
            // where half-width kana and voicing marks have become the characters they write.
            if pairsHanKana && !tokens.isEmpty && tokens.allSatisfy(EastAsianTerms.isPairedText) {
                return sequencePlan(field: field, text: text)
            }
            guard tokens.count <= 1 else {
                throw QuerySyntaxError(message: "a prefix must be a single word, not '\(text)*'", column: column)
            }
            guard let token = tokens.first else { return .nothing }
            // Stemmed from the word as written: stemmers other than English read accents, and
            // the folded token has none ("pensée*" had added "pense", not the index's "pens").
            let stem = stemsWholePrefix ? analyzer.analyzedTerms(text).first : nil
            let wholeWord = stem.flatMap { $0.hasPrefix(token) ? nil : $0 }
            return .prefix(Self.field(field), token, wholeWord: wholeWord)
        case let .near(operands, distance, ordered):
            var sequences: [TermSequence] = []
            for operand in operands {
                guard case let .phrase(seq) = try promote(operand) else {
                    throw QuerySyntaxError(message: "a NEAR/ADJ operand has no searchable words", column: Self.column(operand))
                }
                sequences.append(seq)
            }
            guard Set(sequences.map { $0.field }).count == 1 else {
                throw QuerySyntaxError(message: "NEAR/ADJ operands must search the same field", column: Self.column(operands[0]))
            }
            return .near(sequences, distance: distance, ordered: ordered)
        case let .all(items, excluded):
            return try list(items, excluded, all: true)
        case let .any(items, excluded):
            return try list(split(withoutStopWords(items)), excluded, all: false)
        case let .required(item):
            // A part with no searchable words is dropped, required or not, as Lucene drops it.
            let plan = try build(item)
            return plan == .nothing ? .nothing : .required(plan)
        }
    }

    private func split(_ items: [QueryNode]) -> [QueryNode] {
        guard splitWordsInRankedLists else { return items }
        return items.flatMap { item -> [QueryNode] in
            guard case let .word(field, text, column) = item else { return [item] }
            let tokens = analyzer.tokens(text)
            guard tokens.count > 1 else { return [item] }
            return Self.separateWords(tokens).filter { !(stopWords?.contains($0) ?? false) }
                .map { .word(field: field, text: $0, column: column) }
        }
    }

    /// A word's tokens as separate words, each run of Chinese or Japanese pairs joined back
    /// into the characters it spells ("東京タワー" stays one word, a phrase of its pairs), and
    /// without the character `QueryForm` keeps after a run only to hold the place of what
    /// follows ("東京tower" is 東京 and tower, not 京 as well).
    static func separateWords(_ tokens: [String]) -> [String] {
        var words: [String] = []
        var run = ""
        for token in tokens {
            if EastAsianTerms.isPair(token) && run.last == token.first {
                run.unicodeScalars.append(token.unicodeScalars.last!)
                continue
            }
            let holdsPlace = !run.isEmpty && token.unicodeScalars.count == 1 && run.last == token.first
            if !run.isEmpty { words.append(run) }
            run = ""
            if holdsPlace { continue }
            if EastAsianTerms.isPair(token) { run = token } else { words.append(token) }
        }
        if !run.isEmpty { words.append(run) }
        return words
    }

    /// Bare stop words leave a ranked OR list, unless nothing but stop words is in it.
    private func withoutStopWords(_ items: [QueryNode]) -> [QueryNode] {
        guard let stopWords else { return items }
        let kept = items.filter { item in
            guard case let .word(field, text, _) = item, field == nil else { return true }
            let tokens = analyzer.tokens(text)
            return !(tokens.count == 1 && stopWords.contains(tokens[0]))
        }
        return kept.isEmpty ? items : kept
    }

    private func list(_ items: [QueryNode], _ excluded: [QueryNode], all: Bool) throws -> QueryPlan {
        let positive = try items.map(build).filter { $0 != .nothing }
        let negative = try excluded.map(build).filter { $0 != .nothing }
        if positive.isEmpty { return .nothing }
        if positive.count == 1 && negative.isEmpty { return positive[0].withoutRequiredMark }
        return all ? .all(positive, excluded: negative) : .any(positive, excluded: negative)
    }

    private var pairsHanKana: Bool { analyzer.eastAsian == .pairs }

    private func sequencePlan(field: String?, text: String) -> QueryPlan {
        let terms = analyzer.analyzedTerms(text)
        switch terms.count {
        case 0: return .nothing
        case 1: return .term(Self.field(field), terms[0])
        default: return .phrase(TermSequence(field: Self.field(field), terms: terms))
        }
    }

    /// A word or phrase operand as a term sequence (a single term is a one-term sequence).
    private func promote(_ node: QueryNode) throws -> QueryPlan {
        switch try build(node) {
        case let .term(field, term): return .phrase(TermSequence(field: field, terms: [term]))
        case let plan: return plan
        }
    }

    static func field(_ name: String?) -> Field { name == "title" ? .title : .text }

    static func column(_ node: QueryNode) -> Int {
        switch node {
        case let .word(_, _, c), let .prefix(_, _, c), let .phrase(_, _, c): return c
        default: return 1
        }
    }
}

extension QueryPlan {
    /// The plan an item of a list stands for, whether or not the list requires it.
    public var withoutRequiredMark: QueryPlan {
        if case let .required(item) = self { return item }
        return self
    }

    public var isRequired: Bool {
        if case .required = self { return true }
        return false
    }
}

extension QueryPlan: CustomStringConvertible {
    /// A readable rendering of the analyzed query, as `search --analyze` shows it.
    public var description: String {
        switch self {
        case let .term(f, t): return "\(f == .title ? "title:" : "")\(t)"
        case let .phrase(seq): return seq.rendered
        case let .prefix(f, t, wholeWord):
            let name = f == .title ? "title:" : ""
            return wholeWord.map { "(\(name)\(t)* OR \(name)\($0))" } ?? "\(name)\(t)*"
        case let .near(seqs, k, ordered):
            return "\(ordered ? "ADJ" : "NEAR")/\(k)(" + seqs.map(\.rendered).joined(separator: ", ") + ")"
        case let .all(items, ex): return Self.render("AND", items, ex)
        case let .any(items, ex): return Self.render("OR", items, ex)
        case let .required(item): return "+" + item.description
        case .nothing: return "NOTHING"
        }
    }

    private static func render(_ op: String, _ items: [QueryPlan], _ ex: [QueryPlan]) -> String {
        var parts = items.map(\.description)
        parts += ex.map { "-" + $0.description }
        return "\(op)(" + parts.joined(separator: ", ") + ")"
    }
}

extension TermSequence {
    var rendered: String {
        (field == .title ? "title:" : "") + (terms.count == 1 ? terms[0] : "\"" + terms.joined(separator: " ") + "\"")
    }
}
