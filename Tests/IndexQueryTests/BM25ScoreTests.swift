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
        // The formula alone: no stop words, title weight or proximity (tested separately).
        options.stopWords = "none"
        options.titleWeight = 0
        options.proximityWeight = 0
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

    /// A repeated word is read once with its score multiplied, and nested lists are spliced
    /// into their parent: the scores stay the sum over every clause as written.
    func testRepeatedWordsAndNestedListsScoreAsWritten() throws {
        try check(["alpha alpha gamma", "alpha alpha alpha", "(alpha (gamma delta)) -x1", "title:beta beta title:beta"], anyMode: false)
        try check(["alpha alpha gamma", "(alpha OR (gamma OR (delta OR alpha)))", "kilo kilo \"lima mike\""], anyMode: true)
    }

    /// A required item of a ranked list (`+alpha beta`) scores as the list does: what each
    /// matching item scores, summed.
    func testRequiredItemsScoreAsTheirList() throws {
        try check(["+alpha beta gamma", "+alpha +beta gamma", "kilo +\"lima mike\"", "+(alpha OR beta) gamma -x1"], anyMode: true)
        try check(["gamma OR +alpha", "(+kilo OR lima) mike"], anyMode: false)
    }

    func testOtherParameters() throws {
        try check(["alpha beta", "echo"], anyMode: true, k1: 0.9, b: 0.4)
    }

    /// Ranked OR extras add exactly weight × their own BM25 score: the title field's for a word
    /// in the title, a NEAR/window group's for consecutive query words close together, and a
    /// phrase's for consecutive query words side by side.
    func testTitleAndProximityExtrasAddTheirWeightedScores() throws {
        let docs = generatedDocuments(count: 200, seed: 23)
        let (path, reader) = try buildIndex(docs, stemmer: "none")
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        var plain = SearchOptions()
        plain.limit = 1000
        plain.defaultOperator = .any
        plain.stopWords = "none"
        plain.titleWeight = 0
        plain.proximityWeight = 0
        var extras = plain
        extras.titleWeight = 0.2
        extras.proximityWeight = 0.25
        extras.bigramWeight = 0.1
        let plan = try searcher.plan("kilo lima", options: plain)
        let base = Dictionary(uniqueKeysWithValues: try searcher.search(plan: plan, options: plain).hits.map { ($0.doc, $0.score) })
        let boosted = try searcher.search(plan: plan, options: extras).hits
        XCTAssertEqual(boosted.count, base.count, "extras never add documents")
        let title = try searcher.plan("title:kilo OR title:lima", options: plain)
        let titleScores = Dictionary(uniqueKeysWithValues: try searcher.search(plan: title, options: plain).hits.map { ($0.doc, $0.score) })
        let near = try searcher.plan("kilo NEAR/\(extras.proximityWindow) lima", options: plain)
        let nearScores = Dictionary(uniqueKeysWithValues: try searcher.search(plan: near, options: plain).hits.map { ($0.doc, $0.score) })
        let phrase = try searcher.plan("\"kilo lima\"", options: plain)
        let phraseScores = Dictionary(uniqueKeysWithValues: try searcher.search(plan: phrase, options: plain).hits.map { ($0.doc, $0.score) })
        XCTAssertFalse(phraseScores.isEmpty, "the fixture must hold the words side by side somewhere")
        var changed = 0
        for hit in boosted {
            let expected = base[hit.doc]! + 0.2 * (titleScores[hit.doc] ?? 0) + 0.25 * (nearScores[hit.doc] ?? 0)
                + 0.1 * (phraseScores[hit.doc] ?? 0)
            XCTAssertEqual(hit.score, expected, accuracy: 1e-9, "doc \(hit.doc)")
            if hit.score != base[hit.doc]! { changed += 1 }
        }
        XCTAssertGreaterThan(changed, 10, "the fixture must exercise the extras")
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
