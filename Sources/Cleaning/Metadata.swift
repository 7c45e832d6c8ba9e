// Metadata: the title and publication date an HTML page states about itself (Open Graph and
// other meta tags, JSON-LD, <time datetime>, <title>, h1), and how the best of each is chosen.

struct PageMetadata {
    var ogTitle: String?
    var htmlTitle: String?
    var h1Texts: [String] = []
    /// Dates under the standard publication-time names (schema.org's datePublished, Open Graph's
    /// published_time), which win over `metaDates`: the other names are looser (a generic
    /// "date") or a vendor's (sailthru.date, which a page had set days after publishing).
    var standardMetaDates: [String] = []
    var metaDates: [String] = []
    /// JSON-LD datePublished values: the page's own articles' first (`ownArticleDates` of
    /// them), then every one in the scripts' text, which broken JSON still gives.
    var jsonLDDates: [String] = []
    var ownArticleDates = 0
    /// `<time datetime>` values in page order, each with what its class says of it.
    var timeDates: [(value: String, kind: TimeKind)] = []
    var pageURL: String?
    /// og:description or the meta description: sites fill it with the article's opening words.
    var description: String?
    /// The articleBody of each article-typed JSON-LD object: the whole text, for search
    /// engines, of an article the page may render only by script or show only in part.
    var articleBodies: [String] = []
    /// The headline of each article-typed JSON-LD object: an app shell that renders its
    /// article by script may have no other (its <title> the site's name).
    var articleHeadlines: [String] = []
    /// Longer than this, a "headline" is a summary or a whole text: not a title.
    static let longestHeadline = 300

    /// A JSON-LD headline as text: scripts are not parsed as HTML, so its entities and tags
    /// (`Tom &amp; Jerry&#8217;s`, `<b>`) are as written, where a meta tag's content is read.
    /// A "<" that opens no tag ("Shares fall <5%") is a character, kept as one.
    static func headlineText(_ raw: String) -> String {
        guard raw.contains("<") || raw.contains("&") else { return TitleText.collapsed(raw) }
        let opensTag = zip(raw.utf8, raw.utf8.dropFirst()).contains { mark, next in
            mark == UInt8(ascii: "<") && (Character(Unicode.Scalar(next)).isLetter && next < 0x80 || next == UInt8(ascii: "/") || next == UInt8(ascii: "!"))
        }
        let markup = opensTag ? raw : raw.split(separator: "<", omittingEmptySubsequences: false).joined(separator: "&lt;")
        return TitleText.collapsed(MarkupStripper.text(of: Array(markup.utf8)))
    }

