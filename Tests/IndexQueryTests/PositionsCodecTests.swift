// IndexQueryTests: the positions value codec: what is written reads back, skipping lands where
// decoding does, the size known before an addition is the size written, and damage is refused.
@testable import InvertedIndex
import XCTest

final class PositionsCodecTests: XCTestCase {
    /// One block's documents: ascending positions each, with runs of neighbours (gap 1, which
    /// packs at width 0), large jumps and single positions mixed.
    func randomBlock(_ rng: inout SeededRandom) -> [[UInt32]] {
        let largest: UInt32 = [40, 5_000, 1 << 20, UInt32.max / 2].randomElement(using: &rng)!
        return (0..<Int.random(in: 1...Format.blockSize, using: &rng)).map { _ in
            let tf = Bool.random(using: &rng) ? 1 : Int.random(in: 1...20, using: &rng)
            var p = UInt32.random(in: 0...largest, using: &rng)
            var positions = [p]
            for _ in 1..<tf {
                let gap = Bool.random(using: &rng) ? 1 : UInt32.random(in: 1...max(1, largest / 8), using: &rng)
                guard p <= UInt32.max - gap else { break }
                p += gap
                positions.append(p)
            }
            return positions
        }
    }

    func tfs(_ docs: [[UInt32]]) -> [UInt32] { docs.map { UInt32($0.count) } }

    func testEveryDocumentReadsBackInOrder() throws {
        var rng = SeededRandom(seed: 21)
        for _ in 0..<300 {
            let docs = randomBlock(&rng)
            let value = PositionsCodec.encode(docs)
            XCTAssertEqual(try value.withUnsafeBytes { try PositionsCodec.decode($0, tfs: tfs(docs)) }, docs)
        }
    }

    /// A phrase check reads a document's positions only up to the last one it needs: every
    /// position below the limit, the first that reaches it, nothing after; and the next
    /// document still reads whole.
    func testReadingUpToALimitKeepsEverythingBelowIt() throws {
        var rng = SeededRandom(seed: 33)
        for _ in 0..<300 {
            let docs = randomBlock(&rng)
            let value = PositionsCodec.encode(docs)
            try value.withUnsafeBytes { raw in
                var walker = try PositionsWalker(raw, docs: docs.count)
                var out = [UInt32](repeating: 0, count: 32)
                for positions in docs {
                    let limit = Bool.random(using: &rng) ? positions.randomElement(using: &rng)! : UInt32.random(in: 0...UInt32.max, using: &rng)
                    let n = try out.withUnsafeMutableBufferPointer {
                        try walker.read(tf: UInt32(positions.count), through: limit, into: $0.baseAddress!)
                    }
                    let below = positions.prefix { $0 < limit }
                    let expected = below.count < positions.count ? positions.prefix(below.count + 1) : below
                    XCTAssertEqual(Array(out[..<n]), Array(expected), "limit \(limit) in \(positions)")
                }
            }
        }
    }

    /// The unchecked 8-byte loads of `fastValue` stay inside the value, read what `value` reads,
    /// and cover every value but those whose load would pass the value's end.
    func testFastReadsStayInsideTheValue() throws {
        var rng = SeededRandom(seed: 23)
        for _ in 0..<500 {
            let sample = RandomRun(&rng, maxCount: 200)
            let (width, values) = (sample.width, sample.values)
            try sample.read { run, raw in
                let fast = run.fastCount
                for i in 0..<fast {
                    XCTAssertLessThanOrEqual(1 + (i * width) / 8 + 8, raw.count, "width \(width) index \(i)")
                    XCTAssertEqual(run.fastValue(at: i), values[i])
                }
                for i in values.indices { XCTAssertEqual(run.value(at: i), values[i]) }
                if fast < values.count {
                    XCTAssertGreaterThan(1 + (fast * width) / 8 + 8, raw.count, "index \(fast) could load fast")
                }
            }
        }
    }

    func testSkippingLandsWhereReadingDoes() throws {
        var rng = SeededRandom(seed: 22)
        for _ in 0..<200 {
            let docs = randomBlock(&rng)
            let value = PositionsCodec.encode(docs)
            let tfs = tfs(docs)
            try value.withUnsafeBytes { raw in
                // Checked against the tfs up front (as `check` opens it) or per read (as queries do).
                var walker = Bool.random(using: &rng)
                    ? try PositionsWalker(raw, docs: docs.count, totalTF: tfs.reduce(0) { $0 + Int($1) })
                    : try PositionsWalker(raw, docs: docs.count)
                var i = 0
                while i < docs.count {
                    let skipped = Int.random(in: 0...min(5, docs.count - i - 1), using: &rng)
                    walker.skip(docs: skipped, totalTF: tfs[i..<i + skipped].reduce(0) { $0 + Int($1) })
                    i += skipped
                    XCTAssertEqual(walker.docIndex, i)
                    XCTAssertEqual(try walker.read(tf: tfs[i]), docs[i], "doc \(i) after skipping \(skipped)")
                    i += 1
                }
            }
        }
    }

