// InvertedIndex: the posting block (doc ids, term frequencies, block-max data) and its positions
// value, each with its encoder and decoder side by side. One block is one LMDB value.
//
// Posting block value:  varint count, varint maxTF, varint minLength, varint firstDoc,
//                       packed (count-1) doc gaps minus one, packed (count) tf minus one.
// Positions value:      for each doc of the block in order, tf varints: first position, then gaps.
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

    /// Decodes doc ids and tfs into buffers of at least `Format.blockSize`; returns the count.
    static func decode(_ raw: UnsafeRawBufferPointer, docs: UnsafeMutablePointer<UInt32>,
                       tfs: UnsafeMutablePointer<UInt32>) throws -> Int {
        let block = try decodeDocs(raw, docs: docs)
        try decodeTFs(raw, at: block.tfOffset, count: block.summary.count, into: tfs)
        return block.summary.count
    }

    /// Decodes the header and doc ids only; the tfs follow at `tfOffset`, for `decodeTFs`
    /// when a document of the block is scored (a seek that passes over a block never needs them).
    static func decodeDocs(_ raw: UnsafeRawBufferPointer,
                           docs: UnsafeMutablePointer<UInt32>) throws -> (summary: BlockSummary, tfOffset: Int) {
        var r = ByteReader(raw)
        let count = Int(try r.varint())
        guard count >= 1 && count <= Format.blockSize else { throw FormatError(what: "block count \(count)") }
        let summary = BlockSummary(count: count, maxTF: try r.varint32(), minLength: try r.varint32())
        let first = try r.varint32()
        try r.unpack(count: count - 1, into: docs + 1)
        docs[0] = first
        for i in 1..<count {
            let (sum, overflow) = docs[i - 1].addingReportingOverflow(docs[i] &+ 1)
            guard !overflow else { throw FormatError(what: "doc id overflow in block") }
            docs[i] = sum
        }
        try r.checkPacked(count: count)  // so that decodeTFs cannot fail later
        return (summary, r.offset)
    }

    /// Cannot fail on a run `decodeDocs` accepted.
    static func decodeTFs(_ raw: UnsafeRawBufferPointer, at offset: Int, count: Int,
                          into tfs: UnsafeMutablePointer<UInt32>) throws {
        var r = ByteReader(raw, offset: offset)
        try r.unpack(count: count, into: tfs)
        for i in 0..<count { tfs[i] &+= 1 }
    }
}

enum PositionsCodec {
    /// Appends each doc's positions, read from `source` at its start offset, `tfs[i]` of them.
    static func append(positionsOf starts: ArraySlice<UInt32>, tfs: ArraySlice<UInt32>,
                       from source: UnsafePointer<UInt32>, to value: inout [UInt8]) {
        let total = tfs.reduce(0) { $0 + Int($1) }
        // Encoded into scratch memory and appended once: appending byte by byte checked the
        // array's uniqueness and capacity per byte, a tenth of indexing time.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: total * 5) { scratch in
            var n = 0
            for (start, tf) in zip(starts, tfs) {
                var previous: UInt32 = 0
                for j in 0..<Int(tf) {
                    let pos = source[Int(start) + j]
                    var v = j == 0 ? pos : pos - previous
                    previous = pos
                    while v >= 0x80 {
                        scratch[n] = UInt8(v & 0x7F) | 0x80
                        n += 1
                        v >>= 7
                    }
                    scratch[n] = UInt8(v)
                    n += 1
                }
            }
            value.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<n]))
        }
    }
}

/// Walks a positions value doc by doc; `skip` and `read` must be called in block order.
struct PositionsWalker {
    var reader: ByteReader
    var docIndex = 0

    init(_ raw: UnsafeRawBufferPointer) { reader = ByteReader(raw) }

    /// Passes over the positions of the next `docs` documents, `totalTF` positions in all.
    mutating func skip(docs: Int, totalTF: Int) throws {
        try reader.skipVarints(totalTF)
        docIndex += docs
    }

    /// Decodes the next document's `tf` positions into `out`, which has room for them.
    mutating func read(tf: UInt32, into out: UnsafeMutablePointer<UInt32>) throws {
        var pos: UInt32 = 0
        for j in 0..<Int(tf) {
            let v = try reader.varint32()
            pos = j == 0 ? v : pos &+ v
            out[j] = pos
        }
        docIndex += 1
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
