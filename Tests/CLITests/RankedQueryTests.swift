// CLITests: how ranked natural-language queries are read: stop words leave ranked OR lists only,
// --words splits hyphenated words into their parts, unknown stop lists are refused, and
// --bigram-weight scores consecutive query words found side by side.
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

    /// Without --stopwords, an index stemmed in a language with a stop list uses that list (a
    /// German index had got the English one), one stemmed in another language none, and an
    /// unstemmed one English.
    func testTheStopListFollowsTheIndexLanguage() throws {
        let german = tmp.appendingPathComponent("de").path
        let path = try write("de.jsonl", #"{"id":"de-1","text":"Die Fähre fährt über den Hafen"}"# + "\n")
        XCTAssertEqual(try newsidx("index", "--index", german, "--stemmer", "german", path).status, 0)
        let r = try newsidx("search", "--index", german, "--analyze", "--any", "die fähre und der hafen")
        XCTAssertEqual(r.out, "OR(fahr, haf)\n", r.description)
        XCTAssertEqual(try analyze("--any", "the ferry und pier"), "OR(ferry, und, pier)", "an unstemmed index: English")
        // A language with a stemmer and no list keeps every word: English's had dropped Dutch
        // "been" (leg) and Turkish "on" (ten) and "her" (every).
        let dutch = tmp.appendingPathComponent("nl").path
        let nl = try write("nl.jsonl", #"{"id":"nl-1","text":"Een gebroken been na de val"}"# + "\n")
        XCTAssertEqual(try newsidx("index", "--index", dutch, "--stemmer", "dutch", nl).status, 0)
        let broken = try newsidx("search", "--index", dutch, "--analyze", "--any", "gebroken been")
        XCTAssertEqual(broken.out, "OR(gebrok, ben)\n", broken.description)
        let listed = try newsidx("search", "--index", dutch, "--analyze", "--any", "--stopwords", "english", "gebroken been")
        XCTAssertEqual(listed.out, "gebrok\n", "a list named is used: \(listed.description)")
    }

    /// An OR the query spells out is boolean: dropping its stop word would turn it into an AND.
    func testAWrittenOrKeepsItsStopWords() throws {
        XCTAssertEqual(try analyze("ferry (the OR pier)"), "AND(ferry, OR(the, pier))")
        XCTAssertEqual(try analyze("the OR pier"), "OR(the, pier)")
        XCTAssertEqual(try analyze("--any", "ferry the pier"), "OR(ferry, pier)", "--any lists still drop them")
        let withStopWord = try CLI.run(["search", "--index", indexPath, "--count", "ferry (the OR pier)"], in: tmp)
        let ferry = try CLI.run(["search", "--index", indexPath, "--count", "ferry"], in: tmp)
        XCTAssertEqual(withStopWord.out, ferry.out, "every ferry document holds 'the' or 'pier'")
    }

    func testWordsModeSplitsHyphenatedWords() throws {
        XCTAssertEqual(try analyze("--any", "--words", "winter-ferry timetable"), "OR(winter, ferry, timetable)")
        XCTAssertEqual(try analyze("--any", "winter-ferry timetable"), "OR(\"winter ferry\", timetable)",
                       "with the query syntax a hyphenated word stays a phrase")
    }

    /// Refused even by a query that has no ranked OR list and so never loads a stop list.
    func testUnknownStopListIsRefused() throws {
        for mode in [["--any"], []] {
            let r = try CLI.run(["search", "--index", indexPath] + mode + ["--stopwords", "klingon", "ferry"], in: tmp)
            XCTAssertEqual(r.status, 2, "\(mode): \(r.description)")
            XCTAssertTrue(r.err.contains("unknown stop word list 'klingon'"), r.err)
        }
    }

    /// tide-1's score for a ranked OR search.
    private func tideOneScore(_ args: String...) throws -> Double {
        let r = try CLI.run(["search", "--index", indexPath, "--any", "--format", "jsonl"] + args, in: tmp)
        XCTAssertEqual(r.status, 0, r.description)
        let hits = try r.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let hit = try XCTUnwrap(hits.first { $0?["id"] as? String == "tide-1" }, r.out)
        return try XCTUnwrap(hit?["score"] as? Double)
    }

    func score(of id: String, _ args: [String]) throws -> Double? {
        let r = try CLI.run(["search", "--index", indexPath, "--format", "jsonl"] + args, in: tmp)
        let hits = try r.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return hits.first { $0?["id"] as? String == id }??["score"] as? Double
    }

    /// The ranked-OR extras (title weight, proximity) belong to --any: also with an exclusion
    /// (an excluded word had turned them off) and for one word (it had had no title weight),
    /// and not to an OR written in an AND query (it had taken them).
    func testRankingExtrasFollowAnyAlone() throws {
        let list = try XCTUnwrap(try score(of: "tide-1", ["--any", "pier gulls"]))
        XCTAssertEqual(try score(of: "tide-1", ["--any", "--", "pier gulls -walrus"]), list, "an exclusion that excludes nothing")
        let plain = try XCTUnwrap(try score(of: "tide-1", ["--any", "--title-weight", "0", "--proximity", "0", "pier gulls"]))
        XCTAssertGreaterThan(list, plain)
        XCTAssertEqual(try score(of: "tide-1", ["pier OR gulls"]), plain, "a written OR sums its words' BM25 alone")
        let one = try XCTUnwrap(try score(of: "tide-1", ["--any", "pier"]))
        XCTAssertGreaterThan(one, try XCTUnwrap(try score(of: "tide-1", ["pier"])), "pier is in tide-1's title")
        for args in [["--any", "--", "pier gulls -walrus"], ["--any", "pier"], ["pier OR gulls"]] {
            let r = try CLI.run(["search", "--index", indexPath, "--format", "json", "--explain", "--limit", "1"] + args, in: tmp)
            let top = try XCTUnwrap(((try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])?["hits"] as? [[String: Any]])?.first, r.out)
            let explained = try XCTUnwrap((top["explain"] as? [String: Any])?["value"] as? Double, "\(top)")
            XCTAssertEqual(explained, try XCTUnwrap(top["score"] as? Double), accuracy: 1e-9, "\(args): the explanation adds up")
        }
    }

    func testBigramWeightScoresWordsSideBySide() throws {
        let plain = try tideOneScore("old pier")
        let withBigrams = try tideOneScore("--bigram-weight", "0.5", "old pier")
        XCTAssertGreaterThan(withBigrams, plain, "\"old pier\" stands twice in tide-1")

        let explained = try newsidx("search", "--index", indexPath, "--any", "--explain", "--limit", "1",
                                    "--bigram-weight", "0.5", "old pier")
        XCTAssertEqual(explained.status, 0, explained.description)
        XCTAssertTrue(explained.out.contains("bigram weight 0.5"), explained.out)
        XCTAssertTrue(explained.out.contains(#""old pier""#), explained.out)

        let negative = try newsidx("search", "--index", indexPath, "--any", "--bigram-weight", "-1", "old pier")
        XCTAssertEqual(negative.status, 2, negative.description)
        XCTAssertTrue(negative.err.contains("--bigram-weight"), negative.err)
    }
}
