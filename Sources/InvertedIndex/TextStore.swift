// InvertedIndex: compression of the stored cleaned text (`text` table) with zstd.
// Owns the compression contexts; each thread that compresses needs its own compressor.
import CZstd
import Storage

/// Compresses document text; not thread-safe, one per worker.
public final class TextCompressor {
    private let context: OpaquePointer
    private let level: Int32

    public init(level: Int32 = 3) {
        context = ZSTD_createCCtx()
        self.level = level
    }

    deinit { ZSTD_freeCCtx(context) }

    public func compress(_ text: String) -> [UInt8] {
        var copy = text
        return copy.withUTF8 { src in
            let bound = ZSTD_compressBound(src.count)
            var out = [UInt8](repeating: 0, count: bound)
            let n = out.withUnsafeMutableBytes { dst in
                ZSTD_compressCCtx(context, dst.baseAddress, bound, src.baseAddress, src.count, level)
            }
            if ZSTD_isError(n) != 0 { return [] }
            out.removeSubrange(n...)
            return out
        }
    }
}

enum TextDecompressor {
    static func decompress(_ raw: UnsafeRawBufferPointer) throws -> String {
        guard raw.count > 0 else { return "" }
        let size = ZSTD_getFrameContentSize(raw.baseAddress, raw.count)
        guard size != ZSTD_CONTENTSIZE_ERROR, size != ZSTD_CONTENTSIZE_UNKNOWN, size < 1 << 31 else {
            throw FormatError(what: "stored text frame")
        }
        var out = [UInt8](repeating: 0, count: Int(size))
        let n = out.withUnsafeMutableBytes { dst in
            ZSTD_decompress(dst.baseAddress, Int(size), raw.baseAddress, raw.count)
        }
        guard ZSTD_isError(n) == 0 else { throw FormatError(what: "stored text does not decompress") }
        return String(decoding: out.prefix(n), as: UTF8.self)
    }
}

/// Stored text is kept in page-sized parts under (doc id, part number) keys.
enum TextChunks {
    /// The compressed parts of `doc`'s text joined, or nil when it has none.
    static func read(_ doc: UInt32, txn: Transaction, table: Table) throws -> [UInt8]? {
        let prefix = Keys.docID(doc)
        let cursor = try txn.cursor(table)
        var entry = try cursor.seek(atLeast: prefix + [0, 0])
        var joined: [UInt8]? = nil
        while let e = entry, e.key.count == 6, e.key.starts(with: prefix) {
            joined = (joined ?? []) + Array(e.value)
            entry = try cursor.next()
        }
        return joined
    }

    /// Deletes every part of `doc`'s text.
    static func delete(_ doc: UInt32, txn: Transaction, table: Table) throws {
        let prefix = Keys.docID(doc)
        let cursor = try txn.cursor(table)
        while let e = try cursor.seek(atLeast: prefix + [0, 0]), e.key.count == 6, e.key.starts(with: prefix) {
            try cursor.deleteCurrent()
        }
    }

    static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        if bytes.isEmpty { return [bytes[...]] }
        return stride(from: 0, to: bytes.count, by: Format.textChunkBytes).map {
            bytes[$0..<min($0 + Format.textChunkBytes, bytes.count)]
        }
    }

    static func suffix(_ part: Int) -> [UInt8] { [UInt8(part >> 8), UInt8(part & 0xFF)] }
}
