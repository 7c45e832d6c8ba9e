// InvertedIndex: the posting block (doc ids, term frequencies, block-max data) and its positions
// value, each with its encoder and decoder side by side. One block is one LMDB value.
//
// Posting block value:  varint count, varint maxTF, varint minLength, varint firstDoc,
//                       packed (count-1) doc gaps minus one, packed (count) tf minus one.
// Positions value:      packed (count) first positions of the block's docs, then packed gaps
//                       minus one between each doc's later positions (sum of tfs - count).
// Both live under the key (term id, last doc id), so a seek to (term, d) lands on the block
// that would hold d.

/// Header fields a reader can use without decoding the whole block.
public struct BlockSummary: Equatable, Sendable {
    public var count: Int
    public var maxTF: UInt32
    /// The smallest field length among the block's documents: with maxTF it bounds the block's score.
    public var minLength: UInt32
}

enum PostingBlockCodec {
    static func encode(docs: ArraySlice<UInt32>, tfs: ArraySlice<UInt32>, lengths: ArraySlice<UInt32>) -> [UInt8] {
        precondition(!docs.isEmpty && docs.count == tfs.count && docs.count == lengths.count)
        var w = ByteWriter()
        w.bytes.reserveCapacity(16 + docs.count * 3)
        w.varint(UInt64(docs.count))
        w.varint(tfs.max()!)
        w.varint(lengths.min()!)
        w.varint(docs.first!)
        var gaps = [UInt32](repeating: 0, count: docs.count - 1)
        var previous = docs.first!
        for (i, d) in docs.dropFirst().enumerated() {
            gaps[i] = d - previous - 1
            previous = d
        }
        gaps.withUnsafeBufferPointer { w.packed($0) }
        let tfMinusOne = tfs.map { $0 - 1 }
        tfMinusOne.withUnsafeBufferPointer { w.packed($0) }
        return w.bytes
    }

    static func summary(_ raw: UnsafeRawBufferPointer) throws -> BlockSummary {
        var r = ByteReader(raw)
        let count = Int(try r.varint())
        return BlockSummary(count: count, maxTF: try r.varint32(), minLength: try r.varint32())
    }

    /// The block's document count and the sum of its tfs, read without decoding its doc ids.
    static func frequencies(_ raw: UnsafeRawBufferPointer) throws -> (df: UInt64, cf: UInt64) {
        var r = ByteReader(raw)
        let count = Int(try r.varint())
        guard count >= 1 && count <= Format.blockSize else { throw FormatError(what: "block count \(count)") }
        for _ in 0..<3 { _ = try r.varint() }  // max tf, min length, first doc
        _ = try PackedRun(&r, count: count - 1)
        let tfs = try PackedRun(&r, count: count)
        return (UInt64(count), UInt64(tfs.sumOfValuesPlusOne(from: 0, to: count)))
    }

    /// Decodes doc ids and tfs into buffers of at least `Format.blockSize`; returns the count.
    static func decode(_ raw: UnsafeRawBufferPointer, docs: UnsafeMutablePointer<UInt32>,
                       tfs: UnsafeMutablePointer<UInt32>) throws -> Int {
        let block = try decodeDocs(raw, docs: docs)
        decodeTFs(block.tfs, into: tfs)
        return block.summary.count
    }

