// InvertedIndex: compression of the stored cleaned text (`text` table) with zstd.
// Owns the compression contexts (one per thread) and the page-sized parts a document is cut into.
import CZstd
import Storage

/// Compresses document text; not thread-safe, one per thread.
public final class TextCompressor {
    /// Level 3 with a dictionary: levels 5 and 6 were 2% and 5% smaller on news-combined but
    /// took 2.1 and 3.4 times as long to compress (see ARCHITECTURE.md).
    public static let level: Int32 = 3
    private let context: OpaquePointer

    /// Every frame ends in a checksum of its text (4 bytes), which decompression checks: a
    /// damaged frame or dictionary is an error, never other text. A reader then needs no
    /// checksum of the whole dictionary first (ARCHITECTURE.md).
    public init() {
        context = ZSTD_createCCtx()
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, TextCompressor.level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
    }

    deinit { ZSTD_freeCCtx(context) }

    /// One zstd frame with its text's checksum; with a dictionary the frame names it by id.
    public func compress(_ text: String, dictionary: TextDictionary? = nil) -> [UInt8] {
        var copy = text
        return copy.withUTF8 { src in
            let bound = ZSTD_compressBound(src.count)
            var out = [UInt8](repeating: 0, count: bound)
            ZSTD_CCtx_refCDict(context, dictionary?.compression)
            let n = out.withUnsafeMutableBytes { dst in
                ZSTD_compress2(context, dst.baseAddress, bound, src.baseAddress, src.count)
            }
            if ZSTD_isError(n) != 0 { return [] }
            out.removeSubrange(n...)
            return out
        }
    }
}

/// Decompresses stored text, with or without the dictionary its frame names. A dictionary is
/// read from `meta` and prepared only when a frame first asks for it, and kept for later frames:
/// ids are never reused within an index. Not thread-safe; one per reader or writer.
final class TextDecompressor {
    private let context: OpaquePointer
    /// Prepared dictionaries by id: an index has a handful, so a list searched in order. (A
    /// `Dictionary` of them cost a process that prints a snippet 230,000 instructions of run-time
    /// type lookups on its first insertion.)
    private var dictionaryIDs: [UInt32] = []
    private var dictionaries: [OpaquePointer] = []
    /// Whether each was checked against its checksum.
    private var dictionaryVerified: [Bool] = []
    /// Whether prepared dictionaries point into the map instead of holding copies: for one read
    /// transaction's life only, as its pages stay put while it lasts.
    private let referencesMap: Bool

    /// `referencesMap`: see the property. A reader sets it, and must not use the decompressor
    /// after its transaction ends; a writer, whose transactions come and go, does not.
    init(referencesMap: Bool = false) {
        context = ZSTD_createDCtx()
        self.referencesMap = referencesMap
    }

    deinit {
        for d in dictionaries { ZSTD_freeDDict(d) }
        ZSTD_freeDCtx(context)
    }

    /// `doc`'s stored text ("" when it has none), read through `txn`.
    func text(of doc: UInt32, txn: Transaction, store: IndexStore) throws -> String {
        guard let bytes = try TextChunks.read(doc, txn: txn, table: store.table(Format.TableName.text)) else { return "" }
        let meta = store.table(Format.TableName.meta)
        return try bytes.withUnsafeBytes { frame in
            try decompress(frame) { try TextDictionaryStore.located($0, txn: txn, meta: meta, verifying: $1) }
        }
    }

    /// Decompresses one frame. `load` gives a dictionary's bytes, checked against the
    /// dictionary's own checksum when its second argument says so: for frames without a
    /// checksum of their text (stored before frames had one), which a damaged dictionary would
    /// otherwise turn into other text without an error.
    private func decompress(_ raw: UnsafeRawBufferPointer,
                            dictionary load: (UInt32, Bool) throws -> UnsafeRawBufferPointer) throws -> String {
        guard raw.count > 0 else { return "" }
        var header = ZSTD_frameHeader()
        guard ZSTD_getFrameHeader(&header, raw.baseAddress, raw.count) == 0,
              header.frameContentSize != ZSTD_CONTENTSIZE_UNKNOWN, header.frameContentSize < 1 << 31 else {
            throw FormatError(what: "not a zstd frame that gives its size")
        }
        let size = Int(header.frameContentSize)
        let id = header.dictID
        let dictionary = id == 0 ? nil : try prepared(id, verifying: header.checksumFlag == 0, load: load)
        var out = [UInt8](repeating: 0, count: size)
        let n = out.withUnsafeMutableBytes { dst in
            if let dictionary {
                return ZSTD_decompress_usingDDict(context, dst.baseAddress, size, raw.baseAddress, raw.count, dictionary)
            }
            return ZSTD_decompressDCtx(context, dst.baseAddress, size, raw.baseAddress, raw.count)
        }
        guard ZSTD_isError(n) == 0 else {
            throw FormatError(what: "the zstd frame does not decompress (\(String(cString: ZSTD_getErrorName(n))))")
        }
        return String(decoding: out.prefix(n), as: UTF8.self)
    }

