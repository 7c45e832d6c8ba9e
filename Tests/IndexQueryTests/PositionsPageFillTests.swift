// IndexQueryTests: positions values grow to the largest size that stays on a leaf page, where
// two of them fill it, and never to an overflow page.
@testable import InvertedIndex
import Storage
import XCTest

final class PositionsPageFillTests: XCTestCase {
    func testTheCapIsTheLargestValueALeafPageKeeps() {
        let blockKeySize = 8  // term id, last doc id
        XCTAssertEqual(Format.maxPositionsBytes, LeafPageFill(pageSize: 4096).largestValue(keySize: blockKeySize))
    }

    /// Documents where one word is frequent at irregular gaps, so its blocks close on the size cap
    /// long before 128 documents.
    func testDenseBlocksReachTheCapWithoutOverflowPages() throws {
        var rng = SeededRandom(seed: 51)
        let docs = (0..<300).map { i in
            let words = (0..<400).map { _ in Int.random(in: 0..<3, using: &rng) == 0 ? "dense" : "filler\(Int.random(in: 0..<50, using: &rng))" }
            return DocumentInput(externalID: "d\(i)", title: "", body: words.joined(separator: " "), date: nil)
        }
        let built = try buildIndex(docs, name: "posfill")
        defer { removeDirectory(built.path) }
        let reader = built.reader
        let cursor = try reader.txn.cursor(reader.positionsTable)
        var largest = 0
        var entry = try cursor.first()
        while let e = entry {
            largest = max(largest, e.value.count)
            entry = try cursor.next()
        }
        XCTAssertLessThanOrEqual(largest, Format.maxPositionsBytes)
        XCTAssertGreaterThan(largest, Format.maxPositionsBytes - 100, "blocks should close near the cap")
        XCTAssertEqual(try reader.txn.stats(reader.positionsTable).overflowPages, 0)
    }
}
