// DateFinder: recognises publication dates written in text ("November 18, 2019", "31. Mai 2012",
// "2019-11-18", "18.11.2019") or in URLs ("/2019/11/18/"), and renders them as yyyy-mm-dd.

struct CalendarDate: Equatable {
    var year: Int, month: Int, day: Int

    /// Years a date found in page text or a URL may have: news on the web, give or take. A
    /// record's own date field names its year on purpose and may have any. Wider (1900...2099)
    /// dated a singer's page by her birth (1975) and a forum's "28.09.19 12:44" as 1912.
    static let pageYears = 1990...2039
    /// Years a page's head (meta tags, JSON-LD) may state when nothing dates it within
    /// `pageYears`: an archive's older pages (a 1987 story had been left undated), but not the
    /// year 1 of empty fields ("0001-01-01").
    static let statedYears = 1800...2099
    /// The days empty date fields hold: the zero of Unix time and of spreadsheet and database
    /// epochs.
    static let placeholders = [(1970, 1, 1), (1900, 1, 1), (1899, 12, 30), (1899, 12, 31), (1800, 1, 1)]
        .compactMap { CalendarDate(year: $0.0, month: $0.1, day: $0.2) }

    init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// yyyy-mm-dd, the year in four digits as ISO 8601 writes years before 1000 ("0999"; "999"
    /// had been printed, which sorts and parses as no date).
    var iso: String {
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// The date a JSON Lines record's "date" field gives, as yyyy-mm-dd.
public enum RecordDate {
    /// A yyyy-mm-dd start (a time may follow) of a day the calendar has; else a date written as
    /// pages and feeds write them ("Tue, 03 Mar 2004 10:00:00 GMT", "2004/03/03", "3 March
    /// 2004"); any year (they had been kept to 1990–2039, as in page text, and a 1987 feed date
    /// was dropped); else nil (a year or month alone is no day).
    public static func iso(_ written: String) -> String? {
        let field = halfWidth(written)
        // A year before the common era is no day the calendar here has ("-2004-03-03" had been
        // read as 2004-03-03, its sign dropped without a word).
        if field.drop(while: { $0 == " " }).first == "-" { return nil }
        let u = Array(field.utf8.prefix(10))
        if u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
           [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ u[$0] >= 0x30 && u[$0] <= 0x39 }) {
            func number(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(u[$1] - 0x30) } }
            let (y, m, d) = (number(0..<4), number(5..<7), number(8..<10))
            guard y >= 1, (1...12).contains(m), d >= 1, d <= CalendarDate.daysIn(month: m, year: y) else { return nil }
            return String(decoding: u, as: UTF8.self)
        }
        return DateFinder.find(in: field, years: 1...9999)?.iso
    }

    /// Full-width ASCII forms (２０２４－０３－０５, as Japanese text writes figures) as ASCII.
    private static func halfWidth(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            out.append((0xFF01...0xFF5E).contains(c.value) ? Unicode.Scalar(c.value - 0xFEE0)! : c)
        }
        return String(out)
    }
}

enum DateFinder {
    /// The first date written in `text`. `monthFirst` settles 03/04/2019 for US-style pages.
    static func find(in text: String, monthFirst: Bool = false,
                     years: ClosedRange<Int> = CalendarDate.pageYears) -> CalendarDate? {
        let eastAsian = EastAsianDate.first(in: text).flatMap { years.contains($0.date.year) ? $0 : nil }
        // Whichever is written first: "5 March 2024 (2023年1月1日)" is 5 March.
        let prefix = eastAsian.map { String(String.UnicodeScalarView(text.unicodeScalars.prefix($0.start))) } ?? text
        return westernDate(in: prefix, monthFirst: monthFirst, years: years) ?? eastAsian?.date
    }

