// InvertedIndex: compression of the stored cleaned text (`text` table) with zstd.
// Owns the compression contexts; each thread that compresses needs its own compressor.
import CZstd

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
