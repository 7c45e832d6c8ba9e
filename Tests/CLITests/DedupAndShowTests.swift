// CLITests: near-duplicate handling (search --dedup, the duplicates command) and
// show --highlight, through the built executable.
import Foundation
import XCTest

final class DedupAndShowTests: CLITestCase {
    /// Two rewrites of one wire story (a changed headline and one changed word), and two others.
    static let story = "The council of Wendmere voted on Tuesday to close the old swing bridge to lorries "
        + "after engineers found cracks in two of its iron girders, and said repairs would take most of the summer "
        + "while a temporary crossing is built beside the ferry slipway for cars and cyclists. "
        + "Hauliers said the closure would add an hour to every trip between the quarry and the port, and the "
        + "chamber of commerce asked the council to pay for a shuttle service until the girders are replaced. "
        + "The bridge, opened in 1894, carries about four thousand vehicles a day and was last strengthened in "
        + "the nineteen seventies, when its timber deck was replaced with steel plates and the swing mechanism "
        + "was motorised. Engineers will now lift the span on jacks, cut out the cracked sections and bolt in new "
        + "girders made at a foundry in the north, a job the council expects to finish before the autumn term."

    func indexStories() throws {
        let records: [[String: String]] = [
            ["id": "wire-1", "title": "Swing bridge shut to lorries", "text": Self.story, "date": "2024-05-01"],
            ["id": "wire-2", "title": "Wendmere closes bridge to heavy traffic",
             "text": Self.story.replacingOccurrences(of: "Tuesday", with: "Wednesday"), "date": "2024-05-02"],
            ["id": "other-1", "title": "Ferry fares rise", "text": "Ferry fares across the estuary rise by a tenth from June, the operator said, blaming fuel costs and a new crew agreement that adds a second deckhand to every bridge crossing run.", "date": "2024-05-03"],
            ["id": "other-2", "title": "Bridge club wins cup", "text": "The Wendmere bridge club won the county cup for the first time since 1987 after a final hand decided on the last trick, with the captain calling it the best night in the club's history.", "date": "2024-05-04"],
        ]
        let jsonl = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n")
        let r = try newsidx("index", "--index", indexPath, "-", stdin: jsonl + "\n")
        XCTAssertEqual(r.status, 0, r.description)
    }

