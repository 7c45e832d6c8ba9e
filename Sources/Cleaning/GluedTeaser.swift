// GluedTeaser: teaser lists as page dumps render them, each a headline run into its blurb with
// no space between ("...Death Of Student-AthleteA 24-year-old woman..."): the link text and the
// description were separate elements, and the dump joined them.

enum GluedTeaser {
    /// Teasers come in lists: one such line alone may be a brand name in a headline-like line
    /// ("The 15-inch MacBook Pro"), several near each other are a list of teasers.
    static let reach = 4

    /// Flags of the blocks that are glued teasers with another one within `reach` blocks.
    static func find(_ blocks: [PageBlock]) -> [Bool] {
        let glued = blocks.map { $0.elementID == 0 && $0.measure.chars >= 40 && isGlued($0.text) }
        return blocks.indices.map { i in
            glued[i] && (max(0, i - reach)..<min(blocks.count, i + reach + 1)).contains { $0 != i && glued[$0] }
        }
    }

    /// A title-cased phrase of four words or more, then a word with a capital glued to its end,
    /// then at least a short sentence's worth of words: a headline, then its blurb.
    static func isGlued(_ text: String) -> Bool {
        let words = text.split(separator: " ", maxSplits: 40)
        for (i, word) in words.prefix(25).enumerated() where hasGlue(Array(word)) {
            guard i >= 3, words.count - i >= 6 else { return false }
            // A headline is one phrase: a full stop before the glue makes the text prose.
            if words[..<i].contains(where: { $0.last == "." || $0.last == "!" || $0.last == "?" }) { return false }
            let capitalized = words[...i].filter { $0.first.map { $0.isUppercase || $0.isNumber } ?? false }.count
            return capitalized * 10 >= (i + 1) * 7
        }
        return false
    }

    /// "AthleteA", "250,000The", "Rise?Violence": a capital that starts a word inside a word,
    /// after two lower-case letters (not "McDonald", "iPhone"), a digit or closing punctuation.
    private static func hasGlue(_ chars: [Character]) -> Bool {
        guard chars.count >= 3 else { return false }
        for k in 1..<chars.count where chars[k].isUppercase {
            let startsWord = k + 1 == chars.count || chars[k + 1].isLowercase
            let before = chars[k - 1]
            let joined = before.isNumber || "?!\")”".contains(before)
                || (k >= 2 && before.isLowercase && chars[k - 2].isLowercase)
            if startsWord && joined { return true }
        }
        return false
    }
}
