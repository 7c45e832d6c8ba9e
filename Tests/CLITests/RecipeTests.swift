// CLITests: the README's "Recipes" pipelines, run through /bin/sh against a temporary index of
// invented articles, with their output checked against what the fixture says it must be.
// Each recipe is taken from README.md as written and only gains `--index "$IDX"` (and PAGER=cat),
// so a recipe edited in the README without updating its test fails here.
import Foundation
import XCTest

/// An invented archive for the recipes: JSON Lines records (dated where the recipes need dates)
/// and plain-text files in folders whose names have spaces.
private enum RecipeArchive {
    typealias Record = Fixture.Record

    /// "interest rates" as a phrase: 1987 ×2, 2004 ×3 (one on 31 December), 2005 ×1 (1 January),
    /// 2006 ×1, undated ×1; ir-2004-x has both words, but not next to each other.
    static let interestRates: [Record] = [
        Record(id: "ir-1987-a", title: "Bank raises interest rates",
               text: "The central bank raised interest rates by half a point on Tuesday, citing the weak currency.", date: "1987-03-10"),
        Record(id: "ir-1987-b", title: "Markets after the crash",
               text: "After the crash, traders expect interest rates to fall before the winter.", date: "1987-10-21"),
        Record(id: "ir-2004-a", title: "Savers welcome the rise",
               text: "Savers welcomed higher interest rates, while borrowers counted the cost.", date: "2004-02-05"),
        Record(id: "ir-2004-b", title: "Mortgage lenders react",
               text: "Mortgage lenders passed the rise in interest rates on to customers within a day.", date: "2004-08-05"),
        Record(id: "ir-2004-c", title: "Year in review: money",
               text: "It was a year of rising interest rates and falling unemployment in the valley towns.", date: "2004-12-31"),
        Record(id: "ir-2004-x", title: "Rates and interest",
               text: "Business rates rose again, and interest in the town centre fell.", date: "2004-06-01"),
        Record(id: "ir-2005", title: "New year outlook",
               text: "Economists expect interest rates to stay flat through the spring.", date: "2005-01-01"),
        Record(id: "ir-2006", title: "Summer pause",
               text: "The bank left interest rates unchanged for the summer.", date: "2006-07-07"),
        Record(id: "ir-undated", title: "Explainer: how interest rates work",
               text: "Interest rates are the price of borrowing money, set by the central bank.", date: nil),
    ]

    static let interestRatesPerYear: [(String, Int)] = [("1987", 2), ("2004", 3), ("2005", 1)]
    static var interestRatesPhraseCount: Int { interestRates.filter { $0.id != "ir-2004-x" }.count }

    /// Storm Corran, over ten days; the newest five are the recipe's answer.
    static let storm: [Record] = [
        Record(id: "storm-1030", title: "Forecasters name Storm Corran",
               text: "Storm Corran is expected to reach the west coast by the weekend.", date: "2019-10-30"),
        Record(id: "storm-1102", title: "Gales close the coast road",
               text: "Storm Corran brought gales that closed the coast road overnight.", date: "2019-11-02"),
        Record(id: "storm-1103", title: "Ferries cancelled",
               text: "All ferries were cancelled as Storm Corran reached the islands.", date: "2019-11-03"),
        Record(id: "storm-1104", title: "Power cuts in the valley",
               text: "Thousands of homes lost power when Storm Corran brought down lines.", date: "2019-11-04"),
        Record(id: "storm-1105", title: "Clean-up begins",
               text: "The clean-up after Storm Corran began in the harbour towns.", date: "2019-11-05"),
        Record(id: "storm-1106", title: "Insurers count the cost",
               text: "Insurers said claims after Storm Corran could pass ten million.", date: "2019-11-06"),
        Record(id: "storm-1108", title: "Schools reopen",
               text: "Schools closed by Storm Corran reopened on Friday.", date: "2019-11-08"),
        Record(id: "storm-undated", title: "How storms get their names",
               text: "Storm Corran was the third named storm of the season.", date: nil),
    ]

