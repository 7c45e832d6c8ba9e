// DateFinderTests: publication dates written the ways news pages write them, in the listed
// languages and in URLs; impossible dates are refused.
import XCTest
@testable import Cleaning

final class DateFinderTests: XCTestCase {
    func testWrittenDates() {
        let cases: [(String, String)] = [
            ("Reuters November 18, 2019 11:03 PM", "2019-11-18"),
            ("Donnerstag, 31. Mai 2012", "2012-05-31"),
            ("publié le 3 février 2021 à 10h", "2021-02-03"),
            ("31 de mayo de 2012", "2012-05-31"),
            ("Pubblicato il 7 settembre 2020", "2020-09-07"),
            ("12 de março de 2018", "2018-03-12"),
            ("4 maja 2021", "2021-05-04"),
            ("Updated: 2020-02-29T10:00:00Z", "2020-02-29"),
            ("am 18.11.2019 veröffentlicht", "2019-11-18"),
            ("Nov. 5 2019", "2019-11-05"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(DateFinder.find(in: text)?.iso, expected, text)
        }
    }

    func testImpossibleDatesAreRejected() {
        XCTAssertNil(DateFinder.find(in: "2019-02-30"))
        XCTAssertNil(DateFinder.find(in: "31 April 2020"))
        XCTAssertNil(DateFinder.find(in: "page 12 of 2019 results"))
    }

    func testSlashDatesFollowThePageLanguage() {
        XCTAssertEqual(DateFinder.find(in: "03/04/2019", monthFirst: true)?.iso, "2019-03-04")
        XCTAssertEqual(DateFinder.find(in: "03/04/2019", monthFirst: false)?.iso, "2019-04-03")
        XCTAssertEqual(DateFinder.find(in: "13/04/2019", monthFirst: true)?.iso, "2019-04-13")
    }

    /// A byline or dateline dates a plain-text article; a date inside a sentence of the story
    /// is something it talks about (these had dated stories from their body).
    func testPlainTextDatesComeFromBylinesAndDatelinesOnly() {
        func date(_ text: String) -> String? { Cleaner.clean(Array(text.utf8), kind: .plainText).date }
        XCTAssertEqual(date("Storm hits coast\n\nBy Ann Lee, 3 March 2014\n\nThe storm hit the coast overnight.\n"), "2014-03-03")
        XCTAssertEqual(date("Rates rise\n\nLONDON, March 3, 2014 - The Bank of England raised rates on Thursday after a pause.\n"),
                       "2014-03-03")
        XCTAssertNil(date("Council vote\n\nThe council met on Monday.\n\nThe next vote is scheduled for 2031-05-01.\n"))
        XCTAssertNil(date("Deadline set\n\nThe government said on Monday that 12/11/2010 is the deadline.\n"))
        XCTAssertNil(date("Actor found\n\nThe actor, who vanished 10 years ago, on 1 February 1995, was found.\n"))
    }

    /// A date opening a paragraph is its dateline when it stands apart: first, after a mark
    /// or a word like "Updated", or followed by a dash; a word leading into it makes it what
    /// the story is about (each of these openings had dated its story).
    func testDatelinesStandApartFromTheSentence() {
        func date(_ opening: String) -> String? {
            let text = "Flood defences debated\n\n\(opening) Councillors argued about flood defences as the river rose again.\n"
            return Cleaner.clean(Array(text.utf8), kind: .plainText).date
        }
        for opening in ["Since 12 May 1999 nobody has crossed.", "On 12 May 1999 the dam broke.", "Born 12 May 1999, the heir spoke.",
                        "Floods of 12 May 1999 were worse.", "Mr Smith (died 12 May 1999) warned them.",
                        "The deal, signed 1 January 2001, is worth millions.", "Der nächste Stammtisch findet am Mi. 5. Februar 2020 statt.",
                        "— David Kerr on Sunday, October 13th, 2019 in an interview"] {
            XCTAssertNil(date(opening), opening)
        }
        XCTAssertEqual(date("Tuesday 3 March 2014, 10:42 GMT — The storm hit."), "2014-03-03")
        XCTAssertEqual(date("NEW YORK, 3 March 2014 (Reuters) Shares rose."), "2014-03-03")
        XCTAssertEqual(date("LONDON, Tuesday, 3 March 2014 Shares rose on Tuesday."), "2014-03-03")
        // A byline ending in a full stop is still a byline, weekday and all.
        let byline = "Flood defences debated\n\nBy Louis Jacobson on Monday, November 18th, 2019 at 11:04 a.m.\n\n"
            + "Councillors argued about flood defences as the river rose again on Monday night.\n"
        XCTAssertEqual(Cleaner.clean(Array(byline.utf8), kind: .plainText).date, "2019-11-18")
        XCTAssertEqual(date("Nachricht | 30.10.2021 Migration und Flucht im Herbst."), "2021-10-30")
        XCTAssertEqual(date("1. Februar 2022 Bundesministerin Raab stellt ein Programm vor."), "2022-02-01")
        XCTAssertEqual(date("Updated 3 March 2014 the council said it would act."), "2014-03-03")
        XCTAssertEqual(date("Posted on 3 March 2014 the council said it would act."), "2014-03-03")
    }

    /// A record's "date": ISO days of any year, checked against the calendar (2004-02-30 had
    /// been stored as given), and dates as feeds write them (they had been dropped silently).
    func testRecordDates() {
        XCTAssertEqual(RecordDate.iso("1987-03-26"), "1987-03-26")
        XCTAssertEqual(RecordDate.iso("2004-03-03T10:00:00Z"), "2004-03-03")
        XCTAssertEqual(RecordDate.iso("Tue, 03 Mar 2004 10:00:00 GMT"), "2004-03-03")
        XCTAssertEqual(RecordDate.iso("2004/03/03"), "2004-03-03")
        XCTAssertEqual(RecordDate.iso("March 3, 2004"), "2004-03-03")
        XCTAssertNil(RecordDate.iso("2004-02-30"))
        XCTAssertNil(RecordDate.iso("2004"))
        XCTAssertNil(RecordDate.iso("2004-03"))
        XCTAssertNil(RecordDate.iso("soon"))
        // A record names its year on purpose: feed-style dates outside the years page text is
        // searched for are kept (a 1987 Reuters date written as a feed writes it was dropped).
        XCTAssertEqual(RecordDate.iso("Tue, 03 Mar 1987 10:00:00 GMT"), "1987-03-03")
        XCTAssertEqual(RecordDate.iso("1987/03/03"), "1987-03-03")
        XCTAssertEqual(RecordDate.iso("3 March 2050"), "2050-03-03")
        XCTAssertNil(RecordDate.iso("1987/02/29"), "no such day")
        // Years before 1000 keep four digits, however the field wrote them; a minus is no year here.
        XCTAssertEqual(RecordDate.iso("0999/01/01"), "0999-01-01")
        XCTAssertEqual(RecordDate.iso("0044-3-15"), "0044-03-15")
        XCTAssertEqual(RecordDate.iso("Mon, 01 Jan 0999 10:00:00 GMT"), "0999-01-01")
        XCTAssertNil(RecordDate.iso("-2004-03-03"))
        XCTAssertNil(RecordDate.iso("-0044-03-15"))
        // In page text a year outside 1990–2039 is still passed over for the next date.
        XCTAssertEqual(DateFinder.find(in: "Founded 12 March 1985, updated 3 April 2014")?.iso, "2014-04-03")
        XCTAssertEqual(DateFinder.find(inURL: "https://example.org/1985/03/12/x/2014/04/03/story")?.iso, "2014-04-03")
    }

    func testURLDates() {
        XCTAssertEqual(DateFinder.find(inURL: "https://example.com/2019/11/18/wework-inquiry/")?.iso, "2019-11-18")
        XCTAssertEqual(DateFinder.find(inURL: "https://example.com/news/20200131-budget.html")?.iso, "2020-01-31")
        XCTAssertNil(DateFinder.find(inURL: "https://example.com/2019/news/story-4411"))
        // Year, month and day follow one another: numbers from across a slug are no date.
        XCTAssertNil(DateFinder.find(inURL: "https://x.de/news/story-2022-price-rises-3-5-percent"))
        XCTAssertNil(DateFinder.find(inURL: "https://x.de/2021/10/meldung_01_miniserie"))
        XCTAssertEqual(DateFinder.find(inURL: "https://x.de/news/2022_01_04_budget")?.iso, "2022-01-04")
    }

    /// Chinese, Japanese and Korean write a date year first, each number with its unit, in
    /// ASCII or full-width digits; a record's "date" so written had been refused as no day.
    func testEastAsianDatesInRecordsAndDatelines() {
        XCTAssertEqual(RecordDate.iso("2024年3月5日"), "2024-03-05")
        XCTAssertEqual(RecordDate.iso("2024年03月05日 10:00"), "2024-03-05")
        XCTAssertEqual(RecordDate.iso("2024년 3월 5일"), "2024-03-05")
        XCTAssertEqual(RecordDate.iso("２０２４－０３－０５"), "2024-03-05")
        XCTAssertEqual(RecordDate.iso("２０２４年３月５日"), "2024-03-05")
        XCTAssertNil(RecordDate.iso("2024年2月30日"), "no such day")
        XCTAssertEqual(DateFinder.dateline(in: "新华社北京2024年3月5日电 工业和信息化部周二表示，产量创新高。", monthFirst: false)?.iso, "2024-03-05")
        XCTAssertEqual(DateFinder.dateline(in: "【2024年2月1日 東京】石川県の能登半島で地震から１か月が経過した。", monthFirst: false)?.iso, "2024-02-01")
        XCTAssertEqual(DateFinder.dateline(in: "(서울=연합뉴스) 2024년 1월 11일 한국은행은 기준금리를 동결했다.", monthFirst: false)?.iso, "2024-01-11")
        // A date the story tells, further into its sentence, dates nothing; nor does one the
        // sentence goes on from (a deadline, a span, "from … until now").
        XCTAssertNil(DateFinder.dateline(in: "工业和信息化部表示，中国芯片产业在2023年12月31日前保持快速增长。", monthFirst: false))
        XCTAssertNil(DateFinder.dateline(in: "2023年12月31日前，各区须完成老旧小区改造。", monthFirst: false))
        XCTAssertNil(DateFinder.dateline(in: "（2020年1月1日至2023年12月31日）全市共新建学校十所。", monthFirst: false))
        XCTAssertNil(DateFinder.dateline(in: "从 2020年1月1日 到现在，全市新建学校十所。", monthFirst: false))
        // The date written first wins, whichever way it is written.
        XCTAssertEqual(RecordDate.iso("5 March 2024 (2023年1月1日)"), "2024-03-05")
        XCTAssertEqual(RecordDate.iso("2023年1月1日 (5 March 2024)"), "2023-01-01")
        // A run of digits past a date's part is no date, however long (past 18 digits its value
        // had overflowed, a trap found by fuzzing).
        let digits = String(repeating: "2", count: 30)
        XCTAssertNil(DateFinder.dateline(in: "\(digits)年3月5日电 产量创新高。", monthFirst: false))
        XCTAssertNil(RecordDate.iso("2024年\(digits)月5日"))
        XCTAssertEqual(DateFinder.dateline(in: "新华社北京2024年3月5日电 \(digits)年", monthFirst: false)?.iso, "2024-03-05")
    }
}

