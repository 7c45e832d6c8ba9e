// InvertedIndex: the per-document record (`docs`), a copy's entry (`aliases`) and the norms chunks (`norms`),
// encoder and decoder side by side.
//
// docs value:  string externalID, string title, string date ("" when unknown),
//              varint textLength, varint titleLength, varint source size, varint source
//              mtime (nanoseconds, zigzag), u64 little-endian content hash, u64 little-endian
//              near-duplicate fingerprint; then, for a JSON Lines record read from a file, the
//              varint number of that file in `origins` (absent otherwise).
// norms value: for doc ids chunk*128 ..< chunk*128+128, keyed by big-endian chunk number,
//              three columns of 128 little-endian 32-bit integers: text lengths, then title
//              lengths, then dates (days since 1970-01-01, Int32.min when unknown); a slot no
//              document was written to holds zero lengths and no date.

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
        source.encodeOrigin(into: &w)
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
        r.offset += 8
        record.source.origin = try SourceStamp.decodeOrigin(&r)
        return record
    }
}

/// What identifies the version of a document's source: for files, size and modification
/// time (checked before reading) and for everything, a hash of the raw bytes.
public struct SourceStamp: Equatable, Sendable {
    public var size: UInt64 = 0
    public var modified: Int64 = 0
    public var contentHash: UInt64 = 0
    /// The JSON Lines file a record was last read from, by its number in `origins` (0 for
    /// files and stdin): `--prune` removes records whose file is gone or no longer holds them,
    /// as it removes files, whose ids are their paths. A number, not the path: news-combined's
    /// path in each of its 69,709 records would have made the index 3.5 MB larger.
    public var origin: UInt32 = 0

    public init(size: UInt64 = 0, modified: Int64 = 0, contentHash: UInt64 = 0, origin: UInt32 = 0) {
        self.size = size
        self.modified = modified
        self.contentHash = contentHash
        self.origin = origin
    }

    /// The origin goes last in a value (after the record's fingerprint, which follows the
    /// stamp), and only when there is one: most documents are files.
    func encodeOrigin(into w: inout ByteWriter) {
        if origin != 0 { w.varint(origin) }
    }

    static func decodeOrigin(_ r: inout ByteReader) throws -> UInt32 {
        r.offset < r.base.count ? try r.varint32() : 0
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

/// What `aliases` keeps under the id of an identical copy: the document it repeats and the
/// copy's own stamp. Value: varint doc id, the stamp as in `docs`, then its file number when the
/// copy is a JSON Lines record read from a file.
struct CopyEntry {
    var canonical: UInt32
    var source: SourceStamp

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.varint(canonical)
        source.encode(into: &w)
        source.encodeOrigin(into: &w)
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws -> CopyEntry {
        var r = ByteReader(raw)
        let canonical = try r.varint32()
        var source = try SourceStamp.decode(&r)
        source.origin = try SourceStamp.decodeOrigin(&r)
        return CopyEntry(canonical: canonical, source: source)
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
    /// Every chunk holds all its slots, written or not, so a column starts at a fixed offset.
    static let valueBytes = Format.normsChunk * slotBytes
    static let noDate = Int32.min
    private static let columnBytes = 4 * Format.normsChunk

    static func chunk(of doc: UInt32) -> UInt32 { doc / UInt32(Format.normsChunk) }

    /// A chunk's slots; nil for a value of the wrong size.
    static func decode(_ raw: UnsafeRawBufferPointer) -> [DocumentNorms]? {
        guard raw.count == valueBytes else { return nil }
        return (0..<Format.normsChunk).map { norms(in: raw, slot: $0) }
    }

    static func encode(_ slots: [DocumentNorms]) -> [UInt8] {
        precondition(slots.count == Format.normsChunk)
        var out: [UInt8] = []
        out.reserveCapacity(valueBytes)
        func append(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        for s in slots { append(s.text) }
        for s in slots { append(s.title) }
        for s in slots { append(UInt32(bitPattern: s.day ?? noDate)) }
        return out
    }

    /// The slots of a chunk no document was written to yet: zero lengths, no date.
    static var emptyChunk: [DocumentNorms] {
        Array(repeating: DocumentNorms(text: 0, title: 0, day: nil), count: Format.normsChunk)
    }

    static func set(doc: UInt32, _ norms: DocumentNorms, in slots: inout [DocumentNorms]) {
        slots[Int(doc % UInt32(Format.normsChunk))] = norms
    }

    /// The norms of `doc` from its chunk's value, or nil for a value of the wrong size.
    @inline(__always)
    static func norms(in raw: UnsafeRawBufferPointer, doc: UInt32) -> DocumentNorms? {
        raw.count == valueBytes ? norms(in: raw, slot: Int(doc % UInt32(Format.normsChunk))) : nil
    }

    /// One field's length of `doc` (column 0 text, 1 title) from a chunk value `valueBytes`
    /// long: one load, from a column where a cache line holds sixteen documents' values.
    @inline(__always)
    static func length(inCheckedChunk raw: UnsafeRawPointer, doc: UInt32, column: Int) -> UInt32 {
        value(in: raw, column: column, slot: Int(doc % UInt32(Format.normsChunk)))
    }

    @inline(__always)
    private static func norms(in raw: UnsafeRawBufferPointer, slot: Int) -> DocumentNorms {
        let base = raw.baseAddress!
        let day = Int32(bitPattern: value(in: base, column: 2, slot: slot))
        return DocumentNorms(text: value(in: base, column: 0, slot: slot), title: value(in: base, column: 1, slot: slot),
                             day: day == noDate ? nil : day)
    }

    /// Column `column` (0 text, 1 title, 2 date) of slot `slot` in a chunk `valueBytes` long.
    @inline(__always)
    private static func value(in raw: UnsafeRawPointer, column: Int, slot: Int) -> UInt32 {
        raw.loadUnaligned(fromByteOffset: column &* columnBytes &+ 4 &* slot, as: UInt32.self).littleEndian
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
