// IndexQueryTests: the near-duplicate fingerprint equals SimHash written out plainly (every
// shingle's 64 bits voting one by one), for bodies long enough to overflow a byte counter.
@testable import InvertedIndex
import XCTest

final class FingerprintTests: XCTestCase {
    func plainSimHash(_ hashes: [UInt64]) -> UInt64 {
        guard hashes.count >= Fingerprint.minimumWords else { return Fingerprint.none }
        var votes = [Int](repeating: 0, count: 64)
        for i in 0..<(hashes.count - 2) {
            let h = ContentHash.mix(hashes[i] &+ ContentHash.mix(hashes[i + 1] &+ ContentHash.mix(hashes[i + 2])))
            for bit in 0..<64 { votes[bit] += (h >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        var result: UInt64 = 0
        for bit in 0..<64 where votes[bit] > 0 { result |= 1 << UInt64(bit) }
        return result == Fingerprint.none ? 1 : result
    }

    func testFingerprintEqualsPlainSimHash() {
        var rng = SeededRandom(seed: 3)
        for length in [0, 19, 20, 21, 100, 256, 257, 258, 600, 3000] {
            for _ in 0..<5 {
                // A small vocabulary repeats shingles, so some bits are near a tie.
                let hashes = (0..<length).map { _ in UInt64.random(in: 0..<40, using: &rng) }
                XCTAssertEqual(Fingerprint.of(hashes), plainSimHash(hashes), "length \(length)")
            }
        }
        XCTAssertNotEqual(Fingerprint.of((0..<100).map { UInt64($0) }), Fingerprint.none)
    }
}
