// IndexQueryTests: the term record codec: records with and without an inline block read back
// as written (an inline one with its block's frequencies), and damaged ones are refused or read
// as some record, never past their end.
@testable import InvertedIndex
import XCTest

final class TermRecordTests: XCTestCase {
    func randomRecord(_ rng: inout SeededRandom) throws -> TermRecord {
        guard Bool.random(using: &rng) else {
            return TermRecord(id: UInt32.random(in: 0...UInt32.max, using: &rng),
                              documentFrequency: UInt64.random(in: 1...1 << 40, using: &rng),
                              collectionFrequency: UInt64.random(in: 1...1 << 50, using: &rng))
        }
        return try TermRecord(inline: randomInlineBlock(&rng).block)
    }

    /// An inline term's df and collection frequency are its block's document count and tf sum.
    func testInlineFrequenciesComeFromTheBlock() throws {
        var rng = SeededRandom(seed: 63)
        for _ in 0..<100 {
            let (block, df, cf) = randomInlineBlock(&rng)
            let record = try TermRecord(inline: block).encoded().withUnsafeBytes { try TermRecord.decode($0) }
            XCTAssertEqual(record.documentFrequency, df)
            XCTAssertEqual(record.collectionFrequency, cf)
            XCTAssertNil(record.id)
        }
    }

    func testRecordsReadBackAsWritten() throws {
        var rng = SeededRandom(seed: 61)
        for _ in 0..<500 {
            let record = try randomRecord(&rng)
            XCTAssertEqual(try record.encoded().withUnsafeBytes { try TermRecord.decode($0) }, record)
        }
    }

    /// A value cut short either fails to decode or decodes to a record that fits in what is left.
    func testCutValuesAreRefusedOrShorter() throws {
        var rng = SeededRandom(seed: 62)
        var refused = 0
        for _ in 0..<500 {
            let value = try randomRecord(&rng).encoded()
            let cut = Array(value.prefix(Int.random(in: 0..<value.count, using: &rng)))
            do {
                let record = try cut.withUnsafeBytes { try TermRecord.decode($0) }
                XCTAssertLessThanOrEqual(record.encoded().count, cut.count)
            } catch is FormatError {
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 100, "cut values should mostly be refused")
    }
}

/// A small valid block: a few ascending docs with tfs and positions.
func randomInlineBlock(_ rng: inout SeededRandom) -> (block: InlineBlock, df: UInt64, cf: UInt64) {
    var doc = UInt32.random(in: 0...1_000, using: &rng)
    var docs: [UInt32] = [], tfs: [UInt32] = [], positions: [[UInt32]] = []
    for _ in 0..<Int.random(in: 1...6, using: &rng) {
        docs.append(doc)
        doc += UInt32.random(in: 1...500, using: &rng)
        let tf = UInt32.random(in: 1...4, using: &rng)
        tfs.append(tf)
        var p = UInt32.random(in: 0...50, using: &rng)
        positions.append((0..<tf).map { _ in p += UInt32.random(in: 1...20, using: &rng); return p })
    }
    let lengths = docs.map { _ in UInt32(200) }
    let block = InlineBlock(postings: try! PostingBlockCodec.encode(docs: docs[...], tfs: tfs[...], lengths: lengths[...]),
                            positions: PositionsCodec.encode(positions))
    return (block, UInt64(docs.count), tfs.reduce(0) { $0 + UInt64($1) })
}
