// IndexQueryTests: stored text compressed with trained zstd dictionaries: documents stored before
// and after one exists, a second one when the text changes, packing, updates, and damage.
import CZstd
@testable import InvertedIndex
import Query
import Storage
import XCTest

final class TextDictionaryTests: XCTestCase {
    /// Dictionaries small enough to appear on a corpus of a megabyte.
    static let smallDictionaries: TextDictionarySettings = {
        var s = TextDictionarySettings()
        s.sampleBytes = 24 << 10
        s.dictionaryBytes = 4 << 10
        s.measureEvery = 1
        s.windowBytes = 16 << 10
        return s
    }()

    var paths: [String] = []

    override func tearDown() { paths.forEach(removeDirectory) }

    func newIndexPath() -> String {
        let path = temporaryDirectory("dict")
        paths.append(path)
        return path
    }

    @discardableResult
    func write(_ docs: [DocumentInput], to path: String, delete: [String] = [], batchDocuments: Int = 50_000) throws -> IndexReport {
        let writer = try IndexWriter(store: try IndexStore.openOrCreate(path: path, stemmer: "none", deferSync: true))
        writer.textDictionaries = Self.smallDictionaries
        writer.maxBatchDocuments = batchDocuments
        for d in docs { try writer.add(PendingDocument { d }) }
        _ = try writer.delete(ids: delete)
        let report = try writer.finish()
        try writer.store.packIfWorthIt()
        return report
    }

    func reader(_ path: String) throws -> IndexReader {
        try IndexReader(store: try IndexStore.open(path: path, readOnly: true))
    }

    /// The dictionary id each document's frame names (0: none), by external id.
    func frameDictionaries(_ reader: IndexReader) throws -> [String: UInt32] {
        var out: [String: UInt32] = [:]
        for doc in try reader.allDocIDs() {
            out[try reader.document(doc).externalID] = try reader.storedTextDictionary(doc)
        }
        return out
    }

    func storedDictionaries(_ reader: IndexReader) throws -> [UInt32] {
        try TextDictionaryStore.allIDs(txn: reader.txn, meta: reader.store.table(Format.TableName.meta))
    }

    func assertTextsReadBack(_ docs: [DocumentInput], _ reader: IndexReader, file: StaticString = #filePath, line: UInt = #line) throws {
        for d in docs {
            guard let doc = try reader.docID(forExternalID: d.externalID) else {
                XCTFail("\(d.externalID) is missing", file: file, line: line)
                continue
            }
            XCTAssertEqual(try reader.storedText(doc), d.storedText, d.externalID, file: file, line: line)
        }
    }

    func assertSound(_ reader: IndexReader, file: StaticString = #filePath, line: UInt = #line) throws {
        var check = IntegrityCheck(reader: reader)
        try check.run()
        XCTAssertEqual(check.problems, [], file: file, line: line)
    }

    /// The compression dictionary's match-finding tables have a slot for every dictionary
    /// byte (two in the hash table), whatever zstd's level defaults give a dictionary of that size.
    func testCompressionTablesReachTheWholeDictionary() {
        for bytes in [4 << 10, 110 << 10, 512 << 10] {
            let parameters = TextDictionary.parameters(dictionaryBytes: bytes)
            XCTAssertGreaterThanOrEqual(1 << parameters.hashLog, 2 * bytes, "hash table for \(bytes) bytes")
            XCTAssertGreaterThanOrEqual(1 << parameters.chainLog, bytes, "chain table for \(bytes) bytes")
        }
    }

    func testTextStoredBeforeAndAfterTheDictionaryReadsBack() throws {
        let docs = proseDocuments(count: 1_600, words: englishWords, seed: 1, prefix: "en")
        let path = newIndexPath()
        // Small batches: the first ones are written while the sample is still being collected.
        try write(docs, to: path, batchDocuments: 20)
        let r = try reader(path)
        let used = try frameDictionaries(r)
        XCTAssertEqual(try storedDictionaries(r), [TextDictionaryStore.firstID])
        XCTAssertEqual(used[docs.first!.externalID], 0, "written before any dictionary")
        XCTAssertEqual(used[docs.last!.externalID], TextDictionaryStore.firstID)
        try assertTextsReadBack(docs, r)
        try assertSound(r)
    }

