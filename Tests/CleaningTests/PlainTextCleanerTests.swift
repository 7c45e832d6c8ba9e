// PlainTextCleanerTests: plain-text rules on invented pages: navigation before the article,
// teasers after it, language detection, wrapped prose, titles of full-page dumps.
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Cleaning

final class PlainTextCleanerTests: XCTestCase {
    private let paragraphs = [
        "The harbour authority said on Monday that the old ferry terminal will be demolished in the autumn, and that a new building with a covered waiting room is planned for the same site.",
        "Residents who use the ferry every day told the council that the current terminal is cold in winter and that the ticket machines are often out of order for weeks at a time.",
        "A spokesman for the authority said the work would not interrupt the timetable, because the boats will use a temporary pier on the northern side of the harbour while the building is replaced.",
    ]

    private func dump(navigation: [String], title: String, article: [String], tail: [String]) -> [UInt8] {
        Array((navigation + ["", title, ""] + article.flatMap { [$0, ""] } + tail).joined(separator: "\n").utf8)
    }

    func testNavigationBeforeAndTeasersAfterAreDropped() {
        let navigation = ["  • Home", "  • News", "  • Sport", "  • Weather", "[search]", "Home | News | Sport"]
        let tail = ["Most Read", "Lena Dunham", "booksLena Dunham's memoirs are honest to the point of making you squirm",
                    "Sport", "Football", "Sport", "Transfer rumours round-up", "Football",
                    "Copyright © 2024 Harbour News"]
        let article = Cleaner.clean(dump(navigation: navigation, title: "Old ferry terminal to be demolished",
                                         article: paragraphs, tail: tail), kind: .plainText)
        XCTAssertEqual(article.title, "Old ferry terminal to be demolished")
        XCTAssertEqual(article.paragraphs, paragraphs)
        XCTAssertFalse(article.body.contains("Lena Dunham"))
        let reasons = Dictionary(article.blocks.map { ($0.text, $0.reason) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(reasons["Home | News | Sport"], "pipe-separated menu")
        XCTAssertEqual(reasons["Copyright © 2024 Harbour News"], "copyright notice")
    }

    /// A breadcrumb trail or a byline's meta line (three or more short parts between one spaced
    /// separator) is the title only when no other line can be and it opens the file with no
    /// date: dumps had been titled "Home >
    /// Digitalisierung > ..." and "Von Thilo / 6. November 2023 / Keine Kommentare".
    /// Arithmetic between '>' is no trail.
    func testTrailsOfShortPartsAreNoTitle() {
        let headline = "Old ferry terminal to be demolished"
        for trail in ["Home > News > Harbour", "Startseite › Lokales › Hafen", "By Ann Lee / 6. May 2024 / No comments"] {
            let before = Cleaner.clean(dump(navigation: [trail], title: headline, article: paragraphs, tail: []), kind: .plainText)
            XCTAssertEqual(before.title, headline, trail)
            let after = Array((["", headline, "", trail, ""] + paragraphs.flatMap { [$0, ""] }).joined(separator: "\n").utf8)
            XCTAssertEqual(Cleaner.clean(after, kind: .plainText).title, headline, trail)
        }
        // A headline of that shape is still the title when no other line can be (review).
        for headline in ["Brexit / EU / UK talks", "Python > Java > C++ in new ranking"] {
            let page = Array(([headline, ""] + paragraphs.flatMap { [$0, ""] }).joined(separator: "\n").utf8)
            XCTAssertEqual(Cleaner.clean(page, kind: .plainText).title, headline)
        }
        // Only as the first line, and holding no date: a byline's meta line stays no title.
        let byline = Array((["By Ann Lee / 6. May 2024 / No comments", ""] + paragraphs.flatMap { [$0, ""] }).joined(separator: "\n").utf8)
        XCTAssertEqual(Cleaner.clean(byline, kind: .plainText).title, "")
        XCTAssertTrue(PageBlock(text: "Home » Ente Parco » Comunicazione » News").isSeparatedTrail)
        XCTAssertTrue(PageBlock(text: "Gunter Frank / 22.04.2020 / 06:15 / Foto: Achgut.com").isSeparatedTrail)
        XCTAssertFalse(PageBlock(text: "> 29 100 > 29*100 10000 > 25+4 100").isSeparatedTrail)
        XCTAssertFalse(PageBlock(text: "Markets / Oil prices fall as the cartel agrees to raise output").isSeparatedTrail)
        XCTAssertFalse(PageBlock(text: "Rates > inflation > wages, the bank's chief economist said of the past decade").isSeparatedTrail)
    }

    /// A text dump keeps a related story's headline without its link: "RELATED: …" lines had
    /// been kept between the paragraphs, clean text or not. Those around them stay, and a
    /// sentence that merely starts with such a word and a colon is no reference.
    func testReferencesToOtherStoriesAreDropped() {
        let references = ["RELATED: Harbour board approves new pier for cruise ships",
                          "Read more: Ferry fares to rise by 5% from April"]
        // A sentence, a lower-case line or one ending in a bracket is the article's (found by review).
        let kept = ["Related: the council said the two projects would share one budget.",
                    "Read more: the full report is on the council's website",
                    "Related: The two crews raced the course in 40 minutes (see table)"]
        let text = ([paragraphs[0], references[0], paragraphs[1]] + kept + [references[1], paragraphs[2]]).joined(separator: "\n\n")
        let article = Cleaner.clean(Array(text.utf8), kind: .plainText)
        XCTAssertEqual(article.paragraphs, [paragraphs[0], paragraphs[1]] + kept + [paragraphs[2]])
        let reasons = Dictionary(article.blocks.map { ($0.text, $0.reason) }, uniquingKeysWith: { a, _ in a })
        for reference in references { XCTAssertEqual(reasons[reference], "reference to another story") }
        let navigated = dump(navigation: ["  • Home", "  • News", "Home | News | Sport"], title: "Old ferry terminal to be demolished",
                             article: [paragraphs[0], references[0], paragraphs[1], paragraphs[2]], tail: ["Copyright © 2024 Harbour News"])
        XCTAssertEqual(Cleaner.clean(navigated, kind: .plainText).paragraphs, paragraphs, "the paragraphs after one stay")
    }

    func testCleanTextIsKeptWhole() {
        let text = "Ferry terminal to close\n\n" + paragraphs.joined(separator: "\n\n")
            + "\n\nShr 12 cts vs 10 cts\nNet 1,200,000 vs 980,000\n"
        let article = Cleaner.clean(Array(text.utf8), kind: .plainText)
        XCTAssertEqual(article.title, "Ferry terminal to close")
        XCTAssertEqual(article.paragraphs, paragraphs + ["Shr 12 cts vs 10 cts", "Net 1,200,000 vs 980,000"])
    }

    /// Lines ending in CR alone (old Mac files) or CRLF read as those ending in LF: a CR-only
    /// file had been one line, untitled, with its CRs kept in the stored text (found by QA).
    func testEveryLineEndReadsAlike() {
        let lines = ["Ferry terminal to close", ""] + paragraphs.flatMap { [$0, ""] }
        let byLF = Cleaner.clean(Array(lines.joined(separator: "\n").utf8), kind: .plainText)
        XCTAssertEqual(byLF.title, "Ferry terminal to close")
        XCTAssertEqual(byLF.paragraphs, paragraphs)
        for end in ["\r", "\r\n"] {
            let article = Cleaner.clean(Array(lines.joined(separator: end).utf8), kind: .plainText)
            XCTAssertEqual(article.title, byLF.title, end.debugDescription)
            XCTAssertEqual(article.paragraphs, byLF.paragraphs, end.debugDescription)
        }
        // "\r\r\n" (a Windows file converted twice) ends a line, as before: wrapped prose stays
        // one paragraph (found by review).
        let wrapped = ["Ferry terminal to close", ""] + paragraphs[0].split(separator: " ").chunked(by: 9) + [""]
        let twice = Cleaner.clean(Array(wrapped.joined(separator: "\r\r\n").utf8), kind: .plainText)
        XCTAssertEqual(twice.title, "Ferry terminal to close")
        XCTAssertEqual(twice.paragraphs, [paragraphs[0]])
        // "\n\r" ends a line as "\n" does: wrapped prose stays one paragraph (review).
        let lfcr = Cleaner.clean(Array(wrapped.joined(separator: "\n\r").utf8), kind: .plainText)
        XCTAssertEqual(lfcr.paragraphs, [paragraphs[0]])
        // A Mac file whose last line ends in CRLF is still read line by line (review).
        let lastCRLF = Cleaner.clean(Array((lines.joined(separator: "\r") + "\r\n").utf8), kind: .plainText)
        XCTAssertEqual(lastCRLF.title, byLF.title)
        XCTAssertEqual(lastCRLF.paragraphs, byLF.paragraphs)
    }

    /// A scraped page whose tail has none of the marks of furniture (no bullets, menus,
    /// placeholders, copyright or repeated lines) but is still the page around the article.
    /// Text that shows no furniture mark is kept whole, but a comments heading still ends the
    /// article there: a dump's readers' comments (names, "Reply" lines) had been kept as text.
    func testCleanTextEndsAtACommentsHeading() {
        let story = [
            "The bridge over the river will close for repairs in the spring, the county said on Friday, after an inspection found cracks in two of its arches.",
            "Drivers will be sent on a diversion through the next village, which adds about twenty minutes to the journey into town at busy times.",
        ]
        let comments = ["2 Comments", "riverside_rob", "About time, that bridge has been shaking for years when the lorries go over it.",
                        "Reply", "m.hale", "The diversion road is far too narrow for buses and everyone knows it.", "Reply"]
        let text = (["Bridge to close for repairs"] + story + comments).joined(separator: "\n\n")
        let article = Cleaner.clean(Array(text.utf8), kind: .plainText)
        XCTAssertEqual(article.title, "Bridge to close for repairs")
        XCTAssertEqual(article.paragraphs, story)
        // A bare "Comments" line in such text is a subheading of the article (its paragraphs had
        // been dropped): only a counted heading ends it.
        let subheaded = (["Bridge to close for repairs", story[0], "Comments", story[1]]).joined(separator: "\n\n")
        XCTAssertEqual(Cleaner.clean(Array(subheaded.utf8), kind: .plainText).paragraphs, [story[0], "Comments", story[1]])
    }

    func testUnmarkedTailAfterTheArticleIsDropped() {
        let tail = ["Watch: Divers inspect the old pier", "Watch: The last crossing of the winter",
                    "SPONSORED CLIPS", "Travel", "Crosswords",
                    "Orla Fenwick opens up about her year away from the stage",
                    "The singer says she spent most of it learning to sail",
                    "Bake Street: which contestant left in the semi-final",
                    "Viewers were not happy with the judges on this week's show",
                    "Careers", "Marine Engineer", "£38,000 - £42,000", "Ticket Office Clerk", "£12.10 per hour",
                    "Popular now", "1. Orla Fenwick opens up about her year away from the stage",
                    "2. Ten walks along the northern coast", "3. Bake Street: which contestant left in the semi-final"]
        let text = (["Old ferry terminal to be demolished", ""] + paragraphs.flatMap { [$0, ""] } + tail)
            .joined(separator: "\n")
        let article = Cleaner.clean(Array(text.utf8), kind: .plainText)
        XCTAssertEqual(article.title, "Old ferry terminal to be demolished")
        XCTAssertEqual(article.paragraphs, paragraphs)
        XCTAssertEqual(article.dropped.map(\.text), tail)
        XCTAssertTrue(article.dropped.allSatisfy { $0.reason.hasSuffix("unfinished lines after the last paragraph") },
                      "\(article.dropped.map(\.reason))")
    }

    /// A list ending an already clean article (fixtures, nominees, a ranking) has no lines that
    /// read as prose without their full stop: it is the article's and kept.
    func testListEndingACleanArticleIsKept() {
        let list = ["Carrowby v Port Halden", "Northfield Rovers v Eastmoor", "Vessmark Town or Ashby v Kelderton",
                    "Brannock Athletic v Halden Wanderers", "Saltmarsh v Greyholm or Tarnbury",
                    "Oldwick United v Fernside", "Quayside Albion v Moorgate", "Linton Park v Harrowgate Swifts",
                    "Westcliff v Durnford"]
        let text = (["Cup draw pairs neighbours in quarter-finals", ""] + paragraphs.flatMap { [$0, ""] }
                    + ["Quarter-final draw:", ""] + list).joined(separator: "\n")
        let article = Cleaner.clean(Array(text.utf8), kind: .plainText)
        XCTAssertEqual(Array(article.paragraphs.suffix(list.count)), list)
    }

    /// The first two paragraphs, wrapped as wire copy is: indented first lines.
    private let wireStory = """
    The harbour authority said on Monday that the old ferry terminal
    will be demolished in the autumn, and that a new building with a
    covered waiting room is planned for the same site.
        Residents who use the ferry every day told the council that the
    current terminal is cold in winter and that the ticket machines are
    often out of order for weeks at a time.
    """

    func testHardWrappedProseBecomesParagraphs() {
        let wrapped = wireStory
        let article = Cleaner.clean(Array(wrapped.utf8), kind: .plainText)
        XCTAssertEqual(article.paragraphs, Array(paragraphs.prefix(2)))
    }

    /// A browser's text dump (lynx) indents every body line alike and wraps at a fixed width,
    /// among short menu and link lines; each wrapped line had become a paragraph of its own,
    /// too short to keep. Chinese lines join without a space, where the dump broke a run.
    func testADumpWrappedAtAFixedWidthJoinsItsLines() {
        let english = """
        [1]Home | [2]News | [3]Sport

        Ferry terminal to close

           The harbour authority said on Monday that the old ferry terminal
           will be demolished in the autumn, and that a new building with a
           covered waiting room is planned for the same site.

           Residents who use the ferry every day told the council that the
           current terminal is cold in winter and that the ticket machines
           are often out of order for weeks at a time.

           [4]Share [5]Print

           Copyright 2024 Harbour Gazette
        """
        let kept = Cleaner.clean(Array(english.utf8), kind: .plainText).paragraphs
        for paragraph in paragraphs.prefix(2) { XCTAssertTrue(kept.contains(paragraph), "\(kept)") }
        let chinese = """
        [1]首页 | [2]新闻 | [3]体育

        渡轮码头将于秋季拆除

           港务局周一表示，旧渡轮码头将在今年秋季拆除，原址计划新建一座带有
           封闭候船室的大楼，预计明年夏天完工，届时将同时开通两条新航线。

           每天乘坐渡轮的居民告诉市议会，现在的码头冬天很冷，售票机也经常
           一连几个星期无法使用，他们希望新大楼能尽快建成并投入使用。

           [4]分享 [5]打印
        """
        let keptChinese = Cleaner.clean(Array(chinese.utf8), kind: .plainText).paragraphs
        for paragraph in [
            "港务局周一表示，旧渡轮码头将在今年秋季拆除，原址计划新建一座带有封闭候船室的大楼，预计明年夏天完工，届时将同时开通两条新航线。",
            "每天乘坐渡轮的居民告诉市议会，现在的码头冬天很冷，售票机也经常一连几个星期无法使用，他们希望新大楼能尽快建成并投入使用。",
        ] { XCTAssertTrue(keptChinese.contains(paragraph), "\(keptChinese)") }
    }

    /// Wire copy indents each paragraph's first line and goes on at the margin; its one-line
    /// items (results, notes) stay apart though they are indented alike.
    func testWireCopyKeepsItsIndentedParagraphsAndItems() {
        let wire = wireStory + """

            Passengers 1.2 mln vs 1.1 mln
            Sailings 4,380 vs 4,410
            NOTE: figures are for the year to March.
        """
        let blocks = TextBlocks.split(wire).map(\.text)
        XCTAssertEqual(Array(blocks.prefix(2)), Array(paragraphs.prefix(2)))
        XCTAssertEqual(Array(blocks.dropFirst(2)), ["Passengers 1.2 mln vs 1.1 mln", "Sailings 4,380 vs 4,410",
                                                    "NOTE: figures are for the year to March."])
    }

    /// Results as wire copy lists them, every item indented alike with no blank line between:
    /// not a lynx body (which blank lines divide), so each item stays a line of its own. And a
    /// lynx line that stopped short because its next word was long is still wrapped.
    func testResultListsStayApartAndLynxLinesStopShortForLongWords() {
        let results = """
        Harbour ferries results, year to March

        Passengers 1.2 mln vs 1.1 mln.
            Sailings 4,380 vs 4,410, the fewest since the service began in the spring.
            Fares revenue 3.4 mln stg vs 3.1 mln stg, helped by the new season tickets.
            Operating profit 412,000 stg vs 388,000 stg after the cost of two new crews.
            Net profit 301,000 stg vs 270,000 stg for the year to the end of March.
        """
        let items = TextBlocks.split(results).map(\.text)
        XCTAssertEqual(items.count, 6, "\(items)")
        let lynx = """
           Ferry terminal to close

           The harbour authority said on Monday that the old ferry terminal
           (built in 1961) will be demolished in the autumn, and that a new
           building with a covered waiting room is planned for the same site.

           Residents who use the ferry every day told the council that the
           current terminal is cold in winter and that the ticket machines
           are often out of order for weeks at a time.
        """
        let paragraphs = TextBlocks.split(lynx).map(\.text)
        XCTAssertEqual(paragraphs.count, 3, "\(paragraphs)")
        XCTAssertTrue(paragraphs[1].hasPrefix("The harbour authority said on Monday that the old ferry terminal (built in 1961)"))
    }

    func testLanguageIsChosenByStopWords() {
        let german = TextBlocks.split("Der Hafen wird im Herbst abgerissen, und die Fähre fährt von einem neuen Steg, sagte die Stadt.")
        let polish = TextBlocks.split("Stary terminal promowy zostanie zburzony jesienią, a nowy budynek będzie gotowy w przyszłym roku.")
        let russian = TextBlocks.split("Старый паромный терминал снесут осенью, сообщили в администрации порта.")
        XCTAssertEqual(ContentSelector.dominantLanguage(german), .german)
        XCTAssertEqual(ContentSelector.dominantLanguage(polish), .polish)
        XCTAssertNil(ContentSelector.dominantLanguage(russian))
    }

    func testEveryLanguageListIsUsable() {
        for language in Language.allCases {
            let words = StopWords.list(for: language).split(separator: " ")
            XCTAssertGreaterThan(words.count, 80, "\(language) list is too short")
            let measure = TextMeasure(words.prefix(20).joined(separator: " "))
            XCTAssertEqual(Int(measure.stopHits[language.rawValue]), 20, "\(language) words not found by lookup")
        }
    }

    func testCapitalisedStopWordsAreFound() {
        let measure = TextMeasure("Über The Der À")
        XCTAssertEqual(measure.stopHits[Language.english.rawValue], 1)
        XCTAssertEqual(measure.stopHits[Language.german.rawValue], 2)
    }

    /// A Latin-1 (Windows-1252) text file is read as such; a UTF-8 file with a stray byte keeps
    /// its UTF-8 and has the byte replaced.
    func testLatin1TextFilesAreDecoded() {
        let latin1: [UInt8] = Array("Caf".utf8) + [0xE9] + Array(" reopens\n\nThe caf".utf8) + [0xE9] + Array(" by the pier reopened on Monday with a new menu and longer opening hours.\n".utf8)
        let article = Cleaner.clean(latin1, kind: .plainText)
        XCTAssertEqual(article.title, "Café reopens")
        XCTAssertTrue(article.body.contains("The café by the pier"), article.body)
        XCTAssertEqual(article.warnings, [])
        let mixed: [UInt8] = Array("Café reopens\n\nThe café by the pier reopened on Monday ".utf8) + [0xE9] + Array(" with a new menu.\n".utf8)
        let repaired = Cleaner.clean(mixed, kind: .plainText)
        XCTAssertTrue(repaired.body.contains("The café by the pier"), repaired.body)
        XCTAssertEqual(repaired.warnings.count, 1)
        XCTAssertTrue(repaired.warnings[0].hasPrefix("invalid UTF-8 replaced with U+FFFD (text in another encoding is read with --encoding"),
                      "the note names the option that reads the file: \(repaired.warnings)")
    }

    /// Encodings that write more than four bytes of UTF-8 for one byte (TSCII), hold a last
    /// letter back for a mark that may follow (Vietnamese cp1258), or shift with escapes
    /// (ISO-2022-JP, which is ASCII, so valid UTF-8) decode whole, a bad byte costing one
    /// character and not the shift state.
    func testGrowingHoldingAndShiftingEncodingsDecodeWhole() throws {
        let tscii = try LegacyEncoding(label: "tscii")
        let long = tscii.utf8([UInt8](repeating: 0x82, count: 53) + [0x80, 0x80, 0x80, 0x80, 0x80, 0xFF] + [UInt8](repeating: 0x82, count: 3000))
        XCTAssertEqual(long.replaced, 1)
        let run = [UInt8](repeating: 0x82, count: 3000)
        let reference = try XCTUnwrap(converted(run, from: "TSCII", to: "UTF-8"))
        XCTAssertGreaterThan(reference.count, 4 * run.count, "the case this test is for")
        let decoded = tscii.utf8(run)
        let firstDifference = decoded.bytes.indices.first { $0 < reference.count && decoded.bytes[$0] != reference[$0] } ?? -1
        XCTAssertTrue(decoded.bytes == reference, "\(decoded.bytes.count) bytes against iconv's \(reference.count), first differing at \(firstDifference): \(decoded.bytes.dropFirst(max(0, firstDifference - 12)).prefix(24)) \(reference.dropFirst(max(0, firstDifference - 12)).prefix(24))")
        XCTAssertEqual(decoded.replaced, 0)
        let vietnamese = "Thành phố Hồ Chí Minh"
        if let bytes = encoded(vietnamese, "CP1258") {
            let decoded = try LegacyEncoding(label: "cp1258").utf8(bytes)
            XCTAssertEqual(String(decoding: decoded.bytes, as: UTF8.self), vietnamese, "the last letter, held back, is written")
        }
        // A letter held back for a mark comes out before a bad byte's U+FFFD, not after it.
        XCTAssertEqual(String(decoding: try LegacyEncoding(label: "cp1258").utf8(Array("xab".utf8) + [0x81] + Array("cd".utf8)).bytes,
                              as: UTF8.self), "xab\u{FFFD}cd")
        XCTAssertEqual(String(decoding: try LegacyEncoding(label: "cp1255").utf8(Array("xy".utf8) + [0xE0, 0x81] + Array("z".utf8)).bytes,
                              as: UTF8.self), "xy\u{05D0}\u{FFFD}z")
        if var bytes = encoded("日本の経済成長", "ISO-2022-JP") {
            let text = TextDecoding.decode(bytes, legacy: try LegacyEncoding(label: "iso-2022-jp"))
            XCTAssertEqual(text.text, "日本の経済成長")
            bytes.insert(0xFF, at: 9)  // after the escape and three characters of two bytes
            XCTAssertEqual(TextDecoding.decode(bytes, legacy: try LegacyEncoding(label: "iso-2022-jp")).text, "日本の\u{FFFD}経済成長")
        }
    }

    /// Legacy Chinese, Japanese and Korean text is read in the encoding named    /// Legacy Chinese, Japanese and Korean text is read in the encoding named; valid UTF-8
    /// never is, and bytes the encoding does not hold are replaced, counted and decoding goes on.
    func testTextInANamedLegacyEncodingIsDecoded() throws {
        // 北京 in GB18030, 東京 in Shift JIS, 서울 in EUC-KR (as iconv(1) writes them).
        let cases: [(String, [UInt8], String)] = [("gb18030", [0xB1, 0xB1, 0xBE, 0xA9], "北京"),
                                                  ("shift_jis", [0x93, 0x8C, 0x8B, 0x9E], "東京"),
                                                  ("euc-kr", [0xBC, 0xAD, 0xBF, 0xEF], "서울")]
        for (label, word, expected) in cases {
            let legacy = try LegacyEncoding(label: label)
            let decodedText = TextDecoding.decode(word + Array(" 2024\n".utf8), legacy: legacy)
            XCTAssertEqual(decodedText.text, expected + " 2024\n", label)
            XCTAssertEqual(decodedText.warnings, [], label)
            let decoded = legacy.utf8(word + [0xFF] + word)
            XCTAssertEqual(String(decoding: decoded.bytes, as: UTF8.self), expected + "\u{FFFD}" + expected, label)
            XCTAssertEqual(decoded.replaced, 1, label)
        }
        // A UTF-8 file cut inside its last character stays UTF-8, repaired, not read as GB18030.
        let cut = Array("上海举行国际会议，各国代表讨论了经济合作".utf8) + [0xE4, 0xB8]
        let repaired = TextDecoding.decode(cut, legacy: try LegacyEncoding(label: "gb18030"))
        XCTAssertEqual(repaired.text, "上海举行国际会议，各国代表讨论了经济合作\u{FFFD}")
        XCTAssertTrue(repaired.warnings.first?.hasPrefix("invalid UTF-8") ?? false, "\(repaired.warnings)")
        // Short UTF-8 with a stray byte or two stays UTF-8: an English page with one curly
        // apostrophe and one pasted from Windows-1252, a Chinese line cut inside its last character.
        let gb = try LegacyEncoding(label: "gb18030")
        let english = Array("It wouldn’t, the government".utf8) + [0x92] + Array("s plan said.".utf8)
        XCTAssertEqual(TextDecoding.decode(english, legacy: gb).text, "It wouldn’t, the government\u{FFFD}s plan said.")
        let line = Array("北京时间今天上午发布".utf8).dropLast()
        XCTAssertEqual(TextDecoding.decode(Array(line), legacy: gb).text, "北京时间今天上午发\u{FFFD}")
        XCTAssertThrowsError(try LegacyEncoding(label: "utf-16le"), "UTF-16 does not write ASCII as ASCII")
        let utf8 = Array("Café reopens\n\nThe café by the pier reopened on Monday.\n".utf8)
        XCTAssertEqual(TextDecoding.decode(utf8, legacy: try LegacyEncoding(label: "gb18030")).text, String(decoding: utf8, as: UTF8.self))
        XCTAssertThrowsError(try LegacyEncoding(label: "no-such-encoding"))
        XCTAssertThrowsError(try LegacyEncoding(label: ""))
    }
}

private extension Array where Element == Substring {
    /// The words as lines of `count` words each, as a hard-wrapped file holds them.
    func chunked(by count: Int) -> [String] {
        stride(from: 0, to: self.count, by: count).map { self[$0..<Swift.min($0 + count, self.count)].joined(separator: " ") }
    }
}
