// BlockClassifier: jusText-style classification of blocks as content or boilerplate, first on
// each block's own measurements, then revised by its neighbours' classes.

struct ClassifierThresholds {
    /// Below this many characters a block is too short to judge alone (jusText's length_low).
    var shortChars = 70
    /// Above this a block with enough stop words is content on its own (jusText's length_high).
    var longChars = 200
    var stopDensityLow = 0.22
    var stopDensityHigh = 0.28
    var maxLinkDensity = 0.35
    /// How far before a good block a short heading may sit and still be kept with it.
    var headingReach = 200
}

enum BlockClassifier {
    static func classify(_ blocks: [PageBlock], language: Language?,
                         thresholds t: ClassifierThresholds = ClassifierThresholds()) -> [Verdict] {
        let repeated = RepeatedLines.find(blocks)
        var verdicts = blocks.indices.map { i in
            initialVerdict(blocks[i], language: language, repeated: repeated[i], t)
        }
        markTeasers(blocks, &verdicts, t)
        markLinkListHeadings(blocks, &verdicts)
        markTablesOfFigures(blocks, &verdicts)
        markLinkedTeasers(blocks, &verdicts, t)
        for (i, glued) in GluedTeaser.find(blocks).enumerated() where glued {
            verdicts[i] = Verdict(quality: .bad, reason: "teaser (headline run into its blurb)")
        }
        promoteProseRuns(blocks, &verdicts, t)
        promoteHeadings(blocks, &verdicts, reach: t.headingReach)
        promoteContainerSiblings(blocks, &verdicts)
        trustArticleBodyMarkup(blocks, &verdicts)
        let furniture = blocks.map {
            $0.markupVeto != nil || $0.isPlaceholder || $0.isCreditInMarkup || FurnitureLabel.matches($0)
                || Byline.matches($0) || StoryReference.matches($0)
        }
        resolveShort(&verdicts, skipping: furniture)
        resolveNearGood(&verdicts, skipping: furniture)
        keepSentencesBetweenContent(blocks, &verdicts)
        return verdicts
    }

    /// Boilerplate by its form alone, whatever surrounds it and even in text that is otherwise
    /// clean: markup furniture, copyright lines, link lists, pipe menus, picture placeholders.
    static func formVerdict(_ b: PageBlock, maxLinkDensity: Double = ClassifierThresholds().maxLinkDensity) -> Verdict? {
        let m = b.measure
        if let veto = b.markupVeto { return Verdict(quality: .bad, reason: veto) }
        if m.words == 0 { return Verdict(quality: .bad, reason: "no words") }
        if m.hasCopyright && m.chars < 300 { return Verdict(quality: .bad, reason: "copyright notice") }
        if b.linkDensity > maxLinkDensity {
            return Verdict(quality: .bad, reason: "link density \(format(b.linkDensity))")
        }
        if b.isPipeMenu { return Verdict(quality: .bad, reason: "pipe-separated menu") }
        if b.isSpacedMenu { return Verdict(quality: .bad, reason: "menu of spaced words") }
        if m.isBracketed { return Verdict(quality: .bad, reason: "image or widget placeholder") }
        if m.isDoubled { return Verdict(quality: .bad, reason: "picture text shown twice") }
        if FurnitureLabel.matches(b) { return Verdict(quality: .bad, reason: "furniture label") }
        if StoryReference.matches(b) { return Verdict(quality: .bad, reason: "reference to another story") }
        return nil
    }

