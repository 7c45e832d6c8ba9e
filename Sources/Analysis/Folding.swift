// Analysis: Unicode folding of one token (case folding, compatibility forms, diacritics removed).
// Owns the calls into utf8proc, kept off the ASCII fast path, and which marks count as diacritics.
import CUTF8Proc
#if canImport(Glibc)
import Glibc
#endif

enum Folding {
    /// Case-folds and applies compatibility forms, then (unless `keepingDiacritics`) removes
    /// diacritics: "Ça" becomes "ca", "ß" becomes "ss", "ﬁ" becomes "fi". The result is composed
    /// (NFC). Marks that are letters of their script (Indic vowel signs, kana voicing) stay.
    static func fold(_ token: [UInt8], keepingDiacritics: Bool = false, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        let caseFold = UTF8PROC_STABLE.rawValue | UTF8PROC_COMPAT.rawValue | UTF8PROC_CASEFOLD.rawValue
        let mapped: Bool = token.withUnsafeBufferPointer { buf in
            if keepingDiacritics { return map(buf, caseFold | UTF8PROC_COMPOSE.rawValue, into: &out) }
            var decomposed: [UInt8] = []
            guard map(buf, caseFold | UTF8PROC_DECOMPOSE.rawValue, into: &decomposed) else { return false }
            return composeWithoutDiacritics(decomposed, into: &out)
        }
        if !mapped {
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: token)
        }
        // Folding can produce separators (compatibility forms such as "½" become "1/2").
        out.removeAll { $0 < 0x80 && !isASCIIWordByte($0) }
        cutToTokenLength(&out)
    }

    /// Cuts `bytes` to `Tokenizer.maxTokenBytes` at a character boundary (a cut inside a
    /// character had left a broken UTF-8 sequence in the term).
    static func cutToTokenLength(_ bytes: inout [UInt8]) {
        guard bytes.count > Tokenizer.maxTokenBytes else { return }
        var cut = Tokenizer.maxTokenBytes
        while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        bytes.removeSubrange(cut...)
    }

    /// `text` (already folded, as a stem of a folded word is) without its diacritics.
    static func strippingDiacritics(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var decomposed: [UInt8] = []
        guard map(text, UTF8PROC_STABLE.rawValue | UTF8PROC_DECOMPOSE.rawValue, into: &decomposed),
              composeWithoutDiacritics(decomposed, into: &out) else {
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: text)
            return
        }
    }

    /// Drops the diacritics of decomposed text and composes the rest.
    private static func composeWithoutDiacritics(_ decomposed: [UInt8], into out: inout [UInt8]) -> Bool {
        var kept: [UInt8] = []
        kept.reserveCapacity(decomposed.count)
        var i = 0
        decomposed.withUnsafeBufferPointer { buf in
            while i < buf.count {
                var cp: Int32 = 0
                let width = utf8proc_iterate(buf.baseAddress! + i, buf.count - i, &cp)
                guard width > 0 else { break }
                if let plain = unstroked(cp) {
                    kept.append(contentsOf: plain.utf8)
                } else if !isDiacritic(cp) {
                    kept.append(contentsOf: buf[i..<i + width])
                }
                i += width
            }
        }
        return kept.withUnsafeBufferPointer { map($0, UTF8PROC_STABLE.rawValue | UTF8PROC_COMPOSE.rawValue, into: &out) }
    }

    private static func map(_ text: UnsafeBufferPointer<UInt8>, _ options: UInt32, into out: inout [UInt8]) -> Bool {
        var result: UnsafeMutablePointer<UInt8>?
        let length = utf8proc_map(text.baseAddress, text.count, &result, utf8proc_option_t(rawValue: options))
        guard length >= 0, let result else { return false }
        defer { free(result) }
        out.append(contentsOf: UnsafeBufferPointer(start: result, count: length))
        return true
    }

    /// Accents and points written over letters that stay the same letter without them: the
    /// general combining diacritics (Latin, Greek, Cyrillic), Hebrew points and Arabic vowel
    /// marks. Not every combining mark: Devanagari and Tamil vowel signs and kana voicing marks
    /// are parts of the letters they follow, and dropping them ("दिल" heart, "दाल" lentils, both
    /// "दल") had made different words one.
    static func isDiacritic(_ cp: Int32) -> Bool {
        switch cp {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F: return true
        case 0x0591...0x05C7: return true  // Hebrew cantillation and vowel points
        case 0x0610...0x061A, 0x064B...0x065F, 0x0670, 0x06D6...0x06ED: return true  // Arabic marks
        default: return false
        }
    }

    /// Letters whose mark is drawn into them, so Unicode has no decomposition to strip: "Łódź"
    /// and "Diyarbakır" are written Lodz and Diyarbakir in English news, and were not found so.
    /// Lowercase only: folding has lowercased the word by then (and made "ŀ" its compatibility
    /// form "l·", so that letter never comes here). A switch, not a dictionary: the first
    /// `[Int32: String]` a process builds has the runtime search every conformance record of the
    /// binary for `Int32: Hashable` (a search snippeting a text with an "ø" in it paid that), and
    /// a switch needs no hashing per letter.
    static func unstroked(_ cp: Int32) -> String? {
        switch cp {
        case 0x0142: return "l"
        case 0x00F8: return "o"
        case 0x0111, 0x00F0: return "d"
        case 0x0127: return "h"
        case 0x0167: return "t"
        case 0x0131: return "i"
        case 0x00E6: return "ae"
        case 0x0153: return "oe"
        case 0x00FE: return "th"
        default: return nil
        }
    }

    @inline(__always)
    static func isASCIIWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A)
    }
}
