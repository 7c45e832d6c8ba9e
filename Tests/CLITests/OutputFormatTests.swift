// CLITests: the output formats scripts rely on: text, --format jsonl, paths, paths0, --count,
// --offset paging, and --batch (one JSON object per query line, errors included).
import Foundation
import XCTest

final class OutputFormatTests: CLITestCase {
    func testTextFormatShowsRankTitleIdDateAndScore() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "ferry")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.lines.count, 3, r.out)  // title, id/date/score, snippet
        XCTAssertEqual(r.lines[0], "1. Winter ferry timetable")
        XCTAssertTrue(r.lines[1].hasPrefix("    tide-3  score "), r.lines[1])  // no date known
        XCTAssertTrue(r.lines[2].hasPrefix("    ") && r.lines[2].lowercased().contains("ferry"), r.lines[2])

        let dated = try newsidx("search", "--index", indexPath, "lighthouse")
        XCTAssertEqual(dated.lines.first, "1. Gulls nest on the lighthouse gallery")
        XCTAssertTrue(dated.lines[1].hasPrefix("    tide-2  2023-05-11  score "), dated.lines[1])
    }

    func testJSONLinesHitsHaveTheDocumentedFields() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--format", "jsonl", "--any", "pier", "ferry")
        XCTAssertEqual(r.status, 0, r.description)
        let hits = try r.jsonLines()
        XCTAssertEqual(hits.count, 3)
        XCTAssertEqual(hits.map { $0["rank"] as? Int }, [1, 2, 3])
        XCTAssertEqual(Set(hits.compactMap { $0["id"] as? String }), ["tide-1", "tide-3", "tide-4"])
        let scores = hits.compactMap { ($0["score"] as? NSNumber)?.doubleValue }
        XCTAssertEqual(scores.count, 3)
        XCTAssertTrue(scores.allSatisfy { $0 > 0 }, "\(scores)")
        XCTAssertEqual(scores, scores.sorted(by: >), "hits are ranked by descending score")

        let byID = Dictionary(uniqueKeysWithValues: hits.map { ($0["id"] as! String, $0) })
        for record in Fixture.harbourRecords where byID[record.id] != nil {
            let hit = byID[record.id]!
            XCTAssertEqual(hit["title"] as? String, record.title)
            XCTAssertEqual(hit["date"] as? String, record.date, "date of \(record.id)")
            XCTAssertNotNil(hit["snippet"] as? String, "snippet of \(record.id)")
        }
        XCTAssertNil(byID["tide-3"]?["date"], "a document without a date has no date field")
        for hit in hits {
            var expected: Set<String> = ["rank", "id", "score", "title", "snippet", "highlights"]
            if hit["id"] as? String != "tide-3" { expected.insert("date") }
            XCTAssertEqual(Set(hit.keys), expected, "fields of \(hit)")
        }
    }

    /// A hit's snippet should quote the document around what matched; it is always "" today.
    func testJSONLinesSnippetQuotesTheMatchedText() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--format", "jsonl", "lighthouse")
        let hit = try XCTUnwrap(try r.jsonLines().first)
        let snippet = try XCTUnwrap(hit["snippet"] as? String)
        XCTAssertFalse(snippet.isEmpty, "snippet is empty for a hit on 'lighthouse'")
        XCTAssertTrue(snippet.lowercased().contains("lighthouse"), "snippet: \(snippet)")
    }

    /// Snippets quote the densest passages first, and a NEAR window where its words are near
    /// each other, not where the first word happens to occur first.
    func testSnippetsQuoteTheDensestPassagesAndTheNearWindow() throws {
        let filler = (1...30).map { "filler\($0)" }
        var words: [String] = []
        for i in 1...5 { words += ["lone\(i)", "kestrel", "after\(i)"] + filler }  // five single kestrels
        words += ["kestrel", "alder", "kestrel", "birch", "kestrel"] + filler  // then three together
        words += ["wren", "early"] + filler + ["late", "wren", "and", "finch"] + filler
        let path = try write("birds.jsonl", Fixture.jsonl([Fixture.Record(id: "birds", title: "Birds", text: words.joined(separator: " "), date: nil)]))
        XCTAssertEqual(try newsidx("index", "--index", indexPath, path).status, 0)
        func snippet(_ query: String) throws -> String {
            let r = try newsidx("search", "--index", indexPath, "--format", "jsonl", "--context", "2", query)
            return try XCTUnwrap(try r.jsonLines().first?["snippet"] as? String, r.description)
        }
        let kestrels = try snippet("kestrel")
        XCTAssertTrue(kestrels.contains("kestrel alder kestrel birch kestrel"), "the cluster comes first: \(kestrels)")
        XCTAssertTrue(kestrels.contains("lone1") && kestrels.contains("lone2"), "then the earliest single ones: \(kestrels)")
        XCTAssertFalse(kestrels.contains("lone3"), "three passages in all: \(kestrels)")
        let near = try snippet("wren NEAR/3 finch")
        XCTAssertTrue(near.contains("late wren and finch"), near)
        XCTAssertFalse(near.contains("early"), "the first wren is too far from the finch: \(near)")
    }

    /// A run without a space longer than 200 characters shows its first and last 99: passages
    /// are counted in words, and one scraped blob or rule had made a snippet line of hundreds
    /// of kilobytes (found by an output QA helper). Highlights still mark the matches.
    func testSnippetsCutLongRunsWithoutSpaces() throws {
        let blob = String(repeating: "Qx", count: 100_000), rule = String(repeating: "-", count: 50_000)
        let text = "The zeppelin \(blob) landed near \(rule) the field, then \(String(repeating: "\u{1F680}", count: 5_000)) zeppelin again."
        let path = try write("z.jsonl", Fixture.jsonl([Fixture.Record(id: "z", title: "Airships", text: text, date: nil)]))
        XCTAssertEqual(try newsidx("index", "--index", indexPath, path).status, 0)
        for format in ["jsonl", "text", "tsv"] {
            let r = try newsidx("search", "--index", indexPath, "--format", format, "zeppelin")
            XCTAssertEqual(r.status, 0, r.description)
            XCTAssertLessThan(r.out.utf8.count, 3_000, "\(format): \(r.out.prefix(300))")
        }
        let hit = try XCTUnwrap(try newsidx("search", "--index", indexPath, "--format", "jsonl", "zeppelin").jsonLines().first)
        let snippet = try XCTUnwrap(hit["snippet"] as? String)
        XCTAssertTrue(snippet.contains("The zeppelin QxQx") && snippet.contains("xQ…xQ") && snippet.contains("Qx landed near ---"), snippet)
        XCTAssertTrue(snippet.contains("--- the field, then \u{1F680}"), snippet)
        let scalars = Array(snippet.unicodeScalars)
        let marked = try XCTUnwrap(hit["highlights"] as? [[Int]]).map { String(String.UnicodeScalarView(scalars[$0[0]..<$0[1]])) }
        XCTAssertEqual(marked, ["zeppelin", "zeppelin"], snippet)
        // Counted in characters, cut between them: 150 accented letters written with combining
        // marks are 300 code points but no long run, and 300 family emoji are cut between two.
        let accents = String(repeating: "e\u{301}", count: 150), families = String(repeating: "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}", count: 300)
        let more = Fixture.jsonl([Fixture.Record(id: "y", title: "Gliders", text: "The glider \(accents) and \(families) glider.", date: nil)])
        XCTAssertEqual(try newsidx("index", "--index", indexPath, try write("y.jsonl", more)).status, 0)
        let gliders = try XCTUnwrap(try newsidx("search", "--index", indexPath, "--format", "jsonl", "glider").jsonLines().first?["snippet"] as? String)
        XCTAssertTrue(gliders.contains(accents), "no run over 200 characters: \(gliders)")
        XCTAssertTrue(gliders.contains("\u{1F467}…\u{1F468}"), "cut between whole emoji: \(gliders)")
        XCTAssertEqual(gliders.components(separatedBy: "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}").count - 1, 198, gliders)
        // One letter under 100,000 combining marks is one character but no short run (review).
        let zalgo = Fixture.jsonl([Fixture.Record(id: "z2", title: "Traders", text: "The traders Z\(String(repeating: "\u{301}", count: 100_000)) left.", date: nil)])
        XCTAssertEqual(try newsidx("index", "--index", indexPath, try write("z2.jsonl", zalgo)).status, 0)
        let traders = try newsidx("search", "--index", indexPath, "--format", "jsonl", "traders")
        XCTAssertLessThan(traders.out.utf8.count, 2_000, traders.out.prefix(300).description)
    }

    func testJSONLinesDecodeWithJSONDecoder() throws {
        struct Hit: Decodable {
            var rank: Int
            var id: String
            var score: Double
            var title: String
            var date: String?
            var snippet: String
        }
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--format", "jsonl", "\"old pier\"")
        XCTAssertEqual(r.status, 0, r.description)
        let hits = try r.lines.map { try JSONDecoder().decode(Hit.self, from: Data($0.utf8)) }
        XCTAssertEqual(Set(hits.map(\.id)), ["tide-1", "tide-4"])
        XCTAssertEqual(Set(hits.compactMap(\.date)), ["2023-04-02", "2023-06-20"])
    }

    /// `--explain`'s tree names the hit by its id: one node stays one line, and an id's escape
    /// sequence does not reach the terminal (the tree had printed ids raw).
    func testExplainTreeShowsOddIdsOnOneLine() throws {
        let records = #"{"id":"a\nb","title":"Kiwi one","text":"kiwi fruit"}"# + "\n"
            + #"{"id":"c\u001b[2Jd","title":"Kiwi two","text":"kiwi bird"}"# + "\n"
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "-", stdin: records).status, 0)
        let r = try newsidx("search", "--index", indexPath, "--explain", "--no-snippets", "kiwi")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertFalse(r.out.unicodeScalars.contains { $0.value == 0x1B }, r.out)
        let roots = r.lines.filter { $0.contains("= score of ") }
        XCTAssertEqual(roots.count, 2, r.out)
        XCTAssertTrue(roots.contains { $0.hasSuffix("score of a\u{FFFD}b") }, r.out)
        XCTAssertTrue(roots.contains { $0.hasSuffix("score of c\u{FFFD}[2Jd") }, r.out)
        XCTAssertFalse(r.lines.contains("b"), "no node is split: \(r.out)")
    }

    /// A JSON Lines title is one line: white space runs (line breaks too) are one space, and a
    /// title of white space alone is none. Stored as given, "   " had printed as a blank title,
    /// and "alpha\n\nbeta" had split `show`'s title from its body at the wrong blank line.
    func testJSONTitlesAreOneLine() throws {
        let records = #"{"id":"t1","title":"Pelican\n\nsurvey ","text":"pelican numbers"}"# + "\n"
            + #"{"id":"t2","title":" \t ","text":"pelican nests"}"# + "\n"
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "-", stdin: records).status, 0)
        let hits = try newsidx("search", "--index", indexPath, "--format", "jsonl", "pelican").jsonLines()
        let titles = Dictionary(uniqueKeysWithValues: hits.map { ($0["id"] as! String, $0["title"] as! String) })
        XCTAssertEqual(titles, ["t1": "Pelican survey", "t2": ""])
        let text = try newsidx("search", "--index", indexPath, "--no-snippets", "nests")
        XCTAssertEqual(text.lines.first, "1. (untitled)", text.out)
        XCTAssertEqual(try newsidx("show", "--index", indexPath, "t1").out, "Pelican survey\n\npelican numbers\n")
    }

    /// A snippet that reaches the text's first or last word shows what lies beyond it when that
    /// is short (an opening quote, a closing bracket and full stop), and "…" when it is long. It
    /// had begun after the quote and ended before ".)", with no mark that text was cut.
    func testSnippetsKeepTheTextsOwnEnds() throws {
        let long = String(repeating: "🎉 ", count: 30)
        let records = #"{"id":"e1","title":"“Quoted” heron","text":"The heron waded. (End.)"}"# + "\n"
            + #"{"id":"e2","title":"Egret","text":"one egret \#(long)"}"# + "\n"
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "-", stdin: records).status, 0)
        let quoted = try newsidx("search", "--index", indexPath, "--format", "jsonl", "heron").jsonLines()
        XCTAssertEqual(quoted.first?["snippet"] as? String, "“Quoted” heron The heron waded. (End.)")
        XCTAssertEqual((quoted.first?["highlights"] as? [[Int]]) ?? [], [[9, 14], [19, 24]])
        let cut = try newsidx("search", "--index", indexPath, "--format", "jsonl", "egret").jsonLines()
        XCTAssertEqual(cut.first?["snippet"] as? String, "Egret one egret …")
    }

    /// U+2028 and U+2029 are escaped: valid inside a JSON string, they end a line for Python's
    /// splitlines and other line readers, which then split one hit in two.
    func testLineSeparatorsInTextAreEscapedInJSON() throws {
        let record = #"{"id":"sep-1","title":"Puffin count","text":"The puffin\#u{2028}count\#u{2029}rose again on the north stack this spring."}"#
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "-", stdin: record + "\n").status, 0)
        for format in ["jsonl", "json"] {
            let r = try newsidx("search", "--index", indexPath, "--format", format, "puffin")
            XCTAssertEqual(r.status, 0, r.description)
            XCTAssertFalse(r.out.unicodeScalars.contains { $0.value == 0x2028 || $0.value == 0x2029 }, r.out)
            XCTAssertTrue(r.out.contains(#"puffin\u2028count\u2029rose"#), r.out)
            XCTAssertEqual(r.out.split(whereSeparator: \.isNewline).count, 1, "one line: \(r.out)")
        }
        // And in TSV, as \u2028 and \u2029: a record had split in two for splitlines (found by
        // an output QA helper).
        let tsv = try newsidx("search", "--index", indexPath, "--format", "tsv", "puffin")
        XCTAssertEqual(tsv.status, 0, tsv.description)
        XCTAssertFalse(tsv.out.unicodeScalars.contains { $0.value == 0x2028 || $0.value == 0x2029 }, tsv.out)
        XCTAssertTrue(tsv.out.contains(#"puffin\u2028count\u2029rose"#), tsv.out)
        XCTAssertEqual(tsv.out.split(whereSeparator: \.isNewline).count, 2, "header and one hit: \(tsv.out)")
    }

    func testCountPrintsTheNumberOfMatchesRegardlessOfLimit() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--count", "--limit", "1", "--any", "pier", "gulls")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.out, "3\n")  // tide-1, tide-2, tide-4
        let both = try newsidx("search", "--index", indexPath, "--count", "pier", "gulls")
        XCTAssertEqual(both.out, "1\n")
        let none = try newsidx("search", "--index", indexPath, "--count", "walrus")
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.out, "0\n")
        // With a JSON format, JSON: the query and its count (a bare number had been printed).
        for format in ["json", "jsonl"] {
            let json = try newsidx("search", "--index", indexPath, "--count", "--format", format, "pier", "gulls")
            XCTAssertEqual(json.status, 0, json.description)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any], json.out)
            XCTAssertEqual(object["count"] as? Int, 1)
            XCTAssertEqual(object["query"] as? String, "pier gulls")
        }
    }

    func testOffsetPagesThroughTheSameRanking() throws {
        try indexHarbourFixture()
        let all = try newsidx("search", "--index", indexPath, "--format", "jsonl", "--any", "pier", "gulls", "ferry")
        let allIDs = try all.jsonLines().map { $0["id"] as! String }
        XCTAssertEqual(allIDs.count, 4)
        let page = try newsidx("search", "--index", indexPath, "--format", "jsonl", "--offset", "1", "--limit", "2",
                               "--any", "pier", "gulls", "ferry")
        let hits = try page.jsonLines()
        XCTAssertEqual(hits.map { $0["id"] as! String }, Array(allIDs[1...2]))
        XCTAssertEqual(hits.map { $0["rank"] as? Int }, [2, 3])
    }

    /// offset + limit overflowed Int inside the searcher: a crash (SIGILL), not an answer.
    func testHugeOffsetDoesNotCrash() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--offset", String(Int.max), "--limit", "1", "pier")
        XCTAssertTrue(r.status == 0 || r.status == 2, "expected no hits (0) or a usage error (2): \(r.description)")
        XCTAssertEqual(r.out, "")
        XCTAssertFalse(r.err.contains("runtime failure") || r.err.contains("crashed"), String(r.err.prefix(300)))
    }

    func testPathsFormatPrintsOneIDPerLine() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--format", "paths", "\"old pier\"")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.out.hasSuffix("\n"))
        XCTAssertEqual(Set(r.lines), ["tide-1", "tide-4"])
        XCTAssertEqual(r.lines.count, 2)
    }

    func testPaths0SeparatesIDsWithNUL() throws {
        // Ids with a space and a newline: only NUL separation keeps them apart.
        let records = [
            Fixture.Record(id: "logs/pier log.txt", title: "Pier log", text: "Barnacles on the pier piles again.", date: nil),
            Fixture.Record(id: "logs/two\nlines.txt", title: "Second log", text: "Barnacles scraped off the hull.", date: nil),
            Fixture.Record(id: "logs/other.txt", title: "Other", text: "Nothing of note today.", date: nil),
        ]
        let path = try write("logs.jsonl", Fixture.jsonl(records))
        XCTAssertEqual(try newsidx("index", "--index", indexPath, path).status, 0)
        let r = try newsidx("search", "--index", indexPath, "--format", "paths0", "barnacles")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.stdout.last, 0, "every id ends with NUL")
        let ids = r.out.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(ids.last, "")
        XCTAssertEqual(Set(ids.dropLast()), ["logs/pier log.txt", "logs/two\nlines.txt"])
    }

    func testBatchWritesOneObjectPerQueryLine() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--batch", "--limit", "5",
                            stdin: "pier\ngulls lighthouse\nwalrus\n")
        XCTAssertEqual(r.status, 0, r.description)
        let objects = try r.jsonLines()
        XCTAssertEqual(objects.count, 3)
        XCTAssertEqual(objects.map { $0["query"] as? Int }, [1, 2, 3], "query is the 1-based line number")
        XCTAssertEqual(objects.map { $0["count"] as? Int }, [2, 1, 0])
        for o in objects {
            let elapsed = try XCTUnwrap(o["elapsed_us"] as? Int, "\(o)")
            XCTAssertGreaterThanOrEqual(elapsed, 0)
            XCTAssertNil(o["error"])
        }
        let firstHits = try XCTUnwrap(objects[0]["hits"] as? [[String: Any]])
        XCTAssertEqual(Set(firstHits.compactMap { $0["id"] as? String }), ["tide-1", "tide-4"])
        XCTAssertEqual(firstHits.map { $0["rank"] as? Int }, [1, 2])
        let secondHits = try XCTUnwrap(objects[1]["hits"] as? [[String: Any]])
        XCTAssertEqual(secondHits.first?["id"] as? String, "tide-2")
        XCTAssertEqual(secondHits.first?["title"] as? String, "Gulls nest on the lighthouse gallery")
        XCTAssertEqual((objects[2]["hits"] as? [Any])?.count, 0)
    }

    func testBatchReportsABadLineAndGoesOnButExitsTwo() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--batch", stdin: "ferry\npier \"old\nwalrus\n")
        XCTAssertEqual(r.status, 2, r.description)
        let objects = try r.jsonLines()
        XCTAssertEqual(objects.count, 3, "the line after the bad one is still answered")
        XCTAssertEqual(objects[0]["count"] as? Int, 1)
        let error = try XCTUnwrap(objects[1]["error"] as? String, "\(objects[1])")
        XCTAssertEqual(objects[1]["query"] as? Int, 2)
        XCTAssertTrue(error.contains("column 6"), error)
        XCTAssertNil(objects[1]["hits"])
        XCTAssertEqual(objects[2]["count"] as? Int, 0)
    }

    func testBatchWithNothingMatchedExitsOne() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--batch", stdin: "walrus\nnarwhal\n")
        XCTAssertEqual(r.status, 1, r.description)
        XCTAssertEqual(try r.jsonLines().map { $0["count"] as? Int }, [0, 0])
    }

    func testBatchRefusesAQueryArgument() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--batch", "pier")
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertEqual(r.out, "")
    }

    /// --explain had been dropped without a word where the output has no place for it.
    func testExplainIsRefusedWhereItCannotShow() throws {
        try indexHarbourFixture()
        for option in [["--count"], ["--format", "tsv"], ["--format", "paths"], ["--format", "paths0"]] {
            let r = try CLI.run(["search", "--index", indexPath, "--explain"] + option + ["pier"], in: tmp)
            XCTAssertEqual(r.status, 2, "\(option): \(r.description)")
            XCTAssertTrue(r.err.contains(option == ["--count"] ? "--explain does not apply" : "--explain prints in text, json and jsonl output, not \(option.joined(separator: " "))"), r.description)
        }
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--explain", "--format", "jsonl", "pier").status, 0)
    }

    /// Options that shape other output had been ignored by --batch without a word.
    func testBatchRefusesOptionsItDoesNotApply() throws {
        try indexHarbourFixture()
        for option in [["--format", "tsv"], ["--count"], ["--explain"], ["--dedup"], ["--analyze"]] {
            let r = try CLI.run(["search", "--index", indexPath, "--batch"] + option, stdin: Data("pier\n".utf8), in: tmp)
            XCTAssertEqual(r.status, 2, "\(option): \(r.description)")
            XCTAssertTrue(r.err.contains("\(option.joined(separator: " ")) does not apply"), r.description)
            XCTAssertEqual(r.out, "")
        }
        let jsonl = try CLI.run(["search", "--index", indexPath, "--batch", "--format", "jsonl"], stdin: Data("pier\n".utf8), in: tmp)
        XCTAssertEqual(jsonl.status, 0, "JSON Lines is what --batch writes: \(jsonl.description)")
        XCTAssertEqual(try jsonl.jsonLines().first?["count"] as? Int, 2, jsonl.description)
    }

    /// One rule for modes that print no hits: --count and --analyze print in text, json and
    /// jsonl, as --explain does (`--count --format paths0` had printed the count and a newline,
    /// `--analyze --count` the query alone, both with status 0).
    func testCountAndAnalyzeRefuseWhatTheyCannotPrint() throws {
        try indexHarbourFixture()
        let refused: [([String], String)] = [
            (["--count", "--format", "paths0"], "--count prints in text, json and jsonl output, not --format paths0"),
            (["--count", "--format", "tsv"], "--count prints in text, json and jsonl output, not --format tsv"),
            (["--analyze", "--format", "paths"], "--analyze prints in text, json and jsonl output, not --format paths"),
            (["--analyze", "--count"], "--analyze prints the query without searching; --count does not apply to it"),
            (["--analyze", "--dedup"], "--analyze prints the query without searching; --dedup does not apply to it"),
        ]
        for (options, message) in refused {
            let r = try CLI.run(["search", "--index", indexPath] + options + ["pier"], in: tmp)
            XCTAssertEqual(r.status, 2, "\(options): \(r.description)")
            XCTAssertTrue(r.err.contains(message), r.description)
            XCTAssertEqual(r.out, "")
        }
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "--format", "jsonl", "pier").status, 0)
    }

    /// A value out of range is named with the option that gave it (`--b 2` had said "--k1 must
    /// be between 0 and 1000 and --b between 0 and 1").
    func testOutOfRangeValuesAreNamed() throws {
        try indexHarbourFixture()
        let cases: [([String], String)] = [
            (["--b", "2"], "--b 2 must be between 0 and 1"), (["--k1", "1001"], "--k1 1001 must be between 0 and 1000"),
            (["--any", "--proximity", "2000"], "--proximity 2000 must be between 0 and 1000"),
            (["--any", "--title-weight", "inf"], "--title-weight inf must be between 0 and 1000"),
            (["--any", "--proximity-window", "1001"], "--proximity-window 1001 must be between 0 and 1000"),
            (["--context", "1001"], "--context 1001 must be between 0 and 1000"),
        ]
        for (options, message) in cases {
            let r = try CLI.run(["search", "--index", indexPath] + options + ["pier"], in: tmp)
            XCTAssertEqual(r.status, 2, "\(options): \(r.description)")
            XCTAssertTrue(r.err.contains(message), r.description)
        }
    }
}
