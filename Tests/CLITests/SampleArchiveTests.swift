// CLITests: the query language end to end on Tools/sample-archive (phrases, NEAR, ADJ, NOT,
// title:, prefixes) and the boilerplate its pages carry, which must not be searchable.
import Foundation
import XCTest

final class SampleArchiveTests: CLITestCase {
    private let archive = "Tools/sample-archive/"

    override func setUpWithError() throws {
        try super.setUpWithError()
        try indexSampleArchive()
    }

    private func ids(_ query: String, file: StaticString = #filePath, line: UInt = #line) throws -> Set<String> {
        let r = try newsidxAtRoot("search", "--index", indexPath, "--format", "paths", "--limit", "100", query,
                                  file: file, line: line)
        XCTAssertTrue(r.status == 0 || r.status == 1, "\(query): \(r.description)", file: file, line: line)
        XCTAssertEqual(r.status == 0, !r.lines.isEmpty, "exit status agrees with the hits", file: file, line: line)
        return Set(r.lines)
    }

    func testEveryDocumentIsIndexed() throws {
        let stats = try XCTUnwrap(try newsidx("stats", "--index", indexPath, "--format", "json").jsonLines().first)
        XCTAssertEqual(stats["documents"] as? Int, Fixture.sampleDocuments)
    }