    private static func westernDate(in text: String, monthFirst: Bool, years: ClosedRange<Int>) -> CalendarDate? {
        guard text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return nil }  // no year, no date
        let tokens = DateTokens.split(text)
        let words = tokens.filter { !$0.isFiller }
        for i in tokens.indices {
            if let date = numericDate(tokens, at: i, monthFirst: monthFirst), years.contains(date.year) { return date }
        }
        for i in words.indices {
            if let date = namedMonthDate(words, at: i), years.contains(date.year) { return date }
        }
        return nil
    }

    /// The date of a byline or dateline among the blocks around the headline (`anchor`): a short
    /// line that is not a sentence ("By Ann Lee, 3 March 2014", "Published 18.11.2019 10:42"),
    /// or the first words of a paragraph ("LONDON, March 3 2014 -"). A date further into a
    /// sentence is something the article talks about ("vanished on 1 February 1995"), not when
    /// it appeared: taken from anywhere in short paragraphs, such dates had dated stories decades
    /// off.
    static func byline(in blocks: [PageBlock], near anchor: Int, monthFirst: Bool) -> CalendarDate? {
        guard !blocks.isEmpty else { return nil }
        let window = max(0, anchor - 3)..<min(blocks.count, anchor + 8)
        for i in window where blocks[i].measure.chars < 300 && !blocks[i].isAboutOtherStories {
            let m = blocks[i].measure
            let isByline = m.words <= Self.bylineWords && !m.endsLikeSentence
                || m.words <= 2 * Self.bylineWords && Self.namesAnAuthor(blocks[i].text)
            let date = isByline ? find(in: blocks[i].text, monthFirst: monthFirst)
                                : dateline(in: blocks[i].text, monthFirst: monthFirst)
            if let date { return date }
        }
        return nil
    }

    /// "By Louis Jacobson on Monday, November 18th, 2019 at 11:04 a.m.": a line that opens with
    /// "By" and a name is a byline even where it ends in a full stop or runs to a time.
    static func namesAnAuthor(_ text: String) -> Bool {
        let words = text.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, let first = words.first, authorWords.contains(String(first)) else { return false }
        return words[1].first?.isUppercase == true
    }

    /// "By" in the languages with a stop list, and the label some sites write instead.
    static let authorWords: Set<String> = ["By", "Von", "Par", "Por", "Di", "De", "Przez", "Autor", "Author"]

    /// The date of a dateline opening a paragraph: one that opens it or follows a mark ("LONDON,
    /// 3 March 2014", "News | 30.10.2021", a page dump's "1. Februar 2022 Bundesministerin"),
    /// or that the words after it leave for the story with a dash, a colon, a bar or an agency's
    /// parenthesis ("Tuesday 3 March 2014, 10:42 GMT —"). A date a word leads into is what the
    /// story is about: "Since 12 May 1999 nobody has crossed", "On 12 May 1999 the dam broke",
    /// "The deal, signed 1 January 2001," had dated their stories.
    /// The date must begin in the first `datelineWords` words.
    static func dateline(in paragraph: String, monthFirst: Bool) -> CalendarDate? {
        if let date = EastAsianDate.dateline(in: paragraph) { return CalendarDate.pageYears.contains(date.year) ? date : nil }
        let tokens = DateTokens.split(leadingWords(paragraph, datelineWords + 4))
        let opening = DateTokens.split(leadingWords(paragraph, datelineWords)).count
        let wordIndexes = tokens.indices.filter { !tokens[$0].isFiller }
        let words = wordIndexes.map { tokens[$0] }
        func standsApart(_ start: Int, _ end: Int) -> Bool {
            guard start < opening else { return false }
            let from = withWeekday(tokens, start)
            return from == 0 || tokens[from - 1].isMark || announced(tokens, before: from)
                || leadsIntoStory(tokens, from: end)
        }
        for i in tokens.indices {
            if let date = numericDate(tokens, at: i, monthFirst: monthFirst), CalendarDate.pageYears.contains(date.year) {
                return standsApart(i, i + 5) ? date : nil
            }
        }
        for j in words.indices {
            if let date = namedMonthDate(words, at: j), CalendarDate.pageYears.contains(date.year) {
                return standsApart(wordIndexes[j], wordIndexes[j + 2] + 1) ? date : nil
            }
        }
        return nil
    }

    /// Whether the tokens from `start` on, past a clock time ("10:42 GMT", "9.30am"), begin
    /// with a dateline's separator.
    private static func leadsIntoStory(_ t: [DateToken], from start: Int) -> Bool {
        var k = start
        if k < t.count && t[k].text == "," { k += 1 }
        if k + 2 < t.count, t[k].isNumber, [":", "."].contains(t[k + 1].text), t[k + 2].isNumber {
            k += 3
            if k < t.count && !t[k].isNumber && t[k].text.count >= 2 && t[k].text.count <= 4 && !t[k].isFiller { k += 1 }
        }
        return k < t.count && ["-", "–", "—", ":", "|", "("].contains(t[k].text)
    }

    static let bylineWords = 12
    static let datelineWords = 6
    /// Words that say a date is the page's own ("Updated 3 March 2014", "postado em 04/05/2022").
    static let publicationWords: Set<String> = [
        "published", "posted", "updated", "publié", "publiée", "veröffentlicht", "aktualisiert", "publicado",
        "actualizado", "postado", "atualizado", "pubblicato", "aggiornato",
    ]
    /// "on" and its kin, which may sit between such a word and the date.
    static let onWords: Set<String> = ["on", "am", "le", "em", "el", "il", "at"]

    /// Where a date at `start` begins with the weekday written before it ("Tuesday, 3 March"):
    /// what comes before the weekday decides, or "on Sunday, October 13th, 2019 in an article"
    /// had stood apart after its comma.
    private static func withWeekday(_ t: [DateToken], _ start: Int) -> Int {
        if start >= 2 && t[start - 1].text == "," && weekdays.contains(t[start - 2].text) { return start - 2 }
        if start >= 1 && weekdays.contains(t[start - 1].text) { return start - 1 }
        return start
    }

    static let weekdays: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
    ]

    /// Whether a publication word comes right before token `start`, or before an "on" there.
    private static func announced(_ t: [DateToken], before start: Int) -> Bool {
        let previous = t[start - 1].text
        if publicationWords.contains(previous) { return true }
        return onWords.contains(previous) && start >= 2 && publicationWords.contains(t[start - 2].text)
    }

    static func leadingWords(_ text: String, _ n: Int) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).prefix(n).joined(separator: " ")
    }

    /// Dates in URL paths: /2019/11/18/, /2019-11-18-, /20191118/. Year, month and day must
    /// follow one another with one separator between: numbers taken from across a slug
    /// ("story-2022-price-rises-3-5-percent") had made 2022-03-05.
    static func find(inURL url: String) -> CalendarDate? {
        let t = DateTokens.split(url)
        func isSeparator(_ k: Int) -> Bool { ["/", "-", "_", "."].contains(t[k].text) }
        for i in t.indices where t[i].isNumber {
            if t[i].text.count == 8, let n = Int(t[i].text) {
                if let d = CalendarDate(year: n / 10000, month: n / 100 % 100, day: n % 100),
                   CalendarDate.pageYears.contains(d.year) { return d }
            }
            guard i + 4 < t.count, t[i].text.count == 4, isSeparator(i + 1), isSeparator(i + 3),
                  t[i + 2].isNumber, t[i + 4].isNumber, t[i + 2].text.count <= 2, t[i + 4].text.count <= 2,
                  let y = Int(t[i].text), let m = Int(t[i + 2].text), let d = Int(t[i + 4].text) else { continue }
            if let date = CalendarDate(year: y, month: m, day: d), CalendarDate.pageYears.contains(y) { return date }
        }
        return nil
    }

    /// 2019-11-18, 18.11.2019, 18/11/2019 (or 11/18/2019 when `monthFirst`).
    private static func numericDate(_ t: [DateToken], at i: Int, monthFirst: Bool) -> CalendarDate? {
        guard i + 4 < t.count, t[i].isNumber, t[i + 2].isNumber, t[i + 4].isNumber,
              t[i + 1].text == t[i + 3].text, ["-", ".", "/"].contains(t[i + 1].text),
              let a = Int(t[i].text), let b = Int(t[i + 2].text), let c = Int(t[i + 4].text) else { return nil }
        if t[i].text.count == 4 { return CalendarDate(year: a, month: b, day: c) }
        guard t[i + 4].text.count == 4 else { return nil }
        if monthFirst && t[i + 1].text == "/" {
            return CalendarDate(year: c, month: a, day: b) ?? CalendarDate(year: c, month: b, day: a)
        }
        return CalendarDate(year: c, month: b, day: a) ?? CalendarDate(year: c, month: a, day: b)
    }

    /// "18 November 2019", "31. Mai 2012", "31 de mayo de 2012", "November 18, 2019", "Nov. 18 2019".
    private static func namedMonthDate(_ t: [DateToken], at i: Int) -> CalendarDate? {
        guard i + 2 < t.count else { return nil }
        let words = t[i...(i + 2)]
        let (first, second, third) = (words[i], words[i + 1], words[i + 2])
        guard third.isNumber, third.text.utf8.count == 4, let year = Int(third.text) else { return nil }
        if first.isNumber, let day = Int(first.text), let month = MonthNames.number(second.text) {
            return CalendarDate(year: year, month: month, day: day)
        }
        if let month = MonthNames.number(first.text), second.isNumber, let day = Int(second.text) {
            return CalendarDate(year: year, month: month, day: day)
        }
        return nil
    }
}

