// CLITests: today's analysis, date and cleaning rules as a user meets them through the
// executable: emoji, Turkish and decomposed text found as written; a sidebar's or a sentence's
// date not taken for the page's; comments and JSON-LD articles cleaned by `clean` and `index`.
import Foundation
import XCTest

final class WordsDatesAndPagesTests: CLITestCase {
    private func index(_ records: [[String: String]], _ options: [String] = []) throws {
        let jsonl = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let r = try CLI.run(["index", "--index", indexPath] + options + ["-"], stdin: Data((jsonl.joined(separator: "\n") + "\n").utf8), in: tmp)
        XCTAssertEqual(r.status, 0, r.description)
    }

    private func ids(_ query: String) throws -> Set<String> {
        Set(try newsidx("search", "--index", indexPath, "--format", "paths", "--", query).lines)
    }

    func testEmojiAreNoWordsAndDecomposedTextMatches() throws {
        let long = String(repeating: "é", count: 150)
        try index([["id": "love", "text": "I ❤️ NY"], ["id": "frown", "text": "I ☹️ NY"],
                   ["id": "nfd", "text": "word " + long.decomposedStringWithCanonicalMapping]])
        XCTAssertEqual(try ids("\"I NY\""), ["love", "frown"])
        let emoji = try newsidx("search", "--index", indexPath, "❤️")
        XCTAssertEqual(emoji.status, 2, emoji.description)
        XCTAssertTrue(emoji.err.contains("no searchable words"), emoji.err)
        XCTAssertEqual(try ids(long), ["nfd"], "the composed spelling finds the decomposed text")
    }

