// IndexQueryTests: the `terms` value codec: records with and without an inline block read back
// as written, and damaged values are refused or read as some record, never past their end.
@testable import InvertedIndex
import XCTest

final class TermRecordTests: XCTestCase {
    func randomRecord(_ rng: inout SeededRandom) -> TermRecord {
        func bytes(_ range: ClosedRange<Int>) -> [UInt8] {
            (0..<Int.random(in: range, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let inline = Bool.random(using: &rng) ? InlineBlock(postings: bytes(1...200), positions: bytes(0...200)) : nil
        return TermRecord(id: UInt32.random(in: 0...UInt32.max, using: &rng),
                          documentFrequency: UInt64.random(in: 1...1 << 40, using: &rng),
                          collectionFrequency: UInt64.random(in: 1...1 << 50, using: &rng), inline: inline)
    }

    func testRecordsReadBackAsWritten() throws {
        var rng = SeededRandom(seed: 61)
        for _ in 0..<500 {
            let record = randomRecord(&rng)
            XCTAssertEqual(try record.encoded().withUnsafeBytes { try TermRecord.decode($0) }, record)
        }
    }

    /// A value cut short either fails to decode or decodes to a record that fits in what is left.
    func testCutValuesAreRefusedOrShorter() throws {
        var rng = SeededRandom(seed: 62)
        var refused = 0
        for _ in 0..<500 {
            let value = randomRecord(&rng).encoded()
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
