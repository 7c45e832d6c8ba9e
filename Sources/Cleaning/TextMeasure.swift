// TextMeasure: the numbers taken from one block's text (length, words, stop words per language,
// sentence punctuation, bullets, pipes), computed in one pass over the UTF-8 bytes.

struct TextMeasure {
    /// Length in the unit of jusText's thresholds, which were set on alphabetic text: a
    /// character, except that a Chinese, Japanese or Korean one counts for more (`ScriptDensity`).
    var chars = 0
    /// Letters of Chinese, Japanese or Korean (`ScriptDensity` weight over 1): a run of them
    /// is one word to `words`, which counts what spaces and punctuation separate.
    var wideLetters = 0
    var words = 0
    /// Stop-word hits per `Language` (lane = raw value).
    var stopHits = SIMD8<Int32>()
    var capitalizedWords = 0
    var numericWords = 0
    /// ". ", "! ", "? " after a letter or closing bracket/quote: sentences, not abbreviations in numbers.
    var sentenceStops = 0
    var endsLikeSentence = false
    var pipes = 0
    var startsWithBullet = false
    /// "[image alt]" lines, what text dumps leave of pictures and form widgets.
    var isBracketed = false
    var hasCopyright = false
    /// "cookie" or "cookies" in any case: the word consent banners cannot avoid.
    var mentionsCookies = false
    /// "subscribe" or "newsletter(s)": the words of sign-up prompts.
    var mentionsSubscription = false
    /// The same text twice in a row: a picture's alternative text and title.
    var isDoubled = false
    /// Runs of three or more spaces inside the text: columns of a table rendered as text.
    var columnGaps = 0
    /// Case-folded hash of the text's letters and digits, to find lines repeated in a page (with or
    /// without a list bullet, whatever their punctuation) without building keys.
    var textHash: UInt64 = 0

    /// Chinese, Japanese or Korean letters, more than twice the words (in which each run of
    /// them counts once): text no stop list measures.
    var isMostlyWide: Bool { wideLetters > 2 * words }

    func stopDensity(_ language: Language) -> Double {
        words == 0 ? 0 : Double(stopHits[language.rawValue]) / Double(words)
    }

    init() {}

    init(_ text: String) {
        var copy = text
        copy.withUTF8 { self = TextMeasure.measure($0) }
    }

    private static func measure(_ bytes: UnsafeBufferPointer<UInt8>) -> TextMeasure {
        var m = TextMeasure()
        var scanner = WordScanner()
        var i = 0
        var firstScalar = true
        var lastVisible: ScalarKind = .space
        var previousVisible: ScalarKind = .space
        var spaceRun = 0
        let asciiKinds = ScalarKind.asciiKinds
        while i < bytes.count {
            let (kind, width) = bytes[i] < 0x80 ? (asciiKinds[Int(bytes[i])], 1) : ScalarKind.classify(bytes, at: i)
            if kind == .letter && width >= 3 {
                let weight = ScriptDensity.weight(bytes, at: i, width: width)
                m.chars += weight
                if weight > 1 {
                    m.wideLetters += 1
                    // Chinese and Japanese put no space after a full stop: the next letter
                    // ends the sentence before it ("…报道。记者…"), as a space does elsewhere.
                    if lastVisible == .sentenceStop && previousVisible.endsWord { m.sentenceStops += 1 }
                }
            } else if kind != .continuation {
                m.chars += 1
            }
            if kind == .space {
                spaceRun += 1
                if spaceRun == 3 && !firstScalar { m.columnGaps += 1 }
                scanner.finish(into: &m)
                if lastVisible == .sentenceStop && previousVisible.endsWord { m.sentenceStops += 1 }
            } else {
                spaceRun = 0
                if firstScalar {
                    m.startsWithBullet = kind == .bullet || isASCIIBullet(bytes, at: i)
                    m.isBracketed = bytes[i] == UInt8(ascii: "[")
                }
                firstScalar = false
                switch kind {
                case .letter, .digit:
                    for k in i..<(i + width) { scanner.add(bytes[k], digit: kind == .digit) }
                    if width == 1 {
                        // Most of a block is runs of ASCII letters: take the rest of the run in
                        // one loop, with the effect of the general step for each byte.
                        var j = i + 1
                        var last = kind, beforeLast = lastVisible
                        while j < bytes.count && bytes[j] < 0x80 {
                            let next = asciiKinds[Int(bytes[j])]
                            guard next == .letter || next == .digit else { break }
                            scanner.add(bytes[j], digit: next == .digit)
                            beforeLast = last
                            last = next
                            j += 1
                        }
                        m.chars += j - i - 1
                        previousVisible = j - i > 1 ? beforeLast : lastVisible
                        lastVisible = last
                        i = j
                        continue
                    }
                default:
                    scanner.finish(into: &m)
                }
                if kind == .pipe { m.pipes += 1 }
                if kind == .copyright { m.hasCopyright = true }
                previousVisible = lastVisible
                lastVisible = kind
            }
            i += width
        }
        scanner.finish(into: &m)
        if lastVisible == .sentenceStop && previousVisible.endsWord { m.sentenceStops += 1 }
        m.endsLikeSentence = lastVisible == .sentenceStop
            || (lastVisible == .closer && previousVisible == .sentenceStop)
        if m.isBracketed { m.isBracketed = lastVisible == .closer && bytes.last == UInt8(ascii: "]") }
        m.isDoubled = isDoubled(bytes)
        return m
    }

