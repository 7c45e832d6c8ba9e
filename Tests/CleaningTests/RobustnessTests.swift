// RobustnessTests: cleaning never crashes and degrades gracefully on hostile input: invalid
// UTF-8, empty input, a 50 MB single line, 10,000 nested elements, malformed HTML.
import XCTest
@testable import Cleaning

final class RobustnessTests: XCTestCase {
    private let prose = "The council said on Tuesday that the new bridge would open in the spring, "
        + "after engineers had finished testing the steel supports and the lighting along the river path."

    /// UTF-8 text with stray bytes (text without any UTF-8 sequence is read as Windows-1252).
    func testInvalidUTF8IsReplacedAndReported() {
        var bytes = Array("Headline about the bridge café\n\n\(prose)\n".utf8)
        bytes.insert(contentsOf: [0xC3, 0x28, 0xFF], at: bytes.count - 20)
        for kind in [InputKind.plainText, .html] {
            let article = Cleaner.clean(kind == .html ? Array("<p>".utf8) + bytes + Array("</p>".utf8) : bytes, kind: kind)
            XCTAssertTrue(article.warnings.contains { $0.contains("invalid UTF-8") }, "\(kind)")
            XCTAssertTrue(article.body.contains("\u{FFFD}"), "\(kind): replacement character missing")
            XCTAssertTrue(article.body.contains("engineers had finished testing"), "\(kind)")
        }
    }

    func testValidUTF8HasNoWarnings() {
        let article = Cleaner.clean(Array("Titel\n\nÜber die Brücke: \(prose)".utf8), kind: .plainText)
        XCTAssertEqual(article.warnings, [])
    }

    func testEmptyInputGivesAnEmptyArticle() {
        for kind in [InputKind.plainText, .html] {
            for input in [[UInt8](), Array("   \n\n\t ".utf8)] {
                let article = Cleaner.clean(input, kind: kind)
                XCTAssertEqual(article.title, "")
                XCTAssertEqual(article.paragraphs, [])
            }
        }
    }

    func testFiftyMegabyteSingleLineIsCleaned() {
        let sentence = Array("the river path will be lit at night and the bridge opens in spring. ".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(50 << 20)
        while bytes.count < 50 << 20 { bytes.append(contentsOf: sentence) }
        let article = Cleaner.clean(bytes, kind: .plainText)
        let kept = article.title.utf8.count + article.paragraphs.reduce(0) { $0 + $1.utf8.count }
        XCTAssertGreaterThan(kept, 49 << 20, "the single prose line should be kept")
    }

    func testFiftyMegabyteSingleLineHTMLDoesNotCrash() {
        var html = Array("<html><body><p>".utf8)
        let sentence = Array("the river path will be lit at night &amp; the bridge opens in spring. ".utf8)
        while html.count < 50 << 20 { html.append(contentsOf: sentence) }
        html.append(contentsOf: Array("</p></body></html>".utf8))
        let article = Cleaner.clean(html, kind: .html)
        XCTAssertTrue(article.body.hasPrefix("the river path will be lit at night & the bridge"))
    }

    func testTenThousandNestedElementsDoNotCrash() {
        let depth = 10_000
        let html = "<html><body><p>\(prose)</p>" + String(repeating: "<div>", count: depth) + "deep text"
            + String(repeating: "</div>", count: depth) + "<p>\(prose.replacingOccurrences(of: "council", with: "mayor"))</p></body></html>"
        let article = Cleaner.clean(Array(html.utf8), kind: .html)
        XCTAssertTrue(article.body.contains("The council said"))
        XCTAssertTrue(article.body.contains("The mayor said"), "text after the deep nesting was lost")
    }

    func testNestingWithinTheParserLimitKeepsTheDOMRules() {
        let html = "<html><body><nav><a href=/a>Home</a></nav>" + String(repeating: "<div>", count: 100)
            + "<p>\(prose)</p>" + String(repeating: "</div>", count: 100) + "</body></html>"
        let article = Cleaner.clean(Array(html.utf8), kind: .html)
        XCTAssertEqual(article.paragraphs, [prose])
        XCTAssertFalse(article.warnings.contains { $0.contains("read as text") })
    }

    func testMalformedHTMLStillYieldsTheArticle() {
        let html = """
        <html><head><title>Bridge opens | Town News</title>
        <body><nav><a href=/>Home</a><a href=/n>News<a href=/s>Sport</nav>
        <div class=story><h1>Bridge opens<p>\(prose)<p>\(prose.replacingOccurrences(of: "council", with: "mayor"))
        </span></b><div><p>Unclosed paragraph with <b>bold <i>italic</b> text that keeps going, as \
        the residents who gathered on the bank said they had waited for the crossing for years.
        <footer>&copy; Town News <a href=/privacy>Privacy</a></footer>
        """
        let article = Cleaner.clean(Array(html.utf8), kind: .html)
        XCTAssertEqual(article.title, "Bridge opens")
        XCTAssertTrue(article.body.contains("The mayor said on Tuesday"))
        XCTAssertTrue(article.body.contains("residents who gathered"))
        XCTAssertFalse(article.body.contains("Privacy"))
        XCTAssertFalse(article.body.contains("Sport"))
    }

    func testBinaryGarbageDoesNotCrash() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for kind in [InputKind.plainText, .html] {
            let article = Cleaner.clean(bytes, kind: kind)
            XCTAssertFalse(article.warnings.isEmpty, "\(kind): invalid bytes must be reported")
        }
    }
}
