// IndexQueryTests: `check` notices damage: each test breaks one invariant behind the index's
// back (through the storage layer) and expects the integrity check to name it.
import Analysis
@testable import InvertedIndex
import Query
import Storage
import XCTest

final class CorruptionTests: XCTestCase {
    var path = ""

    override func setUpWithError() throws {
        // 400 documents: the common words need blocks in the tables, the rarer ones stay inline.
        let docs = generatedDocuments(count: 400, seed: 3)
        let built = try buildIndex(docs + [DocumentInput(externalID: "rare", title: "", body: "zulu yankee zulu", date: nil)],
                                   name: "corrupt")
        path = built.path
    }

    override func tearDown() { removeDirectory(path) }

    func problems() throws -> [String] {
        var check = IntegrityCheck(reader: try IndexReader(store: try IndexStore.open(path: path, readOnly: true)))
        try check.run()
        return check.problems
    }

    /// Runs `damage` in a raw write transaction on the index's tables.
    func damage(_ body: (Transaction, NamedTables) throws -> Void) throws {
        let env = try Environment(path: path)
        let tables = try env.openTables(Format.TableName.all, create: false)
        try env.write { try body($0, tables) }
    }

    /// Rewrites one term's record through the terms table's own editor.
    func damageTerm(_ term: String, _ change: (inout TermRecord) -> Void) throws {
        try damage { txn, t in
            let key = [Field.text.rawValue] + Array(term.utf8)
            let dictionary = TermDictionaryEditor(cursor: try txn.cursor(t["terms"]!))
            var record = try XCTUnwrap(try dictionary.record(key))
            change(&record)
            try dictionary.set(key, record)
            try dictionary.finish()
        }
    }

    /// A damaged key is named with its bytes escaped: a tab and invalid UTF-8 had reached the
    /// terminal as they were (found by a QA review).
    func testDamagedTermNamesAreEscaped() {
        XCTAssertEqual(IntegrityCheck.termName([Field.text.rawValue] + Array("édition".utf8)), "text:édition")
        XCTAssertEqual(IntegrityCheck.termName([106] + Array("edi\t".utf8) + [0xC3, 0x28]), "field 106:edi\\x09\\xc3(")
        XCTAssertEqual(IntegrityCheck.termName([Field.title.rawValue] + Array("a\u{1B}b\u{85}".utf8)), "title:a\\x1bb\\x85")
        XCTAssertEqual(IntegrityCheck.termName([Field.text.rawValue] + Array("a\\x09\u{202E}z".utf8)), "text:a\\\\x09\\u{202e}z")
    }

    /// A damaged key of many kilobytes had filled one 49 KB report line, and a backslash among
    /// bytes that are not UTF-8 was left as it was (found by a QA review).
    func testLongOrUndecodableKeysAreCutAndEscaped() {
        XCTAssertEqual(IntegrityCheck.printable([0x61, 0x5C, 0xFF][...]), "a\\\\\\xff")
        let long = Array(repeating: UInt8(ascii: "z"), count: 49_000)
        XCTAssertEqual(IntegrityCheck.printable(long[...]), String(repeating: "z", count: IntegrityCheck.shownBytes) + "… (49000 bytes)")
        let accents = Array(String(repeating: "é", count: 100).utf8)  // 200 bytes, cut between two of them
        XCTAssertEqual(IntegrityCheck.printable(accents[...]), String(repeating: "é", count: 64) + "… (200 bytes)")
        let word = Array(String(repeating: "x", count: Tokenizer.maxTokenBytes).utf8)
        XCTAssertEqual(IntegrityCheck.printable(([Field.text.rawValue] + word)[...]), "\\x01" + String(repeating: "x", count: 120))
    }

    func testSoundIndexPasses() throws {
        XCTAssertEqual(try problems(), [])
    }