    static func initialVerdict(_ b: PageBlock, language: Language?, repeated: Bool,
                               _ t: ClassifierThresholds) -> Verdict {
        let m = b.measure
        if let verdict = formVerdict(b, maxLinkDensity: t.maxLinkDensity) { return verdict }
        if repeated { return Verdict(quality: .bad, reason: "repeated in page") }
        if b.isCookieNotice { return Verdict(quality: .bad, reason: "cookie notice") }
        if b.isPictureCredit { return Verdict(quality: .bad, reason: "picture credit") }
        if Byline.matches(b) { return Verdict(quality: .bad, reason: "byline or dateline") }
        if b.isSubscriptionPrompt { return Verdict(quality: .bad, reason: "subscription prompt") }
        if b.isTableRow { return Verdict(quality: .short, reason: "table row") }
        if m.chars < t.shortChars {
            if b.linkChars > 0 { return Verdict(quality: .bad, reason: "short link text") }
            return Verdict(quality: .short, reason: "short")
        }
        // Chinese or Japanese text has no stop list to fit: judged by its shape, as on a page
        // with no list, even where the page's other text picks one (a long English quote in a
        // Japanese article had dropped every Japanese paragraph for "few stop words 0.00").
        guard let language, !m.isMostlyWide else { return shapeVerdict(m, t) }
        let density = blockDensity(b, pageLanguage: language, t)
        var verdict: Verdict
        if density >= t.stopDensityHigh {
            verdict = m.chars > t.longChars
                ? Verdict(quality: .good, reason: "prose (stop words \(format(density)))")
                : Verdict(quality: .nearGood, reason: "near prose (stop words \(format(density)))")
        } else if density >= t.stopDensityLow {
            verdict = Verdict(quality: .nearGood, reason: "near prose (stop words \(format(density)))")
        } else {
            return Verdict(quality: .bad, reason: "few stop words \(format(density))")
        }
        if verdict.quality == .good && m.startsWithBullet && m.chars < 2 * t.longChars {
            verdict = Verdict(quality: .nearGood, reason: "list item")
        }
        if verdict.quality == .good && m.sentenceStops == 0 && !m.endsLikeSentence {
            verdict = Verdict(quality: .nearGood, reason: "no sentence punctuation")
        }
        return verdict
    }

    /// A page's language is the one its template and article share most; an article written in
    /// another language than the site around it (a German post in an English blog theme) is
    /// measured with its own list when that list finds it written as prose. HTML only: the
    /// plain-text rules are tuned on the page's language alone.
    private static func blockDensity(_ b: PageBlock, pageLanguage: Language, _ t: ClassifierThresholds) -> Double {
        let own = b.measure.stopDensity(pageLanguage)
        guard b.elementID != 0, own < t.stopDensityLow else { return own }
        let best = Language.allCases.map { b.measure.stopDensity($0) }.max() ?? own
        return best >= t.stopDensityHigh ? best : own
    }

    /// A teaser is a headline line followed by a one-line blurb that does not end its sentence
    /// ("Lena Dunham" / "Her memoirs are honest to the point of making you squirm"); article
    /// paragraphs end with punctuation, even short ones under a subheading. Plain text only.
    private static func markTeasers(_ blocks: [PageBlock], _ v: inout [Verdict], _ t: ClassifierThresholds) {
        for i in blocks.indices.dropFirst() where v[i].quality == .nearGood && v[i - 1].quality == .short {
            let blurb = blocks[i].measure
            let headline = blocks[i - 1]
            // In HTML, link density and markup already tell teasers apart, and more reliably.
            guard blocks[i].elementID == 0 else { continue }
            guard blurb.chars < 3 * t.shortChars, !blurb.endsLikeSentence, !headline.measure.endsLikeSentence,
                  TitleFinder.isTitleShaped(headline) || headline.measure.words == 1 else { continue }
            v[i - 1] = Verdict(quality: .bad, reason: "teaser headline")
            v[i] = Verdict(quality: .bad, reason: "teaser blurb")
        }
    }

    /// "Related coverage", "Read more on our site:" — a few words that do not end a sentence
    /// and sits right above a list of links (two link lines at least: one link alone is a
    /// reference the article gives) is the heading of that list, however article-like its
    /// surroundings. HTML only: plain text does not show links.
    private static func markLinkListHeadings(_ blocks: [PageBlock], _ v: inout [Verdict]) {
        guard blocks.count >= 3 else { return }
        for i in 0..<(blocks.count - 2) where v[i].quality == .short && blocks[i].elementID != 0 {
            let list = blocks[(i + 1)...(i + 2)]
            guard blocks[i].measure.words <= 7, !blocks[i].measure.endsLikeSentence, blocks[i].linkChars == 0,
                  list.allSatisfy({ $0.linkDensity > 0.5 && $0.markupVeto == nil }) else { continue }
            v[i] = Verdict(quality: .bad, reason: "heading of a link list")
        }
    }