    func testTextInAnotherLanguageGetsItsOwnDictionary() throws {
        let english = proseDocuments(count: 1_600, words: englishWords, seed: 2, prefix: "en")
        let other = proseDocuments(count: 1_600, words: otherWords, seed: 3, prefix: "xx")
        let path = newIndexPath()
        try write(english + other, to: path)
        let r = try reader(path)
        let first = TextDictionaryStore.firstID
        XCTAssertEqual(try storedDictionaries(r), [first, first + 1])
        let used = try frameDictionaries(r)
        XCTAssertEqual(used[english.last!.externalID], first)
        XCTAssertEqual(used[other.last!.externalID], first + 1)
        try assertTextsReadBack(english + other, r)
        try assertSound(r)
    }

    func testTextLikeTheSampleKeepsOneDictionary() throws {
        let docs = proseDocuments(count: 3_200, words: englishWords, seed: 4, prefix: "en")
        let path = newIndexPath()
        try write(docs, to: path)
        XCTAssertEqual(try storedDictionaries(try reader(path)), [TextDictionaryStore.firstID])
    }

    func testDictionarySurvivesPackingAndLaterRuns() throws {
        let first = proseDocuments(count: 1_600, words: englishWords, seed: 5, prefix: "a")
        let later = proseDocuments(count: 600, words: englishWords, seed: 6, prefix: "b")
        let path = newIndexPath()
        try write(first, to: path)
        XCTAssertNotNil(try IndexStore.open(path: path, readOnly: true).metaValue("packed-pages"), "the first run packs")
        try write(later, to: path)
        let r = try reader(path)
        XCTAssertEqual(try storedDictionaries(r), [TextDictionaryStore.firstID])
        let used = try frameDictionaries(r)
        XCTAssertTrue(later.allSatisfy { used[$0.externalID] == TextDictionaryStore.firstID }, "later runs use the stored dictionary")
        try assertTextsReadBack(first + later, r)
        try assertSound(r)
    }

    /// Replacing or deleting a document analyzes its stored text again to find its postings, so
    /// that text must decompress with the dictionary its frame names.
    func testUpdatesAndDeletesReadTheOldTextBack() throws {
        var docs = proseDocuments(count: 1_600, words: englishWords, seed: 7, prefix: "en").enumerated().map { i, d in
            DocumentInput(externalID: d.externalID, title: d.title, body: d.body + " original\(i)", date: nil)
        }
        let path = newIndexPath()
        try write(docs, to: path, batchDocuments: 20)
        let before = try frameDictionaries(try reader(path))
        let updatedIndices = Array(stride(from: 0, to: docs.count, by: 9))
        let deletedIndices = Array(stride(from: 4, to: docs.count, by: 9))
        XCTAssertEqual(Set(updatedIndices.map { before[docs[$0].externalID] }), [0, TextDictionaryStore.firstID],
                       "updates cover text stored with and without the dictionary")
        var updates: [DocumentInput] = []
        for i in updatedIndices {
            docs[i] = DocumentInput(externalID: docs[i].externalID, title: docs[i].title,
                                    body: docs[i].body.replacingOccurrences(of: "original\(i)", with: "replaced\(i)"), date: nil)
            updates.append(docs[i])
        }
        let report = try write(updates, to: path, delete: deletedIndices.map { docs[$0].externalID })
        XCTAssertEqual(report.updated, updatedIndices.count)
        XCTAssertEqual(report.removed, deletedIndices.count)

        let r = try reader(path)
        try assertSound(r)
        let searcher = try Searcher(reader: r)
        for i in updatedIndices + deletedIndices {
            XCTAssertEqual(try searcher.search("original\(i)", options: SearchOptions()).count, 0, "original\(i)")
        }
        for i in updatedIndices { XCTAssertEqual(try searcher.search("replaced\(i)", options: SearchOptions()).count, 1) }
        let kept = docs.indices.filter { !deletedIndices.contains($0) }.map { docs[$0] }
        try assertTextsReadBack(kept, r)
    }

