// ContentSelector: the format-independent decision of which blocks are the article: language
// choice, block classification, then the article region, with a reason for every block.

struct Selection {
    /// nil when the page is in a language without a stop list.
    var language: Language?
    var verdicts: [Verdict]
    var region: Range<Int>

    func isKept(_ i: Int) -> Bool {
        region.contains(i) && verdicts[i].quality == .good
    }

    func reason(_ i: Int) -> String {
        let verdict = verdicts[i]
        if verdict.quality != .good || region.contains(i) { return verdict.reason }
        return i < region.lowerBound ? "before article start" : "after article end"
    }
}

enum ContentSelector {
    static func select(_ blocks: [PageBlock]) -> Selection {
        let language = dominantLanguage(blocks)
        var thresholds = ClassifierThresholds(scaledFor: blocks)
        var verdicts = BlockClassifier.classify(blocks, language: language, thresholds: thresholds)
        if !verdicts.contains(where: { $0.quality == .good }) {
            // A page of short paragraphs only (a product blurb, a list post) has no block long enough
            // to anchor the article; its best prose-like blocks anchor it instead.
            thresholds.longChars = thresholds.shortChars
            verdicts = BlockClassifier.classify(blocks, language: language, thresholds: thresholds)
        }
        let region = ArticleRegion.find(blocks, verdicts)
        return Selection(language: language, verdicts: verdicts, region: region)
    }

    /// Below this share of words, no stop list fits the page (Russian, Japanese...).
    static let minimumStopWordShare = 0.08

    /// The language whose stop words occur most often, if any list fits the page at all.
    static func dominantLanguage(_ blocks: [PageBlock]) -> Language? {
        var totals = SIMD8<Int32>()
        var words = 0
        for b in blocks {
            totals &+= b.measure.stopHits
            words += b.measure.words
        }
        var best = Language.english
        for language in Language.allCases where totals[language.rawValue] > totals[best.rawValue] {
            best = language
        }
        let share = Double(totals[best.rawValue]) / Double(max(words, 1))
        return share >= minimumStopWordShare ? best : nil
    }
}
