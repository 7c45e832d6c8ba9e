// HTMLCleanerTests: DOM rules on invented pages: tag semantics, class hints, link density,
// metadata titles and dates.
import XCTest
@testable import Cleaning

final class HTMLCleanerTests: XCTestCase {
    private let story = [
        "The harbour authority said on Monday that the old ferry terminal will be demolished in the autumn, and that a new building with a covered waiting room is planned for the same site.",
        "Residents who use the ferry every day told the council that the current terminal is cold in winter and that the ticket machines are often out of order for weeks at a time.",
    ]

    private func page(head: String = "", body: String) -> [UInt8] {
        Array("<!DOCTYPE html><html><head><meta charset=utf-8>\(head)</head><body>\(body)</body></html>".utf8)
    }

    private var storyHTML: String { story.map { "<p>\($0)</p>" }.joined() }

    /// Runs of Unicode white space and no-break spaces collapse to one space, as a browser shows
    /// them; a zero-width space is no white space, and combining marks stay on their letter.
    /// A gallery whose captions the text alone cannot tell from furniture: the <footer>'s legal
    /// notice had been taken as the article, its veto lifted as a wrapper's, and printed alone.
    /// Outside an <article> that holds prose of its own, a veto wraps no article.
    func testAFooterOutsideTheArticleNeverBecomesIt() {
        let figures = (1...4).map { i in
            "<figure><div>\(i) / 4</div><img src=\"\(i).jpg\"><figcaption>Boat number \(i) of the regatta crossed the bay in the "
                + "late afternoon light while the crowd on the harbour wall cheered. <span>Photo: Ola Berg</span></figcaption></figure>"
        }.joined()
        let intro = "The regatta came back to the bay on Sunday after four years, and hundreds watched from the wall."
        let closing = "The club said it would hold the race again next summer if the weather allowed it."
        let legal = "Everything on this site, including words, pictures and video, is protected by copyright and may not be "
            + "copied, sent on or used in any other way without written permission from the publisher, who takes no "
            + "responsibility for the content of other websites linked from these pages or for any loss that follows."
        let body = "<article><h1>In pictures: the regatta is back</h1><p>\(intro)</p>\(figures)<p>\(closing)</p></article>"
            + "<footer><ul><li><a href=\"/a\">About</a></li><li><a href=\"/p\">Privacy</a></li></ul><p>\(legal)</p></footer>"
        let article = Cleaner.clean(page(body: body), kind: .html)
        XCTAssertFalse(article.body.contains("copyright"), article.body)
        XCTAssertTrue(article.paragraphs.contains(intro) && article.paragraphs.contains(closing), "\(article.paragraphs)")
    }

    /// A class word outside the <article> elements is still lifted as a wrapper's: a theme's
    /// "content-sidebar-wrap" holds the article and <article> elements hold teasers (a first
    /// version of the footer rule had printed the teasers instead).
    /// An AMP page's ad slot between paragraphs holds placeholder and fallback text, which had
    /// been kept between them ("Ad failed to load", short between content).
    func testAMPAdSlotsBetweenParagraphsAreNoText() {
        let slot = #"<amp-ad width="300" height="250" type="doubleclick"><div placeholder>Advertisement</div><div fallback>Ad failed to load</div></amp-ad>"#
        let body = "<article><h1>Ferry terminal to close</h1><p>\(story[0])</p>\(slot)<p>\(story[1])</p></article>"
        let article = Cleaner.clean(page(body: body), kind: .html)
        XCTAssertEqual(article.paragraphs, story)
        XCTAssertFalse(article.blocks.contains { $0.text.contains("Ad failed") || $0.text.contains("Advertisement") })
    }

    func testAWrapperClassOutsideTeaserArticlesStillHoldsTheArticle() {
        let teasers = (1...3).map { "<article><h2><a href=\"/t\($0)\">Teaser \($0)</a></h2><p>A short summary of another story number \($0) that runs on for a few words.</p></article>" }.joined()
        let body = "<div class=\"content-sidebar-wrap\"><h1>Ferry terminal</h1>\(storyHTML)</div>\(teasers)"
        let article = Cleaner.clean(page(body: body), kind: .html)
        XCTAssertEqual(article.paragraphs, story, "\(article.paragraphs)")
    }

    func testWhiteSpaceCollapsesAsABrowserShowsIt() {
        let spaced = story[0].replacingOccurrences(of: " the ", with: " \u{00A0}the\u{2003}\u{3000} ")
            .replacingOccurrences(of: " a ", with: "\n\t a\u{0085}\u{2028} ")
        let marked = "Café\u{200B}terrace e\u{0301}tage " + story[1]
        let body = "<article><p>\(spaced)</p><p>  \(marked)  </p></article>"
        let paragraphs = Cleaner.clean(page(body: body), kind: .html).paragraphs
        XCTAssertEqual(paragraphs, [story[0], "Café\u{200B}terrace e\u{0301}tage " + story[1]])
    }

    /// A news brief of one-line paragraphs has no block long enough to anchor the article, and
    /// the context step, which counts the page's edges as boilerplate, had dropped them all: the
    /// page was indexed by its title alone. Its run of sentences is the article; a lone line of
    /// prose is a page's only text; links and menus around them stay out, and a page of links
    /// keeps nothing.
    func testAPageOfShortParagraphsKeepsItsSentences() {
        let lines = ["A mother has told of her terror after a fox got into her home.",
                     "The animal crept in through an open back door on Sunday night.",
                     "She found it curled up asleep on the sofa next to her cat.",
                     "The fox was eventually coaxed out with a piece of chicken."]
        let brief = "<nav><a href=/>Home</a> <a href=/news>News</a></nav><article><h1>Fox found asleep on sofa</h1>"
            + lines.map { "<p>\($0)</p>" }.joined() + "</article><p><a href=/more>More stories from the area</a></p>"
        XCTAssertEqual(Cleaner.clean(page(body: brief), kind: .html).paragraphs, lines)
        let lone = "<p>Plain page with text here and more words to keep.</p>"
        XCTAssertEqual(Cleaner.clean(page(body: lone), kind: .html).paragraphs, ["Plain page with text here and more words to keep."])
        let links = "<ul><li><a href=/a>Sport results from the weekend.</a></li><li><a href=/b>Weather for the week ahead.</a></li></ul>"
        XCTAssertEqual(Cleaner.clean(page(body: links), kind: .html).paragraphs, [])
        let menu = "<p>Home</p><p>Contact us</p><p>Terms of use</p>"
        XCTAssertEqual(Cleaner.clean(page(body: menu), kind: .html).paragraphs, [])
    }

