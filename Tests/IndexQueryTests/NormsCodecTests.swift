// IndexQueryTests: the `norms` value codec: chunks read back as written, column by column,
// and values of the wrong size are refused rather than read past their end.
@testable import InvertedIndex
import XCTest

final class NormsCodecTests: XCTestCase {
    func randomChunk(_ rng: inout SeededRandom) -> [DocumentNorms] {
        (0..<Format.normsChunk).map { _ in
            DocumentNorms(text: UInt32.random(in: 0...UInt32.max, using: &rng),
                          title: UInt32.random(in: 0...5_000, using: &rng),
                          day: Bool.random(using: &rng) ? Int32.random(in: -800_000...800_000, using: &rng) : nil)
        }
    }

    func testChunksReadBackAsWrittenByDocumentAndByColumn() throws {
        var rng = SeededRandom(seed: 71)
        for chunk in UInt32(0)..<20 {
            let slots = randomChunk(&rng)
            let value = NormsCodec.encode(slots)
            XCTAssertEqual(value.count, NormsCodec.valueBytes)
            XCTAssertEqual(value.withUnsafeBytes { NormsCodec.decode($0) }, slots)
            for (i, expected) in slots.enumerated() {
                let doc = chunk * UInt32(Format.normsChunk) + UInt32(i)
                value.withUnsafeBytes { raw in
                    XCTAssertEqual(NormsCodec.norms(in: raw, doc: doc), expected)
                    XCTAssertEqual(NormsCodec.length(inCheckedChunk: raw.baseAddress!, doc: doc, column: 0), expected.text)
                    XCTAssertEqual(NormsCodec.length(inCheckedChunk: raw.baseAddress!, doc: doc, column: 1), expected.title)
                }
            }
        }
    }

    func testSettingADocumentChangesItsSlotAlone() {
        var slots = NormsCodec.emptyChunk
        let norms = DocumentNorms(text: 120, title: 7, day: 19_000)
        NormsCodec.set(doc: 3 * UInt32(Format.normsChunk) + 5, norms, in: &slots)
        for (i, s) in slots.enumerated() {
            XCTAssertEqual(s, i == 5 ? norms : DocumentNorms(text: 0, title: 0, day: nil))
        }
    }

    func testValuesOfTheWrongSizeAreRefused() {
        let value = NormsCodec.encode(NormsCodec.emptyChunk)
        for cut in [0, 4, NormsCodec.valueBytes - 1] {
            let short = Array(value.prefix(cut))
            short.withUnsafeBytes { raw in
                XCTAssertNil(NormsCodec.decode(raw))
                XCTAssertNil(NormsCodec.norms(in: raw, doc: 0))
            }
        }
        (value + [0]).withUnsafeBytes { XCTAssertNil(NormsCodec.decode($0)) }
    }
}
