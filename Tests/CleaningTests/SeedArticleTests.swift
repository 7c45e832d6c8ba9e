// SeedArticleTests: the canonical scraped page (article, then teasers, video links, a job
// widget) must come out as title, standfirst and body, and nothing after the body.
import XCTest
@testable import Cleaning

final class SeedArticleTests: XCTestCase {
    private static let seedPath = "seed/000_c07263dc242f3a68.txt"

    private func seed() throws -> (lines: [String], article: Article) {
        let bytes = try CorpusFixtures.read(Self.seedPath)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            .map { TextBlocks.trim($0) }.filter { !$0.isEmpty }
        return (lines, Cleaner.clean(bytes, kind: .plainText))
    }

    func testTitleIsTheFirstLine() throws {
        let (lines, article) = try seed()
        XCTAssertEqual(article.title, lines[0])
    }

    func testStandfirstAndEveryBodyParagraphAreKept() throws {
        let (lines, article) = try seed()
        let bodyEnd = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Video: Clashes in Syria") })
        // Everything between the title and the first page furniture line is the article.
        let expected = Array(lines[1..<bodyEnd])
        XCTAssertEqual(expected.filter { !article.paragraphs.contains($0) }, [], "article lines dropped")
        XCTAssertEqual(article.paragraphs.count, expected.count)
        XCTAssertTrue(article.paragraphs[1].hasPrefix("Moderate Syrian rebels have made a renewed call"))
        XCTAssertTrue(article.paragraphs.last?.contains("whether or not they are able to turn the tide.") ?? false)
    }

    func testNothingFromTheVideoLineOnIsKept() throws {
        let (lines, article) = try seed()
        let bodyEnd = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Video: Clashes in Syria") })
        let tail = Set(lines[bodyEnd...])
        XCTAssertTrue(article.paragraphs.allSatisfy { !tail.contains($0) })
        XCTAssertFalse(article.body.contains("Lena Dunham"))
        XCTAssertFalse(article.body.contains("Downton Abbey"))
        XCTAssertFalse(article.body.contains("Day In a Page"))
    }

    func testEveryDroppedBlockHasAReason() throws {
        let (_, article) = try seed()
        XCTAssertFalse(article.dropped.isEmpty)
        XCTAssertTrue(article.dropped.allSatisfy { !$0.reason.isEmpty })
        XCTAssertTrue(article.dropped.contains { $0.text == "Day In a Page" })
    }
}
