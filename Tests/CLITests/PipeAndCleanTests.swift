// CLITests: a reader that closes the pipe early (`newsidx search ... | head -n 1`) must end newsidx
// quietly; and `newsidx clean`, in json and text, on the sample archive's pages.
import Foundation
import XCTest

final class PipeAndCleanTests: CLITestCase {
    /// 3,000 generated records that all contain "common": far more output than a pipe holds.
    private func indexManyDocuments() throws {
        var lines: [String] = []
        for i in 0..<3_000 {
            lines.append(#"{"id":"gen-\#(i)","title":"Tide table \#(i)","text":"common words about tide number \#(i) and the harbour"}"#)
        }
        let r = try newsidx("index", "--index", indexPath, "-", stdin: lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.hasPrefix("added 3000,"), r.err)
    }

    private func runPipeline(_ format: String) throws -> (RunResult, String) {
        let exe = try CLI.requireExecutable().path
        let statusFile = tmp.appendingPathComponent("status").path
        // $0 newsidx, $1 index, $2 format, $3 file for newsidx's own exit status.
        let script = #"("$0" search --index "$1" --limit 3000 --format "$2" common; echo $? > "$3") | head -n 1"#
        let r = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", script, exe, indexPath, format, statusFile],
                                   in: tmp)
        let status = try String(contentsOfFile: statusFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return (r, status)
    }

    func testClosedPipeEndsSearchQuietly() throws {
        try indexManyDocuments()
        for format in ["text", "jsonl", "paths"] {
            let (r, status) = try runPipeline(format)
            XCTAssertEqual(r.status, 0, "\(format): \(r.description)")
            XCTAssertEqual(r.lines.count, 1, "\(format): \(r.out)")
            XCTAssertEqual(r.err, "", "\(format): newsidx wrote to stderr after the reader went away")
            XCTAssertEqual(status, "0", "\(format): newsidx exit status after the pipe closed")
        }
    }

    func testFullOutputWithoutAClosedPipeHasEveryHit() throws {
        try indexManyDocuments()
        let r = try newsidx("search", "--index", indexPath, "--limit", "3000", "--format", "paths", "common")
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.lines.count, 3_000)
        XCTAssertEqual(Set(r.lines).count, 3_000)
    }