    /// "Shy owlShy owl", "Pear jam Pear jam": the same short text twice, as a dump shows a
    /// picture's alternative text next to its title. Long text that repeats itself is not a
    /// caption and is judged as text. (The bytes are trimmed: blocks are.)
    private static func isDoubled(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        guard n >= 6 && n <= 2 * maximumCaptionBytes else { return false }
        let half = n / 2
        let second = n % 2 == 0 ? half : half + 1
        if n % 2 == 1 && bytes[half] != UInt8(ascii: " ") { return false }
        for k in 0..<half where bytes[k] != bytes[second + k] { return false }
        return true
    }

    static let maximumCaptionBytes = 300

    /// "* item", "- item", "+ item": ASCII list markers followed by a space.
    private static func isASCIIBullet(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let b = bytes[i]
        guard b == UInt8(ascii: "*") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") else { return false }
        return i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: " ")
    }
}

/// Accumulates one word's hash and shape while scanning.
private struct WordScanner {
    static let cookieHash = WordHasher.hash("cookie")
    static let cookiesHash = WordHasher.hash("cookies")
    static let subscriptionHashes: Set<UInt64> = Set(["subscribe", "newsletter", "newsletters", "unsubscribe"].map(WordHasher.hash))
    /// The lookup tables, fetched once per block: global lets are checked for initialisation
    /// on every access, which shows at one access per word.
    let stopWords = StopWords.table
    let hitVectors = WordScanner.hitVectors
    let cookieHashes = (WordScanner.cookieHash, WordScanner.cookiesHash)
    let subscriptionHashes = WordScanner.subscriptionHashes
    /// Language mask → one hit in each masked lane.
    static let hitVectors: [SIMD8<Int32>] = (0..<256).map { mask in
        var v = SIMD8<Int32>()
        for lane in 0..<8 where mask & (1 << lane) != 0 { v[lane] = 1 }
        return v
    }

    var hasher = WordHasher()
    var length = 0
    var digits = 0
    var firstByte: UInt8 = 0
    var secondByte: UInt8 = 0

    @inline(__always)
    mutating func add(_ byte: UInt8, digit: Bool) {
        if length == 0 { firstByte = byte } else if length == 1 { secondByte = byte }
        hasher.add(byte)
        length += 1
        if digit { digits += 1 }
    }

    mutating func finish(into m: inout TextMeasure) {
        guard length > 0 else { return }
        m.words += 1
        m.textHash = (m.textHash ^ hasher.value) &* 0x0000_0100_0000_01B3
        let mask = stopWords.mask(forHash: hasher.value)
        if mask != 0 { m.stopHits &+= hitVectors[Int(mask)] }
        if digits == length { m.numericWords += 1 }
        if hasher.value == cookieHashes.0 || hasher.value == cookieHashes.1 { m.mentionsCookies = true }
        if length >= 9 && subscriptionHashes.contains(hasher.value) { m.mentionsSubscription = true }
        let asciiCapital = firstByte >= 0x41 && firstByte <= 0x5A
        let latinCapital = firstByte == 0xC3 && secondByte >= 0x80 && secondByte <= 0x9E
        if asciiCapital || latinCapital { m.capitalizedWords += 1 }
        hasher = WordHasher()
        length = 0
        digits = 0
    }
}

/// What one Unicode scalar is, as far as block measuring cares; decided from its UTF-8 bytes
/// without decoding to `Character` (grapheme breaking would dominate the cost).
enum ScalarKind {
    case space, letter, digit, sentenceStop, closer, pipe, bullet, copyright, punctuation, continuation

    var endsWord: Bool { self == .letter || self == .digit || self == .closer }