    /// A list of stories shows each as a linked headline, perhaps a byline and date, then a short
    /// blurb, then the next linked headline; the blurbs read like prose, but several of them each
    /// between linked headlines are a list of teasers, not an article. HTML only: plain text
    /// does not show links.
    private static func markLinkedTeasers(_ blocks: [PageBlock], _ v: inout [Verdict], _ t: ClassifierThresholds) {
        var blurbs: [Int] = []
        for i in blocks.indices where isLinkedHeadline(blocks[i]) {
            let j = nextUnmarked(after: i, blocks)
            guard j < blocks.count, blocks[j].linkDensity <= t.maxLinkDensity, !blocks[j].isHeading,
                  blocks[j].measure.chars < 2 * t.longChars else { continue }
            let k = nextUnmarked(after: j, blocks)
            if k == blocks.count || isLinkedHeadline(blocks[k]) { blurbs.append(j) }
        }
        guard blurbs.count >= minimumTeasers else { return }
        for j in blurbs where v[j].quality == .good || v[j].quality == .nearGood {
            v[j] = Verdict(quality: .bad, reason: "teaser blurb between linked headlines")
        }
    }

    static let minimumTeasers = 3

    /// The next block that markup does not already mark as furniture (bylines, dates, pictures),
    /// or the next linked headline.
    private static func nextUnmarked(after i: Int, _ blocks: [PageBlock]) -> Int {
        var j = i + 1
        while j < blocks.count && (blocks[j].markupVeto != nil || blocks[j].isPlaceholder) && !isLinkedHeadline(blocks[j]) { j += 1 }
        return j
    }

    /// A teaser card's headline may sit in its own `<header>`, which outside an `<article>`
    /// reads as the page's header: such cards' blurbs had all been kept.
    private static func isLinkedHeadline(_ b: PageBlock) -> Bool {
        b.elementID != 0 && (b.markupVeto == nil || b.markupVeto == MarkupHints.pageHeaderReason)
            && b.linkDensity > 0.8 && b.measure.words >= 3 && b.measure.words <= 25
    }

    /// Standings, results, schedules: a run of text-table rows that are mostly figures is data
    /// the page publishes, not navigation (menus laid out as tables hold words, not figures).
    /// Plain text only; HTML tables are judged cell by cell.
    private static func markTablesOfFigures(_ blocks: [PageBlock], _ v: inout [Verdict]) {
        var i = 0
        while i < blocks.count {
            var j = i
            while j < blocks.count && isRowOfFigures(blocks[j]) { j += 1 }
            if j - i >= minimumTableRows {
                for k in i..<j { v[k] = Verdict(quality: .good, reason: "row of a table of figures") }
            }
            i = max(j, i + 1)
        }
    }

    static let minimumTableRows = 4

    /// Columns spaced out as text dumps render tables, a third of the words figures ("Jr." or
    /// "St." in a name column does not make the row a sentence).
    private static func isRowOfFigures(_ b: PageBlock) -> Bool {
        let m = b.measure
        return b.elementID == 0 && m.columnGaps >= 2 && !m.isBracketed && !m.startsWithBullet
            && m.numericWords >= 2 && m.numericWords * 3 >= m.words
    }

    /// Consecutive prose-like paragraphs that each end their sentences are, together, as much
    /// evidence of an article as one long paragraph: news is often written one sentence a line.
    private static func promoteProseRuns(_ blocks: [PageBlock], _ v: inout [Verdict], _ t: ClassifierThresholds) {
        var i = 0
        while i < blocks.count {
            var run: [Int] = []
            var j = i
            while j < blocks.count {
                if blocks[j].isPlaceholder { j += 1; continue }
                guard v[j].quality == .nearGood, blocks[j].measure.endsLikeSentence else { break }
                run.append(j)
                j += 1
            }
            let chars = run.reduce(0) { $0 + blocks[$1].measure.chars }
            if run.count >= 2 && chars > t.longChars {
                for k in run { v[k] = Verdict(quality: .good, reason: v[k].reason + ", in a run of prose") }
            }
            i = max(j, i + 1)
        }
    }