    /// Chinese and Japanese paragraphs have no stop list to fit: an English sentence or quote
    /// on the page had chosen English's, and every Chinese or Japanese paragraph went for "few
    /// stop words 0.00". A paragraph of full stops without spaces after them is sentences, and
    /// a one-line closing sentence is the article's too.
    func testChineseAndJapaneseParagraphsBesideEnglishAreKept() {
        let chinese = ["北京大学今天宣布，新的研究中心将在海淀区成立。该中心专注于人工智能与数据科学研究。",
                       "校长在发布会上表示，中心将与国内外多所高校合作，培养更多优秀人才。",
                       "据悉，该中心首期投资五亿元，预计明年投入使用。记者张三报道。"]
        let withSentence = "<h1>北京大学新闻</h1><p>\(chinese[0])</p><p>\(chinese[1])</p><p>It is the best.</p><p>\(chinese[2])</p>"
        XCTAssertEqual(Cleaner.clean(page(body: withSentence), kind: .html).paragraphs.filter { $0 != "It is the best." }, chinese)
        let japanese = ["東京大学は本日、新しい研究センターを設立すると発表した。センターは人工知能の研究に取り組む。",
                        "学長は記者会見で、国内外の大学と協力して人材を育成すると述べた。",
                        "同センターは来年春に開所する予定だ。"]
        let quote = "\"We are very excited about this partnership and what it means for the future of research,\" said the director."
        let withQuote = "<h1>東京大学ニュース</h1><p>\(japanese[0])</p><p>\(japanese[1])</p><p>\(quote)</p><p>\(japanese[2])</p>"
        XCTAssertEqual(Cleaner.clean(page(body: withQuote), kind: .html).paragraphs, [japanese[0], japanese[1], quote, japanese[2]])
        let unfinished = chinese[0] + chinese[2] + "另有消息称中心负责人为李四教授"
        XCTAssertEqual(Cleaner.clean(page(body: "<h1>新闻</h1><p>\(unfinished)</p>"), kind: .html).paragraphs, [unfinished])
    }

