// InvertedIndex: the posting block (doc ids, term frequencies, block-max data), its encoder and
// decoder side by side. One block is one LMDB value; its positions are in PositionsValue.swift.
//
// Posting block value:  varint count, varint maxTF, varint minLength, varint firstDoc,
//                       packed (count-1) doc gaps minus one, then the (count) tfs minus one as
//                       Rice codes (RiceCodes.swift), which end the value.
// The block and its positions value live under the key (term id, last doc id), so a seek to
// (term, d) lands on the block that would hold d.

/// Header fields a reader can use without decoding the whole block.
public struct BlockSummary: Equatable, Sendable {
    public var count: Int
    public var maxTF: UInt32
    /// The smallest field length among the block's documents: with maxTF it bounds the block's score.
    public var minLength: UInt32
}

enum PostingBlockCodec {
    /// Throws where the ids do not ascend or a tf is 0: what a damaged block the writer
    /// continues (or a damaged next doc id) gives. The subtraction below had trapped (SIGILL,
    /// exit 132, nothing said; found by a fault QA helper).
    static func encode(docs: ArraySlice<UInt32>, tfs: ArraySlice<UInt32>, lengths: ArraySlice<UInt32>) throws -> [UInt8] {
        precondition(!docs.isEmpty && docs.count == tfs.count && docs.count == lengths.count)
        for (previous, next) in zip(docs, docs.dropFirst()) where next <= previous {
            throw FormatError(what: "postings whose ids do not ascend (doc \(next) after doc \(previous))")
        }
        if tfs.contains(0) { throw FormatError(what: "postings with a tf of 0") }
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
        tfMinusOne.withUnsafeBufferPointer { w.riceCoded($0) }
        return w.bytes
    }

    static func summary(_ raw: UnsafeRawBufferPointer) throws -> BlockSummary {
        var r = ByteReader(raw)
        let count = Int(try r.varint())
        return BlockSummary(count: count, maxTF: try r.varint32(), minLength: try r.varint32())
    }

    /// The block's document count and the sum of its tfs (all checked).
    static func frequencies(_ raw: UnsafeRawBufferPointer) throws -> (df: UInt64, cf: UInt64) {
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * Format.blockSize) { buffer in
            let base = buffer.baseAddress!
            let count = try decode(raw, docs: base, tfs: base + Format.blockSize).count
            var sum: UInt64 = 0
            for i in 0..<count { sum &+= UInt64(base[Format.blockSize + i]) }
            return (UInt64(count), sum)
        }
    }

    /// Decodes doc ids and tfs into buffers of at least `Format.blockSize`; returns the block's
    /// summary (its count among it). Checks the tfs' codes (for checks and rewrites; a query's
    /// cursor reads them lazily).
    static func decode(_ raw: UnsafeRawBufferPointer, docs: UnsafeMutablePointer<UInt32>,
                       tfs: UnsafeMutablePointer<UInt32>) throws -> BlockSummary {
        let block = try decodeDocs(raw, docs: docs)
        let count = block.summary.count
        try PaddedCopy.withCopy(of: block.tfCodes) { codes in
            var run = try RiceRun(padded: codes, from: 0)
            try run.checkHolds(count: count)
            guard run.decodePlusOne(upTo: count, into: tfs) else { throw FormatError(what: "tf codes end early") }
        }
        return block.summary
    }

    /// Decodes the header and doc ids only. The tfs' codes are returned undecoded (the rest of
    /// the value, at least its k byte): a seek that passes over a block never needs them, and a
    /// cursor decodes them from the first document that does (`PostingCursor.decodeTFs`).
    static func decodeDocs(_ raw: UnsafeRawBufferPointer,
                           docs: UnsafeMutablePointer<UInt32>) throws -> (summary: BlockSummary, tfCodes: UnsafeRawBufferPointer) {
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
        guard r.offset < raw.count else { throw FormatError(what: "posting block ends before its tfs") }
        return (summary, UnsafeRawBufferPointer(rebasing: raw[r.offset...]))
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
}