    /// Without a stop list, prose is recognised by its sentence punctuation and length alone.
    private static func shapeVerdict(_ m: TextMeasure, _ t: ClassifierThresholds) -> Verdict {
        let sentenceLike = m.endsLikeSentence || m.sentenceStops > 0
        if sentenceLike && !m.startsWithBullet {
            return m.chars > t.longChars
                ? Verdict(quality: .good, reason: "prose (sentences, no stop list)")
                : Verdict(quality: .nearGood, reason: "near prose (sentences, no stop list)")
        }
        if m.chars > 2 * t.longChars { return Verdict(quality: .nearGood, reason: "long text, no stop list") }
        return Verdict(quality: .bad, reason: "no sentence punctuation")
    }

    /// Headings are short and stop-word poor, yet belong to the text that follows them.
    private static func promoteHeadings(_ blocks: [PageBlock], _ v: inout [Verdict], reach: Int) {
        for i in blocks.indices where v[i].quality == .short || v[i].quality == .bad {
            guard blocks[i].isHeading, blocks[i].markupVeto == nil, blocks[i].linkDensity < 0.5 else { continue }
            var distance = 0
            var j = i + 1
            while j < blocks.count && distance <= reach {
                if v[j].quality == .good {
                    v[i] = v[i].revised(quality: .nearGood, reason: "heading before content")
                    break
                }
                distance += blocks[j].measure.chars
                j += 1
            }
        }
    }

    /// Paragraphs of one article are siblings in one element: a prose-like block next to a
    /// clear content block in the same container is content too.
    private static func promoteContainerSiblings(_ blocks: [PageBlock], _ v: inout [Verdict]) {
        var contentContainers = Set<Int>()
        for i in blocks.indices where v[i].quality == .good && blocks[i].containerID != 0 {
            contentContainers.insert(blocks[i].containerID)
        }
        guard !contentContainers.isEmpty else { return }
        for i in blocks.indices where v[i].quality == .nearGood && contentContainers.contains(blocks[i].containerID) {
            // Strong evidence, so it counts as the block's own class.
            v[i] = Verdict(quality: .good, reason: v[i].reason + ", beside content in its container")
        }
    }

    /// What the page itself names as its article body is content unless its form says otherwise:
    /// list items, short lines of a recipe or an event agenda, a one-line closing paragraph.
    private static func trustArticleBodyMarkup(_ blocks: [PageBlock], _ v: inout [Verdict]) {
        for i in blocks.indices where blocks[i].inArticleBodyMarkup && blocks[i].markupVeto == nil {
            guard v[i].quality == .short || v[i].quality == .nearGood, blocks[i].linkDensity < 0.5 else { continue }
            v[i] = Verdict(quality: .good, reason: v[i].reason + ", inside the marked article body")
        }
    }

    /// "Read more:", "You may also like" before a list of links or a boxed teaser.
    static func introducesFurniture(_ i: Int, _ blocks: [PageBlock]) -> Bool {
        guard i + 1 < blocks.count else { return false }
        let next = blocks[i + 1]
        return next.markupVeto != nil || next.linkDensity > 0.5
    }

    /// Short blocks take the class of their surroundings (jusText's context step). Blocks that
    /// markup marks as furniture are looked through: an inline "related" box says nothing about
    /// the paragraphs around it.
    private static func resolveShort(_ v: inout [Verdict], skipping furniture: [Bool]) {
        let original = v.map(\.quality)
        for i in v.indices where original[i] == .short {
            let prev = neighbour(original, from: i, step: -1, skipNearGood: true, skipping: furniture)
            let next = neighbour(original, from: i, step: 1, skipNearGood: true, skipping: furniture)
            if prev == .good && next == .good {
                v[i] = v[i].revised(quality: .good, reason: "short, between content")
            } else if prev == .bad && next == .bad {
                v[i] = v[i].revised(quality: .bad, reason: "short, between boilerplate")
            } else {
                let prevAny = neighbour(original, from: i, step: -1, skipNearGood: false, skipping: furniture)
                let nextAny = neighbour(original, from: i, step: 1, skipNearGood: false, skipping: furniture)
                let nearContent = (prev == .bad && prevAny == .nearGood) || (next == .bad && nextAny == .nearGood)
                v[i] = nearContent
                    ? v[i].revised(quality: .good, reason: "short, next to near-content")
                    : v[i].revised(quality: .bad, reason: "short, next to boilerplate")
            }
        }
    }