    static let floodDefence: [Record] = [
        Record(id: "fd-1", title: "Flood defence funding doubled",
               text: "Funding for flood defence schemes along the estuary doubled this year, the council said after the winter flood.",
               date: "2021-02-01"),
        Record(id: "fd-2", title: "River walk reopens",
               text: "The river walk reopened after the flood. No new funding was announced for the path.", date: "2021-02-03"),
        Record(id: "fd-3", title: "Sea wall repairs",
               text: "Repairs to the sea wall defence begin in March, weather permitting.", date: "2021-02-09"),
    ]

    /// "election" in four records; two titles need CSV quoting (a comma, double quotes).
    static let election: [Record] = [
        Record(id: "el-1", title: "Election night, in pictures",
               text: "Scenes from election night in the town hall, where the count ran past two.", date: "2024-05-03"),
        Record(id: "el-2", title: #"Voters say "enough" after the election"#,
               text: "Turnout at the election was the lowest in twenty years, officials said.", date: "2024-05-04"),
        Record(id: "el-3", title: "Explainer: the count",
               text: "How the election count works, step by step, from ballot box to declaration.", date: nil),
        Record(id: "el-4", title: "Candidates debate the harbour",
               text: "Election candidates debated the harbour plan; the election is in two weeks.", date: "2024-04-20"),
    ]

    static let railStrike: [Record] = [
        Record(id: "rs-1", title: "Commuters face a week of disruption",
               text: "The rail strike begins on Monday and will last a week, the operator said.", date: "2023-03-01"),
        Record(id: "rs-2", title: "What the walkout means for you",
               text: "Your questions on the rail strike answered, from refunds to replacement buses.", date: nil),
    ]

    static var records: [Record] { interestRates + storm + floodDefence + election + railStrike }

    /// Plain-text files: the first line is the title.
    static let files: [String: String] = [
        "energy desk/opec quota.txt": """
            OPEC ministers hold the quota line

            VIENNA, 3 March 2004 — Oil ministers from OPEC agreed on Tuesday to keep the production quota unchanged until the summer meeting.

            Traders had expected a cut, and prices rose slightly after the announcement.

            """,
        "energy desk/refinery output.txt": """
            Refinery output rises

            OPEC said nothing new this week. Refinery output in the region rose again, and analysts wrote long notes about storage, tankers, shipping costs and the weather before anyone mentioned a quota at all.

            """,
        "rail desk/strike day one.txt": """
            Strike day one on the northern line

            CARROWBY, 18 March 2024 — The rail strike began at dawn and the union said every depot had joined the walkout.

            The union leader thanked passengers for their patience and asked them to avoid the stations.

            """,
        "rail desk/strike talks fail.txt": """
            Strike talks fail again

            Talks between the operator and the union broke down on Friday after six hours in a hotel conference room.

            A spokesman for the operator said the offer on pay still stood and that the door remained open.

            """,
        "rail desk/bus strike off.txt": """
            Bus strike called off

            Drivers accepted the new pay offer late on Sunday, and buses run as normal across the county this week.

            """,
        "lifestyle/horoscope aries.txt": """
            Horoscope for Aries this week

            A week for patience at work and long walks at the weekend, the stars suggest to everyone born in spring.

            """,
        "lifestyle/horoscope taurus.txt": """
            Horoscope for Taurus this week

            Money matters settle by Thursday, and an old friend calls with news you have waited a long time to hear.

            """,
        "lifestyle/weekly horoscope.txt": """
            The weekly horoscope

            Every sign gets a quiet week, with the full moon on Saturday bringing a change of plans for some.

            """,
        "lifestyle/letters to the editor.txt": """
            Letters to the editor

            A reader asks why the paper still prints a horoscope every week, and another reader writes to defend it.

            """,
    ]

