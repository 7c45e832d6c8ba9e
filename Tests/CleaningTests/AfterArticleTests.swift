// AfterArticleTests: what follows an article without furniture markup: readers' comments
// under a heading that announces them.
import XCTest
@testable import Cleaning

final class AfterArticleTests: XCTestCase {
    private let story = [
        "The Old Mill Bridge was closed to traffic on Wednesday morning after a lorry struck its railing and left part of the structure hanging over the river, police said.",
        "Nobody was injured in the collision, but engineers will inspect the bridge before it can reopen, which the council said was unlikely to happen before the weekend.",
    ]
    private let comments = [
        "This has been going on for far too long. The council knew the bridge was old and did nothing about it until it was too late, and now people are paying the price.",
        "I drive over that bridge every day and I can tell you the railing has been loose for months. Somebody should have fixed it long before this happened.",
    ]

    private func page(heading: String, commentClass: String) -> [UInt8] {
        let article = story.map { "<p>\($0)</p>" }.joined()
        let thread = comments.map { "<div class=\"\(commentClass)\"><p>\($0)</p></div>" }.joined()
        return Array("<html><body><main><article><h1>Bridge closed</h1>\(article)</article><section><h2>\(heading)</h2>\(thread)</section></main></body></html>".utf8)
    }

    /// A count or "Reader" with the word for comments or responses ends the article, even where
    /// each comment sits in a "post-body", which names an article body.
    func testCommentsHeadingEndsTheArticle() {
        for heading in ["3 Comments", "Reader responses", "Kommentare (2)"] {
            for commentClass in ["c", "post-body"] {
                let article = Cleaner.clean(page(heading: heading, commentClass: commentClass), kind: .html)
                XCTAssertEqual(article.paragraphs, story, "\(heading) / \(commentClass)")
            }
        }
    }

    /// A comment count linked in the byline, or a heading that only mentions a response, ends nothing.
    func testHeadingsThatDoNotAnnounceCommentsEndNothing() {
        XCTAssertFalse(CommentsHeading.isCommentsHeading(PageBlock(text: "The government's response")))
        XCTAssertFalse(CommentsHeading.isCommentsHeading(PageBlock(text: "Responses")))
        XCTAssertTrue(CommentsHeading.isCommentsHeading(PageBlock(text: "12 replies")))
        var linked = PageBlock(text: "12 comments")
        linked.linkChars = 11
        XCTAssertFalse(CommentsHeading.isCommentsHeading(linked))
        let article = Cleaner.clean(page(heading: "Government response", commentClass: "c"), kind: .html)
        XCTAssertTrue(article.paragraphs.contains(comments[1]))
    }

    /// In HTML only a heading announces the comments: a "Comments" label in an action bar
    /// between two paragraphs had ended the article there.
    func testACommentsLabelThatIsNoHeadingEndsNothing() {
        let bar = "<div class=\"actions\"><span>Comments</span></div>"
        let html = "<html><body><article><h1>Bridge closed</h1><p>\(story[0])</p>\(bar)<p>\(story[1])</p></article></body></html>"
        XCTAssertEqual(Cleaner.clean(Array(html.utf8), kind: .html).paragraphs.filter(story.contains), story)
    }
}