    /// Decodes the header and doc ids only. The tfs are returned as their packed run, checked
    /// and read in place: a seek that passes over a block never needs them, and a document that
    /// is scored or asks for positions needs only its own and those before it.
    static func decodeDocs(_ raw: UnsafeRawBufferPointer,
                           docs: UnsafeMutablePointer<UInt32>) throws -> (summary: BlockSummary, tfs: PackedRun) {
        var r = ByteReader(raw)
        let count = Int(try r.varint())
        guard count >= 1 && count <= Format.blockSize else { throw FormatError(what: "block count \(count)") }
        let summary = BlockSummary(count: count, maxTF: try r.varint32(), minLength: try r.varint32())
        let first = try r.varint32()
        let gaps = try PackedRun(&r, count: count - 1)
        docs[0] = first
        gaps.unpack(count - 1, into: docs + 1)
        // A gap is at most 2^width, so most blocks cannot pass the largest id: they are summed
        // in 32 bits, four lanes at a time. The others are summed in 64 bits and checked once:
        // every gap adds at least one, so no id can have wrapped unless the last one did.
        if UInt64(first) + UInt64(count - 1) << UInt64(gaps.width) <= UInt64(UInt32.max) {
            runningSums(docs, count: count)
        } else {
            var doc = UInt64(first)
            for i in 1..<count {
                doc &+= UInt64(docs[i]) &+ 1
                docs[i] = UInt32(truncatingIfNeeded: doc)
            }
            guard doc <= UInt64(UInt32.max) else { throw FormatError(what: "doc id overflow in block") }
        }
        return (summary, try PackedRun(&r, count: count))
    }

    /// Turns `docs[1..<count]`, gaps less one after `docs[0]`, into the ids they lead to.
    /// Each group of four is summed within itself in two shifted adds, then the previous
    /// group's last id is added to all four: the chain from id to id is a quarter as long.
    @inline(__always)
    private static func runningSums(_ docs: UnsafeMutablePointer<UInt32>, count: Int) {
        let raw = UnsafeMutableRawPointer(docs)
        var carry = SIMD4<UInt32>(repeating: docs[0])
        var i = 1
        while i &+ 4 <= count {
            var x = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<UInt32>.self) &+ 1
            x &+= SIMD4(0, x[0], x[1], x[2])
            x &+= SIMD4(0, 0, x[0], x[1])
            x &+= carry
            raw.storeBytes(of: x, toByteOffset: i &* 4, as: SIMD4<UInt32>.self)
            carry = SIMD4(repeating: x[3])
            i &+= 4
        }
        var doc = carry[0]
        while i < count {
            doc = doc &+ docs[i] &+ 1
            docs[i] = doc
            i &+= 1
        }
    }

    static func decodeTFs(_ run: PackedRun, into tfs: UnsafeMutablePointer<UInt32>) {
        // Width 0 (every tf 1) is common, and ends the value, where no value loads fast.
        if run.width == 0 {
            tfs.update(repeating: 1, count: run.count)
            return
        }
        run.unpack(run.count, into: tfs)
        for i in 0..<run.count { tfs[i] &+= 1 }
    }
}

/// Builds one block's positions value document by document, knowing its size before each
/// addition so a block can close before its value outgrows a page.
struct PositionsValueBuilder {
    private var firsts: [UInt32] = []
    private var gapsMinusOne: [UInt32] = []
    /// The OR of every first position and of every gap minus one: their bit widths.
    private var firstBits: UInt32 = 0
    private var gapBits: UInt32 = 0

    var isEmpty: Bool { firsts.isEmpty }

    /// The encoded size once a document's positions (ascending, at least one) are added.
    func byteCount(adding positions: UnsafeBufferPointer<UInt32>) -> Int {
        Self.byteCount(docs: firsts.count + 1, gaps: gapsMinusOne.count + positions.count - 1,
                       firstBits: firstBits | positions[0], gapBits: gapBits | Self.gapBits(positions))
    }

    mutating func add(_ positions: UnsafeBufferPointer<UInt32>) {
        firsts.append(positions[0])
        firstBits |= positions[0]
        for j in positions.indices.dropFirst() {
            let gap = positions[j] &- positions[j - 1] &- 1
            gapsMinusOne.append(gap)
            gapBits |= gap
        }
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(Self.byteCount(docs: firsts.count, gaps: gapsMinusOne.count,
                                               firstBits: firstBits, gapBits: gapBits))
        firsts.withUnsafeBufferPointer { w.packed($0) }
        gapsMinusOne.withUnsafeBufferPointer { w.packed($0) }
        return w.bytes
    }

    mutating func removeAll() {
        firsts.removeAll(keepingCapacity: true)
        gapsMinusOne.removeAll(keepingCapacity: true)
        firstBits = 0
        gapBits = 0
    }

