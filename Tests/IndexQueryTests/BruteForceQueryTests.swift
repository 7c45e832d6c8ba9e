// IndexQueryTests: every query kind answered by the index equals a brute-force scan of the
// same analyzed tokens, on generated documents and (when present) on the BBC corpus.
import Analysis
import InvertedIndex
import Query
import XCTest

final class BruteForceQueryTests: XCTestCase {
    static let vocabulary = generatedVocabulary

    func randomQuery(_ rng: inout SeededRandom, depth: Int = 0) -> String {
        func word() -> String { Self.vocabulary.randomElement(using: &rng)! }
        func phrase() -> String { "\"" + (0..<Int.random(in: 2...3, using: &rng)).map { _ in word() }.joined(separator: " ") + "\"" }
        func operand() -> String { Bool.random(using: &rng) ? word() : phrase() }
        let kinds = depth > 1 ? 6 : 9
        switch Int.random(in: 0..<kinds, using: &rng) {
        case 0: return word()
        case 1: return phrase()
        case 2: return "\(operand()) NEAR/\(Int.random(in: 0...4, using: &rng)) \(operand())"
        case 3: return "\(operand()) ADJ/\(Int.random(in: 0...4, using: &rng)) \(operand())"
        case 4: return "\(word()) NEAR/2 \(word()) NEAR/3 \(operand())"
        case 5: return "title:\(word())"
        case 6: return "(\(randomQuery(&rng, depth: depth + 1)) OR \(randomQuery(&rng, depth: depth + 1)))"
        case 7: return "\(randomQuery(&rng, depth: depth + 1)) \(randomQuery(&rng, depth: depth + 1)) -\(word())"
        default: return "\(randomQuery(&rng, depth: depth + 1)) NOT \(operand())"
        }
    }

    func compare(docs: [DocumentInput], stemmer: String, queries: Int, seed: UInt64, batchPositions: Int = 12_000_000,
                 pending: (Int, DocumentInput) -> PendingDocument = { _, d in PendingDocument { d } }) throws {
        let (path, reader) = try buildIndex(docs, stemmer: stemmer, batchPositions: batchPositions, pending: pending)
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        let model = try BruteForce(docs, stemmer: stemmer)
        var rng = SeededRandom(seed: seed)
        var nonEmpty = 0
        for _ in 0..<queries {
            var query = randomQuery(&rng)
            if Int.random(in: 0..<6, using: &rng) == 0 { query = String(query.prefix(while: { $0 != " " && $0 != "\"" })) + "*" }
            guard let plan = try? searcher.plan(query, options: SearchOptions()) else { continue }
            let expected = model.matching(plan)
            let got = Set(try searcher.matchingDocs(plan: plan, options: SearchOptions()).map { try reader.document($0).externalID })
            XCTAssertEqual(got, expected, "query \(query) planned as \(plan)")
            if !expected.isEmpty { nonEmpty += 1 }
        }
        XCTAssertGreaterThan(nonEmpty, queries / 4, "too few queries matched anything to be a real test")
    }

    /// Ranked lists with required items (`+a b`, `a OR +b`) match exactly the documents their
    /// required items all match, whatever the others match.
    func testRequiredItemsOfRankedLists() throws {
        try withIndexAndModel(generatedDocuments(count: 300, seed: 19)) { reader, searcher, model in
            var rng = SeededRandom(seed: 29)
            var options = SearchOptions()
            options.defaultOperator = .any
            var nonEmpty = 0
            for _ in 0..<150 {
                let items = (0..<Int.random(in: 2...4, using: &rng)).map { _ in randomQuery(&rng, depth: 2) }
                let marked = items.enumerated().map { $0.offset == 0 || Bool.random(using: &rng) ? "+(\($0.element))" : "(\($0.element))" }
                let query = marked.joined(separator: " ")
                let plan = try searcher.plan(query, options: options)
                let expected = model.matching(plan)
                let got = Set(try searcher.matchingDocs(plan: plan, options: options).map { try reader.document($0).externalID })
                XCTAssertEqual(got, expected, "query \(query) planned as \(plan)")
                if !expected.isEmpty { nonEmpty += 1 }
            }
            XCTAssertGreaterThan(nonEmpty, 20, "too few queries matched anything to be a real test")
        }
    }

    func testGeneratedDocumentsNoStemming() throws {
        try compare(docs: generatedDocuments(count: 400, seed: 7), stemmer: "none", queries: 400, seed: 11)
    }

    func testGeneratedDocumentsEnglishStemming() throws {
        try compare(docs: generatedDocuments(count: 300, seed: 8), stemmer: "english", queries: 300, seed: 12)
    }

    /// Several exclusions, repeated ones and phrases among them: each is asked in its turn and
    /// the first holding a document settles it.
    func testManyExclusionsExcludeExactly() throws {
        try withIndexAndModel(generatedDocuments(count: 300, seed: 17)) { reader, searcher, model in
            var rng = SeededRandom(seed: 19)
            var nonEmpty = 0
            for _ in 0..<150 {
                let include = Self.vocabulary.randomElement(using: &rng)!
                let excluded = (0..<Int.random(in: 2...8, using: &rng)).map { _ -> String in
                    let w = Self.vocabulary.randomElement(using: &rng)!
                    return Bool.random(using: &rng) ? "-\(w)" : "-\"\(w) \(Self.vocabulary.randomElement(using: &rng)!)\""
                }
                let query = ([include] + excluded + excluded.prefix(2)).joined(separator: " ")
                guard let plan = try? searcher.plan(query, options: SearchOptions()) else { continue }
                let got = Set(try searcher.matchingDocs(plan: plan, options: SearchOptions()).map { try reader.document($0).externalID })
                XCTAssertEqual(got, model.matching(plan), query)
                if !got.isEmpty { nonEmpty += 1 }
            }
            XCTAssertGreaterThan(nonEmpty, 30, "too few queries kept anything to be a real test")
        }
    }

