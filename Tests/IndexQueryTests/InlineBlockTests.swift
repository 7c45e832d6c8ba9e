// IndexQueryTests: a small term's only block lives in its `terms` value and moves to the
// tables when it outgrows it, across batches, in one batch and through deletes.
@testable import InvertedIndex
import Query
import Storage
import XCTest

final class InlineBlockTests: XCTestCase {
    /// Generated words, plus "tide" in every document (several blocks), "rare0"…"rare7" in 50
    /// documents each (one small block) and "lonely" in one.
    func documents() -> [DocumentInput] {
        generatedDocuments(count: 400, seed: 51).enumerated().map { i, d in
            DocumentInput(externalID: d.externalID, title: d.title,
                          body: d.body + " tide rare\(i / 50)" + (i == 7 ? " lonely" : ""), date: nil)
        }
    }

    let queries = ["tide", "rare3", "lonely", "\"tide rare5\"", "rare2 tide", "rare1 NEAR/3 alpha", "\"alpha tide\""]

    /// Each query's matches equal the model's, and `check` finds nothing wrong.
    func assertSound(_ reader: IndexReader, _ docs: [DocumentInput], file: StaticString = #filePath, line: UInt = #line) throws {
        var check = IntegrityCheck(reader: reader)
        try check.run()
        XCTAssertEqual(check.problems, [], file: file, line: line)
        let searcher = try Searcher(reader: reader)
        let model = try BruteForce(docs, stemmer: "none")
        for query in queries {
            let plan = try searcher.plan(query, options: SearchOptions())
            let got = Set(try searcher.matchingDocs(plan: plan, options: SearchOptions()).map { try reader.document($0).externalID })
            XCTAssertEqual(got, model.matching(plan), query, file: file, line: line)
        }
    }

    func isInline(_ term: String, _ reader: IndexReader) throws -> Bool? {
        try reader.termInfo(.text, term).map { $0.inline != nil }
    }

    /// One batch: "tide" is written as several blocks at once and must not keep any inline.
    func testOneBatch() throws {
        let docs = documents()
        let (path, reader) = try buildIndex(docs, name: "inline-one")
        defer { removeDirectory(path) }
        XCTAssertEqual(try isInline("tide", reader), false)
        XCTAssertEqual(try isInline("rare3", reader), true)
        XCTAssertEqual(try isInline("lonely", reader), true)
        try assertSound(reader, docs)
    }

    /// Tiny batches: "tide" starts inline and moves out; the rare words are continued inline.
    func testManyBatches() throws {
        let docs = documents()
        let (path, reader) = try buildIndex(docs, batchPositions: 600, name: "inline-many")
        defer { removeDirectory(path) }
        XCTAssertEqual(try isInline("tide", reader), false)
        XCTAssertEqual(try isInline("rare6", reader), true)
        try assertSound(reader, docs)
    }

    /// Deleting rewrites inline blocks in place and drops a term with its last document.
    func testDeletes() throws {
        let docs = documents()
        let (path, _) = try buildIndex(docs, batchPositions: 600, name: "inline-delete")
        defer { removeDirectory(path) }
        let deleted = Set(["doc-7"] + (50..<100).filter { $0 != 98 }.map { "doc-\($0)" }
                          + (0..<400).filter { $0 % 3 == 0 }.map { "doc-\($0)" })
        let writer = try IndexWriter(store: try IndexStore.openOrCreate(path: path, stemmer: "none", deferSync: true))
        XCTAssertEqual(try writer.delete(ids: deleted.sorted()), [])
        _ = try writer.finish()
        let reader = try IndexReader(store: try IndexStore.open(path: path, readOnly: true))
        XCTAssertNil(try reader.termInfo(.text, "lonely"))
        XCTAssertEqual(try reader.termInfo(.text, "rare1")?.documentFrequency, 1)
        XCTAssertEqual(try isInline("rare1", reader), true)
        try assertSound(reader, docs.filter { !deleted.contains($0.externalID) })
    }
}