    /// 1,600 documents written to a new index (enough text for a dictionary), and the index's
    /// environment opened for damaging it.
    func damageableIndex(seed: UInt64) throws -> (docs: [DocumentInput], path: String, env: Environment) {
        let docs = proseDocuments(count: 1_600, words: englishWords, seed: seed, prefix: "en")
        let path = newIndexPath()
        try write(docs, to: path)
        return (docs, path, try Environment(path: path))
    }

    func testCheckFindsADamagedDictionary() throws {
        let (docs, path, env) = try damageableIndex(seed: 8)
        let meta = try env.openTables([Format.TableName.meta], create: false)[Format.TableName.meta]!
        let key = TextDictionaryStore.key(TextDictionaryStore.firstID)
        try env.write { txn in
            var value = Array(try txn.get(meta, key)!)
            value[value.count / 2] ^= 0x20
            try txn.put(meta, key, value)
        }
        let r = try reader(path)
        var check = IntegrityCheck(reader: r)
        try check.run()
        XCTAssertTrue(check.problems.contains { $0.contains("text dictionary \(TextDictionaryStore.firstID) does not match its checksum") },
                      "\(check.problems.prefix(3))")
        XCTAssertTrue(check.problems.contains { $0.contains("Restored data doesn't match checksum") }, "\(check.problems.prefix(3))")
        try assertTextsReadBackOrRefused(docs, r, refusedAtLeast: 1)
    }

    /// Every document's text reads back as stored or is an error, never other text; at least
    /// `refusedAtLeast` are errors.
    func assertTextsReadBackOrRefused(_ docs: [DocumentInput], _ reader: IndexReader, refusedAtLeast: Int,
                                      file: StaticString = #filePath, line: UInt = #line) throws {
        var refused = 0
        for d in docs {
            let doc = try XCTUnwrap(try reader.docID(forExternalID: d.externalID), file: file, line: line)
            guard let text = try? reader.storedText(doc) else {
                refused += 1
                continue
            }
            XCTAssertEqual(text, d.storedText, d.externalID, file: file, line: line)
        }
        XCTAssertGreaterThanOrEqual(refused, refusedAtLeast, file: file, line: line)
    }

    /// Frames carry a checksum of their text, and reading checks it.
    func testDamagedFrameIsRefused() throws {
        let (docs, path, env) = try damageableIndex(seed: 10)
        let text = try env.openTables([Format.TableName.text], create: false)[Format.TableName.text]!
        let last = Keys.docID(UInt32(docs.count - 1)) + [0, 0]
        var header = ZSTD_frameHeader()
        try env.write { txn in
            var value = Array(try XCTUnwrap(try txn.get(text, last)))
            XCTAssertEqual(ZSTD_getFrameHeader(&header, value, value.count), 0)
            // The checksum's last byte: the text itself decodes as stored, so only the check can refuse it.
            value[value.count - 1] ^= 0x01
            try txn.put(text, last, value)
        }
        XCTAssertEqual(header.checksumFlag, 1)
        XCTAssertNotEqual(header.dictID, 0, "compressed with a dictionary")
        let r = try reader(path)
        XCTAssertThrowsError(try r.storedText(UInt32(docs.count - 1))) { error in
            XCTAssertTrue("\(error)".contains("checksum"), "\(error)")
        }
        try assertTextsReadBackOrRefused(docs, r, refusedAtLeast: 1)
    }

