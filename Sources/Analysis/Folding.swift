// Analysis: Unicode folding of one token (case folding, compatibility forms, diacritics removed).
// Owns the single call into utf8proc, kept off the ASCII fast path.
import CUTF8Proc
#if canImport(Glibc)
import Glibc
#endif

enum Folding {
    /// Case-folds, decomposes and strips combining marks; "Ça" becomes "ca", "ß" becomes "ss".
    static func fold(_ token: [UInt8], into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var result: UnsafeMutablePointer<UInt8>?
        let options = utf8proc_option_t(rawValue: UTF8PROC_STABLE.rawValue | UTF8PROC_COMPOSE.rawValue
            | UTF8PROC_COMPAT.rawValue | UTF8PROC_CASEFOLD.rawValue | UTF8PROC_STRIPMARK.rawValue)
        let length = token.withUnsafeBufferPointer { buf in
            utf8proc_map(buf.baseAddress, buf.count, &result, options)
        }
        guard length >= 0, let result else {
            out.append(contentsOf: token)
            return
        }
        defer { free(result) }
        out.append(contentsOf: UnsafeBufferPointer(start: result, count: length))
        if out.count > Tokenizer.maxTokenBytes { out.removeSubrange(Tokenizer.maxTokenBytes...) }
        // Folding can produce separators (compatibility forms such as "½" become "1/2").
        out.removeAll { $0 < 0x80 && !isASCIIWordByte($0) }
    }

    @inline(__always)
    static func isASCIIWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A)
    }
}
