// DateFinder: recognises publication dates written in text ("November 18, 2019", "31. Mai 2012",
// "2019-11-18", "18.11.2019") or in URLs ("/2019/11/18/"), and renders them as yyyy-mm-dd.

struct CalendarDate: Equatable {
    var year: Int, month: Int, day: Int

    /// Years a date found in page text or a URL may have: news on the web, give or take. A
    /// record's own date field names its year on purpose and may have any.
    static let pageYears = 1990...2039

    init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    var iso: String {
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(pad(month))-\(pad(day))"
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
    public static func iso(_ field: String) -> String? {
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
}

enum DateFinder {
    /// The first date written in `text`. `monthFirst` settles 03/04/2019 for US-style pages.
    static func find(in text: String, monthFirst: Bool = false,
                     years: ClosedRange<Int> = CalendarDate.pageYears) -> CalendarDate? {
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
        for i in window where blocks[i].measure.chars < 300 && !blocks[i].isOutsideStory {
            let m = blocks[i].measure
            let text = m.words <= Self.bylineWords && !m.endsLikeSentence
                ? blocks[i].text : Self.leadingWords(blocks[i].text, Self.datelineWords)
            if let date = find(in: text, monthFirst: monthFirst) { return date }
        }
        return nil
    }

    static let bylineWords = 12
    static let datelineWords = 6

    static func leadingWords(_ text: String, _ n: Int) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).prefix(n).joined(separator: " ")
    }

    /// Dates in URL paths: /2019/11/18/, /2019-11-18-, /20191118/.
    static func find(inURL url: String) -> CalendarDate? {
        let numbers = DateTokens.split(url).filter { $0.isNumber }.map(\.text)
        for i in numbers.indices {
            if numbers[i].count == 8, let n = Int(numbers[i]) {
                if let d = CalendarDate(year: n / 10000, month: n / 100 % 100, day: n % 100),
                   CalendarDate.pageYears.contains(d.year) { return d }
            }
            guard i + 2 < numbers.count, numbers[i].count == 4,
                  let y = Int(numbers[i]), let m = Int(numbers[i + 1]), let d = Int(numbers[i + 2]),
                  numbers[i + 1].count <= 2, numbers[i + 2].count <= 2 else { continue }
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
