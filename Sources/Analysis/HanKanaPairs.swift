// Analysis: Chinese and Japanese text, written without spaces between words, as overlapping pairs.
// Owns which characters are paired, how a character and its voicing marks fold, and the pairs' offsets.

/// How an index cuts Chinese and Japanese text into terms. Its format says which
/// (`Format.eastAsianTerms`), since queries must cut their words as the index did.
public enum EastAsianTerms: String, Sendable {
    /// From space or punctuation to the next, as SQLite FTS5's unicode61 does: a word inside a
    /// run is not found. Indexes of format 12, made before pairs, hold this.
    case runs
    /// Every character at its own position, and the pair it begins with the next character
    /// stacked on that position, as Lucene's CJKBigramFilter with unigrams indexes them:
    /// "東京タワー" is 東 京 タ ワ ー at five positions, with 東京 京タ タワ ワー on the first four.
    /// A query cuts a run of two or more characters into its pairs (`QueryForm`), so a word is
    /// the phrase of its pairs and is found anywhere inside a run, and a lone character is
    /// its own term, found wherever it stands.
    case pairs
}

/// The run of paired characters the scanner is in. Characters are folded one at a time
/// (with the voicing marks that follow them, so a decomposed が and a half-width ｶﾞ are the
/// が and ガ of composed text). Each character is emitted once the next one is known, followed
/// by the pair the two make, stacked on its position; the last is emitted alone.
struct HanKanaRun {
    /// The last complete character, folded, not emitted yet, and its bytes in the text.
    private var previous: [UInt8] = []
    private var previousRange = 0..<0
    /// The character being read (raw, with any marks after it) and its bytes in the text.
    private var current: [UInt8] = []
    private var currentRange = 0..<0
    private var folded: [UInt8] = []
    private var pair: [UInt8] = []

    var isOpen: Bool { !current.isEmpty || !previous.isEmpty }

    /// Starts the next character of the run, closing the one before.
    mutating func begin(_ bytes: UnsafeBufferPointer<UInt8>, at range: Range<Int>, _ emit: Tokenizer.TokenSink) {
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

    /// Ends the run with its last character.
    mutating func close(_ emit: Tokenizer.TokenSink) {
        closeCharacter(emit)
        if !previous.isEmpty { previous.withUnsafeBufferPointer { emit($0, previousRange, false) } }
        previous.removeAll(keepingCapacity: true)
    }

    private mutating func closeCharacter(_ emit: Tokenizer.TokenSink) {
        guard !current.isEmpty else { return }
        defer { current.removeAll(keepingCapacity: true) }
        Folding.fold(current, keepingDiacritics: true, into: &folded)
        guard !folded.isEmpty else { return }
        // One character, so that a pair is two: a mark that composes with nothing (a voicing
        // mark after a Han character) or the rare character that folds to two (ゟ, より) keeps
        // its first.
        if let second = folded.indices.dropFirst().first(where: { folded[$0] & 0xC0 != 0x80 }) {
            folded.removeSubrange(second...)
        }
        if !previous.isEmpty {
            previous.withUnsafeBufferPointer { emit($0, previousRange, false) }
            pair.removeAll(keepingCapacity: true)
            pair.append(contentsOf: previous)
            pair.append(contentsOf: folded)
            pair.withUnsafeBufferPointer { emit($0, previousRange.lowerBound..<currentRange.upperBound, true) }
        }
        swap(&previous, &folded)
        previousRange = currentRange
    }
}

/// The tokens of a query as it looks them up: at each position the pair stacked there if any,
/// else the character or word. A run's last character follows its last pair only to hold the
/// place of what comes after ("東京tower" is 東京 京 tower); at the end of the text nothing
/// does, and the pair already implies it ("東京" is 東京 alone, one term, not a phrase).
struct QueryForm {
    private var bytes: [UInt8] = []
    private var tokens: [(end: Int, range: Range<Int>, afterPair: Bool)] = []
    private var lastWasPair = false

    mutating func add(_ token: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, stacked: Bool) {
        if stacked, let last = tokens.popLast() {
            bytes.removeSubrange((tokens.last?.end ?? 0)..<last.end)
            bytes.append(contentsOf: token)
            tokens.append((bytes.count, range, last.afterPair))
            lastWasPair = true
            return
        }
        bytes.append(contentsOf: token)
        tokens.append((bytes.count, range, lastWasPair))
        lastWasPair = false
    }

    func finish(_ emit: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        let kept = tokens.last?.afterPair == true && !lastWasPair ? tokens.count - 1 : tokens.count
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            for t in tokens.prefix(kept) {
                emit(UnsafeBufferPointer(rebasing: all[start..<t.end]), t.range)
                start = t.end
            }
        }
    }
}

/// Han ideographs (with 々 〆 〇, the Suzhou numerals and the radicals, which fold to the
/// ideographs they draw), hiragana and katakana (with the prolonged sound mark and half-width
/// forms): the characters of scripts written without spaces between words. Hangul is not
/// among them: Korean puts spaces between words. Marks belong to the character before them,
/// and the katakana middle dot and other punctuation still separate.
@inline(__always)
func isPairedScalar(_ scalar: UInt32) -> Bool {
    guard isHanKanaBlock(scalar), !isMarkScalar(scalar) else { return false }
    return (0x2E80...0x2FDF).contains(scalar) || isWordScalar(scalar)
}

/// The Unicode blocks `isPairedScalar` takes its characters from.
@inline(__always)
private func isHanKanaBlock(_ scalar: UInt32) -> Bool {
    switch scalar {
    case 0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303B,  // 々 〆 〇, Suzhou numerals
         0x3041...0x309F, 0x30A1...0x30FF, 0x31F0...0x31FF,  // hiragana, katakana
         0x2E80...0x2FDF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,  // radicals, Han
         0xFF66...0xFF9D, 0x20000...0x3FFFF,  // half-width katakana, Han past the first plane
         0x1AFF0...0x1B16F,  // archaic and small kana
         // Kanbun, parenthesized and circled numerals: word characters that fold to Han (㊀ is
         // 一), which left outside had made words that read as pairs (㊀㊀ as 一一).
         0x3192...0x3195, 0x3220...0x3229, 0x3280...0x3289:
        return true
    default:
        return false
    }
}

extension EastAsianTerms {
    /// Whether every character of `text` is one that `pairs` pairs (a query word cut into
    /// pairs, or a lone character, which no pair holds alone).
    public static func isPairedText(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { isPairedScalar($0.value) }
    }

    /// Whether `term` is a pair of characters `pairs` stacks on a position (two of them,
    /// both paired), not a term with a position of its own.
    public static func isPair(_ term: String) -> Bool {
        term.unicodeScalars.count == 2 && isPairedText(term)
    }
}