struct DateToken {
    var text: String
    var isNumber: Bool
    /// A single mark of punctuation (",", "|", "/"), not a word or a number.
    var isMark: Bool { !isNumber && text.count == 1 && !text.unicodeScalars.first!.properties.isAlphabetic }

    /// Punctuation and linking words ("de", "of") that may sit between day, month and year.
    var isFiller: Bool {
        !isNumber && (text.count == 1 && !text.unicodeScalars.first!.properties.isAlphabetic
            || ["de", "del", "of", "th", "st", "nd", "rd", "er"].contains(text))
    }
}

enum DateTokens {
    /// Runs of digits, runs of letters (lowercased), and single punctuation marks; spaces dropped.
    /// Limited to the first 2,000 scalars: dates sit in short bylines and URLs.
    static func split(_ text: String) -> [DateToken] {
        var tokens: [DateToken] = []
        var current = ""
        var currentIsNumber = false
        func flush() {
            if !current.isEmpty { tokens.append(DateToken(text: current, isNumber: currentIsNumber)) }
            current = ""
        }
        for scalar in text.unicodeScalars.prefix(2_000) {
            let v = scalar.value
            let isDigit = v >= 48 && v <= 57
            let isASCIILetter = (v | 0x20) >= 97 && (v | 0x20) <= 122
            let isLetter = !isDigit && (isASCIILetter || v >= 0x80 && scalar.properties.isAlphabetic)
            if isDigit || isLetter {
                if !current.isEmpty && currentIsNumber != isDigit { flush() }
                currentIsNumber = isDigit
                if isASCIILetter {
                    current.unicodeScalars.append(Unicode.Scalar(UInt8(v | 0x20)))
                } else if isDigit {
                    current.unicodeScalars.append(scalar)
                } else {
                    current.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
            } else {
                flush()
                if scalar.value > 32 && scalar.value != 0xA0 { tokens.append(DateToken(text: String(scalar), isNumber: false)) }
            }
        }
        flush()
        return tokens
    }
}

enum MonthNames {
    static func number(_ word: String) -> Int? {
        table[word]
    }