    /// A block closes when `fits` says no: it may say no a few bytes early (it is a bound), but
    /// never yes to a value that would outgrow the limit.
    func testFitsNeverAdmitsAnAdditionThatOutgrowsTheLimit() {
        var rng = SeededRandom(seed: 23)
        var closeCalls = 0
        for _ in 0..<200 {
            var builder = PositionsValueBuilder()
            let docs = randomBlock(&rng)
            let narrow = docs.allSatisfy { $0.last! <= 5_000 }
            for positions in docs {
                positions.withUnsafeBufferPointer { added in
                    let size = builder.byteCount(adding: added)
                    XCTAssertFalse(builder.fits(adding: added, within: size - 1), "admitted \(size) bytes under a limit of \(size - 1)")
                    // On values of one spread the bound stays near the size.
                    if narrow {
                        XCTAssertTrue(builder.fits(adding: added, within: size + size / 4 + 8), "refused \(size) bytes")
                        closeCalls += 1
                    }
                    builder.add(added)
                }
            }
        }
        XCTAssertGreaterThan(closeCalls, 100)
    }

    /// The walk from a start k finds what trying every k finds: the fewest bits, and the
    /// largest k among those that give them.
    func testCheapestRiceCostIsTheMinimumOverEveryK() {
        var rng = SeededRandom(seed: 41)
        for _ in 0..<400 {
            let largest = [1, 3, 100, 70_000, UInt32.max].randomElement(using: &rng)!
            let values = (0..<Int.random(in: 1...300, using: &rng)).map { _ in
                Bool.random(using: &rng) ? UInt32.random(in: 0...min(largest, 3), using: &rng) : UInt32.random(in: 0...largest, using: &rng)
            }
            var best = (k: 0, bits: Int.max)
            for k in 0...31 {
                let bits = values.count * (k + 1) + values.reduce(0) { $0 + Int($1 >> UInt32(k)) }
                if bits <= best.bits { best = (k, bits) }
            }
            let start = Bool.random(using: &rng) ? Int.random(in: 0...40, using: &rng) : nil
            let found = values.withUnsafeBufferPointer { RiceCost.cheapest($0, near: start) }
            XCTAssertEqual(found.k, best.k, "\(values.count) values up to \(largest), from k \(String(describing: start))")
            XCTAssertEqual(found.bits, best.bits)
        }
    }

    /// Unary codes written as a bit string are found again after any mix of skips, including
    /// runs of zeros longer than one load.
    func testUnaryCodesReadBackAfterAnySkips() throws {
        var rng = SeededRandom(seed: 43)
        for _ in 0..<300 {
            let highs = (0..<Int.random(in: 1...200, using: &rng)).map { _ in
                [UInt32(0), 1, 2, UInt32.random(in: 0...70, using: &rng), UInt32.random(in: 60...300, using: &rng)].randomElement(using: &rng)!
            }
            var writer = BitStringWriter(after: [0xFF], bitCount: highs.reduce(0) { $0 + Int($1) + 1 })
            var bit = 0
            for h in highs { bit = writer.unary(h, at: bit) }
            let copy = PaddedCopy()
            let string = BitString(padded: writer.finish().withUnsafeBytes { copy.hold($0) }, from: 1)
            // Code i begins where the skip to it lands and ends with the one before code i + 1.
            var cursor = UnaryCursor()
            var i = 0
            while i < highs.count {
                i += Int.random(in: 0...min(3, highs.count - i - 1), using: &rng)
                try cursor.skip(to: i, in: string)
                let start = cursor.bit
                try cursor.skip(to: i + 1, in: string)
                XCTAssertEqual(cursor.bit - start - 1, Int(highs[i]), "code \(i) of \(highs.count)")
                i += 1
            }
            XCTAssertThrowsError(try cursor.skip(to: highs.count + 1, in: string), "a code past the last one")
        }
    }

    func testKeepingSomeDocumentsEqualsEncodingThem() throws {
        var rng = SeededRandom(seed: 24)
        for _ in 0..<100 {
            let docs = randomBlock(&rng)
            guard docs.count > 1 else { continue }
            let value = PositionsCodec.encode(docs)
            let kept = docs.indices.filter { _ in Int.random(in: 0..<3, using: &rng) > 0 }
            let rewritten = try PositionsCodec.keeping(docsAt: kept, tfs: tfs(docs), from: value)
            XCTAssertEqual(rewritten, PositionsCodec.encode(kept.map { docs[$0] }))
            XCTAssertLessThanOrEqual(rewritten.count, value.count)
        }
    }

