// InvertedIndex: the per-document record (`docs` table) and the norms chunks (`norms` table),
// encoder and decoder side by side.
//
// docs value:  string externalID, string title, string date ("" when unknown),
//              varint textLength, varint titleLength.
// norms value: up to `Format.normsChunk` pairs of little-endian UInt32 (textLength, titleLength),
//              for doc ids chunk*512 ..< chunk*512+count, keyed by big-endian chunk number.

/// What the index knows about one document besides its terms.
public struct DocumentRecord: Equatable, Sendable {
    public var externalID: String
    public var title: String
    public var date: String?
    public var textLength: UInt32
    public var titleLength: UInt32

    public init(externalID: String, title: String, date: String?, textLength: UInt32, titleLength: UInt32) {
        self.externalID = externalID
        self.title = title
        self.date = date
        self.textLength = textLength
        self.titleLength = titleLength
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.string(externalID)
        w.string(title)
        w.string(date ?? "")
        w.varint(textLength)
        w.varint(titleLength)
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws -> DocumentRecord {
        var r = ByteReader(raw)
        let id = try r.string(), title = try r.string(), date = try r.string()
        return DocumentRecord(externalID: id, title: title, date: date.isEmpty ? nil : date,
                              textLength: try r.varint32(), titleLength: try r.varint32())
    }
}

enum NormsCodec {
    static func chunk(of doc: UInt32) -> UInt32 { doc / UInt32(Format.normsChunk) }

    static func append(text: UInt32, title: UInt32, to value: inout [UInt8]) {
        for v in [text, title] {
            value.append(UInt8(v & 0xFF)); value.append(UInt8((v >> 8) & 0xFF))
            value.append(UInt8((v >> 16) & 0xFF)); value.append(UInt8(v >> 24))
        }
    }

    /// The (text, title) lengths of `doc` from its chunk's value, or nil past its end.
    @inline(__always)
    static func lengths(in raw: UnsafeRawBufferPointer, doc: UInt32) -> (text: UInt32, title: UInt32)? {
        let slot = Int(doc % UInt32(Format.normsChunk)) * 8
        guard slot + 8 <= raw.count else { return nil }
        return (raw.loadUnaligned(fromByteOffset: slot, as: UInt32.self).littleEndian,
                raw.loadUnaligned(fromByteOffset: slot + 4, as: UInt32.self).littleEndian)
    }
}