    private static let table: [String: Int] = {
        let months = [
            "january jan januar jänner janvier janv enero ene gennaio gen janeiro styczeń stycznia sty",
            "february feb februar février févr fevr febrero febbraio fevereiro fev luty lutego lut",
            "march mar märz mars marzo março marzec marca",
            "april apr avril avr abril aprile kwiecień kwietnia kwi",
            "may mai mayo maggio mag maio maj maja",
            "june jun juni juin junio giugno giu junho czerwiec czerwca cze",
            "july jul juli juillet juil julio luglio lug julho lipiec lipca lip",
            "august aug août aout agosto ago sierpień sierpnia sie",
            "september sep sept septembre septiembre setiembre settembre set setembro wrzesień września wrz",
            "october oct oktober okt octobre octubre ottobre ott outubro out październik października paź",
            "november nov novembre noviembre novembro listopad listopada lis",
            "december dec dezember dez décembre déc decembre diciembre dic dicembre dezembro grudzień grudnia gru",
        ]
        var table: [String: Int] = [:]
        for (index, names) in months.enumerated() {
            for name in names.split(separator: " ") { table[String(name)] = index + 1 }
        }
        return table
    }()
}

/// Dates as Chinese, Japanese and Korean write them, year first with its unit after each number:
/// 2024年3月5日, 2024년 3월 5일, in ASCII or full-width digits (２０２４年３月５日).
enum EastAsianDate {
    static func find(in text: String) -> CalendarDate? { first(in: text)?.date }