    func testPhraseOfARecurringName() throws {
        let hits = try ids(#""northern rail union""#)
        XCTAssertEqual(hits, [
            "wire-2024-0402-flood-fund", "wire-2024-0404-rail-ballot",
            archive + "rail/2024-03-18-strike-begins.txt", archive + "rail/2024-03-27-talks-collapse.txt",
            archive + "flood/2024-03-15-clean-up-begins.txt", archive + "election/2024-04-08-assembly-campaign.txt",
            archive + "sport/2024-04-21-coastal-cup-final.txt",
        ])
        let count = try newsidx("search", "--index", indexPath, "--count", #""port halden""#)
        XCTAssertEqual(count.out, "10\n")
    }

    func testNearFindsOnlyTheArticleWithTheWordsClose() throws {
        let close = archive + "flood/2024-03-12-harbour-wall-breached.txt"
        let far = archive + "flood/2024-03-15-clean-up-begins.txt"
        XCTAssertEqual(try ids("bridge closure"), [close, far])
        XCTAssertEqual(try ids("bridge NEAR/5 closure"), [close])
        XCTAssertEqual(try ids("closure NEAR/5 bridge"), [close])
        XCTAssertEqual(try ids("bridge NEAR/2 closure"), [], "'closure of the Aldwick Bridge' has 3 words between")
        XCTAssertEqual(try ids("bridge NEAR closure"), [close])
        // A chain counts the window's other words ("of the"), not its middle operand, as
        // Lucene and Xapian do: whatever the ADJ chain finds, the NEAR chain finds.
        XCTAssertEqual(try ids("closure ADJ/2 aldwick ADJ/2 bridge"), [close])
        XCTAssertEqual(try ids("bridge NEAR/2 closure NEAR/2 aldwick"), [close])
        XCTAssertEqual(try ids("bridge NEAR/1 closure NEAR/1 aldwick"), [])
    }

    func testAdjKeepsTheOrder() throws {
        XCTAssertEqual(try ids("closure ADJ/5 bridge"), [archive + "flood/2024-03-12-harbour-wall-breached.txt"])
        XCTAssertEqual(try ids("bridge ADJ/5 closure"), [])
        // "pay offer" in one rail story, "an offer on pay" in the other.
        XCTAssertEqual(try ids("pay ADJ/3 offer"), [archive + "rail/2024-03-27-talks-collapse.txt"])
        XCTAssertEqual(try ids("offer ADJ/3 pay"), [archive + "rail/2024-03-18-strike-begins.txt"])
        XCTAssertEqual(try ids("pay NEAR/3 offer"), [archive + "rail/2024-03-27-talks-collapse.txt",
                                                     archive + "rail/2024-03-18-strike-begins.txt"])
    }

    func testExclusion() throws {
        let expected: Set = [archive + "election/2024-05-03-assembly-results.txt",
                             archive + "rail/2024-03-18-strike-begins.txt"]
        XCTAssertEqual(try ids(#""port halden" NOT flood*"#), expected)
        XCTAssertEqual(try ids(#""port halden" -flood*"#), expected)
        XCTAssertEqual(try ids("kestrel -tern"), ["wire-2024-0402-flood-fund"])
    }

    func testTitleField() throws {
        XCTAssertEqual(try ids("title:strike"), [
            "wire-2024-0404-rail-ballot", archive + "rail/2024-03-18-strike-begins.txt",
            archive + "rail/2024-03-27-talks-collapse.txt",
        ])
        // "Aldwick Bridge" is in two articles' text but in no title.
        XCTAssertEqual(try ids(#"title:"aldwick bridge""#), [])
        XCTAssertEqual(try ids(#""aldwick bridge""#).count, 2)
    }

    func testPrefix() throws {
        XCTAssertEqual(try ids("semicond*"), [
            "wire-2024-0402-flood-fund", "wire-2024-0412-kestrel-shares",
            archive + "tech/2024-04-16-kestrel-tern-chip-launch.html", archive + "tech/2024-04-23-tern-chip-first-look.txt",
        ])
    }

    /// On the stemmed index a prefix finds what each word it begins finds, and marks it:
    /// "emergency" is stored as `emerg`, which `emergen*` does not begin, and had found nothing.
    func testAPrefixFindsAndMarksWordsThroughTheirStems() throws {
        let emergency = try ids("emergency")
        XCTAssertEqual(emergency.count, 2)
        XCTAssertEqual(try ids("emergen*"), emergency)
        let r = try newsidxAtRoot("search", "--index", indexPath, "--format", "jsonl", "emergen*")
        for hit in try r.jsonLines() {
            let snippet = Array((hit["snippet"] as? String ?? "").unicodeScalars)
            let marked = (hit["highlights"] as? [[Int]] ?? []).map { String(String.UnicodeScalarView(snippet[$0[0]..<$0[1]])) }
            XCTAssertTrue(marked.contains { $0.lowercased().hasPrefix("emergen") }, "\(marked): \(hit)")
        }
    }

    /// A prefix that begins no word adds no stem of its own on an index that records every
    /// word: `cons*` had been read as `(cons* OR con)`, and found "con".
    func testAPrefixTakesNoStemOfItsOwn() throws {
        let r = try newsidxAtRoot("search", "--index", indexPath, "--analyze", "cons*")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.out, "cons*\n")
    }

    func testDatesAndTitlesOfEachKindOfInput() throws {
        let r = try newsidxAtRoot("search", "--index", indexPath, "--format", "jsonl", "--limit", "100", "--any",
                                  "insurers", "tern", "barley")
        let hits = try r.jsonLines()
        let byID = Dictionary(uniqueKeysWithValues: hits.map { ($0["id"] as! String, $0) })
        let html = try XCTUnwrap(byID[archive + "flood/2024-03-14-insurers-storm-surge.html"])
        XCTAssertEqual(html["title"] as? String, "Insurers told to honour storm surge claims in Port Halden")
        XCTAssertEqual(html["date"] as? String, "2024-03-14")
        let txt = try XCTUnwrap(byID[archive + "tech/2024-04-23-tern-chip-first-look.txt"])
        XCTAssertEqual(txt["date"] as? String, "2024-04-23")
        let record = try XCTUnwrap(byID["wire-2024-0528-barley-trading"])
        XCTAssertEqual(record["title"] as? String, "Grain exchange halts barley trading after prices jump again")
        XCTAssertEqual(record["date"] as? String, "2024-05-28")
    }

    func testBoilerplateAfterTheArticleIsNotSearchable() throws {
        // Words that occur only in the teasers, jobs widgets and "Most read" lists.
        let r = try newsidx("search", "--index", indexPath, "--batch",
                            stdin: "vellacourt\nlagoon\n\"promoted video\"\npayroll\nalpacas\n\"most read\"\n")
        XCTAssertEqual(r.status, 1, r.description)
        XCTAssertEqual(try r.jsonLines().map { $0["count"] as? Int }, [0, 0, 0, 0, 0, 0])
        // ... while the article text of the same pages is.
        XCTAssertEqual(try ids("pickets"), [archive + "rail/2024-03-18-strike-begins.txt"])
    }

    func testShowPrintsTheCleanedArticleWithoutBoilerplate() throws {
        let id = archive + "sport/2024-04-21-coastal-cup-final.txt"
        let r = try newsidxAtRoot("show", "--index", indexPath, id)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.out.hasPrefix("Port Halden Athletic win Coastal Cup final in extra time\n\nCARROWBY, 21 April 2024 —"), r.out)
        XCTAssertTrue(r.out.contains("Luis Ferreira-Quinn ran forty metres"), r.out)
        XCTAssertFalse(r.out.contains("PROMOTED VIDEO"), r.out)
        XCTAssertFalse(r.out.contains("Vellacourt"), r.out)
        XCTAssertFalse(r.out.contains("Head Groundskeeper"), r.out)
    }
}
