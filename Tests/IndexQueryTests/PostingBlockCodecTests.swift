// IndexQueryTests: the posting block codec: doc ids and tfs read back at every density and
// near the largest id, and a block whose gaps pass the largest id is refused.
@testable import InvertedIndex
import XCTest

final class PostingBlockCodecTests: XCTestCase {
    /// Ascending ids: dense runs (gap 1, which packs at width 0), wide gaps, and blocks that
    /// end at or near `UInt32.max`, where ids are summed on the checked path.
    func randomDocs(_ rng: inout SeededRandom) -> [UInt32] {
        let count = Int.random(in: 1...Format.blockSize, using: &rng)
        let widest: UInt32 = [1, 3, 300, 1 << 20, UInt32.max / 200].randomElement(using: &rng)!
        var docs = [UInt32.random(in: 0...1_000_000, using: &rng)]
        while docs.count < count {
            let gap = UInt32.random(in: 1...widest, using: &rng)
            guard docs.last! <= UInt32.max - gap else { break }
            docs.append(docs.last! + gap)
        }
        if Bool.random(using: &rng) {  // slide the block up against the largest id
            let lift = UInt32.max - docs.last!
            docs = docs.map { $0 + lift }
        }
        return docs
    }

    /// A block value's doc ids and tfs, through the checked decode.
    func decoded(_ value: [UInt8]) throws -> (docs: [UInt32], tfs: [UInt32]) {
        var docs = [UInt32](repeating: 0, count: Format.blockSize), tfs = docs
        let count = try docs.withUnsafeMutableBufferPointer { d in
            try tfs.withUnsafeMutableBufferPointer { t in
                try value.withUnsafeBytes { try PostingBlockCodec.decode($0, docs: d.baseAddress!, tfs: t.baseAddress!).count }
            }
        }
        return (Array(docs.prefix(count)), Array(tfs.prefix(count)))
    }

    func testDocIdsAndTFsReadBackAtEveryDensity() throws {
        var rng = SeededRandom(seed: 41)
        for _ in 0..<2_000 {
            let ids = randomDocs(&rng)
            let freqs = ids.map { _ in UInt32.random(in: 1...(Bool.random(using: &rng) ? 1 : 40), using: &rng) }
            let lengths = ids.map { _ in UInt32.random(in: 1...900, using: &rng) }
            let value = try PostingBlockCodec.encode(docs: ids[...], tfs: freqs[...], lengths: lengths[...])
            let block = try decoded(value)
            let what = "\(ids.count) ids from \(ids[0]) to \(ids.last!)"
            XCTAssertEqual(block.docs, ids, what)
            XCTAssertEqual(block.tfs, freqs, what)
        }
    }

    /// Gaps that lead past `UInt32.max` can only come from damage; they must not wrap around.
    func testGapsPastTheLargestIdAreRefused() throws {
        let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: Format.blockSize)
        defer { docs.deallocate() }
        for (first, gaps) in [(UInt32.max - 10, [UInt32](repeating: 3, count: 6)),
                              (UInt32.max - 1_000, [UInt32.max, 0])] {
            var w = ByteWriter()
            w.varint(UInt64(gaps.count + 1))  // count
            w.varint(UInt64(1))  // max tf
            w.varint(UInt64(1))  // min length
            w.varint(first)
            gaps.withUnsafeBufferPointer { w.packed($0) }
            [UInt32](repeating: 0, count: gaps.count + 1).withUnsafeBufferPointer { w.packed($0) }
            XCTAssertThrowsError(try w.bytes.withUnsafeBytes { try PostingBlockCodec.decodeDocs($0, docs: docs) },
                                 "first \(first), gaps \(gaps)")
        }
    }

    /// A block whose tf codes were cut short or run on is refused by the checked decode (what
    /// `newsidx check` and rewrites use).
    func testDamagedTFCodesAreRefused() throws {
        var rng = SeededRandom(seed: 43)
        for _ in 0..<300 {
            let ids = randomDocs(&rng)
            let freqs = ids.map { _ in UInt32.random(in: 1...9, using: &rng) }
            let value = try PostingBlockCodec.encode(docs: ids[...], tfs: freqs[...], lengths: ids.map { _ in 5 }[...])
            for damaged in [Array(value.dropLast()), value + [1]] {
                XCTAssertThrowsError(try decoded(damaged), "\(ids.count) tfs, \(damaged.count) of \(value.count) bytes")
            }
        }
    }

    /// Ids that do not ascend, or a tf of 0, are what a damaged block the writer continues
    /// gives: an error, where the encoder's subtraction had trapped.
    func testIdsThatDoNotAscendAreAnErrorNotATrap() {
        for docs: [UInt32] in [[5, 5], [9, 3, 12], [1, 2, 2]] {
            XCTAssertThrowsError(try PostingBlockCodec.encode(docs: docs[...], tfs: docs.map { _ in 1 }[...], lengths: docs.map { _ in 7 }[...])) {
                XCTAssertTrue("\($0)".contains("do not ascend"), "\($0)")
            }
        }
        XCTAssertThrowsError(try PostingBlockCodec.encode(docs: [1, 4][...], tfs: [1, 0][...], lengths: [3, 3][...]))
        XCTAssertNoThrow(try PostingBlockCodec.encode(docs: [1, 4][...], tfs: [1, 2][...], lengths: [3, 3][...]))
    }
}