    /// A dated search keeps exactly the matches dated in range (phrase and NEAR candidates are
    /// passed over by date before their positions are read; undated documents never match).
    func testDateRangesKeepExactlyTheMatchesInRange() throws {
        var docs = generatedDocuments(count: 300, seed: 9)
        for i in docs.indices where i % 7 != 0 { docs[i].date = String(format: "2001-01-%02d", i % 28 + 1) }
        try withIndexAndModel(docs) { reader, searcher, model in
            let dayOf = Dictionary(uniqueKeysWithValues: docs.map { ($0.externalID, $0.date) })
            let base = Int32(DayNumber.days(year: 2001, month: 1, day: 1))
            var rng = SeededRandom(seed: 13)
            var checked = 0
            for _ in 0..<200 {
                let query = randomQuery(&rng)
                guard let plan = try? searcher.plan(query, options: SearchOptions()) else { continue }
                var options = SearchOptions()
                let first = Int.random(in: 0...20, using: &rng)
                options.since = base + Int32(first)
                options.until = base + Int32(first + Int.random(in: 0...7, using: &rng))
                options.limit = docs.count
                let got = Set(try searcher.search(plan: plan, options: options).hits.map { try reader.document($0.doc).externalID })
                let expected = model.matching(plan).filter { id in
                    guard let date = dayOf[id] ?? nil, let day = Int(date.suffix(2)) else { return false }
                    return (first + 1...first + 1 + Int(options.until! - options.since!)).contains(day)
                }
                XCTAssertEqual(got, expected, "query \(query) from day \(first + 1)")
                if !expected.isEmpty { checked += 1 }
            }
            XCTAssertGreaterThan(checked, 20, "too few dated queries matched anything to be a real test")
        }
    }

    /// An index of `docs`, its searcher and the brute-force model; the folder goes afterwards.
    private func withIndexAndModel(_ docs: [DocumentInput], stemmer: String = "none",
                                   _ body: (IndexReader, Searcher, BruteForce) throws -> Void) throws {
        let (path, reader) = try buildIndex(docs, stemmer: stemmer)
        defer { removeDirectory(path) }
        try body(reader, try Searcher(reader: reader), try BruteForce(docs, stemmer: stemmer))
    }

    /// Chunks cut by source bytes at uneven places, and workers taking documents as they come
    /// free: every third document is slow to prepare, so the other worker takes several in a
    /// row and neither takes every other one. Each worker's new terms must still be numbered
    /// as the merging thread meets its documents.
    func testUnevenChunksAndWorkers() throws {
        var rng = SeededRandom(seed: 21)
        let sizes = (0..<500).map { _ in Int.random(in: 0...(3 << 20), using: &rng) }
        try compare(docs: generatedDocuments(count: 500, seed: 20), stemmer: "none", queries: 300, seed: 22,
                    batchPositions: 2_000) { i, d in
            PendingDocument(sourceBytes: sizes[i]) {
                if i % 3 == 0 { usleep(300) }
                return d
            }
        }
    }

    /// Tiny batches force every term's blocks to be continued across transactions.
    func testManySmallBatchesMatchOneBigBatch() throws {
        try compare(docs: generatedDocuments(count: 700, seed: 9), stemmer: "none", queries: 200, seed: 13,
                    batchPositions: 500)
    }

    func testBBCCorpusWhenPresent() throws {
        guard let corpora = sharedCorpora() else { throw XCTSkip("../shared/corpora is absent; BBC brute-force check skipped") }
        var docs: [DocumentInput] = []
        var seenTexts = Set<String>()  // the BBC set repeats some articles; the index keeps one copy
        for section in ["business", "tech"] {
            for i in 1...120 {
                let path = "\(corpora)/bbc/\(section)/\(String(format: "%03d", i)).txt"
                guard let text = try? String(contentsOfFile: path, encoding: .utf8), seenTexts.insert(text).inserted else { continue }
                let lines = text.split(separator: "\n", maxSplits: 1)
                docs.append(DocumentInput(externalID: path, title: String(lines.first ?? ""),
                                          body: lines.count > 1 ? String(lines[1]) : "", date: nil))
            }
        }
        XCTAssertGreaterThan(docs.count, 200)
        let (path, reader) = try buildIndex(docs, stemmer: "english")
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        let model = try BruteForce(docs, stemmer: "english")
        var rng = SeededRandom(seed: 99)
        var checked = 0
        for _ in 0..<150 {
            let doc = model.docs.randomElement(using: &rng)!
            guard doc.body.count > 12 else { continue }
            let p = Int.random(in: 0..<(doc.body.count - 6), using: &rng)
            let w = doc.body
            for query in ["\"\(w[p]) \(w[p + 1]) \(w[p + 2])\"", "\(w[p]) NEAR/3 \(w[p + 4])", "\(w[p]) ADJ/2 \(w[p + 3])",
                          "\(w[p]) \(w[p + 5]) -\(w[p + 2])", "\(w[p]) OR \(w[p + 6])", "\(w[p].prefix(3))*"] {
                let plan = try searcher.plan(query, options: SearchOptions())
                let got = Set(try searcher.matchingDocs(plan: plan, options: SearchOptions()).map { try reader.document($0).externalID })
                XCTAssertEqual(got, model.matching(plan), query)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 300)
    }
}
