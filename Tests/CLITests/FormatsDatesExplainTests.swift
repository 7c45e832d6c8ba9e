// CLITests: every output format read back by a real parser (JSONSerialization for json/jsonl,
// the TSV escapes undone, paths0 through xargs -0), date filters and date order, --explain,
// --batch request objects, --analyze, colours, index progress on a pipe, exit codes of search,
// delete and check, and the generated shell completion scripts.
import Foundation
import XCTest

/// Five invented notes on a quarry in the fictional village of Dunmere. Facts the tests use:
/// "quarry": all five; "vote": 2003-vote, 2004-reopens, undated-walk; "lorries": 2004-reopens,
/// 2004-lorries; "dust": 2005-dust; "north road": 2004-reopens, 2004-lorries.
/// undated-walk says "quarry" most often, so relevance ranks it first for "quarry".
private enum Quarry {
    static let records: [Fixture.Record] = [
        Fixture.Record(id: "dunmere/2003-vote", title: "Quarry vote in Dunmere",
                       text: "The parish council vote on the quarry in Dunmere was close. Workers waited outside the hall for the count.",
                       date: "2003-05-01"),
        Fixture.Record(id: "dunmere/2004-reopens", title: "Quarry reopens after the vote",
                       text: "The old quarry reopens this summer after the vote, the council said. Lorries will use the north road.",
                       date: "2004-06-15"),
        Fixture.Record(id: "dunmere/2004-lorries", title: "Lorries on the north road",
                       text: "Quarry lorries on the north road woke residents before dawn, the parish newsletter said.",
                       date: "2004-06-30"),
        Fixture.Record(id: "dunmere/2005-dust", title: "Quarry dust complaints",
                       text: "Residents complained about quarry dust blowing over the village green and the school yard.",
                       date: "2005-01-02"),
        Fixture.Record(id: "dunmere/undated-walk", title: "Quarry history walk",
                       text: "Quarry walk: the quarry history, quarry workers, quarry songs and the vote that closed the quarry.",
                       date: nil),
    ]

    static var dated: [Fixture.Record] { records.filter { $0.date != nil } }
    static var undatedID: String { records.first { $0.date == nil }!.id }
}

final class FormatsDatesExplainTests: CLITestCase {
    // MARK: helpers

    private func indexRecords(_ records: [Fixture.Record], stemmer: String? = nil,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try write("records-\(UUID().uuidString).jsonl", Fixture.jsonl(records))
        var args = ["index", "--index", indexPath]
        if let stemmer { args += ["--stemmer", stemmer] }
        let r = try CLI.run(args + [path], in: tmp, file: file, line: line)
        XCTAssertEqual(r.status, 0, r.description, file: file, line: line)
        XCTAssertTrue(r.err.contains("added \(records.count),"), r.err, file: file, line: line)
    }

    private func indexQuarry(file: StaticString = #filePath, line: UInt = #line) throws {
        try indexRecords(Quarry.records, file: file, line: line)
    }

    /// `newsidx search --index <idx> args...`
    private func search(_ args: [String], stdin: String = "", environment: [String: String] = [:],
                        file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        try CLI.run(["search", "--index", indexPath] + args, stdin: Data(stdin.utf8), in: tmp,
                    environment: environment, file: file, line: line)
    }

    /// Ids of `search --format paths` in output order.
    private func orderedIDs(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let r = try search(["--format", "paths", "--limit", "100"] + args, file: file, line: line)
        XCTAssertTrue(r.status == 0 || r.status == 1, "\(args): \(r.description)", file: file, line: line)
        XCTAssertEqual(r.status == 0, !r.lines.isEmpty, "\(args): exit status agrees with the hits", file: file, line: line)
        return r.lines
    }

    /// `/bin/sh -c script sh args...` in the test's folder.
    private func shell(_ script: String, _ args: [String] = [], environment: [String: String] = [:]) throws -> RunResult {
        try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", script, "sh"] + args, in: tmp, environment: environment)
    }

    private func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs newsidx with stdout and stderr on a pseudo-terminal (util-linux script(1)); nil when
    /// script(1) is not installed. NO_COLOR (which `swift test` sets) is removed from the
    /// environment unless `environment` sets it.
    private func runOnTerminal(_ args: [String], environment: [String: String] = [:]) throws -> RunResult? {
        let script = "/usr/bin/script"
        guard FileManager.default.isExecutableFile(atPath: script) else { return nil }
        let command = ([try CLI.requireExecutable().path] + args).map(shellQuoted).joined(separator: " ")
        let unset = environment["NO_COLOR"] == nil ? ["-u", "NO_COLOR"] : []
        return try CLI.runProgram(URL(fileURLWithPath: "/usr/bin/env"), unset + [script, "-qec", command, "/dev/null"],
                                  in: tmp, environment: environment)
    }

    /// `search` with NO_COLOR removed from the environment (`swift test` sets it).
    private func searchWithoutNoColor(_ args: [String]) throws -> RunResult {
        try CLI.runProgram(URL(fileURLWithPath: "/usr/bin/env"),
                           ["-u", "NO_COLOR", try CLI.requireExecutable().path, "search", "--index", indexPath] + args, in: tmp)
    }

    /// Keys of a JSON object's top level, in the order written.
    private func topLevelKeys(_ json: String) -> [String] {
        var keys: [String] = []
        var depth = 0, inString = false, escaped = false, expectKey = false
        var current = "", capturing = false
        for c in json {
            if inString {
                if escaped { escaped = false; if capturing { current.append(c) }; continue }
                if c == "\\" { escaped = true; if capturing { current.append(c) }; continue }
                if c == "\"" {
                    inString = false
                    if capturing { keys.append(current); capturing = false }
                    continue
                }
                if capturing { current.append(c) }
                continue
            }
            switch c {
            case "\"":
                inString = true
                if depth == 1 && expectKey { capturing = true; current = ""; expectKey = false }
            case "{", "[":
                depth += 1
                if depth == 1 && c == "{" { expectKey = true }
            case "}", "]": depth -= 1
            case ",": if depth == 1 { expectKey = true }
            default: break
            }
        }
        return keys
    }

    /// Lower case without diacritics, for comparing a highlighted span with a query word.
    private func folded(_ s: String) -> String {
        String(String.UnicodeScalarView(s.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { !(0x300...0x36F).contains($0.value) }))
    }

    private func double(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }

    /// Highlights are sorted, disjoint [start, end) code point ranges inside the snippet, and
    /// each highlighted span contains one of `words` (case and diacritics folded).
    private func checkHighlights(_ hit: [String: Any], words: [String],
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let snippet = try XCTUnwrap(hit["snippet"] as? String, "\(hit)", file: file, line: line)
        let scalars = Array(snippet.unicodeScalars)
        let highlights = try XCTUnwrap(hit["highlights"] as? [[Int]], "\(hit)", file: file, line: line)
        XCTAssertFalse(highlights.isEmpty, "no highlights in \(hit)", file: file, line: line)
        var previousEnd = 0
        for pair in highlights {
            XCTAssertEqual(pair.count, 2, "\(pair)", file: file, line: line)
            guard pair.count == 2 else { continue }
            let (start, end) = (pair[0], pair[1])
            XCTAssertTrue(start >= previousEnd && start < end && end <= scalars.count,
                          "highlight \(pair) after \(previousEnd), snippet of \(scalars.count) code points: \(snippet)",
                          file: file, line: line)
            guard start >= 0, start < end, end <= scalars.count else { continue }
            previousEnd = end
            let span = folded(String(String.UnicodeScalarView(scalars[start..<end])))
            XCTAssertTrue(words.contains { span.contains($0) },
                          "highlight \(pair) is '\(span)', which holds none of \(words); snippet: \(snippet)",
                          file: file, line: line)
        }
    }

    /// A `title:` word is marked in the title only: the body's occurrences did not match.
    func testTitleWordsAreHighlightedInTheTitleOnly() throws {
        try indexRecords(Fixture.harbourRecords)
        func marked(_ query: String) throws -> [String] {
            let r = try search(["--format", "jsonl", "--snippets", "--context", "100", query])
            XCTAssertEqual(r.status, 0, r.description)
            let hit = try XCTUnwrap(try r.jsonLines().first { $0["id"] as? String == "tide-1" }, r.out)
            let scalars = Array((hit["snippet"] as? String ?? "").unicodeScalars)
            return (hit["highlights"] as? [[Int]] ?? []).map { String(String.UnicodeScalarView(scalars[$0[0]..<$0[1]])) }
        }
        XCTAssertEqual(try marked("title:pier"), ["pier"], "tide-1's title, not its body's two")
        XCTAssertEqual(try marked("pier"), ["pier", "pier", "pier"])
        XCTAssertEqual(try marked("title:\"old pier\""), ["old pier"])
        XCTAssertEqual(try marked("\"old pier\""), ["old pier", "old pier"])
        let show = try CLI.run(["show", "--index", indexPath, "--highlight", "title:pier", "--color", "always", "tide-1"], in: tmp)
        XCTAssertEqual(show.out.components(separatedBy: "\u{1B}[1;31mpier").count - 1, 1, show.out)
    }