    func testDedupCollapsesTheRewriteAndCountsIt() throws {
        try indexStories()
        let plain = try newsidx("search", "--index", indexPath, "--format", "jsonl", "bridge")
        XCTAssertEqual(try plain.jsonLines().count, 4, plain.out)
        let collapsed = try newsidx("search", "--index", indexPath, "--format", "jsonl", "--dedup", "bridge")
        let hits = try collapsed.jsonLines()
        XCTAssertEqual(hits.count, 3, collapsed.out)
        let ids = hits.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids.filter { $0.hasPrefix("wire-") }.count, 1, "one of the two rewrites stands for both: \(ids)")
        let wire = hits.first { ($0["id"] as? String)?.hasPrefix("wire-") == true }
        XCTAssertEqual(wire?["duplicates"] as? Int, 1)
        XCTAssertTrue(hits.filter { ($0["id"] as? String)?.hasPrefix("other-") == true }.allSatisfy { $0["duplicates"] as? Int == 0 })
        let text = try newsidx("search", "--index", indexPath, "--dedup", "bridge")
        XCTAssertTrue(text.out.contains("(+1 near-duplicate)"), text.out)
        // TSV had lost the count: a last column holds it.
        let tsv = try newsidx("search", "--index", indexPath, "--format", "tsv", "--dedup", "bridge").lines.map { $0.components(separatedBy: "\t") }
        XCTAssertEqual(tsv.first, ["rank", "id", "score", "title", "date", "snippet", "duplicates"])
        XCTAssertEqual(tsv.dropFirst().filter { $0[1].hasPrefix("wire-") }.map { $0[6] }, ["1"])
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--format", "tsv", "bridge").lines.first,
                       "rank\tid\tscore\ttitle\tdate\tsnippet", "without --dedup the columns stay as they were")
    }

    func testDedupCountsStayWithTheirHitsOnEveryPage() throws {
        try indexStories()
        func idsAndCounts(_ hits: [[String: Any]]) -> [String] {
            hits.map { "\($0["id"] as? String ?? "?") \($0["duplicates"] as? Int ?? -1)" }
        }
        let whole = idsAndCounts(try newsidx("search", "--index", indexPath, "--format", "jsonl", "--dedup", "bridge").jsonLines())
        XCTAssertEqual(whole.count, 3, "\(whole)")
        XCTAssertEqual(whole.filter { $0.hasSuffix(" 1") }.count, 1, "\(whole)")
        for offset in 0..<whole.count {
            let page = ["--index", indexPath, "--dedup", "--offset", String(offset), "--limit", "1", "bridge"]
            let jsonl = try CLI.run(["search", "--format", "jsonl"] + page, in: tmp)
            XCTAssertEqual(idsAndCounts(try jsonl.jsonLines()), [whole[offset]], "offset \(offset)")
            let json = try CLI.run(["search", "--format", "json"] + page, in: tmp)
            let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
            XCTAssertEqual(idsAndCounts(object?["hits"] as? [[String: Any]] ?? []), [whole[offset]], "offset \(offset)")
        }
    }

    /// A copy that ranks below hundreds of other matches is counted with its story on the
    /// first page, whatever --limit asks for (only ten times the hits asked for had been
    /// grouped: the count was 0 up to --limit 30, and paging never showed or counted the copy).
    func testDedupCountsDoNotDependOnTheLimit() throws {
        var state: UInt64 = 7  // an LCG (Knuth's MMIX constants): the same words every run
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        func words(_ n: Int) -> String { (0..<n).map { _ in "w\(next() % 5_000)" }.joined(separator: " ") }
        let story = words(300)
        var records = [["id": "story", "title": "Story", "text": story + " kangaroo wombat"]]
        records += (0..<300).map { ["id": String(format: "other%03d", $0), "title": "Other", "text": words(25) + " wombat"] }
        records.append(["id": "story-copy", "title": "Story (syndicated)", "text": story + " wombat"])
        let jsonl = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "-", stdin: jsonl + "\n").status, 0)
        for limit in ["1", "10", "1000"] {
            let hits = try newsidx("search", "--index", indexPath, "--format", "jsonl", "--no-snippets", "--dedup",
                                   "--limit", limit, "kangaroo OR wombat").jsonLines()
            XCTAssertEqual(hits.first?["id"] as? String, "story", "limit \(limit)")
            XCTAssertEqual(hits.first?["duplicates"] as? Int, 1, "limit \(limit)")
            if limit == "1000" {
                XCTAssertEqual(hits.count, 301)
                XCTAssertFalse(hits.contains { $0["id"] as? String == "story-copy" })
            }
        }
    }

    /// Groups form in rank order whatever the output order: a chain of rewrites (each a few
    /// words from the last, the ends far apart) falls into the same groups under every --sort
    /// (grouping in output order had made 47 stories by date and 40 oldest first).
    func testDedupGroupsAreTheSameUnderEverySort() throws {
        var words = Self.story.split(separator: " ").map(String.init)
        var records: [[String: String]] = []
        for v in 0..<12 {
            records.append(["id": "v\(v)", "title": "Bridge rewrite \(v)", "text": words.joined(separator: " "),
                            "date": String(format: "2024-05-%02d", 1 + (v * 7) % 12)])
            for k in 0..<3 { words[(v * 3 + k) * 5 % words.count] = "edit\(v)x\(k)" }
        }
        let jsonl = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "-", stdin: jsonl + "\n").status, 0)
        func groups(_ sort: String) throws -> [String] {
            try newsidx("search", "--index", indexPath, "--format", "jsonl", "--no-snippets", "--dedup", "--sort", sort, "bridge")
                .jsonLines().map { "\($0["id"] as? String ?? "?") +\($0["duplicates"] as? Int ?? -1)" }.sorted()
        }
        let byRelevance = try groups("relevance")
        XCTAssertGreaterThan(byRelevance.count, 1, "the chain's ends are not near-duplicates: \(byRelevance)")
        XCTAssertLessThan(byRelevance.count, 12, "neighbours in the chain are: \(byRelevance)")
        XCTAssertEqual(try groups("date"), byRelevance)
        XCTAssertEqual(try groups("-date"), byRelevance)
    }

    /// Identical copies (files with the same bytes, stored once) are the closest duplicates of
    /// all: listed at distance 0 (they had not been listed even at --threshold 0).
    func testDuplicatesListsIdenticalCopies() throws {
        let text = "Swing bridge shut to lorries\n\n" + Self.story + "\n"
        _ = try write("wire/a.txt", text)
        _ = try write("wire/b.txt", text)
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "wire").status, 0)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "bridge").out, "1\n", "the copy is stored once")
        let r = try newsidx("duplicates", "--index", indexPath, "--threshold", "0")
        XCTAssertEqual(r.status, 0, r.description)
        let fields = r.lines.map { $0.components(separatedBy: "\t") }
        XCTAssertEqual(fields.count, 1, r.out)
        XCTAssertEqual(fields.first?[0], "0")
        XCTAssertEqual(Set(fields.first?[1...2] ?? []), ["wire/a.txt", "wire/b.txt"])
        XCTAssertEqual(fields.first?[3], "Swing bridge shut to lorries")
    }

    func testDuplicatesCommandListsThePair() throws {
        try indexStories()
        let r = try newsidx("duplicates", "--index", indexPath)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.lines.count, 1, r.out)
        let fields = r.lines[0].split(separator: "\t").map(String.init)
        XCTAssertEqual(fields.count, 5)
        XCTAssertLessThanOrEqual(Int(fields[0]) ?? 99, 6)
        XCTAssertEqual(Set(fields[1...2]), ["wire-1", "wire-2"])
        XCTAssertEqual(try newsidx("duplicates", "--index", indexPath, "--threshold", "8").status, 2)
    }

    func testShowHighlightMarksPhrasesWhole() throws {
        try indexStories()
        let r = try newsidx("show", "--index", indexPath, "--highlight", "\"swing bridge\" girders", "--color", "always", "wire-1")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.out.contains("\u{1B}[1;31mswing bridge\u{1B}[0m"), r.out)
        XCTAssertTrue(r.out.contains("\u{1B}[1;31mgirders\u{1B}[0m"), r.out)
        let plain = try newsidx("show", "--index", indexPath, "--highlight", "girders", "wire-1")
        XCTAssertFalse(plain.out.contains("\u{1B}"), "no colour into a pipe: \(plain.out)")
        XCTAssertTrue(plain.out.hasPrefix("Swing bridge shut to lorries\n\n"), plain.out)
    }

    /// `show` takes several ids, as notmuch's does, and prints them as json or jsonl too: it
    /// took one id, in text only, so a script wanting a hit's text with its title and date
    /// parsed them back out of the text. An unknown id is named, the others printed, exit 1.
    func testShowPrintsSeveralDocumentsAsTextOrJSON() throws {
        try indexStories()
        let text = try newsidx("show", "--index", indexPath, "wire-1", "other-1")
        XCTAssertEqual(text.status, 0, text.description)
        XCTAssertTrue(text.out.hasPrefix("Swing bridge shut to lorries\n\n"), text.out)
        XCTAssertTrue(text.out.contains("autumn term.\nFerry fares rise\n\nFerry fares across"), "one after the other, as cat prints files: \(text.out)")

        let lines = try newsidx("show", "--index", indexPath, "--format", "jsonl", "--highlight", "girders", "other-2", "wire-2")
        XCTAssertEqual(lines.status, 0, lines.description)
        let objects = try lines.jsonLines()
        XCTAssertEqual(objects.map { $0["id"] as? String }, ["other-2", "wire-2"])
        XCTAssertEqual(objects.map { $0["date"] as? String }, ["2024-05-04", "2024-05-02"])
        XCTAssertEqual(objects[1]["title"] as? String, "Wendmere closes bridge to heavy traffic")
        let wireText = try XCTUnwrap(objects[1]["text"] as? String)
        XCTAssertTrue(wireText.hasPrefix("Wendmere closes bridge to heavy traffic\n\nThe council of Wendmere voted on Wednesday"), wireText)
        XCTAssertEqual((objects[0]["highlights"] as? [[Int]])?.count, 0, "no girders in the bridge club's story")
        let spans = try XCTUnwrap(objects[1]["highlights"] as? [[Int]])
        XCTAssertEqual(spans.count, wireText.components(separatedBy: "girders").count - 1, "\(spans)")
        let scalars = Array(wireText.unicodeScalars)
        for span in spans {
            XCTAssertEqual(String(String.UnicodeScalarView(scalars[span[0]..<span[1]])), "girders")
        }

        let array = try newsidx("show", "--index", indexPath, "--format", "json", "other-1", "no-such-id", "wire-1")
        XCTAssertEqual(array.status, 1, array.description)
        XCTAssertTrue(array.err.contains("no document with id 'no-such-id'"), array.err)
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(array.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(parsed.map { $0["id"] as? String }, ["other-1", "wire-1"])
        XCTAssertNil(parsed[0]["highlights"], "highlights only with --highlight")
        let one = try newsidx("show", "--index", indexPath, "--format", "json", "wire-1")
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(one.out.utf8)) as? [String: Any])?["id"] as? String, "wire-1",
                       "one id is one object, as clean's json")
    }

    /// A NEAR chain's operands are marked where the matcher finds its window: the occurrence of
    /// each operand nearest the first operand's (here the first "puffin") had left it unmarked.
    /// The words between are not marked (the whole window had been).
    func testShowHighlightMarksAChainsWindow() throws {
        try write("birds/a.txt", "Birds\n\npuffin wren wren gannet wren wren wren heron puffin and more words follow here.\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "--stemmer", "none", "birds").status, 0)
        let r = try newsidx("show", "--index", indexPath, "--highlight", "gannet NEAR/3 heron NEAR/3 puffin",
                            "--color", "always", "birds/a.txt")
        XCTAssertEqual(r.status, 0, r.description)
        let on = "\u{1B}[1;31m", off = "\u{1B}[0m"
        XCTAssertTrue(r.out.contains("\n\npuffin wren wren \(on)gannet\(off) wren wren wren \(on)heron\(off) \(on)puffin\(off) and"), r.out)
    }

    /// A wide NEAR marks its two words, not the thirty between them (which had all been red, and
    /// `--context` could cut nothing inside them); every occurrence in some matching pair is
    /// marked, the second "mill" after the second "river" too (that river's nearest mill is the
    /// first, so it had been left out), and none outside one.
    func testNearMarksItsOperandsInEveryMatchingPair() throws {
        let filler = (1...30).map { "f\($0)" }.joined(separator: " ")
        let text = "a mill stands far, far, far, far, far away. river runs past the old mill. Mill owners said the river was low and the mill stopped. \(filler) river alone."
        try write("m.jsonl", #"{"id":"m","title":"Mills","text":"\#(text)"}"# + "\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "--stemmer", "none", "m.jsonl").status, 0)
        let shown = try newsidx("show", "--index", indexPath, "--highlight", "river NEAR/5 mill", "--color", "always", "m")
        let on = "\u{1B}[1;31m", off = "\u{1B}[0m"
        XCTAssertTrue(shown.out.contains("a mill stands far, far, far, far, far away. \(on)river\(off) runs past the old \(on)mill\(off). \(on)Mill\(off) owners said the \(on)river\(off) was low and the \(on)mill\(off) stopped. f1"), shown.out)
        XCTAssertTrue(shown.out.contains("f30 river alone."), "a river with no mill near: \(shown.out)")
        let r = try newsidx("search", "--index", indexPath, "--format", "jsonl", "--context", "1", "mill NEAR/40 alone")
        let hit = try XCTUnwrap(try r.jsonLines().first, r.description)
        let scalars = Array((hit["snippet"] as? String ?? "").unicodeScalars)
        let marked = (hit["highlights"] as? [[Int]] ?? []).map { String(String.UnicodeScalarView(scalars[$0[0]..<$0[1]])) }
        XCTAssertEqual(marked, ["mill", "alone"], "\(hit)")
        XCTAssertFalse((hit["snippet"] as? String ?? "").contains("f15"), "context cuts between the two: \(hit)")
    }

    /// The marks are the occurrences in matches: with a phrase operand the occurrence whose start
    /// is nearest is not always the one with the least gap (nothing had been marked), and in an
    /// ordered chain an occurrence inside a match's stretch but in no match is left unmarked, as
    /// is one covering a word of the other operand's match (found by a helper's model).
    func testNearMarksTheOccurrencesOfMatchesOnly() throws {
        let texts = ["d1": "f0 f1 f2 f3 f4 xq g6 g7 g8 g9 aa bb cc dd h14 h15 xq k17 k18 k19 k20 aa bb cc dd m25",
                     "d2": "pp qq pp rr zz alpha beta alpha gamma",
                     "d3": "red blue red blue gold", "d4": "red blue blue blue"]
        try write("n.jsonl", texts.map { #"{"id":"\#($0.key)","text":"\#($0.value)"}"# }.sorted().joined(separator: "\n") + "\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "--stemmer", "none", "n.jsonl").status, 0)
        func marked(_ query: String, _ id: String) throws -> [String] {
            let r = try newsidx("show", "--index", indexPath, "--highlight", query, "--color", "always", id)
            return r.out.components(separatedBy: "\u{1B}[1;31m").dropFirst().map { $0.components(separatedBy: "\u{1B}[0m")[0] }
        }
        XCTAssertEqual(try marked(#"xq NEAR/2 "aa bb cc dd""#, "d1"), ["aa bb cc dd", "xq"])
        XCTAssertEqual(try marked("alpha ADJ/1 beta ADJ/1 gamma", "d2"), ["alpha", "beta", "gamma"])
        XCTAssertEqual(try marked("pp ADJ/2 qq ADJ/2 rr", "d2"), ["pp", "qq", "rr"])
        // Operands sharing a word: the second "red blue" covers the "blue" of the only match's
        // "blue gold" (it had been marked), and "red blue" with the last blue is a match too.
        XCTAssertEqual(try marked(#""red blue" NEAR/1 "blue gold""#, "d3"), ["red blue", "blue gold"])
        XCTAssertEqual(try marked(#""red blue" NEAR/1 blue"#, "d4"), ["red blue", "blue", "blue"])
        let stretch = try newsidx("show", "--index", indexPath, "--highlight", "alpha ADJ/1 beta ADJ/1 gamma", "--color", "always", "d2")
        XCTAssertTrue(stretch.out.contains("\u{1B}[0m alpha \u{1B}[1;31mgamma"), "the second alpha is in no match: \(stretch.out)")
    }

    /// A phrase across a paragraph break is coloured line by line, as ripgrep colours: the
    /// colour had run from one line to the next, so `grep` or `head` of a line left it on.
    func testColourClosesAtEveryLineEnd() throws {
        try write("p/a.txt", "Rivers\n\nThe river runs past the old mill\n\nMill owners said the river was low this summer.\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "p").status, 0)
        let r = try newsidx("show", "--index", indexPath, "--highlight", "\"old mill mill owners\"", "--color", "always", "p/a.txt")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.out.contains("the \u{1B}[1;31mold mill\u{1B}[0m\n\n\u{1B}[1;31mMill owners\u{1B}[0m said"), r.out.debugDescription)
        for line in r.lines {
            XCTAssertEqual(line.components(separatedBy: "\u{1B}[1;31m").count, line.components(separatedBy: "\u{1B}[0m").count, line.debugDescription)
        }
    }

    /// No word fills two operands of a NEAR: one "alpha" is not `alpha NEAR/0 alpha`, nor is the
    /// phrase's "beta" the other operand of `"alpha beta" NEAR/0 beta` (both had matched every
    /// document holding the word, and a chain of sixteen "the" every document holding one);
    /// the highlight marks the two occurrences that match.
    func testNearNeverUsesOneOccurrenceForTwoOperands() throws {
        let texts = ["one": "alpha beta gamma", "two": "alpha alpha beta", "three": "alpha x alpha",
                     "four": "new york new york", "five": "new york times", "six": "alpha beta beta"]
        try write("w.jsonl", texts.map { #"{"id":"\#($0.key)","text":"\#($0.value)"}"# }.sorted().joined(separator: "\n") + "\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "--stemmer", "none", "w.jsonl").status, 0)
        let expected: [(String, Set<String>)] = [
            ("alpha NEAR/0 alpha", ["two"]), ("alpha NEAR/1 alpha", ["two", "three"]),
            (#""new york" NEAR/0 "new york""#, ["four"]), (#""alpha beta" NEAR/0 beta"#, ["six"]),
            ("alpha NEAR/0 alpha NEAR/0 beta", ["two"]), ("alpha ADJ/0 alpha", ["two"]),
            (Array(repeating: "alpha", count: 3).joined(separator: " NEAR/5 "), []),
        ]
        for (query, ids) in expected {
            let r = try newsidx("search", "--index", indexPath, "--format", "paths", query)
            XCTAssertEqual(Set(r.lines), ids, "\(query): \(r.description)")
        }
        let r = try newsidx("show", "--index", indexPath, "--highlight", "alpha NEAR/0 alpha", "--color", "always", "two")
        XCTAssertTrue(r.out.contains("\u{1B}[1;31malpha\u{1B}[0m \u{1B}[1;31malpha\u{1B}[0m beta"), r.out)
    }

    /// A query error is an error whether or not anything would be coloured (it had been ignored
    /// into a pipe, exit 0).
    func testShowHighlightRefusesABrokenQuery() throws {
        try indexStories()
        for color in ["never", "always"] {
            let r = try newsidx("show", "--index", indexPath, "--highlight", "\"swing bridge", "--color", color, "wire-1")
            XCTAssertEqual(r.status, 2, r.description)
            XCTAssertTrue(r.err.contains("query error at column 1"), r.description)
        }
    }
}