    private static func resolveNearGood(_ v: inout [Verdict], skipping furniture: [Bool]) {
        let current = v.map(\.quality)
        for i in v.indices where current[i] == .nearGood {
            let prev = neighbour(current, from: i, step: -1, skipNearGood: true, skipping: furniture)
            let next = neighbour(current, from: i, step: 1, skipNearGood: true, skipping: furniture)
            if prev == .bad && next == .bad {
                v[i] = v[i].revised(quality: .bad, reason: v[i].reason + ", between boilerplate")
            } else {
                v[i].quality = .good
            }
        }
    }

    /// A full sentence poor in stop words (a list of place names, a line of figures) inside the
    /// article is still the article's: only its word mix, not its shape, looked like boilerplate.
    private static func keepSentencesBetweenContent(_ blocks: [PageBlock], _ v: inout [Verdict]) {
        let current = v.map(\.quality)
        for i in v.indices where current[i] == .bad && v[i].reason.hasPrefix("few stop words") {
            let m = blocks[i].measure
            guard m.endsLikeSentence, !m.startsWithBullet, blocks[i].linkChars == 0 else { continue }
            if i > 0, i + 1 < v.count, current[i - 1] == .good, current[i + 1] == .good {
                v[i] = v[i].revised(quality: .good, reason: "sentence between content")
            }
        }
    }

    /// The nearest class in one direction, skipping short blocks; the page edge counts as boilerplate.
    private static func neighbour(_ q: [Quality], from i: Int, step: Int, skipNearGood: Bool,
                                  skipping furniture: [Bool]) -> Quality {
        var j = i + step
        while j >= 0 && j < q.count {
            if !furniture[j] && q[j] != .short && !(skipNearGood && q[j] == .nearGood) { return q[j] }
            j += step
        }
        return .bad
    }

    /// Two decimals without Foundation's formatter.
    static func format(_ x: Double) -> String {
        let hundredths = min(100, max(0, Int((x * 100).rounded())))
        if hundredths == 100 { return "1.00" }
        return hundredths < 10 ? "0.0\(hundredths)" : "0.\(hundredths)"
    }
}

extension Verdict {
    /// A new class and reason from context, keeping the block's own initial class.
    func revised(quality: Quality, reason: String) -> Verdict {
        var v = self
        v.quality = quality
        v.reason = reason
        return v
    }
}

/// "Advertisement", "Share", "Anzeige", "Print | Email": a short line made only of the words
/// that label an ad slot or name a button is page furniture wherever it stands, even between
/// two paragraphs (an ad slot left empty by the scrape, share buttons under the lead). Like a
/// picture placeholder it interrupts the article without arguing either way, so the context
/// step and the region look through it.
enum FurnitureLabel {
    static let maximumWords = 4

    static func matches(_ b: PageBlock) -> Bool {
        let m = b.measure
        guard m.words > 0, m.words <= maximumWords, m.numericWords == 0, m.chars < 60 else { return false }
        // Most short lines are menu entries and headings whose first word is no label: told by
        // that word's bytes, before the line is split (asked three times of every block).
        if let first = LineWords.firstASCIIWord(b.text), !labelWords.contains(first) { return false }
        let words = LineWords.lowercased(b.text, keepingDigits: false)
        return !words.isEmpty && words.allSatisfy { words.count > 1 || !ambiguousAlone.contains($0) }
            && words.allSatisfy(labelWords.contains)
    }

    /// Ad labels and button names in the languages with a stop list, and the networks share
    /// buttons name.
    static let labelWords: Set<String> = [
        "advertisement", "advertising", "ad", "ads", "sponsored", "anzeige", "werbung", "publicité", "publicite",
        "publicidad", "anuncio", "pubblicità", "pubblicita", "publicidade", "reklama", "ogłoszenie",
        "share", "sharing", "teilen", "partager", "compartir", "condividi", "compartilhar", "udostępnij",
        "print", "drucken", "imprimer", "imprimir", "stampa", "drukuj", "email", "e", "mail",
        "tweet", "facebook", "twitter", "x", "whatsapp", "linkedin", "pinterest", "reddit", "telegram",
        "this", "article", "story", "on", "via",
    ]