    /// `unpack` reads eight narrow values per load; it must give what reading each one gives,
    /// for any prefix, with the run followed by other fields or ending the value.
    func testUnpackingAPrefixEqualsReadingEachValue() throws {
        var rng = SeededRandom(seed: 29)
        for _ in 0..<800 {
            let sample = RandomRun(&rng, maxCount: 140)
            let values = sample.values
            let n = Int.random(in: 0...values.count, using: &rng)
            try sample.read { run, _ in
                var out = [UInt32](repeating: 0xDEAD_BEEF, count: values.count + 1)
                out.withUnsafeMutableBufferPointer { run.unpack(n, into: $0.baseAddress!) }
                XCTAssertEqual(Array(out[..<n]), Array(values[..<n]), "width \(sample.width), \(n) of \(values.count)")
                XCTAssertEqual(out[n], 0xDEAD_BEEF, "wrote past \(n) values")
            }
        }
    }

    /// The broadword select finds the same one as clearing the lower ones one by one, in
    /// words of every density.
    func testSelectFindsTheOneOfEachRank() {
        var rng = SeededRandom(seed: 47)
        for _ in 0..<3_000 {
            var word = UInt64.random(in: 1...UInt64.max, using: &rng)
            for _ in 0..<Int.random(in: 0...3, using: &rng) { word &= UInt64.random(in: 0...UInt64.max, using: &rng) | 1 << 63 }
            var cleared = word
            for r in 0..<word.nonzeroBitCount {
                XCTAssertEqual(BitSelect.position(ofOne: r, in: word), cleared.trailingZeroBitCount,
                               "rank \(r) in \(String(word, radix: 2))")
                cleared &= cleared - 1
            }
        }
        XCTAssertEqual(BitSelect.position(ofOne: 63, in: .max), 63)
    }

    /// Rice codes decoded in pieces of any size (as a cursor decodes tfs up to the document it
    /// reads) give back every value, at whatever k fits them.
    func testRiceRunsDecodeInPiecesToTheirValues() throws {
        var rng = SeededRandom(seed: 31)
        let copy = PaddedCopy()
        for _ in 0..<800 {
            let largest = [UInt32(0), 1, 3, 40, 5_000, UInt32.max >> 1].randomElement(using: &rng)!
            let values = (0..<Int.random(in: 0...140, using: &rng)).map { _ in
                Bool.random(using: &rng) ? 0 : UInt32.random(in: 0...largest, using: &rng)
            }
            var w = ByteWriter()
            values.withUnsafeBufferPointer { w.riceCoded($0) }
            var run = try RiceRun(padded: w.bytes.withUnsafeBytes { copy.hold($0) }, from: 0)
            try run.checkHolds(count: values.count)
            var out = [UInt32](repeating: 0, count: values.count)
            var decoded = 0
            while decoded < values.count {
                decoded = Int.random(in: decoded + 1...values.count, using: &rng)
                XCTAssertTrue(out.withUnsafeMutableBufferPointer { run.decodePlusOne(upTo: decoded, into: $0.baseAddress!) })
            }
            XCTAssertEqual(out, values.map { $0 + 1 }, "\(values.count) values up to \(largest)")
        }
    }

    /// Damaged or cut codes are refused by the check, and a lenient decode of them stops
    /// where they run out instead of reading on.
    func testDamagedRiceRunsAreRefusedAndStopEarly() throws {
        var rng = SeededRandom(seed: 37)
        let copy = PaddedCopy()
        for _ in 0..<300 {
            let values = (0..<Int.random(in: 1...128, using: &rng)).map { _ in UInt32.random(in: 0...9, using: &rng) }
            var w = ByteWriter()
            values.withUnsafeBufferPointer { w.riceCoded($0) }
            let cut = Array(w.bytes.prefix(Int.random(in: 1..<w.bytes.count + (w.bytes.count == 1 ? 1 : 0), using: &rng)))
            func run(_ bytes: [UInt8]) throws -> RiceRun { try RiceRun(padded: bytes.withUnsafeBytes { copy.hold($0) }, from: 0) }
            if cut.count < w.bytes.count {
                XCTAssertThrowsError(try run(cut).checkHolds(count: values.count), "cut to \(cut.count) of \(w.bytes.count) bytes")
            }
            XCTAssertThrowsError(try run(w.bytes + [0x80]).checkHolds(count: values.count), "a byte past the last code")
            XCTAssertThrowsError(try run(w.bytes).checkHolds(count: values.count + 1), "one code more than written")
            // A string of zeros holds no codes at all.
            var empty = try run([w.bytes[0]] + [UInt8](repeating: 0, count: w.bytes.count - 1))
            var out = [UInt32](repeating: 0, count: values.count)
            XCTAssertFalse(out.withUnsafeMutableBufferPointer { empty.decodePlusOne(upTo: values.count, into: $0.baseAddress!) })
            XCTAssertEqual(empty.next.index, 0)
        }
        XCTAssertThrowsError(try RiceRun(padded: UnsafeRawBufferPointer(start: nil, count: 0), from: 0), "no k byte")
    }