    /// A phrase or NEAR window lies inside one field, as matching keeps it: "Lodz" ending the
    /// title and "Cafe" opening the body had been marked as the phrase "lodz cafe", which the
    /// document does not hold, and the window that matched was left unmarked.
    func testPhrasesAndWindowsAreNotMarkedAcrossTheTitlesEnd() throws {
        let text = "Cafe owners complained, said the cafe in central Lodz."
        try indexRecords([Fixture.Record(id: "lodz-1", title: "Weather in Lodz", text: text, date: nil)])
        let near = try search(["--format", "jsonl", "lodz NEAR/2 cafe"])
        XCTAssertEqual(near.status, 0, near.description)
        let hit = try XCTUnwrap(try near.jsonLines().first)
        let scalars = Array((hit["snippet"] as? String ?? "").unicodeScalars)
        let marked = (hit["highlights"] as? [[Int]] ?? []).map { String(String.UnicodeScalarView(scalars[$0[0]..<$0[1]])) }
        XCTAssertEqual(marked, ["cafe", "Lodz"], "\(hit)")
        XCTAssertEqual(try search(["--count", "\"lodz cafe\""]).out, "0\n")
        let show = try CLI.run(["show", "--index", indexPath, "--highlight", "\"lodz cafe\"", "--color", "always", "lodz-1"], in: tmp)
        XCTAssertFalse(show.out.contains("\u{1B}["), "nothing matches: \(show.out)")
    }

    /// A match just beyond the chosen passage's context comes with the words after it: it had
    /// been dropped as overlapping that passage, so more context showed fewer matches.
    func testAMatchJustPastAPassageIsShownNotDropped() throws {
        func words(_ prefix: String, _ n: Int) -> String { (1...n).map { "\(prefix)\($0)" }.joined(separator: " ") }
        for gap in 10...26 {
            let text = "\(words("w", 20)) target \(words("x", gap)) target \(words("y", 40))."
            try indexRecords([Fixture.Record(id: "gap-\(gap)", title: "Gap \(gap)", text: text, date: nil)])
            for context in ["5", "12"] {
                let r = try search(["--format", "jsonl", "--context", context, "title:\(gap) target"])
                let hit = try XCTUnwrap(try r.jsonLines().first, r.description)
                let scalars = Array((hit["snippet"] as? String ?? "").unicodeScalars)
                let marked = (hit["highlights"] as? [[Int]] ?? []).map { String(String.UnicodeScalarView(scalars[$0[0]..<$0[1]])) }
                XCTAssertEqual(marked.filter { $0 == "target" }.count, 2, "gap \(gap), context \(context): \(hit)")
            }
        }
    }

    // MARK: json

