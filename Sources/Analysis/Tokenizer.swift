// Analysis: turns text into the terms the index stores and queries look up.
// Owns tokenizing, Unicode folding, stemming, and the byte-string term tables used while indexing.
import CUTF8Proc

/// Splits UTF-8 text into folded tokens.
///
/// A token is a maximal run of letters and digits (Unicode categories L*, N*, and combining
/// marks inside a word), lowercased, case-folded and stripped of diacritics, so "Café" and
/// "cafe" meet. An apostrophe (' or U+2019) between two letters joins them ("Qa'ida" is
/// "qaida", "don't" is "dont"), and a trailing possessive "'s" is dropped ("Syria's" is
/// "syria"). Everything else separates tokens. Tokens longer than `maxTokenBytes` are cut at
/// a character boundary, identically at index and query time.
public enum Tokenizer {
    public static let maxTokenBytes = 120

    /// Calls `emit` with each token's bytes, in order; every call is the next position.
    public static func tokenize(_ text: UnsafeBufferPointer<UInt8>,
                                _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        var scanner = TokenScanner(text: text)
        scanner.run { token, _ in emit(token) }
    }

    /// Like `tokenize`, also giving each token's byte range in `text` (for snippets).
    public static func tokenizeWithOffsets(_ text: UnsafeBufferPointer<UInt8>,
                                           _ emit: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        var scanner = TokenScanner(text: text)
        scanner.run(emit)
    }

    public static func tokenize(_ text: String, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        var copy = text
        copy.withUTF8 { tokenize($0, emit) }
    }

    /// The tokens of `text` as Strings (for queries and tests; indexing uses the callback form).
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        tokenize(text) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }
}

private let asciiClass: [UInt8] = {
    // 0 = separator, 1 = digit, 2 = letter
    var t = [UInt8](repeating: 0, count: 128)
    for c in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(c)] = 1 }
    for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] = 2 }
    for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(c)] = 2 }
    return t
}()

/// One pass over the text, building each token in a small reusable buffer.
struct TokenScanner {
    let text: UnsafeBufferPointer<UInt8>
    var token: [UInt8] = []
    var folded: [UInt8] = []
    var needsFolding = false
    var lastWasLetter = false
    var apostropheWaiting = false
    /// Where the bytes after the last joined apostrophe begin, for the possessive rule.
    var joinedAt: Int? = nil
    /// Byte range in `text` of the token being built.
    var tokenStart = 0
    var tokenEnd = 0

    init(text: UnsafeBufferPointer<UInt8>) {
        self.text = text
        token.reserveCapacity(64)
    }

    mutating func run(_ emit: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        var i = 0
        let n = text.count
        while i < n {
            let byte = text[i]
            if byte < 0x80 {
                let cls = asciiClass[Int(byte)]
                if cls != 0 {
                    let lower = cls == 2 && byte <= 0x5A ? byte | 0x20 : byte
                    wordCharacter(isLetter: cls == 2, at: i..<i + 1, emit) { $0.token.append(lower) }
                } else if byte == UInt8(ascii: "'") {
                    apostrophe(emit)
                } else {
                    finish(emit)
                }
                i += 1
                continue
            }
            let (scalar, width) = decodeScalar(at: i)
            if scalar == 0x2019 {
                apostrophe(emit)
            } else if isWordScalar(scalar) {
                wordCharacter(isLetter: isLetterScalar(scalar), at: i..<i + width, emit) { $0.appendScalar(scalar) }
            } else {
                finish(emit)
            }
            i += width
        }
        finish(emit)
    }

    private mutating func wordCharacter(isLetter: Bool, at bytes: Range<Int>,
                                        _ emit: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void,
                                        append: (inout TokenScanner) -> Void) {
        if apostropheWaiting {
            apostropheWaiting = false
            if isLetter { joinedAt = token.count } else { finish(emit) }
        }
        if token.isEmpty { tokenStart = bytes.lowerBound }
        tokenEnd = bytes.upperBound
        if token.count < Tokenizer.maxTokenBytes { append(&self) }
        lastWasLetter = isLetter
    }

    private mutating func apostrophe(_ emit: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        if lastWasLetter && !apostropheWaiting && !token.isEmpty {
            apostropheWaiting = true
        } else {
            finish(emit)
        }
    }

    private mutating func appendScalar(_ scalar: UInt32) {
        needsFolding = true
        var buf: (UInt32, UInt32) = (0, 0)
        withUnsafeMutableBytes(of: &buf) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let width = Int(utf8proc_encode_char(Int32(bitPattern: scalar), p))
            if token.count + width <= Tokenizer.maxTokenBytes {
                token.append(contentsOf: UnsafeBufferPointer(start: p, count: width))
            }
        }
    }

    private mutating func finish(_ emit: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        defer {
            token.removeAll(keepingCapacity: true)
            needsFolding = false
            lastWasLetter = false
            apostropheWaiting = false
            joinedAt = nil
        }
        guard !token.isEmpty else { return }
        if let j = joinedAt, token.count == j + 1, token[j] == UInt8(ascii: "s") {
            token.removeLast()
        }
        let range = tokenStart..<tokenEnd
        if !needsFolding {
            token.withUnsafeBufferPointer { emit($0, range) }
            return
        }
        Folding.fold(token, into: &folded)
        if !folded.isEmpty { folded.withUnsafeBufferPointer { emit($0, range) } }
    }

    private func decodeScalar(at i: Int) -> (UInt32, Int) {
        var cp: Int32 = 0
        let len = utf8proc_iterate(text.baseAddress! + i, text.count - i, &cp)
        if len <= 0 { return (0xFFFD, 1) }
        return (UInt32(cp), len)
    }
}

@inline(__always)
func isWordScalar(_ scalar: UInt32) -> Bool {
    switch utf8proc_category(Int32(bitPattern: scalar)).rawValue {
    case UTF8PROC_CATEGORY_LU.rawValue, UTF8PROC_CATEGORY_LL.rawValue, UTF8PROC_CATEGORY_LT.rawValue,
         UTF8PROC_CATEGORY_LM.rawValue, UTF8PROC_CATEGORY_LO.rawValue,
         UTF8PROC_CATEGORY_ND.rawValue, UTF8PROC_CATEGORY_NL.rawValue, UTF8PROC_CATEGORY_NO.rawValue,
         UTF8PROC_CATEGORY_MN.rawValue, UTF8PROC_CATEGORY_MC.rawValue, UTF8PROC_CATEGORY_ME.rawValue,
         UTF8PROC_CATEGORY_CO.rawValue:
        return true
    default:
        return false
    }
}

@inline(__always)
func isLetterScalar(_ scalar: UInt32) -> Bool {
    let c = utf8proc_category(Int32(bitPattern: scalar)).rawValue
    return c >= UTF8PROC_CATEGORY_LU.rawValue && c <= UTF8PROC_CATEGORY_ME.rawValue
}