    /// A packed run read in place gives what `ByteReader.unpack` decodes, at every width and
    /// for the last values of a value, which are gathered byte by byte.
    func testPackedRunReadsWhatUnpackDecodes() throws {
        var rng = SeededRandom(seed: 25)
        for width in 0...32 {
            for count in [0, 1, 2, 7, 8, 9, 31, 128] {
                let values = (0..<count).map { _ in width == 0 ? 0 : UInt32.random(in: 0...UInt32(UInt64(1) << width - 1), using: &rng) }
                var w = ByteWriter()
                values.withUnsafeBufferPointer { w.packed($0) }
                try w.bytes.withUnsafeBytes { raw in
                    var r = ByteReader(raw)
                    let run = try PackedRun(&r, count: count)
                    XCTAssertTrue(r.atEnd)
                    XCTAssertEqual((0..<count).map { run.value(at: $0) }, values, "width \(width), \(count) values")
                }
            }
        }
    }

    /// A cursor holds an empty run before its first block: reading it touches no memory.
    func testEmptyRunReadsZeros() {
        let run = PackedRun()
        XCTAssertEqual(run.count, 0)
        XCTAssertEqual([0, 1, 127].map { run.value(at: $0) }, [0, 0, 0])
    }

    func testDamagedValuesAreRefused() throws {
        var rng = SeededRandom(seed: 26)
        for _ in 0..<100 {
            let docs = randomBlock(&rng)
            let value = PositionsCodec.encode(docs)
            let tfs = tfs(docs)
            func refused(_ bytes: [UInt8], tfs: [UInt32], _ what: String) {
                XCTAssertThrowsError(try bytes.withUnsafeBytes { try PositionsCodec.decode($0, tfs: tfs) }, what)
            }
            refused(Array(value.dropLast()), tfs: tfs, "truncated")
            refused(value + [0], tfs: tfs, "a byte past the last document")
            refused([33] + value.dropFirst(), tfs: tfs, "a width over 32 bits")
            // Counts come from the posting block; a run of zero-width values cannot tell them.
            if value[0] != 0 { refused(value, tfs: tfs + [UInt32(1_000)], "more documents than the value holds") }
            refused([], tfs: tfs, "empty")
        }
    }

    /// A walker opened without the block's tf sum (as queries open it) refuses to read gaps
    /// the value does not hold.
    func testReadingPastTheGapsIsRefused() throws {
        let docs: [[UInt32]] = [[3, 900, 901], [7], [2, 40]]
        let value = PositionsCodec.encode(docs)
        try value.withUnsafeBytes { raw in
            var walker = try PositionsWalker(raw, docs: docs.count)
            XCTAssertEqual(try walker.read(tf: 3), docs[0])
            walker.skip(docs: 1, totalTF: 1)
            XCTAssertThrowsError(try walker.read(tf: 40), "the last doc claims more positions than remain")
        }
    }
}

/// Random values of one random width packed as a run, followed by 0–9 bytes of other fields,
/// so that the run sometimes ends its value and sometimes does not.
struct RandomRun {
    let width: Int
    let values: [UInt32]
    let bytes: [UInt8]

    init(_ rng: inout SeededRandom, maxWidth: Int = 32, maxCount: Int) {
        let width = Int.random(in: 0...maxWidth, using: &rng)
        let values = (0..<Int.random(in: 0...maxCount, using: &rng)).map { _ in
            width == 0 ? 0 : UInt32.random(in: 0...UInt32.max, using: &rng) >> UInt32(32 - width)
        }
        var w = ByteWriter()
        values.withUnsafeBufferPointer { w.packed($0) }
        w.bytes += [UInt8](repeating: 0xA5, count: Int.random(in: 0...9, using: &rng))
        (self.width, self.values, bytes) = (width, values, w.bytes)
    }

    /// The run read back in place, and the bytes it lies in.
    func read(_ body: (PackedRun, UnsafeRawBufferPointer) throws -> Void) throws {
        try bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            try body(try PackedRun(&r, count: values.count), raw)
        }
    }
}
