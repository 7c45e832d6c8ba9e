// IndexQueryTests: prefixes on a stemmed index, where the terms are stems the prefix may not
// begin: `economy*` must still find "economy", stored as the stem "economi".
import InvertedIndex
import Query
import Storage
import XCTest

final class StemmedPrefixTests: XCTestCase {
    static let documents: [(id: String, body: String)] = [
        ("economy", "The economy grew last year."),
        ("economies", "Both economies shrank in the spring."),
        ("economist", "An economist spoke at the meeting."),
        ("economic", "The economic data came out on Friday."),
        ("company", "The company hired forty people."),
        ("companion", "Her companion waited outside."),
        ("running", "Running late, he missed the bus."),
        ("runway", "The runway was closed for repairs."),
    ]

    func matches(_ query: String, _ searcher: Searcher, _ reader: IndexReader) throws -> Set<String> {
        let plan = try searcher.plan(query, options: SearchOptions())
        return Set(try searcher.matchingDocs(plan: plan, options: SearchOptions()).map { try reader.document($0).externalID })
    }

    func testAPrefixThatIsAWholeWordFindsThatWordStemmed() throws {
        let docs = Self.documents.map { DocumentInput(externalID: $0.id, title: "", body: $0.body, date: nil) }
        let (path, reader) = try buildIndex(docs, stemmer: "english")
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        XCTAssertEqual(try matches("economy*", searcher, reader), ["economy", "economies"],
                       "the word itself in any form, not 'economist', which does not start with it")
        XCTAssertEqual(try matches("econom*", searcher, reader), ["economy", "economies", "economist", "economic"])
        XCTAssertEqual(try matches("company*", searcher, reader), ["company"])
        XCTAssertEqual(try matches("compan*", searcher, reader), ["company", "companion"])
        XCTAssertEqual(try matches("running*", searcher, reader), ["running"], "not 'runway', though both start with run")
        // Through the `words` table, which has every word of this index.
        XCTAssertEqual(try searcher.plan("economy*", options: SearchOptions()).description, "economy*")
        XCTAssertEqual(try searcher.plan("econom*", options: SearchOptions()).description, "econom*")
    }

    /// The prefix's own stem is no word's when no word begins with the prefix: `cons*` had
    /// found "con" and `politic*`'s stem alone "polite" (found by a languages QA helper). Only
    /// an index whose `words` table lacks the words of documents written before it (no `meta`
    /// key `words`) still takes that stem, as the way to "economi" from `economy*`.
    func testAPrefixsOwnStemCountsOnlyWhereWordsLackOlderDocuments() throws {
        let docs = [("con", "A con artist was arrested."), ("consultant", "Two consultants came."),
                    ("economy", "The economy grew last year.")].map { DocumentInput(externalID: $0.0, title: "", body: $0.1, date: nil) }
        var path = ""
        do {  // the reader closes before the file is opened again (LMDB: one environment per file)
            let (built, reader) = try buildIndex(docs, stemmer: "english")
            path = built
            XCTAssertTrue(reader.store.wordsCoverEveryDocument)
            let searcher = try Searcher(reader: reader)
            XCTAssertEqual(try matches("cons*", searcher, reader), ["consultant"])
            XCTAssertEqual(try searcher.plan("cons*", options: SearchOptions()).description, "cons*")
            XCTAssertEqual(try matches("economy*", searcher, reader), ["economy"])
        }
        defer { removeDirectory(path) }
        do {
            let env = try Environment(path: path)
            let meta = try env.openTables([Format.TableName.meta], create: false)[Format.TableName.meta]!
            try env.write { _ = try $0.delete(meta, Array(Format.wordsMetaKey.utf8)) }
        }
        let older = try IndexReader(store: try IndexStore.open(path: path, readOnly: true))
        XCTAssertFalse(older.store.wordsCoverEveryDocument)
        let olderSearcher = try Searcher(reader: older)
        XCTAssertEqual(try olderSearcher.plan("cons*", options: SearchOptions()).description, "(cons* OR con)")
        XCTAssertEqual(try matches("economy*", olderSearcher, older), ["economy"])
    }

    /// French stems words with their accents: the whole word's stem must be taken from the
    /// word as written ("pensée*" had added the stem of "pensee", "pense", and missed "pens").
    func testAWholeWordPrefixIsStemmedWithItsAccents() throws {
        let docs = [("pensee", "Une pensée libre."), ("pensees", "Des pensées libres."), ("penser", "Il faut penser."),
                    ("donnees", "Les données publiées hier.")]
            .map { DocumentInput(externalID: $0.0, title: "", body: $0.1, date: nil) }
        let (path, reader) = try buildIndex(docs, stemmer: "french")
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        XCTAssertEqual(try matches("pensée", searcher, reader), ["pensee", "pensees", "penser"])
        XCTAssertEqual(try matches("pensée*", searcher, reader), ["pensee", "pensees", "penser"], "its stem, pens, as pensée finds")
        XCTAssertEqual(try matches("données*", searcher, reader), ["donnees"])
    }