    func testFurnitureIsDroppedByTagClassAndLinks() {
        let body = """
        <header><a href=/>Harbour News</a></header><nav><ul><li><a href=/n>News</a></li><li><a href=/s>Sport</a></li></ul></nav>
        <article><h1>Old ferry terminal to be demolished</h1>\(storyHTML)
        <div class="share-buttons">Share this story with your friends and family on every network you use</div>
        <script>var tracking = "the script text must never appear in the article";</script>
        <style>.p { color: red }</style>
        </article>
        <aside><p>The council also said that it would review the parking rules near the harbour next year.</p></aside>
        <div id="comments"><p>I have taken this ferry for thirty years and the terminal was always cold in the winter.</p></div>
        <div class=teasers><a href=/x>Another story about the harbour that is only a link to somewhere else entirely</a></div>
        <footer>Contact us</footer>
        """
        let article = Cleaner.clean(page(body: body), kind: .html)
        XCTAssertEqual(article.title, "Old ferry terminal to be demolished")
        XCTAssertEqual(article.paragraphs, story)
        let reasons = Dictionary(article.blocks.map { ($0.text, $0.reason) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(reasons["News"], "nav element")
        XCTAssertEqual(reasons["Share this story with your friends and family on every network you use"], "class \"share\"")
        XCTAssertEqual(reasons["I have taken this ferry for thirty years and the terminal was always cold in the winter."], "id \"comments\"")
        XCTAssertFalse(article.blocks.contains { $0.text.contains("tracking") || $0.text.contains("color") })
    }

    func testStateClassesDoNotHideTheArticle() {
        let body = "<div class=\"layout has-sidebar comments-open\"><div class=story>\(storyHTML)</div></div>"
        XCTAssertEqual(Cleaner.clean(page(body: body), kind: .html).paragraphs, story)
    }

    /// A recipe has no paragraph long enough to anchor the article, but the microformat's "entry"
    /// names its body, so its short lines are kept although a long disclaimer is the only prose on the page.
    func testMicroformatEntryMarksTheArticleBody() {
        let recipe = ["Ingredients:", "300 g flour", "200 g sugar", "1 egg", "Mix everything into a smooth dough.",
                      "Bake for 15 minutes until golden."]
        let body = """
        <div class="hentry"><h1>Almond biscuits</h1><div class="entry">\(recipe.map { "<p>\($0)</p>" }.joined())</div></div>
        <div class="legal"><p>Despite careful checking of the content we accept no liability for the content of external links, for which their operators alone are responsible, and we ask you to tell us about any link that no longer works.</p></div>
        """
        let kept = Cleaner.clean(page(body: body), kind: .html).paragraphs
        XCTAssertEqual(Array(kept.prefix(recipe.count)), recipe)
    }

    /// A list printed twice inside the article (one copy per screen size) is kept once; a menu
    /// repeated outside it is not.
    func testFirstCopyOfAListRepeatedInsideTheArticleIsKept() {
        let list = ["2 tablespoons vegetable oil", "1 medium onion, chopped", "250 g minced lamb"]
        let listHTML = "<ul>" + list.map { "<li>\($0)</li>" }.joined() + "</ul>"
        let menu = "<div><p>Home and garden</p><p>Food and drink</p></div>"
        let body = "\(menu)<div class=recipe><div class=box>\(listHTML)</div><div class=box>\(listHTML)</div>\(storyHTML)</div>\(menu)"
        XCTAssertEqual(Cleaner.clean(page(body: body), kind: .html).paragraphs, list + story)
    }

    /// In a slideshow article every paragraph sits beside a picture credit; the credits are
    /// dropped, but do not count as boilerplate that ends the article before its last slide.
    func testPictureCreditsDoNotCountAgainstTheParagraphsAroundThem() {
        let first = "The new terminal will have a covered waiting room and heating for the winter."
        let last = "Tickets will be sold at the desk as well as from the machines on the quay."
        let slides = [first, story[0], last].enumerated().map { i, text in
            "<div class=slide><p>\(i + 1)/3</p><p>\(text)</p><p>Image credit: Harbour Photo Agency</p></div>"
        }
        let body = "<nav><a href=/>Home</a></nav><div class=show>\(slides.joined())</div><footer>Contact</footer>"
        let kept = Cleaner.clean(page(body: body), kind: .html).paragraphs
        XCTAssertTrue([first, story[0], last].allSatisfy(kept.contains), "\(kept)")
        XCTAssertFalse(kept.contains { $0.hasPrefix("Image credit") })
    }

    /// A German post in an English blog theme: the page's language is English, but the post's
    /// paragraphs are measured with the German list, in which they are prose.
    func testArticleInAnotherLanguageThanItsTemplateIsProse() {
        let post = [
            "Es ist schon einige Zeit her, als der erste Sohn auf die Welt kam, und vor ein paar Tagen hat es auch sein kleiner Bruder geschafft, der nun die Nummer zwei in unserer Familie ist.",
            "So sah es aus, als der Große den Neuangekommenen das erste Mal sah, mit ihm sprach und ihn dann mit geschlossenen Augen ganz vorsichtig beschnupperte.",
        ]
        let theme = (1...3).map { _ in
            "<p>This is a theme for a blog that you can use on your own site, and it is free for all of the people who want to use it in their own work.</p>"
        }.joined()
        let body = "<div class=post>\(post.map { "<p>\($0)</p>" }.joined())</div><footer>\(theme)</footer>"
        XCTAssertEqual(Cleaner.clean(page(body: body), kind: .html).paragraphs, post)
    }

    /// The article's lead sits in its header, the rest in a section after a graphic and share
    /// links: a short paragraph of that section, cut off by the links, is still inside the
    /// <article> that holds the lead.
    func testProseElsewhereInTheMarkedArticleIsKept() {
        let note = "Because there are so many of them, we only show the largest parties here."
        let body = """
        <nav><a href=/a>Articles</a><a href=/m>Maps</a></nav><main><article><header><div><h1>Small parties</h1>
        <section>\(story[0]) \(story[1])</section><p>By <a href=/t>Tim</a></p></div></header>
        <div><figure><img src=x.png></figure><div><a href=/g>Download graphic</a><a href=/t>Download text</a></div></div>
        <section class=content><p><em>\(note)</em></p></section></article></main>
        """
        let kept = Cleaner.clean(page(body: body), kind: .html).paragraphs
        XCTAssertEqual(kept, ["\(story[0]) \(story[1])", note])
    }

    /// "Further reading:" above a link that is dropped announces nothing of the article; a label
    /// above kept lines stays.
    func testLabelWhoseListIsDroppedGoesWithIt() {
        let ingredients = ["Ingredients:", "300 g flour", "200 g sugar"]
        let body = """
        <article><div class=entry-content>\(storyHTML)\(ingredients.map { "<p>\($0)</p>" }.joined())
        <p>Further reading:</p><p><a href=/a>Ferry timetable for the winter season</a></p></div></article>
        """
        XCTAssertEqual(Cleaner.clean(page(body: body), kind: .html).paragraphs, story + ingredients)
    }

    /// A heading whose section was dropped (other stories in a "related" box) heads nothing of
    /// the article; a headline above the lead picture and its caption still heads the story.
    func testHeadingOfDroppedSectionGoesWithIt() {
        let body = """
        <article><div class=entry-content><h2>Terminal to close</h2><figure><img src=f.jpg><figcaption>The old terminal.</figcaption></figure>
        \(storyHTML)<h3>More on this topic</h3><div class=related><p><a href=/a>Ferry timetable for the winter season</a></p></div>
        </div></article>
        """
        let kept = Cleaner.clean(page(head: "<title>Harbour News</title>", body: body), kind: .html).paragraphs
        XCTAssertEqual(kept, ["Terminal to close"] + story)
    }

    /// "About the author" alone between share links and the author's box, both dropped, is kept
    /// by nothing but the article-body markup around it; a quantity alone between linked
    /// ingredients is a line of the recipe and stays.
    func testLoneUnfinishedLineBetweenDroppedBlocksGoes() {
        let body = """
        <article><div class=entry-content>\(storyHTML)<p><a href=/a>200 g sugar</a></p><p>6 eggs</p><p><a href=/b>350 g flour</a></p>
        <div class=share><a href=/f>Facebook</a> <a href=/t>Twitter</a></div><p>About the author</p>
        <div class=author-box><p>Kim writes about ships and harbours for the paper and has done so for many years now.</p></div></div></article>
        """
        let kept = Cleaner.clean(page(body: body), kind: .html).paragraphs
        XCTAssertTrue(kept.contains("6 eggs"), "\(kept)")
        XCTAssertFalse(kept.contains("About the author"), "\(kept)")
    }

    /// A three-line post loses to a sidebar's long prose by text alone, but the page's
    /// description opens with its first line: that line is kept as the lead.
    func testLeadQuotedByTheDescriptionIsKept() {
        let lead = "“I know I am drunk and should perhaps not say this to you…”"
        let head = "<meta property=\"og:description\" content=\"\(lead) – “Then do not say it”\">"
        let body = """
        <div class=post><h1>Doing nothing</h1><p>\(lead)</p><p>– “Then do not say it”</p><p>– “Ok.”</p></div>
        <div class=side><h2><a href=/t>Tweets</a></h2><ul><li>\(story[0]) \(story[1])</li></ul></div>
        """
        let kept = Cleaner.clean(page(head: head, body: body), kind: .html).paragraphs
        XCTAssertTrue(kept.contains(lead), "\(kept)")
    }

    func testTitlePrefersTheHeadlineTheMetadataRepeats() {
        let head = "<title>Terminal to go | Harbour News</title><meta property=\"og:title\" content=\"Old ferry terminal to be demolished - Harbour News\">"
        let body = "<h1>Harbour News</h1><h1>Old ferry terminal to be demolished</h1>\(storyHTML)"
        XCTAssertEqual(Cleaner.clean(page(head: head, body: body), kind: .html).title, "Old ferry terminal to be demolished")
        let noMeta = Cleaner.clean(page(head: "<title>Terminal to go | Harbour News</title>", body: storyHTML), kind: .html)
        XCTAssertEqual(noMeta.title, "Terminal to go")
        // Chinese sites join the site name with "_", Japanese ones with a full-width bar.
        for (title, headline) in [("港务局宣布旧渡轮码头秋季拆除_港口日报", "港务局宣布旧渡轮码头秋季拆除"),
                                  ("旧フェリーターミナル、秋に解体へ｜港湾新聞", "旧フェリーターミナル、秋に解体へ"),
                                  ("東京で大雪｜NHKニュース", "東京で大雪"),
                                  ("snake_case tips", "snake_case tips"), ("Using __init__ in Python classes", "Using __init__ in Python classes")] {
            XCTAssertEqual(Cleaner.clean(page(head: "<title>\(title)</title>", body: storyHTML), kind: .html).title, headline)
        }
    }

    func testDateSources() {
        let meta = "<meta property=\"article:published_time\" content=\"2021-03-04T08:00:00+01:00\">"
        XCTAssertEqual(Cleaner.clean(page(head: meta, body: storyHTML), kind: .html).date, "2021-03-04")
        let jsonLD = "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\": \"2020-12-01T10:00\"}</script>"
        XCTAssertEqual(Cleaner.clean(page(head: jsonLD, body: storyHTML), kind: .html).date, "2020-12-01")
        let time = "<time datetime=\"2019-07-08\">8 July</time>" + storyHTML
        XCTAssertEqual(Cleaner.clean(page(body: time), kind: .html).date, "2019-07-08")
        let fromURL = Cleaner.clean(page(body: storyHTML), kind: .html, url: "https://harbour.example/2018/05/06/terminal")
        XCTAssertEqual(fromURL.date, "2018-05-06")
        XCTAssertNil(Cleaner.clean(page(body: storyHTML), kind: .html).date)
    }

    /// A `<time>` its class marks as an update dates the page after any other: shown first
    /// ("Updated 3 May, Published 1 May"), it had dated the page by its update. One marked
    /// published comes first; WordPress's "entry-date published updated" is a publication, and
    /// a time marked updated alone still dates a page that has no other.
    func testAnUpdatedTimeComesAfterThePublishedOne() {
        func dated(_ times: String) -> String? { Cleaner.clean(page(body: times + storyHTML), kind: .html).date }
        let updated = "<p>Updated <time class=\"updated\" datetime=\"2024-05-03\">3 May</time></p>"
        let published = "<p>Published <time class=\"entry-date published\" datetime=\"2024-05-01\">1 May</time></p>"
        let plain = "<p><time datetime=\"2024-04-30\">30 April</time></p>"
        XCTAssertEqual(dated(updated + published), "2024-05-01")
        XCTAssertEqual(dated(updated + plain), "2024-04-30")
        XCTAssertEqual(dated(plain + published), "2024-05-01")
        XCTAssertEqual(dated(updated), "2024-05-03")
        XCTAssertEqual(dated("<time class=\"date-modified\" datetime=\"2024-05-09\">9 May</time><time pubdate datetime=\"2024-05-02\">2 May</time>"), "2024-05-02")
        XCTAssertEqual(dated("<time class=\"entry-date published updated\" datetime=\"2016-02-28\">28 Feb</time>" + updated), "2016-02-28")
        // schema.org's itemprop and a theme's "pubdate" class say the same (review).
        XCTAssertEqual(dated("<time itemprop=\"dateModified\" datetime=\"2020-02-10\">10 Feb</time><time itemprop=\"datePublished\" datetime=\"2020-01-05\">5 Jan</time>"), "2020-01-05")
        XCTAssertEqual(dated("<time class=\"timestamp\" datetime=\"2020-02-10\">10 Feb</time><time class=\"pubdate\" datetime=\"2020-01-05\">5 Jan</time>"), "2020-01-05")
        XCTAssertEqual(dated("<time class=\"date-published\" datetime=\"2020-01-05\">5 Jan</time>" + updated), "2020-01-05")
    }

    /// The date of the page's own article in its JSON-LD, wherever that object stands: a
    /// WebPage listed first in `@graph`, a list of related stories before it, and a video nested
    /// in it before its own date had each dated the page (found by a cleaning QA helper).
    func testTheJSONLDDateIsThePageArticles() {
        func dated(_ json: String) -> String? {
            Cleaner.clean(page(head: "<script type=\"application/ld+json\">\(json)</script>", body: storyHTML), kind: .html).date
        }
        XCTAssertEqual(dated(#"{"@graph":[{"@type":"WebPage","datePublished":"2019-01-01"},{"@type":"NewsArticle","datePublished":"2024-03-28"}]}"#),
                       "2024-03-28")
        XCTAssertEqual(dated(#"[{"@type":"ItemList","itemListElement":[{"@type":"NewsArticle","datePublished":"2022-11-30"}]},"#
                             + #"{"@type":"NewsArticle","datePublished":"2024-03-28"}]"#), "2024-03-28")
        XCTAssertEqual(dated(#"{"@type":"NewsArticle","video":{"@type":"VideoObject","datePublished":"2018-05-01"},"datePublished":"2024-03-28"}"#),
                       "2024-03-28")
        XCTAssertEqual(dated(#"{"@type":"WebPage","datePublished":"2019-01-01"}"#), "2019-01-01", "with no article, any date stated")
        XCTAssertEqual(dated(#"{"@type":"NewsArticle","datePublished":"2024-03-28","#), "2024-03-28", "broken JSON, read as text")
    }

    /// A sentence shown again as a pull quote in an `<aside>` stays in the article: every copy of
    /// a short repeated line had been dropped as page furniture (found by a cleaning QA helper).
    func testAPullQuoteInAnAsideLeavesTheArticlesSentence() {
        let quote = "The sea does not care whether you are lonely."
        let body = "<article>" + story.prefix(2).map { "<p>\($0)</p>" }.joined() + "<aside class=\"pullquote\"><p>\(quote)</p></aside>"
            + "<p>\(quote)</p>" + story.dropFirst(2).map { "<p>\($0)</p>" }.joined() + "</article>"
        let article = Cleaner.clean(page(body: body), kind: .html)
        XCTAssertEqual(article.paragraphs.filter { $0 == quote }.count, 1, article.paragraphs.joined(separator: "\n"))
        XCTAssertEqual(article.paragraphs.count, story.count + 1)
        // With an attribution line in the aside too (review).
        let attributed = body.replacingOccurrences(of: "<p>\(quote)</p></aside>", with: "<p>\(quote)</p><p>Jane Smith, harbour trader</p></aside>")
        XCTAssertNotEqual(attributed, body)
        XCTAssertEqual(Cleaner.clean(page(body: attributed), kind: .html).paragraphs, article.paragraphs)
        // A sidebar of teaser cards, each card's one sentence in its own wrapper, is no pull
        // quote: the teasers shown again in the article are still repeats (review).
        let card = { (n: Int) in "<li><div class=card><a href=/s\(n)>Story \(n)</a><p>Teaser sentence number \(n) about another story entirely.</p></div></li>" }
        let cards = (1...3).map(card).joined()
        let sidebar = "<article>" + story.map { "<p>\($0)</p>" }.joined() + "<section><ul>\(cards)</ul></section></article><aside><ul>\(cards)</ul></aside>"
        XCTAssertEqual(Cleaner.clean(page(body: sidebar), kind: .html).paragraphs, story)
        // A label repeated in widgets, or a sentence in an aside of several, still counts (review).
        let label = "<div class=\"share\"><p>Share this story</p></div>"
        let box = "<aside><p>\(quote)</p><p>Another teaser sentence for another story entirely.</p></aside>"
        let framed = "<article>" + label + story.map { "<p>\($0)</p>" }.joined() + "<p>Share this story</p><p>\(quote)</p>"
            + label + "</article>" + box
        let kept = Cleaner.clean(page(body: framed), kind: .html).paragraphs
        XCTAssertEqual(kept, story, kept.joined(separator: "\n"))
    }

    /// A page's head states its date on purpose: where nothing recent dates the page, an
    /// archive's 1987 story is dated by it (the years of dates in text, 1990 to 2039, had left
    /// it undated), a placeholder is not; an English page's slashed date is month first there
    /// too, as in its byline.
    func testDateMetadataOfOlderStoriesAndEnglishSlashes() {
        func dated(_ head: String) -> String? { Cleaner.clean(page(head: head, body: storyHTML), kind: .html).date }
        XCTAssertEqual(dated(#"<meta property="article:published_time" content="1987-03-03T10:00:00Z">"#), "1987-03-03")
        XCTAssertEqual(dated(#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"1969-07-20"}</script>"#), "1969-07-20")
        XCTAssertNil(dated(#"<meta property="article:published_time" content="0001-01-01T00:00:00Z">"#))
        XCTAssertEqual(dated(#"<meta name="date" content="03/04/2019">"#), "2019-03-04", "the story is English")
        // Only where nothing recent dates the page, and never an empty field's day (review).
        XCTAssertNil(dated(#"<meta property="article:published_time" content="1970-01-01T00:00:00Z">"#))
        XCTAssertEqual(dated(#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"1970-01-01"}</script>"#
                             + #"<meta property="article:published_time" content="2019-03-04T08:00:00Z">"#), "2019-03-04")
        let history = "<time datetime=\"1969-07-20\">20 July 1969</time>" + storyHTML
        XCTAssertEqual(Cleaner.clean(page(body: history), kind: .html, url: "https://x.example/2019/11/18/moon").date, "2019-11-18")
        XCTAssertNil(Cleaner.clean(page(body: history), kind: .html).date, "a <time> in the body states no older date")
    }

    /// A date in an aside or a "most read" list dates another story: the article's own byline
    /// wins, and with none the page stays undated (the list's date had dated it years off).
    func testDatesInFurnitureAreNotThePagesDate() {
        let mostRead = "<aside><h2>Most read</h2><ol><li><a href=\"/a\">Council tax to rise</a> <time datetime=\"2011-06-01\">1 June 2011</time></li></ol></aside>"
        let byline = "<p>By Agnes Tullow <time datetime=\"2024-03-12\">12 March 2024</time></p>"
        XCTAssertEqual(Cleaner.clean(page(body: mostRead + "<article>" + byline + storyHTML + "</article>"), kind: .html).date, "2024-03-12")
        XCTAssertNil(Cleaner.clean(page(body: "<article>" + storyHTML + "</article>" + mostRead), kind: .html).date)
        let plainList = "<aside><ul><li>Council tax to rise 1 June 2011</li></ul></aside>"
        XCTAssertNil(Cleaner.clean(page(body: "<article>" + storyHTML + "</article>" + plainList), kind: .html).date)
    }

    /// A separator hidden from screen readers still separates the words around it on the page,
    /// and the h1 is noted whole (the hidden span's end had noted its first half as the title).
    func testAriaHiddenSeparatorsKeepWordsApart() {
        let body = "<article><h1>Old ferry terminal<span aria-hidden=\"true\"> – </span>Demolition starts</h1>\(storyHTML)</article>"
        let article = Cleaner.clean(page(body: body), kind: .html)
        XCTAssertEqual(article.title, "Old ferry terminal Demolition starts")
    }

    /// Ruby readings (furigana) are reading aids, not words of the text.
    func testRubyReadingsAreLeftOut() {
        let body = "<article><p>Ein Gesetz gegen <ruby>虐待<rp>(</rp><rt>ぎゃくたい</rt><rp>)</rp></ruby> wurde beschlossen.</p>\(storyHTML)</article>"
        let article = Cleaner.clean(page(body: body), kind: .html)
        XCTAssertTrue(article.body.contains("gegen 虐待 wurde"), article.body)
        XCTAssertFalse(article.body.contains("ぎゃくたい"), article.body)
    }

    /// The standard publication-time names win over looser or vendor ones, whatever their order
    /// in the page (a sailthru.date set days later had won).
    func testStandardDateNamesWin() {
        let vendor = "<meta name=\"sailthru.date\" content=\"2019-07-04 10:00\"><meta name=\"date\" content=\"2019-07-05\">"
        let jsonLD = "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\": \"2019-01-08T09:00\"}</script>"
        XCTAssertEqual(Cleaner.clean(page(head: vendor + jsonLD, body: storyHTML), kind: .html).date, "2019-01-08")
        let og = "<meta property=\"article:published_time\" content=\"2019-01-09T09:00\">"
        XCTAssertEqual(Cleaner.clean(page(head: vendor + og, body: storyHTML), kind: .html).date, "2019-01-09")
        XCTAssertEqual(Cleaner.clean(page(head: vendor, body: storyHTML), kind: .html).date, "2019-07-04")
    }

    func testEntitiesAreNotLoadedAndTextIsDecoded() {
        let body = "<p>Caf&eacute; &amp; terminal: \(story[0])</p><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><p>&e;</p>"
        let article = Cleaner.clean(page(body: body), kind: .html)
        XCTAssertTrue(article.body.hasPrefix("Café & terminal:"))
        XCTAssertFalse(article.body.contains("root:"))
    }

    /// A Latin-1 label means Windows-1252, as browsers read it: 0x9C is œ and 0x93/0x94 curly
    /// quotes, not control codes (which split "cœur" in two).
    func testLatin1LabelsAreReadAsWindows1252() {
        var bytes = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Le c".utf8)
        bytes += [0x9C] + Array("ur du port, dit-il, ".utf8) + [0x93] + Array("bat encore".utf8) + [0x94]
        bytes += Array(" pr".utf8) + [0xE8] + Array("s du terminal: \(story[0])</p></body></html>".utf8)
        let article = Cleaner.clean(bytes, kind: .html)
        XCTAssertTrue(article.body.hasPrefix("Le cœur du port, dit-il, \u{201C}bat encore\u{201D} près du terminal"), article.body)
    }

    /// An empty page, or one of white space, is a page with no text, not one libxml2 failed to
    /// read: it had been noted as "could not be parsed to its end (nesting too deep?)".
    func testAnEmptyPageHasNoTextAndNoWarning() {
        for bytes in [[], Array(" \r\n\t ".utf8)] as [[UInt8]] {
            let article = Cleaner.clean(bytes, kind: .html)
            XCTAssertEqual(article.warnings, [], "\(bytes)")
            XCTAssertEqual(article.title + article.body, "")
        }
    }

    /// A page that declares no charset and holds no UTF-8 sequence is Windows-1252, as a text
    /// file is and as browsers read it: "café" in Latin-1 had become "caf\u{FFFD}" with a warning.
    func testAnUndeclaredLatin1PageIsReadAsWindows1252() {
        var bytes = Array("<html><body><p>Le caf".utf8) + [0xE9] + Array(" du port, dit-il, ".utf8) + [0x93]
        bytes += Array("ouvre t".utf8) + [0xF4, 0x94] + Array(": \(story[0])</p></body></html>".utf8)
        let article = Cleaner.clean(bytes, kind: .html)
        XCTAssertTrue(article.body.hasPrefix("Le café du port, dit-il, \u{201C}ouvre tô\u{201D}"), article.body)
        XCTAssertEqual(article.warnings, [])
    }

    func testLegacyCharsetIsHonoured() {
        var bytes = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf".utf8)
        bytes.append(0xE9)  // é in Latin-1, invalid as UTF-8
        bytes += Array(" near the terminal: \(story[0])</p></body></html>".utf8)
        let article = Cleaner.clean(bytes, kind: .html)
        XCTAssertTrue(article.body.hasPrefix("Café near the terminal"))
        XCTAssertEqual(article.warnings, [])
    }

    /// A page that declares no charset is read in the encoding named for such pages; one that
    /// declares its charset keeps it, whatever was named.
    func testAnUndeclaredPageIsReadInTheEncodingNamed() throws {
        let tokyo: [UInt8] = [0x93, 0x8C, 0x8B, 0x9E]  // 東京 in Shift JIS
        let undeclared = Array("<html><body><p>".utf8) + tokyo + Array(" \(story[0])</p></body></html>".utf8)
        let read = Cleaner.clean(undeclared, kind: .html, legacy: try LegacyEncoding(label: "shift_jis"))
        XCTAssertTrue(read.body.hasPrefix("東京 \(story[0])"), read.body)
        XCTAssertEqual(read.warnings, [])
        let unread = Cleaner.clean(undeclared, kind: .html)
        XCTAssertFalse(unread.body.contains("東京"), unread.body)
        var declared = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf".utf8)
        declared += [0xE9] + Array(" near the terminal: \(story[0])</p></body></html>".utf8)
        let honoured = Cleaner.clean(declared, kind: .html, legacy: try LegacyEncoding(label: "shift_jis"))
        XCTAssertTrue(honoured.body.hasPrefix("Café near the terminal"), honoured.body)
        // Declared UTF-8 with a stray byte stays UTF-8, repaired (it had been read whole as GB18030).
        let marked = page(body: "<article><p>上海 \(story[0])</p><p>\(story[1])#</p></article>")
        let strayed = marked.split(separator: UInt8(ascii: "#")).joined(separator: [0xE4, 0xB8])
        let repaired = Cleaner.clean(Array(strayed), kind: .html, legacy: try LegacyEncoding(label: "gb18030"))
        XCTAssertEqual(repaired.paragraphs.first, "上海 \(story[0])")
        XCTAssertEqual(repaired.warnings, ["invalid UTF-8 replaced with U+FFFD"])
    }

    /// A page declaring ISO-2022-JP is ASCII with escape codes, so valid UTF-8; it is left to
    /// libxml2 to read as declared (taken for UTF-8, its Japanese had come out as escapes and
    /// letters, and the cleaner kept nothing).
    func testADeclaredISO2022PageIsReadAsDeclared() throws {
        let body = "<article><p>東京タワーで今日、記念式典が開かれました。多くの人が集まり、式典は午後まで続きました。</p>"
            + "<p>関係者によると、来年も開催される予定です。会場には多くの家族連れが訪れました。</p></article>"
        let html = "<html><head><meta charset=\"iso-2022-jp\"></head><body>\(body)</body></html>"
        guard let bytes = encoded(html, "ISO-2022-JP") else { throw XCTSkip("this system's iconv lacks ISO-2022-JP") }
        XCTAssertNotNil(String(validating: bytes, as: UTF8.self), "the case this test is for")
        let article = Cleaner.clean(bytes, kind: .html)
        XCTAssertEqual(article.paragraphs.first, "東京タワーで今日、記念式典が開かれました。多くの人が集まり、式典は午後まで続きました。")
    }

    /// `&#128;`–`&#159;` are the Windows-1252 characters of those bytes, as HTML5 and browsers
    /// read them, not C1 controls; the five codes Windows-1252 leaves undefined stay.
    func testC1CharacterReferencesAreReadAsWindows1252() {
        let body = "<article><h1>Fares &#147;fair&#148;</h1><p>The ticket now costs &#128;12 &#150; &#x9C;uvre &#129; "
            + "\u{0093}raw\u{0094}: \(story[0])</p><p>\(story[1])</p></article>"
        let article = Cleaner.clean(page(head: "<title>Fares &#147;fair&#148;</title>", body: body), kind: .html)
        XCTAssertEqual(article.title, "Fares \u{201C}fair\u{201D}")
        XCTAssertEqual(article.paragraphs, ["The ticket now costs \u{20AC}12 \u{2013} \u{0153}uvre \u{0081} "
            + "\u{201C}raw\u{201D}: \(story[0])", story[1]])
    }

    /// A stray `</html>` or `</body>` mid-page had ended libxml2's tree there, losing the rest
    /// of the article; browsers read on.
    func testTextAfterAStrayHtmlOrBodyEndTagIsKept() {
        for stray in ["</html>", "</HTML >", "</body>", "</Body\n>", "</body></html>"] {
            let body = "<article><p>\(story[0])</p>\(stray)<p>\(story[1])</p></article>"
            XCTAssertEqual(Cleaner.clean(page(body: body), kind: .html).paragraphs, story, stray)
        }
        let normal = page(body: storyHTML)
        XCTAssertEqual(StrayEndTags.dropped(from: normal), normal)
        XCTAssertEqual(StrayEndTags.dropped(from: Array("<p>a</p></htmlx><p>b</p></body>\n</html>\n".utf8)),
                       Array("<p>a</p></htmlx><p>b</p></body>\n</html>\n".utf8))
    }

    /// 300 comments each leaving a </div> open nest deeper than libxml2 2.9.14's 256: the page
    /// had been read as text, every comment kept beside the article (precision 0.05).
    func testThreeHundredUnclosedCommentDivsKeepTheDOMRules() {
        let comments = (0..<300).map { "<div class=comment><div class=author><a href=/u/\($0)>Reader \($0)</a></div><p>Great piece.</p>" }
        let body = "<nav><a href=/>Home</a> <a href=/n>News</a></nav><article>\(storyHTML)</article>"
            + "<section class=comments>\(comments.joined())</section>"
        let article = Cleaner.clean(page(body: body), kind: .html)
        XCTAssertEqual(article.warnings, [])
        XCTAssertEqual(article.paragraphs, story)
    }

    /// Past `HTMLCleaner.maxDepth` the page is read as text, in bounded time, whatever the depth.
    func testAHundredThousandNestedElementsAreReadAsText() {
        for tags in ["<div>", "<span>", "<div><span>"] {
            let html = "<html><body><p>\(story[0])</p>" + String(repeating: tags, count: 100_000) + "<p>\(story[1])</p></body></html>"
            let started = ContinuousClock.now
            let article = Cleaner.clean(Array(html.utf8), kind: .html)
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(10), tags)
            XCTAssertTrue(article.body.contains(story[1]), tags)
            XCTAssertTrue(article.warnings.contains { $0.contains("read as text") }, tags)
        }
    }

    private func jsonLD(_ json: String) -> String { "<script type=\"application/ld+json\">\(json)</script>" }

    /// A schema.org object of `type` whose articleBody is `escapedBody`, already written as JSON.
    private func articleJSON(_ escapedBody: String, type: String = "\"NewsArticle\"") -> String {
        #"{"@context":"https://schema.org","@type":\#(type),"headline":"Ferry terminal","articleBody":"\#(escapedBody)"}"#
    }

    private let shell = "<div id=root><nav><a href=/>Home</a> <a href=/n>News</a></nav><p>Loading, please wait</p>"
        + "<noscript><p>You need to enable JavaScript to run this app.</p></noscript></div>"

    /// An app shell renders its article by script: the JSON-LD articleBody is all the text the
    /// page holds, and it had come out empty.
    func testAnAppShellGivesTheJSONLDArticleBody() {
        let body = story.joined(separator: "\\n\\n")
        let scripts = [#""NewsArticle""#, #""Article""#, #""BlogPosting""#, #""ReportageNewsArticle""#,
                       #"["WebPage", "Article"]"#].map { jsonLD(articleJSON(body, type: $0)) }
            + [jsonLD(#"{"@graph":[{"@type":"WebSite","name":"Harbour News"},\#(articleJSON(body))]}"#)]
        for script in scripts {
            let article = Cleaner.clean(page(head: script, body: shell), kind: .html)
            XCTAssertEqual(article.paragraphs, story, script)
            XCTAssertEqual(article.blocks.filter(\.kept).map(\.reason),
                           Array(repeating: "JSON-LD articleBody (the page shows 0 of its 66 words)", count: 2), script)
        }
        let recipe = jsonLD(articleJSON(body, type: #""Recipe""#))
        XCTAssertEqual(Cleaner.clean(page(head: recipe, body: shell), kind: .html).paragraphs, [])
    }

    func testArticleBodyEscapesAreDecoded() {
        let escaped = #"He said \"it is cold\" at C:\\ferry\\gate\tone.\nCaf\u00e9 owners \ud83d\ude00 agreed \/ "#
            + story.joined(separator: " ")
        let article = Cleaner.clean(page(head: jsonLD(articleJSON(escaped)), body: shell), kind: .html)
        XCTAssertEqual(article.paragraphs, [#"He said "it is cold" at C:\ferry\gate one."#,
                                            "Café owners \u{1F600} agreed / " + story.joined(separator: " ")])
    }

    /// An articleBody written as HTML: its unclosed <p> and <br> end paragraphs, and its entities
    /// are characters (both had been stored as written, so "8217" and "br" found the page).
    func testArticleBodyMarkupAndEntitiesAreRead() {
        let html = "<p>" + story[0] + "<p>It&rsquo;s the mayor&#8217;s call &amp; nobody else&#39;s.<br><br>" + story[1]
        let article = Cleaner.clean(page(head: jsonLD(articleJSON(html)), body: shell), kind: .html)
        XCTAssertEqual(article.paragraphs, [story[0], "It’s the mayor’s call & nobody else's.", story[1]])
    }

    /// A visible article as long as its articleBody keeps its own paragraphs and decisions: the
    /// script was read (it is found) and ruled out.
    func testAWholeVisibleArticleIsKeptBesideItsArticleBody() {
        let json = articleJSON(story.joined(separator: " "))
        let body = "<nav><a href=/>Home</a></nav><article><h1>Ferry terminal</h1>\(storyHTML)</article>"
        let plain = Cleaner.clean(page(body: body), kind: .html)
        let stated = Cleaner.clean(page(head: jsonLD(json), body: body), kind: .html)
        XCTAssertEqual(stated.paragraphs, story)
        XCTAssertEqual(stated.blocks, plain.blocks)
        XCTAssertEqual(JSONLD.articleValues(in: json).bodies, [story.joined(separator: " ")])
    }

    /// An app shell with no h1 and no og:title is titled by its article's JSON-LD headline: its
    /// <title> had been taken, the site's name ("Coastline News"), so `title:` found nothing.
    /// A visible h1 still comes first.
    func testAJSONLDHeadlineTitlesAPageWithNoOtherHeadline() {
        let head = "<title>Coastline News</title>" + jsonLD(articleJSON(story.joined(separator: " ")))
        XCTAssertEqual(Cleaner.clean(page(head: head, body: shell), kind: .html).title, "Ferry terminal")
        let shown = "<article><h1>Terminal works begin</h1>\(storyHTML)</article>"
        XCTAssertEqual(Cleaner.clean(page(head: head, body: shown), kind: .html).title, "Terminal works begin")
        // A script is not parsed as HTML: its entities and tags are read here (found by review).
        let escaped = #"{"@type":"NewsArticle","headline":"Tom &amp; Jerry&#8217;s <b>ferry</b> win"}"#
        XCTAssertEqual(Cleaner.clean(page(head: "<title>Coastline News</title>" + jsonLD(escaped), body: shell), kind: .html).title,
                       "Tom & Jerry’s ferry win")
        let figure = #"{"@type":"NewsArticle","headline":"Shares fall <5% as rates rise"}"#
        XCTAssertEqual(Cleaner.clean(page(head: "<title>Coastline News</title>" + jsonLD(figure), body: shell), kind: .html).title,
                       "Shares fall <5% as rates rise", "a '<' that opens no tag is a character")
        // A list's, a live blog's or a search's items are other stories (found by review).
        let listed = #"{"@type":"ItemList","itemListElement":[{"@type":"NewsArticle","headline":"Storm closes schools"}]}"#
        XCTAssertEqual(Cleaner.clean(page(head: "<title>World news</title>" + jsonLD(listed), body: shell), kind: .html).title,
                       "World news")
        let summary = #"{"@type":"NewsArticle","headline":"\#(String(repeating: "word ", count: 80))"}"#
        XCTAssertEqual(Cleaner.clean(page(head: "<title>Coastline News</title>" + jsonLD(summary), body: shell), kind: .html).title,
                       "Coastline News", "a headline longer than any is no title")
    }

    /// A paywall shows the opening paragraphs of the text its articleBody holds whole.
    func testAPaywalledArticleGetsTheFullArticleBody() {
        let rest = "The work will take about eight months, and the ferry will stop at a temporary pontoon "
            + "beside the fish market until it is finished. The council will publish the plans in June."
        let whole = (story + [rest]).joined(separator: " ")
        let body = "<article><h1>Ferry terminal</h1>\(storyHTML)<div class=subscribe-wall><p>Subscribe to read on</p></div></article>"
        let article = Cleaner.clean(page(head: jsonLD(articleJSON(whole)), body: body), kind: .html)
        XCTAssertEqual(article.paragraphs, [whole])
        XCTAssertEqual(article.dropped.filter { $0.reason.hasPrefix("replaced by the JSON-LD") }.map(\.text), story)
    }

    /// A broken script is ignored whole, never read past its end or half decoded; a valid one
    /// beside it still counts.
    func testMalformedJSONLDIsIgnored() {
        let text = story.joined(separator: " ")
        let broken = [
            #"{"@type":"NewsArticle","articleBody":""# + text,
            #"{"@type":"NewsArticle","articleBody":"bad \x escape "# + text + #""}"#,
            #"{"@type":"NewsArticle","articleBody":""# + text + #" \u12"}"#,
            #"{"@type":"NewsArticle","articleBody":""# + text + #"\"#,
            #"{"@type":"NewsArticle","articleBody":""# + text + #"" "headline":"x"}"#,
        ]
        for script in broken {
            XCTAssertEqual(Cleaner.clean(page(head: jsonLD(script), body: shell), kind: .html).paragraphs, [], script)
            let beside = jsonLD(script) + jsonLD(articleJSON(story.joined(separator: "\\n")))
            XCTAssertEqual(Cleaner.clean(page(head: beside, body: shell), kind: .html).paragraphs, story, script)
        }
    }
}