    static func dictionaryID(of frame: UnsafeRawBufferPointer) -> UInt32 {
        frame.isEmpty ? 0 : ZSTD_getDictID_fromFrame(frame.baseAddress, frame.count)
    }

    /// The prepared dictionary `id`, made from `load`'s bytes on first use, and checked against
    /// its checksum once a frame without its own checksum uses it (`verifying`). Referenced, it
    /// is not copied: a copy of 110 KiB (zstd's own, after one out of the map) faulted in about
    /// 50 pages of a process that prints snippets.
    private func prepared(_ id: UInt32, verifying: Bool,
                          load: (UInt32, Bool) throws -> UnsafeRawBufferPointer) throws -> OpaquePointer {
        if let i = dictionaryIDs.firstIndex(of: id) {
            if verifying && !dictionaryVerified[i] {
                _ = try load(id, true)
                dictionaryVerified[i] = true
            }
            return dictionaries[i]
        }
        let bytes = try load(id, verifying)
        let made = referencesMap ? ZSTD_createDDict_byReference(bytes.baseAddress, bytes.count)
                                 : ZSTD_createDDict(bytes.baseAddress, bytes.count)
        guard let made else { throw IndexError.corrupt("text dictionary \(id) is not a zstd dictionary") }
        dictionaryVerified.append(verifying)
        dictionaryIDs.append(id)
        dictionaries.append(made)
        return made
    }
}

/// Stored text is kept in parts under (doc id, part number) keys, cut to fill the table's leaf
/// pages: a document's first part takes what is left of the last page, the next ones the largest
/// value a page keeps out of overflow pages (two fill a page). Fixed 1,900-byte parts left
/// the end of most pages empty (81% full).
enum TextChunks {
    static let keySize = 6
    /// A shorter first part would cost a key and a node header for a sliver; a new page is started instead.
    static let shortestFirstPart = 64

    /// The compressed parts of `doc`'s text joined, or nil when it has none.
    static func read(_ doc: UInt32, txn: Transaction, table: Table) throws -> [UInt8]? {
        let prefix = Keys.docID(doc)
        let cursor = try txn.cursor(table)
        var entry = try cursor.seek(atLeast: prefix + [0, 0])
        var joined: [UInt8]? = nil
        while let e = entry, e.key.count == keySize, e.key.starts(with: prefix) {
            // Appended in place: building a new array per part made a 10 MB text take 2.7 s.
            if joined == nil { joined = [] }
            joined!.append(contentsOf: try checkedPart(e, of: doc))
            entry = try cursor.next()
        }
        return joined
    }

    /// Reads on from `entry`, the first part of a document, through its last: the document, its
    /// parts joined, and the entry after them.
    static func readDocument(at entry: Entry, cursor: Cursor) throws -> (doc: UInt32, bytes: [UInt8], next: Entry?) {
        let prefix = Array(entry.key.prefix(4))
        let doc: UInt32 = Keys.readBigEndian(entry.key)
        var joined = Array(try checkedPart(entry, of: doc))
        var next = try cursor.next()
        while let e = next, e.key.count == keySize, e.key.starts(with: prefix) {
            joined += Array(try checkedPart(e, of: doc))
            next = try cursor.next()
        }
        return (doc, joined, next)
    }

    /// No part is larger than a page: LMDB keeps every one on a leaf page (the cut above), so a
    /// larger size is a damaged node header. Read as given, it ran past the page, and past the
    /// end of the file (SIGBUS) when the page was near it.
    static let largestPart = 4_096

    private static func checkedPart(_ e: Entry, of doc: UInt32) throws -> UnsafeRawBufferPointer {
        guard e.value.count <= largestPart else {
            throw IndexError.corrupt("stored text of doc \(doc): a part of \(e.value.count) bytes, more than a page holds")
        }
        return e.value
    }

    /// Appends `doc`'s compressed text, after every document already in `table`.
    static func append(_ doc: UInt32, _ bytes: [UInt8], txn: Transaction, table: Table, fill: inout LeafPageFill) throws {
        let key = Keys.docID(doc)
        var start = 0, part = 0
        repeat {
            let left = bytes.count - start
            var size = min(left, fill.largestValue(keySize: keySize))
            if let fitting = fill.valueFittingLastPage(keySize: keySize), fitting >= min(left, shortestFirstPart) {
                size = min(size, fitting)
            }
            try txn.append(table, key + suffix(part), Array(bytes[start..<start + size]), noting: &fill)
            start += size
            part += 1
        } while start < bytes.count
    }

    /// Deletes every part of `doc`'s text.
    static func delete(_ doc: UInt32, txn: Transaction, table: Table) throws {
        let prefix = Keys.docID(doc)
        let cursor = try txn.cursor(table)
        while let e = try cursor.seek(atLeast: prefix + [0, 0]), e.key.count == keySize, e.key.starts(with: prefix) {
            try cursor.deleteCurrent()
        }
    }

    static func suffix(_ part: Int) -> [UInt8] { [UInt8(part >> 8), UInt8(part & 0xFF)] }
}
