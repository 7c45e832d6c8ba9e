// BlockClassifierTests: short lines that are page furniture by their words (ad labels, share
// buttons, bylines, datelines) and component names in data attributes.
import XCTest
@testable import Cleaning

final class BlockClassifierTests: XCTestCase {
    private let story = [
        "A week-long rail strike will go ahead from Monday after last-minute talks between the union and the operators broke down late on Thursday night.",
        "The union said that the latest pay offer fell far short of the rise in the cost of living and came with conditions that its members could not accept.",
        "The operators said they had made a fair offer in difficult circumstances and accused the union of refusing to discuss changes to working hours.",
    ]

    private func clean(_ body: String) -> [String] {
        Cleaner.clean(Array("<html><body><article><h1>Rail strike</h1>\(body)</article></body></html>".utf8), kind: .html).paragraphs
    }

    /// "Advertisement" or "Share" alone between two paragraphs is no "short line between content".
    func testFurnitureLabelIsDroppedBetweenParagraphs() {
        for label in ["Advertisement", "Share", "Anzeige", "Publicité", "Print | Email"] {
            let body = "<p>\(story[0])</p><p>\(story[1])</p><div><p>\(label)</p></div><p>\(story[2])</p>"
            XCTAssertEqual(clean(body), story, label)
        }
        XCTAssertFalse(FurnitureLabel.matches(PageBlock(text: "Print")))
        XCTAssertFalse(FurnitureLabel.matches(PageBlock(text: "Share prices")))
    }

    /// A byline and a dateline among the first paragraphs are who wrote the article and when.
    func testBylinesAndDatelinesAreDropped() {
        for line in ["By Laura Chen, Transport Correspondent", "Published: 16 July 2024", "November 15, 2024 at 8:00 a.m. EST"] {
            let body = "<p>\(story[0])</p><div><span>\(line)</span></div><p>\(story[1])</p><p>\(story[2])</p>"
            XCTAssertEqual(clean(body), story, line)
        }
    }

    /// A date alone is the article's own (a timeline's entry, a subheading); only a date that
    /// says it is the publication's, by a word or a time of day, is a dateline.
    func testADateAloneInTheArticleStays() {
        for line in ["<p><strong>3 March 2014</strong></p>", "<h2>12 May 1999</h2>"] {
            let body = "<p>\(story[0])</p>\(line)<p>\(story[1])</p><p>\(story[2])</p>"
            XCTAssertEqual(clean(body).count, 4, line)
        }
        XCTAssertEqual(clean("<p>\(story[0])</p><p>Thu 14 Nov 2024 06.00 GMT</p><p>\(story[1])</p><p>\(story[2])</p>"), story)
    }

    /// data-qa="author-bio" names the element as a class would.
    func testDataAttributeNamesFurniture() {
        let bio = "Jane Morrow is our transport correspondent. She joined the paper in 2011 after ten years working for regional newspapers in the north."
        let body = story.map { "<p>\($0)</p>" }.joined() + "<div data-qa=\"author-bio\"><p>\(bio)</p></div>"
        XCTAssertEqual(clean(body), story)
        let settings = story.map { "<p data-track=\"{&quot;share&quot;:1}\">\($0)</p>" }.joined()
        XCTAssertEqual(clean(settings), story)
    }
}
