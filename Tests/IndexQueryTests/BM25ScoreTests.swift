// IndexQueryTests: ranked scores equal the BM25 formula computed independently from raw counts,
// and results come in a deterministic order.
import InvertedIndex
import Query
import XCTest

final class BM25ScoreTests: XCTestCase {
    func check(_ queries: [String], anyMode: Bool, k1: Double = 1.2, b: Double = 0.75) throws {
        let docs = generatedDocuments(count: 250, seed: 21)
        let (path, reader) = try buildIndex(docs, stemmer: "none")
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        let model = try BruteForce(docs, stemmer: "none", k1: k1, b: b)
        var options = SearchOptions()
        options.limit = 1000
        options.defaultOperator = anyMode ? .any : .all
        options.bm25 = BM25Parameters(k1: k1, b: b)
        for query in queries {
            let plan = try searcher.plan(query, options: options)
            let result = try searcher.search(plan: plan, options: options)
            XCTAssertFalse(result.hits.isEmpty, query)
            for hit in result.hits {
                let id = try reader.document(hit.doc).externalID
                let doc = model.docs.first { $0.id == id }!
                XCTAssertEqual(hit.score, model.score(plan, doc), accuracy: 1e-9, "\(query) doc \(id)")
            }
            let ordered = zip(result.hits, result.hits.dropFirst()).allSatisfy { (a: Hit, b: Hit) -> Bool in
                a.score > b.score || (a.score == b.score && a.doc < b.doc)
            }
            XCTAssertTrue(ordered, "hits of \(query) are not in score, then doc id, order")
        }
    }

    func testTermAndConjunctionScores() throws {
        try check(["alpha", "title:beta", "gamma delta", "\"the fox\" hotel", "café naïve"], anyMode: false)
    }

    func testRankedOrScores() throws {
        try check(["alpha beta gamma", "kilo \"lima mike\"", "of the x1"], anyMode: true)
    }

    func testOtherParameters() throws {
        try check(["alpha beta", "echo"], anyMode: true, k1: 0.9, b: 0.4)
    }

    func testOffsetPagesThroughTheSameOrder() throws {
        let docs = generatedDocuments(count: 120, seed: 5)
        let (path, reader) = try buildIndex(docs)
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        var all = SearchOptions()
        all.limit = 30
        all.defaultOperator = .any
        let full = try searcher.search("alpha beta", options: all).hits
        var page = all
        page.limit = 10
        page.offset = 10
        XCTAssertEqual(try searcher.search("alpha beta", options: page).hits, Array(full[10..<20]))
    }
}
