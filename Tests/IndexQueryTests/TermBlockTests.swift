// IndexQueryTests: the `terms` table's blocks: front-coded runs of terms read back as written,
// lookups find every term and no other, and edits in key order keep the blocks sound.
import Analysis
@testable import InvertedIndex
import Storage
import XCTest

final class TermBlockTests: XCTestCase {
    /// Keys that share prefixes as words do, in random order.
    func randomKeys(_ count: Int, _ rng: inout SeededRandom) -> [[UInt8]] {
        let stems = ["a", "ab", "abc", "report", "reporter", "reporters", "z", "zz", "\u{e9}t\u{e9}"]
        var keys = Set<[UInt8]>()
        while keys.count < count {
            let field = Bool.random(using: &rng) ? Field.text : Field.title
            let tail = (0..<Int.random(in: 0...3, using: &rng)).map { _ in UInt8.random(in: 97...100, using: &rng) }
            keys.insert([field.rawValue] + Array(stems.randomElement(using: &rng)!.utf8) + tail)
        }
        return keys.shuffled(using: &rng)
    }

    /// Every third a term with an inline block, the others terms in the tables.
    func record(_ n: Int, _ rng: inout SeededRandom) throws -> TermRecord {
        guard n % 3 == 0 else {
            return TermRecord(id: UInt32(n), documentFrequency: UInt64(n + 1), collectionFrequency: UInt64(2 * n + 1))
        }
        return try TermRecord(inline: randomInlineBlock(&rng).block)
    }

    func sorted(_ keys: [[UInt8]]) -> [[UInt8]] { keys.sorted { $0.lexicographicallyPrecedes($1) } }

    func buffer(_ entries: [TermBlockEntry]) -> TermBlockBuffer {
        var buffer = TermBlockBuffer()
        for e in entries { buffer.append(key: e.key, record: e.record) }
        return buffer
    }

    func decode(_ block: (key: [UInt8], value: [UInt8])) throws -> [TermBlockEntry] {
        var decoded = TermBlockBuffer()
        try block.key.withUnsafeBytes { key in
            try block.value.withUnsafeBytes { try decoded.append(blockKey: key, value: $0) }
        }
        return decoded.entries
    }

    func testBlocksReadBackAsWritten() throws {
        var rng = SeededRandom(seed: 71)
        let keys = sorted(randomKeys(300, &rng))
        let entries = try keys.enumerated().map { TermBlockEntry(key: $1, record: try record($0, &rng).encoded()) }
        let blocks = buffer(entries).encodedBlocks()
        XCTAssertGreaterThan(blocks.count, 5)
        var decoded: [TermBlockEntry] = []
        for block in blocks {
            // Blocks share the entries about equally: none far below the target, none twice it.
            XCTAssertLessThan(block.value.count, 2 * TermBlockBuffer.targetBytes + 300)
            XCTAssertGreaterThan(block.value.count, TermBlockBuffer.targetBytes - 300)
            decoded += try decode(block)
        }
        XCTAssertEqual(decoded, entries)
    }

    /// Blocks of the longest terms with the largest inline records still fit beside their key
    /// in a node of a 4 KiB page (LMDB puts larger ones on overflow pages, which no table uses).
    func testLargestTermsStayOffOverflowPages() throws {
        var rng = SeededRandom(seed: 74)
        let keys = sorted((0..<200).map { n in
            [Field.text.rawValue] + (0..<Tokenizer.maxTokenBytes).map { _ in UInt8.random(in: 97...122, using: &rng) }
        })
        // An inline record as `TermRecord.encoded` writes it: lengths 200 and 56, then the values.
        let record: [UInt8] = [0xC8, 0x01, 0x38] + [UInt8](repeating: 1, count: Format.maxInlineBlockBytes)
        let entries = keys.map { TermBlockEntry(key: $0, record: record) }
        for block in buffer(entries).encodedBlocks() {
            XCTAssertLessThanOrEqual(block.key.count + block.value.count + 8, (4_096 - 16) / 2)
        }
    }

    /// A block cut for a page's end takes as many terms as its budget holds: its value fits
    /// the budget (unless its one term alone does not), and one term more would not.
    func testBudgetedBlocksAreAsLargeAsFits() throws {
        var rng = SeededRandom(seed: 75)
        let keys = sorted(randomKeys(400, &rng))
        let entries = try keys.enumerated().map { TermBlockEntry(key: $1, record: try record($0, &rng).encoded()) }
        let terms = buffer(entries)
        var start = 0, decoded: [TermBlockEntry] = []
        while start < entries.count {
            let budget = Int.random(in: 1...1_500, using: &rng)
            let block = terms.encodedBlock(from: start, budget: budget)
            let blockEntries = try decode((block.key, block.value))
            XCTAssertEqual(blockEntries.count, block.end - start)
            XCTAssertTrue(block.value.count <= budget || blockEntries.count == 1, "\(block.value.count) bytes for \(budget)")
            if block.end < entries.count {
                let oneMore = buffer(Array(entries[start...block.end])).encodedBlock(from: 0, budget: .max)
                XCTAssertGreaterThan(oneMore.value.count, budget)
            }
            decoded += blockEntries
            start = block.end
        }
        XCTAssertEqual(decoded, entries)
    }

