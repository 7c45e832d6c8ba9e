// IndexQueryTests: shared helpers: a seeded generator, temporary index folders, corpus location.
// Owns the brute-force reference model every index and query test compares against.
import Analysis
import InvertedIndex
import Query
import XCTest
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SplitMix64: deterministic, so a failing case can be replayed from its seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func temporaryDirectory(_ name: String) -> String {
    let path = "/tmp/newsidx-test-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    mkdir(path, 0o755)
    return path
}

func removeDirectory(_ path: String) {
    for f in ["data.mdb", "lock.mdb"] { unlink(path + "/" + f) }
    rmdir(path)
}

/// ../shared/corpora beside the package, or nil (tests that need it skip).
func sharedCorpora() -> String? {
    var url = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
    url = "/" + url + "/../shared/corpora"
    return access(url, F_OK) == 0 ? url : nil
}

/// Builds an index from `docs` in a fresh folder.
func buildIndex(_ docs: [DocumentInput], stemmer: String = "none", batchPositions: Int = 12_000_000,
                name: String = "idx",
                pending: (Int, DocumentInput) -> PendingDocument = { _, d in PendingDocument { d } })
    throws -> (path: String, reader: IndexReader) {
    let path = temporaryDirectory(name)
    let store = try IndexStore.openOrCreate(path: path, stemmer: stemmer, deferSync: true)
    let writer = try IndexWriter(store: store, threads: 2)
    writer.maxBatchPositions = batchPositions
    for (i, d) in docs.enumerated() { try writer.add(pending(i, d)) }
    _ = try writer.finish()
    return (path, try IndexReader(store: try IndexStore.open(path: path, readOnly: true)))
}

/// The reference model: documents as analyzed term lists, queries evaluated by scanning them.
struct BruteForce {
    struct Doc {
        var id: String
        var title: [String]
        var body: [String]
    }

    let docs: [Doc]
    let k1: Double, b: Double
    /// Every word of the collection, folded, with the term it is indexed as: a prefix finds what
    /// each word it begins finds (the index's `words` table).
    let wordTerms: [String: String]

    init(_ inputs: [DocumentInput], stemmer: String, k1: Double = 1.2, b: Double = 0.75) throws {
        let analyzer = try Analyzer(language: stemmer)
        docs = inputs.map { Doc(id: $0.externalID, title: analyzer.analyzedTerms($0.title), body: analyzer.analyzedTerms($0.body)) }
        var wordTerms: [String: String] = [:]
        for input in inputs {
            for word in Tokenizer.tokens(input.title) + Tokenizer.tokens(input.body) where wordTerms[word] == nil {
                wordTerms[word] = analyzer.analyzedTerms(word).first
            }
        }
        self.wordTerms = wordTerms
        self.k1 = k1
        self.b = b
    }

    /// The terms of the words a prefix begins, and the prefix's own stem where the plan asks.
    func prefixTerms(_ prefix: String, wholeWord: String?) -> Set<String> {
        Set(wordTerms.filter { $0.key.hasPrefix(prefix) }.values).union(wholeWord.map { [$0] } ?? [])
    }

    /// The regions a field covers; phrases and windows never cross a region.
    func regions(_ doc: Doc, _ field: Field) -> [[String]] {
        field == .title ? [doc.title] : [doc.title, doc.body]
    }

    func matches(_ plan: QueryPlan, _ doc: Doc) -> Bool {
        switch plan {
        case let .term(f, t): return regions(doc, f).contains { $0.contains(t) }
        case let .prefix(f, p, wholeWord):
            let terms = prefixTerms(p, wholeWord: wholeWord)
            return regions(doc, f).contains { $0.contains { $0.hasPrefix(p) || terms.contains($0) } }
        case let .phrase(seq): return phraseCount(seq, doc) > 0
        case let .near(seqs, k, ordered): return nearMatches(seqs, k, ordered, doc)
        case let .all(items, ex): return items.allSatisfy { matches($0, doc) } && !ex.contains { matches($0, doc) }
        case let .any(items, ex):
            // With required items (`+a b`), those decide; the others only add to the score.
            let required = items.filter(\.isRequired)
            let matched = required.isEmpty ? items.contains { matches($0, doc) } : required.allSatisfy { matches($0, doc) }
            return matched && !ex.contains { matches($0, doc) }
        case let .required(item): return matches(item, doc)
        case .nothing: return false
        }
    }

    func starts(_ seq: TermSequence, in region: [String]) -> [Int] {
        guard region.count >= seq.terms.count else { return [] }
        return (0...(region.count - seq.terms.count)).filter { p in
            seq.terms.indices.allSatisfy { region[p + $0] == seq.terms[$0] }
        }
    }

    func phraseCount(_ seq: TermSequence, _ doc: Doc) -> Int {
        regions(doc, seq.field).reduce(0) { $0 + starts(seq, in: $1).count }
    }

