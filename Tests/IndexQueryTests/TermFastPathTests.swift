// IndexQueryTests: the fast paths over plain terms (the windowed union, the cursor-walking
// conjunction) return exactly what the general matchers return: documents, counts and scores,
// with union windows small enough to be crossed many times.
import Foundation
import InvertedIndex
@testable import Query
import XCTest

final class TermFastPathTests: XCTestCase {
    func randomQuery(_ rng: inout SeededRandom) -> String {
        func word() -> String { generatedVocabulary.randomElement(using: &rng)! }
        let words = (0..<Int.random(in: 2...6, using: &rng)).map { _ in word() }.joined(separator: " OR ")
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return words
        case 5: return (0..<Int.random(in: 2...3, using: &rng)).map { _ in word() }.joined(separator: " ")
        case 1: return "(\(words)) \(word())"  // the union under a conjunction: advance(to:)
        case 2: return "(\(words)) -\(word())"
        case 3: return "\(word().prefix(2))* OR \(word())"
        default: return "(\(words)) \"\(word()) \(word())\""
        }
    }

    func testTermFastPathsEqualTheGeneralMatchers() throws {
        let docs = generatedDocuments(count: 600, seed: 31)
        let (path, reader) = try buildIndex(docs, stemmer: "none")
        defer { removeDirectory(path) }
        let general = try Searcher(reader: reader)
        general.unionWindowSize = 0
        general.termConjunctions = false
        let windowed = try Searcher(reader: reader)
        var options = SearchOptions()
        options.limit = 1000
        var rng = SeededRandom(seed: 37)
        var nonEmpty = 0
        for window in [64, 128, 4096] {
            windowed.unionWindowSize = window
            for _ in 0..<120 {
                let query = randomQuery(&rng)
                let expected = try general.search(query, options: options)
                let got = try windowed.search(query, options: options)
                XCTAssertEqual(got.count, expected.count, "\(query), window \(window)")
                if let i = got.hits.indices.first(where: { $0 < expected.hits.count && got.hits[$0] != expected.hits[$0] }) {
                    XCTFail("\(query), window \(window): hit \(i) is \(got.hits[i]), expected \(expected.hits[i])")
                }
                XCTAssertEqual(got.hits.count, expected.hits.count, "\(query), window \(window)")
                let plan = try windowed.plan(query, options: options)
                XCTAssertEqual(try windowed.matchingDocs(plan: plan, options: options),
                               try general.matchingDocs(plan: plan, options: options), query)
                if expected.count > 64 { nonEmpty += 1 }
            }
        }
        XCTAssertGreaterThan(nonEmpty, 100, "the queries must span several windows to test crossing them")
    }

    /// Two terms walk their blocks together: pairs of every density (a word in every document,
    /// in every other, in one of a hundred, in one run of documents) over many blocks give the
    /// documents, count and scores of the general conjunction, for a full ranking and a top 10.
    func testTermPairWalkEqualsTheGeneralConjunction() throws {
        let docs = generatedDocuments(count: 2_000, seed: 43).enumerated().map { i, d in
            var extra = ["every"]
            if i % 2 == 0 { extra.append("half") }
            if i % 10 == 3 { extra.append("tenth") }
            if i % 97 == 5 { extra.append("rare") }
            if (700..<830).contains(i) { extra.append("clump clump") }
            return DocumentInput(externalID: d.externalID, title: d.title, body: d.body + " " + extra.joined(separator: " "), date: nil)
        }
        let (path, reader) = try buildIndex(docs, stemmer: "none", batchPositions: 20_000)
        defer { removeDirectory(path) }
        let general = try Searcher(reader: reader)
        general.termConjunctions = false
        let fast = try Searcher(reader: reader)
        let words = ["every", "half", "tenth", "rare", "clump", "alpha", "the", "x1"]
        for (n, first) in words.enumerated() {
            for second in words[(n + 1)...] {
                for limit in [10, 5_000] {
                    var options = SearchOptions()
                    options.limit = limit
                    let query = "\(first) \(second)"
                    let expected = try general.search(query, options: options), got = try fast.search(query, options: options)
                    XCTAssertEqual(got.count, expected.count, query)
                    XCTAssertEqual(got.hits, expected.hits, "\(query), limit \(limit)")
                }
            }
        }
    }

    /// A phrase or NEAR whose candidates come from two words collects them by walking both
    /// words' blocks; its hits, count and scores must be those of stepping it with next() and
    /// score(), as any matcher nested in another query is.
    func testPhraseCollectionEqualsSteppingThroughIt() throws {
        var rng = SeededRandom(seed: 47)
        let docs = generatedDocuments(count: 1_500, seed: 45).enumerated().map { i, d in
            DocumentInput(externalID: d.externalID, title: d.title,
                          body: d.body + (i % 3 == 0 ? " tide rise" : "") + (i % 50 == 0 ? " rise tide tide" : ""), date: nil)
        }
        let (path, reader) = try buildIndex(docs, stemmer: "none", batchPositions: 20_000)
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        var options = SearchOptions()
        options.limit = 100_000
        options.proximityWeight = 0
        var checked = 0
        for _ in 0..<80 {
            let w = (0..<3).map { _ in (generatedVocabulary + ["tide", "rise"]).randomElement(using: &rng)! }
            for query in ["\"\(w[0]) \(w[1])\"", "\"\(w[0]) \(w[1]) \(w[2])\"", "\(w[0]) NEAR/2 \(w[1])", "\"tide rise\""] {
                let plan = try searcher.plan(query, options: options)
                let matcher = try searcher.rankedMatcher(plan, options)
                var stepped: [Hit] = []
                while matcher.doc != Matcher.end {
                    stepped.append(Hit(doc: matcher.doc, score: try matcher.score()))
                    _ = try matcher.next()
                }
                let result = try searcher.search(plan: plan, options: options)
                XCTAssertEqual(result.count, stepped.count, query)
                XCTAssertEqual(result.hits, stepped.sorted(by: TopK.byScore), query)
                if stepped.count > 20 { checked += 1 }
            }
        }
        XCTAssertGreaterThan(checked, 80, "too few queries with many matches")
    }

    /// A single term's top k skips blocks whose best possible score cannot enter it; the hits
    /// and the count must be those of ranking every document (a top k that never fills).
    func testSingleTermTopKEqualsTheFullRanking() throws {
        let docs = generatedDocuments(count: 1_500, seed: 41)
        let (path, reader) = try buildIndex(docs, stemmer: "none")
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        var full = SearchOptions()
        full.limit = Int.max / 2
        var checkedMultiBlock = 0
        for term in generatedVocabulary.prefix(12) + generatedVocabulary.prefix(4).map({ "title:" + $0 }) {
            let everything = try searcher.search(term, options: full)
            if everything.count > 2 * Format.blockSize { checkedMultiBlock += 1 }
            for (k, offset) in [(1, 0), (3, 0), (10, 0), (10, 7), (40, 0)] {
                var options = full
                options.limit = k
                options.offset = offset
                let top = try searcher.search(term, options: options)
                XCTAssertEqual(top.count, everything.count, "\(term) k \(k)")
                XCTAssertEqual(top.hits, Array(everything.hits.dropFirst(offset).prefix(k)), "\(term) k \(k) offset \(offset)")
            }
        }
        XCTAssertGreaterThan(checkedMultiBlock, 5, "terms spanning several blocks")
    }

    /// A ranked OR of plain terms stops scoring documents that only its weakest terms match
    /// once they cannot enter the top k (MaxScore). Hits and count must equal ranking every
    /// document, and the corpus (a few frequent words, many rare ones) must make it happen.
    func testUnionTopKEqualsTheFullRankingWhileItPrunes() throws {
        var rng = SeededRandom(seed: 43)
        let vocabulary = (0..<60).map { "w\($0)" }
        func word() -> String {
            // Word i is drawn about 1/(i+1) as often as word 0, as words are in text.
            let r = Double.random(in: 0..<1, using: &rng)
            return vocabulary[min(vocabulary.count - 1, Int(pow(Double(vocabulary.count + 1), r)) - 1)]
        }
        let docs = (0..<2_500).map { n in
            DocumentInput(externalID: "doc-\(n)", title: "", body: (0..<Int.random(in: 1...40, using: &rng)).map { _ in word() }.joined(separator: " ") + " n\(n)", date: nil)
        }
        let (path, reader) = try buildIndex(docs, stemmer: "none")
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        searcher.unionWindowSize = 128  // pruning starts with the second window
        var full = SearchOptions()
        full.defaultOperator = .any
        full.proximityWeight = 0
        full.titleWeight = 0
        full.stopWords = "none"
        full.limit = Int.max / 2
        var countedUnscored = 0
        for _ in 0..<60 {
            let query = (0..<Int.random(in: 2...5, using: &rng)).map { _ in word() }.joined(separator: " ")
            let plan = try searcher.plan(query, options: full)
            let everything = try searcher.search(plan: plan, options: full)
            for (k, offset) in [(1, 0), (3, 0), (10, 0), (10, 5)] {
                var options = full
                options.limit = k
                options.offset = offset
                let top = try searcher.search(plan: plan, options: options)
                XCTAssertEqual(top.count, everything.count, "\(query) k \(k)")
                XCTAssertEqual(top.hits, Array(everything.hits.dropFirst(offset).prefix(k)), "\(query) k \(k) offset \(offset)")
            }
            var options = full
            options.limit = 3
            let matcher = try searcher.rankedMatcher(plan, options)
            var collector = Collector(top: TopK(capacity: 3), reader: reader, scoring: true)
            try matcher.collect(into: &collector)
            XCTAssertEqual(collector.count, everything.count, query)
            countedUnscored += (matcher as? TermUnionMatcher)?.countedUnscored ?? 0
        }
        XCTAssertGreaterThan(countedUnscored, 10_000, "documents only weak terms match are counted unscored")
    }
}
