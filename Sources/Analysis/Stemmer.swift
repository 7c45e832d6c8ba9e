// Analysis: Snowball stemming through Debian's libstemmer.
// Owns the stemmer handles; one per thread, since a libstemmer handle is not thread-safe.
import CStemmer

/// A language there is no stemmer (or stop word list) for.
public struct UnknownLanguageError: Error, CustomStringConvertible {
    /// "stemmer" or "stop word list".
    public let kind: String
    public let language: String
    public let available: [String]
    public var description: String {
        "unknown \(kind) '\(language)'; choose none or one of: \(available.joined(separator: ", "))"
    }
}

/// A Snowball stemmer for one language. Not thread-safe: give each thread its own.
public final class Stemmer {
    public let language: String
    private let handle: OpaquePointer

    /// Every language libstemmer offers.
    public static var languages: [String] {
        var names: [String] = []
        guard var p = sb_stemmer_list() else { return names }
        while let name = p.pointee {
            names.append(String(cString: name))
            p += 1
        }
        return names
    }

    public init(language: String) throws {
        guard let h = sb_stemmer_new(language, "UTF_8") else {
            throw UnknownLanguageError(kind: "stemmer", language: language, available: Stemmer.languages)
        }
        self.language = language
        handle = h
    }

    deinit { sb_stemmer_delete(handle) }

    /// The stem of one folded token; digits-only tokens are left alone.
    public func stem(_ token: UnsafeBufferPointer<UInt8>, _ use: (UnsafeBufferPointer<UInt8>) -> Void) {
        if token.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return use(token) }
        guard let out = sb_stemmer_stem(handle, token.baseAddress, Int32(token.count)) else { return use(token) }
        let length = Int(sb_stemmer_length(handle))
        if length == 0 { return use(token) }
        use(UnsafeBufferPointer(start: out, count: length))
    }
}
