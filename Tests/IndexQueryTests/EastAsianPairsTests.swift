// IndexQueryTests: Chinese and Japanese words, phrases and NEAR/ADJ windows answered by an index
// of pairs equal a scan of the characters as written, on generated text.
import Analysis
import InvertedIndex
import Query
import XCTest

final class EastAsianPairsTests: XCTestCase {
    /// Han and kana, with separators and Latin and digit words that end a run.
    static let characters: [Character] = ["中", "国", "東", "京", "か", "タ", "ー", "人", "々"]
    static let breaks = [" ", "。", " ab ", "7"]

    /// A document's characters as the index positions them: each paired character one
    /// position, a word of Latin letters or digits one, separators none; `run` numbers the
    /// stretches of paired characters, which a word never crosses.
    struct Scanned {
        var chars: [(character: Character, position: Int, run: Int)] = []

        init(_ text: String) {
            var position = 0, run = 0, inWord = false, lastPaired = false
            for c in text {
                if Self.characters.contains(c) {
                    if !lastPaired { run += 1 }
                    chars.append((c, position, run))
                    position += 1
                    lastPaired = true
                    inWord = false
                } else {
                    if c.isLetter || c.isNumber { if !inWord { position += 1 }; inWord = true } else { inWord = false }
                    lastPaired = false
                }
            }
        }

        private static var characters: Set<Character> { Set(EastAsianPairsTests.characters) }

        /// First and last position of each occurrence of `word` inside one run.
        func occurrences(_ word: [Character]) -> [(start: Int, end: Int)] {
            guard chars.count >= word.count else { return [] }
            return (0...(chars.count - word.count)).compactMap { i in
                let piece = chars[i..<(i + word.count)]
                guard piece.map(\.character) == word, piece.first!.run == piece.last!.run else { return nil }
                return (piece.first!.position, piece.last!.position)
            }
        }
    }

    func randomText(_ rng: inout SeededRandom, length: Int) -> String {
        (0..<length).map { _ in
            Int.random(in: 0..<5, using: &rng) == 0 ? Self.breaks.randomElement(using: &rng)!
                : String(Self.characters.randomElement(using: &rng)!)
        }.joined()
    }

    func word(_ rng: inout SeededRandom) -> [Character] {
        (0..<Int.random(in: 1...4, using: &rng)).map { _ in Self.characters.randomElement(using: &rng)! }
    }

    func testWordsAndWindowsEqualACharacterScan() throws {
        var rng = SeededRandom(seed: 29)
        let texts = (0..<300).map { _ in randomText(&rng, length: Int.random(in: 5...60, using: &rng)) }
        let docs = texts.enumerated().map { DocumentInput(externalID: "d\($0.offset)", title: "", body: $0.element, date: nil) }
        let (path, reader) = try buildIndex(docs)
        defer { removeDirectory(path) }
        XCTAssertEqual(reader.store.eastAsian, .pairs)
        let searcher = try Searcher(reader: reader)
        let scanned = texts.map(Scanned.init)
        var nonEmpty = 0
        for round in 0..<400 {
            let a = word(&rng), b = word(&rng), k = Int.random(in: 0...4, using: &rng)
            let query: String
            let expected: Set<String>
            switch round % 3 {
            case 0:
                query = "\"\(String(a))\""
                expected = Set(scanned.indices.filter { !scanned[$0].occurrences(a).isEmpty }.map { "d\($0)" })
            case 1:
                query = "\"\(String(a))\" NEAR/\(k) \"\(String(b))\""
                expected = Set(scanned.indices.filter { i in
                    scanned[i].occurrences(a).contains { x in
                        // No character fills both operands.
                        scanned[i].occurrences(b).contains { y in
                            (x.end < y.start || y.end < x.start) && max(x.start, y.start) - min(x.end, y.end) - 1 <= k
                        }
                    }
                }.map { "d\($0)" })
            default:
                query = "\"\(String(a))\" ADJ/\(k) \"\(String(b))\""
                expected = Set(scanned.indices.filter { i in
                    scanned[i].occurrences(a).contains { x in
                        scanned[i].occurrences(b).contains { y in y.start > x.end && y.start - x.end - 1 <= k }
                    }
                }.map { "d\($0)" })
            }
            let plan = try searcher.plan(query, options: SearchOptions())
            let got = Set(try searcher.matchingDocs(plan: plan, options: SearchOptions()).map { try reader.document($0).externalID })
            XCTAssertEqual(got, expected, "query \(query) planned as \(plan)")
            if !expected.isEmpty { nonEmpty += 1 }
        }
        XCTAssertGreaterThan(nonEmpty, 100, "too few queries matched anything to be a real test")
    }
}