    /// A word's stem is often no prefix of what begins the word: "international" is stored as
    /// `intern`, which `interna*` does not begin, and `interna*` had found only the words whose
    /// stems start with "interna" (4 of bbc's 335 documents holding "international";
    /// `emergen*` none of its 122 holding "emergency"). A prefix now finds what each word it
    /// begins finds, through the `words` table.
    func testAPrefixFindsWhatEveryWordItBeginsFinds() throws {
        let bodies = [("international", "International trade grew."), ("internal", "An internal memo leaked."),
                      ("interns", "Two interns joined."), ("interval", "A short interval followed."),
                      ("emergency", "The emergency crews arrived."), ("emerged", "A leader emerged."),
                      ("evening", "The evening news ran late."), ("blocking", "Blocking the road was illegal."),
                      ("blocks", "Concrete blocks lay there.")]
        let docs = bodies.map { DocumentInput(externalID: $0.0, title: "", body: $0.1, date: nil) }
        let (path, reader) = try buildIndex(docs, stemmer: "english")
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        let words = Set(bodies.flatMap { $0.1.lowercased().split { !$0.isLetter }.map(String.init) })
        for prefix in ["interna", "intern", "inter", "emergen", "emerg", "evenin", "blocki", "block", "b"] {
            let begun = words.filter { $0.hasPrefix(prefix) }.sorted()
            var expected = Set<String>()
            for word in begun { expected.formUnion(try matches(word, searcher, reader)) }
            XCTAssertEqual(try matches(prefix + "*", searcher, reader), expected, "\(prefix)*: as \(begun) find")
        }
        XCTAssertTrue(try matches("interna*", searcher, reader).isSuperset(of: ["international", "internal"]))
        // What matched is marked: "International" had been left plain, its snippet the opening.
        let plan = try searcher.plan("interna*", options: SearchOptions())
        let marked = try SnippetMaker(plan: plan, reader: reader).highlightAll("Good news. International trade grew.")
        XCTAssertEqual(marked.highlights.map { Array(marked.text.unicodeScalars)[$0.start..<$0.end].map(String.init).joined() },
                       ["International"])
        XCTAssertEqual(try matches("emergen*", searcher, reader), ["emergency", "emerged"], "emergency's stem, emerg, is emerged's")
    }

    /// A binary that knew no `words` table drops it when it packs, and the `meta` key survives
    /// the copy: the table made again on the next write lacks every older document's words, so
    /// the key goes and prefixes take their own stem again (found by review).
    func testAWordsTableMadeAgainForAnIndexWithDocumentsDropsItsKey() throws {
        let docs = [("economy", "The economy grew last year.")].map { DocumentInput(externalID: $0.0, title: "", body: $0.1, date: nil) }
        var path = ""
        do {
            let (built, reader) = try buildIndex(docs, stemmer: "english")
            path = built
            XCTAssertTrue(reader.store.wordsCoverEveryDocument)
        }
        defer { removeDirectory(path) }
        do {
            let env = try Environment(path: path)
            let words = try env.openTables([Format.TableName.words], create: false)[Format.TableName.words]!
            try env.write { try $0.drop(words) }
        }
        do {
            let store = try IndexStore.openOrCreate(path: path, stemmer: nil, deferSync: true)
            let writer = try IndexWriter(store: store, threads: 1)
            try writer.add(PendingDocument { DocumentInput(externalID: "company", title: "", body: "The company grew.", date: nil) })
            _ = try writer.finish()
        }
        let reader = try IndexReader(store: try IndexStore.open(path: path, readOnly: true))
        XCTAssertFalse(reader.store.wordsCoverEveryDocument)
        let searcher = try Searcher(reader: reader)
        XCTAssertEqual(try searcher.plan("economy*", options: SearchOptions()).description, "(economy* OR economi)")
        XCTAssertEqual(try matches("economy*", searcher, reader), ["economy"])
    }

    func testAnUnstemmedIndexMatchesThePrefixAlone() throws {
        let docs = Self.documents.map { DocumentInput(externalID: $0.id, title: "", body: $0.body, date: nil) }
        let (path, reader) = try buildIndex(docs, stemmer: "none")
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        XCTAssertEqual(try matches("economy*", searcher, reader), ["economy"])
        XCTAssertEqual(try searcher.plan("economy*", options: SearchOptions()).description, "economy*")
    }
}
