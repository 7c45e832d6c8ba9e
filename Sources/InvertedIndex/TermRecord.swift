// InvertedIndex: the `terms` value: a term's id and frequencies, and a small term's only block.
// Owns its encoder and decoder side by side; the writer, remover, checker and reader all use them.
//
// Terms value:  varint term id, varint df, varint collection frequency, and for a term whose
//               only block is inline: varint length of its posting block value, that value,
//               then its positions value (the rest).

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
    var id: UInt32
    var documentFrequency: UInt64
    var collectionFrequency: UInt64
    /// Present only when the tables hold no block of this term.
    var inline: InlineBlock?

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(12 + (inline?.byteCount ?? 0))
        w.varint(id)
        w.varint(documentFrequency)
        w.varint(collectionFrequency)
        if let inline {
            w.varint(UInt64(inline.postings.count))
            w.bytes += inline.postings
            w.bytes += inline.positions
        }
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws -> TermRecord {
        var r = ByteReader(raw)
        var record = TermRecord(id: try r.varint32(), documentFrequency: try r.varint(),
                                collectionFrequency: try r.varint(), inline: nil)
        guard !r.atEnd else { return record }
        let postingsLength = Int(try r.varint32())
        guard postingsLength > 0 && postingsLength <= raw.count - r.offset else {
            throw FormatError(what: "inline block of \(postingsLength) bytes in a terms value of \(raw.count)")
        }
        let postingsEnd = r.offset + postingsLength
        record.inline = InlineBlock(postings: Array(raw[r.offset..<postingsEnd]),
                                    positions: Array(raw[postingsEnd...]))
        return record
    }
}