    /// A word inside a run of Chinese finds nothing, as SQLite FTS5's unicode61 finds nothing;
    /// the search says why and what finds the runs it begins. A found word says nothing.
    func testAChineseWordInsideARunIsExplainedWhenItFindsNothing() throws {
        try index([["id": "zh", "title": "芯片产业", "text": "中国芯片产业在去年保持快速增长。", "date": "2024年3月5日"]])
        let inside = try newsidx("search", "--index", indexPath, "芯片")
        XCTAssertEqual(inside.status, 1, inside.description)
        XCTAssertTrue(inside.err.contains("'芯片' finds a run that is exactly it; '芯片*' also finds the runs it begins"), inside.err)
        XCTAssertEqual(try ids("中国*"), ["zh"])
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "中国芯片产业在去年保持快速增长").err, "")
        // A run the index holds, that fails on another word or on its dates, is not the run's doing.
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "中国芯片产业在去年保持快速增长 zzzz").err, "")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--since", "2025", "中国芯片产业在去年保持快速增长").err, "")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--since", "2024-03-05", "--until", "2024-03-05", "--count", "中国*").out, "1\n",
                       "the record's date was read")
    }

    func testTurkishCapitalsAndSuffixesMeetTheirWords() throws {
        try index([["id": "caps", "title": "ÇOCUKLARI OKULA GÖNDERDİLER", "text": "Ankara'ya gitti."],
                   ["id": "lower", "text": "Çocukları okula gönderdiler, Türkiye'nin ekonomisi büyüdü."]],
                  ["--stemmer", "turkish"])
        XCTAssertEqual(try ids("çocukları"), ["caps", "lower"])
        XCTAssertEqual(try ids("Ankara"), ["caps"])
        XCTAssertEqual(try ids("\"Türkiye ekonomisi\""), ["lower"])
    }

    func testSidebarAndSentenceDatesAreNotThePagesDate() throws {
        let story = "<p>The harbour wall gave way overnight as the storm surge hit the town and water poured into the streets near the quay.</p>"
            + "<p>Residents were moved to the school hall while engineers inspected the damage to the old sea defences.</p>"
        _ = try write("pages/wall.html", "<html><body><aside><h2>Most read</h2><ol><li><a href=\"/a\">Council tax</a> "
            + "<time datetime=\"2011-06-01\">1 June 2011</time></li></ol></aside><article><h1>Harbour wall breached</h1>"
            + "<p>By Agnes Tullow <time datetime=\"2024-03-12\">12 March 2024</time></p>\(story)</article></body></html>")
        _ = try write("pages/dam.txt", "Dam memories\n\nSince 12 May 1999 nobody has crossed the old dam, and the town council says it will stay closed.\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, tmp.appendingPathComponent("pages").path).status, 0)
        let hits = try newsidx("search", "--index", indexPath, "--format", "jsonl", "--no-snippets", "harbour OR dam").jsonLines()
        let dates = Dictionary(uniqueKeysWithValues: hits.map { (($0["id"] as? String ?? "") .split(separator: "/").last.map(String.init) ?? "", $0["date"] as? String ?? "none") })
        XCTAssertEqual(dates, ["wall.html": "2024-03-12", "dam.txt": "none"])
    }

    /// A browser's dump of a Chinese page, wrapped at a fixed width with its body indented: the
    /// spaced menu is dropped, the headline (one run, no spaces) is the title, the dateline
    /// dates it, and each paragraph comes out whole, its lines joined without spaces. A page
    /// whose <title> joins its site name with "_" loses the name.
    func testChinesePagesThroughClean() throws {
        let dump = try write("dump.txt", """
        首页 本地 民生 视频 直播 我的

        渡轮码头将于秋季拆除

           【2024年3月5日 北京】港务局周一表示，旧渡轮码头将在今年秋季拆除，原址计划新建一座
           带有封闭候船室的大楼，预计明年夏天完工，届时将同时开通两条新航线。

           每天乘坐渡轮的居民告诉市议会，现在的码头冬天很冷，售票机也经常一连几个星期
           无法使用，他们希望新大楼能尽快建成并投入使用，市议会表示将认真考虑这些意见。

        """)
        let cleaned = try XCTUnwrap(try newsidx("clean", "--format", "json", dump).jsonLines().first)
        XCTAssertEqual(cleaned["title"] as? String, "渡轮码头将于秋季拆除")
        XCTAssertEqual(cleaned["date"] as? String, "2024-03-05")
        let body = cleaned["body"] as? String ?? ""
        XCTAssertFalse(body.contains("首页"), body)
        XCTAssertTrue(body.contains("原址计划新建一座带有封闭候船室的大楼"), body)
        XCTAssertTrue(body.contains("售票机也经常一连几个星期无法使用"), body)
        let page = try write("page.html", "<html><head><title>渡轮码头将于秋季拆除_港口日报</title></head><body><div>"
            + "<p>港务局周一表示，旧渡轮码头将在今年秋季拆除，原址计划新建一座带有封闭候船室的大楼，预计明年夏天完工。</p>"
            + "<p>每天乘坐渡轮的居民告诉市议会，现在的码头冬天很冷，售票机也经常一连几个星期无法使用。</p></div></body></html>")
        XCTAssertEqual(try newsidx("clean", "--format", "json", page).jsonLines().first?["title"] as? String, "渡轮码头将于秋季拆除")
    }

    func testCommentsAndJSONLDArticlesThroughClean() throws {
        let story = ["The Old Mill Bridge was closed to traffic on Wednesday after a lorry struck its railing and left part of it hanging over the river.",
                     "Engineers will inspect the bridge before it can reopen, which the council said was unlikely to happen before the weekend."]
        let comment = "This has been going on for far too long and the council knew the bridge was old, so people are now paying the price."
        let withComments = try write("comments.html", "<html><body><article><h1>Bridge closed</h1>" + story.map { "<p>\($0)</p>" }.joined()
            + "</article><section><h2>3 Comments</h2><div class=\"post-body\"><p>\(comment)</p></div></section></body></html>")
        let cleaned = try newsidx("clean", "--format", "json", withComments).jsonLines().first
        XCTAssertEqual(cleaned?["body"] as? String, story.joined(separator: "\n\n"))
        let body = (story + ["It&rsquo;s the mayor&#8217;s call.", story[0].replacingOccurrences(of: "Wednesday", with: "Thursday")]).joined(separator: "\\n")
        let shell = try write("shell.html", "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Bridge closed\","
            + "\"articleBody\":\"\(body)\"}</script></head><body><div id=\"app\">Loading…</div></body></html>")
        let app = try newsidx("clean", "--format", "json", shell).jsonLines().first
        XCTAssertEqual((app?["body"] as? String)?.components(separatedBy: "\n\n").count, 4, "\(app ?? [:])")
        XCTAssertTrue((app?["body"] as? String)?.contains("It’s the mayor’s call.") == true, "\(app ?? [:])")
    }
}
