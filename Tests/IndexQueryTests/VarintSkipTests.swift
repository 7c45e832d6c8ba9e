// IndexQueryTests: skipping varints a word at a time lands exactly where decoding them one by
// one does, whatever the mix of one- and multi-byte values around a word boundary.
@testable import InvertedIndex
import XCTest

final class VarintSkipTests: XCTestCase {
    func testSkippingLandsWhereDecodingDoes() throws {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<300 {
            let values = (0..<Int.random(in: 1...60, using: &rng)).map { _ -> UInt64 in
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: return UInt64.random(in: 0..<128, using: &rng)
                case 1: return UInt64.random(in: 128..<16_384, using: &rng)
                case 2: return UInt64.random(in: 16_384..<(1 << 28), using: &rng)
                default: return UInt64.random(in: 0..<(1 << 40), using: &rng)
                }
            }
            var w = ByteWriter()
            for v in values { w.varint(v) }
            try w.bytes.withUnsafeBytes { raw in
                for n in 0..<values.count {
                    var skipping = ByteReader(raw)
                    try skipping.skipVarints(n)
                    var decoding = ByteReader(raw)
                    for _ in 0..<n { _ = try decoding.varint() }
                    XCTAssertEqual(skipping.offset, decoding.offset, "skip \(n) of \(values)")
                    XCTAssertEqual(try skipping.varint(), values[n])
                }
                var past = ByteReader(raw)
                XCTAssertThrowsError(try past.skipVarints(values.count + 1), "skipping past the end is an error")
            }
        }
    }
}
