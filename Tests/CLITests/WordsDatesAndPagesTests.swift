// CLITests: today's analysis, date and cleaning rules as a user meets them through the
// executable: emoji, Turkish and decomposed text found as written; a sidebar's or a sentence's
// date not taken for the page's; comments and JSON-LD articles cleaned by `clean` and `index`.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Storage
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

    /// Text files and undeclared pages in a legacy encoding are read in the one `--encoding`
    /// names (they had been indexed as replacement characters, with a note that now names the
    /// option); UTF-8 files beside them stay UTF-8, and a name iconv does not know exits 2.
    func testLegacyEncodedFilesAreReadWithEncoding() throws {
        func encoded(_ text: String, _ label: String) throws -> [UInt8] {
            let converter = iconv_open(label, "UTF-8")
            guard converter != iconv_t(bitPattern: -1) else { throw XCTSkip("this system's iconv lacks \(label)") }
            defer { iconv_close(converter) }
            var input = Array(text.utf8).map { CChar(bitPattern: $0) }, output = [CChar](repeating: 0, count: input.count * 4)
            var inLeft = input.count, outLeft = output.count
            input.withUnsafeMutableBufferPointer { i in
                output.withUnsafeMutableBufferPointer { o in
                    var ip: UnsafeMutablePointer<CChar>? = i.baseAddress, op: UnsafeMutablePointer<CChar>? = o.baseAddress
                    _ = iconv(converter, &ip, &inLeft, &op, &outLeft)
                }
            }
            XCTAssertEqual(inLeft, 0, "\(label) holds the text")
            return output.prefix(output.count - outLeft).map { UInt8(bitPattern: $0) }
        }
        let article = "北京大学举行开学典礼\n\n今天上午，北京大学在校园里举行了开学典礼，三千多名新生参加。校长在讲话中说，芯片产业正在快速发展。\n"
        try writeBytes("zh/gb.txt", try encoded(article, "GB18030"))
        try write("zh/utf8.txt", "上海举行国际会议\n\n今天，上海举行了国际会议，各国代表讨论了经济合作。\n")
        let plain = try newsidx("index", "--index", indexPath, "zh")
        XCTAssertTrue(plain.err.contains("zh/gb.txt: invalid UTF-8 replaced with U+FFFD (text in another encoding is read with --encoding"),
                      plain.err)
        XCTAssertEqual(try ids("芯片"), [])
        // Touched, the files are read again: the one not UTF-8 changes with the encoding named
        // (it had been found unchanged and stayed U+FFFD), the UTF-8 one does not.
        for name in ["zh/gb.txt", "zh/utf8.txt"] {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)],
                                                  ofItemAtPath: tmp.appendingPathComponent(name).path)
        }
        let read = try newsidx("index", "--index", indexPath, "--encoding", "gb18030", "zh")
        XCTAssertFalse(read.err.contains("note:"), read.err)
        XCTAssertTrue(read.err.contains("added 0, updated 1, removed 0, unchanged 1,"), read.err)
        XCTAssertEqual(try ids("芯片"), ["zh/gb.txt"])
        XCTAssertEqual(try ids("国际会议"), ["zh/utf8.txt"], "valid UTF-8 is never read in the encoding named")
        XCTAssertEqual(try newsidx("show", "--index", indexPath, "zh/gb.txt").out, article)
        let unknown = try CLI.run(["index", "--index", indexPath, "--encoding", "klingon", "zh"], in: tmp)
        XCTAssertEqual(unknown.status, 2, unknown.description)
        XCTAssertTrue(unknown.err.contains("--encoding 'klingon' is not an encoding"), unknown.err)
        // `clean` reads the same way; an encoding that does not write ASCII as ASCII is refused.
        let cleaned = try newsidx("clean", "--encoding", "gb18030", "zh/gb.txt")
        XCTAssertEqual(cleaned.status, 0, cleaned.description)
        XCTAssertTrue(cleaned.out.hasPrefix("北京大学举行开学典礼\n\n今天上午"), cleaned.out)
        let wide = try CLI.run(["clean", "--encoding", "utf-16le", "zh/gb.txt"], in: tmp)
        XCTAssertEqual(wide.status, 2, wide.description)
        XCTAssertTrue(wide.err.contains("does not write ASCII as ASCII"), wide.err)
    }

    /// Decoding can make a page several times as large (a byte of TSCII is up to 12 of UTF-8):
    /// `clean` refuses text over the 64 MiB a document may take, as `index` does, and had
    /// printed all of it.
    func testCleanRefusesDecodedTextOverTheDocumentLimit() throws {
        try writeBytes("big.txt", Array("Tamil\n\n".utf8) + [UInt8](repeating: 0x82, count: 6 << 20))
        let r = try CLI.run(["clean", "--encoding", "tscii", "big.txt"], in: tmp)
        guard !r.err.contains("is not an encoding") else { throw XCTSkip("this system's iconv lacks TSCII") }
        XCTAssertEqual(r.status, 2, String(r.err.prefix(500)))
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.contains("big.txt") && r.err.contains("larger than the 64 MiB"), String(r.err.prefix(500)))
    }

    /// Chinese and Japanese are indexed a character at a position with overlapping pairs
    /// stacked on them: a word is found inside a run (FTS5's unicode61, cutting at punctuation
    /// only, finds none of these), a lone character wherever it stands, dates written with
    /// digits and `word*` as what follows it.
    func testChineseAndJapaneseWordsAreFoundInsideRuns() throws {
        try index([["id": "zh", "title": "芯片产业", "text": "中国芯片产业在去年保持快速增长。", "date": "2024年3月5日"],
                   ["id": "ja", "text": "東京タワーは今日も混雑している。ｶﾞｲﾄﾞ付きツアーが人気だ。会議は3月15日午後に開かれる。"],
                   ["id": "short", "text": "片 和 产"],
                   ["id": "mark", "text": "東ﾞ京 と"],  // a voicing mark on a Han character: still one character
                   ["id": "circled", "text": "一一 ㊀㊀ 一一"]])  // circled numerals fold to Han: pairs, not words
        XCTAssertEqual(try ids("芯片"), ["zh"])
        XCTAssertEqual(try ids("保持快速"), ["zh"])
        XCTAssertEqual(try ids("片"), ["zh", "short"], "a lone character, in a pair or alone")
        XCTAssertEqual(try ids("长"), ["zh"], "the last character of a run")
        XCTAssertEqual(try ids("15日"), ["ja"], "a date: digits, then a character that begins a run")
        XCTAssertEqual(try ids("\"3月15日\""), ["ja"])
        XCTAssertEqual(try ids("5日"), [])
        XCTAssertEqual(try ids("タワー"), ["ja"])
        XCTAssertEqual(try ids("ガイド"), ["ja"], "half-width katakana fold to full width")
        XCTAssertEqual(try ids("芯片产*"), ["zh"])
        XCTAssertEqual(try ids("ｶﾞｲﾄﾞ*"), ["ja"], "a prefix in half-width kana, folded")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--words", "--any", "--analyze", "東京tower 東京タワー").out,
                       "OR(東京, tower, \"東京 京タ タワ ワー\")\n", "a run stays one word, without the place holder")
        XCTAssertEqual(try ids("\"快速增长\""), ["zh"])
        XCTAssertEqual(try ids("增长快速"), [], "the characters in another order are another word")
        XCTAssertEqual(try ids("芯片 NEAR/9 增长"), ["zh"], "distances count characters: 产业在去年保持快速 are nine")
        XCTAssertEqual(try ids("芯片 NEAR/8 增长"), [])
        XCTAssertEqual(try ids("芯片 ADJ/0 产业"), ["zh"], "a pair ends at its second character")
        XCTAssertEqual(try ids("产业 NEAR/0 芯片"), ["zh"])
        XCTAssertEqual(try ids("東京タワー ADJ/1 今日"), ["ja"])
        XCTAssertEqual(try ids("東京タワー ADJ/0 今日"), [])
        XCTAssertEqual(try ids("\"芯片 产业\""), ["zh"], "a space between words of a phrase makes no difference")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--since", "2024-03-05", "--until", "2024-03-05", "--count", "产业").out, "1\n",
                       "the record's date was read")
        let json = try newsidx("search", "--index", indexPath, "--format", "jsonl", "东京 OR 東京タワー").jsonLines()
        XCTAssertTrue((json.first?["snippet"] as? String ?? "").hasPrefix("東京タワーは今日も"), json.description)
        XCTAssertEqual((json.first?["highlights"] as? [[Int]]), [[0, 5]], "overlapping pairs are one mark")
        let nothing = try newsidx("search", "--index", indexPath, "增长快速")
        XCTAssertEqual(nothing.err, "", "nothing to explain: the index holds pairs")
        XCTAssertEqual(try newsidx("stats", "--index", indexPath, "--format", "json").jsonLines().first?["east_asian"] as? String, "pairs")
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
        // A replaced record leaves its pairs with the rest of its words.
        try index([["id": "zh", "text": "新的文章替换了旧的。"]])
        XCTAssertEqual(try ids("芯片"), [])
        XCTAssertEqual(try ids("替换"), ["zh"])
        let check = try newsidx("check", "--index", indexPath)
        XCTAssertEqual(check.status, 0, check.description)
    }

    /// Makes the index's format the one before pairs (12), as an index made then has it.
    private func setFormatBeforePairs() throws {
        let env = try Environment(path: indexPath)
        let meta = try XCTUnwrap(env.openTables(["meta"], create: false)["meta"])
        try env.write { try $0.put(meta, Array("format".utf8), Array("newsidx-index-12".utf8)) }
    }

    private func statsField(_ name: String) throws -> String? {
        try newsidx("stats", "--index", indexPath, "--format", "json").jsonLines().first?[name] as? String
    }

    /// An index made before pairs (format 12) keeps its runs, and queries cut their words as
    /// it did: a run is found whole, a word inside one is not, and the search says why.
    func testAnIndexOfRunsIsSearchedInRuns() throws {
        try index([["id": "en", "text": "An English story first."]])
        XCTAssertEqual(try statsField("format"), "newsidx-index-13")
        try setFormatBeforePairs()
        try index([["id": "zh", "text": "中国芯片产业在去年保持快速增长。"]])
        XCTAssertEqual(try statsField("format"), "newsidx-index-12")
        XCTAssertEqual(try statsField("east_asian"), "runs")
        XCTAssertEqual(try ids("中国芯片产业在去年保持快速增长"), ["zh"])
        XCTAssertEqual(try ids("中国*"), ["zh"])
        let inside = try newsidx("search", "--index", indexPath, "芯片")
        XCTAssertEqual(inside.status, 1, inside.description)
        XCTAssertTrue(inside.err.contains("'芯片' finds a run that is exactly it; '芯片*' also finds the runs it begins"), inside.err)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "中国芯片产业在去年保持快速增长 zzzz").err, "",
                       "a run the index holds, failing on another word, is not the run's doing")
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
    }

    /// An index of format 12 that holds nothing yet (a first run that found nothing to read)
    /// takes pairs and the new format when something is indexed.
    func testAnEmptyIndexOfRunsTakesPairs() throws {
        try FileManager.default.createDirectory(at: tmp.appendingPathComponent("empty"), withIntermediateDirectories: true)
        XCTAssertEqual(try newsidx("index", "--index", indexPath, tmp.appendingPathComponent("empty").path).status, 0)
        try setFormatBeforePairs()
        try index([["id": "zh", "text": "中国芯片产业在去年保持快速增长。"]])
        XCTAssertEqual(try statsField("format"), "newsidx-index-13")
        XCTAssertEqual(try ids("芯片"), ["zh"])
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
