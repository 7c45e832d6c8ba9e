// ContentSelector: the format-independent decision of which blocks are the article: language
// choice, block classification, then the article region, with a reason for every block.

struct Selection {
    /// nil when the page is in a language without a stop list.
    var language: Language?
    var verdicts: [Verdict]
    var region: Range<Int>
    /// Further stretches of content cut off from the main one by boilerplate.
    var secondaryRegions: [Range<Int>] = []
    /// Content blocks outside the region that share the article's element (HTML only).
    var widened: Set<Int> = []
    /// A heading that announces the readers' comments ("3 Comments"), after which nothing is the
    /// article's, however much it reads like prose or however the markup names it.
    var commentsHeading: Int?

    func isKept(_ i: Int) -> Bool {
        if let end = commentsHeading, i >= end { return false }
        return widened.contains(i) || (verdicts[i].quality == .good && inRegion(i))
    }

    func inRegion(_ i: Int) -> Bool {
        region.contains(i) || secondaryRegions.contains { $0.contains(i) }
    }

    func reason(_ i: Int) -> String {
        let verdict = verdicts[i]
        if let end = commentsHeading, i >= end {
            return i == end ? "heading of the comments" : verdict.reason + ", after the comments heading"
        }
        if widened.contains(i) { return verdict.reason + ", inside the article element" }
        if verdict.quality != .good || inRegion(i) { return verdict.reason }
        return i < region.lowerBound ? "before article start" : "after article end"
    }
}

enum ContentSelector {
    static func select(_ blocks: [PageBlock]) -> Selection {
        let language = dominantLanguage(blocks)
        var thresholds = ClassifierThresholds()
        let selection = select(blocks, language: language, thresholds)
        let kept = keptChars(selection, blocks)
        guard kept < thresholds.longChars else { return selection }
        // A page of short paragraphs only (a product blurb, a recipe, a video's description) has
        // no block long enough to anchor the article, or only one in a box the markup drops;
        // its best prose-like blocks (by a lower length and stop-word bar) anchor it instead.
        thresholds.longChars = thresholds.shortChars
        thresholds.stopDensityHigh = thresholds.stopDensityLow
        let fallback = select(blocks, language: language, thresholds)
        let best = keptChars(fallback, blocks) > kept ? fallback : selection
        return blocks.indices.contains { best.isKept($0) && !blocks[$0].isHeading } ? best
            : ShortProse.selection(blocks, language: language, thresholds, otherwise: best)
    }

    private static func keptChars(_ selection: Selection, _ blocks: [PageBlock]) -> Int {
        blocks.indices.reduce(0) { $0 + (selection.isKept($1) ? blocks[$1].measure.chars : 0) }
    }

    private static func select(_ blocks: [PageBlock], language: Language?, _ thresholds: ClassifierThresholds) -> Selection {
        var verdicts = BlockClassifier.classify(blocks, language: language, thresholds: thresholds)
        let regions = ArticleRegion.findAll(blocks, verdicts)
        for region in regions { keepSentencesInside(region, blocks, &verdicts) }
        if language != nil { dropUnfinishedLinesOutsideParagraphs(regions, blocks, &verdicts) }
        return Selection(language: language, verdicts: verdicts, region: regions[0],
                         secondaryRegions: Array(regions.dropFirst()),
                         commentsHeading: CommentsHeading.find(blocks, after: firstParagraph(regions[0], verdicts)))
    }

    /// The article's first paragraph that is prose on its own evidence: a comment count in the
    /// byline above it ("12 comments") does not end an article that has not begun.
    private static func firstParagraph(_ region: Range<Int>, _ v: [Verdict]) -> Int {
        region.first { v[$0].quality == .good && v[$0].initial == .good } ?? region.lowerBound
    }

    /// Inside the article's stretch, a line that reads as a finished sentence on its own (a
    /// one-line paragraph between pictures, "He declined to comment.") is the article's, even
    /// where its neighbours' classes argued against it.
    private static func keepSentencesInside(_ region: Range<Int>, _ blocks: [PageBlock], _ v: inout [Verdict]) {
        for i in region where v[i].quality == .bad && (v[i].initial == .nearGood || v[i].initial == .short) {
            let b = blocks[i]
            // Three words, or six Chinese or Japanese letters (a run of them is one word).
            guard b.measure.endsLikeSentence, !endsInAppeal(b.text), b.measure.words >= 3 || b.measure.wideLetters >= 6,
                  !b.measure.startsWithBullet,
                  b.linkChars == 0, b.markupVeto == nil, !b.isPlaceholder else { continue }
            v[i] = v[i].revised(quality: .good, reason: v[i].reason + ", a sentence inside the article")
        }
    }