    /// Packing cuts the `terms` blocks again to fill its pages, and changes no term's record.
    func testPackingFillsTermPagesWithTheSameTerms() throws {
        let path = temporaryDirectory("termfill")
        defer { removeDirectory(path) }
        let writer = try IndexWriter(store: try IndexStore.openOrCreate(path: path, stemmer: "none", deferSync: true))
        writer.maxBatchDocuments = 40
        for d in incompressibleDocuments(count: 160, seed: 76) { try writer.add(PendingDocument { d }) }
        _ = try writer.finish()
        let before = try termsTable(path)
        XCTAssertTrue(try writer.store.packIfWorthIt())
        let after = try termsTable(path)
        XCTAssertEqual(after.records.count, before.records.count)
        XCTAssertTrue(after.records == before.records, "packing changed the dictionary")
        XCTAssertGreaterThan(after.pageFill, 0.97, "terms pages \(after.pageFill) full after packing")
        XCTAssertLessThan(before.pageFill, 0.97, "the writer's blocks already filled the pages: nothing tested")
    }

    /// Every term's key and record, and the share of the table's leaf pages its entries take.
    func termsTable(_ path: String) throws -> (records: [[UInt8]: [UInt8]], pageFill: Double) {
        let store = try IndexStore.open(path: path, readOnly: true)
        return try store.env.read { txn in
            let table = store.table(Format.TableName.terms)
            let cursor = try txn.cursor(table)
            var records: [[UInt8]: [UInt8]] = [:], taken = 0
            var entry = try cursor.first()
            while let e = entry {
                taken += ((8 + e.key.count + e.value.count + 1) & ~1) + 2
                var walker = try TermBlockWalker(key: e.key, value: e.value)
                while let record = try walker.next() { records[walker.key] = Array(record) }
                entry = try cursor.next()
            }
            let usable = try txn.leafPages(table) * (store.env.pageSize - 16)
            return (records, Double(taken) / Double(usable))
        }
    }

    /// A value cut short, or with a byte changed, fails to decode or decodes to keys that
    /// still ascend: never a read past its end.
    func testDamagedBlocksAreRefusedOrStillOrdered() throws {
        var rng = SeededRandom(seed: 72)
        let keys = sorted(randomKeys(40, &rng))
        let entries = try keys.enumerated().map { TermBlockEntry(key: $1, record: try record($0, &rng).encoded()) }
        let blocks = buffer(entries).encodedBlocks()
        let value = blocks[0].value
        var refused = 0
        for trial in 0..<400 {
            var damaged = value
            if trial % 2 == 0 {
                damaged.removeLast(Int.random(in: 1...value.count - 1, using: &rng))
            } else {
                damaged[Int.random(in: 0..<value.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            }
            do {
                let decoded = try decode((blocks[0].key, damaged))
                XCTAssertTrue(zip(decoded, decoded.dropFirst()).allSatisfy { $0.key.lexicographicallyPrecedes($1.key) })
            } catch is FormatError {
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 200, "cut values should be refused")
    }

    /// Edits in key order (inserts, updates, removals) over several batches, each checked
    /// against a plain dictionary by a lookup of every key ever used and a walk of the table.
    func testEditsMatchAPlainDictionary() throws {
        let dir = NSTemporaryDirectory() + "newsidx-termblock-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = try Environment(path: dir)
        let tables = try env.openTables([Format.TableName.terms], create: true)
        var rng = SeededRandom(seed: 73)
        let universe = randomKeys(900, &rng)
        var expected: [[UInt8]: TermRecord] = [:]
        for batch in 0..<8 {
            var changes: [[UInt8]: TermRecord?] = [:]
            for key in universe.shuffled(using: &rng).prefix(250) {
                changes[key] = batch > 0 && Int.random(in: 0..<4, using: &rng) == 0 ? .some(nil) : try record(Int.random(in: 0..<5_000, using: &rng), &rng)
            }
            try env.write { txn in
                let editor = TermDictionaryEditor(cursor: try txn.cursor(tables[Format.TableName.terms]!))
                for key in sorted(Array(changes.keys)) {
                    XCTAssertEqual(try editor.record(key), expected[key])
                    try editor.set(key, changes[key]!)
                }
                try editor.finish()
            }
            for (key, change) in changes { expected[key] = change }
            try env.read { txn in
                let cursor = try txn.cursor(tables[Format.TableName.terms]!)
                let dictionary = TermDictionaryReader(cursor: cursor)
                for key in universe { XCTAssertEqual(try dictionary.record(key), expected[key], "batch \(batch)") }
                var walked: [[UInt8]] = []
                try dictionary.forEach(withPrefix: []) { key, _ in walked.append(key); return true }
                XCTAssertEqual(walked, sorted(Array(expected.keys)), "batch \(batch)")
                var prefixed: [[UInt8]] = []
                let prefix = [Field.text.rawValue] + Array("rep".utf8)
                try dictionary.forEach(withPrefix: prefix) { key, _ in prefixed.append(key); return true }
                XCTAssertEqual(prefixed, sorted(expected.keys.filter { $0.starts(with: prefix) }), "batch \(batch)")
            }
        }
    }
}