    func testWrongDocumentFrequency() throws {
        try damageTerm("alpha") { $0.documentFrequency += 1 }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.contains("term text:alpha") && $0.contains("df") }, "\(found)")
    }

    func testMissingDocumentRecord() throws {
        try damage { txn, t in
            let cursor = try txn.cursor(t["docs"]!)
            _ = try cursor.first()
            try cursor.deleteCurrent()
        }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.contains("which does not exist") }, "\(found)")
        XCTAssertTrue(found.contains { $0.contains("stats:") }, "\(found)")
    }

    func testGarbledPostingBlock() throws {
        try damage { txn, t in
            let cursor = try txn.cursor(t["postings"]!)
            let e = try cursor.first()!
            try txn.put(t["postings"]!, Array(e.key), [0xFF, 0xFF, 0xFF])
        }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.contains("does not decode") }, "\(found)")
    }

    /// The postings entries of text:alpha (a word of most documents: several blocks), in order.
    func alphaBlocks(_ txn: Transaction, _ t: NamedTables) throws -> [(key: [UInt8], value: [UInt8])] {
        let id = try XCTUnwrap(try TermDictionaryEditor(cursor: try txn.cursor(t["terms"]!)).record([Field.text.rawValue] + Array("alpha".utf8))?.id)
        let cursor = try txn.cursor(t["postings"]!)
        var blocks: [(key: [UInt8], value: [UInt8])] = []
        var e = try cursor.seek(atLeast: Keys.docID(id) + [0, 0, 0, 0])
        while let entry = e, entry.key.starts(with: Keys.docID(id)) {
            blocks.append((Array(entry.key), Array(entry.value)))
            e = try cursor.next()
        }
        XCTAssertGreaterThanOrEqual(blocks.count, 3, "alpha needs blocks in the tables")
        return blocks
    }

    func searchAlpha(limit: Int) throws -> Int {
        let searcher = try Searcher(reader: try IndexReader(store: try IndexStore.open(path: path, readOnly: true)))
        var options = SearchOptions()
        options.limit = limit
        return try searcher.search(plan: try searcher.plan("alpha", options: options), options: options).count
    }

    /// A block whose count or widths are damaged decodes to other ids; its key names the last
    /// id it must end at, so search refuses it (LMDB keeps no checksums: it had answered).
    func testSearchRefusesABlockWhoseIdsEndElsewhere() throws {
        let sound = try searchAlpha(limit: 10)
        try damage { txn, t in
            let first = try alphaBlocks(txn, t)[0]
            let block = try DecodedBlock(first.value.withUnsafeBytes { $0 })
            let n = block.docs.count - 1
            let shorter = try PostingBlockCodec.encode(docs: block.docs[..<n], tfs: block.tfs[..<n],
                                                   lengths: ArraySlice(repeating: 1, count: n))
            try txn.put(t["postings"]!, first.key, shorter)
        }
        XCTAssertThrowsError(try searchAlpha(limit: 10), "sound count \(sound)") { error in
            XCTAssertTrue("\(error)".contains("its ids end at doc"), "\(error)")
        }
        XCTAssertTrue(try problems().contains { $0.contains("term text:alpha") }, "check finds it too")
    }

    /// Damaged tf codes read as tfs of 1, since a tf read cannot throw; the search then fails
    /// naming the block, where it had ranked on made-up tfs at exit 0 (a byte flipped in a
    /// QA helper's copy of an index). Here the codes end a byte short of their value's end.
    func testSearchRefusesTFCodesThatDoNotFillTheirValue() throws {
        XCTAssertNoThrow(try searchAlpha(limit: 10))
        try damage { txn, t in
            let first = try alphaBlocks(txn, t)[0]
            try txn.put(t["postings"]!, first.key, first.value + [0x00])
        }
        XCTAssertThrowsError(try searchAlpha(limit: 10)) { error in
            XCTAssertTrue("\(error)".contains("postings of text:alpha, block ending at doc") && "\(error)".contains("tf codes do not decode"),
                          "\(error)")
        }
        XCTAssertTrue(try problems().contains { $0.contains("term text:alpha") }, "check finds it too")
    }

    /// A whole block gone leaves every other block sound; a one-word search meets every
    /// posting (most counted from block headers alone), so its count must be the recorded df.
    func testOneWordSearchRefusesACountOtherThanItsDF() throws {
        XCTAssertNoThrow(try searchAlpha(limit: 0))
        try damage { txn, t in
            let blocks = try alphaBlocks(txn, t)
            try txn.delete(t["postings"]!, blocks[1].key)
            try txn.delete(t["positions"]!, blocks[1].key)
        }
        for limit in [0, 10] {
            XCTAssertThrowsError(try searchAlpha(limit: limit)) { error in
                XCTAssertTrue("\(error)".contains("postings of text:alpha") && "\(error)".contains("df"), "\(error)")
            }
        }
    }

    /// A key of another table among the documents (a `text` page where a `docs` page was) had
    /// read as a doc id, twice over: `duplicates` then paired a document with itself, at exit 0.
    func testDuplicatesRefusesKeysThatAreNoDocIDs() throws {
        let reader = { try IndexReader(store: try IndexStore.open(path: self.path, readOnly: true)) }
        XCTAssertNoThrow(try Dedup.pairs(reader: try reader()))
        try damage { txn, t in
            let first = try XCTUnwrap(try txn.cursor(t["docs"]!).first())
            try txn.put(t["docs"]!, Array(first.key) + [0, 1], Array(first.value))
        }
        XCTAssertThrowsError(try Dedup.pairs(reader: try reader())) { error in
            XCTAssertTrue("\(error)".contains("docs: a key of 6 bytes"), "\(error)")
        }
    }

    /// Rewrites the terms value of text:zulu, an inline term.
    func damageInline(_ change: (inout TermRecord) -> Void) throws {
        try damageTerm("zulu") { record in
            XCTAssertNotNil(record.inline)
            change(&record)
        }
    }

    func testGarbledInlineBlock() throws {
        try damageInline { $0.inline!.postings = [0xFF, 0xFF, 0xFF] }
        let found = try problems()
        // Its df is read from the block, so the record itself no longer decodes.
        XCTAssertTrue(found.contains { $0.contains("does not decode at term text:zulu") }, "\(found)")
    }

    func testInlinePositionsCutShort() throws {
        try damageInline { $0.inline!.positions.removeLast() }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.contains("text:zulu") && $0.contains("do not decode") }, "\(found)")
    }

    /// Blocks in the tables under an id no term holds: the copy of an inline term's block
    /// under the next id to be given out.
    func testBlocksOfNoTerm() throws {
        let nextTermID = try IndexReader(store: try IndexStore.open(path: path, readOnly: true)).stats.nextTermID
        try damage { txn, t in
            let key = [Field.text.rawValue] + Array("zulu".utf8)
            let record = try XCTUnwrap(try TermDictionaryReader(cursor: try txn.cursor(t["terms"]!)).record(key))
            XCTAssertNil(record.id, "an inline term has no id")
            let blockKey = Keys.block(term: nextTermID, lastDoc: 0)
            try txn.put(t["postings"]!, blockKey, record.inline!.postings)
            try txn.put(t["positions"]!, blockKey, record.inline!.positions)
        }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.contains("belong to terms") }, "\(found)")
    }

    func testGarbledTermsBlock() throws {
        try damage { txn, t in
            let e = try XCTUnwrap(try txn.cursor(t["terms"]!).first())
            var value = Array(e.value)
            value.removeLast()
            try txn.put(t["terms"]!, Array(e.key), value)
        }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.hasPrefix("terms: block") && $0.contains("does not decode") }, "\(found)")
    }

    /// A block whose first key sorts before the previous block's last: lookups between them
    /// would land in the wrong block.
    func testOverlappingTermsBlocks() throws {
        try damage { txn, t in
            let first = try XCTUnwrap(try txn.cursor(t["terms"]!).first())
            // A copy of the first block under a key just after its own: inside its range.
            try txn.put(t["terms"]!, Array(first.key) + [0x00], Array(first.value))
        }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.contains("begins before the previous block ends") }, "\(found)")
    }

    func testPositionsOutsideTheField() throws {
        try damage { txn, t in
            let e = try txn.cursor(t["positions"]!).last()!
            let block = try DecodedBlock(try txn.get(t["postings"]!, Array(e.key))!)
            var docs = try PositionsCodec.decode(e.value, tfs: block.tfs)
            docs[0] = docs[0].map { $0 + 1_000_000 }  // still ascending, past the end of any field
            try txn.put(t["positions"]!, Array(e.key), PositionsCodec.encode(docs))
        }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.contains("outside its field") }, "\(found)")
    }

    func testTruncatedPositions() throws {
        try damage { txn, t in
            let e = try txn.cursor(t["positions"]!).last()!
            try txn.put(t["positions"]!, Array(e.key), Array(e.value.dropLast()))
        }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.contains("positions of the block") && $0.contains("do not decode") }, "\(found)")
    }

    /// A norms chunk cut short is refused, by the check and by scoring, not read past its end.
    func testNormsChunkCutShort() throws {
        try damage { txn, t in
            let e = try txn.cursor(t["norms"]!).first()!
            try txn.put(t["norms"]!, Array(e.key), Array(e.value.dropLast(4)))
        }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.contains("no norms") }, "\(found)")
        let reader = try IndexReader(store: try IndexStore.open(path: path, readOnly: true))
        XCTAssertThrowsError(try reader.length(of: 0, .text)) { error in
            XCTAssertTrue("\(error)".contains("norms chunk 0 has 1532 bytes"), "\(error)")
        }
    }

    func testIDMapPointingNowhere() throws {
        try damage { txn, t in try txn.put(t["ids"]!, Array("ghost".utf8), [0, 0, 0x7F, 0]) }
        let found = try problems()
        XCTAssertTrue(found.contains { $0.contains("'ghost'") }, "\(found)")
    }

    /// An index of an older format that lacks a table added since is named by its format, not
    /// called missing ("no index at ...; create one").
    func testAnOlderFormatWithoutANewerTableIsRefusedByItsFormat() throws {
        let old = temporaryDirectory("older")
        defer { removeDirectory(old) }
        let env = try Environment(path: old)
        let tables = try env.openTables(Format.TableName.all.filter { $0 != Format.TableName.origins }, create: true)
        try env.write { txn in try txn.put(tables[Format.TableName.meta]!, Array("format".utf8), Array("newsidx-index-9".utf8)) }
        XCTAssertThrowsError(try IndexStore.open(path: old, readOnly: true)) { error in
            XCTAssertTrue("\(error)".contains("has format 'newsidx-index-9'") && "\(error)".contains("rebuild it"), "\(error)")
        }
    }

    func testOtherFormatVersionIsRefused() throws {
        try damage { txn, t in try txn.put(t["meta"]!, Array("format".utf8), Array("newsidx-index-0".utf8)) }
        XCTAssertThrowsError(try IndexStore.open(path: path, readOnly: true)) { error in
            XCTAssertTrue("\(error)".contains("has format 'newsidx-index-0'"), "\(error)")
        }
    }
}
