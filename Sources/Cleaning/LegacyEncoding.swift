// LegacyEncoding: the encoding a person names (`--encoding gb18030`) for pages that are not UTF-8
// and do not say what they are, decoded through glibc's iconv with bad bytes replaced.
#if canImport(Glibc)
import Glibc
#endif

/// A character encoding iconv can convert to UTF-8, by the name a person gives it. Files that
/// are UTF-8, but for a stray byte or two, never use it (legacy Chinese, Japanese or Korean
/// text is practically never UTF-8; ISO-2022's, ASCII with escape codes, is told by them; see
/// `claims`), and a page's own declaration or byte order mark comes first, as in browsers and
/// ripgrep's `--encoding`.
public struct LegacyEncoding: Sendable, Equatable {
    public let label: String

    public struct Unknown: Error, CustomStringConvertible {
        public let label: String
        public var description: String { "'\(label)' is not an encoding this system converts (`iconv -l` lists them)" }
    }

    public struct NotBytes: Error, CustomStringConvertible {
        public let label: String
        public var description: String {
            "'\(label)' does not write ASCII as ASCII; name an encoding of bytes such as gb18030, big5, shift_jis or "
                + "euc-kr (UTF-16 text is read by its byte order mark)"
        }
    }

    /// Whether the encoding shifts between character sets with escape codes (ISO-2022, UTF-7,
    /// HZ): a bad byte must not end the shift. Others may hold a letter back until they know no
    /// mark follows (cp1258, cp1255), which must come out before the bad byte's U+FFFD.
    private let shifts: Bool

    /// Checked once here, so a misspelt name fails the command before any file is read. The
    /// encoding must write ASCII as ASCII: UTF-16 or UTF-32 text without a byte order mark has
    /// NUL bytes, which make a file binary, and one bad unit skipped a byte at a time had
    /// shifted every later one.
    public init(label: String) throws {
        guard !label.isEmpty, !label.contains("/"), let converter = Self.open(label) else { throw Unknown(label: label) }
        iconv_close(converter)
        self.label = label
        let name = label.lowercased().filter { $0.isLetter || $0.isNumber }
        shifts = name.contains("2022") || name.hasPrefix("utf7") || name == "hz" || name.hasPrefix("hzgb")
        let ascii = Array("Ab 1\n".utf8)
        guard self.utf8(ascii).bytes == ascii else { throw NotBytes(label: label) }
    }

    private static func open(_ label: String) -> iconv_t? {
        let converter = iconv_open("UTF-8", label)
        return converter == iconv_t(bitPattern: -1) ? nil : converter
    }

    /// The bytes as UTF-8, and how many byte sequences were not text in this encoding: each
    /// became one U+FFFD and decoding went on at the next byte, in the same shift state (iconv
    /// alone stops at the first). Input goes to iconv a slice at a time with room for 16 bytes
    /// out for each byte in, so that iconv never runs out of room: one byte of TSCII is up to 12
    /// of UTF-8, a buffer sized for 4 had been overrun, and glibc's TSCII, stopped for room
    /// inside a letter, wrote the wrong letters when it went on.
    public func utf8(_ bytes: [UInt8]) -> (bytes: [UInt8], replaced: Int) {
        guard let converter = Self.open(label) else { return (Array(String(decoding: bytes, as: UTF8.self).utf8), 0) }
        defer { iconv_close(converter) }
        var output = Output()
        var replaced = 0
        var input = bytes.map { CChar(bitPattern: $0) }
        input.withUnsafeMutableBufferPointer { source in
            var next = source.baseAddress
            var left = source.count
            while left > 0 {
                var sliceLeft = min(left, Self.slice)
                let sliceStart = sliceLeft
                output.reserve(sliceLeft * 16 + 64)
                let error = output.convert(converter, &next, &sliceLeft)
                left -= sliceStart - sliceLeft
                switch error {
                case 0, E2BIG: continue
                // A sequence cut by the slice's end is read whole with the next slice.
                case EINVAL where sliceLeft < left: continue
                case EILSEQ, EINVAL:
                    // A held letter comes before the bad byte's U+FFFD (a flush also ends a shift).
                    if !shifts { _ = output.convert(converter, nil, nil) }
                    replaced += 1
                    output.append([0xEF, 0xBF, 0xBD])
                    next = next.map { $0 + 1 }
                    left -= 1
                default: return
                }
            }
            // What a stateful encoding still holds back (cp1258 and cp1255 keep a last letter
            // for a mark that may follow), and the return to its initial state.
            output.reserve(64)
            _ = output.convert(converter, nil, nil)
        }
        return (output.bytes, replaced)
    }

    /// Input bytes handed to iconv at once (with 16 times as much room out).
    static let slice = 1 << 20

    /// UTF-8 written by iconv into storage that grows as asked.
    private struct Output {
        private var storage: [UInt8] = []
        private var written = 0

        var bytes: [UInt8] { Array(storage[..<written]) }

        mutating func reserve(_ room: Int) {
            if storage.count - written < room { storage.append(contentsOf: repeatElement(0, count: room - (storage.count - written))) }
        }

        /// One `iconv` call into the room left; returns 0, or the errno it failed with.
        mutating func convert(_ converter: iconv_t, _ next: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                              _ left: UnsafeMutablePointer<Int>?) -> Int32 {
            let room = storage.count - written
            var outLeft = room
            let error = storage.withUnsafeMutableBytes { buffer -> Int32 in
                var out: UnsafeMutablePointer<CChar>? = (buffer.baseAddress! + written).assumingMemoryBound(to: CChar.self)
                return iconv(converter, next, left, &out, &outLeft) == -1 ? errno : 0
            }
            written += room - outLeft
            return error
        }

        mutating func append(_ more: [UInt8]) {
            reserve(more.count)
            storage.replaceSubrange(written..<written + more.count, with: more)
            written += more.count
        }
    }

    /// Whether these bytes are text in this encoding rather than UTF-8: more bytes above ASCII
    /// outside UTF-8's sequences than sequences, and more than three of them unless there is
    /// no sequence at all (GB18030 or Shift JIS text has nearly all outside; a UTF-8 page cut
    /// inside its last character, or an English one with a pasted Windows-1252 apostrophe, one
    /// or two), or ASCII holding escape codes, which the ISO-2022 encodings shift with. A UTF-8
    /// file with a stray byte had been read whole in the encoding named, every character wrong.
    func claims(_ bytes: ArraySlice<UInt8>) -> Bool {
        let (sequences, strays) = TextDecoding.census(bytes)
        if strays == 0 { return sequences == 0 && bytes.contains(0x1B) }
        return strays > sequences && (sequences == 0 || strays > 3)
    }

    /// What `utf8` tells of replaced bytes, for a page's notes.
    func note(replaced: Int) -> [String] {
        replaced == 0 ? [] : ["\(replaced) byte sequence\(replaced == 1 ? " was" : "s were") not \(label) and became U+FFFD"]
    }
}