    static let publishedDateKeys: Set<String> = [
        "article:published_time", "og:published_time", "og:article:published_time", "article:published",
        "date", "pubdate", "publishdate", "publish-date", "publish_date", "published-date", "dc.date",
        "dc.date.issued", "dcterms.created", "dcterms.date", "dcterms.issued", "sailthru.date",
        "parsely-pub-date", "datepublished", "citation_publication_date", "release_date",
    ]
    static let standardDateKeys: Set<String> = [
        "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    ]

    /// `inFurniture`: an ancestor lists or discusses other stories (an aside, "most read"),
    /// whose <time> dates them: one had dated a page years before its own byline.
    mutating func collect(from e: Element, inFurniture: Bool) {
        switch e.name {
        case "meta": collectMeta(e)
        case "title" where htmlTitle == nil: htmlTitle = TitleText.collapsed(e.textContent)
        case "script" where (e.attribute("type") ?? "").lowercased().contains("ld+json"):
            let json = e.textContent
            let (bodies, headlines, published) = JSONLD.articleValues(in: json)
            // The page's own article's date before any other object's: a WebPage, a list of
            // related stories or an embedded video listed first had dated the page.
            jsonLDDates.insert(contentsOf: published, at: ownArticleDates)
            ownArticleDates += published.count
            jsonLDDates += JSONLD.values(of: "datePublished", in: json)
            articleBodies += bodies
            articleHeadlines += headlines.map(Self.headlineText).filter { !$0.isEmpty && $0.count <= Self.longestHeadline }
        case "time" where !inFurniture:
            if let value = e.attribute("datetime") { timeDates.append((value, TimeKind(e))) }
        case "link" where e.attribute("rel")?.lowercased() == "canonical":
            if pageURL == nil { pageURL = e.attribute("href") }
        default:
            if e.attribute("itemprop")?.lowercased() == "datepublished",
               let value = e.attribute("content") ?? e.attribute("datetime") {
                standardMetaDates.append(value)
            }
        }
    }

    private mutating func collectMeta(_ e: Element) {
        guard let content = e.attribute("content") else { return }
        let key = (e.attribute("property") ?? e.attribute("name") ?? e.attribute("itemprop") ?? "").lowercased()
        if key == "og:title" && ogTitle == nil { ogTitle = TitleText.collapsed(content) }
        if key == "og:url" && pageURL == nil { pageURL = content }
        if (key == "og:description" || key == "description") && description == nil {
            description = TitleText.collapsed(content)
        }
        if PageMetadata.standardDateKeys.contains(key) {
            standardMetaDates.append(content)
        } else if PageMetadata.publishedDateKeys.contains(key) {
            metaDates.append(content)
        }
    }

    mutating func noteH1(_ text: String) {
        let collapsed = TitleText.collapsed(text)
        if !collapsed.isEmpty && h1Texts.count < 8 { h1Texts.append(collapsed) }
    }

    /// An h1 that the og:title, the <title> or the JSON-LD headline repeats is the cleanest
    /// title (no site name); otherwise og:title, then the first h1, then the page's one JSON-LD
    /// article headline (an app shell rendering its article by script may show no other), then
    /// <title> without its site-name suffix.
    var bestTitle: String? {
        let headline = articleHeadlines.first.flatMap { first in articleHeadlines.allSatisfy { $0 == first } ? first : nil }
        let stated = [ogTitle, htmlTitle, headline].compactMap { $0 }.map(TitleText.normalized)
        for h1 in h1Texts {
            let key = TitleText.normalized(h1)
            if !key.isEmpty && stated.contains(where: { $0.contains(key) && key.count * 2 > $0.count }) { return h1 }
        }
        if let ogTitle, !ogTitle.isEmpty { return ogTitle }
        if let h1 = h1Texts.first { return h1 }
        if let headline { return headline }
        return htmlTitle.map(TitleText.withoutSiteName).flatMap { $0.isEmpty ? nil : $0 }
    }

    func date(urlHint: String?, blocks: [PageBlock], near anchor: Int, language: Language?) -> CalendarDate? {
        // 03/04/2019 is read as the page's language writes it, as a byline is.
        let monthFirst = language == .english
        for value in jsonLDDates + standardMetaDates + metaDates + timeDatesByKind {
            if let date = DateFinder.find(in: value, monthFirst: monthFirst) { return date }
        }
        for url in [urlHint, pageURL].compactMap({ $0 }) {
            if let date = DateFinder.find(inURL: url) { return date }
        }
        return DateFinder.byline(in: blocks, near: anchor, monthFirst: monthFirst)
            ?? olderStatedDate(monthFirst: monthFirst)
    }

    /// A `<time>` marked published first, one marked only as an update or modification last:
    /// a page showing "Updated" before "Published" had been dated by its update.
    private var timeDatesByKind: [String] {
        [TimeKind.published, .unmarked, .revised].flatMap { kind in timeDates.filter { $0.kind == kind }.map(\.value) }
    }

    /// A page no date of recent years dates may still state an older one in its head (an
    /// archive's 1987 story): JSON-LD and meta tags only, not a `<time>` in the body (a history
    /// piece's 1969), and not the values of empty fields (1970-01-01, a zero timestamp).
    private func olderStatedDate(monthFirst: Bool) -> CalendarDate? {
        for value in jsonLDDates + standardMetaDates + metaDates {
            guard let date = DateFinder.find(in: value, monthFirst: monthFirst, years: CalendarDate.statedYears),
                  !CalendarDate.placeholders.contains(date) else { continue }
            return date
        }
        return nil
    }
}

/// What a `<time>` element's class words (microformats' `published` and `updated`, themes'
/// `pubdate` and `modified`), its schema.org `itemprop` or HTML's old `pubdate` attribute say it
/// dates. WordPress themes mark their one publication time "entry-date published updated", and
/// some only "updated": a time marked both counts as published, and one marked updated alone
/// still dates a page that has no other.
enum TimeKind {
    case published, unmarked, revised

