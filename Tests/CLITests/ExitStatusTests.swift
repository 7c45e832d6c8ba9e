// CLITests: exit statuses (0 matched, 1 nothing matched, 2 error) and the error messages a
// person sees: query errors with their column, a missing index, an unknown stemmer.
import Foundation
import XCTest

final class ExitStatusTests: CLITestCase {
    func testMatchExitsZeroAndNoMatchExitsOne() throws {
        try indexHarbourFixture()
        let hit = try newsidx("search", "--index", indexPath, "--format", "paths", "pier")
        XCTAssertEqual(hit.status, 0, hit.description)
        XCTAssertEqual(Set(hit.lines), ["tide-1", "tide-4"])
        XCTAssertEqual(hit.err, "")

        let miss = try newsidx("search", "--index", indexPath, "walrus")
        XCTAssertEqual(miss.status, 1, miss.description)
        XCTAssertEqual(miss.out, "")
        XCTAssertEqual(miss.err, "")
    }

    func testVersionNamesTheIndexFormat() throws {
        let r = try newsidx("--version")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.out.hasPrefix("newsidx "), r.out)
        XCTAssertTrue(r.out.contains("newsidx-index-"), "the format an index must have: \(r.out)")
    }

    /// With no command, the help goes to stderr with exit 2, as ripgrep without a pattern: it
    /// had gone to stdout with 0, so a script that lost its command looked as though it worked.
    func testNoCommandIsAnErrorAndHelpIsNot() throws {
        let bare = try CLI.run([], in: tmp)
        XCTAssertEqual(bare.status, 2, bare.description)
        XCTAssertEqual(bare.out, "")
        XCTAssertTrue(bare.err.contains("SUBCOMMANDS:") && bare.err.contains("newsidx search"), bare.err)
        let asked = try CLI.run(["--help"], in: tmp)
        XCTAssertEqual(asked.status, 0, asked.description)
        XCTAssertTrue(asked.out.contains("SUBCOMMANDS:"), asked.out)
    }

    func testBadQueriesExitTwoWithTheColumn() throws {
        try indexHarbourFixture()
        // query, column of the offending token, words of the message
        let cases: [(String, Int, String)] = [
            ("pier \"old", 6, "never closed"),
            ("pier AND", 6, "AND"),
            ("pier NEAR/x gulls", 6, "NEAR/5"),
            ("gulls -)", 7, "'-'"),
            // Signs the tokenizer would have dropped: these had been `gulls`, "gu lls" and title:gulls.
            ("pier *gulls", 6, "'*' can only end a word"),
            ("pier gu*lls", 8, "'*' can only end a word"),
            ("pier title:-gulls", 12, "-title:word"),
            // Lucene's operators: these had been gulls, "gu lls", "pier 2" and an AND.
            ("pier !gulls", 6, "NOT or -word"),
            ("pier gu?lls", 8, "'?' is no wildcard"),
            ("pier^2", 5, "boost"),
            ("pier || gulls", 6, "write OR"),
        ]
        for (query, column, words) in cases {
            let r = try newsidx("search", "--index", indexPath, query)
            XCTAssertEqual(r.status, 2, "\(query): \(r.description)")
            XCTAssertEqual(r.out, "", query)
            XCTAssertTrue(r.err.hasPrefix("newsidx: "), "\(query): \(r.err)")
            XCTAssertTrue(r.err.contains("column \(column)"), "\(query): expected column \(column) in \(r.err)")
            XCTAssertTrue(r.err.contains(words), "\(query): expected \(words) in \(r.err)")
        }
    }

    /// `+` in a ranked list requires its word, as in Lucene and Xapian; the others still rank
    /// (it had been dropped by the tokenizer, so `+pier gulls` found the gulls without a pier).
    func testARequiredWordNarrowsARankedList() throws {
        try indexHarbourFixture()
        func ids(_ args: String...) throws -> [String] {
            let r = try CLI.run(["search", "--index", indexPath, "--format", "paths"] + args, in: tmp)
            XCTAssertEqual(r.status, 0, r.description)
            return r.lines
        }
        XCTAssertEqual(Set(try ids("--any", "pier", "gulls")), ["tide-1", "tide-2", "tide-4"])
        XCTAssertEqual(try ids("--any", "--", "+pier", "gulls"), ["tide-1", "tide-4"], "tide-1 holds gulls too, so it ranks first")
        XCTAssertEqual(try ids("gulls OR +pier"), ["tide-1", "tide-4"])
    }

    /// A phrase pasted in typographic quotes is a phrase, as with straight ones (it had been
    /// an AND of its words, which also matches documents without the phrase).
    func testTypographicQuotesSearchAPhrase() throws {
        try indexHarbourFixture()
        func paths(_ query: String) throws -> RunResult {
            try newsidx("search", "--index", indexPath, "--format", "paths", "--", query)
        }
        // "old pier" is a phrase of tide-1 and tide-4; "pier gulls" is no phrase anywhere, though
        // tide-1 holds both words.
        XCTAssertEqual(try paths("\"pier gulls\"").status, 1)
        XCTAssertEqual(try paths("pier gulls").lines, ["tide-1"])
        for words in ["old pier", "pier gulls"] {
            let straight = try paths("\"\(words)\"")
            for quoted in ["\u{201C}\(words)\u{201D}", "\u{201E}\(words)\u{201C}"] {
                let r = try paths(quoted)
                XCTAssertEqual(r.status, straight.status, quoted)
                XCTAssertEqual(r.out, straight.out, quoted)
            }
            XCTAssertEqual(try paths("pier -\u{201C}\(words)\u{201D}").out, try paths("pier -\"\(words)\"").out)
        }
    }

    func testMissingIndexSaysHowToCreateOne() throws {
        let missing = tmp.appendingPathComponent("no-such-index").path
        for args in [["search", "--index", missing, "pier"], ["show", "--index", missing, "tide-1"],
                     ["stats", "--index", missing]] {
            let r = try CLI.run(args, in: tmp)
            XCTAssertEqual(r.status, 2, "\(args): \(r.description)")
            XCTAssertTrue(r.err.contains("no index at \(missing)"), r.err)
            XCTAssertTrue(r.err.contains("newsidx index --index \(missing)"), r.err)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "reading must not create the index")

        // Without --index or NEWSIDX_INDEX the index is ./Index, and the message says so.
        let r = try newsidx("search", "pier")
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertTrue(r.err.contains("no index at Index; create one with: newsidx index --index Index"), r.err)
    }

    /// A file given as --index is said to be one: readers had advised creating an index there
    /// with a command that then failed.
    func testAnIndexPathThatIsAFileIsNamedAsOne() throws {
        let file = try write("notes.txt", "not an index\n")
        for args in [["search", "pier"], ["show", "tide-1"], ["stats"], ["check"], ["delete", "tide-1"], ["duplicates"]] {
            let r = try CLI.run([args[0], "--index", file] + args.dropFirst(), in: tmp)
            XCTAssertEqual(r.status, 2, "\(args): \(r.description)")
            XCTAssertTrue(r.err.contains("\(file) is not a directory; give --index a folder for the index"), "\(args): \(r.err)")
            XCTAssertFalse(r.err.contains("create one with"), r.err)
        }
    }

    /// A data file that is there but cannot be opened (a symlink loop) is named with the reason:
    /// readers had said there was no index and how to create one.
    func testADataFileThatCannotBeOpenedIsNamedWithTheReason() throws {
        let folder = tmp.appendingPathComponent("looped").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        XCTAssertEqual(symlink("data.mdb", folder + "/data.mdb"), 0)
        for args in [["search", "pier"], ["show", "tide-1"], ["stats"], ["check"]] {
            let r = try CLI.run([args[0], "--index", folder] + args.dropFirst(), in: tmp)
            XCTAssertEqual(r.status, 2, "\(args): \(r.description)")
            XCTAssertTrue(r.err.contains("\(folder)/data.mdb: Too many levels of symbolic links"), "\(args): \(r.err)")
            XCTAssertFalse(r.err.contains("create one with"), r.err)
        }
    }

    /// `--index=` with nothing after it is named: ArgumentParser had taken the next argument
    /// as the value, so a search looked for an index called after its first query word.
    func testAnOptionWithAnEmptyInlineValueIsNamed() throws {
        try indexHarbourFixture()
        for args in [["search", "--index=", "pier", "gulls"], ["search", "--index", indexPath, "--limit=", "pier"],
                     ["stats", "--index="]] {
            let r = try CLI.run(args, in: tmp)
            XCTAssertEqual(r.status, 2, "\(args): \(r.description)")
            XCTAssertTrue(r.err.contains("has nothing after '='"), "\(args): \(r.err)")
        }
        let query = try newsidx("search", "--index", indexPath, "--format", "paths", "--", "pier", "--limit=")
        XCTAssertEqual(query.status, 0, "after '--' it is part of the query (an exclusion): \(query.description)")
    }

    /// Sources that are all missing make no new index: a mistyped path had left an empty index
    /// folder behind. With one source there, or an index already made, the walk goes on.
    func testAnIndexOfNothingIsNotCreated() throws {
        let typo = try newsidx("index", "--index", indexPath, tmp.path + "/no-such-archive", tmp.path + "/nor-this")
        XCTAssertEqual(typo.status, 2, typo.description)
        XCTAssertTrue(typo.err.contains("no-such-archive: No such file or directory") && typo.err.contains("nor-this"), typo.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: indexPath), "no index folder for nothing")
        let notAFolder = try write("note.txt", "harbour") + "/inside"
        let below = try newsidx("index", "--index", indexPath, notAFolder)
        XCTAssertTrue(below.status == 2 && below.err.contains("inside: Not a directory"), below.description)
        XCTAssertFalse(FileManager.default.fileExists(atPath: indexPath), "nor for a path below a file")
        let path = try write("harbour.jsonl", Fixture.harbourJSONL)
        let partly = try newsidx("index", "--index", indexPath, path, tmp.path + "/no-such-archive")
        XCTAssertEqual(partly.status, 2, partly.description)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "pier").status, 0, "the source that exists is indexed")
        let again = try newsidx("index", "--index", indexPath, tmp.path + "/no-such-archive")
        XCTAssertTrue(again.err.contains("problems 1"), "an existing index's run reports as before: \(again.description)")
    }

    /// An empty --index (an unset shell variable) is named as such: it had reached mkdir and
    /// come back as ": cannot create the index folder: No such file or directory".
    func testAnEmptyIndexPathIsNamedAsOne() throws {
        let path = try write("harbour.jsonl", Fixture.harbourJSONL)
        for args in [["index", path], ["search", "pier"], ["show", "tide-1"], ["stats"], ["check"]] {
            let r = try CLI.run([args[0], "--index", ""] + args.dropFirst(), in: tmp)
            XCTAssertEqual(r.status, 2, "\(args): \(r.description)")
            XCTAssertTrue(r.err.contains("--index needs a folder name, not an empty string"), "\(args): \(r.err)")
        }
    }

    func testUnknownStemmerIsRefusedBeforeAnythingIsWritten() throws {
        let path = try write("harbour.jsonl", Fixture.harbourJSONL)
        let r = try newsidx("index", "--index", indexPath, "--stemmer", "klingon", path)
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertTrue(r.err.contains("unknown stemmer 'klingon'"), r.err)
        XCTAssertTrue(r.err.contains("english"), "the message lists the stemmers: \(r.err)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: indexPath + "/data.mdb"))
    }

    func testStemmerChoiceChangesWhatMatches() throws {
        try indexHarbourFixture(stemmer: "none")
        let stats = try newsidx("stats", "--index", indexPath, "--format", "json")
        let object = try XCTUnwrap(try stats.jsonLines().first)
        XCTAssertEqual(object["stemmer"] as? String, "none")
        // Without stemming "gull" is a different word from "gulls".
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "gull").status, 1)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "gulls").status, 0)

        // A second run with another stemmer is refused: the index keeps the one it was made with.
        let again = try newsidx("index", "--index", indexPath, "--stemmer", "english", tmp.appendingPathComponent("harbour.jsonl").path)
        XCTAssertEqual(again.status, 2, again.description)
        XCTAssertTrue(again.err.contains("--stemmer none"), again.err)
    }

    /// A first run that read nothing (a mistyped path) leaves an empty index; the stemmer of the
    /// next run is still the user's choice (it had been fixed to the default by the failed run).
    func testAnEmptyIndexTakesTheNextRunsStemmer() throws {
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "no-such-folder").status, 2)
        let path = try write("harbour.jsonl", Fixture.harbourJSONL)
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "--stemmer", "none", path).status, 0)
        let stats = try XCTUnwrap(try newsidx("stats", "--index", indexPath, "--format", "json").jsonLines().first)
        XCTAssertEqual(stats["stemmer"] as? String, "none")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "gull").status, 1, "not stemmed")
    }

    /// Another engine's field syntax is no error but is said to be a phrase, on stderr; `--analyze`
    /// shows the reading, as JSON when asked.
    func testFieldLookalikesAreNotedAndAnalyzeSpeaksJSON() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "Title:pier")
        XCTAssertEqual(r.status, 1, r.description)
        XCTAssertTrue(r.err.contains(#"'Title:pier' is searched as the phrase "Title pier": the only field is title: (lower case)"#), r.err)
        // What the note says is what is searched (it had said "as words" of a phrase).
        let reading = try newsidx("search", "--index", indexPath, "--analyze", "Title:pier").out.trimmingCharacters(in: .newlines)
        XCTAssertTrue(reading.hasPrefix("\"titl") && reading.hasSuffix(" pier\""), reading)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "title:pier").err, "", "a field search says nothing")
        // Proximity in lower case is its words too, and said so (it had found nothing, silently).
        let near = try newsidx("search", "--index", indexPath, "pier near/5 gulls")
        XCTAssertTrue(near.err.contains(#"'near/5' is searched as the phrase "near 5": proximity is NEAR/5 (capitals)"#), near.err)
        XCTAssertTrue(try newsidx("search", "--index", indexPath, "pier Adj/3 gulls").err.contains("proximity is ADJ/3"))
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "pier NEAR/5 gulls").err, "")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "pier near gulls").err, "", "near alone is a word")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--words", "Title:pier").err, "", "--words asks for words")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--any", "Source: pier").err, "", "a label in prose")
        let analyzed = try newsidx("search", "--index", indexPath, "--analyze", "--format", "json", "title:pier ferry")
        let object = try XCTUnwrap(try analyzed.jsonLines().first)
        XCTAssertEqual(object["query"] as? String, "title:pier ferry")
        XCTAssertEqual(object["analyzed"] as? String, try newsidx("search", "--index", indexPath, "--analyze", "title:pier ferry").out
            .trimmingCharacters(in: .newlines))
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--analyze", "--format", "tsv", "pier").status, 2)
    }

    func testEnglishStemmingMatchesSingularAndPlural() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath, "--format", "paths", "gull")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(Set(r.lines), ["tide-1", "tide-2"])
    }

    func testNewsidxIndexEnvironmentVariableNamesTheIndex() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--count", "ferry", environment: ["NEWSIDX_INDEX": indexPath])
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.out, "1\n")
    }

    func testSearchWithoutAQueryIsAnError() throws {
        try indexHarbourFixture()
        let r = try newsidx("search", "--index", indexPath)
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertTrue(r.err.contains("QUERY"), r.err)
    }

    /// Ranked-OR weights past 1000 (infinity among them) overflowed every score to a printed 0,
    /// so they are refused, as a k1 past 1000 is; 1000 itself still ranks.
    func testHugeRankingWeightsAreRefused() throws {
        try indexHarbourFixture()
        for option in ["--title-weight", "--proximity", "--bigram-weight"] {
            for value in ["inf", "1e308", "1000.5"] {
                let r = try newsidx("search", "--index", indexPath, "--any", option, value, "harbour")
                XCTAssertEqual(r.status, 2, "\(option) \(value): \(r.description)")
                XCTAssertTrue(r.err.contains("must be between 0 and 1000"), r.err)
            }
            let top = try newsidx("search", "--index", indexPath, "--any", "--format", "jsonl", option, "1000", "harbour")
            XCTAssertEqual(top.status, 0, top.description)
            let scores = try top.jsonLines().compactMap { $0["score"] as? Double }
            XCTAssertTrue(!scores.isEmpty && scores.allSatisfy { $0.isFinite && $0 > 0 }, "\(option) 1000: \(scores)")
        }
    }

    /// A query word starting with "-" reads as an option; the message says to put the query
    /// after "--" (it named an unknown option, or said a query was missing), and `--` works.
    func testAnExclusionBeforeDashDashGetsAHint() throws {
        try indexHarbourFixture()
        // The hint alone, with the person's own query as its example: ArgumentParser's "did you
        // mean '--any'?" or "a QUERY is needed" had come first, and the example was always
        // 'economy -market' (found by a documentation QA helper).
        for (args, example) in [(["-gulls"], "'-gulls'"), (["pier", "-gulls"], "'pier -gulls'"), (["-gulls pier"], "'-gulls pier'"),
                                (["--limit", "3", "pier", "-gulls"], "'pier -gulls'"), (["--since", "2004", "-gulls"], "'-gulls'"),
                                (["pier", "-gull's"], #"'pier -gull'\''s'"#), (["pier", "-gulls", "ferry"], "'pier -gulls ferry'"),
                                (["-gulls", "pier"], "'-gulls pier'"), (["--any", "pier", "-gulls"], "'pier -gulls'")] {
            let r = try CLI.run(["search", "--index", indexPath] + args, in: tmp)
            XCTAssertEqual(r.status, 2, r.description)
            let dashed = args.first { $0.hasPrefix("-") && !$0.hasPrefix("--") }!
            XCTAssertEqual(r.err, "newsidx: \(dashed) reads as an option: a query with an exclusion goes after '--', as with grep "
                           + "(newsidx search [options] -- \(example))\n")
        }
        // ArgumentParser's message about another argument stays, the hint after it (review).
        let badFormat = try newsidx("search", "--index", indexPath, "--format", "xml", "pier", "-gulls")
        XCTAssertTrue(badFormat.err.hasPrefix("newsidx: The value 'xml' is invalid for '--format <format>'"), badFormat.err)
        XCTAssertTrue(badFormat.err.hasSuffix("(newsidx search [options] -- 'pier -gulls')\n"), badFormat.err)
        let grepHabit = try newsidx("search", "--index", indexPath, "pier", "-l")
        XCTAssertTrue(grepHabit.err.contains("Unknown option '-l'") && !grepHabit.err.contains("exclusion"), grepHabit.description)
        let negative = try newsidx("search", "--index", indexPath, "--limit", "-1", "pier")
        XCTAssertEqual(negative.status, 2, negative.description)
        XCTAssertEqual(negative.err, "newsidx: --limit takes a number of 0 or more, not -1\n",
                       "the reason alone, not ArgumentParser's 'missing value' and usage lines first")
        let sortedNegative = try newsidx("search", "--index", indexPath, "--sort", "-date", "--limit", "-1", "pier")
        XCTAssertEqual(sortedNegative.err, "newsidx: --limit takes a number of 0 or more, not -1\n",
                       "--sort's value -date is no query word: \(sortedNegative.description)")
        let sortedBadFormat = try newsidx("search", "--index", indexPath, "--sort", "-date", "--format", "xml", "pier")
        XCTAssertEqual(sortedBadFormat.status, 2, sortedBadFormat.description)
        XCTAssertFalse(sortedBadFormat.err.contains("reads as an option"), sortedBadFormat.description)
        let separated = try newsidx("search", "--index", indexPath, "--format", "paths", "--", "pier", "-gulls")
        XCTAssertEqual(separated.status, 0, separated.description)
        XCTAssertEqual(separated.lines, ["tide-4"])
        let plain = try newsidx("search", "--index", indexPath, "--format", "paths", "walrus")
        XCTAssertFalse(plain.err.contains("reads as an option"), "no hint without a dash: \(plain.description)")
    }

    /// "-hamas" reads as bundled short flags, among them -h: it had printed help and exited 0,
    /// so a search for it seemed to match and `xargs newsidx delete` over such an id seemed
    /// to delete it. It is refused (exit 2); after "--" it is an id or a query word.
    func testAWordOrIdBeginningWithDashHIsNotAHelpRequest() throws {
        try write("wire.jsonl", #"{"id":"-hx","text":"Gulls over the harbour at dawn."}"# + "\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "wire.jsonl").status, 0)
        for args in [["search", "-hamas", "gulls"], ["search", "--count", "-hamas"], ["delete", "-hx"], ["show", "-hx"]] {
            let r = try CLI.run([args[0], "--index", indexPath] + args.dropFirst(), in: tmp)
            XCTAssertEqual(r.status, 2, r.description)
            XCTAssertEqual(r.out, "", "no help on stdout: \(r.description)")
            XCTAssertTrue(r.err.contains("reads as options, and its -h asks for help") && r.err.contains("after '--'"), r.description)
            XCTAssertTrue(r.err.contains("(newsidx \(args[0]) -- "), "the way out names the command: \(r.err)")
        }
        XCTAssertEqual(try newsidx("delete", "--index", indexPath, "--", "-hx").status, 0)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "gulls").status, 1, "deleted")
        XCTAssertEqual(try newsidx("search", "--help").status, 0, "-h and --help still ask for help")
        XCTAssertEqual(try newsidx("search", "-h").status, 0)
    }
}