    /// "Enjoyed the article? Share it!", "Visit our shop!": a line alone that ends in an
    /// exclamation or a question addresses the reader; the article's own one-line paragraphs
    /// state something.
    private static func endsInAppeal(_ text: String) -> Bool {
        let last = text.unicodeScalars.last { !"\"'”’»)".unicodeScalars.contains($0) }
        return last == "!" || last == "?"
    }

    /// The article runs from its first paragraph to its last: short lines before or after them
    /// that do not finish a sentence ("More on this topic", "Share:", a section name, a teaser
    /// headline) were kept only for their neighbours' sake and belong to the page around the
    /// article. Plain text only: in HTML, the markup already separates these. Only where a stop
    /// list fits the page: without one, paragraphs are told by length alone and make poor
    /// landmarks.
    private static func dropUnfinishedLinesOutsideParagraphs(_ regions: [Range<Int>], _ blocks: [PageBlock],
                                                             _ v: inout [Verdict]) {
        let inRegions = { (i: Int) in regions.contains { $0.contains(i) } }
        let isParagraph = { (i: Int) in inRegions(i) && v[i].quality == .good && v[i].initial == .good }
        guard let first = blocks.indices.first(where: isParagraph),
              let last = blocks.indices.last(where: isParagraph) else { return }
        for i in blocks.indices where (i < first || i > last) && inRegions(i) {
            guard v[i].quality == .good, v[i].initial == .short, blocks[i].elementID == 0,
                  !blocks[i].measure.endsLikeSentence else { continue }
            let side = i < first ? "before the first" : "after the last"
            v[i] = v[i].revised(quality: .bad, reason: v[i].reason + ", an unfinished line \(side) paragraph")
        }
    }

    /// Text that shows none of the marks page furniture leaves in plain text (list bullets, pipe
    /// menus, picture placeholders, copyright lines, repeated lines) is taken to be already clean:
    /// only blocks that are boilerplate by their form are dropped, the rest is kept whole, tables
    /// and one-paragraph abstracts included. A page that ends in an unfinished tail (see
    /// `UnfinishedTail`) is not clean, marks or not. A counted comments heading ("3 Comments",
    /// "Reader comments") still ends the article: one-word "Reply" lines and dated lines show no
    /// furniture mark, and a dump's readers' comments had been kept whole. A bare "Comments" line
    /// in such text is likelier a subheading (a review's page lost the paragraphs under one).
    static func selectCleanText(_ blocks: [PageBlock]) -> Selection? {
        let repeated = RepeatedLines.find(blocks)
        var marks = 0
        for i in blocks.indices where showsFurniture(blocks[i], repeated: repeated[i]) {
            marks += 1
            if marks >= furnitureMarksForPage { return nil }
        }
        let language = dominantLanguage(blocks)
        if UnfinishedTail.find(blocks, language: language) != nil { return nil }
        let verdicts = blocks.map { block -> Verdict in
            let formVerdict = BlockClassifier.formVerdict(block)
            return formVerdict ?? Verdict(quality: .good, reason: "clean text (no page furniture found)")
        }
        let firstParagraph = blocks.indices.first { verdicts[$0].quality == .good && blocks[$0].measure.endsLikeSentence } ?? 0
        let heading = CommentsHeading.find(blocks, after: firstParagraph).flatMap { CommentsHeading.isCounted(blocks[$0]) ? $0 : nil }
        return Selection(language: language, verdicts: verdicts, region: blocks.indices, commentsHeading: heading)
    }

    static let furnitureMarksForPage = 2

    /// Plain text: kept whole when it is already clean, else selected block by block; blocks
    /// dropped from an unfinished tail say so.
    static func selectPlainText(_ blocks: [PageBlock]) -> Selection {
        if let clean = selectCleanText(blocks) { return clean }
        var selection = select(blocks)
        if let tail = UnfinishedTail.find(blocks, language: selection.language) {
            let note = ", in the \(tail.count) unfinished lines after the last paragraph"
            for i in tail where !selection.isKept(i) { selection.verdicts[i].reason += note }
        }
        return selection
    }

    private static func showsFurniture(_ b: PageBlock, repeated: Bool) -> Bool {
        let m = b.measure
        return m.startsWithBullet || b.isPipeMenu || b.isSpacedMenu || m.isBracketed || m.hasCopyright || b.isCookieNotice
            || (repeated && m.words >= 2 && m.numericWords == 0)  // tables repeat lines of figures
    }

    /// Below this share of words, no stop list fits the page (Russian, Japanese...).
    static let minimumStopWordShare = 0.08