    static var horoscopeTitles: [String] { files.keys.filter { $0.contains("horoscope") }.sorted() }
    static var strikeTitles: [String] { files.keys.filter { $0.hasPrefix("rail desk/") }.sorted() }
    static var documents: Int { records.count + files.count }
}

final class RecipeTests: CLITestCase {
    /// Every help's examples fit an 80-column terminal as written: wrapped there, a pipeline's
    /// second half had started a line of its own, and a pasted example ran only its first half.
    func testHelpExamplesAreNotWrappedAtEightyColumns() throws {
        for command in ["index", "search", "show", "delete", "check", "duplicates", "clean", "stats"] {
            let r = try CLI.run(["help", command], in: CLI.packageRoot, environment: ["COLUMNS": "80"])
            let lines = r.out.components(separatedBy: "\n")
            guard let start = lines.firstIndex(of: "Examples:") else { continue }
            for line in lines[(start + 1)...].prefix(while: { !$0.hasPrefix("USAGE:") }) where !line.isEmpty {
                XCTAssertTrue(line.hasPrefix("  "), "\(command): '\(line)' is a wrapped part of an example")
                XCTAssertLessThanOrEqual(line.count, 80, "\(command): \(line)")
            }
        }
    }

    // MARK: helpers

    /// The command lines of the README's Recipes section (comments and blank lines left out).
    private func readmeRecipes() throws -> [String] {
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "\n## Recipes\n") else { return [] }
        let rest = readme[start.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        return section.split(separator: "\n").map(String.init)
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix("```") }
    }

    private func writeArchive() throws {
        try write("archive/wire.jsonl", Fixture.jsonl(RecipeArchive.records))
        for (name, text) in RecipeArchive.files { try write(name, text) }
        let r = try newsidx("index", "--index", indexPath, "archive/wire.jsonl", "energy desk", "rail desk", "lifestyle")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.hasPrefix("added \(RecipeArchive.documents),"), r.err)
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try writeArchive()
    }

    private var binDirectory: String { try! CLI.requireExecutable().deletingLastPathComponent().path }

    private func hasProgram(_ name: String) throws -> Bool {
        let r = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "command -v \"$1\"", "sh", name], in: tmp)
        return r.status == 0
    }

    /// Runs a README recipe (which must be in the README as written) through /bin/sh in the
    /// test's folder, with `newsidx` on PATH, `--index "$IDX"` added to each newsidx command,
    /// and PAGER=cat.
    private func runRecipe(_ recipe: String, replacing: [(String, String)] = [],
                           file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        try runRecipe(recipe, replacing: replacing, shell: "/bin/sh", timeout: .infinity, file: file, line: line).result
    }

    /// `runRecipe` through `shell`, killed after `timeout` seconds.
    private func runRecipe(_ recipe: String, replacing: [(String, String)] = [], shell: String,
                           timeout: TimeInterval, file: StaticString = #filePath, line: UInt = #line) throws -> BoundedRun {
        XCTAssertTrue(try readmeRecipes().contains(recipe), "not a README recipe (any more?): \(recipe)", file: file, line: line)
        var script = recipe
        for command in ["search", "show", "delete", "check"] {
            script = script.replacingOccurrences(of: "newsidx \(command)", with: "newsidx \(command) --index \"$IDX\"")
        }
        for (from, to) in replacing {
            XCTAssertTrue(script.contains(from), "\(from) not in \(script)", file: file, line: line)
            script = script.replacingOccurrences(of: from, with: to)
        }
        let path = binDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try CLI.runBounded(URL(fileURLWithPath: shell), ["-c", script], in: tmp, timeout: timeout,
                                  environment: ["PATH": path, "IDX": indexPath, "PAGER": "cat"])
    }

    private func search(_ args: String...) throws -> RunResult {
        try CLI.run(["search", "--index", indexPath] + args, in: tmp)
    }

    // MARK: the recipes

    func testTheRecipesSectionIsWhereTheTestsLookForIt() throws {
        let recipes = try readmeRecipes()
        XCTAssertGreaterThanOrEqual(recipes.count, 9, "\(recipes)")
        XCTAssertTrue(recipes.allSatisfy { $0.contains("newsidx") }, "\(recipes)")
    }

    func testCountPerYear() throws {
        let r = try runRecipe(#"for y in 1987 2004 2005; do printf '%s %s\n' "$y" "$(newsidx search --count --since $y --until $y '"interest rates"')"; done"#)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.out, RecipeArchive.interestRatesPerYear.map { "\($0.0) \($0.1)\n" }.joined())
        XCTAssertEqual(r.err, "")
        // The years without a filter add up to more: 2006 and the undated explainer.
        XCTAssertEqual(try search("--count", #""interest rates""#).out, "\(RecipeArchive.interestRatesPhraseCount)\n")
    }

    func testReadTheBestHitInYourPager() throws {
        let r = try runRecipe(#"newsidx search --format paths0 --limit 1 'opec NEAR/5 quota' | xargs -0r newsidx show -- | "${PAGER:-less}""#)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.err, "")
        let direct = try newsidx("show", "--index", indexPath, "energy desk/opec quota.txt")
        XCTAssertEqual(direct.status, 0, direct.description)
        XCTAssertEqual(r.out, direct.out, "the pager shows the best hit, the file with a space in its name")
        XCTAssertTrue(r.out.hasPrefix("OPEC ministers hold the quota line\n"), r.out)
        XCTAssertTrue(r.out.contains("keep the production quota unchanged"), r.out)
        XCTAssertFalse(r.out.contains("Refinery"), "only one article: \(r.out)")
    }

    func testTheTopHitsWholeTextsThroughJq() throws {
        guard try hasProgram("jq") else { throw XCTSkip("jq is not installed") }
        let r = try runRecipe(#"newsidx search --format paths0 --limit 5 'rail strike' | xargs -0r newsidx show --format jsonl -- | jq -r '.title, .text'"#)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.err, "")
        let ids = try search("--format", "jsonl", "--limit", "5", "rail strike").jsonLines().compactMap { $0["id"] as? String }
        XCTAssertEqual(ids.count, 3, "rs-1, rs-2 and the strike's first day")
        let expected = try ids.map { id -> String in
            let shown = try newsidx("show", "--index", indexPath, id)
            XCTAssertEqual(shown.status, 0, shown.description)
            return shown.lines[0] + "\n" + shown.out
        }.joined()
        XCTAssertEqual(r.out, expected, "each hit's title, then its text as show prints it")
        XCTAssertTrue(r.out.hasPrefix("Strike day one on the northern line\n") || r.out.contains("\nStrike day one on the northern line\n"), r.out)
    }

    func testExportHitsAsCSV() throws {
        guard try hasProgram("python3") else { throw XCTSkip("python3 is not installed") }
        let r = try runRecipe(#"newsidx search --format tsv --limit 100 'election' | python3 -c 'import csv,sys; w=csv.writer(sys.stdout); [w.writerow(l.rstrip("\n").split("\t")) for l in sys.stdin]' > hits.csv"#)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.out, "")
        XCTAssertEqual(r.err, "")
        // Read hits.csv back with Python's csv reader, as JSON.
        let read = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"),
                                      ["-c", #"python3 -c 'import csv,json,sys; print(json.dumps(list(csv.reader(open("hits.csv", newline="")))))'"#],
                                      in: tmp)
        XCTAssertEqual(read.status, 0, read.description)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: read.stdout) as? [[String]], read.out)
        let count = RecipeArchive.election.count
        XCTAssertEqual(rows.count, count + 1, "a header and \(count) hits: \(rows)")
        XCTAssertEqual(rows.first, ["rank", "id", "score", "title", "date", "snippet"])
        XCTAssertTrue(rows.allSatisfy { $0.count == 6 }, "\(rows)")
        let hits = try search("--format", "jsonl", "--limit", "100", "election").jsonLines()
        XCTAssertEqual(rows.dropFirst().map { $0[1] }, hits.map { $0["id"] as? String ?? "" })
        XCTAssertEqual(rows.dropFirst().map { $0[3] }, hits.map { $0["title"] as? String ?? "" },
                       "titles with a comma and quotes survive")
        XCTAssertEqual(Set(rows.dropFirst().map { $0[3] }), Set(RecipeArchive.election.map(\.title)))
        XCTAssertEqual(rows.dropFirst().map { $0[4] }, hits.map { $0["date"] as? String ?? "" })
        XCTAssertEqual(rows.dropFirst().map { $0[0] }, (1...count).map(String.init))
    }

    func testGrepInsideTheMatchingFilesWithRipgrep() throws {
        guard try hasProgram("rg") else { throw XCTSkip("rg (ripgrep) is not installed") }
        let recipe = "newsidx search --format paths0 --limit 1000 'title:strike' | xargs -0r rg -n 'union' --"
        let r = try runRecipe(recipe)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.err, "", "every id was a file rg could open")
        var expected: Set<String> = []
        for name in RecipeArchive.strikeTitles {
            let lines = RecipeArchive.files[name]!.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, text) in lines.enumerated() where text.contains("union") { expected.insert("\(name):\(i + 1):\(text)") }
        }
        XCTAssertEqual(expected.count, 3, "fixture: three lines say union")
        XCTAssertEqual(Set(r.lines), expected)
        XCTAssertEqual(r.lines.count, expected.count)
        // With no hits, xargs must not run rg (which would search the current folder).
        let none = try runRecipe(recipe, replacing: [("title:strike", "title:zzzqqq")])
        XCTAssertEqual(none.out, "", none.description)
    }

    func testBatchCountsThroughJq() throws {
        guard try hasProgram("jq") else { throw XCTSkip("jq is not installed") }
        try write("queries.txt", "\"interest rates\"\nwalrus\ntitle:horoscope\nopec NEAR/5 quota\n\"storm corran\"\n")
        let r = try runRecipe("newsidx search --batch < queries.txt | jq -r '[.query, .count] | @tsv'")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.err, "")
        XCTAssertEqual(r.out, """
            1\t\(RecipeArchive.interestRatesPhraseCount)
            2\t0
            3\t\(RecipeArchive.horoscopeTitles.count)
            4\t1
            5\t\(RecipeArchive.storm.count)

            """)
    }

    func testAskARunningBatchProcess() throws {
        guard try hasProgram("jq"), FileManager.default.isExecutableFile(atPath: "/bin/bash") else {
            throw XCTSkip("needs jq and bash")
        }
        // The recipe reads its answer while the process still waits for more input: an answer
        // held back until the input ends would leave `read` waiting, so the run is bounded.
        let run = try runRecipe(
            #"coproc NX { newsidx search --batch; }; echo 'opec NEAR/5 quota' >&"${NX[1]}"; read -r answer <&"${NX[0]}"; jq .count <<< "$answer""#,
            shell: "/bin/bash", timeout: 30)
        XCTAssertFalse(run.timedOut, run.description)
        XCTAssertEqual(run.status, 0, run.description)
        XCTAssertEqual(run.out, "1\n")
    }

    func testTheNewestArticlesOnAStory() throws {
        let r = try runRecipe(#"newsidx search --sort date --limit 5 '"storm corran"'"#)
        XCTAssertEqual(r.status, 0, r.description)
        // Text output: "N. title", then "    id  date  score S", then the snippet.
        let idLines = r.lines.filter { $0.hasPrefix("    storm-") }
        let ids = idLines.map { String($0.dropFirst(4).prefix { $0 != " " }) }
        let newest = RecipeArchive.storm.filter { $0.date != nil }.sorted { $0.date! > $1.date! }.prefix(5)
        XCTAssertEqual(ids, newest.map(\.id), r.out)
        for (line, record) in zip(idLines, newest) {
            XCTAssertTrue(line.hasPrefix("    \(record.id)  \(record.date!)  score "), line)
        }
        let titles = r.lines.filter { $0.first?.isNumber == true }
        XCTAssertEqual(titles, newest.enumerated().map { "\($0.offset + 1). \($0.element.title)" })
    }

    func testWhyIsThisArticleRankedFirst() throws {
        let r = try runRecipe("newsidx search --explain --limit 1 --any 'flood defence funding'")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.lines.first, "1. Flood defence funding doubled", r.out)
        XCTAssertFalse(r.lines.contains { $0.hasPrefix("2. ") }, "one hit: \(r.out)")
        XCTAssertTrue(r.lines[1].hasPrefix("    fd-1  2021-02-01  score "), r.lines[1])
        let score = try XCTUnwrap(Double(r.lines[1].components(separatedBy: "score ").last ?? ""), r.lines[1])
        let total = try XCTUnwrap(r.lines.first { $0.hasSuffix("= score of fd-1") }, r.out)
        XCTAssertEqual(try XCTUnwrap(Double(total.trimmingCharacters(in: .whitespaces).prefix { $0 != " " })), score, accuracy: 0.001)
        for word in ["flood", "defenc", "fund"] {
            XCTAssertTrue(r.lines.contains { $0.contains("weight(text:\(word)") }, "\(word) is explained: \(r.out)")
        }
        for part in ["= idf", "= tf", "= norm", "title weight", "proximity weight"] {
            XCTAssertTrue(r.out.contains(part), "\(part) in \(r.out)")
        }
    }

    /// With an identical copy of one horoscope kept under another name: `--copies` lists its id
    /// too, so none stays searchable (without it two had, found by a documentation QA helper).
    func testDeleteEveryHoroscopeThenCheck() throws {
        let aries = try XCTUnwrap(RecipeArchive.files["lifestyle/horoscope aries.txt"])
        try write("lifestyle/saved/aries again.txt", aries)
        let copied = try newsidx("index", "--index", indexPath, "lifestyle")
        XCTAssertTrue(copied.err.contains("added 0,") && copied.err.contains("skipped 1,"), copied.description)
        let before = try search("--count", "horoscope")
        XCTAssertEqual(before.out, "\(RecipeArchive.horoscopeTitles.count + 1)\n", "three horoscopes and a letter")
        let recipe = "newsidx search --format paths0 --copies --limit 100000 'title:horoscope' | xargs -0r newsidx delete -- && newsidx check"
        let r = try runRecipe(recipe)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.contains("removed \(RecipeArchive.horoscopeTitles.count + 1)"), r.err)
        XCTAssertFalse(r.err.contains("stay"), r.err)
        XCTAssertEqual(r.lines.count, 1, "check has nothing to report: \(r.out)")
        XCTAssertEqual(r.lines.first.map { $0.hasPrefix("checked \(RecipeArchive.documents - RecipeArchive.horoscopeTitles.count) documents, ") }, true,
                       r.out)
        XCTAssertTrue(r.out.hasSuffix(": ok\n"), r.out)
        XCTAssertEqual(try search("title:horoscope").status, 1, "the horoscopes are gone")
        XCTAssertEqual(try search("--format", "paths", "horoscope").lines, ["lifestyle/letters to the editor.txt"])
        let stats = try XCTUnwrap(try newsidx("stats", "--index", indexPath, "--format", "json").jsonLines().first)
        XCTAssertEqual(stats["documents"] as? Int, RecipeArchive.documents - RecipeArchive.horoscopeTitles.count)
        let again = try runRecipe(recipe)
        XCTAssertEqual(again.status, 0, "with nothing left to delete, delete is not run and check still is: \(again.description)")
        XCTAssertTrue(again.out.hasSuffix(": ok\n"), again.out)
    }

    func testTitlesAndDatesAsATableThroughJq() throws {
        guard try hasProgram("jq") else { throw XCTSkip("jq is not installed") }
        let r = try runRecipe("newsidx search --format jsonl 'rail strike' | jq -r '[.date, .title] | @tsv'")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.err, "")
        let hits = try search("--format", "jsonl", "rail strike").jsonLines()
        XCTAssertEqual(hits.count, 3, "rs-1, rs-2 and the strike's first day")
        XCTAssertEqual(r.out, hits.map { "\($0["date"] as? String ?? "")\t\($0["title"] as? String ?? "")\n" }.joined())
        XCTAssertTrue(r.lines.contains("2023-03-01\tCommuters face a week of disruption"), r.out)
        XCTAssertTrue(r.out.contains("\n\tWhat the walkout means for you\n") || r.out.hasPrefix("\tWhat the walkout means for you\n"),
                      "an undated hit has an empty date column: \(r.out)")
    }

    /// Recipes cut short by `| head -1` end quietly: no error from newsidx, and its status is 0.
    func testRecipesCutShortByHead() throws {
        var lines: [String] = []
        for i in 0..<3_000 {
            lines.append(#"{"id":"gen-\#(i)","title":"Election note \#(i)","text":"An election leaflet, number \#(i), about interest rates.","date":"2004-01-01"}"#)
        }
        let added = try newsidx("index", "--index", indexPath, "-", stdin: lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(added.status, 0, added.description)
        let status = tmp.appendingPathComponent("status").path
        for (format, query) in [("text", "election"), ("jsonl", "election"), ("tsv", "election"), ("paths", #""interest rates""#),
                                ("paths0", "election"), ("json", "election")] {
            let script = #"(newsidx search --index "$IDX" --format "$1" --limit 5000 "$2"; echo $? > "$3") | head -1"#
            let path = binDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            let r = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", script, "sh", format, query, status], in: tmp,
                                       environment: ["PATH": path, "IDX": indexPath])
            XCTAssertEqual(r.status, 0, "\(format): \(r.description)")
            XCTAssertEqual(r.err, "", "\(format): nothing on stderr after head went away")
            XCTAssertFalse(r.out.isEmpty, format)
            let code = try String(contentsOfFile: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertEqual(code, "0", "\(format): newsidx exit status")
        }
        if try hasProgram("jq") {
            let r = try runRecipe("newsidx search --format jsonl 'rail strike' | jq -r '[.date, .title] | @tsv'",
                                  replacing: [("'rail strike'", "--limit 5000 election"), ("@tsv'", "@tsv' | head -1")])
            XCTAssertEqual(r.status, 0, r.description)
            XCTAssertEqual(r.lines.count, 1, r.out)
            XCTAssertEqual(r.err, "")
        }
    }

    // MARK: shell completions (README "Shell completions and man page")

    func testBashCompletionScriptLoads() throws {
        guard try hasProgram("bash") else { throw XCTSkip("bash is not installed") }
        let made = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"),
                                      ["-c", #"newsidx --generate-completion-script bash > newsidx.bash"#], in: tmp,
                                      environment: ["PATH": binDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")])
        XCTAssertEqual(made.status, 0, made.description)
        let r = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"),
                                   ["-c", #"bash -c 'source ./newsidx.bash && complete -p newsidx'"#], in: tmp)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.out.contains("newsidx"), r.out)
        XCTAssertTrue(r.out.hasPrefix("complete "), r.out)
    }

    func testZshAndFishCompletionScriptsParse() throws {
        var ran = 0
        for (shell, check) in [("zsh", "zsh -n newsidx.zsh"), ("fish", "fish --no-execute newsidx.fish")] {
            guard try hasProgram(shell) else { continue }
            ran += 1
            let script = "newsidx --generate-completion-script \(shell) > newsidx.\(shell) && \(check)"
            let r = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", script], in: tmp,
                                       environment: ["PATH": binDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")])
            XCTAssertEqual(r.status, 0, "\(shell): \(r.description)")
        }
        if ran == 0 { throw XCTSkip("neither zsh nor fish is installed") }
    }
}
