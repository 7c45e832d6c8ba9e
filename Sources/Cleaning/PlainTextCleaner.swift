// PlainTextCleaner: cleaning for text without markup (.txt files, JSONL text fields, page dumps):
// blocks, selection, then the title and date, which plain text only shows by position and shape.

enum PlainTextCleaner {
    static func clean(_ text: String, urlHint: String? = nil) -> Article {
        let blocks = TextBlocks.split(text)
        guard !blocks.isEmpty else { return Article(title: "", paragraphs: []) }
        let selection = ContentSelector.selectPlainText(blocks)
        let titleIndex = TitleFinder.plainTextTitle(blocks, selection)
        var decisions: [BlockDecision] = []
        var paragraphs: [String] = []
        decisions.reserveCapacity(blocks.count)
        for i in blocks.indices {
            if i == titleIndex {
                decisions.append(BlockDecision(text: blocks[i].text, kept: true, reason: "title"))
            } else {
                let kept = selection.isKept(i)
                decisions.append(BlockDecision(text: blocks[i].text, kept: kept, reason: selection.reason(i)))
                if kept { paragraphs.append(blocks[i].text) }
            }
        }
        let date = findDate(blocks, near: titleIndex ?? selection.region.lowerBound,
                            language: selection.language, urlHint: urlHint)
        return Article(title: titleIndex.map { blocks[$0].text } ?? "", date: date?.iso,
                       paragraphs: paragraphs, blocks: decisions)
    }

    /// Bylines sit just around the headline; failing that, the URL may carry the date.
    private static func findDate(_ blocks: [PageBlock], near anchor: Int, language: Language?,
                                 urlHint: String?) -> CalendarDate? {
        DateFinder.byline(in: blocks, near: anchor, monthFirst: language == .english)
            ?? urlHint.flatMap { DateFinder.find(inURL: $0) }
    }
}

enum TitleFinder {
    /// A file that opens with a headline and goes straight into the article (seed files, BBC)
    /// has its title on the first line; a full-page dump has it among the lines just before
    /// the article, after the navigation.
    static func plainTextTitle(_ blocks: [PageBlock], _ selection: Selection) -> Int? {
        let start = selection.region.isEmpty ? 0 : selection.region.lowerBound
        // Lines that are furniture by their form alone (a menu, a copyright line) do not open
        // the file: the headline after them does. Nor does a trail of short parts (a
        // breadcrumb, a byline's meta line), which text dumps had taken for the title.
        let opening = blocks.indices.first { BlockClassifier.formVerdict(blocks[$0]) == nil && !blocks[$0].isSeparatedTrail } ?? 0
        if start <= opening + 3 && isTitleShaped(blocks[opening]) && !blocks[opening].isSeparatedTrail { return opening }
        let window = max(0, start - 10)..<min(blocks.count, start + 1)
        var best: Int?
        var bestScore = 0
        for i in window where isTitleShaped(blocks[i]) && !blocks[i].isSeparatedTrail
            && (blocks[i].measure.words >= 3 || blocks[i].measure.wideLetters >= 6) {
            let score = headlineScore(blocks[i]) - (start - i)
            if score > bestScore {
                bestScore = score
                best = i
            }
        }
        return best ?? trailHeadline(blocks)
    }

    /// A headline of a trail's shape ("Brexit / EU / UK talks") when no other line is one: the
    /// file's first line, holding no date (a byline's meta line does). A breadcrumb deeper in
    /// a dump stays no title.
    private static func trailHeadline(_ blocks: [PageBlock]) -> Int? {
        guard let first = blocks.indices.first(where: { BlockClassifier.formVerdict(blocks[$0]) == nil }),
              blocks[first].isSeparatedTrail, isTitleShaped(blocks[first]),
              DateFinder.find(in: blocks[first].text) == nil else { return nil }
        return first
    }

    /// Headlines may end in a full stop only when short; a long sentence is a paragraph.
    static func isTitleShaped(_ b: PageBlock) -> Bool {
        b.looksLikeHeadline && !b.isPlaceholder && (!b.measure.endsLikeSentence || b.measure.words <= 12)
    }

    /// Longer headlines are likelier the article's than section names; sentence-like lines less so.
    private static func headlineScore(_ b: PageBlock) -> Int {
        let m = b.measure
        var score = min(m.words, 14) * 2
        if m.endsLikeSentence { score -= 8 }
        if m.numericWords * 3 > m.words { score -= 8 }
        return score
    }
}