    /// The language whose stop words occur most often, if any list fits the page at all.
    static func dominantLanguage(_ blocks: [PageBlock]) -> Language? {
        var totals = SIMD8<Int32>()
        var words = 0
        for b in blocks {
            totals &+= b.measure.stopHits
            // A run of Chinese or Japanese letters is one of `words`: counted so, a Chinese page
            // with one English sentence ("It is the best.") had its stop words at 19% of the page
            // and every Chinese paragraph dropped for having none. Each letter counts here.
            words += b.measure.words + b.measure.wideLetters
        }
        var best = Language.english
        for language in Language.allCases where totals[language.rawValue] > totals[best.rawValue] {
            best = language
        }
        let share = Double(totals[best.rawValue]) / Double(max(words, 1))
        return share >= minimumStopWordShare ? best : nil
    }
}

/// Readers' comments are prose like the article's and come right after it, often in markup with
/// no furniture word at all (or a "post-body" class, as every post of a forum has). The heading
/// that opens them says what they are: a count or "Reader(s)" with the word for comments or
/// responses ("3 Comments", "Reader responses", "Kommentare (12)"), or the word for comments alone.
enum CommentsHeading {
    /// Longer lines are sentences that mention comments, not headings.
    static let maximumWords = 4

    /// The first such heading after `start` (the article's first paragraph), if any.
    static func find(_ blocks: [PageBlock], after start: Int) -> Int? {
        blocks.indices.first { $0 > start && isCommentsHeading(blocks[$0]) }
    }

    /// In HTML it must be a heading: a "Comments" label in an action bar mid-article had
    /// ended the article there. Plain text has no headings to tell.
    static func isCommentsHeading(_ b: PageBlock) -> Bool {
        guard b.isHeading || b.elementID == 0 else { return false }
        guard b.linkChars == 0, b.measure.words <= maximumWords, !b.measure.endsLikeSentence else { return false }
        // A heading of comments opens with a count, "Reader(s)" or the word for comments: told
        // by the first word's bytes before the line is split (plain text asks it of every line).
        if let first = LineWords.firstASCIIWord(b.text), !first.isEmpty, !readerWords.contains(first),
           !commentWords.contains(first), !responseWords.contains(first),
           !(b.text.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? false) {
            return false
        }
        let words = LineWords.lowercased(b.text, keepingDigits: true)
        guard words.contains(where: { commentWords.contains($0) || responseWords.contains($0) }) else { return false }
        let counted = words.contains { $0.allSatisfy(\.isNumber) || readerWords.contains($0) }
        return words.allSatisfy { word in
            word.allSatisfy(\.isNumber) || readerWords.contains(word) || commentWords.contains(word)
                || (counted && responseWords.contains(word))
        }
    }

    /// Whether a comments heading counts them or names their readers ("3 Comments", "Reader
    /// comments"), not the word alone.
    static func isCounted(_ b: PageBlock) -> Bool {
        LineWords.lowercased(b.text, keepingDigits: true).contains { $0.allSatisfy(\.isNumber) || readerWords.contains($0) }
    }

    /// Words that name a comment section on their own, in the languages with a stop list.
    static let commentWords: Set<String> = [
        "comment", "comments", "kommentar", "kommentare", "leserkommentare", "commentaire", "commentaires",
        "comentario", "comentarios", "commento", "commenti", "comentário", "comentários", "komentarz",
        "komentarze", "komentarzy",
    ]
    /// Words that name comments only with a count or "readers" beside them: a heading
    /// "Response" alone may be the article's ("The government's response").
    static let responseWords: Set<String> = [
        "response", "responses", "reply", "replies", "reaction", "reactions", "antworten", "reaktionen",
        "réponse", "réponses", "réaction", "réactions", "respuesta", "respuestas", "risposta", "risposte",
        "resposta", "respostas", "odpowiedź", "odpowiedzi",
    ]
    static let readerWords: Set<String> = [
        "reader", "readers", "leser", "lecteur", "lecteurs", "lector", "lectores", "lettore", "lettori",
        "leitor", "leitores", "czytelnik", "czytelników", "czytelnicy",
    ]
}

/// The end of a scraped page that carries no marks of furniture may still be furniture: after
/// the article's last paragraph come video links, section names alone on a line, teaser
/// headlines with one-line blurbs, job ads and a numbered "most read" list, none of them a
/// finished sentence. An already clean text ends with its last paragraph, a table of figures or,
/// at most, a short list; a long run of unfinished lines after the last paragraph, among them
/// lines that read as prose yet stop without punctuation (teaser blurbs), is the boundary
/// between an article and the page around it.
enum UnfinishedTail {
    /// At least this many unfinished lines after the last paragraph...
    static let minimumLines = 8
    /// ...making up at least this share of the blocks after it...
    static let minimumShare = 0.75
    /// ...of which at least this many read as prose without a final stop. Lists of names,
    /// fixtures, rankings and nominees (BBC) and tables of figures (Reuters) have none or one.
    static let minimumUnfinishedProse = 2
    static let proseWords = 8