    /// Words of the list that are a label only beside another one ("Print" alone may be a
    /// heading of a story about newspapers; "X" a footnote mark).
    static let ambiguousAlone: Set<String> = ["e", "mail", "x", "this", "article", "story", "on", "via", "print"]
}

/// "RELATED: Ghana cedi hits record low", "Read more: …": a label, a colon and a headline (a
/// capital or a figure first, no end of sentence, no closing bracket or quote) point to another
/// story. In HTML the headline is a link, which link density finds; a text dump keeps the words
/// without the link, and such lines had been kept between the article's paragraphs. Plain text
/// only: in HTML a line without a link after such a label is the article's ("Read more: the
/// full report is on the council's website").
enum StoryReference {
    static func matches(_ b: PageBlock) -> Bool {
        let m = b.measure
        guard b.elementID == 0, m.words >= 3, m.words <= 24, !m.endsLikeSentence,
              let colon = b.text.firstIndex(of: ":") else { return false }
        let label = b.text[..<colon].lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard labels.contains(label) else { return false }
        let headline = b.text[b.text.index(after: colon)...].drop(while: \.isWhitespace)
        guard let first = headline.first, first.isUppercase || first.isNumber,
              let last = headline.last(where: { !$0.isWhitespace }) else { return false }
        return !")]\"'”’»".contains(last)
    }

    /// Labels of links to other stories, in the languages with a stop list.
    static let labels: Set<String> = [
        "related", "related story", "related stories", "related article", "related articles", "related coverage",
        "read more", "read also", "also read", "see also", "more on this story",
        "lees ook", "lees meer", "lesen sie auch", "mehr zum thema", "lire aussi", "à lire aussi", "voir aussi",
        "lea también", "lee también", "leer más", "leggi anche", "leia também", "czytaj także", "czytaj też",
    ]
}

/// The words of a short line, lowercased, split at everything but letters (and digits when
/// kept): ASCII lines by their bytes, others by Characters. Every short line of a page is asked
/// whether it is a label or a comments heading, and splitting Characters had made those
/// questions 10% of the time to index a folder of web pages.
enum LineWords {
    /// The first run of letters, lowercased, when it is ASCII; nil when it is not (or too long
    /// for a label), so the caller must look closer.
    static func firstASCIIWord(_ text: String) -> String? {
        let utf8 = text.utf8
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") && b < 0x80 }
        guard let start = utf8.firstIndex(where: { isLetter($0) || $0 >= 0x80 }), utf8[start] < 0x80 else {
            return utf8.contains { $0 >= 0x80 } ? nil : ""
        }
        let end = utf8[start...].firstIndex { !isLetter($0) } ?? utf8.endIndex
        if end != utf8.endIndex && utf8[end] >= 0x80 { return nil }
        return String(Substring(utf8[start..<end])).lowercased()
    }

    static func lowercased(_ text: String, keepingDigits: Bool) -> [String] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.lowercased().split { !$0.isLetter && !(keepingDigits && $0.isNumber) }.map(String.init)
        }
        func inWord(_ b: UInt8) -> Bool {
            (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
                || keepingDigits && b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
        }
        return text.utf8.split { !inWord($0) }.map { word in String(decoding: word.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self) }
    }
}

/// "By Ann Lee, Health Correspondent", "Published: 16 July 2024", "Posted: 06/10/2024 - Staff
/// reporter": a short line that is no sentence and names the author or the date the page
/// appeared says who wrote the article and when, which is metadata, not the article's text.
/// Bylines and datelines sit among the first paragraphs, where the context step kept them as
/// short lines between content; like a placeholder they are looked through. HTML only: there
/// the byline has its own element; in a text dump a line with a date may be a row of a
/// schedule or a list run into the article (measured: F1 0.905 → 0.899 on zyte-aeb text).
enum Byline {
    /// A dateline is a date and a few words ("Updated", a time, a zone, a name); more is a line
    /// of an agenda or a list that a date opens.
    static let maximumDatelineWords = 9

    static func matches(_ b: PageBlock) -> Bool {
        let m = b.measure
        guard b.elementID != 0, m.chars < ClassifierThresholds().shortChars, !m.endsLikeSentence,
              !m.startsWithBullet, b.linkChars == 0 else { return false }
        return isAuthorLine(b.text, m)
            || (m.words <= maximumDatelineWords && DateFinder.find(in: b.text) != nil && saysWhenPublished(b.text))
    }

