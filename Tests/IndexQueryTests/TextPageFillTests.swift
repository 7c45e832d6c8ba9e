// IndexQueryTests: stored text is cut to fill the `text` table's pages, in a fresh build and
// after deletes and packing, and documents of many parts read back whole.
@testable import InvertedIndex
import Storage
import XCTest

final class TextPageFillTests: XCTestCase {
    var path = ""

    override func setUp() { path = temporaryDirectory("fill") }
    override func tearDown() { removeDirectory(path) }

    func write(_ docs: [DocumentInput], delete: [String] = []) throws {
        let writer = try IndexWriter(store: try IndexStore.openOrCreate(path: path, stemmer: "none", deferSync: true))
        writer.maxBatchDocuments = 150
        for d in docs { try writer.add(PendingDocument { d }) }
        _ = try writer.delete(ids: delete)
        _ = try writer.finish()
        try writer.store.packIfWorthIt()
    }

    /// Bytes of stored text over the bytes of the leaf pages holding them.
    func textPageFill() throws -> Double {
        let reader = try IndexReader(store: try IndexStore.open(path: path, readOnly: true))
        let table = reader.store.table(Format.TableName.text)
        let cursor = try reader.txn.cursor(table)
        var stored = 0
        var entry = try cursor.first()
        while let e = entry {
            stored += e.value.count
            entry = try cursor.next()
        }
        return Double(stored) / Double(try reader.txn.leafPages(table) * reader.store.env.pageSize)
    }

    func assertTextsReadBack(_ docs: [DocumentInput], file: StaticString = #filePath, line: UInt = #line) throws {
        let reader = try IndexReader(store: try IndexStore.open(path: path, readOnly: true))
        XCTAssertEqual(reader.documentCount, docs.count, file: file, line: line)
        for d in docs {
            let doc = try XCTUnwrap(try reader.docID(forExternalID: d.externalID), file: file, line: line)
            XCTAssertEqual(try reader.storedText(doc), d.storedText, d.externalID, file: file, line: line)
        }
    }

    func testFreshBuildFillsPages() throws {
        let docs = incompressibleDocuments(count: 600, seed: 1)
        try write(docs)
        let fill = try textPageFill()
        XCTAssertGreaterThan(fill, 0.93, "text pages \(Int(fill * 100))% full")
        try assertTextsReadBack(docs)
    }

    /// Deleting documents leaves the remaining parts cut for pages they no longer share; packing
    /// cuts them again.
    func testPackingAfterDeletesFillsPagesAgain() throws {
        let docs = incompressibleDocuments(count: 600, seed: 2)
        try write(docs)
        let deleted = Set(stride(from: 0, to: docs.count, by: 3).map { docs[$0].externalID })
        try write([], delete: Array(deleted))
        XCTAssertNotNil(try IndexStore.open(path: path, readOnly: true).metaValue("packed-pages"))
        let fill = try textPageFill()
        XCTAssertGreaterThan(fill, 0.93, "text pages \(Int(fill * 100))% full")
        try assertTextsReadBack(docs.filter { !deleted.contains($0.externalID) })
    }
}

/// Documents of random letters: zstd barely shrinks them, so their stored text spans from a
/// few hundred bytes to several page-sized parts.
func incompressibleDocuments(count: Int, seed: UInt64) -> [DocumentInput] {
    var rng = SeededRandom(seed: seed)
    let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    func word() -> String { String((0..<Int.random(in: 2...9, using: &rng)).map { _ in letters.randomElement(using: &rng)! }) }
    return (0..<count).map { i in
        let words = Int.random(in: 20...1_200, using: &rng)
        let body = (0..<words).map { _ in word() }.joined(separator: " ")
        return DocumentInput(externalID: "r-\(i)", title: word(), body: body, date: nil)
    }
}
