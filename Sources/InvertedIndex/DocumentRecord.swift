// InvertedIndex: the per-document record (`docs` table) and the norms chunks (`norms` table),
// encoder and decoder side by side.
//
// docs value:  string externalID, string title, string date ("" when unknown),
//              varint textLength, varint titleLength, varint source size, varint source
//              mtime (nanoseconds, zigzag), u64 little-endian content hash.
// norms value: up to `Format.normsChunk` pairs of little-endian UInt32 (textLength, titleLength),
//              for doc ids chunk*512 ..< chunk*512+count, keyed by big-endian chunk number.

/// What the index knows about one document besides its terms.
public struct DocumentRecord: Equatable, Sendable {
    public var externalID: String
    public var title: String
    public var date: String?
    public var textLength: UInt32
    public var titleLength: UInt32
    public var source: SourceStamp

    public init(externalID: String, title: String, date: String?, textLength: UInt32, titleLength: UInt32,
                source: SourceStamp = SourceStamp()) {
        self.externalID = externalID
        self.title = title
        self.date = date
        self.textLength = textLength
        self.titleLength = titleLength
        self.source = source
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.string(externalID)
        w.string(title)
        w.string(date ?? "")
        w.varint(textLength)
        w.varint(titleLength)
        source.encode(into: &w)
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws -> DocumentRecord {
        var r = ByteReader(raw)
        let id = try r.string(), title = try r.string(), date = try r.string()
        return DocumentRecord(externalID: id, title: title, date: date.isEmpty ? nil : date,
                              textLength: try r.varint32(), titleLength: try r.varint32(),
                              source: try SourceStamp.decode(&r))
    }
}

/// What identifies the version of a document's source: for files, size and modification
/// time (checked before reading) and for everything, a hash of the raw bytes.
public struct SourceStamp: Equatable, Sendable {
    public var size: UInt64 = 0
    public var modified: Int64 = 0
    public var contentHash: UInt64 = 0

    public init(size: UInt64 = 0, modified: Int64 = 0, contentHash: UInt64 = 0) {
        self.size = size
        self.modified = modified
        self.contentHash = contentHash
    }

    func encode(into w: inout ByteWriter) {
        w.varint(size)
        w.varint(UInt64(bitPattern: (modified << 1) ^ (modified >> 63)))
        for i in 0..<8 { w.bytes.append(UInt8((contentHash >> (8 * UInt64(i))) & 0xFF)) }
    }

    static func decode(_ r: inout ByteReader) throws -> SourceStamp {
        let size = try r.varint()
        let zigzag = try r.varint()
        let modified = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
        guard r.offset + 8 <= r.base.count else { throw FormatError(what: "truncated document record") }
        var hash: UInt64 = 0
        for i in 0..<8 { hash |= UInt64(r.base[r.offset + i]) << (8 * UInt64(i)) }
        r.offset += 8
        return SourceStamp(size: size, modified: modified, contentHash: hash)
    }
}

/// A fast 64-bit hash of raw bytes, for telling identical content apart from changed content.
public enum ContentHash {
    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = mix(h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        return mix(h ^ tail ^ 0xFF)
    }

    public static func of(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { of($0) } }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 31)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 29)
    }
}

enum NormsCodec {
    static func chunk(of doc: UInt32) -> UInt32 { doc / UInt32(Format.normsChunk) }

    /// Sets `doc`'s lengths in its chunk's value, growing it with zeros as needed.
    static func set(doc: UInt32, text: UInt32, title: UInt32, in value: inout [UInt8]) {
        let slot = Int(doc % UInt32(Format.normsChunk)) * 8
        if value.count < slot + 8 { value += [UInt8](repeating: 0, count: slot + 8 - value.count) }
        var bytes: [UInt8] = []
        append(text: text, title: title, to: &bytes)
        value.replaceSubrange(slot..<slot + 8, with: bytes)
    }

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