    /// A date alone may be the article's own: a timeline's entry ("3 March 2014" over its
    /// paragraph) or a subheading, which had been dropped as datelines. A dateline says it is
    /// one with a word ("Published", "Updated") or the time of day it went out ("06.00 GMT").
    private static func saysWhenPublished(_ text: String) -> Bool {
        let tokens = DateTokens.split(text)
        if tokens.contains(where: { DateFinder.publicationWords.contains($0.text) }) { return true }
        return tokens.indices.contains { i in
            guard i + 2 < tokens.count, tokens[i].isNumber, tokens[i].text.count <= 2,
                  tokens[i + 2].isNumber, tokens[i + 2].text.count == 2 else { return false }
            if tokens[i + 1].text == ":" { return true }
            return tokens[i + 1].text == "." && i + 3 < tokens.count && clockWords.contains(tokens[i + 3].text)
        }
    }

    /// What follows a time of day written with a dot ("06.00 GMT", "9.30am", "18.30 Uhr").
    static let clockWords: Set<String> = ["am", "pm", "a", "p", "gmt", "bst", "utc", "cet", "cest", "est", "edt", "pst", "pdt", "uhr", "h"]

    /// "By" and a name (`DateFinder.namesAnAuthor`), then names: every word capitalized but for
    /// the small words of a title ("of", "and").
    private static func isAuthorLine(_ text: String, _ m: TextMeasure) -> Bool {
        DateFinder.namesAnAuthor(text) && m.capitalizedWords + 2 >= m.words
    }
}

/// Lines that occur more than once in a page are teasers, menus repeated top and bottom,
/// or headline/link pairs; article paragraphs hardly ever repeat verbatim.
enum RepeatedLines {
    /// Short lines that occur twice are all marked; a long paragraph that occurs again (a
    /// caption shown twice, a gallery text) is marked from its second occurrence on. A sentence
    /// does not count its copy in a pull quote, an `<aside>` holding no other sentence (an
    /// attribution line may follow; asides side by side are read as one): it had taken the
    /// article's sentence with it. Labels count every copy ("Social Share" a dozen times in
    /// widgets, once in the body), and so do sentences repeated in other furniture or in an
    /// aside of several (a box of the teasers a list shows again; found by review).
    static func find(_ blocks: [PageBlock]) -> [Bool] {
        let pullQuote = pullQuoteBlocks(blocks)
        var everywhere: [UInt64: Int] = [:], outsidePullQuotes: [UInt64: Int] = [:]
        for (i, b) in blocks.enumerated() where b.measure.words >= 2 {
            everywhere[b.measure.textHash, default: 0] += 1
            if !pullQuote[i] { outsidePullQuotes[b.measure.textHash, default: 0] += 1 }
        }
        var seen = Set<UInt64>()
        return blocks.map { b in
            let copies = isSentence(b) ? outsidePullQuotes : everywhere
            guard b.measure.words >= 2, b.markupVeto == nil, copies[b.measure.textHash, default: 0] > 1 else { return false }
            if b.measure.chars < 200 { return true }
            return !seen.insert(b.measure.textHash).inserted
        }
    }

    private static func isSentence(_ b: PageBlock) -> Bool { b.measure.words >= 6 && b.measure.endsLikeSentence }

    /// The blocks of each run of aside blocks holding exactly one sentence. Runs, not the
    /// blocks' containers: a container is a block's parent, and in a sidebar of teaser cards
    /// each card held one sentence (found by review).
    private static func pullQuoteBlocks(_ blocks: [PageBlock]) -> [Bool] {
        var marked = [Bool](repeating: false, count: blocks.count)
        var i = 0
        while i < blocks.count {
            guard blocks[i].markupVeto == MarkupHints.asideReason else { i += 1; continue }
            var end = i
            while end < blocks.count && blocks[end].markupVeto == MarkupHints.asideReason { end += 1 }
            if blocks[i..<end].filter(isSentence).count == 1 { for j in i..<end { marked[j] = true } }
            i = end
        }
        return marked
    }
}
