// InvertedIndex: a term's record in its `terms` block: where its postings are and how many.
// Owns its encoder and decoder side by side; the writer, remover, checker and reader all use them.
//
// Record:  a term with blocks in the tables: varint 0, varint term id, varint df, varint
//          collection frequency. A term whose only block is inline: varint length of its
//          posting block value (not 0), varint length of its positions value, the two values;
//          its df and collection frequency are its block's.

/// A term's only posting block and its positions value, kept in the term's `terms` value
/// instead of the postings and positions tables when the two take at most
/// `Format.maxInlineBlockBytes` together.
///
/// Most distinct words of a news archive occur in a handful of documents (197,577 of
/// news-combined's 208,821 terms have one block, most under 128 bytes). In the tables each
/// such block paid LMDB's 18 bytes of key, node header and pointer twice, and reading it took
/// two more B-tree descents, for a query and for every batch that continued the term.
public struct InlineBlock: Equatable, Sendable {
    public var postings: [UInt8]
    public var positions: [UInt8]

    var byteCount: Int { postings.count + positions.count }
}

struct TermRecord: Equatable {
    /// The key of the term's blocks in the postings and positions tables; nil while its only
    /// block is inline (ids are given out as terms move to the tables, and never reused).
    var id: UInt32?
    var documentFrequency: UInt64
    var collectionFrequency: UInt64
    /// Present only when the tables hold no block of this term.
    var inline: InlineBlock?

    /// A term with blocks in the tables.
    init(id: UInt32, documentFrequency: UInt64, collectionFrequency: UInt64) {
        self.id = id
        self.documentFrequency = documentFrequency
        self.collectionFrequency = collectionFrequency
    }

    /// A term whose only block is inline: its frequencies are read from the block.
    init(inline: InlineBlock) throws {
        let (df, cf) = try inline.postings.withUnsafeBytes { try PostingBlockCodec.frequencies($0) }
        documentFrequency = df
        collectionFrequency = cf
        self.inline = inline
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        if let inline {
            w.bytes.reserveCapacity(4 + inline.byteCount)
            w.varint(UInt64(inline.postings.count))
            w.varint(UInt64(inline.positions.count))
            w.bytes += inline.postings
            w.bytes += inline.positions
        } else {
            w.varint(UInt64(0))
            w.varint(id ?? 0)
            w.varint(documentFrequency)
            w.varint(collectionFrequency)
        }
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws -> TermRecord {
        var r = ByteReader(raw)
        let record = try decode(&r)
        guard r.atEnd else { throw FormatError(what: "term record has bytes past its end") }
        return record
    }

    /// Reads one record at the reader's offset and moves past it.
    static func decode(_ r: inout ByteReader) throws -> TermRecord {
        let (postings, positions) = try inlineExtent(&r)
        guard postings > 0 else {
            return TermRecord(id: try r.varint32(), documentFrequency: try r.varint(), collectionFrequency: try r.varint())
        }
        let start = r.offset
        r.offset += postings + positions
        return try TermRecord(inline: InlineBlock(postings: Array(r.base[start..<start + postings]),
                                                  positions: Array(r.base[start + postings..<r.offset])))
    }

    /// Moves the reader past one record without decoding it.
    static func skip(_ r: inout ByteReader) throws {
        let (postings, positions) = try inlineExtent(&r)
        if postings > 0 {
            r.offset += postings + positions
        } else {
            for _ in 0..<3 { _ = try r.varint() }
        }
    }

    /// The lengths of an inline record's two values (0 and 0 for a term in the tables),
    /// checked to lie inside what the reader holds.
    private static func inlineExtent(_ r: inout ByteReader) throws -> (postings: Int, positions: Int) {
        let postings = Int(try r.varint32())
        guard postings > 0 else { return (0, 0) }
        let positions = Int(try r.varint32())
        guard postings + positions <= r.base.count - r.offset else {
            throw FormatError(what: "inline block of \(postings)+\(positions) bytes in a term record of \(r.base.count - r.offset)")
        }
        return (postings, positions)
    }
}
