// Query: `--explain`: why a document scored what it did, term by term, like Lucene's explain.
// Owns the breakdown tree; every number in it is recomputed with the matchers the search used.
import InvertedIndex

/// One line of an explanation: a value, what it is, and the values it was made from.
public struct Explanation: Sendable {
    public var value: Double
    public var description: String
    public var details: [Explanation]

    /// Indented lines, as `search --explain` prints them.
    public func lines(indent: String = "") -> [String] {
        ["\(indent)\(Explanation.format(value)) = \(description)"] + details.flatMap { $0.lines(indent: indent + "  ") }
    }

    static func format(_ v: Double) -> String {
        let r = (v * 10_000).rounded() / 10_000
        return "\(r)"
    }
}

extension Searcher {
    /// The score of `doc` for `plan`, broken down; nil parts (no match) are left out.
    public func explain(_ plan: QueryPlan, doc: UInt32, options: SearchOptions) throws -> Explanation {
        let parts = try reader.failingOnDamage {
            var parts = try explainPart(plan, doc: doc, options: options).map { [$0] } ?? []
            if let (items, _) = rankedList(plan, options) {
                parts += try rankingExtras(items, doc: doc, options: options)
            }
            return parts
        }
        let total = parts.reduce(0) { $0 + $1.value }
        return Explanation(value: total, description: "score of \(try reader.document(doc).externalID)", details: parts)
    }

    private func explainPart(_ plan: QueryPlan, doc: UInt32, options: SearchOptions) throws -> Explanation? {
        switch plan {
        case let .term(field, term):
            guard let m = try termMatcher(field, term, options.bm25), try m.advance(to: doc) == doc else { return nil }
            return try termExplanation(m, label: "\(field.name):\(term)")
        case let .prefix(field, prefix, wholeWord):
            let infos = try prefixTerms(field, prefix, wholeWord: wholeWord, limit: options.maxPrefixTerms).terms
            var details: [Explanation] = []
            for info in infos {
                let m = try termMatcher(info, options.bm25)
                if try m.advance(to: doc) == doc { details.append(try termExplanation(m, label: "\(field.name):\(info.term)")) }
            }
            return details.isEmpty ? nil : Explanation(value: details.reduce(0) { $0 + $1.value },
                                                       description: "sum of \(field.name):\(prefix)* terms", details: details)
        case let .phrase(seq):
            return try positionalExplanation([seq], mode: .phrase, label: "phrase \(seq.rendered)", doc: doc, options: options)
        case let .near(seqs, k, ordered):
            let label = "\(ordered ? "ADJ" : "NEAR")/\(k) of " + seqs.map(\.rendered).joined(separator: ", ")
            return try positionalExplanation(seqs, mode: .near(distance: k, ordered: ordered), label: label, doc: doc, options: options)
        case let .required(item):
            return try explainPart(item, doc: doc, options: options)
        case let .all(items, _), let .any(items, _):
            let details = try items.compactMap { try explainPart($0, doc: doc, options: options) }
            return details.isEmpty ? nil : Explanation(value: details.reduce(0) { $0 + $1.value },
                                                       description: "sum of matching parts", details: details)
        case .nothing:
            return nil
        }
    }

    private func termExplanation(_ m: TermMatcher, label: String) throws -> Explanation {
        let tf = Double(m.cursor.tf)
        let length = try m.length(of: m.doc)
        return bm25Explanation(value: try m.score(), label: "weight(\(label))", weight: m.weight, tf: tf, tfLabel: "tf",
                               length: length, df: "df \(m.cursor.term.documentFrequency) of N \(reader.stats.documents)")
    }

    private func positionalExplanation(_ seqs: [TermSequence], mode: PositionalMatcher.Mode, label: String, doc: UInt32,
                                       options: SearchOptions) throws -> Explanation? {
        guard let m = try positional(seqs, mode: mode, options.bm25) as? PositionalMatcher,
              try m.advance(to: doc) == doc else { return nil }
        let length = try reader.lengths(of: doc)
        let fieldLength = seqs[0].field == .text ? length.text : length.title
        return bm25Explanation(value: try m.score(), label: "weight(\(label))", weight: m.weight,
                               tf: Double(m.frequency), tfLabel: "match frequency", length: fieldLength,
                               df: "idf is the sum of its terms' idfs")
    }

    private func bm25Explanation(value: Double, label: String, weight: BM25Weight, tf: Double, tfLabel: String,
                                 length: UInt32, df: String) -> Explanation {
        let norm = weight.k1 * (1 - weight.b + weight.b * Double(length) / weight.averageLength)
        return Explanation(value: value, description: "\(label): idf × tf × (k1 + 1) / (tf + norm)", details: [
            Explanation(value: weight.idf, description: "idf = ln(1 + (N − df + 0.5) / (df + 0.5)), \(df)", details: []),
            Explanation(value: tf, description: tfLabel, details: []),
            Explanation(value: norm, description: "norm = k1 × (1 − b + b × length / average length), k1 \(weight.k1), b \(weight.b), length \(length), average \(Explanation.format(weight.averageLength))", details: []),
        ])
    }

    private func rankingExtras(_ items: [QueryPlan], doc: UInt32, options: SearchOptions) throws -> [Explanation] {
        let words = Self.rankedWords(items)
        var out: [Explanation] = []
        if options.titleWeight > 0 {
            for w in Self.distinctInQueryOrder(words) {
                guard let m = try termMatcher(.title, w, options.bm25), try m.advance(to: doc) == doc else { continue }
                let e = try termExplanation(m, label: "title:\(w)")
                out.append(Explanation(value: e.value * options.titleWeight, description: "title weight \(options.titleWeight) ×", details: [e]))
            }
        }
        for group in proximityGroups(words, options) {
            guard let e = try positionalExplanation(group.operands, mode: group.mode, label: group.label,
                                                    doc: doc, options: options) else { continue }
            out.append(Explanation(value: e.value * group.weight, description: "\(group.isBigram ? "bigram" : "proximity") weight \(group.weight) ×", details: [e]))
        }
        return out
    }
}
