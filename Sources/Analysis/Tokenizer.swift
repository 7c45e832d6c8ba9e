// Analysis: splitting text into tokens, for the index and for queries alike.
// Owns what a word is (letters, digits, joiners, apostrophes); Folding.swift's rules fold each one.
import CUTF8Proc

/// Splits UTF-8 text into folded tokens.
///
/// A token is a maximal run of letters and digits (Unicode categories L*, N*, and combining
/// marks inside a word), lowercased, case-folded and stripped of diacritics, so "Café" and
/// "cafe" meet. An apostrophe (', U+2019, U+2018 or the modifier letter U+02BC) between letters
/// joins the two halves of a word when both have at least two letters and the second is not a
/// contraction ("re", "ll", "ve"): "Qa'ida" and "Qaʼida" are "qaida", "Qur'an" is "quran".
/// Otherwise it separates, as SQLite FTS5 does: "Syria's" is "syria s", "don't" is "don t",
/// "O'Brien" is "o brien", "we're" is "we re". With Turkish rules (`turkic`), the suffix after
/// an apostrophe is dropped, as Lucene's Turkish analyzer drops it ("Türkiye'nin" is "türkiye":
/// Turkish writes every suffix of a name so), and I and İ lowercase to ı and i. Invisible format
/// characters (a soft hyphen) and the Arabic tatweel (a stretch drawn between letters) are
/// passed over inside a word, as are variation selectors and the keycap mark; a combining mark
/// with no letter before it is passed over, not made a word. Everything else that is not a letter or
/// digit separates tokens. Tokens are cut to `maxTokenBytes` after folding, at a character
/// boundary, so canonically equivalent spellings (NFC and NFD) cut alike.
public enum Tokenizer {
    /// Receives a token's bytes (valid only during the call), its byte range in the text, and
    /// whether it shares the position of the token before (`tokenizeStacking`).
    public typealias TokenSink = (UnsafeBufferPointer<UInt8>, Range<Int>, _ stacked: Bool) -> Void

    public static let maxTokenBytes = 120
    /// What a token may gather before folding: folding shrinks decomposed text (an "é" written
    /// as e and an accent is 3 bytes, 1 folded; Hangul jamo 9 to a syllable's 3), so tokens of
    /// canonically equivalent text cut alike unless they run past this.
    static let maxRawTokenBytes = 1_024

    /// Calls `emit` with each token's bytes, in order, as a query cuts its words: every call
    /// is the next position (see `QueryForm`).
    public static func tokenize(_ text: UnsafeBufferPointer<UInt8>, keepingDiacritics: Bool = false, turkic: Bool = false,
                                eastAsian: EastAsianTerms = .pairs, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        tokenizeWithOffsets(text, keepingDiacritics: keepingDiacritics, turkic: turkic, eastAsian: eastAsian) { token, _ in emit(token) }
    }

    /// Like `tokenize` (the query form), also giving each token's byte range in `text`.
    public static func tokenizeWithOffsets(_ text: UnsafeBufferPointer<UInt8>, keepingDiacritics: Bool = false,
                                           turkic: Bool = false, eastAsian: EastAsianTerms = .pairs,
                                           _ emit: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        var form = QueryForm()
        tokenizeStacking(text, keepingDiacritics: keepingDiacritics, turkic: turkic, eastAsian: eastAsian) {
            form.add($0, $1, stacked: $2)
        }
        form.finish(emit)
    }

    /// The tokens as the index holds them: each call with `stacked` false is the next
    /// position; one with `stacked` true is a pair of Chinese or Japanese characters at the
    /// position of its first character, whose own token came just before (`HanKanaRun`).
    public static func tokenizeStacking(_ text: UnsafeBufferPointer<UInt8>, keepingDiacritics: Bool = false,
                                        turkic: Bool = false, eastAsian: EastAsianTerms = .pairs, _ emit: TokenSink) {
        var scanner = TokenScanner(text: text, keepsDiacritics: keepingDiacritics, turkic: turkic, eastAsian: eastAsian)
        scanner.run(emit)
    }

    public static func tokenize(_ text: String, turkic: Bool = false, eastAsian: EastAsianTerms = .pairs,
                                _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        var copy = text
        copy.withUTF8 { tokenize($0, turkic: turkic, eastAsian: eastAsian, emit) }
    }

