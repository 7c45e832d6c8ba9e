// AnalysisTests: tokenizing, folding and stemming: what meets what.
@testable import Analysis
import XCTest

final class TokenizerTests: XCTestCase {
    func testLettersAndDigitsLowercased() {
        XCTAssertEqual(Tokenizer.tokens("Oil prices rose 5.93% in Q3-2014!"), ["oil", "prices", "rose", "5", "93", "in", "q3", "2014"])
    }

    func testDiacriticsAndCaseFold() {
        XCTAssertEqual(Tokenizer.tokens("Café CAFÉ cafe naïve Ærø Straße"), ["cafe", "cafe", "cafe", "naive", "aero", "strasse"])
    }

    /// Letters drawn with a stroke have no decomposition to strip, and were kept as they are:
    /// "Łódź" and "Diyarbakır" did not meet Lodz and Diyarbakir.
    func testLettersWithAStrokeFoldToTheirPlainLetter() {
        XCTAssertEqual(Tokenizer.tokens("Łódź Øresund Æthelred Đorđe Diyarbakır cœur"),
                       ["lodz", "oresund", "aethelred", "dorde", "diyarbakir", "coeur"])
    }

    /// Only diacritics go: vowel signs and voicing marks are parts of their letters (stripping
    /// every mark had made दिल "heart" and दाल "lentils" one word, and がっこう "school" かっこう).
    func testMarksThatAreLettersStay() {
        XCTAssertEqual(Tokenizer.tokens("दिल दाल படம் பாடம் がっこう かっこう", eastAsian: .runs),
                       ["दिल", "दाल", "படம்", "பாடம்", "がっこう", "かっこう"])
        XCTAssertEqual(Tokenizer.tokens("がっこう かっこう"), ["がっ", "っこ", "こう", "う", "かっ", "っこ", "こう"])
        XCTAssertEqual(Tokenizer.tokens("שָׁלוֹם كَتَبَ"), ["שלום", "كتب"], "Hebrew points and Arabic vowel marks are diacritics")
    }

    /// Snowball's stemmers for languages written with accents read the accents: a word keeps
    /// them until stemmed, and the stem loses them. Stripped first, "première" and "premier",
    /// "новый" and "новая" did not meet. English stems a to z: stripping first lets "résumés"
    /// meet "resumes".
    func testAccentsStayUntilStemmedWhereTheStemmerReadsThem() throws {
        func terms(_ language: String, _ text: String) throws -> [String] {
            try Analyzer(language: language).analyzedTerms(text)
        }
        XCTAssertEqual(try terms("french", "première premier arrivée arrivé"), ["premi", "premi", "arriv", "arriv"])
        XCTAssertEqual(try terms("russian", "новый новая"), ["нов", "нов"])
        XCTAssertEqual(try terms("turkish", "gözler göz"), ["goz", "goz"])
        XCTAssertEqual(try terms("english", "résumés resumes Café"), ["resum", "resum", "cafe"])
        XCTAssertEqual(try terms("spanish", "canción canciones"), ["cancion", "cancion"])
    }

    func testApostrophesJoinNameHalvesOnly() {
        XCTAssertEqual(Tokenizer.tokens("al-Qa'ida al-Qa’ida qaida Qur'an Shi'ite"), ["al", "qaida", "al", "qaida", "qaida", "quran", "shiite"])
        // Possessives, contractions, one-letter halves and elisions separate, as in SQLite FTS5.
        XCTAssertEqual(Tokenizer.tokens("Syria's rebels' don't we're we'll I've O'Brien l'Europe"),
                       ["syria", "s", "rebels", "don", "t", "we", "re", "we", "ll", "i", "ve", "o", "brien", "l", "europe"])
        XCTAssertEqual(Tokenizer.tokens("rock'n'roll Qa'ida's 'quoted'"), ["rock", "n", "roll", "qaida", "s", "quoted"])
        XCTAssertEqual(Tokenizer.tokens("the '90s 1980's"), ["the", "90s", "1980", "s"])
        // A one-letter half is one letter however many bytes it takes (precomposed or not): it
        // had joined when accented ("jusqu'à" was "jusqua", found by neither "jusqu" nor "jusqu'a").
        XCTAssertEqual(Tokenizer.tokens("jusqu’à jusqu'a\u{300} Ö'Brien O'Brien"),
                       ["jusqu", "a", "jusqu", "a", "o", "brien", "o", "brien"])
        XCTAssertEqual(Tokenizer.tokens("Qa'ída Öz'ée"), ["qaida", "ozee"], "two-letter halves still join")
    }

