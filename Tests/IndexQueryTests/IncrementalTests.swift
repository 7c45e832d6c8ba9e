// IndexQueryTests: incremental updates, deletes and duplicates: after any sequence of them the
// index answers exactly as a fresh build of the same final documents, and stays compact.
import InvertedIndex
import Query
import Storage
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class IncrementalTests: XCTestCase {
    func write(_ docs: [DocumentInput], to path: String, delete: [String] = [],
               commitAllowance: Int = 64 << 20, batchDocuments: Int = 50_000) throws -> IndexReport {
        let writer = try IndexWriter(store: try IndexStore.openOrCreate(path: path, stemmer: "none", deferSync: true))
        writer.maxBatchPositions = 3_000
        writer.maxBatchDocuments = batchDocuments
        writer.commitAllowance = commitAllowance
        for d in docs { try writer.add(PendingDocument { d }) }
        _ = try writer.delete(ids: delete)
        let report = try writer.finish()
        try writer.store.packIfWorthIt()  // as `newsidx index` does at the end of a run
        return report
    }

    /// Every query's hits (ids and scores) from two indexes must agree.
    func assertSameAnswers(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let ra = try IndexReader(store: try IndexStore.open(path: a, readOnly: true))
        let rb = try IndexReader(store: try IndexStore.open(path: b, readOnly: true))
        XCTAssertEqual(ra.stats.documents, rb.stats.documents, file: file, line: line)
        XCTAssertEqual(ra.stats.textLength, rb.stats.textLength, file: file, line: line)
        let sa = try Searcher(reader: ra), sb = try Searcher(reader: rb)
        var options = SearchOptions()
        options.limit = 1000
        options.defaultOperator = .any
        for q in ["alpha", "beta gamma", "\"the fox\"", "kilo NEAR/2 lima", "title:mike", "café qaida", "run*", "x1 -of"] {
            let ha = try sa.search(q, options: options), hb = try sb.search(q, options: options)
            XCTAssertEqual(ha.count, hb.count, q, file: file, line: line)
            let ida = try ha.hits.map { try ra.document($0.doc).externalID }
            let idb = try hb.hits.map { try rb.document($0.doc).externalID }
            XCTAssertEqual(Set(ida), Set(idb), q, file: file, line: line)
            let scoresA = Dictionary(uniqueKeysWithValues: zip(ida, ha.hits.map(\.score)))
            for (id, score) in zip(idb, hb.hits.map(\.score)) {
                XCTAssertEqual(scoresA[id] ?? -1, score, accuracy: 1e-9, "\(q) \(id)", file: file, line: line)
            }
        }
        var check = IntegrityCheck(reader: ra)
        try check.run()
        XCTAssertEqual(check.problems, [], file: file, line: line)
    }

    func testBatchesShrinkWhenCommitsWriteMoreThanAllowedAndAnswerTheSame() throws {
        let docs = generatedDocuments(count: 300, seed: 41)
        let roomy = temporaryDirectory("roomy"), tight = temporaryDirectory("tight")
        defer { removeDirectory(roomy); removeDirectory(tight) }
        let roomyReport = try write(docs, to: roomy)
        // Every byte a commit writes counts against the next batch: they hold fewer positions
        // (down to half as many; how many fewer follows the size of the commits).
        let tightReport = try write(docs, to: tight, commitAllowance: 0)
        XCTAssertGreaterThan(tightReport.batches, roomyReport.batches,
                             "\(tightReport.batches) batches against \(roomyReport.batches)")
        XCTAssertEqual(tightReport.added, 300)
        try assertSameAnswers(roomy, tight)
    }

    func testUpdatesAndDeletesEqualAFreshBuild() throws {
        let original = generatedDocuments(count: 300, seed: 31)
        let incremental = temporaryDirectory("incr"), fresh = temporaryDirectory("fresh")
        defer { removeDirectory(incremental); removeDirectory(fresh) }
        var report = try write(original, to: incremental)
        XCTAssertEqual(report.added, 300)

        // Replace every tenth document's text, delete every seventh, add fifty new ones.
        let replacements = generatedDocuments(count: 400, seed: 32)
        var final: [String: DocumentInput] = Dictionary(uniqueKeysWithValues: original.map { ($0.externalID, $0) })
        var changes: [DocumentInput] = []
        for i in stride(from: 0, to: 300, by: 10) {
            let r = replacements[i]
            let changed = DocumentInput(externalID: "doc-\(i)", title: r.title, body: r.body + " changed", date: nil)
            changes.append(changed)
            final["doc-\(i)"] = changed
        }
        for i in 300..<350 {
            let added = DocumentInput(externalID: "new-\(i)", title: replacements[i].title, body: replacements[i].body + " new", date: nil)
            changes.append(added)
            final[added.externalID] = added
        }
        let deleted = stride(from: 3, to: 300, by: 7).map { "doc-\($0)" }.filter { final[$0] != nil && !$0.hasSuffix("0") }
        for id in deleted { final[id] = nil }
        changes.append(original[1])  // unchanged resubmission
        report = try write(changes, to: incremental, delete: deleted)
        XCTAssertEqual(report.updated, 30)
        XCTAssertEqual(report.added, 50)
        XCTAssertEqual(report.removed, deleted.count)
        XCTAssertEqual(report.unchanged, 1)

        _ = try write(final.values.sorted { $0.externalID < $1.externalID }, to: fresh)
        try assertSameAnswers(incremental, fresh)
    }

    func testIdenticalContentUnderAnotherIdIsSkipped() throws {
        let path = temporaryDirectory("dup")
        defer { removeDirectory(path) }
        let doc = DocumentInput(externalID: "a", title: "Same", body: "identical words", date: nil)
        let copy = DocumentInput(externalID: "b", title: "Same", body: "identical words", date: nil)
        let report = try write([doc, copy], to: path)
        XCTAssertEqual(report.added, 1)
        XCTAssertEqual(report.skipped, 1)
        let reader = try IndexReader(store: try IndexStore.open(path: path, readOnly: true))
        XCTAssertNil(try reader.docID(forExternalID: "b"))
        XCTAssertNotNil(try reader.docID(forExternalID: "a"))
    }

    /// Copies and their originals changing in one run, one document per batch, so that a change
    /// and the copy it affects are in different batches (the earlier one possibly still being
    /// written): each text is then held once, under an id whose input holds it.
    func testCopiesAndOriginalsChangingAcrossBatches() throws {
        let path = temporaryDirectory("copies")
        defer { removeDirectory(path) }
        func doc(_ id: String, _ text: String) -> DocumentInput { DocumentInput(externalID: id, title: "", body: text, date: nil) }
        func holders(_ word: String) throws -> [String] {
            let reader = try IndexReader(store: try IndexStore.open(path: path, readOnly: true))
            return try Searcher(reader: reader).search(word, options: SearchOptions()).hits.map { try reader.document($0.doc).externalID }
        }
        _ = try write([doc("a", "alpha story"), doc("b", "alpha story"), doc("c", "gamma story")], to: path, batchDocuments: 1)
        // a changes, and b (a copy of a's old text, so the document is handed to it) changes too.
        _ = try write([doc("a", "beta story"), doc("b", "delta story")], to: path, batchDocuments: 1)
        XCTAssertEqual(try holders("alpha"), [], "no input holds the old text")
        XCTAssertEqual(try holders("delta"), ["b"])
        XCTAssertEqual(try holders("beta"), ["a"])
        // c changes, and d, new, holds c's old text.
        _ = try write([doc("c", "epsilon story"), doc("d", "gamma story")], to: path, batchDocuments: 1)
        XCTAssertEqual(try holders("gamma"), ["d"])
        // b is edited to equal a: a copy of it, not a second document.
        _ = try write([doc("b", "beta story")], to: path, batchDocuments: 1)
        XCTAssertEqual(try holders("beta").count, 1)
        let reader = try IndexReader(store: try IndexStore.open(path: path, readOnly: true))
        var check = IntegrityCheck(reader: reader)
        try check.run()
        XCTAssertEqual(check.problems, [])
        XCTAssertEqual(reader.stats.documents, 3, "a, c and d; b is a copy of a")
    }

    func testRepeatedUpdatesStayCompact() throws {
        let docs = generatedDocuments(count: 600, seed: 41)
        let updated = temporaryDirectory("rounds"), fresh = temporaryDirectory("rounds-fresh")
        defer { removeDirectory(updated); removeDirectory(fresh) }
        _ = try write(docs, to: updated)
        var current = docs
        var rng = SeededRandom(seed: 5)
        for round in 0..<20 {
            var changes: [DocumentInput] = []
            for _ in 0..<30 {
                let i = Int.random(in: 0..<current.count, using: &rng)
                current[i] = DocumentInput(externalID: current[i].externalID, title: current[i].title,
                                           body: current[i].body + " round\(round)", date: nil)
                changes.append(current[i])
            }
            _ = try write(changes, to: updated)
        }
        _ = try write(current, to: fresh)
        try assertSameAnswers(updated, fresh)
        let ratio = Double(fileSize(updated + "/data.mdb")) / Double(fileSize(fresh + "/data.mdb"))
        XCTAssertLessThanOrEqual(ratio, 1.2, "index after 20 update rounds is \(ratio)x a fresh build")
    }

    func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }
}
