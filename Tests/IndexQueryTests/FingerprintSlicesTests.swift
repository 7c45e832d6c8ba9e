// IndexQueryTests: fingerprint slices (what --dedup and `duplicates` bucket by): any two
// fingerprints within a threshold agree on one of its slices, and the slices cover 64 bits.
@testable import Query
import XCTest

final class FingerprintSlicesTests: XCTestCase {
    func testFingerprintsWithinTheThresholdShareASlice() {
        var rng = SystemRandomNumberGenerator()
        for threshold in 0...7 {
            let slices = FingerprintSlices(threshold: threshold)
            XCTAssertEqual(slices.widths.reduce(0, +), 64, "threshold \(threshold)")
            // The slices partition the bits: flipping any one bit changes exactly one slice.
            for bit in 0..<64 {
                let a = UInt64.random(in: .min ... .max, using: &rng), b = a ^ (1 << UInt64(bit))
                let changed = (0..<slices.count).filter { slices.value(a, slice: $0) != slices.value(b, slice: $0) }
                XCTAssertEqual(changed.count, 1, "threshold \(threshold), bit \(bit)")
            }
            for _ in 0..<2_000 {
                let a = UInt64.random(in: .min ... .max, using: &rng)
                var b = a
                for _ in 0..<Int.random(in: 0...threshold, using: &rng) { b ^= 1 << UInt64.random(in: 0..<64, using: &rng) }
                XCTAssertTrue((0..<slices.count).contains { slices.value(a, slice: $0) == slices.value(b, slice: $0) },
                              "threshold \(threshold): \(String(a, radix: 2)) / \(String(b, radix: 2))")
            }
        }
    }
}
