// CLITests: how ranked natural-language queries are read: stop words leave ranked OR lists only,
// --words splits hyphenated words into their parts, and unknown stop lists are refused.
import Foundation
import XCTest

final class RankedQueryTests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try indexHarbourFixture(stemmer: "none")
    }

    func analyze(_ args: String...) throws -> String {
        let r = try CLI.run(["search", "--index", indexPath, "--analyze"] + args, in: tmp)
        XCTAssertEqual(r.status, 0, r.description)
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testStopWordsLeaveRankedOrListsOnly() throws {
        XCTAssertEqual(try analyze("--any", "the ferry of pier"), "OR(ferry, pier)")
        XCTAssertEqual(try analyze("--any", "--stopwords", "none", "the ferry"), "OR(the, ferry)")
        XCTAssertEqual(try analyze("--any", "the of"), "OR(the, of)", "a query of nothing but stop words keeps them")
        XCTAssertEqual(try analyze("the ferry"), "AND(the, ferry)", "AND queries keep every word")
        XCTAssertEqual(try analyze("--any", "\"the ferry\""), "\"the ferry\"", "phrases keep their stop words")
    }

    func testWordsModeSplitsHyphenatedWords() throws {
        XCTAssertEqual(try analyze("--any", "--words", "winter-ferry timetable"), "OR(winter, ferry, timetable)")
        XCTAssertEqual(try analyze("--any", "winter-ferry timetable"), "OR(\"winter ferry\", timetable)",
                       "with the query syntax a hyphenated word stays a phrase")
    }

    func testUnknownStopListIsRefused() throws {
        let r = try newsidx("search", "--index", indexPath, "--any", "--stopwords", "klingon", "ferry")
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertTrue(r.err.contains("klingon"), r.err)
    }
}