    /// Frames stored before frames had a checksum (format 12 indexes written earlier) still get
    /// their dictionary checked: a damaged one is an error, not other text.
    func testFramesWithoutChecksumStillCheckTheDictionary() throws {
        let (docs, path, env) = try damageableIndex(seed: 11)
        let tables = try env.openTables([Format.TableName.text, Format.TableName.meta], create: false)
        let (text, meta) = (tables[Format.TableName.text]!, tables[Format.TableName.meta]!)
        let doc = UInt32(docs.count - 1)
        let key = Keys.docID(doc) + [0, 0]
        try env.write { txn in
            // The last document's frame again, as `ZSTD_compress_usingCDict` wrote it (no checksum),
            // then the dictionary damaged.
            let first = try XCTUnwrap(try txn.get(text, key))
            XCTAssertNil(try txn.get(text, Keys.docID(doc) + [0, 1]), "one part")
            let id = first.withUnsafeBytes { TextDecompressor.dictionaryID(of: $0) }
            let bytes = try TextDictionaryStore.load(id, txn: txn, meta: meta)
            let dictionary = try XCTUnwrap(TextDictionary(id: id, bytes: bytes))
            var source = docs[Int(doc)].storedText
            let frame: [UInt8] = source.withUTF8 { src in
                var out = [UInt8](repeating: 0, count: ZSTD_compressBound(src.count))
                let n = ZSTD_compress_usingCDict(ZSTD_createCCtx(), &out, out.count, src.baseAddress, src.count, dictionary.compression)
                return Array(out.prefix(n))
            }
            var header = ZSTD_frameHeader()
            XCTAssertEqual(ZSTD_getFrameHeader(&header, frame, frame.count), 0)
            XCTAssertEqual(header.checksumFlag, 0)
            try txn.put(text, key, frame)
            var value = Array(try XCTUnwrap(try txn.get(meta, TextDictionaryStore.key(id))))
            value[value.count / 2] ^= 0x20
            try txn.put(meta, TextDictionaryStore.key(id), value)
        }
        let r = try reader(path)
        XCTAssertThrowsError(try r.storedText(doc)) { error in
            XCTAssertTrue("\(error)".contains("does not match its checksum"), "\(error)")
        }
    }

    /// A query that shows no text never reads a dictionary: damaged, it goes unnoticed until text is shown.
    func testSearchWithoutTextLeavesTheDictionaryUnread() throws {
        let (docs, path, env) = try damageableIndex(seed: 9)
        let meta = try env.openTables([Format.TableName.meta], create: false)[Format.TableName.meta]!
        try env.write { try $0.put(meta, TextDictionaryStore.key(TextDictionaryStore.firstID), [1, 2, 3]) }
        let r = try reader(path)
        let hits = try Searcher(reader: r).search(englishWords[0], options: SearchOptions())
        XCTAssertGreaterThan(hits.count, 0)
        let last = try r.docID(forExternalID: docs.last!.externalID)!
        XCTAssertThrowsError(try r.storedText(last))
    }
}

let englishWords = ["the", "minister", "said", "on", "tuesday", "that", "government", "would", "increase",
                    "spending", "for", "schools", "and", "hospitals", "after", "months", "of", "debate",
                    "in", "parliament", "where", "opposition", "leaders", "have", "criticised", "plan",
                    "economy", "grew", "percent", "last", "year", "according", "to", "official", "figures"]
let otherWords = ["zwölf", "Qualität", "ßtraße", "überall", "ÄRGER", "Öffnung", "jüngst", "Fußgänger",
                  "Grüße", "häufig", "Börse", "Käse", "Töchter", "Übung", "völlig", "Märchen", "Gebühr",
                  "1987-03-16", "42,7", "§12", "€300", "Nº5", "ÆØÅ", "œuvre"]

/// Documents of sentences drawn from `words`, distinct, about 60 words each.
func proseDocuments(count: Int, words: [String], seed: UInt64, prefix: String) -> [DocumentInput] {
    var rng = SeededRandom(seed: seed)
    func sentence() -> String {
        let n = Int.random(in: 6...14, using: &rng)
        return (0..<n).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ") + "."
    }
    return (0..<count).map { i in
        let body = (0..<Int.random(in: 3...6, using: &rng)).map { _ in sentence() }.joined(separator: " ")
        return DocumentInput(externalID: "\(prefix)-\(i)", title: sentence(), body: body + " \(prefix)\(i)", date: nil)
    }
}