    /// The modifier-letter apostrophe and the left quote typed for one join like the others
    /// ("Qaʼida" had been the word "qaʼida", found by neither "Qa'ida" nor "Qaida").
    func testEveryApostropheJoinsAlike() {
        XCTAssertEqual(Tokenizer.tokens("Qaʼida Qa‘ida Qa’ida Qa'ida"), ["qaida", "qaida", "qaida", "qaida"])
        XCTAssertEqual(Tokenizer.tokens("мʼясо"), Tokenizer.tokens("м'ясо"), "Ukrainian typed either way")
        XCTAssertEqual(Tokenizer.tokens("‘quoted’ Syria‘s"), ["quoted", "syria", "s"])
    }

    /// A combining mark with no letter before it belongs to the symbol it follows: U+FE0F after
    /// an emoji had been a word of its own, so any emoji matched any other ("I ❤️ NY" matched
    /// "I ☹️ NY" as a phrase).
    func testMarksAfterSymbolsAreNoWords() {
        XCTAssertEqual(Tokenizer.tokens("I ❤️ NY, I ☹️ NY, dial #️⃣ now ☀️"), ["i", "ny", "i", "ny", "dial", "now"])
        XCTAssertEqual(Tokenizer.tokens("❤️"), [])
        XCTAssertEqual(Tokenizer.tokens("keycap 1️⃣ and 葛\u{E0100}"), ["keycap", "1", "and", "葛"], "selectors draw, they are no part of a word")
        XCTAssertEqual(Tokenizer.tokens("e\u{301}te\u{301}"), ["ete"], "marks after letters stay in the word")
    }

    /// Tatweel stretches an Arabic word without changing it: "الكتـــاب" is "الكتاب".
    func testTatweelIsPassedOver() {
        XCTAssertEqual(Tokenizer.tokens("في الكتـــاب الكبير ـ"), ["في", "الكتاب", "الكبير"])
    }

    /// Turkish lowercases I to ı and İ to i, and a name's suffix follows an apostrophe: with
    /// the Turkish stemmer, capitals stem as their lower case does and "Türkiye'nin" is
    /// "Türkiye" (each had been another word: "ÇOCUKLARI" cocuklari against cocuk).
    func testTurkishCasingAndSuffixes() throws {
        let turkish = try Analyzer(language: "turkish")
        for (upper, lower) in [("ÇOCUKLARI", "çocukları"), ("GÖNDERDİLER", "gönderdiler"), ("IĞDIR", "Iğdır"),
                               ("ASKERLERİNİ", "askerlerini"), ("Türkiye'nin", "Türkiye"), ("Ankara’ya", "Ankara"),
                               ("İstanbul'da", "istanbul")] {
            XCTAssertEqual(turkish.analyzedTerms(upper), turkish.analyzedTerms(lower), "\(upper) / \(lower)")
        }
        XCTAssertEqual(turkish.analyzedTerms("Türkiye'nin ekonomisi").count, 2, "the suffix takes no position")
        XCTAssertEqual(turkish.tokens("Türkiye'n"), ["turkiye"], "a prefix is one word as the word is")
        // Other languages keep the general rules: I is i, and the apostrophe joins or separates.
        XCTAssertEqual(try Analyzer(language: "english").analyzedTerms("IBM Qa'ida"), ["ibm", "qaida"])
    }