    /// Tries every combination of occurrences, straight from the definition.
    func nearMatches(_ seqs: [TermSequence], _ k: Int, _ ordered: Bool, _ doc: Doc) -> Bool {
        for region in regions(doc, seqs[0].field) {
            let occurrences = seqs.map { s in starts(s, in: region).map { ($0, $0 + s.terms.count - 1) } }
            if occurrences.contains(where: \.isEmpty) { continue }
            if anyCombination(occurrences, 0, [], k, ordered) { return true }
        }
        return false
    }

    private func anyCombination(_ occ: [[(Int, Int)]], _ i: Int, _ chosen: [(Int, Int)], _ k: Int, _ ordered: Bool) -> Bool {
        if i == occ.count {
            if ordered {
                var gaps = 0
                for j in 1..<chosen.count {
                    if chosen[j].0 <= chosen[j - 1].1 { return false }
                    gaps += chosen[j].0 - chosen[j - 1].1 - 1
                }
                return gaps <= k
            }
            // The window's words that are none of the operands' (Lucene's and Xapian's NEAR),
            // no word filling two operands.
            let disjoint = chosen.indices.allSatisfy { i in chosen[..<i].allSatisfy { $0.1 < chosen[i].0 || chosen[i].1 < $0.0 } }
            let width = chosen.map(\.1).max()! - chosen.map(\.0).min()! + 1
            return disjoint && width - chosen.reduce(0) { $0 + $1.1 - $1.0 + 1 } <= k
        }
        return occ[i].contains { anyCombination(occ, i + 1, chosen + [$0], k, ordered) }
    }

    func matching(_ plan: QueryPlan) -> Set<String> {
        Set(docs.filter { matches(plan, $0) }.map(\.id))
    }

    // MARK: BM25, computed from the definition

    func length(_ doc: Doc, _ field: Field) -> Int { field == .title ? doc.title.count : doc.title.count + doc.body.count }

    func averageLength(_ field: Field) -> Double {
        Double(docs.reduce(0) { $0 + length($1, field) }) / Double(docs.count)
    }

    func idf(_ field: Field, _ term: String) -> Double {
        let df = Double(docs.filter { matches(.term(field, term), $0) }.count)
        let n = Double(docs.count)
        return Foundation.log(1 + (n - df + 0.5) / (df + 0.5))
    }

    func bm25(idf: Double, tf: Double, length: Int, average: Double) -> Double {
        idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * Double(length) / average))
    }

    /// The score of a matching doc for term, phrase, AND and OR plans.
    func score(_ plan: QueryPlan, _ doc: Doc) -> Double {
        switch plan {
        case let .term(f, t):
            let tf = regions(doc, f).reduce(0) { $0 + $1.filter { $0 == t }.count }
            return tf == 0 ? 0 : bm25(idf: idf(f, t), tf: Double(tf), length: length(doc, f), average: averageLength(f))
        case let .phrase(seq):
            let tf = phraseCount(seq, doc)
            let sumIDF = seq.terms.reduce(0.0) { $0 + idf(seq.field, $1) }
            return tf == 0 ? 0 : bm25(idf: sumIDF, tf: Double(tf), length: length(doc, seq.field), average: averageLength(seq.field))
        case let .all(items, _), let .any(items, _):
            return items.reduce(0.0) { $0 + (matches($1, doc) ? score($1, doc) : 0) }
        case let .required(item):
            return score(item, doc)
        default:
            XCTFail("no reference score for \(plan)")
            return 0
        }
    }
}


let generatedVocabulary = ["alpha", "beta", "gamma", "delta", "echo", "fox", "golf", "hotel", "india",
                           "juliet", "kilo", "lima", "mike", "the", "of", "café", "Qa'ida", "naïve",
                           "running", "runner", "Syria's", "2014", "x1"]

/// Distinct documents of random words from a small vocabulary, so phrases and windows often
/// match. (The index stores identical content once, so the model must not hold repeats.)
func generatedDocuments(count: Int, seed: UInt64) -> [DocumentInput] {
    var rng = SeededRandom(seed: seed)
    var seen = Set<String>()
    var docs: [DocumentInput] = []
    while docs.count < count {
        let titleLength = Int.random(in: 0...5, using: &rng)
        let bodyLength = Int.random(in: 0...60, using: &rng)
        func words(_ n: Int) -> String {
            (0..<n).map { _ in generatedVocabulary.randomElement(using: &rng)! }.joined(separator: " ")
        }
        let title = words(titleLength), body = words(bodyLength)
        guard seen.insert(title + "\n\n" + body).inserted else { continue }
        docs.append(DocumentInput(externalID: "doc-\(docs.count)", title: title, body: body, date: nil))
    }
    return docs
}