    func testJSONFormatIsOneObjectWithQueryCountAndHits() throws {
        try indexQuarry()
        let r = try search(["--format", "json", "--limit", "2", "quarry", "vote"])
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.lines.count, 1, "one object on one line: \(r.out)")
        XCTAssertTrue(r.out.hasSuffix("}\n"), r.out)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.out)
        XCTAssertEqual(topLevelKeys(r.lines[0]), ["query", "count", "hits"])
        XCTAssertEqual(object["query"] as? String, "quarry vote", "the query words joined by a space")
        XCTAssertEqual(object["count"] as? Int, 3, "count is every match, not the page")
        let hits = try XCTUnwrap(object["hits"] as? [[String: Any]])
        XCTAssertEqual(hits.count, 2)
        XCTAssertEqual(hits.map { $0["rank"] as? Int }, [1, 2])

        // The same hits, fields and scores as --format jsonl.
        let jsonl = try search(["--format", "jsonl", "--limit", "2", "quarry", "vote"]).jsonLines()
        XCTAssertEqual(hits.map { $0["id"] as? String }, jsonl.map { $0["id"] as? String })
        XCTAssertEqual(hits.map { double($0["score"]) }, jsonl.map { double($0["score"]) })
        XCTAssertEqual(hits.map { Set($0.keys) }, jsonl.map { Set($0.keys) })
        let vote = Set(["dunmere/2003-vote", "dunmere/2004-reopens", "dunmere/undated-walk"])
        XCTAssertTrue(Set(hits.compactMap { $0["id"] as? String }).isSubset(of: vote), "\(hits)")
    }

    func testJSONFormatEscapesTheQueryAndPagesWithOffset() throws {
        try indexQuarry()
        let query = #""north road" lorries"#
        let r = try search(["--format", "json", "--offset", "1", query])
        XCTAssertEqual(r.status, 0, r.description)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.out)
        XCTAssertEqual(object["query"] as? String, query)
        XCTAssertEqual(object["count"] as? Int, 2)
        let hits = try XCTUnwrap(object["hits"] as? [[String: Any]])
        XCTAssertEqual(hits.map { $0["rank"] as? Int }, [2], "ranks go on from the offset")
    }

    func testJSONFormatWithoutMatchesIsAnEmptyObjectAndExitsOne() throws {
        try indexQuarry()
        let r = try search(["--format", "json", "walrus"])
        XCTAssertEqual(r.status, 1, r.description)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.out)
        XCTAssertEqual(object["query"] as? String, "walrus")
        XCTAssertEqual(object["count"] as? Int, 0)
        XCTAssertEqual((object["hits"] as? [Any])?.count, 0)
    }

    // MARK: jsonl

    func testJSONLinesFieldsComeInTheDocumentedOrder() throws {
        try indexQuarry()
        let r = try search(["--format", "jsonl", "quarry"])
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.lines.count, Quarry.records.count)
        let hits = try r.jsonLines()
        for (i, (text, hit)) in zip(r.lines, hits).enumerated() {
            let id = try XCTUnwrap(hit["id"] as? String)
            let record = try XCTUnwrap(Quarry.records.first { $0.id == id }, id)
            var expected = ["rank", "id", "score", "title", "date", "snippet", "highlights"]
            if record.date == nil { expected.removeAll { $0 == "date" } }
            XCTAssertEqual(topLevelKeys(text), expected, text)
            XCTAssertEqual(hit["rank"] as? Int, i + 1)
            XCTAssertNotNil(double(hit["score"]), text)
            XCTAssertEqual(hit["title"] as? String, record.title)
            XCTAssertEqual(hit["date"] as? String, record.date)
            try checkHighlights(hit, words: ["quarry"])
        }
        let scores = hits.compactMap { double($0["score"]) }
        XCTAssertEqual(scores, scores.sorted(by: >))
    }

    func testJSONLinesHighlightsHoldTheQueryWords() throws {
        try indexQuarry()
        let words = ["quarry", "lorries", "dust", "vote"]
        let r = try search(["--format", "jsonl", "--any"] + words)
        XCTAssertEqual(r.status, 0, r.description)
        let hits = try r.jsonLines()
        XCTAssertEqual(hits.count, Quarry.records.count)
        for hit in hits { try checkHighlights(hit, words: words) }
    }

    /// Offsets count Unicode code points: an emoji before a match is one (two in UTF-16, four
    /// in UTF-8), a precomposed é one, a decomposed é two.
    func testHighlightsAreCodePointOffsetsPastEmojiAndAccents() throws {
        try indexRecords([
            Fixture.Record(id: "seals-1", title: "Seal 🦭 watch at Skerrow",
                           text: "Café owners said the 🦭 seal colony grew; «seals» everywhere, and naïve visitors fed the seal pups 🐟🐟.",
                           date: "2022-07-01"),
            Fixture.Record(id: "seals-2", title: "Cafe\u{301} by the harbour",
                           text: "The e\u{301}te\u{301} menu at the CAFÉ 👩‍👩‍👧 named a seal after the cafe owner.",
                           date: nil),
        ])
        for query in [["seal"], ["cafe"], ["--any", "seal", "cafe"], ["--context", "3", "seal"]] {
            let r = try search(["--format", "jsonl"] + query)
            XCTAssertEqual(r.status, 0, "\(query): \(r.description)")
            let hits = try r.jsonLines()
            XCTAssertFalse(hits.isEmpty)
            for hit in hits { try checkHighlights(hit, words: query.filter { !$0.hasPrefix("-") && Int($0) == nil }) }
        }
    }

    /// Matches on adjacent words are one passage, with no "…" between them, even with no
    /// context around them (`--context 0 'port halden'` gave "Port … Halden …").
    func testAdjacentMatchesShareOnePassage() throws {
        try indexRecords([Fixture.Record(id: "gulls-1", title: "",
                                         text: "Gulls circled as the ferry left Port Halden at dawn for the islands.", date: nil)])
        let r = try search(["--format", "jsonl", "--context", "0", "port", "halden"])
        XCTAssertEqual(try r.jsonLines().first?["snippet"] as? String, "… Port Halden …", r.description)
        let apart = try search(["--format", "jsonl", "--context", "0", "gulls", "dawn"])
        XCTAssertEqual(try apart.jsonLines().first?["snippet"] as? String, "Gulls … dawn …", apart.description)
    }

    /// Every match a snippet shows has the context asked for on each side, up to the text's
    /// ends and the next match: a match near the edge of another's passage had been shown at
    /// its edge, so that `--context 3` gave "firm, Oil …" where `--context 2` gave "firm, Oil &
    /// Natural" (found by QA).
    func testEveryShownMatchHasItsContext() throws {
        let text = "India's biggest oil exploration firm, Oil and Natural Gas Corp, has bid for the key oil production unit of the troubled firm."
        try indexRecords([Fixture.Record(id: "oil-1", title: "", text: text, date: nil)])
        for context in 1...6 {
            let r = try search(["--format", "jsonl", "--context", String(context), "oil"])
            let snippet = try XCTUnwrap(try r.jsonLines().first?["snippet"] as? String, r.description)
            let words = snippet.split(separator: " ").map(String.init)
            for (i, word) in words.enumerated() where word.lowercased().hasPrefix("oil") {
                let after = words[(i + 1)...].prefix { $0 != "…" && !$0.lowercased().hasPrefix("oil") }
                let before = words[..<i].reversed().prefix { $0 != "…" && !$0.lowercased().hasPrefix("oil") }
                let reachesEnd = i + after.count + 1 == words.count || words[i + after.count + 1].lowercased().hasPrefix("oil")
                let reachesStart = i - before.count == 0 || words[i - before.count - 1].lowercased().hasPrefix("oil")
                XCTAssertTrue(after.count >= context || reachesEnd, "--context \(context): \(snippet)")
                XCTAssertTrue(before.count >= context || reachesStart, "--context \(context): \(snippet)")
            }
        }
    }

    // MARK: tsv

    func testTSVHeaderAndEscapesRoundTrip() throws {
        let awkward = Fixture.Record(id: "notes\\odd\tid", title: "Odd\ttitle\nwith \\ a back\rslash",
                                     text: "A granite note with an awkward title.", date: "2010-10-10")
        let plain = Fixture.Record(id: "notes/plain", title: "Granite prices", text: "Granite prices rose in the spring.", date: nil)
        // Through `index -`, written by hand: the tab, newline, carriage return and backslash are JSON escapes.
        let jsonl = #"{"id": "notes\\odd\tid", "title": "Odd\ttitle\nwith \\ a back\rslash", "#
            + #""text": "A granite note with an awkward title.", "date": "2010-10-10"}"# + "\n"
            + #"{"id": "notes/plain", "title": "Granite prices", "text": "Granite prices rose in the spring."}"# + "\n"
        let added = try newsidx("index", "--index", indexPath, "-", stdin: jsonl)
        XCTAssertEqual(added.status, 0, added.description)

        let r = try search(["--format", "tsv", "granite"])
        XCTAssertEqual(r.status, 0, r.description)
        let rows = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(rows.last, "", "the output ends with a newline")
        XCTAssertEqual(rows.first, "rank\tid\tscore\ttitle\tdate\tsnippet")
        let body = Array(rows.dropFirst().dropLast())
        XCTAssertEqual(body.count, 2, "one line per hit: \(r.out)")

        func unescape(_ s: String) -> String {
            var out = "", escaping = false
            for c in s {
                if escaping {
                    switch c {
                    case "t": out.append("\t")
                    case "n": out.append("\n")
                    case "r": out.append("\r")
                    case "\\": out.append("\\")
                    default: XCTFail("unknown escape \\\(c) in \(s)"); out.append(c)
                    }
                    escaping = false
                } else if c == "\\" {
                    escaping = true
                } else {
                    out.append(c)
                }
            }
            XCTAssertFalse(escaping, "dangling backslash in \(s)")
            return out
        }

        let jsonRun = try search(["--format", "jsonl", "granite"])
        let jsonHits = try jsonRun.jsonLines()
        // The score as written (JSONSerialization may round the last digit when it parses it).
        let rawScores = jsonRun.lines.map { line -> String in
            guard let r = line.range(of: #""score":[^,]+"#, options: .regularExpression) else { return "" }
            return String(line[r].dropFirst(#""score":"#.count))
        }
        var seen: [String: [String]] = [:]
        for (i, row) in body.enumerated() {
            let fields = row.components(separatedBy: "\t")
            XCTAssertEqual(fields.count, 6, "row splits into 6 fields: \(row)")
            guard fields.count == 6 else { continue }
            XCTAssertEqual(fields[0], String(i + 1))
            let values = fields.map(unescape)
            seen[values[1]] = values
            XCTAssertEqual(values[2], rawScores[i], "score column is the jsonl score")
            XCTAssertNotNil(Double(values[2]), values[2])
            XCTAssertEqual(values[1], jsonHits[i]["id"] as? String)
            XCTAssertEqual(values[5], jsonHits[i]["snippet"] as? String, "snippet column")
        }
        let odd = try XCTUnwrap(seen[awkward.id], "the id with a backslash and a tab comes back: \(seen.keys)")
        // A title is one line: its tab, line break and carriage return were spaces when indexed.
        XCTAssertEqual(odd[3], "Odd title with \\ a back slash", "the title unescapes to the indexed one")
        XCTAssertEqual(odd[4], "2010-10-10")
        XCTAssertTrue(body.joined().contains(#"notes\\odd\tid"#), r.out)
        XCTAssertTrue(body.joined().contains(#"Odd title with \\ a back slash"#), r.out)
        let other = try XCTUnwrap(seen[plain.id])
        XCTAssertEqual(other[3], plain.title)
        XCTAssertEqual(other[4], "", "an undated hit has an empty date column")
    }

    func testTSVWithoutMatchesIsTheHeaderAlone() throws {
        try indexQuarry()
        let r = try search(["--format", "tsv", "walrus"])
        XCTAssertEqual(r.status, 1, r.description)
        XCTAssertEqual(r.out, "rank\tid\tscore\ttitle\tdate\tsnippet\n")
    }

    // MARK: paths0

    /// Text files whose paths have spaces (and a quote): `paths0 | xargs -0` hands each to a command whole.
    private func writeSpacedFiles() throws -> [String: Int] {
        let files = [
            "notes dir/harbour report.txt": "Barnacle survey at the harbour\n\nThe barnacle survey on the harbour wall found more than last year, the warden said.\n",
            "notes dir/tide  log (2).txt": "Tide log for the week\n\nA barnacle count was added to the tide log this week, with notes on the weather.\n",
            "notes dir/it's a note.txt": "Barnacle notes from the slipway\n\nVolunteers scraped barnacle growth from the slipway and logged it.\n",
            "notes dir/other.txt": "Ferry timetable\n\nThe ferry runs twice a day on weekdays and once on Sundays.\n",
        ]
        var sizes: [String: Int] = [:]
        for (name, text) in files {
            try write(name, text)
            if text.contains("arnacle") { sizes[name] = text.utf8.count }
        }
        let r = try newsidx("index", "--index", indexPath, "notes dir")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.hasPrefix("added 4,"), r.err)
        return sizes
    }

    func testPaths0ThroughXargsEchoKeepsIDsWithSpaces() throws {
        let sizes = try writeSpacedFiles()
        let exe = try CLI.requireExecutable().path
        let r = try shell(#""$1" search --index "$2" --format paths0 barnacle | xargs -0 -n1 echo"#, [exe, indexPath])
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.err, "")
        XCTAssertEqual(Set(r.lines), Set(sizes.keys))
        XCTAssertEqual(r.lines.count, sizes.count)
    }

    func testPaths0ThroughXargsWcCountsEachFile() throws {
        let sizes = try writeSpacedFiles()
        let exe = try CLI.requireExecutable().path
        let r = try shell(#""$1" search --index "$2" --format paths0 barnacle | xargs -0 wc -c"#, [exe, indexPath])
        XCTAssertEqual(r.status, 0, "wc found every file: \(r.description)")
        XCTAssertEqual(r.err, "")
        var counted: [String: Int] = [:]
        for line in r.lines {
            let trimmed = line.drop { $0 == " " }
            guard let space = trimmed.firstIndex(of: " "), let n = Int(trimmed[..<space]) else {
                XCTFail("unexpected wc line: \(line)"); continue
            }
            let name = String(trimmed[trimmed.index(after: space)...])
            if name != "total" { counted[name] = n }
        }
        XCTAssertEqual(counted, sizes)
    }

    // MARK: dates

    func testSinceAndUntilFilterByPublicationDate() throws {
        try indexQuarry()
        func ids(_ args: String...) throws -> Set<String> { Set(try orderedIDs(Array(args) + ["quarry"])) }
        XCTAssertEqual(try ids("--since", "2004"),
                       ["dunmere/2004-reopens", "dunmere/2004-lorries", "dunmere/2005-dust"])
        XCTAssertEqual(try ids("--until", "2004-06"),
                       ["dunmere/2003-vote", "dunmere/2004-reopens", "dunmere/2004-lorries"],
                       "a month bound includes its last day")
        XCTAssertEqual(try ids("--since", "2004-06-15", "--until", "2004-06-15"), ["dunmere/2004-reopens"])
        XCTAssertEqual(try ids("--since", "2004-06-16", "--until", "2004-12"), ["dunmere/2004-lorries"])
        XCTAssertEqual(try ids("--until", "2003"), ["dunmere/2003-vote"])
        XCTAssertEqual(try ids("--since", "2005-01-03"), [], "after the newest date nothing is left")
        XCTAssertEqual(try ids("--since", "2004-07", "--until", "2004-06"), [], "an empty range")
        let empty = try search(["--since", "2005", "--until", "2004", "quarry"])
        XCTAssertEqual(empty.status, 1, empty.description)
        XCTAssertTrue(empty.err.contains("the date range is empty"), "an empty range is said: \(empty.err)")
        XCTAssertEqual(try search(["--since", "2004", "--until", "2004", "quarry"]).err, "", "a one-year range is not empty")
        XCTAssertFalse(try ids("--since", "1900").contains(Quarry.undatedID), "undated documents never pass a date filter")
        XCTAssertEqual(try ids("--since", "1900").count, Quarry.dated.count)
    }

    /// A record whose date cannot be read is indexed undated, and the run says so (it had been
    /// silent); it is no failure.
    func testAnUnreadableRecordDateIsNoted() throws {
        let path = try write("dated.jsonl", #"{"id":"d1","text":"Quarry dust again.","date":"banana"}"# + "\n"
            + #"{"id":"d2","text":"Quarry dust once more.","date":"2004-06-15"}"# + "\n")
        let r = try newsidx("index", "--index", indexPath, path)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.contains("note: \(path):1: \"date\" 'banana' names no whole day of the calendar (a year or month alone is none); the record is undated"), r.err)
        XCTAssertFalse(r.err.contains(":2:"), r.err)
        XCTAssertEqual(try search(["--format", "paths", "--since", "1900", "quarry"]).lines, ["d2"])
        XCTAssertEqual(Set(try search(["--format", "paths", "quarry"]).lines), ["d1", "d2"])
    }

    /// A "title" of true or false, a list or an object leaves the record untitled with a note:
    /// true had become the title "true", and a list was dropped without a word. Null and
    /// numbers are as before: no title, and the number's text.
    func testATitleThatIsNoStringIsNoted() throws {
        let lines = [#"{"id":"t1","title":true,"text":"Quarry dust again."}"#, #"{"id":"t2","title":["a"],"text":"Quarry dust."}"#,
                     #"{"id":"t3","title":{"x":1},"text":"Quarry."}"#, #"{"id":"t4","title":null,"text":"Quarry walls."}"#,
                     #"{"id":"t5","title":1984,"text":"Quarry of 1984."}"#]
        let path = try write("titles.jsonl", lines.joined(separator: "\n") + "\n")
        let r = try newsidx("index", "--index", indexPath, path)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.contains("note: \(path):1: \"title\" is not a string (true or false); the record is untitled"), r.err)
        XCTAssertTrue(r.err.contains("\(path):2: \"title\" is not a string (an object or array)"), r.err)
        XCTAssertTrue(r.err.contains("\(path):3: \"title\""), r.err)
        XCTAssertFalse(r.err.contains(":4:") || r.err.contains(":5:"), r.err)
        let titles = try search(["--format", "jsonl", "--no-snippets", "quarry"]).jsonLines()
            .reduce(into: [String: String]()) { $0[$1["id"] as? String ?? ""] = $1["title"] as? String }
        XCTAssertEqual(titles, ["t1": "", "t2": "", "t3": "", "t4": "", "t5": "1984"])
        XCTAssertEqual(try search(["--count", "true"]).out, "0\n", "no title \"true\" to find")
    }

    func testBadDatesExitTwoWithAMessage() throws {
        try indexQuarry()
        for (option, value) in [("--since", "2004-13"), ("--until", "2004-00"), ("--since", "2004-13-01"),
                                ("--until", "yesterday"), ("--since", "2004-06-32"), ("--since", "")] {
            let r = try search([option, value, "quarry"])
            XCTAssertEqual(r.status, 2, "\(option) '\(value)': \(r.description)")
            XCTAssertEqual(r.out, "", "\(option) '\(value)'")
            XCTAssertTrue(r.err.hasPrefix("newsidx: "), r.err)
            XCTAssertTrue(r.err.contains("\(option) '\(value)'") && r.err.contains("not a date"),
                          "\(option) '\(value)': \(r.err)")
        }
    }

    /// February has no 30th and June no 31st; a day of 150 or a year of 4 written as
    /// dd-mm-yyyy is not yyyy-mm-dd: none of them is a date.
    func testImpossibleOrMalformedDatesAreRefused() throws {
        try indexQuarry()
        for (option, value) in [("--since", "2004-02-30"), ("--until", "2004-06-31"), ("--since", "2003-02-29"),
                                ("--since", "04-06-2004"), ("--until", "2004-06-150")] {
            let r = try search([option, value, "quarry"])
            XCTAssertEqual(r.status, 2, "\(option) \(value) should be refused as not a date: \(r.description)")
            XCTAssertTrue(r.err.contains("not a date"), "\(option) \(value): \(r.err)")
        }
        // A real leap day is fine.
        XCTAssertEqual(try search(["--until", "2004-02-29", "quarry"]).status, 0)
    }

    func testSortDateIsNewestFirstWithUndatedLast() throws {
        try indexQuarry()
        let relevance = try orderedIDs(["quarry"])
        XCTAssertEqual(relevance.first, Quarry.undatedID, "precondition: relevance ranks the undated note first")
        XCTAssertEqual(try orderedIDs(["--sort", "date", "quarry"]), [
            "dunmere/2005-dust", "dunmere/2004-lorries", "dunmere/2004-reopens", "dunmere/2003-vote", Quarry.undatedID,
        ])
        // --limit after the sort: the newest two, not the two most relevant.
        let page = try search(["--format", "paths", "--sort", "date", "--limit", "2", "quarry"])
        XCTAssertEqual(page.lines, ["dunmere/2005-dust", "dunmere/2004-lorries"])
        let paged = try search(["--format", "jsonl", "--sort", "date", "--offset", "3", "--limit", "5", "quarry"]).jsonLines()
        XCTAssertEqual(paged.map { $0["id"] as? String }, ["dunmere/2003-vote", Quarry.undatedID])
        XCTAssertEqual(paged.map { $0["rank"] as? Int }, [4, 5])
    }

    func testSortMinusDateIsOldestFirstWithUndatedLast() throws {
        try indexQuarry()
        XCTAssertEqual(try orderedIDs(["--sort=-date", "quarry"]), [
            "dunmere/2003-vote", "dunmere/2004-reopens", "dunmere/2004-lorries", "dunmere/2005-dust", Quarry.undatedID,
        ])
        XCTAssertEqual(try orderedIDs(["--sort=-date", "--since", "2004-06-20", "quarry"]),
                       ["dunmere/2004-lorries", "dunmere/2005-dust"])
    }

    /// README and --help spell the value "-date", as in `--sort date|-date`; it must work as a
    /// separate argument, not only glued on as --sort=-date.
    func testSortMinusDateAsASeparateArgument() throws {
        try indexQuarry()
        let r = try search(["--format", "paths", "--sort", "-date", "quarry"])
        XCTAssertEqual(r.status, 0, "`--sort -date`: \(r.description)")
        XCTAssertEqual(r.lines, [
            "dunmere/2003-vote", "dunmere/2004-reopens", "dunmere/2004-lorries", "dunmere/2005-dust", Quarry.undatedID,
        ])
    }

    func testCountRespectsTheDateFilter() throws {
        try indexQuarry()
        let cases: [([String], Int)] = [
            (["--since", "2004"], 3),
            (["--until", "2004-06"], 3),
            (["--since", "2004-06-15", "--until", "2004-06-15"], 1),
            (["--until", "2003"], 1),
            (["--since", "1900"], Quarry.dated.count),
            ([], Quarry.records.count),
            (["--since", "2004", "--limit", "1"], 3),
            (["--since", "2004", "--sort", "date"], 3),
        ]
        for (args, expected) in cases {
            let r = try search(["--count"] + args + ["quarry"])
            XCTAssertEqual(r.status, 0, "\(args): \(r.description)")
            XCTAssertEqual(r.out, "\(expected)\n", "--count \(args)")
            if !args.contains("--limit") {
                XCTAssertEqual(try orderedIDs(args + ["quarry"]).count, expected, "--count agrees with the hits for \(args)")
            }
        }
        // Dated matches of "vote" in 2004: only 2004-reopens (2003-vote is older, the walk undated).
        XCTAssertEqual(try search(["--count", "--since", "2004", "vote"]).out, "1\n")
        XCTAssertEqual(try search(["--count", "--any", "--since", "2004", "vote", "dust"]).out, "2\n")
        let none = try search(["--count", "--since", "2006", "quarry"])
        XCTAssertEqual(none.status, 1, none.description)
        XCTAssertEqual(none.out, "0\n")
    }

    // MARK: explain

    func testTextExplainShowsIdfTfAndNormUnderEachHit() throws {
        try indexQuarry()
        let r = try search(["--explain", "--limit", "3", "quarry", "vote"])
        XCTAssertEqual(r.status, 0, r.description)
        // Split the text output into hits at the "N. title" lines.
        var blocks: [[String]] = []
        for line in r.lines {
            if let dot = line.firstIndex(of: "."), Int(line[..<dot]) != nil, line[line.index(after: dot)...].hasPrefix(" ") {
                blocks.append([line])
            } else {
                XCTAssertFalse(blocks.isEmpty, "output before the first hit: \(line)")
                if !blocks.isEmpty { blocks[blocks.count - 1].append(line) }
            }
        }
        XCTAssertEqual(blocks.count, 3, r.out)
        for (i, block) in blocks.enumerated() {
            XCTAssertTrue(block[0].hasPrefix("\(i + 1). "), block[0])
            let idLine = block.count > 1 ? block[1] : ""
            let id = String(idLine.trimmingCharacters(in: .whitespaces).prefix { $0 != " " })
            XCTAssertTrue(["dunmere/2003-vote", "dunmere/2004-reopens", "dunmere/undated-walk"].contains(id), idLine)
            let explain = block.dropFirst(2)
            for word in ["idf", "tf", "norm"] {
                let lines = explain.filter { $0.contains("= \(word)") }
                XCTAssertFalse(lines.isEmpty, "hit \(i + 1) has no '\(word)' line:\n\(block.joined(separator: "\n"))")
                XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("      ") }, "indented under the hit: \(lines)")
                // One per matching term: quarry and vote.
                XCTAssertEqual(lines.count, 2, "\(word) lines of hit \(i + 1): \(lines)")
            }
            let total = try XCTUnwrap(explain.first { $0.contains("= score of \(id)") }, block.joined(separator: "\n"))
            let shown = Double(total.trimmingCharacters(in: .whitespaces).prefix { $0 != " " })
            let scoreText = idLine.components(separatedBy: "score ").last ?? ""
            XCTAssertEqual(try XCTUnwrap(shown), try XCTUnwrap(Double(scoreText), idLine), accuracy: 0.001)
        }
    }

    /// Checks an explanation tree: sums add up, each BM25 weight follows its formula, and
    /// weighted parts are their weight times their detail.
    private func checkExplanation(_ e: [String: Any], k1: Double, path: String = "explain",
                                  file: StaticString = #filePath, line: UInt = #line) {
        guard let value = double(e["value"]), let description = e["description"] as? String else {
            return XCTFail("\(path) has no value or description: \(e)", file: file, line: line)
        }
        let details = e["details"] as? [[String: Any]] ?? []
        let values = details.compactMap { double($0["value"]) }
        let tolerance = 1e-6 * max(1, abs(value))
        if description.hasPrefix("score of") || description.hasPrefix("sum of") {
            XCTAssertFalse(details.isEmpty, "\(path): \(description)", file: file, line: line)
            XCTAssertEqual(values.reduce(0, +), value, accuracy: tolerance, "\(path) '\(description)': details sum", file: file, line: line)
        } else if description.hasPrefix("weight(") {
            XCTAssertEqual(details.count, 3, "\(path): idf, tf, norm", file: file, line: line)
            guard details.count == 3, values.count == 3 else { return }
            XCTAssertTrue((details[0]["description"] as? String)?.hasPrefix("idf") == true, "\(details[0])", file: file, line: line)
            XCTAssertTrue((details[2]["description"] as? String)?.hasPrefix("norm") == true, "\(details[2])", file: file, line: line)
            XCTAssertTrue((details[2]["description"] as? String)?.contains("k1 \(k1)") == true, "\(details[2])", file: file, line: line)
            let (idf, tf, norm) = (values[0], values[1], values[2])
            XCTAssertEqual(idf * tf * (k1 + 1) / (tf + norm), value, accuracy: tolerance,
                           "\(path) '\(description)' = idf × tf × (k1 + 1) / (tf + norm)", file: file, line: line)
            return
        } else if description.hasSuffix(" ×"), let w = Double(description.dropLast(2).split(separator: " ").last ?? "") {
            XCTAssertEqual(values.count, 1, "\(path): \(description)", file: file, line: line)
            if let v = values.first { XCTAssertEqual(w * v, value, accuracy: tolerance, "\(path) '\(description)'", file: file, line: line) }
        } else {
            XCTFail("\(path): unexpected explanation node '\(description)'", file: file, line: line)
        }
        for (i, d) in details.enumerated() {
            checkExplanation(d, k1: k1, path: "\(path).details[\(i)]", file: file, line: line)
        }
    }

    func testJSONLinesExplainValueIsTheScoreAndItsDetailsSumToIt() throws {
        try indexQuarry()
        let queries: [[String]] = [
            ["quarry", "vote"], ["--any", "quarry", "vote", "lorries"], [#""north road""#], ["quarry NEAR/3 vote"],
            ["quarr*"], ["vote OR dust"], ["quarry -vote"], ["title:quarry"], ["--words", "the quarry vote"],
            ["--k1", "2", "--b", "0.3", "--any", "quarry", "lorries"],
            // A required word's title and proximity parts too (review: they had been left out).
            ["--any", "--", "+quarry", "vote", "lorries"], ["--any", "--", "+vote", "+quarry"],
        ]
        for query in queries {
            let r = try search(["--format", "jsonl", "--explain"] + query)
            XCTAssertEqual(r.status, 0, "\(query): \(r.description)")
            let hits = try r.jsonLines()
            XCTAssertFalse(hits.isEmpty, "\(query)")
            let k1 = query.firstIndex(of: "--k1").map { Double(query[$0 + 1])! } ?? 1.2
            for hit in hits {
                let id = hit["id"] as? String ?? "?"
                let score = try XCTUnwrap(double(hit["score"]), "\(hit)")
                let explain = try XCTUnwrap(hit["explain"] as? [String: Any], "\(query) \(id): no explain object")
                let value = try XCTUnwrap(double(explain["value"]), "\(explain)")
                XCTAssertEqual(value, score, accuracy: 1e-6, "\(query) \(id): explain value is the score")
                let details = try XCTUnwrap(explain["details"] as? [[String: Any]], "\(explain)")
                let sum = details.compactMap { double($0["value"]) }.reduce(0, +)
                XCTAssertEqual(sum, value, accuracy: 1e-6, "\(query) \(id): details sum to the value")
                XCTAssertEqual(explain["description"] as? String, "score of \(id)")
                checkExplanation(explain, k1: k1, path: "\(query) \(id)")
                XCTAssertEqual(topLevelKeys(r.lines[hits.firstIndex { ($0["id"] as? String) == id }!]).last, "explain",
                               "explain is the last field")
            }
        }
    }

    // MARK: batch

    func testBatchRequestObjectsAreHonoured() throws {
        try indexQuarry()
        let requests = [
            #"{"q": "quarry", "limit": 1, "sort": "-date", "since": "2004"}"#,
            #"{"q": "quarry", "sort": "date", "limit": 2}"#,
            #"{"q": "quarry", "until": "2003"}"#,
            #"{"q": "lorries vote", "any": true}"#,
            #"{"q": "lorries vote"}"#,
            #"{"q": "quarry", "sort": "-date", "offset": 1, "limit": 1}"#,
            #"{"q": "the north road", "words": true, "any": true, "limit": 0}"#,
            "quarry",
        ]
        let r = try search(["--batch", "--limit", "3"], stdin: requests.joined(separator: "\n") + "\n")
        XCTAssertEqual(r.status, 0, r.description)
        let objects = try r.jsonLines()
        XCTAssertEqual(objects.count, requests.count, r.out)
        guard objects.count == requests.count else { return }
        func ids(_ i: Int) -> [String] { (objects[i]["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
        XCTAssertEqual(objects.map { $0["query"] as? Int }, Array(1...requests.count))
        for (i, o) in objects.enumerated() {
            XCTAssertNil(o["error"], "line \(i + 1): \(o)")
            let elapsed = try XCTUnwrap(o["elapsed_us"] as? Int, "elapsed_us is an integer: \(o)")
            XCTAssertGreaterThanOrEqual(elapsed, 0)
            XCTAssertNotNil(o["elapsed_us"] as? NSNumber)
        }
        XCTAssertEqual(objects[0]["count"] as? Int, 3)
        XCTAssertEqual(ids(0), ["dunmere/2004-reopens"], "limit 1, oldest first, since 2004")
        XCTAssertEqual(ids(1), ["dunmere/2005-dust", "dunmere/2004-lorries"])
        XCTAssertEqual(objects[2]["count"] as? Int, 1)
        XCTAssertEqual(ids(2), ["dunmere/2003-vote"])
        XCTAssertEqual(objects[3]["count"] as? Int, 4, "any: lorries or vote")
        XCTAssertEqual(objects[4]["count"] as? Int, 1, "all: lorries and vote")
        XCTAssertEqual(ids(4), ["dunmere/2004-reopens"])
        XCTAssertEqual(ids(5), ["dunmere/2004-reopens"], "offset 1 of oldest first")
        XCTAssertEqual((objects[5]["hits"] as? [[String: Any]])?.first?["rank"] as? Int, 2)
        XCTAssertEqual(objects[6]["count"] as? Int, 2, "words + any: north, road (stop word 'the' dropped)")
        XCTAssertEqual(ids(6), [], "limit 0")
        XCTAssertEqual(objects[7]["count"] as? Int, 5)
        XCTAssertEqual(ids(7).count, 3, "a plain line takes the command line's --limit")
        // Without --snippets, batch hits have no snippet.
        XCTAssertNil((objects[7]["hits"] as? [[String: Any]])?.first?["snippet"])
    }

    /// JSON writes a whole number as 2, 2.0 or 2e0 alike; 2.5 is no count of hits.
    func testBatchTakesAWholeNumberHoweverJSONWritesIt() throws {
        try indexQuarry()
        let requests = [#"{"q": "quarry", "limit": 2e0}"#, #"{"q": "quarry", "limit": 2.0, "offset": 1e0}"#,
                        #"{"q": "quarry", "limit": 2.5}"#, #"{"q": "quarry", "since": "2005", "until": "2004"}"#,
                        #"{"q": "quarry", "limit": "0x2"}"#, #"{"q": "quarry", "limit": 1e300}"#]
        let r = try search(["--batch"], stdin: requests.joined(separator: "\n") + "\n")
        let objects = try r.jsonLines()
        guard objects.count == requests.count else { return XCTFail("one answer per line: \(r.out)") }
        XCTAssertEqual((objects[0]["hits"] as? [Any])?.count, 2, "\(objects[0])")
        XCTAssertEqual((objects[1]["hits"] as? [Any])?.count, 2, "\(objects[1])")
        XCTAssertEqual(((objects[1]["hits"] as? [[String: Any]])?.first?["rank"] as? Int), 2, "\(objects[1])")
        XCTAssertTrue((objects[2]["error"] as? String ?? "").contains("whole number"), "\(objects[2])")
        XCTAssertEqual(objects[3]["count"] as? Int, 0)
        XCTAssertTrue("\(objects[3]["warnings"] ?? "")".contains("the date range is empty"), "\(objects[3])")
        XCTAssertTrue((objects[4]["error"] as? String ?? "").contains("whole number"), "hexadecimal is no JSON number: \(objects[4])")
        XCTAssertNotNil(objects[5]["hits"], "a huge limit is every hit: \(objects[5])")
    }

    /// A request file saved with a byte order mark: its first object is a request, not the
    /// words of its JSON text (it had matched nothing, silently).
    func testBatchReadsARequestAfterAByteOrderMark() throws {
        try indexQuarry()
        let r = try search(["--batch"], stdin: "\u{FEFF}" + #"{"q": "quarry", "limit": 1}"# + "\n" + #"{"q": "quarry", "limit": 1}"# + "\n")
        let objects = try r.jsonLines()
        guard objects.count == 2 else { return XCTFail("one answer per line: \(r.out)") }
        XCTAssertEqual(objects[0]["count"] as? Int, objects[1]["count"] as? Int, r.out)
        XCTAssertEqual((objects[0]["hits"] as? [Any])?.count, 1, r.out)
    }

    /// A blank line in a query file asks nothing: answered with no hits and a warning, it
    /// leaves the run's status to the other lines (it had been an error, exit 2).
    func testBatchAnswersABlankLineWithNothing() throws {
        try indexQuarry()
        let r = try search(["--batch"], stdin: "quarry\n\n \t\nzzzqqq\n")
        XCTAssertEqual(r.status, 0, r.description)
        let objects = try r.jsonLines()
        guard objects.count == 4 else { return XCTFail("one answer per line: \(r.out)") }
        XCTAssertEqual(objects.map { $0["query"] as? Int }, [1, 2, 3, 4])
        for blank in objects[1...2] {
            XCTAssertNil(blank["error"], "\(blank)")
            XCTAssertEqual(blank["count"] as? Int, 0)
            XCTAssertEqual((blank["hits"] as? [Any])?.count, 0)
            XCTAssertTrue("\(blank["warnings"] ?? "")".contains("blank line"), "\(blank)")
        }
        XCTAssertEqual(try search(["--batch"], stdin: "\n").status, 1, "nothing matched")
        XCTAssertEqual(try search(["--batch"], stdin: #"{"q": ""}"# + "\n").status, 2, "an empty q is still an error")
    }

    func testBatchBadRequestObjectsGiveAnErrorLineAndExitTwo() throws {
        try indexQuarry()
        let requests = [
            "quarry",
            #"{"limit": 2}"#,
            #"{"q": "x", "limit": -1}"#,
            #"{"q": "quarry", "since": "2004-13"}"#,
            #"{"q": "quarry", "sort": "newest"}"#,
            #"{"q": "quarry""#,
            #"{"q": "dust", "limit": 1}"#,
            #"{"q": "quarry", "bogus": 1}"#,
            #"{"q": "quarry", "any": "yes"}"#,
            #"  {"q": "dust", "limit": 0}"#,
            #"{"q": "quarry", "b": 7}"#,
            #"{"q": "quarry", "k1": 1e308}"#,
        ]
        let r = try search(["--batch"], stdin: requests.joined(separator: "\n") + "\n")
        XCTAssertEqual(r.status, 2, r.description)
        let objects = try r.jsonLines()
        XCTAssertEqual(objects.count, requests.count, "every line gets an answer: \(r.out)")
        guard objects.count == requests.count else { return }
        XCTAssertEqual(objects.map { $0["query"] as? Int }, Array(1...requests.count))
        for i in [1, 2, 3, 4, 5, 7, 8, 10, 11] {
            let error = objects[i]["error"] as? String
            XCTAssertFalse((error ?? "").isEmpty, "line \(i + 1) \(requests[i]): \(objects[i])")
            XCTAssertNil(objects[i]["hits"], "line \(i + 1)")
            XCTAssertNil(objects[i]["count"], "line \(i + 1)")
        }
        XCTAssertTrue((objects[1]["error"] as? String ?? "").contains("\"q\""), "\(objects[1])")
        XCTAssertTrue((objects[2]["error"] as? String ?? "").contains("limit"), "\(objects[2])")
        // As the command line says it: the value and the forms a date takes.
        XCTAssertEqual(objects[3]["error"] as? String, #""since" '2004-13' is not a date (yyyy, yyyy-mm or yyyy-mm-dd)"#, "\(objects[3])")
        XCTAssertTrue((objects[4]["error"] as? String ?? "").contains("sort"), "\(objects[4])")
        XCTAssertTrue((objects[7]["error"] as? String ?? "").contains("unknown key \"bogus\""), "\(objects[7])")
        XCTAssertTrue((objects[8]["error"] as? String ?? "").contains("\"any\" must be true or false"), "\(objects[8])")
        XCTAssertEqual(objects[9]["count"] as? Int, 1, "an object after spaces is a request, not words: \(objects[9])")
        // As the command line's --b and --k1 (a b of 7 had been taken as 1; a k1 of 1e308 made every score 0).
        XCTAssertTrue((objects[10]["error"] as? String ?? "").contains("\"b\" must be between 0 and 1"), "\(objects[10])")
        XCTAssertTrue((objects[11]["error"] as? String ?? "").contains("\"k1\" must be between 0 and 1000"), "\(objects[11])")
        // An array, object or null in place of a value is an error, not passed over (the date
        // filter, --any and the limit had been dropped, and an unknown key let through).
        let nonScalar = [#"{"q": "quarry", "since": ["2005"]}"#, #"{"q": "quarry dust", "any": {}}"#,
                         #"{"q": "quarry", "limit": [1]}"#, #"{"q": "quarry", "x": {"a": 1}}"#, #"{"q": "quarry", "sort": null}"#]
        let refused = try search(["--batch"], stdin: nonScalar.joined(separator: "\n") + "\n")
        XCTAssertEqual(refused.status, 2, refused.description)
        let errors = try refused.jsonLines().map { $0["error"] as? String ?? "" }
        XCTAssertEqual(errors.count, nonScalar.count, refused.out)
        // Each says what its key takes: "since" had been told a boolean would do (QA helper).
        let takes = [("since", "a date string or a year"), ("any", "true or false"), ("limit", "a number")]
        for ((key, value), error) in zip(takes, errors) {
            XCTAssertTrue(error.contains("\"\(key)\" must be \(value), not an object, array or null"), error)
        }
        XCTAssertTrue(errors.count == 5 && errors[3].contains("unknown key \"x\""), "\(errors)")
        XCTAssertTrue(errors.count == 5 && errors[4].contains("\"sort\" must be"), "\(errors)")
        // The answers' own key, written as a request's: named as unknown, where "q" alone was said
        // to be missing; a number too large for a double named as such, not as a negative one.
        let misnamed = try search(["--batch"], stdin: #"{"query": "quarry"}"# + "\n" + #"{"q": "quarry", "k1": 1e400}"# + "\n")
        let misnamedErrors = try misnamed.jsonLines().map { $0["error"] as? String ?? "" }
        XCTAssertEqual(misnamedErrors.count, 2, misnamed.out)
        XCTAssertTrue(misnamedErrors.first?.contains("unknown key \"query\"") == true, "\(misnamedErrors)")
        XCTAssertTrue(misnamedErrors.last?.contains("\"k1\" 1e400 is too large") == true, "\(misnamedErrors)")
        XCTAssertEqual(objects[0]["count"] as? Int, 5)
        XCTAssertEqual(objects[6]["count"] as? Int, 1)
        XCTAssertEqual((objects[6]["hits"] as? [[String: Any]])?.first?["id"] as? String, "dunmere/2005-dust")
        for i in [0, 6] {
            let elapsed = try XCTUnwrap(objects[i]["elapsed_us"] as? Int, "\(objects[i])")
            XCTAssertGreaterThanOrEqual(elapsed, 0)
        }
    }

    func testBatchElapsedIsAnIntegerInTheRawText() throws {
        try indexQuarry()
        let r = try search(["--batch", "--snippets"], stdin: "quarry\nwalrus\n")
        XCTAssertEqual(r.status, 0, r.description)
        for line in r.lines {
            let range = try XCTUnwrap(line.range(of: #""elapsed_us":[0-9]+[,}]"#, options: .regularExpression), line)
            XCTAssertFalse(line[range].contains("."), line)
        }
        let first = try XCTUnwrap(try r.jsonLines().first)
        let hits = try XCTUnwrap(first["hits"] as? [[String: Any]])
        XCTAssertFalse(hits.isEmpty)
        for hit in hits { try checkHighlights(hit, words: ["quarry"]) }
    }

    // MARK: analyze

    func testAnalyzeShowsTheStemmedPlan() throws {
        try indexRecords([Fixture.Record(id: "fsa", title: "Rebels near the border",
                                         text: "Fighters of the free syrian army and other rebels held the crossing.", date: nil)],
                         stemmer: "english")
        let r = try search(["--analyze", #""free syrian army" NEAR/5 rebels"#])
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertFalse(r.out.isEmpty)
        XCTAssertTrue(r.out.contains("NEAR/5"), r.out)
        XCTAssertTrue(r.out.contains("armi"), "army stems to armi: \(r.out)")
        XCTAssertTrue(r.out.contains("rebel"), r.out)
        XCTAssertFalse(r.out.contains("rebels"), "rebels stems to rebel: \(r.out)")
        XCTAssertFalse(r.out.contains("army"), r.out)
        XCTAssertTrue(r.out.contains("free syrian armi"), "the phrase keeps its words together and in order: \(r.out)")
        XCTAssertFalse(r.out.contains("1. "), "no hits are printed")
        XCTAssertFalse(r.out.contains("fsa"), "no ids are printed")

        let other = try search(["--analyze", "running AND title:cats -dogs econom*"])
        XCTAssertEqual(other.status, 0, other.description)
        for part in ["run", "title:cat", "econom*", "dog"] { XCTAssertTrue(other.out.contains(part), "\(part) in \(other.out)") }
        XCTAssertFalse(other.out.contains("running") || other.out.contains("cats"), other.out)

        let near = try search(["--analyze", "rebels NEAR border"])
        XCTAssertTrue(near.out.contains("NEAR/10"), "NEAR alone is NEAR/10: \(near.out)")
    }

    func testAnalyzeUsesTheIndexStemmer() throws {
        try indexRecords([Fixture.Record(id: "fsa", title: "Rebels", text: "The free syrian army rebels.", date: nil)],
                         stemmer: "none")
        let r = try search(["--analyze", #""free syrian army" NEAR/5 rebels"#])
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.out.contains("NEAR/5"), r.out)
        XCTAssertTrue(r.out.contains("free syrian army"), "no stemming with --stemmer none: \(r.out)")
        XCTAssertTrue(r.out.contains("rebels"), r.out)
    }

    func testAnalyzeOfABadQueryExitsTwo() throws {
        try indexQuarry()
        let r = try search(["--analyze", #"quarry "vote"#])
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertTrue(r.err.contains("column 8"), r.err)
    }

    // MARK: colours

    private let escape = "\u{1B}"

    func testColorAlwaysWrapsMatchesInBoldRed() throws {
        try indexQuarry()
        let r = try search(["--color", "always", "dust"], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(r.status, 0, r.description)
        let spans = r.out.components(separatedBy: "\u{1B}[1;31m").dropFirst().map { $0.components(separatedBy: "\u{1B}[0m")[0] }
        XCTAssertFalse(spans.isEmpty, "no ESC[1;31m in \(r.out.debugDescription)")
        for span in spans { XCTAssertEqual(folded(span), "dust", "coloured span: \(span.debugDescription)") }
        // Every colour is reset on the line it starts.
        for line in r.lines where line.contains(escape) {
            let opened = line.components(separatedBy: "\u{1B}[1;31m").count - 1 + line.components(separatedBy: "\u{1B}[1m").count - 1
            let reset = line.components(separatedBy: "\u{1B}[0m").count - 1
            XCTAssertEqual(opened, reset, "as many resets as colours: \(line.debugDescription)")
        }
        XCTAssertTrue(r.out.contains("\u{1B}[1;31mdust\u{1B}[0m"), r.out.debugDescription)
    }

    func testNoColorWhenStdoutIsNotATerminal() throws {
        try indexQuarry()
        for args in [["dust"], ["--color", "auto", "dust"], ["--color", "never", "dust"]] {
            let r = try searchWithoutNoColor(args)
            XCTAssertEqual(r.status, 0, r.description)
            XCTAssertFalse(r.stdout.contains(0x1B), "\(args): ESC in \(r.out.debugDescription)")
        }
        let noColor = try search(["--color", "auto", "dust"], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(noColor.status, 0)
        XCTAssertFalse(noColor.stdout.contains(0x1B), noColor.out.debugDescription)
        // Machine formats are never coloured, even with --color always.
        for format in ["jsonl", "json", "tsv", "paths"] {
            let r = try searchWithoutNoColor(["--color", "always", "--format", format, "dust"])
            XCTAssertFalse(r.stdout.contains(0x1B), "\(format): \(r.out.debugDescription)")
        }
    }

    func testColorAutoOnATerminalUnlessNoColor() throws {
        try indexQuarry()
        guard let tty = try runOnTerminal(["search", "--index", indexPath, "--color", "auto", "dust"]) else {
            throw XCTSkip("script(1) is not installed")
        }
        XCTAssertEqual(tty.status, 0, tty.description)
        XCTAssertTrue(tty.out.contains("\u{1B}[1;31m"), "a terminal gets colour: \(tty.out.debugDescription)")
        let noColor = try XCTUnwrap(try runOnTerminal(["search", "--index", indexPath, "--color", "auto", "dust"],
                                                       environment: ["NO_COLOR": "1"]))
        XCTAssertEqual(noColor.status, 0, noColor.description)
        XCTAssertTrue(noColor.out.contains("Quarry dust complaints"), noColor.out)
        XCTAssertFalse(noColor.out.contains(escape), "NO_COLOR: \(noColor.out.debugDescription)")
        let never = try XCTUnwrap(try runOnTerminal(["search", "--index", indexPath, "--color", "never", "dust"]))
        XCTAssertFalse(never.out.contains(escape), never.out.debugDescription)
        let dumb = try XCTUnwrap(try runOnTerminal(["search", "--index", indexPath, "--color", "auto", "dust"],
                                                    environment: ["TERM": "dumb"]))
        XCTAssertEqual(dumb.status, 0, dumb.description)
        XCTAssertFalse(dumb.out.contains(escape), "TERM=dumb, as grep and ripgrep: \(dumb.out.debugDescription)")
    }

    // MARK: progress and summary

    func testIndexOnAPipeHasNoProgressButASummaryLine() throws {
        let path = try write("quarry.jsonl", Fixture.jsonl(Quarry.records))
        let exe = try CLI.requireExecutable().path
        for quiet in [false, true] {
            let index = tmp.appendingPathComponent("pipe-\(quiet)").path
            let script = quiet ? #""$1" index --quiet --index "$2" "$3" 2>&1 | cat"# : #""$1" index --index "$2" "$3" 2>&1 | cat"#
            let r = try shell(script, [exe, index, path])
            XCTAssertEqual(r.status, 0, r.description)
            XCTAssertFalse(r.stdout.contains(UInt8(ascii: "\r")), "quiet \(quiet): \\r on a pipe: \(r.out.debugDescription)")
            XCTAssertFalse(r.stdout.contains(0x1B), "quiet \(quiet): ESC on a pipe: \(r.out.debugDescription)")
            XCTAssertEqual(r.lines.count, 1, "only the summary: \(r.out)")
            XCTAssertTrue(r.lines.last?.hasPrefix("added 5, updated 0, removed 0, unchanged 0, skipped 0, problems 0 in ") == true,
                          r.out)
            XCTAssertTrue(r.lines.last?.hasSuffix(" s") == true, r.out)
        }
        // Nothing on stdout either way; the summary is on stderr. A second run changes nothing.
        let again = try newsidx("index", "--index", tmp.appendingPathComponent("pipe-false").path, path)
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(again.out, "")
        XCTAssertTrue(again.err.hasPrefix("added 0, updated 0, removed 0, unchanged 5, skipped 0, problems 0 in "), again.err)
        XCTAssertFalse(again.stderr.contains(UInt8(ascii: "\r")))
    }

    func testIndexOnATerminalDrawsProgressUnlessQuiet() throws {
        let path = try write("quarry.jsonl", Fixture.jsonl(Quarry.records))
        guard let tty = try runOnTerminal(["index", "--index", tmp.appendingPathComponent("tty").path, path]) else {
            throw XCTSkip("script(1) is not installed")
        }
        XCTAssertEqual(tty.status, 0, tty.description)
        XCTAssertTrue(tty.out.range(of: #"\r\d+ documents?, "#, options: .regularExpression) != nil, "a progress line on a terminal: \(tty.out.debugDescription)")
        XCTAssertFalse(tty.out.contains("\r1 documents"), "one document is one: \(tty.out.debugDescription)")
        XCTAssertTrue(tty.out.contains("\r\u{1B}[K"), "the progress line is cleared: \(tty.out.debugDescription)")
        XCTAssertTrue(tty.out.contains("added 5,"), tty.out)
        let quiet = try XCTUnwrap(try runOnTerminal(["index", "--quiet", "--index", tmp.appendingPathComponent("quiet").path, path]))
        XCTAssertEqual(quiet.status, 0, quiet.description)
        XCTAssertFalse(quiet.out.contains("documents, "), quiet.out.debugDescription)
        XCTAssertFalse(quiet.out.contains(escape), quiet.out.debugDescription)
        XCTAssertTrue(quiet.out.hasPrefix("added 5,"), "--quiet keeps the summary: \(quiet.out.debugDescription)")
    }

    // MARK: exit codes

    func testSearchExitCodes() throws {
        try indexQuarry()
        for format in ["text", "jsonl", "json", "tsv", "paths", "paths0"] {
            XCTAssertEqual(try search(["--format", format, "quarry"]).status, 0, format)
            XCTAssertEqual(try search(["--format", format, "walrus"]).status, 1, format)
            XCTAssertEqual(try search(["--format", format, "quarry AND"]).status, 2, format)
        }
        XCTAssertEqual(try search(["--count", "quarry"]).status, 0)
        XCTAssertEqual(try search(["--count", "walrus"]).status, 1)
        XCTAssertEqual(try search(["--since", "2006", "quarry"]).status, 1, "filtered away is no match")
        XCTAssertEqual(try search(["--offset", "10", "quarry"]).status, 0, "matches beyond the page still count")
        let badOption = try search(["--format", "xml", "quarry"])
        XCTAssertEqual(badOption.status, 2, badOption.description)
        XCTAssertEqual(badOption.out, "")
        XCTAssertEqual(try search(["--limit", "-1", "quarry"]).status, 2)
        let missing = try CLI.run(["search", "--index", tmp.appendingPathComponent("none").path, "quarry"], in: tmp)
        XCTAssertEqual(missing.status, 2, missing.description)
    }

    func testDeleteAndCheckExitCodes() throws {
        try indexQuarry()
        let sound = try newsidx("check", "--index", indexPath)
        XCTAssertEqual(sound.status, 0, sound.description)
        XCTAssertTrue(sound.lines.last?.hasPrefix("checked \(Quarry.records.count) documents") == true, sound.out)
        XCTAssertTrue(sound.lines.last?.hasSuffix(": ok") == true, sound.out)

        let missing = try newsidx("delete", "--index", indexPath, "dunmere/no-such-note")
        XCTAssertEqual(missing.status, 1, missing.description)
        XCTAssertTrue(missing.err.contains("no document with id 'dunmere/no-such-note'"), missing.err)
        XCTAssertEqual(try search(["--count", "quarry"]).out, "\(Quarry.records.count)\n", "nothing removed")

        let present = try newsidx("delete", "--index", indexPath, "dunmere/2005-dust")
        XCTAssertEqual(present.status, 0, present.description)
        XCTAssertTrue(present.err.contains("removed 1"), present.err)
        XCTAssertEqual(try search(["dust"]).status, 1, "the deleted note is gone")

        let mixed = try newsidx("delete", "--index", indexPath, "dunmere/2003-vote", "dunmere/2005-dust")
        XCTAssertEqual(mixed.status, 1, "one id was already gone: \(mixed.description)")
        XCTAssertTrue(mixed.err.contains("removed 1"), mixed.err)
        XCTAssertEqual(try search(["--count", "quarry"]).out, "\(Quarry.records.count - 2)\n")

        let after = try newsidx("check", "--index", indexPath)
        XCTAssertEqual(after.status, 0, after.description)
        XCTAssertTrue(after.lines.last?.hasPrefix("checked \(Quarry.records.count - 2) documents") == true, after.out)

        let noIndex = try newsidx("check", "--index", tmp.appendingPathComponent("none").path)
        XCTAssertEqual(noIndex.status, 2, noIndex.description)
        let deleteNoIndex = try newsidx("delete", "--index", tmp.appendingPathComponent("none2").path, "x")
        XCTAssertEqual(deleteNoIndex.status, 2, deleteNoIndex.description)
    }

    // MARK: completions

    func testCompletionScripts() throws {
        for shellName in ["bash", "zsh", "fish"] {
            let r = try newsidx("--generate-completion-script", shellName)
            XCTAssertEqual(r.status, 0, "\(shellName): \(r.description)")
            XCTAssertFalse(r.out.isEmpty, shellName)
            XCTAssertTrue(r.out.contains("newsidx"), "\(shellName) script mentions newsidx")
            for word in ["search", "index", "since", "stemmer"] {
                XCTAssertTrue(r.out.contains(word), "\(shellName) script completes \(word)")
            }
            XCTAssertEqual(r.err, "", shellName)
        }
        // The bash script is valid bash.
        let bash = try newsidx("--generate-completion-script", "bash")
        let file = try write("newsidx.bash", bash.out)
        let syntax = try CLI.runProgram(URL(fileURLWithPath: "/bin/bash"), ["-n", file], in: tmp)
        XCTAssertEqual(syntax.status, 0, syntax.description)
        let unknown = try newsidx("--generate-completion-script", "tcsh")
        XCTAssertNotEqual(unknown.status, 0, unknown.description)
    }
}