    /// The tokens of `text` as Strings (for queries and tests; indexing uses the callback form).
    public static func tokens(_ text: String, turkic: Bool = false, eastAsian: EastAsianTerms = .pairs) -> [String] {
        var out: [String] = []
        tokenize(text, turkic: turkic, eastAsian: eastAsian) { out.append(String(decoding: $0, as: UTF8.self)) }
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
    typealias TokenSink = Tokenizer.TokenSink
    let text: UnsafeBufferPointer<UInt8>
    let keepsDiacritics: Bool
    /// Turkish casing and suffixes (see `Tokenizer`).
    let turkic: Bool
    /// Past a Turkish suffix's apostrophe: the word's remaining letters are not kept.
    var droppingSuffix = false
    var token: [UInt8] = []
    var folded: [UInt8] = []
    /// A plain ASCII word with capitals, lowercased.
    var lowered: [UInt8] = []
    var needsFolding = false
    var lastWasLetter = false
    var apostropheWaiting = false
    /// Apostrophes inside the token: where the next piece starts in `token`, where the
    /// apostrophe starts in `text`, and where the next piece starts in `text`.
    var joins: [(at: Int, apostrophe: Int, resume: Int)] = []
    var apostropheAt = 0
    /// Byte range in `text` of the token being built.
    var tokenStart = 0
    var tokenEnd = 0
    /// Chinese and Japanese letters are paired (`EastAsianTerms.pairs`) rather than gathered
    /// into the token; a run and a token are never open together.
    let pairsHanKana: Bool
    var hanKana = HanKanaRun()

    init(text: UnsafeBufferPointer<UInt8>, keepsDiacritics: Bool = false, turkic: Bool = false,
         eastAsian: EastAsianTerms = .pairs) {
        self.text = text
        self.keepsDiacritics = keepsDiacritics
        self.turkic = turkic
        pairsHanKana = eastAsian == .pairs
        token.reserveCapacity(64)
    }

    mutating func run(_ emit: TokenSink) {
        var i = 0
        let n = text.count
        while i < n {
            let byte = text[i]
            if byte < 0x80 {
                if hanKana.isOpen { hanKana.close(emit) }
                let cls = asciiClass[Int(byte)]
                if cls != 0 && token.isEmpty && !apostropheWaiting, let end = plainWordEnd(from: i) {
                    emitPlainWord(i..<end, emit)
                    i = end
                    continue
                }
                if turkic && byte == UInt8(ascii: "I") {
                    wordCharacter(isLetter: true, at: i..<i + 1, emit) { $0.appendScalar(0x0131) }  // dotless ı
                } else if cls != 0 {
                    let lower = cls == 2 && byte <= 0x5A ? byte | 0x20 : byte
                    wordCharacter(isLetter: cls == 2, at: i..<i + 1, emit) { $0.token.append(lower) }
                } else if byte == UInt8(ascii: "'") {
                    apostrophe(at: i, emit)
                } else if !token.isEmpty || apostropheWaiting {
                    finish(emit)
                }
                i += 1
                continue
            }
            let (scalar, width) = decodeScalar(at: i)
            if pairsHanKana, pairedHanKana(scalar, at: i..<i + width, emit) {
                i += width
                continue
            }
            if isApostropheScalar(scalar) {
                apostrophe(at: i, emit)
            } else if scalar == 0x0640 || isPresentationSelector(scalar) || (token.isEmpty && isMarkScalar(scalar)) {
                // Tatweel stretches a word, selectors choose how a character is drawn, and a
                // mark with no letter before it belongs to a symbol.
            } else if isWordScalar(scalar) {
                let kept = turkic && scalar == 0x0130 ? 0x69 : scalar  // İ is i with Turkish rules
                wordCharacter(isLetter: isLetterScalar(scalar), at: i..<i + width, emit) { $0.appendScalar(kept) }
            } else if !isInvisibleFormatScalar(scalar) {
                finish(emit)
            }
            i += width
        }
        hanKana.close(emit)
        finish(emit)
    }

    /// Takes `scalar` into the run of paired characters when it belongs there (a Han or kana
    /// letter, a mark after one, or an invisible format character inside the run); closes
    /// the run, and returns false, when it does not.
    private mutating func pairedHanKana(_ scalar: UInt32, at bytes: Range<Int>,
                                        _ emit: TokenSink) -> Bool {
        let raw = UnsafeBufferPointer(rebasing: text[bytes])
        if hanKana.isOpen {
            // Selectors are a kind of mark: they are checked first, to be passed over.
            if isPresentationSelector(scalar) || isInvisibleFormatScalar(scalar) { return true }
            if hanKana.takes(scalar) {
                hanKana.extend(raw, to: bytes.upperBound)
                return true
            }
        }
        if isPairedScalar(scalar) {
            if !token.isEmpty || apostropheWaiting { finish(emit) }
            hanKana.begin(raw, at: bytes, emit)
            return true
        }
        if hanKana.isOpen { hanKana.close(emit) }
        return false
    }

    /// Where a word of ASCII letters and digits starting at `start` ends, when nothing after it
    /// can extend or split it (the end of the text, or an ASCII separator other than an
    /// apostrophe) and it fits in a token; nil sends the word through the general path.
    @inline(__always)
    private func plainWordEnd(from start: Int) -> Int? {
        var j = start + 1
        let n = text.count
        while j < n {
            let byte = text[j]
            if byte >= 0x80 { return nil }
            if asciiClass[Int(byte)] == 0 {
                if byte == UInt8(ascii: "'") { return nil }
                break
            }
            j += 1
        }
        if turkic && UnsafeBufferPointer(rebasing: text[start..<j]).contains(UInt8(ascii: "I")) { return nil }
        return j - start <= Tokenizer.maxTokenBytes ? j : nil
    }

    /// Most words of English text: emitted straight from `text` when already lowercase, else
    /// from a lowercased copy; no per-character state is kept for them.
    private mutating func emitPlainWord(_ range: Range<Int>, _ emit: TokenSink) {
        let word = UnsafeBufferPointer(rebasing: text[range])
        guard word.contains(where: { $0 &- UInt8(ascii: "A") < 26 }) else { return emit(word, range, false) }
        lowered.removeAll(keepingCapacity: true)
        for byte in word { lowered.append(byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte) }
        lowered.withUnsafeBufferPointer { emit($0, range, false) }
    }

    private mutating func wordCharacter(isLetter: Bool, at bytes: Range<Int>,
                                        _ emit: TokenSink,
                                        append: (inout TokenScanner) -> Void) {
        if apostropheWaiting {
            apostropheWaiting = false
            if isLetter { joins.append((token.count, apostropheAt, bytes.lowerBound)) } else { finish(emit) }
        }
        if token.isEmpty { tokenStart = bytes.lowerBound }
        tokenEnd = bytes.upperBound
        if token.count < Tokenizer.maxRawTokenBytes && !droppingSuffix { append(&self) }
        lastWasLetter = isLetter
    }

    private mutating func apostrophe(at offset: Int, _ emit: TokenSink) {
        if turkic && lastWasLetter && !token.isEmpty {
            droppingSuffix = true
        } else if lastWasLetter && !apostropheWaiting && !token.isEmpty {
            apostropheWaiting = true
            apostropheAt = offset
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
            if token.count + width <= Tokenizer.maxRawTokenBytes {
                token.append(contentsOf: UnsafeBufferPointer(start: p, count: width))
            }
        }
    }

    private mutating func finish(_ emit: TokenSink) {
        defer {
            token.removeAll(keepingCapacity: true)
            needsFolding = false
            lastWasLetter = false
            apostropheWaiting = false
            droppingSuffix = false
            joins.removeAll(keepingCapacity: true)
        }
        guard !token.isEmpty else { return }
        if joins.isEmpty {
            emitPiece(0..<token.count, text: tokenStart..<tokenEnd, emit)
            return
        }
        // Pieces between apostrophes; each apostrophe joins or separates its neighbours.
        var groupStart = 0, groupTextStart = tokenStart
        var pieceStart = 0
        for join in joins where join.at < token.count {
            let after = (joins.first { $0.at > join.at }?.at ?? token.count) - join.at
            if !TokenScanner.joins(before: token[pieceStart..<join.at], after: token[join.at..<join.at + after]) {
                emitPiece(groupStart..<join.at, text: groupTextStart..<join.apostrophe, emit)
                groupStart = join.at
                groupTextStart = join.resume
            }
            pieceStart = join.at
        }
        emitPiece(groupStart..<token.count, text: groupTextStart..<tokenEnd, emit)
    }

    static let contractions: [[UInt8]] = [Array("re".utf8), Array("ll".utf8), Array("ve".utf8)]

    /// `before` and `after` are UTF-8 bytes: halves of at least two letters each join, so
    /// letters are counted, not bytes (a one-letter "à" or "Ö", two bytes, had joined:
    /// "jusqu'à" was one word and "O'Brien" two, but "Ö'Brien" one).
    static func joins(before: ArraySlice<UInt8>, after: ArraySlice<UInt8>) -> Bool {
        letters(before) >= 2 && letters(after) >= 2 && !contractions.contains { $0.elementsEqual(after) }
    }

    /// Letters in UTF-8 bytes: scalars (every byte but a continuation byte starts one), less
    /// combining accents (U+0300–U+036F, bytes CC 80 to CD AF), which a decomposed "à" adds.
    static func letters(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        for i in bytes.indices where bytes[i] & 0xC0 != 0x80 {
            let accent = bytes[i] == 0xCC || (bytes[i] == 0xCD && i + 1 < bytes.endIndex && bytes[i + 1] < 0xB0)
            if !accent { count += 1 }
        }
        return count
    }

    private mutating func emitPiece(_ bytes: Range<Int>, text range: Range<Int>,
                                    _ emit: TokenSink) {
        guard !bytes.isEmpty else { return }
        if !needsFolding {  // ASCII: any byte is a character boundary
            let cut = bytes.lowerBound..<min(bytes.upperBound, bytes.lowerBound + Tokenizer.maxTokenBytes)
            token.withUnsafeBufferPointer { emit(UnsafeBufferPointer(rebasing: $0[cut]), range, false) }
            return
        }
        Folding.fold(Array(token[bytes]), keepingDiacritics: keepsDiacritics, into: &folded)
        if !folded.isEmpty { folded.withUnsafeBufferPointer { emit($0, range, false) } }
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

/// Invisible format characters (soft hyphens, joiners, marks of direction) neither belong to
/// a word nor end it, as Unicode's word boundaries have it (UAX #29, rule WB4): "Mit­tel­al­ter"
/// with soft hyphens is "mittelalter". A zero-width space is the exception: it separates.
@inline(__always)
func isInvisibleFormatScalar(_ scalar: UInt32) -> Bool {
    scalar != 0x200B && utf8proc_category(Int32(bitPattern: scalar)).rawValue == UTF8PROC_CATEGORY_CF.rawValue
}

/// Apostrophes as they are typed and as typesetting and transliteration write them: ’ (the
/// typographic one), ‘ (often typed for it, and for the Arabic ayn: "Qa‘ida") and ʼ (the
/// modifier letter, Ukrainian's "мʼясо").
@inline(__always)
func isApostropheScalar(_ scalar: UInt32) -> Bool {
    scalar == 0x2019 || scalar == 0x2018 || scalar == 0x02BC
}

/// Variation selectors and the keycap mark choose how the character before them is drawn,
/// not which it is: "1️⃣" is the digit 1 (it had been indexed as 1 and a selector, which "1"
/// did not find).
@inline(__always)
func isPresentationSelector(_ scalar: UInt32) -> Bool {
    (0xFE00...0xFE0F).contains(scalar) || (0xE0100...0xE01EF).contains(scalar) || scalar == 0x20E3
}

/// Combining marks (Mn, Mc, Me): they extend the character before them.
@inline(__always)
func isMarkScalar(_ scalar: UInt32) -> Bool {
    let c = utf8proc_category(Int32(bitPattern: scalar)).rawValue
    return c == UTF8PROC_CATEGORY_MN.rawValue || c == UTF8PROC_CATEGORY_MC.rawValue || c == UTF8PROC_CATEGORY_ME.rawValue
}

@inline(__always)
func isLetterScalar(_ scalar: UInt32) -> Bool {
    let c = utf8proc_category(Int32(bitPattern: scalar)).rawValue
    return c >= UTF8PROC_CATEGORY_LU.rawValue && c <= UTF8PROC_CATEGORY_ME.rawValue
}
