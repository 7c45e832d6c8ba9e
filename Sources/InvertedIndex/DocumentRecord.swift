// InvertedIndex: the per-document record (`docs` table) and the norms chunks (`norms` table),
// encoder and decoder side by side.
//
// docs value:  string externalID, string title, string date ("" when unknown),
//              varint textLength, varint titleLength, varint source size, varint source
//              mtime (nanoseconds, zigzag), u64 little-endian content hash, u64 little-endian
//              near-duplicate fingerprint.
// norms value: up to `Format.normsChunk` triples of little-endian 32-bit integers (textLength,
//              titleLength, date as days since 1970-01-01 or Int32.min when unknown), for doc ids
//              chunk*128 ..< chunk*128+count, keyed by big-endian chunk number.

/// What the index knows about one document besides its terms.
public struct DocumentRecord: Equatable, Sendable {
    public var externalID: String
    public var title: String
    public var date: String?
    public var textLength: UInt32
    public var titleLength: UInt32
    public var source: SourceStamp
    /// SimHash of the body, for grouping near-duplicates (see `Fingerprint`).
    public var fingerprint: UInt64 = 0

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
        for i in 0..<8 { w.bytes.append(UInt8((fingerprint >> (8 * UInt64(i))) & 0xFF)) }
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws -> DocumentRecord {
        var r = ByteReader(raw)
        let id = try r.string(), title = try r.string(), date = try r.string()
        var record = DocumentRecord(externalID: id, title: title, date: date.isEmpty ? nil : date,
                                    textLength: try r.varint32(), titleLength: try r.varint32(),
                                    source: try SourceStamp.decode(&r))
        guard r.offset + 8 <= r.base.count else { throw FormatError(what: "truncated document record") }
        for i in 0..<8 { record.fingerprint |= UInt64(r.base[r.offset + i]) << (8 * UInt64(i)) }
        return record
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

/// What scoring and filtering read per document, straight from the map.
public struct DocumentNorms: Equatable, Sendable {
    public var text: UInt32
    public var title: UInt32
    /// Days since 1970-01-01, or nil when the document has no date.
    public var day: Int32?
}

enum NormsCodec {
    static let slotBytes = 12
    static let noDate = Int32.min

    static func chunk(of doc: UInt32) -> UInt32 { doc / UInt32(Format.normsChunk) }

    /// Sets `doc`'s norms in its chunk's value, growing it with zeros as needed.
    static func set(doc: UInt32, _ norms: DocumentNorms, in value: inout [UInt8]) {
        let slot = Int(doc % UInt32(Format.normsChunk)) * slotBytes
        if value.count < slot + slotBytes { value += [UInt8](repeating: 0, count: slot + slotBytes - value.count) }
        let fields = [norms.text, norms.title, UInt32(bitPattern: norms.day ?? noDate)]
        for (f, v) in fields.enumerated() {
            for b in 0..<4 { value[slot + f * 4 + b] = UInt8((v >> (8 * UInt32(b))) & 0xFF) }
        }
    }

    /// The norms of `doc` from its chunk's value, or nil past its end.
    @inline(__always)
    static func norms(in raw: UnsafeRawBufferPointer, doc: UInt32) -> DocumentNorms? {
        let slot = Int(doc % UInt32(Format.normsChunk)) * slotBytes
        guard slot + slotBytes <= raw.count else { return nil }
        let day = Int32(bitPattern: raw.loadUnaligned(fromByteOffset: slot + 8, as: UInt32.self).littleEndian)
        return DocumentNorms(text: raw.loadUnaligned(fromByteOffset: slot, as: UInt32.self).littleEndian,
                             title: raw.loadUnaligned(fromByteOffset: slot + 4, as: UInt32.self).littleEndian,
                             day: day == noDate ? nil : day)
    }
}

/// Calendar days for ISO dates (proleptic Gregorian), for date filters and sorting.
public enum DayNumber {
    /// Days since 1970-01-01 of "yyyy-mm-dd", or nil if it is not a valid date.
    public static func of(_ iso: String) -> Int32? {
        let parts = iso.prefix(10).split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d), (1...9999).contains(y) else { return nil }
        return Int32(days(year: y, month: m, day: d))
    }

    /// Days from civil date (Howard Hinnant's algorithm, public domain).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
