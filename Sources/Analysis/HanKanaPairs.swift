// Analysis: Chinese and Japanese text, written without spaces between words, as overlapping pairs.
// Owns which characters are paired, how a character and its voicing marks fold, and the pairs' offsets.

/// How an index cuts Chinese and Japanese text into terms. Recorded in the index (`meta` key
/// `east-asian`), since queries must cut their words as the index did.
public enum EastAsianTerms: String, Sendable {
    /// From space or punctuation to the next, as SQLite FTS5's unicode61 does: a word inside a
    /// run is not found. Indexes made before pairs were introduced say nothing, and mean this.
    case runs
    /// Overlapping pairs of characters, as Lucene's CJKBigramFilter cuts them: "東京タワー" is
    /// 東京 京タ タワ ワー at consecutive positions, so a word of two or more characters is the
    /// phrase of its pairs and is found anywhere inside a run. A run of one character is that
    /// character alone.
    case pairs
}

/// The run of paired characters the scanner is in. Characters are folded one at a time
/// (with the voicing marks that follow them, so a decomposed が and a half-width ｶﾞ are the
/// が and ガ of composed text); each one after the first closes a pair with the one before.
struct HanKanaRun {
    /// The last complete character, folded, and where its bytes start in the text.
    private var previous: [UInt8] = []
    private var previousStart = 0
    /// The character being read (raw, with any marks after it) and its bytes in the text.
    private var current: [UInt8] = []
    private var currentRange = 0..<0
    private var characters = 0
    private var folded: [UInt8] = []
    private var pair: [UInt8] = []

    var isOpen: Bool { !current.isEmpty || characters > 0 }

    /// Starts the next character of the run, closing the one before.
    mutating func begin(_ bytes: UnsafeBufferPointer<UInt8>, at range: Range<Int>,
                        _ emit: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        closeCharacter(emit)
        current.append(contentsOf: bytes)
        currentRange = range
    }

    /// Whether `scalar` belongs to the character being read: a combining mark, or the
    /// half-width voicing marks, which compose with the kana before them.
    func takes(_ scalar: UInt32) -> Bool {
        !current.isEmpty && (scalar == 0xFF9E || scalar == 0xFF9F || isMarkScalar(scalar))
    }

    mutating func extend(_ bytes: UnsafeBufferPointer<UInt8>, to end: Int) {
        current.append(contentsOf: bytes)
        currentRange = currentRange.lowerBound..<end
    }

    /// Ends the run: a run of one character is emitted alone.
    mutating func close(_ emit: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        closeCharacter(emit)
        if characters == 1 {
            previous.withUnsafeBufferPointer { emit($0, previousStart..<currentRange.upperBound) }
        }
        characters = 0
        previous.removeAll(keepingCapacity: true)
    }

    private mutating func closeCharacter(_ emit: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        guard !current.isEmpty else { return }
        defer { current.removeAll(keepingCapacity: true) }
        Folding.fold(current, keepingDiacritics: true, into: &folded)
        guard !folded.isEmpty else { return }
        if characters > 0 {
            pair.removeAll(keepingCapacity: true)
            pair.append(contentsOf: previous)
            pair.append(contentsOf: folded)
            pair.withUnsafeBufferPointer { emit($0, previousStart..<currentRange.upperBound) }
        }
        swap(&previous, &folded)
        previousStart = currentRange.lowerBound
        characters += 1
    }
}

/// Han ideographs (with the iteration and closing marks 々 〆 〇), hiragana and katakana
/// (with the prolonged sound mark and half-width forms): the letters of scripts written
/// without spaces between words. Hangul is not among them: Korean puts spaces between words.
/// Only letters come here; the katakana middle dot and other punctuation still separate.
@inline(__always)
func isHanKanaScalar(_ scalar: UInt32) -> Bool {
    switch scalar {
    case 0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303B,  // 々 〆 〇, Suzhou numerals
         0x3041...0x309F, 0x30A1...0x30FF, 0x31F0...0x31FF,  // hiragana, katakana
         0x2E80...0x2FDF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,  // radicals, Han
         0xFF66...0xFF9D, 0x20000...0x3FFFF:  // half-width katakana, Han past the first plane
        return true
    default:
        return false
    }
}

extension EastAsianTerms {
    /// Whether every character of `text` is one that `pairs` pairs (a query word cut into
    /// pairs, or a lone character, which no pair holds alone).
    public static func isPairedText(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            isHanKanaScalar($0.value) && isLetterScalar($0.value) && !isMarkScalar($0.value)
        }
    }
}
