// PageFurnitureRuleTests: the rules for tables of figures and glued teasers in page dumps, and
// for link-list headings, lone links, teaser lists and class words in HTML, on invented pages.
import XCTest
@testable import Cleaning

final class PageFurnitureRuleTests: XCTestCase {
    private let story = [
        "The harbour authority said on Monday that the old ferry terminal will be demolished in the autumn, and that a new building with a covered waiting room is planned for the same site.",
        "Residents who use the ferry every day told the council that the current terminal is cold in winter and that the ticket machines are often out of order for weeks at a time.",
    ]
    private var storyHTML: String { story.map { "<p>\($0)</p>" }.joined() }

    private func page(_ body: String) -> [UInt8] {
        Array("<!DOCTYPE html><html><head><meta charset=utf-8></head><body>\(body)</body></html>".utf8)
    }

    private func reasons(_ article: Article) -> [String: String] {
        Dictionary(article.blocks.map { ($0.text, $0.reason) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: plain text

    func testTableOfFiguresInADumpIsKept() {
        let rows = ["1     Kyle Busch                 5040         5      1",
                    "2     Martin Truex Jr.           5035         7      0",
                    "3     Kevin Harvick              5033         4      6",
                    "4     Denny Hamlin               5027         6      3"]
        let text = (["  • Home", "  • Results", "  • Schedule", "  • Drivers", "Final standings after 36 races:"]
            + rows + ["  • About", "  • Contact", "Copyright © 2019 Racing News"]).joined(separator: "\n")
        let article = Cleaner.clean(Array(text.utf8), kind: .plainText)
        for row in rows { XCTAssertTrue(article.body.contains(row), row) }
        XCTAssertFalse(article.body.contains("Home"))
    }

    func testGluedTeaserLines() {
        let teasers = [
            "Police: Two In Custody After Death Of Student-AthleteA 24-year-old woman and a 28-year-old man were arrested on Friday.",
            "Customers Leave Without Paying Large Bill At Troy SteakhouseA party of six left the restaurant without paying.",
        ]
        XCTAssertTrue(teasers.allSatisfy(GluedTeaser.isGlued))
        // Sentence-case prose with a camel-cased brand is not a teaser.
        XCTAssertFalse(GluedTeaser.isGlued("Our reporter visited the new YouTube office in London and spoke to the staff there."))
        let blocks = TextBlocks.split((teasers + story).joined(separator: "\n"))
        XCTAssertEqual(GluedTeaser.find(blocks), [true, true, false, false])
        // One glued line alone is not a list of teasers.
        XCTAssertEqual(GluedTeaser.find(TextBlocks.split(([teasers[0]] + story).joined(separator: "\n"))), [false, false, false])
    }

    func testDividerEndsTheArticleAndPictureLinesAreDropped() {
        let paragraphs = story.map { $0 + " The council will discuss the plans, and the objections raised by the residents, at its next public meeting in the town hall." }
        let text = (["  • Home", "  • News", "  • Sport", "Old ferry terminal to be demolished", "Ferry at dawnFerry at dawn",
                     paragraphs[0], "Foto: Jan Berg", paragraphs[1], "Share:", "━━━━━━━━━━━━━━━━━━━━",
                     "More great harbour stories", "Readers who travel by ferry every week told us what the terminal means to them and to the town."])
            .joined(separator: "\n")
        let article = Cleaner.clean(Array(text.utf8), kind: .plainText)
        XCTAssertEqual(article.paragraphs, paragraphs)
        let reasons = reasons(article)
        XCTAssertEqual(reasons["Ferry at dawnFerry at dawn"], "picture text shown twice")
        XCTAssertEqual(reasons["Foto: Jan Berg"], "picture credit")
    }

    // MARK: HTML

    func testHeadingOfALinkListIsDropped() {
        let body = "<article>\(storyHTML)<p>Related coverage</p><p><a href=/a>Ferry fares rise again this spring</a></p>"
            + "<p><a href=/b>New pier opens on the northern side</a></p></article>"
        let article = Cleaner.clean(page(body), kind: .html)
        XCTAssertEqual(article.paragraphs, story)
        XCTAssertEqual(reasons(article)["Related coverage"], "heading of a link list")
    }

    func testLoneAddressBetweenParagraphsIsKept() {
        let body = "<article><p>\(story[0])</p><p><a href=\"https://example.org\">https://example.org/petition</a></p>"
            + "<p>\(story[1])</p></article>"
        let article = Cleaner.clean(page(body), kind: .html)
        XCTAssertEqual(article.paragraphs, [story[0], "https://example.org/petition", story[1]])
    }

    func testBlurbsBetweenLinkedHeadlinesAreDropped() {
        let teaser = { (n: Int) in
            "<h3><a href=/t\(n)>Story number \(n) about the town and its people</a></h3>"
                + "<p>This is the short summary of story number \(n), which tells the reader what it is about.</p>"
        }
        let body = "<article>\(storyHTML)</article><div>\((1...4).map(teaser).joined())</div>"
        let article = Cleaner.clean(page(body), kind: .html)
        XCTAssertEqual(article.paragraphs, story)
    }

    /// A card's linked headline in its own `<header>` (read as the page's header outside an
    /// `<article>`) still heads a teaser: every blurb of such cards had been kept (QA helper).
    func testBlurbsOfCardsWithTheirOwnHeadersAreDropped() {
        let card = { (n: Int) in
            "<div class=card><header><h3><a href=/t\(n)>Story number \(n) about the town and its people</a></h3></header>"
                + "<p>This is the short summary of story number \(n), which tells the reader what it is about.</p></div>"
        }
        for frame in [("<div class=story>", "</div>"), ("<article>", "</article>")] {
            let body = "\(frame.0)<h1>Ferry terminal to close</h1>\(storyHTML)\(frame.1)<div>\((1...4).map(card).joined())</div>"
            let article = Cleaner.clean(page(body), kind: .html)
            XCTAssertEqual(article.paragraphs, story, frame.0)
        }
    }

    func testCamelCasedClassNamesAreSplitIntoWords() {
        XCTAssertEqual(MarkupHints.classWords("RelatedCoverage-container-3AnSP"), ["related", "coverage", "container", "an", "sp"])
        XCTAssertEqual(MarkupHints.classWords("ArticlePage-authorInfo"), ["article", "page", "author", "info"])
        // Letters outside ASCII go through Unicode's properties: still letters, still cased.
        XCTAssertEqual(MarkupHints.classWords("ÉlanBox-çaÖl"), ["élan", "box", "ça", "öl"])
        let body = "<article>\(storyHTML)<div class=\"ArticlePage-authorInfo\"><p>Jane Doe writes about ships, harbours and the people who work in them for the paper.</p></div></article>"
        XCTAssertEqual(Cleaner.clean(page(body), kind: .html).paragraphs, story)
    }

    /// Class and id values read as bytes (all ASCII) give what reading them by `Character`
    /// gives, on random values built from furniture, state and other words in every case, with
    /// dashes, digits and the separators, "\r\n" among them.
    func testASCIIClassValuesReadAsCharactersDo() {
        var rng = LinearCongruential(state: 17)
        let words = MarkupHints.furnitureWords.sorted() + MarkupHints.stateWords.sorted() + ["story", "body", "x", "entry", "Content"]
        let joints = ["-", "_", "3", " ", "\t", "\n", "\r\n", "", "  "]
        var furnitureFound = 0
        for _ in 0..<5_000 {
            var value = ""
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                var word = words.randomElement(using: &rng)!
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: word = word.uppercased()
                case 1: word = word.prefix(1).uppercased() + word.dropFirst()
                default: break
                }
                value += word + joints.randomElement(using: &rng)!
            }
            let byCharacter = MarkupHints.furnitureWordByCharacter(in: value)
            let expected = value.contains("\r") ? byCharacter : ASCIIWords.furnitureWord(in: value)
            XCTAssertEqual(expected, byCharacter, value.debugDescription)
            XCTAssertEqual(ASCIIWords.lowercased(value), value.lowercased(), value.debugDescription)
            XCTAssertEqual(ASCIIWords.spaceSeparated(value, contain: "entry"), value.split(separator: " ").contains("entry"),
                           value.debugDescription)
            if byCharacter != nil { furnitureFound += 1 }
        }
        XCTAssertGreaterThan(furnitureFound, 1_000, "too few values named furniture to be a real test")
        XCTAssertFalse(ASCIIWords.isASCII("a\r\nb"))
        XCTAssertFalse(ASCIIWords.isASCII("çaÖl"))
    }

    func testArticleAndHiddenMarksIgnoreCaseDashesAndSpaces() {
        let hidden = "<div style=\"color: red; DISPLAY : none\"><p>This hidden paragraph is a long sentence that a reader of the page never sees at all.</p></div>"
        let body = "<div class=\"Story-Body__inner\">\(storyHTML)\(hidden)</div>"
        XCTAssertEqual(Cleaner.clean(page(body), kind: .html).paragraphs, story)
        XCTAssertTrue(CompactName("Story-Body__inner", dropping: [UInt8(ascii: "-"), UInt8(ascii: "_")]).contains("storybody"))
        XCTAssertFalse(CompactName("article", "body", dropping: []).contains("articlebody"),
                       "class and id are joined with a space, not run together")
        XCTAssertFalse(CompactName("ab", dropping: []).contains("abc"))
    }
}

/// A seeded generator (Knuth's MMIX linear congruential one, high bits out), so the random
/// values are the same every run.
private struct LinearCongruential: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 33)
    }
}