    @inline(__always)
    static func classify(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (ScalarKind, Int) {
        let lead = b[i]
        if lead < 0x80 { return (ascii(lead), 1) }
        if lead < 0xC0 { return (.continuation, 1) }
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard i + width <= b.count else { return (.punctuation, b.count - i) }
        let second = b[i + 1]
        if lead == 0xC2 { return (latin1Symbol(second), 2) }
        if lead == 0xE2 { return (generalPunctuation(second, b[i + 2]), 3) }
        if lead == 0xE3 && second == 0x80 { return (cjkPunctuation(b[i + 2]), 3) }
        if lead == 0xEF && second == 0xBC { return (fullwidthForm(b[i + 2]), 3) }
        if lead == 0xEF && second == 0xBB && b[i + 2] == 0xBF { return (.space, 3) }  // BOM
        if lead == 0xEF && second == 0xBF && b[i + 2] == 0xBD { return (.punctuation, 3) }  // U+FFFD
        return (.letter, width)
    }

    static let asciiKinds: [ScalarKind] = (0...127).map { classifyASCII(UInt8($0)) }

    @inline(__always)
    private static func ascii(_ c: UInt8) -> ScalarKind {
        asciiKinds.withUnsafeBufferPointer { $0[Int(c)] }
    }

    private static func classifyASCII(_ c: UInt8) -> ScalarKind {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .digit
        case 0...0x20, 0x7F: return .space
        case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"): return .sentenceStop
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "]"): return .closer
        case UInt8(ascii: "|"): return .pipe
        default: return .punctuation
        }
    }

    /// U+3000–U+303F: the ideographic space, full stop and brackets.
    private static func cjkPunctuation(_ third: UInt8) -> ScalarKind {
        switch third {
        case 0x80: return .space
        case 0x82: return .sentenceStop  // 。
        case 0x89, 0x8B, 0x8D, 0x8F, 0x91, 0x95, 0x97, 0x99, 0x9B: return .closer  // 〉》」』】〕〗〙〛
        default: return .punctuation
        }
    }

    /// U+FF00–U+FF3F: the full-width forms Chinese and Japanese text punctuates with (！？．),
    /// digits and capitals.
    private static func fullwidthForm(_ third: UInt8) -> ScalarKind {
        switch third {
        case 0x81, 0x8E, 0x9F: return .sentenceStop  // ！．？
        case 0x89, 0xBD: return .closer  // ）］
        case 0x90...0x99: return .digit
        case 0xA1...0xBA: return .letter
        default: return .punctuation
        }
    }

    /// U+0080–U+00BF: no-break space, « », ©, ·, ¿ ¡ and the like.
    private static func latin1Symbol(_ second: UInt8) -> ScalarKind {
        switch second {
        case 0xA0: return .space
        case 0xA9: return .copyright
        case 0xB7: return .bullet
        case 0xBB: return .closer
        default: return second >= 0xC0 ? .letter : .punctuation
        }
    }

    /// U+2000–U+2BFF: spaces, dashes, quotes, bullets, arrows, box drawing, geometric shapes.
    private static func generalPunctuation(_ second: UInt8, _ third: UInt8) -> ScalarKind {
        switch second {
        case 0x80:
            if third <= 0x8B || third == 0xAF { return .space }
            if third == 0xA2 || third == 0xA3 { return .bullet }
            if third == 0xA6 { return .sentenceStop }  // …
            if third == 0x99 || third == 0x9D || third == 0xBA { return .closer }
            return .punctuation
        case 0x81: return third == 0x9F ? .space : .punctuation
        case 0x96, 0x97: return .bullet  // ■ □ ▪ ● ◦ and other shapes lists are drawn with
        case 0x80...0xAF: return .punctuation
        default: return .letter
        }
    }
}

/// How many characters of alphabetic text one character of a script says as much as, so that
/// length thresholds set on alphabets (jusText's 70 and 200) fit every script: a Chinese or
/// Japanese ideograph writes a morpheme and a Hangul block a whole syllable of up to four
/// letters, 3 each; a kana writes a syllable of one or two letters, 2. A sentence of Chinese or
/// Korean then measures about what its English translation does (Korean's spaces count 1).
/// Scripts that spell words letter by letter (Thai, Devanagari, Cyrillic) count 1, like Latin,
/// however many bytes their characters take.
enum ScriptDensity {
    /// The weight of the letter of `width` UTF-8 bytes at `i`.
    @inline(__always)
    static func weight(_ b: UnsafeBufferPointer<UInt8>, at i: Int, width: Int) -> Int {
        let lead = b[i], second = b[i + 1]
        if width == 4 { return lead == 0xF0 && second >= 0xA0 && second <= 0xAF ? 3 : 1 }  // U+20000–U+2FFFF
        switch lead {
        case 0xE3:
            if second >= 0x81 && second <= 0x83 { return 2 }  // U+3040–U+30FF: kana
            return second >= 0x90 ? 3 : 1  // ideographs from U+3400
        case 0xE4...0xE9: return 3  // U+4000–U+9FFF: unified ideographs
        case 0xEA: return second >= 0xB0 ? 3 : 1  // Hangul syllables from U+AC00
        case 0xEB, 0xEC: return 3
        case 0xED: return second < 0x9F ? 3 : 1  // to U+D7AF
        case 0xEF: return second >= 0xA4 && second <= 0xAB ? 3 : 1  // compatibility ideographs
        default: return 1
        }
    }
}