    /// The blocks after the last paragraph when they are such a tail, else nil.
    static func find(_ blocks: [PageBlock], language: Language?,
                     thresholds t: ClassifierThresholds = ClassifierThresholds()) -> Range<Int>? {
        var start = blocks.count
        while start > 0 && !isParagraph(blocks[start - 1], t) { start -= 1 }
        guard start > 0 else { return nil }  // no paragraph at all: nothing to cut a tail from
        let tail = start..<blocks.count
        var unfinished = 0
        var prose = 0
        for i in tail where isUnfinishedLine(blocks[i], t) {
            unfinished += 1
            if readsAsProse(blocks[i].measure, language: language, t) { prose += 1 }
        }
        guard unfinished >= minimumLines, Double(unfinished) >= minimumShare * Double(tail.count),
              prose >= minimumUnfinishedProse else { return nil }
        return tail
    }

    /// A finished paragraph: long, or ending its sentence and longer than a line of a list.
    private static func isParagraph(_ b: PageBlock, _ t: ClassifierThresholds) -> Bool {
        let m = b.measure
        return m.chars >= t.longChars || (m.endsLikeSentence && m.chars >= t.shortChars)
    }

    /// A line shorter than a paragraph that does not end a sentence ("1. " of a numbered list
    /// may open it), not a line of figures.
    private static func isUnfinishedLine(_ b: PageBlock, _ t: ClassifierThresholds) -> Bool {
        let m = b.measure
        return m.words > 0 && m.chars < t.longChars && !m.endsLikeSentence && m.numericWords * 3 <= m.words
    }

    /// Written like a sentence, though it does not end like one: enough words, mostly in lower
    /// case and with their share of stop words. Names, titles, places and figures are not.
    private static func readsAsProse(_ m: TextMeasure, language: Language?, _ t: ClassifierThresholds) -> Bool {
        guard m.words >= proseWords, m.capitalizedWords * 3 <= m.words, m.numericWords <= 1 else {
            return false
        }
        guard let language else { return true }
        return m.stopDensity(language) >= t.stopDensityLow
    }
}

/// A page whose every paragraph is a line or two (a short news item, a brief notice): no block
/// is long enough to anchor the article even at the lower bar, and jusText's context step,
/// which counts the page's edges as boilerplate, then drops them all, leaving the title alone.
/// Its longest run of sentences is the article instead: blocks that end like a sentence, hold
/// no links and (where a stop list fits the page) enough stop words, with headings between
/// them passed over; two or more, or the page's only text.
enum ShortProse {
    static func selection(_ blocks: [PageBlock], language: Language?, _ t: ClassifierThresholds,
                          otherwise: Selection) -> Selection {
        guard let run = longestRun(blocks, language: language, t) else { return otherwise }
        var selection = otherwise
        for i in run where isSentence(blocks[i], language: language, t) {
            selection.verdicts[i] = selection.verdicts[i].revised(quality: .good, reason: "a sentence of the page's only prose")
        }
        selection.region = run
        selection.secondaryRegions = []
        return selection
    }

    private static func longestRun(_ blocks: [PageBlock], language: Language?, _ t: ClassifierThresholds) -> Range<Int>? {
        var best: (range: Range<Int>, sentences: Int)?
        var start: Int?, sentences = 0
        for i in blocks.indices {
            if isSentence(blocks[i], language: language, t) {
                if start == nil { (start, sentences) = (i, 0) }
                sentences += 1
                if sentences > best?.sentences ?? 0 { best = (start! ..< i + 1, sentences) }
            } else if !blocks[i].isHeading {
                start = nil
            }
        }
        let texts = blocks.filter { !$0.isHeading && $0.measure.words > 0 }.count
        guard let best, best.sentences >= 2 || texts == 1 else { return nil }
        return best.range
    }

    private static func isSentence(_ b: PageBlock, language: Language?, _ t: ClassifierThresholds) -> Bool {
        let m = b.measure
        guard m.endsLikeSentence, m.words >= 3, b.linkChars == 0, b.markupVeto == nil, !b.isHeading,
              !m.startsWithBullet, !b.isPlaceholder, !m.hasCopyright, !b.isCookieNotice else { return false }
        return language.map { m.stopDensity($0) >= t.stopDensityLow } ?? true
    }
}