    static let publishedWords: Set<String> = ["published", "pubdate", "date-published", "published-date", "datepublished"]
    static let revisedWords: Set<String> = ["updated", "modified", "date-updated", "date-modified", "updated-date",
                                            "modified-date", "datemodified"]

    init(_ e: Element) {
        let words = Set(((e.attribute("class") ?? "") + " " + (e.attribute("itemprop") ?? "")).lowercased()
            .split(whereSeparator: { $0.isWhitespace }).map(String.init))
        if !words.isDisjoint(with: Self.publishedWords) || e.attribute("pubdate") != nil {
            self = .published
        } else if !words.isDisjoint(with: Self.revisedWords) {
            self = .revised
        } else {
            self = .unmarked
        }
    }
}

public enum TitleText {
    /// One line: runs of white space (line breaks too) as one space, none at either end.
    public static func collapsed(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Lowercased letters and digits only, for comparing titles written with different punctuation.
    static func normalized(_ s: String) -> String {
        String(String.UnicodeScalarView(s.lowercased().unicodeScalars.filter {
            $0.properties.isAlphabetic || ($0.value >= 48 && $0.value <= 57)
        }))
    }

    /// "Headline | Site" and "Headline - Site" → "Headline": the site name is the shorter side.
    static func withoutSiteName(_ title: String) -> String {
        for separator in [" | ", " - ", " – ", " — ", " :: ", " · "] {
            let parts = title.split(separator: separator, omittingEmptySubsequences: true)
            guard parts.count >= 2 else { continue }
            return String(parts.max { $0.count < $1.count }!)
        }
        return withoutEastAsianSiteName(title)
    }

    /// Chinese sites join the site name with "_" ("标题_新华网"), Japanese ones with a full-width
    /// bar, unspaced, after the headline. Only a headline in those scripts loses what follows
    /// its last such mark (an English "snake_case tips" keeps its words), whichever side is
    /// longer ("東京で大雪｜NHKニュース").
    private static func withoutEastAsianSiteName(_ title: String) -> String {
        guard let mark = title.lastIndex(where: { $0 == "_" || $0 == "｜" }) else { return title }
        let headline = title[..<mark], site = title[title.index(after: mark)...]
        guard headline.unicodeScalars.contains(where: TextBlocks.writtenUnspaced), !site.isEmpty, site.count <= 20 else { return title }
        return String(headline)
    }
}

/// Just enough JSON-LD reading to find string values by key, without a JSON parser.
enum JSONLD {
    static func values(of key: String, in json: String) -> [String] {
        var found: [String] = []
        var rest = json[...]
        let quotedKey = "\"" + key + "\""
        while let keyRange = rest.firstRange(of: quotedKey) {
            rest = rest[keyRange.upperBound...].drop { $0 == " " || $0 == ":" || $0.isWhitespace }
            guard rest.first == "\"" else { continue }
            let value = rest.dropFirst().prefix { $0 != "\"" }
            found.append(String(value))
            rest = rest.dropFirst(value.count + 1)
        }
        return found
    }
}

extension JSONLD {
    /// schema.org types whose articleBody is the page's own article (not a review or a recipe).
    static let articleTypes: Set<String> = ["NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle"]

    /// The articleBody strings of article-typed objects anywhere in one script (top level,
    /// `@graph`, `mainEntity`...), and the headlines and publication dates of the page's own
    /// (not a list's items); none when the script is not JSON.
    static func articleValues(in json: String) -> (bodies: [String], headlines: [String], published: [String]) {
        var reader = JSONReader(Array(json.utf8))
        guard let document = reader.document() else { return ([], [], []) }
        var bodies: [String] = [], headlines: [String] = [], published: [String] = []
        document.collectArticleValues(of: "articleBody", into: &bodies)
        document.collectArticleValues(of: "headline", ownOnly: true, into: &headlines)
        document.collectArticleValues(of: "datePublished", ownOnly: true, into: &published)
        return (bodies, headlines, published)
    }
}
