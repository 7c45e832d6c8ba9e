// The direct reader of `newsidx search` command lines against ArgumentParser: same values
// whenever the reader answers, an answer for every well-formed line, and no option left out.
import XCTest
@testable import newsidx

final class SearchArgumentReaderTests: XCTestCase {
    /// Option spellings with values ArgumentParser accepts, refuses, or that look like options.
    private let optionForms: [[String]] = [
        ["--index", "some/dir"], ["--index=other"], ["--index", ""],
        ["--limit", "5"], ["--limit=0"], ["--limit", "-3"], ["--limit", "x"], ["--limit", "2.5"],
        ["--offset", "7"], ["--offset", "-1"],
        ["--any"], ["--any=true"], ["--words"],
        ["--format", "jsonl"], ["--format=paths0"], ["--format", "xml"], ["--format", "JSON"],
        ["--since", "2012"], ["--since", "2012-13"], ["--until=2013-02-28"], ["--until", "tomorrow"],
        ["--sort", "date"], ["--sort", "-date"], ["--sort=relevance"], ["--sort", "newest"],
        ["--explain"], ["--dedup"], ["--copies"], ["--format", "paths0", "--copies"], ["--count"], ["--batch"], ["--analyze"],
        ["--context", "0"], ["--context", "1001"], ["--context", "40"],
        ["--snippets"], ["--no-snippets"],
        ["--color", "never"], ["--color", "always"], ["--color", "sometimes"],
        ["--k1", "0.9"], ["--k1", "-1"], ["--k1", "inf"], ["--k1", "1e1"], ["--b", "0.3"], ["--b", "1.5"],
        ["--stopwords", "none"], ["--stopwords", "german"],
        ["--proximity", "0"], ["--proximity", "0.5"], ["--proximity-window", "8"], ["--proximity-window", "5000"],
        ["--proximity-all-pairs"], ["--bigram-weight", "0.1"], ["--title-weight", "0"], ["--title-weight", "nan"],
        ["--help"], ["-h"], ["--nope"], ["-n", "3"], ["--"], ["--version"],
    ]
    private let words = ["syria", "\"free syrian army\"", "a NEAR/5 b", "-isis", "-", "title:oil", "x=y", "--any"]

    func testReaderAgreesWithArgumentParserOnGeneratedLines() throws {
        var generator = LineGenerator(seed: 42)
        var read = 0
        for _ in 0..<4_000 {
            let line = randomLine(&generator)
            guard let direct = SearchArgumentReader.read(["search"] + line) else { continue }
            read += 1
            let parsed: SearchCommand
            do { parsed = try SearchCommand.parse(line) } catch {
                XCTFail("the reader accepted \(line), ArgumentParser refused it: \(error)")
                continue
            }
            XCTAssertEqual(direct, parsed.arguments, "\(line)")
        }
        XCTAssertGreaterThan(read, 500, "generated lines the reader answered")
    }

    func testReaderAnswersEveryWellFormedLine() throws {
        var generator = LineGenerator(seed: 7)
        let wellFormed = optionForms.filter { form in
            form.count > 0 && form[0].hasPrefix("--") && form[0] != "--" && !["--help", "--version", "--nope"].contains(form[0])
                && (try? SearchCommand.parse(form + ["w"])) != nil && !form.contains("")
                && !(form.count == 2 && form[1].hasPrefix("-") && form[0] != "--sort")
        }
        XCTAssertGreaterThan(wellFormed.count, 30)
        for _ in 0..<500 {
            var line: [String] = []
            var used = Set<String>()
            for _ in 0..<Int(generator.next() % 5) {
                let form = wellFormed[Int(generator.next() % UInt64(wellFormed.count))]
                let name = String(form[0].prefix { $0 != "=" })
                let key = name == "--no-snippets" ? "--snippets" : name
                if used.insert(key).inserted { line += form }
            }
            if !line.contains("--batch") { line.append("syria") }
            guard (try? SearchCommand.parse(line)) != nil else { continue }  // e.g. --batch with a query
            XCTAssertNotNil(SearchArgumentReader.read(["search"] + line), "\(line)")
        }
    }

    func testReaderKnowsEveryOptionSearchDeclares() {
        let help = SearchCommand.helpMessage(columns: 400)
        var declared = Set<String>()
        var rest = help[...]
        while let range = rest.range(of: "--") {
            let name = rest[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if !name.isEmpty { declared.insert(String(name)) }
            rest = rest[range.upperBound...]
        }
        declared.remove("help")
        declared.remove("version")
        // The help shows the pair as --[no-]snippets.
        if declared.remove("no-") != nil { declared.formUnion(["snippets", "no-snippets"]) }
        let names = Set(SearchArgumentReader.names)
        XCTAssertEqual(names.count, SearchArgumentReader.names.count, "a name listed twice")
        XCTAssertEqual(declared.subtracting(names), [], "options only ArgumentParser reads")
        XCTAssertEqual(names.subtracting(declared), [], "options SearchCommand does not declare")
        for name in declared { XCTAssertTrue(SearchArgumentReader.knows(name), "--\(name) has no setter") }
    }

    func testOtherCommandsAreLeftToArgumentParser() {
        XCTAssertNil(SearchArgumentReader.read(["index", "x"]))
        XCTAssertNil(SearchArgumentReader.read([]))
        XCTAssertNil(SearchArgumentReader.read(["search"]), "no query: ArgumentParser reports it")
        XCTAssertEqual(SearchArgumentReader.read(["search", "--", "-isis"])?.query, ["-isis"])
    }

    private func randomLine(_ g: inout LineGenerator) -> [String] {
        var line: [String] = []
        for _ in 0..<Int(g.next() % 6) {
            if g.next() % 3 == 0 {
                line.append(words[Int(g.next() % UInt64(words.count))])
            } else {
                line += optionForms[Int(g.next() % UInt64(optionForms.count))]
            }
        }
        return line
    }
}

/// Knuth's MMIX linear congruential generator, high bits only: seeded, so a failing line can
/// be reproduced, and plenty for drawing options.
struct LineGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}