    /// The first such date in `text` and the scalar offset it starts at.
    static func first(in text: String) -> (date: CalendarDate, start: Int)? {
        guard text.unicodeScalars.contains(where: { $0 == "年" || $0 == "년" }) else { return nil }
        return first(in: Array(text.unicodeScalars)).map { ($0.date, $0.start) }
    }

    /// The first such date in `scalars`, with where it starts and ends.
    static func first(in scalars: [Unicode.Scalar]) -> (date: CalendarDate, start: Int, end: Int)? {
        for i in scalars.indices where digit(scalars[i]) != nil && (i == 0 || digit(scalars[i - 1]) == nil) {
            if let (date, end) = date(scalars, at: i) { return (date, i, end) }
        }
        return nil
    }

    /// A dateline's date opening a paragraph, in its first 20 characters: a wire service's
    /// "…日电" ("新华社北京2024年3月5日电"), or a date set apart on both sides, after the start, an
    /// opening bracket or an agency's closing one ("【2024年2月1日 東京】", "(서울=연합뉴스) 2024년 1월
    /// 11일 …") and before a space, a bracket or a dash. A date the sentence goes on from
    /// ("2023年12月31日前", a deadline; "（2020年1月1日至…）", a span) is what the story tells.
    static func dateline(in paragraph: String) -> CalendarDate? {
        let scalars = Array(paragraph.unicodeScalars.prefix(40))
        guard let (date, start, end) = first(in: scalars), start < 20 else { return nil }
        if end < scalars.count && (scalars[end] == "电" || scalars[end] == "電" || scalars[end] == "讯") { return date }
        var before = start - 1
        while before >= 0 && (scalars[before] == " " || scalars[before] == "\u{3000}") && before > 0
                && ")）]】".unicodeScalars.contains(scalars[before - 1]) { before -= 1 }
        let opens = start == 0 || "【[(（".unicodeScalars.contains(scalars[before]) || ")）]】".unicodeScalars.contains(scalars[before])
        let closes = end == scalars.count || " \u{3000}】])）—-–|".unicodeScalars.contains(scalars[end])
        return opens && closes ? date : nil
    }

    /// year 年 month 月 day 日 from `i`, spaces allowed between the parts (Korean spaces them).
    private static func date(_ s: [Unicode.Scalar], at start: Int) -> (CalendarDate, Int)? {
        var i = start
        guard let year = number(s, &i, digits: 4...4), unit(s, &i, "年", "년"),
              let month = number(s, &i, digits: 1...2), unit(s, &i, "月", "월"),
              let day = number(s, &i, digits: 1...2), unit(s, &i, "日", "일"),
              let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        return (date, i)
    }

    private static func number(_ s: [Unicode.Scalar], _ i: inout Int, digits: ClosedRange<Int>) -> Int? {
        while i < s.count && s[i] == " " { i += 1 }
        var value = 0, count = 0
        while i < s.count, let d = digit(s[i]) {
            // A run of digits longer than a date's part is no date, and past 18 digits it had
            // overflowed the value (a trap, found by fuzzing plain text).
            if count < digits.upperBound { value = value * 10 + d }
            count += 1
            i += 1
        }
        return digits.contains(count) ? value : nil
    }

    private static func unit(_ s: [Unicode.Scalar], _ i: inout Int, _ chinese: Unicode.Scalar, _ korean: Unicode.Scalar) -> Bool {
        while i < s.count && s[i] == " " { i += 1 }
        guard i < s.count, s[i] == chinese || s[i] == korean else { return false }
        i += 1
        return true
    }

    /// 0–9 in ASCII or full width.
    static func digit(_ c: Unicode.Scalar) -> Int? {
        switch c.value {
        case 0x30...0x39: return Int(c.value - 0x30)
        case 0xFF10...0xFF19: return Int(c.value - 0xFF10)
        default: return nil
        }
    }
}