    /// The lines of a sample page after its last article paragraph: the boilerplate.
    private func samplePage(_ relative: String, lastParagraphStart: String) throws -> (path: String, title: String,
                                                                                       paragraphs: [String], boilerplate: [String]) {
        let path = CLI.sampleArchive.appendingPathComponent(relative).path
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.isEmpty }
        let last = try XCTUnwrap(lines.firstIndex { $0.hasPrefix(lastParagraphStart) }, "fixture changed?")
        return (path, lines[0], Array(lines[1...last]), Array(lines[(last + 1)...]))
    }

    func testCleanJSONDropsTheBoilerplateOfASamplePage() throws {
        let page = try samplePage("sport/2024-04-21-coastal-cup-final.txt",
                                  lastParagraphStart: "The Northern Rail Union agreed")
        XCTAssertEqual(page.boilerplate.count, 18)
        let r = try newsidx("clean", "--format", "json", page.path)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.lines.count, 1)
        let article = try XCTUnwrap(try r.jsonLines().first)
        XCTAssertEqual(article["title"] as? String, page.title)
        XCTAssertEqual(article["date"] as? String, "2024-04-21")
        XCTAssertEqual(article["body"] as? String, page.paragraphs.joined(separator: "\n\n"))
        let dropped = try XCTUnwrap(article["dropped"] as? [[String: Any]])
        XCTAssertEqual(dropped.compactMap { $0["text"] as? String }, page.boilerplate)
        XCTAssertTrue(dropped.allSatisfy { !(($0["reason"] as? String) ?? "").isEmpty }, "every drop has a reason")
        XCTAssertEqual(article["file"] as? String, page.path)
    }

    /// Each object names its page, so one that fails to load shifts nothing; --explain with
    /// --format json is the JSON (which holds the reasons), not text.
    func testCleanJSONNamesEachFile() throws {
        let page = try samplePage("sport/2024-04-21-coastal-cup-final.txt", lastParagraphStart: "The Northern Rail Union agreed")
        let r = try newsidx("clean", "--format", "jsonl", "--explain", "missing.txt", page.path)
        XCTAssertEqual(r.status, 2, r.description)
        let objects = try r.jsonLines()
        XCTAssertEqual(objects.map { $0["file"] as? String }, [page.path])
        XCTAssertTrue(r.err.contains("missing.txt"), r.err)
    }

    /// `json` is one document, as search's is: several pages make one array (they had printed
    /// one object per line, which a JSON parser refuses); one page stays one object.
    func testCleanJSONOfSeveralPagesIsOneArray() throws {
        let page = try samplePage("sport/2024-04-21-coastal-cup-final.txt", lastParagraphStart: "The Northern Rail Union agreed")
        let several = try newsidx("clean", "--format", "json", page.path, page.path)
        XCTAssertEqual(several.status, 0, several.description)
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(several.out.utf8)) as? [[String: Any]], several.out)
        XCTAssertEqual(array.map { $0["file"] as? String }, [page.path, page.path])
        let one = try newsidx("clean", "--format", "json", page.path)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(one.out.utf8)) as? [String: Any], one.out)
    }

    func testCleanJSONOfAnHTMLPageKeepsOnlyTheArticle() throws {
        let path = CLI.sampleArchive.appendingPathComponent("flood/2024-03-14-insurers-storm-surge.html").path
        let r = try newsidx("clean", "--format", "json", path)
        XCTAssertEqual(r.status, 0, r.description)
        let article = try XCTUnwrap(try r.jsonLines().first)
        XCTAssertEqual(article["title"] as? String, "Insurers told to honour storm surge claims in Port Halden")
        XCTAssertEqual(article["date"] as? String, "2024-03-14")
        let body = try XCTUnwrap(article["body"] as? String)
        XCTAssertTrue(body.hasPrefix("The regional finance minister has told insurance companies"), body)
        XCTAssertTrue(body.hasSuffix("between £40 million and £55 million."), body)
        XCTAssertEqual(body.components(separatedBy: "\n\n").count, 5)
        for furniture in ["Subscribe", "Related stories", "All rights reserved", "courierAnalytics", "Vellacourt", "Maren Stoddart"] {
            XCTAssertFalse(body.contains(furniture), "\(furniture) in body")
        }
        let dropped = try XCTUnwrap(article["dropped"] as? [[String: Any]]).compactMap { $0["text"] as? String }
        XCTAssertTrue(dropped.contains("Subscribe"), "\(dropped)")
        XCTAssertTrue(dropped.contains("Related stories"), "\(dropped)")
    }

    /// Pages the cleaner had reduced to their titles are searchable by their text: a brief of
    /// one-line paragraphs, and a Chinese page with one English sentence (which chose the
    /// English stop list and dropped every Chinese paragraph).
    func testBriefsAndChinesePagesBesideEnglishAreIndexedWhole() throws {
        let brief = ["A mother has told of her terror after a fox got into her home.",
                     "The fox was eventually coaxed out with a piece of chicken."]
        try write("pages/fox.html", "<html><head><title>Fox on the sofa</title></head><body><article><h1>Fox on the sofa</h1>"
                  + brief.map { "<p>\($0)</p>" }.joined() + "</article></body></html>")
        try write("pages/zh.html", "<html><head><meta charset=utf-8><title>北京大学新闻</title></head><body><h1>北京大学新闻</h1>"
                  + "<p>北京大学今天宣布，新的研究中心将在海淀区成立。该中心专注于人工智能与数据科学研究。</p>"
                  + "<p>It is the best.</p><p>据悉，该中心首期投资五亿元，预计明年投入使用。记者张三报道。</p></body></html>")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "pages").status, 0)
        for (query, id) in [("chicken", "pages/fox.html"), ("人工智能", "pages/zh.html"), ("五亿元", "pages/zh.html")] {
            let r = try newsidx("search", "--index", indexPath, "--format", "paths", query)
            XCTAssertEqual(r.lines, [id], "\(query): \(r.description)")
        }
        let cleaned = try newsidx("clean", tmp.appendingPathComponent("pages/fox.html").path)
        XCTAssertEqual(cleaned.out, "Fox on the sofa\n\n" + brief.joined(separator: "\n\n") + "\n", cleaned.description)
    }

    func testCleanTextAndExplain() throws {
        let page = try samplePage("rail/2024-03-18-strike-begins.txt", lastParagraphStart: "Roads into Carrowby")
        let text = try newsidx("clean", page.path)
        XCTAssertEqual(text.status, 0, text.description)
        XCTAssertEqual(text.out, page.title + "\n\n" + page.paragraphs.joined(separator: "\n\n") + "\n")

        let explain = try newsidx("clean", "--explain", page.path)
        XCTAssertEqual(explain.status, 0, explain.description)
        XCTAssertEqual(explain.lines[0], "== \(page.path)")
        XCTAssertEqual(explain.lines[1], "TITLE \(page.title)")
        XCTAssertEqual(explain.lines[2], "DATE  2024-03-18")
        let blocks = Array(explain.lines.dropFirst(3))
        XCTAssertEqual(blocks.count, 1 + page.paragraphs.count + page.boilerplate.count)
        XCTAssertEqual(blocks.filter { $0.hasPrefix("KEEP [") }.count, 1 + page.paragraphs.count)
        XCTAssertTrue(blocks.contains { $0.hasPrefix("DROP [") && $0.hasSuffix("] PROMOTED VIDEO") }, explain.out)
    }

    /// With --explain, the JSON holds every block, kept or dropped, with its reason (it had
    /// been the same as without it).
    func testCleanJSONWithExplainListsEveryBlock() throws {
        let page = try samplePage("rail/2024-03-18-strike-begins.txt", lastParagraphStart: "Roads into Carrowby")
        let plain = try XCTUnwrap(try newsidx("clean", "--format", "json", page.path).jsonLines().first)
        XCTAssertNil(plain["blocks"])
        let r = try newsidx("clean", "--format", "json", "--explain", page.path)
        let blocks = try XCTUnwrap(try r.jsonLines().first?["blocks"] as? [[String: Any]], r.description)
        XCTAssertEqual(blocks.count, 1 + page.paragraphs.count + page.boilerplate.count)
        XCTAssertEqual(blocks.filter { $0["kept"] as? Bool == true }.compactMap { $0["text"] as? String },
                       [page.title] + page.paragraphs)
        XCTAssertTrue(blocks.allSatisfy { !(($0["reason"] as? String) ?? "").isEmpty }, "every block has a reason")
    }

    /// Several pages as text are told apart by a "== FILE" line each (they had run together),
    /// and a page that fails to load leaves no blank line behind.
    func testCleanTextOfSeveralPagesNamesEach() throws {
        let one = try samplePage("rail/2024-03-18-strike-begins.txt", lastParagraphStart: "Roads into Carrowby")
        let two = try samplePage("sport/2024-04-21-coastal-cup-final.txt", lastParagraphStart: "The Northern Rail Union agreed")
        let r = try newsidx("clean", "missing.txt", one.path, two.path)
        XCTAssertEqual(r.status, 2, r.description)
        let article = { (page: (path: String, title: String, paragraphs: [String], boilerplate: [String])) in
            "== \(page.path)\n" + page.title + "\n\n" + page.paragraphs.joined(separator: "\n\n") + "\n"
        }
        XCTAssertEqual(r.out, article(one) + "\n" + article(two))
    }

    /// A page's name heads its text on one line, with no control character acting on the
    /// terminal: a name may hold a line break or an escape sequence.
    func testCleanTextNamesOddFilesOnOneLine() throws {
        let broken = try write("new\nline.txt", "Gannets return\n\nThe gannets came back to the rock this week.\n")
        let escape = try write("ctrl\u{1B}[2Jname.txt", "Terns leave\n\nThe terns left the island early this year.\n")
        for options in [[], ["--explain"]] {
            let r = try CLI.run(["clean"] + options + [broken, escape], in: tmp)
            XCTAssertEqual(r.status, 0, r.description)
            XCTAssertFalse(r.out.contains("\u{1B}"), r.out)
            let headers = r.out.split(separator: "\n").filter { $0.hasPrefix("== ") }
            XCTAssertEqual(headers.count, 2, r.out)
            XCTAssertTrue(headers[0].hasSuffix("new\u{FFFD}line.txt"), r.out)
            XCTAssertTrue(headers[1].hasSuffix("ctrl\u{FFFD}[2Jname.txt"), r.out)
        }
    }

    /// A page with no article prints nothing and says so on stderr (three blank lines had
    /// stood for it), and exits 1 as grep finding nothing does (it exited 0; found by a
    /// documentation QA helper). One page with text among them is 0.
    func testCleanOfAPageWithNoArticleSaysSo() throws {
        let empty = try write("empty.txt", "")
        let menu = try write("menu.html", "<html><body><nav><a href=/>Home</a></nav></body></html>")
        let r = try newsidx("clean", empty)
        XCTAssertEqual(r.status, 1, r.description)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.contains("empty.txt: no article text found"), r.err)
        let two = try newsidx("clean", menu, empty)
        XCTAssertEqual(two.status, 1, two.description)
        XCTAssertEqual(two.out, "== \(menu)\n\n== \(empty)\n", two.description)
        XCTAssertEqual(try newsidx("clean", "-", stdin: "").status, 1)
        XCTAssertEqual(try newsidx("clean", "--format", "json", empty).status, 1)
        let story = try write("story.txt", "Gulls\n\nGulls nested on the harbour wall again this spring, the warden said.\n")
        XCTAssertEqual(try newsidx("clean", empty, story).status, 0)
    }

    /// A file named without a known extension is read as stdin is: HTML when it opens with a tag
    /// and holds a closing tag (a saved page named `story` had been cleaned and indexed with its
    /// markup as words).
    func testAPageWithoutAnExtensionIsSniffed() throws {
        let html = try String(contentsOf: CLI.sampleArchive.appendingPathComponent("flood/2024-03-14-insurers-storm-surge.html"), encoding: .utf8)
        let saved = try write("saved/story", html)
        let fromFile = try newsidx("clean", saved)
        XCTAssertEqual(fromFile.status, 0, fromFile.description)
        XCTAssertEqual(fromFile.out, try newsidx("clean", "-", stdin: html).out)
        XCTAssertFalse(fromFile.out.contains("<"), fromFile.out)
        let note = try write("saved/note", "Gulls\n\nGulls nested on the harbour wall <again> this spring.\n")
        XCTAssertTrue(try newsidx("clean", note).out.contains("wall <again> this"), "text stays text")
        // Text that opens with '<' but holds no closing tag is text too: '<' alone had emptied it (review).
        let wire = try write("saved/wire", "<Reuters> - Oil prices rose sharply today.\n\nThe cut surprised the market.\n")
        XCTAssertTrue(try newsidx("clean", wire).out.contains("<Reuters> - Oil prices rose sharply today."))
        XCTAssertTrue(try newsidx("clean", "-", stdin: "<<Le Monde>> says the cut surprised the market.\n").out.contains("<<Le Monde>> says"))
        // A page whose first closing tag lies past 64 KiB of inline style is a page (review).
        let styled = html.replacingOccurrences(of: "<head>", with: "<head><style>" + String(repeating: "p{margin:0}\n", count: 7_000) + "</style>")
        XCTAssertNotEqual(styled, html, "the sample page has a head to put the style in")
        let longStyle = try newsidx("clean", try write("saved/styled", styled))
        XCTAssertEqual(longStyle.out, fromFile.out, longStyle.description)
        XCTAssertEqual(try newsidx("index", "--index", indexPath, saved).status, 0)
        let hits = try newsidx("search", "--index", indexPath, "--count", "doctype OR div OR href")
        XCTAssertEqual(hits.out, "0\n", "indexed as a page: \(hits.description)")
    }

    /// stdin has no extension: a page that begins with '<' is HTML (it had been cleaned as
    /// text, tags and all). A JSON Lines file is refused, not printed back as one page.
    func testCleanReadsHTMLFromStdinAndRefusesJSONLines() throws {
        let path = CLI.sampleArchive.appendingPathComponent("flood/2024-03-14-insurers-storm-surge.html")
        let html = try String(contentsOf: path, encoding: .utf8)
        let fromFile = try newsidx("clean", path.path)
        let fromStdin = try newsidx("clean", "-", stdin: "\n  " + html)
        XCTAssertEqual(fromStdin.status, 0, fromStdin.description)
        XCTAssertEqual(fromStdin.out, fromFile.out)
        XCTAssertFalse(fromStdin.out.contains("<"), fromStdin.out)
        let records = try write("wire.jsonl", #"{"id":"a","text":"Gulls over the harbour."}"# + "\n")
        let refused = try newsidx("clean", records)
        XCTAssertEqual(refused.status, 2, refused.description)
        XCTAssertEqual(refused.out, "")
        XCTAssertTrue(refused.err.contains("a JSON Lines file holds records, not a page"), refused.err)
    }

    func testCleanOfAMissingFileExitsTwo() throws {
        let r = try newsidx("clean", tmp.appendingPathComponent("nope.txt").path)
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertTrue(r.err.contains("nope.txt"), r.err)
    }
}