    private static func gapBits(_ positions: UnsafeBufferPointer<UInt32>) -> UInt32 {
        var bits: UInt32 = 0
        for j in positions.indices.dropFirst() { bits |= positions[j] &- positions[j - 1] &- 1 }
        return bits
    }

    private static func byteCount(docs: Int, gaps: Int, firstBits: UInt32, gapBits: UInt32) -> Int {
        let firstWidth = 32 - firstBits.leadingZeroBitCount, gapWidth = 32 - gapBits.leadingZeroBitCount
        return 2 + (docs * firstWidth + 7) / 8 + (gaps * gapWidth + 7) / 8
    }
}

/// Reads a positions value in place. Any document's positions are found from the tfs before
/// it by arithmetic, so `skip` reads nothing; `skip` and `read` go forward in block order.
struct PositionsWalker {
    private let firsts: PackedRun
    private let gapsMinusOne: PackedRun
    private(set) var docIndex = 0
    private var gapIndex = 0

    /// Checks that the value holds exactly `docs` first positions and `totalTF - docs` gaps.
    init(_ raw: UnsafeRawBufferPointer, docs: Int, totalTF: Int) throws {
        var r = ByteReader(raw)
        firsts = try PackedRun(&r, count: docs)
        gapsMinusOne = try PackedRun(&r, count: totalTF - docs)
        guard r.atEnd else { throw FormatError(what: "positions value has bytes past its last doc") }
    }

    /// Checks the first positions only; the gaps run is taken to fill the rest of the value,
    /// and each read checks that its gaps lie inside. A query reading one document of a block
    /// then needs no sum over every tf of the block.
    init(_ raw: UnsafeRawBufferPointer, docs: Int) throws {
        var r = ByteReader(raw)
        firsts = try PackedRun(&r, count: docs)
        gapsMinusOne = try PackedRun(fillingRestOf: &r)
    }

    /// Passes over the positions of the next `docs` documents, `totalTF` positions in all.
    mutating func skip(docs: Int, totalTF: Int) {
        docIndex += docs
        gapIndex += totalTF - docs
    }

    /// Decodes the next document's `tf` positions into `out`, which has room for them, up to
    /// the first that reaches `limit`; returns how many it decoded.
    @inline(__always) @discardableResult
    mutating func read(tf: UInt32, through limit: UInt32 = .max, into out: UnsafeMutablePointer<UInt32>) throws -> Int {
        guard tf > 0 else { return 0 }
        guard docIndex < firsts.count && gapIndex + Int(tf) - 1 <= gapsMinusOne.count else {
            throw FormatError(what: "positions value shorter than its tfs")
        }
        let first = firsts.value(at: docIndex)
        out[0] = first
        let decoded = 1 + gapsMinusOne.accumulate(from: gapIndex, count: Int(tf) - 1, after: first, through: limit, into: out + 1)
        docIndex += 1
        gapIndex += Int(tf) - 1
        return decoded
    }

    /// `read(tf:into:)` into a new array, for checks and rewrites off the query path.
    mutating func read(tf: UInt32) throws -> [UInt32] {
        guard tf > 0 else { return [] }
        return try [UInt32](unsafeUninitializedCapacity: Int(tf)) { buffer, count in
            try read(tf: tf, into: buffer.baseAddress!)
            count = Int(tf)
        }
    }
}

enum PositionsCodec {
    /// Every document's positions in a value whose block has these tfs (for checks and
    /// rewrites: an array per document).
    static func decode(_ raw: UnsafeRawBufferPointer, tfs: [UInt32]) throws -> [[UInt32]] {
        var walker = try PositionsWalker(raw, docs: tfs.count, totalTF: tfs.reduce(0) { $0 + Int($1) })
        return try tfs.map { try walker.read(tf: $0) }
    }

    static func encode(_ docs: [[UInt32]]) -> [UInt8] {
        var builder = PositionsValueBuilder()
        for positions in docs { positions.withUnsafeBufferPointer { builder.add($0) } }
        return builder.encoded()
    }
}