    /// Tokens are cut after folding: NFC and NFD spellings of one long word are one term (the
    /// cut had counted raw bytes, so "é" × 150 was 60 e's composed and 40 decomposed), and the cut
    /// never splits a character.
    func testCanonicallyEquivalentLongWordsCutAlike() {
        let composed = String(repeating: "é", count: 150), decomposed = String(repeating: "e\u{301}", count: 150)
        XCTAssertEqual(Tokenizer.tokens(decomposed), Tokenizer.tokens(composed))
        XCTAssertEqual(Tokenizer.tokens(composed), [String(repeating: "e", count: Tokenizer.maxTokenBytes)])
        let kana = "きょうはとうきょうでがくせいたちがだいがくのまえにあつまりデモをおこないました"
        XCTAssertEqual(Tokenizer.tokens(kana.decomposedStringWithCanonicalMapping), Tokenizer.tokens(kana))
        for token in Tokenizer.tokens(String(repeating: "ab", count: 30) + String(repeating: "ж", count: 40)) {
            XCTAssertLessThanOrEqual(token.utf8.count, Tokenizer.maxTokenBytes)
            XCTAssertEqual(String(validatingUTF8: token), token)
        }
    }

    func testOffsetsCoverEachPiece() {
        let text = "O'Brien's Qa'ida"
        var pieces: [String] = []
        var copy = text
        copy.withUTF8 { buf in
            Tokenizer.tokenizeWithOffsets(buf) { _, range in
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: buf[range]), as: UTF8.self))
            }
        }
        XCTAssertEqual(pieces, ["O", "Brien", "s", "Qa'ida"])
    }

    /// Soft hyphens and joiners are invisible inside a word (they had split "Mit­tel­al­ter" into
    /// four words no search for the word could find); a zero-width space still separates.
    func testInvisibleFormatCharactersStayInsideTheWord() {
        XCTAssertEqual(Tokenizer.tokens("Das Mit\u{AD}tel\u{AD}al\u{AD}ter war lang"), ["das", "mittelalter", "war", "lang"])
        XCTAssertEqual(Tokenizer.tokens("Schutz\u{AD}gemeinschaft \u{AD}lead trail\u{AD} x"), ["schutzgemeinschaft", "lead", "trail", "x"])
        XCTAssertEqual(Tokenizer.tokens("co\u{200D}op re\u{2060}use left\u{200E}right"), ["coop", "reuse", "leftright"])
        XCTAssertEqual(Tokenizer.tokens("two\u{200B}words"), ["two", "words"])
    }

    func testNonLatinScriptsAreWords() {
        XCTAssertEqual(Tokenizer.tokens("Москва — 東京都, Ελλάδα", eastAsian: .runs), ["москва", "東京都", "ελλαδα"])
        XCTAssertEqual(Tokenizer.tokens("Москва — 東京都, Ελλάδα"), ["москва", "東京", "京都", "都", "ελλαδα"])
    }

    /// As the index holds them: every Chinese or Japanese character at its own position, and
    /// the pair it begins with the next character stacked on it.
    func testHanAndKanaCharactersEachTakeAPositionWithTheirPairStacked() {
        XCTAssertEqual(Self.stacked("東京タワー"), ["東", "+東京", "京", "+京タ", "タ", "+タワ", "ワ", "+ワー", "ー"])
        XCTAssertEqual(Self.stacked("3月5日 人々"), ["3", "月", "5", "日", "人", "+人々", "々"])
        XCTAssertEqual(Self.stacked("서울에서 東京・大阪 iPhone新品"),
                       ["서울에서", "東", "+東京", "京", "大", "+大阪", "阪", "iphone", "新", "+新品", "品"])
        XCTAssertEqual(Self.stacked("Москва 東京都", eastAsian: .runs), ["москва", "東京都"])
    }

    /// As a query looks them up: each run of two or more characters as its pairs, its last
    /// character kept only to hold the place of what follows in the query.
    func testQueriesCutRunsIntoTheirPairs() {
        XCTAssertEqual(Tokenizer.tokens("中国芯片产业"), ["中国", "国芯", "芯片", "片产", "产业"])
        XCTAssertEqual(Tokenizer.tokens("東京タワーは"), ["東京", "京タ", "タワ", "ワー", "ーは"])
        XCTAssertEqual(Tokenizer.tokens("2024年3月5日"), ["2024", "年", "3", "月", "5", "日"])
        XCTAssertEqual(Tokenizer.tokens("iPhone新品発売"), ["iphone", "新品", "品発", "発売"])
        XCTAssertEqual(Tokenizer.tokens("東京tower"), ["東京", "京", "tower"])
        XCTAssertEqual(Tokenizer.tokens("서울에서 東京・大阪"), ["서울에서", "東京", "京", "大阪"])
        XCTAssertEqual(Tokenizer.tokens("人々の 二〇二四年 ⽇本"), ["人々", "々の", "の", "二〇", "〇二", "二四", "四年", "年", "日本"],
                       "〇 and the radicals (⽇ folds to 日) are paired too")
        XCTAssertEqual(Self.stacked("㊀㊁ ㈠ ㆒"), ["一", "+一二", "二", "一", "一"], "enclosed and Kanbun numerals fold to Han and pair")
        XCTAssertEqual(Self.stacked("\u{1B001}\u{1B002}"), ["\u{1B001}", "+\u{1B001}\u{1B002}", "\u{1B002}"], "archaic kana pair too")
    }

    /// The analyzer keeps one term per position and the pairs apart, each with the position
    /// of its first character, which is what the index groups by term.
    func testAnalyzerStacksPairsOnTheirFirstCharacter() throws {
        let analyzer = try Analyzer(language: "none")
        var ids: [Int32] = [], pairs: [StackedTerm] = []
        analyzer.analyze("東京 tower 北京", into: &ids, pairs: &pairs)
        XCTAssertEqual(ids.map { analyzer.terms.string($0) }, ["東", "京", "tower", "北", "京"])
        XCTAssertEqual(pairs.map(\.position), [0, 3])
        XCTAssertEqual(pairs.map { analyzer.terms.string($0.term) }, ["東京", "北京"])
        XCTAssertEqual(analyzer.analyzedTerms("東京 tower 北京"), ["東京", "京", "tower", "北京"])
    }

    /// Random bytes (broken UTF-8, marks, selectors, kana, Han, Latin): every pair stands on
    /// a position that exists, in rising order, and begins with that position's character.
    func testStackedPairsStandOnTheirFirstCharacter() throws {
        let analyzer = try Analyzer(language: "none")
        let pieces: [[UInt8]] = ["東", "京", "か", "\u{3099}", "ｶ", "ﾞ", "\u{FE0F}", "\u{AD}", "a", " ", "〇", "⽇", "서"].map { Array($0.utf8) }
            + [[0xE6], [0x80], [0xFF]]
        var state: UInt64 = 0x51_7CC1
        for round in 0..<500 {
            var bytes: [UInt8] = []
            for _ in 0..<(round % 30) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes += pieces[Int(state >> 33) % pieces.count]
            }
            var ids: [Int32] = [], pairs: [StackedTerm] = []
            analyzer.analyze(String(decoding: bytes, as: UTF8.self), into: &ids, pairs: &pairs)
            XCTAssertEqual(pairs.map(\.position), pairs.map(\.position).sorted(), "\(bytes)")
            XCTAssertEqual(Set(pairs.map(\.position)).count, pairs.count)
            for pair in pairs {
                XCTAssertLessThan(Int(pair.position) + 1, ids.count, "a pair's second character has a position too")
                let text = analyzer.terms.string(pair.term)
                XCTAssertEqual(text.unicodeScalars.count, 2, text)
                XCTAssertTrue(text.hasPrefix(analyzer.terms.string(ids[Int(pair.position)])), text)
                XCTAssertTrue(text.hasSuffix(analyzer.terms.string(ids[Int(pair.position) + 1])), text)
            }
        }
    }

    /// No character outside the paired ones folds into one (as ㊀ folds to 一): as part of a
    /// word it would make a term that reads as a pair, or a lone character of a pair's kind,
    /// at a position of its own. Every scalar of the first two planes, checked.
    func testOnlyPairedCharactersFoldToPairedOnes() {
        var offenders: [String] = []
        for value in UInt32(0x80)..<0x2_0000 {
            guard let scalar = Unicode.Scalar(value), !isPairedScalar(value), isWordScalar(value) else { continue }
            if Tokenizer.tokens(String(scalar)).contains(where: { $0.unicodeScalars.contains { isPairedScalar($0.value) } }) {
                offenders.append("U+" + String(value, radix: 16, uppercase: true))
            }
        }
        XCTAssertEqual(offenders, [])
    }

    /// Voicing marks belong to their kana: decomposed が (か and U+3099) and half-width ｶﾞ
    /// pair as the composed が and ガ do, and a soft hyphen inside a run is passed over.
    func testPairsFoldEachCharacterWithItsMarks() {
        XCTAssertEqual(Tokenizer.tokens("か\u{3099}いこく"), Tokenizer.tokens("がいこく"))
        XCTAssertEqual(Tokenizer.tokens("ｶﾞｲﾄﾞ"), Tokenizer.tokens("ガイド"))
        XCTAssertEqual(Tokenizer.tokens("ガイド"), ["ガイ", "イド"])
        XCTAssertEqual(Tokenizer.tokens("芯\u{AD}片"), ["芯片"])
    }

    /// Every token's offsets cover its characters in the text, so snippets mark them.
    func testPairOffsetsCoverBothCharacters() {
        var got: [String] = []
        var copy = "a 東京タワー b"
        copy.withUTF8 { buf in
            Tokenizer.tokenizeStacking(buf) { token, range, _ in
                XCTAssertEqual(Tokenizer.tokens(String(decoding: buf[range], as: UTF8.self)).first, String(decoding: token, as: UTF8.self))
                got.append(String(decoding: buf[range], as: UTF8.self))
            }
        }
        XCTAssertEqual(got, ["a", "東", "東京", "京", "京タ", "タ", "タワ", "ワ", "ワー", "ー", "b"])
    }

    /// Random text of Han, kana, Hangul, Latin, digits and separators: each maximal run of
    /// Han and kana is its characters with their pairs stacked, as the index holds it, and as a
    /// query its pairs (a run of one character alone); everything else is cut as runs are.
    func testPairsAreThoseOfEachRun() {
        let alphabet: [Character] = ["中", "国", "東", "か", "タ", "ー", "서", "울", "a", "7", " ", "。", "・"]
        var state: UInt64 = 0x2545_F491
        for round in 0..<400 {
            var text = ""
            for _ in 0..<(round % 24) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            let pieces = Tokenizer.tokens(text, eastAsian: .runs).flatMap(Self.split)
            let indexed = pieces.flatMap { piece -> [String] in
                guard EastAsianTerms.isPairedText(piece) else { return [piece] }
                let chars = Array(piece).map(String.init)
                return chars.indices.flatMap { i in i + 1 < chars.count ? [chars[i], "+" + chars[i] + chars[i + 1]] : [chars[i]] }
            }
            XCTAssertEqual(Self.stacked(text), indexed, "text \(text)")
            var queried = pieces.flatMap { piece -> [String] in
                let chars = Array(piece).map(String.init)
                guard EastAsianTerms.isPairedText(piece), chars.count > 1 else { return [piece] }
                return (0..<chars.count - 1).map { chars[$0] + chars[$0 + 1] } + [chars[chars.count - 1]]
            }
            if let last = pieces.last, EastAsianTerms.isPairedText(last), last.count > 1 { queried.removeLast() }
            XCTAssertEqual(Tokenizer.tokens(text), queried, "text \(text)")
        }
    }

    /// Tokens as the index holds them, a stacked pair marked with "+".
    private static func stacked(_ text: String, eastAsian: EastAsianTerms = .pairs) -> [String] {
        var out: [String] = []
        var copy = text
        copy.withUTF8 { buf in
            Tokenizer.tokenizeStacking(buf, eastAsian: eastAsian) { token, _, stacked in
                out.append((stacked ? "+" : "") + String(decoding: token, as: UTF8.self))
            }
        }
        return out
    }

    /// A run mixing paired characters with others, cut where the kind changes.
    private static func split(_ run: String) -> [String] {
        var pieces: [String] = []
        var lastPaired: Bool?
        for c in run {
            let paired = EastAsianTerms.isPairedText(String(c))
            if paired != lastPaired { pieces.append("") }
            pieces[pieces.count - 1].append(c)
            lastPaired = paired
        }
        return pieces
    }

    func testInvalidUTF8BecomesASeparator() {
        let bytes: [UInt8] = Array("abc".utf8) + [0xFF, 0xFE] + Array("def".utf8)
        var tokens: [String] = []
        bytes.withUnsafeBufferPointer { buf in
            Tokenizer.tokenize(buf) { tokens.append(String(decoding: $0, as: UTF8.self)) }
        }
        XCTAssertEqual(tokens, ["abc", "def"])
    }

    func testLongTokensAreCutIdentically() {
        let long = String(repeating: "é", count: 200)
        let t = Tokenizer.tokens(long)
        XCTAssertEqual(t.count, 1)
        XCTAssertLessThanOrEqual(t[0].utf8.count, Tokenizer.maxTokenBytes)
        XCTAssertEqual(t, Tokenizer.tokens(long + " "))
    }

    /// Plain ASCII words take a shortcut past the per-character scanner; in ASCII text without
    /// apostrophes every token must still be a maximal run of letters and digits, lowercased,
    /// cut at `maxTokenBytes`, with the run's own offsets.
    func testPlainASCIIWordsMatchMaximalRuns() {
        let alphabet = Array("abcXYZ019 .,-;\n".utf8)
        var state: UInt64 = 0x9E37_79B9
        for round in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<(round % 40) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let pick = Int(state >> 33)
                bytes += pick % 97 == 0 ? Array(repeating: UInt8(ascii: "Q"), count: 110 + pick % 20) : [alphabet[pick % alphabet.count]]
            }
            var got: [(String, Range<Int>)] = []
            bytes.withUnsafeBufferPointer { buf in
                Tokenizer.tokenizeWithOffsets(buf) { got.append((String(decoding: $0, as: UTF8.self), $1)) }
            }
            let expected = Self.maximalRuns(bytes)
            XCTAssertEqual(got.map(\.0), expected.map(\.0), "text \(String(decoding: bytes, as: UTF8.self))")
            XCTAssertEqual(got.map(\.1), expected.map(\.1))
        }
    }

    private static func maximalRuns(_ bytes: [UInt8]) -> [(String, Range<Int>)] {
        func isWord(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) }
        var out: [(String, Range<Int>)] = []
        var i = 0
        while i < bytes.count {
            guard isWord(bytes[i]) else { i += 1; continue }
            var j = i
            while j < bytes.count && isWord(bytes[j]) { j += 1 }
            let kept = bytes[i..<min(j, i + Tokenizer.maxTokenBytes)].map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
            out.append((String(decoding: kept, as: UTF8.self), i..<j))
            i = j
        }
        return out
    }

    func testEnglishStemmingAndNone() throws {
        let english = try Analyzer(language: "english")
        XCTAssertEqual(english.analyzedTerms("Running runners ran economies economic"), ["run", "runner", "ran", "economi", "econom"])
        let none = try Analyzer(language: "none")
        XCTAssertEqual(none.analyzedTerms("Running runners"), ["running", "runners"])
    }

    func testOtherSnowballLanguagesAndUnknownOnes() throws {
        XCTAssertTrue(Stemmer.languages.contains("german"))
        XCTAssertEqual(try Analyzer(language: "german").analyzedTerms("Häuser"), ["haus"])
        XCTAssertThrowsError(try Analyzer(language: "klingon")) { error in
            XCTAssertTrue("\(error)".contains("unknown stemmer 'klingon'"))
        }
    }

    func testTermTableInternsDensely() {
        var table = TermTable(capacity: 2)
        var ids: [Int32] = []
        for w in ["a", "bb", "a", "ccc", "bb"] + (0..<1000).map { "w\($0)" } {
            var s = w
            ids.append(s.withUTF8 { table.intern($0) })
        }
        XCTAssertEqual(Array(ids.prefix(5)), [0, 1, 0, 2, 1])
        XCTAssertEqual(table.count, 1003)
        XCTAssertEqual(table.string(2), "ccc")
        XCTAssertEqual(table.string(1002), "w999")
    }

    /// Words that share their first eight bytes, or their length, or are longer than a slot's
    /// length field, still get one id each and give back their own bytes.
    func testTermTableTellsApartWordsAlikeInTheirSlots() {
        var table = TermTable(capacity: 4)
        let long = String(repeating: "x", count: 300)
        var words = ["", "a", "abcdefgh", "abcdefghi", "abcdefghj", "abcdefgh\u{0}", "abcdefg", long, long + "y",
                     String(repeating: "x", count: 299) + "y"]
        words += (0..<3000).map { "shared-prefix-\($0)" } + (0..<3000).map { String($0 * 7919) }
        var ids: [String: Int32] = [:]
        for round in 0..<2 {
            for w in words {
                var s = w
                let id = s.withUTF8 { table.intern($0) }
                if round == 0 && ids[w] == nil { ids[w] = id }
                XCTAssertEqual(id, ids[w], "\(w.prefix(20))... round \(round)")
            }
        }
        XCTAssertEqual(table.count, Set(words).count)
        for (w, id) in ids { XCTAssertEqual(table.string(id), w) }
    }

    /// `analyze` gathers a text's tokens before looking them up, keeping those taken straight
    /// from the text in place and copying the rewritten ones (lowercased, folded, joined). Its
    /// ids must be those of looking up each token as the tokenizer gives it, in order.
    func testAnalyzingATextEqualsLookingUpEachToken() throws {
        let pieces = ["the", "The", "CROWD", "café", "Qa'ida", "al-Qa’ida", "internationally", "Straße",
                      "2014", "rock'n'roll", "Ærø", "o'brien's", "x", "REUTERS", "naïve"]
        for language in ["none", "english"] {
            for length in [0, 1, 5, 17, 40, 400] {
                let text = (0..<length).map { pieces[($0 * 7 + $0 / 3) % pieces.count] }.joined(separator: " ")
                let analyzer = try Analyzer(language: language)
                var ids: [Int32] = [], pairs: [StackedTerm] = []
                analyzer.analyze(text, into: &ids, pairs: &pairs)
                XCTAssertEqual(pairs, [])
                let oneByOne = try Analyzer(language: language)
                var expected: [Int32] = []
                Tokenizer.tokenize(text) { expected.append(oneByOne.termID(ofToken: $0)) }
                XCTAssertEqual(ids, expected, "\(language): \(text)")
                XCTAssertEqual(ids.map { analyzer.terms.string($0) }, expected.map { oneByOne.terms.string($0) })
            }
        }
    }
}
