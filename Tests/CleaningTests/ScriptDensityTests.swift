// ScriptDensityTests: block lengths in Chinese, Japanese and Korean weigh a character by what it
// writes, so jusText's thresholds judge their paragraphs as they judge English ones.
import XCTest
@testable import Cleaning

final class ScriptDensityTests: XCTestCase {
    func testIdeographsAndHangulCountThreeKanaTwoOtherScriptsOne() {
        XCTAssertEqual(TextMeasure("公园").chars, 6)
        XCTAssertEqual(TextMeasure("수영장").chars, 9)
        XCTAssertEqual(TextMeasure("かな").chars, 4)
        XCTAssertEqual(TextMeasure("図書館へ").chars, 11)
        XCTAssertEqual(TextMeasure("𠀋").chars, 3)
        // Letter-by-letter scripts count their characters, however many bytes each takes.
        XCTAssertEqual(TextMeasure("ภาษาไทย").chars, 7)
        XCTAssertEqual(TextMeasure("नमस्ते").chars, 6)
        XCTAssertEqual(TextMeasure("Привет").chars, 6)
        // Punctuation and the ideographic space are not ideographs.
        XCTAssertEqual(TextMeasure("。、「」").chars, 4)
    }

    func testFullWidthMarksEndSentences() {
        XCTAssertTrue(TextMeasure("他们赢了！").endsLikeSentence)
        XCTAssertTrue(TextMeasure("本当ですか？").endsLikeSentence)
        XCTAssertTrue(TextMeasure("他说：“我们会赢。”").endsLikeSentence)
        XCTAssertTrue(TextMeasure("「静かです。」").endsLikeSentence)
        XCTAssertFalse(TextMeasure("新的步道，").endsLikeSentence)
    }

    private let shortParagraphs = [
        "经过两年的修整，河边公园今天上午重新向市民开放。",
        "公园管理处表示，新的步道全长三公里，沿着河岸一直延伸到老码头。",
        "许多附近的居民一早就来到公园散步。",
        "一位带着孩子的母亲说，她很高兴孩子们又有了一个安全的地方玩耍。",
        "管理处还说，明年春天将在公园北侧种植五百棵樱花树，并增加两个儿童游乐场。",
    ]

    /// One-sentence paragraphs, as Chinese news is often written: each is as long as a short
    /// English paragraph, not a menu entry. Counted a character each (with a page's thresholds
    /// halved), none reached the length that anchors an article, and the body came out empty.
    func testAChineseArticleOfOneSentenceParagraphsIsKept() {
        let body = shortParagraphs.map { "<p>\($0)</p>" }.joined()
        let page = "<html><body><nav><a href='/'>首页</a> <a href='/news'>新闻</a></nav><article><h1>河边公园今天重新开放</h1>"
            + body + "</article><footer><p>版权所有 © 2026 城市日报</p></footer></body></html>"
        let article = Cleaner.clean(Array(page.utf8), kind: .html)
        XCTAssertEqual(article.paragraphs, shortParagraphs)
    }

    /// Link text is measured in the same unit as the block, so a list of long linked headlines
    /// stays as link-dense as it is.
    func testLinkedChineseHeadlinesAreStillLinks() {
        let links = ["市政府宣布明年将新建三座图书馆和两个体育中心", "城市地铁五号线下个月开始试运行并公布票价"]
            .map { "<li><a href='/x'>\($0)</a></li>" }.joined()
        let page = "<html><body><article><h1>河边公园今天重新开放</h1>"
            + shortParagraphs.map { "<p>\($0)</p>" }.joined()
            + "</article><div><ul>\(links)</ul></div></body></html>"
        let article = Cleaner.clean(Array(page.utf8), kind: .html)
        XCTAssertEqual(article.paragraphs, shortParagraphs)
        let linked = article.blocks.filter { $0.text.hasPrefix("市政府") }
        XCTAssertEqual(linked.map(\.reason), ["link density 1.00"])
    }

    /// Chinese and Japanese prose leaves no space between words: short runs with spaces between
    /// are a menu's entries. Korean prose is spaced, and a headline may hold one space.
    func testSpacedRunsOfChineseOrJapaneseAreAMenu() {
        XCTAssertTrue(PageBlock(text: "首页 本地 民生 视频 直播 我的").isSpacedMenu)
        XCTAssertTrue(PageBlock(text: "速報\u{3000}野球\u{3000}サッカー\u{3000}バスケ").isSpacedMenu)
        XCTAssertFalse(PageBlock(text: "连续高温下 我市户外劳动者午间可“歇伏”").isSpacedMenu)
        XCTAssertFalse(PageBlock(text: "어린이 전용 풀도 새로 생겼다").isSpacedMenu)
        XCTAssertFalse(PageBlock(text: "Home News Sport Business").isSpacedMenu)
        let dump = "首页 本地 民生 视频 直播 我的\n\n" + shortParagraphs.joined(separator: "\n\n") + "\n\n版权所有 © 2026 城市日报\n"
        let article = Cleaner.clean(Array(dump.utf8), kind: .plainText)
        XCTAssertFalse(article.paragraphs.contains { $0.hasPrefix("首页") }, "\(article.paragraphs)")
        XCTAssertNotEqual(article.title, "首页 本地 民生 视频 直播 我的")
    }

    /// A Chinese headline is often one unbroken run of characters, one "word" to the measures:
    /// a text file's first line had never been taken for its title.
    func testAnUnbrokenChineseHeadlineIsATextFilesTitle() {
        let text = "北京市政府宣布新的空气污染治理计划\n\n" + shortParagraphs.joined(separator: "\n\n") + "\n"
        XCTAssertEqual(Cleaner.clean(Array(text.utf8), kind: .plainText).title, "北京市政府宣布新的空气污染治理计划")
    }
}
