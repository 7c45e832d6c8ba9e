// PageBlock: one block of a page (a line, a paragraph or an HTML block element) with what the
// classifier needs to know about it, whatever format it came from.

struct PageBlock {
    var text: String
    var measure: TextMeasure
    /// Characters of the text that sat inside links (HTML only).
    var linkChars = 0
    var isHeading = false
    /// Set when markup alone marks the block as page furniture (nav, footer, class "share").
    var markupVeto: String?
    /// Inside <article>, <main> or an element marked as the article body.
    var inArticleMarkup = false
    /// Inside the element the page names as the article body (itemprop=articleBody, "entry-content").
    var inArticleBodyMarkup = false
    /// Element that holds the block, so blocks sharing a container can be told apart (HTML only).
    var containerID = 0
    /// The innermost block element holding the text (HTML only).
    var elementID = 0

    init(text: String) {
        self.text = text
        self.measure = TextMeasure(text)
    }

    /// Picture placeholders and captions shown twice, empty lines and table rows: they interrupt an article without
    /// arguing either way.
    var isPlaceholder: Bool {
        measure.isBracketed || measure.isDoubled || measure.words == 0 || isTableRow
    }

    /// "━━━━━━━━━━", "----------": a divider line as text dumps draw <hr> (plain text only).
    var isRule: Bool {
        elementID == 0 && measure.words == 0 && measure.chars >= 10 && !measure.isBracketed
    }

    /// A line with columns spaced out, as text dumps render HTML tables (plain text only).
    /// Table cells hold figures and names, not sentences; a line with sentences and wide gaps
    /// is prose with a sidebar column beside it.
    var isTableRow: Bool {
        elementID == 0 && measure.columnGaps >= 1 && measure.sentenceStops == 0 && !measure.startsWithBullet
    }

    /// "Home | News | Sport": short items between pipes. A long text with a couple of pipes in
    /// it (statistics, a title separator) is not a menu.
    var isPipeMenu: Bool {
        measure.pipes >= 2 && measure.pipes * 40 > measure.chars
    }

    /// "Home › News › Local", "Startseite » Games", "Gunter Frank / 22.04.2020 / 06:15 / Foto: Achgut.com":
    /// three or more short parts, two with letters, between one separator spaced on both sides.
    /// Breadcrumb trails and a byline's meta line, which text dumps had taken for the title; a
    /// headline is seldom so ("Brexit / EU / UK talks"), so one is still taken when no other
    /// line can be the title (`TitleFinder`).
    var isSeparatedTrail: Bool {
        guard measure.chars <= 150 else { return false }
        for separator in PageBlock.trailSeparators where text.contains(separator) {
            let parts = text.split(separator: separator, omittingEmptySubsequences: false)
            let short = parts.allSatisfy { part in
                let words = part.split(whereSeparator: { $0.isWhitespace }).count
                return words >= 1 && words <= 4 && part.count <= 40
            }
            // Figures alone between '>' are arithmetic, not a trail.
            return short && parts.count >= 3 && parts.count(where: { $0.contains { $0.isLetter } }) >= 2
        }
        return false
    }

    static let trailSeparators = [" › ", " » ", " > ", " >> ", " / ", " → "]

    /// "首页 本地 民生 视频 直播": four or more runs of Chinese or Japanese characters, none over
    /// four, with spaces between. Prose in those scripts leaves no space between its words, so
    /// spaced short runs are a menu's entries, as pipes are in a dump.
    var isSpacedMenu: Bool {
        guard measure.chars < 200, measure.words >= 4 else { return false }
        let runs = text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" })
        return runs.count >= 4 && runs.allSatisfy { run in
            run.unicodeScalars.count <= 4 && run.unicodeScalars.allSatisfy(TextBlocks.writtenUnspaced)
        }
    }

    /// "Foto: Christof Stache", "Photo by Kirk Irwin/Getty Images", "Image 2 of 5": a short
    /// line that opens by naming a picture credits or counts pictures; captions say what is in
    /// the picture instead.
    var isPictureCredit: Bool {
        guard measure.chars < 100, measure.words <= 12 else { return false }
        let firstWord = text.prefix(16).lowercased().prefix { $0.isLetter }
        return PageBlock.pictureWords.contains(String(firstWord))
    }

    /// In HTML, a picture credit sits between paragraphs as the picture it credits does (a
    /// slideshow article: picture, credit, paragraph, picture...): it interrupts the article
    /// without counting against it. In a text dump a credit line gives no such sure sign of a
    /// picture, so there it still counts as boilerplate.
    var isCreditInMarkup: Bool {
        elementID != 0 && isPictureCredit
    }

    /// Markup marks the block as a list or discussion of other stories (an aside, "most read",
    /// comments): a date there is theirs.
    var isAboutOtherStories: Bool {
        markupVeto.map(MarkupHints.namesOtherStories) ?? false
    }

    /// A picture's placeholder, credit or caption (HTML): what stands between a headline and the
    /// text it heads when the article opens with a picture.
    var isPictureFurniture: Bool {
        isPlaceholder || isCreditInMarkup || markupVeto == "figure caption" || markupVeto == "class \"caption\""
    }

    static let pictureWords: Set<String> = [
        "foto", "fotos", "photo", "photos", "bild", "image", "picture", "credit", "credits", "crédits", "fot", "zdjęcie",
    ]

    /// Cookie and consent notices read like prose but belong to no article.
    var isCookieNotice: Bool {
        measure.chars < 600 && measure.mentionsCookies
    }

    /// "Subscribe to our newsletter": sign-up prompts are short, name what they sell and quote
    /// no figures (unlike "a rights offering to subscribe for 1.1 mln shares").
    var isSubscriptionPrompt: Bool {
        measure.chars < 300 && measure.mentionsSubscription && measure.numericWords == 0
    }

    var linkDensity: Double {
        measure.chars == 0 ? 0 : Double(linkChars) / Double(measure.chars)
    }

    /// A line that reads like a headline: a handful of words without closing punctuation.
    var looksLikeHeadline: Bool {
        let m = measure
        // A Chinese or Japanese headline is often one run of letters, one "word".
        return (m.words >= 2 || m.wideLetters >= 4) && m.words <= 30 && m.chars <= 250 && !m.startsWithBullet
            && !m.isBracketed && !isPipeMenu && !isSpacedMenu && m.sentenceStops <= 1 && !m.hasCopyright
    }
}

/// jusText's four classes: long prose, prose-like, too short to judge alone, boilerplate.
enum Quality: Equatable {
    case good, nearGood, short, bad
}

struct Verdict {
    var quality: Quality
    var reason: String
    /// The class from the block's own measurements, before its neighbours were considered.
    var initial: Quality

    init(quality: Quality, reason: String) {
        self.quality = quality
        self.reason = reason
        self.initial = quality
    }
}
