// IndexQueryTests: a cursor's tfs, decoded from their Rice codes only from the first one a read
// needs: any order of reads (forward jumps past the skip distance, reads behind the decoded
// part, whole-block loops, positions) gives each document's own tf.
@testable import InvertedIndex
import XCTest

final class PostingCursorTFTests: XCTestCase {
    /// "tide" in every document, as often as `tideCount` says: mostly once or twice (blocks
    /// whose codes have no low bits), and in runs of documents up to 60 times (blocks that do).
    func tideCount(_ i: Int) -> Int { (i / 130) % 2 == 1 ? 1 + (i * 7) % 60 : 1 + (i % 5 == 0 ? 1 : 0) }

    func documents() -> [DocumentInput] {
        generatedDocuments(count: 700, seed: 53).enumerated().map { i, d in
            DocumentInput(externalID: "d\(i)", title: d.title,
                          body: d.body + String(repeating: " tide", count: tideCount(i)), date: nil)
        }
    }

    func testReadsInAnyOrderGiveEachDocumentsTF() throws {
        let docs = documents()
        let (path, reader) = try buildIndex(docs, name: "cursor-tfs")
        defer { removeDirectory(path) }
        let expected = try Dictionary(uniqueKeysWithValues: (0..<docs.count).map { i in
            (try reader.docID(forExternalID: "d\(i)")!, UInt32(tideCount(i)))
        })
        var rng = SeededRandom(seed: 59)
        for round in 0..<40 {
            let cursor = try reader.postings(try XCTUnwrap(reader.termInfo(.text, "tide")))
            var seen = 0
            while cursor.doc != PostingCursor.end {
                let block = cursor.remainingDocs()
                // A few reads at random indexes of the block, in random order (some behind
                // the part already decoded), then one way of moving on.
                for _ in 0..<Int.random(in: 0...4, using: &rng) {
                    let i = Int.random(in: block.start..<block.count, using: &rng)
                    XCTAssertEqual(cursor.tf(atBlockIndex: i), expected[block.docs[i]], "round \(round), index \(i)")
                }
                switch Int.random(in: 0..<3, using: &rng) {
                case 0:
                    let whole = cursor.remainingBlock()
                    for i in whole.start..<whole.count { XCTAssertEqual(whole.tfs[i], expected[whole.docs[i]]) }
                    seen += whole.count - whole.start
                    try cursor.move(toBlockIndex: whole.count)
                case 1:
                    XCTAssertEqual(try cursor.positions().count, Int(expected[cursor.doc]!), "doc \(cursor.doc)")
                    XCTAssertEqual(cursor.tf, expected[cursor.doc])
                    seen += 1
                    try cursor.next()
                default:
                    let i = Int.random(in: block.start..<block.count, using: &rng)
                    seen += i - block.start
                    try cursor.move(toBlockIndex: i)
                    XCTAssertEqual(try cursor.positions().count, Int(expected[cursor.doc]!), "doc \(cursor.doc)")
                }
            }
            XCTAssertGreaterThan(seen, 0)
        }
    }
}
