// LegacyEncoding: the encoding a person names (`--encoding gb18030`) for pages that are not UTF-8
// and do not say what they are, decoded through glibc's iconv with bad bytes replaced.
#if canImport(Glibc)
import Glibc
#endif

/// A character encoding iconv can convert to UTF-8, by the name a person gives it. Files that
/// are valid UTF-8 never use it (legacy Chinese, Japanese or Korean text is practically never
/// valid UTF-8), and a page's own declaration or byte order mark comes first, as in browsers
/// and ripgrep's `--encoding`.
public struct LegacyEncoding: Sendable, Equatable {
    public let label: String

    public struct Unknown: Error, CustomStringConvertible {
        public let label: String
        public var description: String { "'\(label)' is not an encoding this system converts (`iconv -l` lists them)" }
    }

    /// Checked once here, so a misspelt name fails the command before any file is read.
    public init(label: String) throws {
        guard !label.isEmpty, !label.contains("/"), let converter = Self.open(label) else { throw Unknown(label: label) }
        iconv_close(converter)
        self.label = label
    }

    private static func open(_ label: String) -> iconv_t? {
        let converter = iconv_open("UTF-8", label)
        return converter == iconv_t(bitPattern: -1) ? nil : converter
    }

    /// The bytes as UTF-8, and how many byte sequences were not text in this encoding: each
    /// became one U+FFFD and decoding went on at the next byte (iconv alone stops at the first).
    public func utf8(_ bytes: [UInt8]) -> (bytes: [UInt8], replaced: Int) {
        guard let converter = Self.open(label) else { return (Array(String(decoding: bytes, as: UTF8.self).utf8), 0) }
        defer { iconv_close(converter) }
        var out = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        var written = 0, replaced = 0
        var input = bytes
        input.withUnsafeMutableBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(source.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = source.count
                while inLeft > 0 {
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(target.baseAddress! + written).assumingMemoryBound(to: CChar.self)
                    var outLeft = target.count - written
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    written = target.count - outLeft
                    // E2BIG cannot come: four bytes out for each byte in is more than any encoding needs.
                    guard result == -1, errno != E2BIG else { break }
                    replaced += 1
                    for byte in [0xEF, 0xBF, 0xBD] as [UInt8] { target[written] = byte; written += 1 }
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                    iconv(converter, nil, nil, nil, nil)  // back to the initial shift state
                }
            }
        }
        out.removeSubrange(written...)
        return (out, replaced)
    }

    /// What `utf8` tells of replaced bytes, for a page's notes.
    func note(replaced: Int) -> [String] {
        replaced == 0 ? [] : ["\(replaced) byte sequence\(replaced == 1 ? " was" : "s were") not \(label) and became U+FFFD"]
    }
}
