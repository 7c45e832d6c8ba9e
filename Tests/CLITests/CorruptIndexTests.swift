// CLITests: a damaged index as a person meets it. `check` exits 1 with a line naming each damaged
// part; search, show and index exit 2 saying what is damaged and where, and how to recover.
import Foundation
import Storage
import XCTest

final class CorruptIndexTests: CLITestCase {
    /// Changes the index's tables directly, as a failing disk or a stray write would.
    func damage(_ table: String, _ body: (Transaction, Table) throws -> Void) throws {
        let env = try Environment(path: indexPath)
        let opened = try XCTUnwrap(env.openTables([table], create: false)[table])
        try env.write { try body($0, opened) }
    }

    /// Indexes the sample archive and changes the `text` table for the top hit of "the" (given
    /// its doc id key); returns that hit's id.
    func damageStoredTextOfTopHit(_ body: (Transaction, Table, [UInt8]) throws -> Void) throws -> String {
        try indexSampleArchive()
        let id = try XCTUnwrap(newsidx("search", "--index", indexPath, "--format", "paths", "--limit", "1", "the").lines.first)
        let env = try Environment(path: indexPath)
        let tables = try env.openTables(["ids", "text"], create: false)
        try env.write { txn in
            let doc = Array(try XCTUnwrap(try txn.get(tables["ids"]!, Array(id.utf8)), "\(id) is in the ids table"))
            try body(txn, tables["text"]!, doc)
        }
        return id
    }

    /// Exit 2 (not a crash), a message naming the damage, and the way out.
    func assertReportsDamage(_ r: RunResult, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 2, r.description, file: file, line: line)
        XCTAssertTrue(r.err.hasPrefix("newsidx: index data is corrupt: "), r.err, file: file, line: line)
        for fragment in fragments { XCTAssertTrue(r.err.contains(fragment), "\(fragment): \(r.err)", file: file, line: line) }
        XCTAssertTrue(r.err.contains("`newsidx check` lists every damaged part"), r.err, file: file, line: line)
    }

    /// `check` exits 1, with a problem line holding every fragment.
    func assertCheckFinds(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try newsidx("check", "--index", indexPath)
        XCTAssertEqual(r.status, 1, r.description, file: file, line: line)
        XCTAssertTrue(r.lines.contains { problem in fragments.allSatisfy { problem.contains($0) } }, "\(fragments): \(r.out)",
                      file: file, line: line)
        XCTAssertFalse(r.err.contains("lists every damaged part"), "check does not send people to itself", file: file, line: line)
    }

    /// Another program's LMDB database in the --index folder is left alone: `index` had made its
    /// tables beside that program's and packed the file, keeping only its own (found by a fault
    /// QA helper), and `search` had said to create an index there.
    func testAnotherProgramsDatabaseIsLeftAlone() throws {
        try FileManager.default.createDirectory(atPath: indexPath, withIntermediateDirectories: true)
        do {
            let env = try Environment(path: indexPath)
            let pages = try XCTUnwrap(env.openTables(["pages"], create: true)["pages"])
            try env.write { txn in for i in 0..<100 { try txn.put(pages, Array("page\(i)".utf8), [1, 2, 3]) } }
        }
        let story = try write("story.txt", "Gulls\n\nGulls nested on the harbour wall again this spring.\n")
        for args in [["index", "--index", indexPath, story], ["search", "--index", indexPath, "gulls"]] {
            let r = try CLI.run(args, in: tmp)
            XCTAssertEqual(r.status, 2, r.description)
            XCTAssertTrue(r.err.contains("holds an LMDB database that is no newsidx index (it has a key 'pages'"), r.err)
        }
        let env = try Environment(path: indexPath)
        let pages = try XCTUnwrap(env.openTables(["pages"], create: false)["pages"])
        XCTAssertEqual(try env.read { try $0.stats(pages).entries }, 100, "the other program's data stays")
        XCTAssertNil(try env.openTables([], optional: ["meta"], create: false)["meta"], "no table of newsidx made")
    }

    /// Both meta pages naming a last page past any file: the file-size check had overflowed
    /// (SIGILL, exit 132); it is a header that says more than the file holds (review).
    func testAHugeLastPageNumberIsAnError() throws {
        try indexSampleArchive()
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: indexPath + "/data.mdb"))
        for page in [0, 1] {
            try handle.seek(toOffset: UInt64(page * 4096 + 136))  // the meta's mm_last_pg
            handle.write(Data(withUnsafeBytes(of: (UInt64(1) << 61).littleEndian) { Array($0) }))
        }
        try handle.close()
        let r = try CLI.run(["search", "--index", indexPath, "the"], in: tmp)
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertTrue(r.err.contains("is shorter than its last commit says it is"), r.err)
    }

    /// A table name beside newsidx's own is damage to the index, or a leftover: the index still
    /// opens and `check` still runs (taken for another program's database, `check` had refused it).
    func testAStrayTableBesideTheIndexIsNoOtherProgramsDatabase() throws {
        try indexSampleArchive()
        do { _ = try Environment(path: indexPath).openTables(["stray"], create: true) }
        for command in ["search", "check"] {
            let r = try CLI.run([command, "--index", indexPath] + (command == "search" ? ["the"] : []), in: tmp)
            XCTAssertEqual(r.status, 0, r.description)
            XCTAssertFalse(r.err.contains("no newsidx index"), r.err)
        }
    }

    /// An index whose format record is gone is damage, not a place for a new index: `index`
    /// had written a new format into it and carried on, and `search` said there was no index.
    func testAnIndexWithoutItsFormatRecordIsDamage() throws {
        try indexSampleArchive()
        try damage("meta") { txn, meta in _ = try txn.delete(meta, Array("format".utf8)) }
        for args in [["index", "--index", indexPath, "Tools/sample-archive"], ["search", "--index", indexPath, "the"]] {
            let r = try CLI.run(args, in: CLI.packageRoot)
            XCTAssertEqual(r.status, 2, r.description)
            XCTAssertTrue(r.err.contains("its tables hold documents but no format record"), r.err)
        }
    }

    /// A page of zeros anywhere in the data file ends every command with exit 0, 1 or 2 and a
    /// message of its own: LMDB's checks had aborted the process (exit 134) with only
    /// "Assertion 'IS_LEAF(mp)' failed", on 7 of the sample index's 34 pages, and `index` had
    /// called damage met while packing a warning, exit 0, on 3 (a fault QA helper found the same
    /// on bbc).
    func testAZeroedPageIsReportedNotAnAbort() throws {
        try indexSampleArchive()
        let data = try Data(contentsOf: URL(fileURLWithPath: indexPath + "/data.mdb"))
        let pageSize = 4096
        let copy = tmp.appendingPathComponent("zeroed").path
        let story = try write("story.txt", "Ferry\n\nThe ferry council met the harbour board about the new timetable.\n")
        var reported = 0
        for page in 2..<(data.count / pageSize) {
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            var damaged = data
            damaged.replaceSubrange(page * pageSize..<(page + 1) * pageSize, with: Data(count: pageSize))
            try damaged.write(to: URL(fileURLWithPath: copy + "/data.mdb"))
            for args in [["search", "the"], ["search", "\"the council\""], ["stats"], ["duplicates"]] {
                let r = try CLI.run([args[0], "--index", copy] + args.dropFirst(), in: tmp)
                XCTAssertTrue([0, 1, 2].contains(r.status), "page \(page), \(args): \(r.description)")
                if r.status == 2 { XCTAssertTrue(r.err.hasPrefix("newsidx: "), "page \(page), \(args): \(r.err)") }
                if r.err.contains("LMDB found a page it cannot use") { reported += 1 }
            }
            // A writer too; damage met while packing fails the run (it had been a warning, exit 0).
            let added = try CLI.run(["index", "--index", copy, story], in: tmp)
            XCTAssertTrue([0, 2].contains(added.status), "page \(page), index: \(added.description)")
            XCTAssertFalse(added.err.contains("warning") && added.err.contains("MDB_CORRUPTED"), "page \(page), index: \(added.err)")
        }
        XCTAssertGreaterThan(reported, 0, "LMDB's own checks met some of the damage")
    }

    /// `check` reads every identical copy's entry: damaged ones had passed it while `duplicates`
    /// and `index` stopped at them (a fault QA helper).
    func testADamagedCopyEntryIsFoundByCheck() throws {
        let story = "Gulls\n\nGulls nested on the harbour wall again this spring, the warden said.\n"
        for name in ["a.txt", "b.txt"] { try write("notes/\(name)", story) }
        XCTAssertEqual(try CLI.run(["index", "--index", indexPath, "notes"], in: tmp).status, 0)
        try damage("aliases") { txn, aliases in try txn.put(aliases, Array("notes/b.txt".utf8), [0xFF]) }
        try assertCheckFinds(["aliases: the entry of 'notes/b.txt' does not decode"])
    }

    func testADamagedDictionaryBlockIsNamed() throws {
        try indexSampleArchive()
        var word = ""
        try damage("terms") { txn, terms in
            let block = try XCTUnwrap(try txn.cursor(terms).first())
            XCTAssertEqual(block.key.first, 0x01, "the first block holds words of the text field")
            word = String(decoding: block.key.dropFirst(), as: UTF8.self)
            try txn.put(terms, Array(block.key), [0xFF, 0xFF, 0x01])
        }
        assertReportsDamage(try newsidx("search", "--index", indexPath, word), ["the terms block for text:\(word)"])
        // A writer that meets the block stops there too, and says where.
        let added = try write("added.txt", "Added\n\nA new article mentions \(word) again.\n")
        assertReportsDamage(try newsidx("index", "--index", indexPath, added), ["the terms block for text:\(word)"])
        try assertCheckFinds(["terms: block text:\(word)", "does not decode"])
        // The other blocks' terms are still checked.
        let summary = try XCTUnwrap(newsidx("check", "--index", indexPath).lines.last)
        let termsPart = summary.components(separatedBy: ", ").first { $0.hasSuffix(" terms") } ?? ""
        XCTAssertGreaterThan(Int(termsPart.dropLast(" terms".count)) ?? 0, 100, summary)
    }

    /// A word after a garbled key in its dictionary block: the lookup stops at the garbled key,
    /// which sorts past the word, and had answered "no match" (exit 1) from a damaged index.
    func testAWordHiddenByADamagedKeyIsDamageNotAMiss() throws {
        let article = try write("words.txt", "Words\n\nalpha bravo charlie delta echo foxtrot golf hotel india juliet\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "--stemmer", "none", article).status, 0)
        var hidden = ""
        try damage("terms") { txn, terms in
            let block = try XCTUnwrap(try txn.cursor(terms).first())
            var value = Array(block.value)
            var walk = DictionaryBlockBytes(value)
            walk.skipRecord()  // the first term's key is the block's LMDB key
            var key = Array(block.key)
            let secondSuffix = walk.readKey(&key)
            walk.skipRecord()
            _ = walk.readKey(&key)
            hidden = String(decoding: key.dropFirst(), as: UTF8.self)
            value[secondSuffix] = 0xFF  // the second key now sorts after every word
            try txn.put(terms, Array(block.key), value)
        }
        XCTAssertFalse(hidden.isEmpty)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "aardvark").status, 1, "a word before every block is still a miss")
        assertReportsDamage(try newsidx("search", "--index", indexPath, hidden), ["the terms block for text:\(hidden)"])
    }

    /// The sample archive, whose words all keep their one block inline in `terms`, and an
    /// article long enough that its words' blocks go to the postings and positions tables.
    func indexSampleArchiveWithTableBlocks() throws {
        try indexSampleArchive()
        let long = try write("long.txt", "The long report\n\n" + String(repeating: "Much of the talk was of the river and the sea. ", count: 200))
        let r = try newsidx("index", "--index", indexPath, long)
        XCTAssertEqual(r.status, 0, r.description)
    }

    func testMissingPositionsAreNamedByTermAndBlock() throws {
        try indexSampleArchiveWithTableBlocks()
        try damage("positions") { txn, positions in try txn.clear(positions) }
        assertReportsDamage(try newsidx("search", "--index", indexPath, "\"of the\""), ["no positions for text:", "block ending at doc"])
        try assertCheckFinds(["no positions for the block ending at doc"])
    }

    func testGarbledPostingsAreNamedByTermAndBlock() throws {
        try indexSampleArchiveWithTableBlocks()
        try damage("postings") { txn, postings in
            let cursor = try txn.cursor(postings)
            var keys: [[UInt8]] = []
            var entry = try cursor.first()
            while let e = entry {
                keys.append(Array(e.key))
                entry = try cursor.next()
            }
            XCTAssertFalse(keys.isEmpty, "the long article's words have blocks in the tables")
            for key in keys { try txn.put(postings, key, [0x05]) }  // five documents, and nothing more
        }
        assertReportsDamage(try newsidx("search", "--index", indexPath, "the"), ["postings of text:the, block ending at doc"])
        try assertCheckFinds(["term text:the", "does not decode"])
    }

    /// Tf codes that end short of their value (a byte too many) still decode: the search had
    /// ranked on them at exit 0, and `--count` had counted. Every block of "the" gains a byte.
    func testTFCodesThatDoNotFillTheirValueFailTheSearch() throws {
        try indexSampleArchiveWithTableBlocks()
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--no-snippets", "the").status, 0)
        try damage("postings") { txn, postings in
            let cursor = try txn.cursor(postings)
            var entries: [(key: [UInt8], value: [UInt8])] = []
            var entry = try cursor.first()
            while let e = entry {
                entries.append((Array(e.key), Array(e.value)))
                entry = try cursor.next()
            }
            for e in entries { try txn.put(postings, e.key, e.value + [0x00]) }
        }
        for mode in [["--no-snippets"], ["--explain", "--limit", "1"]] {
            assertReportsDamage(try CLI.run(["search", "--index", indexPath] + mode + ["the"], in: tmp),
                                ["postings of text:the, block ending at doc", "its tf codes do not decode"])
        }
        try assertCheckFinds(["term text:the", "does not decode"])
    }

    /// A page LMDB cannot take for what the tree says it is (here: a `positions` leaf whose
    /// header no longer says leaf). LMDB ends the reading transaction there: the search says so
    /// and points to `check`, and `check` reports where it had to stop instead of failing.
    func testAPageLMDBRejectsIsReportedByCheck() throws {
        try indexSampleArchiveWithTableBlocks()
        try unmarkLeafPageOfFirstEntry(in: "positions")
        let r = try newsidx("search", "--index", indexPath, "\"of the\"")
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertTrue(r.err.contains("MDB_CORRUPTED") && r.err.contains("`newsidx check` lists every damaged part"), r.err)
        try assertCheckFinds(["checking stopped where LMDB found a damaged page", "the rest was not checked"])
    }

    /// The same met while check reads a document's stored text, among reads whose other errors
    /// are one problem each: LMDB's must still stop the check, exit 1 (it had gone on to the next
    /// read, which LMDB refused as a bad transaction: exit 2).
    func testAPageLMDBRejectsInStoredTextStopsCheck() throws {
        try indexSampleArchive()
        try unmarkLeafPageOfFirstEntry(in: "text")
        try assertCheckFinds(["docs: checking stopped where LMDB found a damaged page", "the rest was not checked"])
    }

    /// Clears the page-kind flags of the leaf page holding `table`'s first value, so that LMDB
    /// rejects the page when a read reaches it.
    func unmarkLeafPageOfFirstEntry(in table: String) throws {
        var value: [UInt8] = []
        try damage(table) { txn, opened in
            value = Array(try XCTUnwrap(try txn.cursor(opened).first()).value)
        }
        XCTAssertGreaterThan(value.count, 16, "a value long enough to find in the file")
        let file = tmp.appendingPathComponent("idx/data.mdb")
        var bytes = try Data(contentsOf: file)
        let at = try XCTUnwrap(bytes.range(of: Data(value))?.lowerBound, "the value lies in the data file")
        let pageSize = 4_096, flagsOffset = 10  // LMDB 0.9's page header: number, pad, then flags
        let page = at / pageSize * pageSize
        bytes[page + flagsOffset] = 0
        bytes[page + flagsOffset + 1] = 0
        try bytes.write(to: file)
    }

    /// A writer that reads a document's input again, finds its content indexed, but cannot find
    /// it by its id, reports the damage (it recorded the input as a copy of itself, exit 0).
    func testAnIDTheIdsTableLostIsReportedByIndex() throws {
        try indexHarbourFixture()
        try damage("ids") { txn, ids in XCTAssertTrue(try txn.delete(ids, Array("tide-1".utf8))) }
        let file = tmp.appendingPathComponent("harbour.jsonl")
        try (Fixture.harbourJSONL + #"{"id":"tide-9","text":"A new note about the slipway."}"# + "\n").write(to: file, atomically: true, encoding: .utf8)
        assertReportsDamage(try newsidx("index", "--index", indexPath, file.path), ["the ids table does not map 'tide-1' to its document"])
    }

    /// The same with the document's record damaged instead: `ids` gives the document for the
    /// id, whose record holds another.
    func testARecordHoldingAnotherIDIsReportedByIndex() throws {
        try indexHarbourFixture()
        let file = tmp.appendingPathComponent("idx/data.mdb")
        var bytes = try Data(contentsOf: file)
        // tide-1's record: its id as a varint-length string, then its title's.
        let record = Data([6] + Array("tide-1".utf8) + [31] + Array("Spring".utf8))
        let at = try XCTUnwrap(bytes.range(of: record)?.lowerBound, "the docs record lies in the data file")
        bytes[at + 6] = UInt8(ascii: "X")
        try bytes.write(to: file)
        let harbour = tmp.appendingPathComponent("harbour.jsonl")
        try (Fixture.harbourJSONL + #"{"id":"tide-9","text":"A new note about the slipway."}"# + "\n").write(to: harbour, atomically: true, encoding: .utf8)
        assertReportsDamage(try newsidx("index", "--index", indexPath, harbour.path), ["which the ids table gives for 'tide-1', holds the id 'tide-X'"])
    }

    /// A record read from a JSON Lines file keeps that file's number, which `origins` must hold.
    func testARecordsFileMissingFromOriginsIsFound() throws {
        try indexHarbourFixture()
        try damage("origins") { txn, origins in try txn.clear(origins) }
        try assertCheckFinds(["doc 0 (tide-1)", "its file's number 1 is not in origins"])
    }

    /// A prefix search looks stems up through the `words` table: an entry turned into another
    /// word, or into bytes that are no text, is named by check.
    func testADamagedWordsEntryIsFound() throws {
        try indexHarbourFixture(stemmer: "english")
        try damage("words") { txn, words in
            let cursor = try txn.cursor(words)
            let first = try XCTUnwrap(try cursor.first())
            let word = Array(first.key)
            try txn.put(words, word, word)
            try txn.put(words, Array("harbourz".utf8), [0xFF, 0xFE])
        }
        try assertCheckFinds(["words: '", "has the stem '"])
        try assertCheckFinds(["words: 'harbourz' has the stem '\\xff\\xfe'"])
    }

    /// Flags the `ids` node of "tide-2" as holding duplicate values, in a table without them:
    /// LMDB then goes through a null pointer (as random damage did, once in 13 tries).
    private func flagIDNodeAsHoldingDuplicates() throws {
        try indexHarbourFixture()
        let file = tmp.appendingPathComponent("idx/data.mdb")
        var bytes = try Data(contentsOf: file)
        // Data size 4 (lo, hi), flags 0, key size 6, then the key.
        let node = Data([4, 0, 0, 0, 0, 0, 6, 0] + Array("tide-2".utf8))
        let at = try XCTUnwrap(bytes.range(of: node)?.lowerBound, "the ids node lies in the data file")
        bytes[at + 4] = 0x04  // F_DUPDATA
        try bytes.write(to: file)
    }

    /// check reports such damage, exit 1, where it had died of SIGSEGV.
    func testDamageThatCrashesLMDBIsReportedByCheck() throws {
        try flagIDNodeAsHoldingDuplicates()
        let r = try newsidx("check", "--index", indexPath)
        XCTAssertEqual(r.status, 1, r.description)
        XCTAssertTrue(r.err.contains("index data is corrupt: check crashed reading it (signal 11"), r.description)
        XCTAssertFalse(r.err.contains("Backtrac"), "the report, not Swift's backtrace: \(r.err)")
    }

    /// The same damage met by other commands is reported as damage, exit 2 (they died of
    /// SIGSEGV: `show` and `delete` of the id, found by a QA review).
    func testDamageThatCrashesLMDBIsReportedByEveryCommand() throws {
        try flagIDNodeAsHoldingDuplicates()
        for command in ["show", "delete"] {
            let r = try newsidx(command, "--index", indexPath, "tide-2")
            assertReportsDamage(r, ["reading it crashed (signal 11"])
        }
    }

    /// Another document's text under a document's key (a stray write within the table) is found
    /// by its title, which the stored text must begin with.
    func testStoredTextOfAnotherDocumentIsFound() throws {
        try indexSampleArchive()
        let ids = try newsidx("search", "--index", indexPath, "--format", "paths", "--limit", "2", "the").lines
        XCTAssertEqual(ids.count, 2)
        let env = try Environment(path: indexPath)
        let tables = try env.openTables(["ids", "text"], create: false)
        try env.write { txn in
            let docs = try ids.map { Array(try XCTUnwrap(try txn.get(tables["ids"]!, Array($0.utf8)))) }
            let cursor = try txn.cursor(tables["text"]!)
            var parts: [[UInt8]] = []
            while let e = try cursor.seek(atLeast: docs[0] + [0, 0]), e.key.starts(with: docs[0]) {
                try cursor.deleteCurrent()
            }
            var entry = try cursor.seek(atLeast: docs[1] + [0, 0])
            while let e = entry, e.key.starts(with: docs[1]) {
                parts.append(Array(e.value))
                entry = try cursor.next()
            }
            for (part, value) in parts.enumerated() {
                try txn.put(tables["text"]!, docs[0] + [UInt8(part >> 8), UInt8(part & 0xFF)], value)
            }
        }
        try assertCheckFinds(["(\(ids[0]))", "stored text does not begin with its title"])
    }

    /// Every stored text ends in a checksum of itself, which reading checks: a changed byte is
    /// damage `show`, a search's snippets and `check` name, never other text printed.
    func testStoredTextThatFailsItsChecksumIsNamed() throws {
        let id = try damageStoredTextOfTopHit { txn, text, doc in
            let cursor = try txn.cursor(text)
            var last: (key: [UInt8], value: [UInt8])?
            var entry = try cursor.seek(atLeast: doc + [0, 0])
            while let e = entry, e.key.starts(with: doc) {
                last = (Array(e.key), Array(e.value))
                entry = try cursor.next()
            }
            var (key, value) = try XCTUnwrap(last)
            value[value.count - 1] ^= 0x01  // the checksum's last byte: the text itself still decodes
            try txn.put(text, key, value)
        }
        assertReportsDamage(try newsidx("show", "--index", indexPath, id), ["stored text of doc", "(\(id))", "checksum"])
        let search = try newsidx("search", "--index", indexPath, "--limit", "1", "the")
        XCTAssertEqual(search.status, 2, search.description)
        // A batch stops at the damage, but the answers before it and that line's error are
        // written first (they had been left unflushed in the buffer: no output at all).
        let batch = try newsidx("search", "--index", indexPath, "--batch", "--snippets", "--limit", "1",
                                stdin: "zzzqqq\nthe\nharbour\n")
        XCTAssertEqual(batch.status, 2, batch.description)
        let answers = try batch.jsonLines()
        XCTAssertEqual(answers.map { $0["query"] as? Int }, [1, 2], batch.out)
        XCTAssertEqual(answers.first?["count"] as? Int, 0)
        XCTAssertTrue((answers.last?["error"] as? String)?.contains("checksum") == true, batch.out)
        // The failed line's answer is its number and error alone: it had held the count, which
        // a reader testing for one took as an answer (found by an output QA helper).
        XCTAssertEqual(answers.last.map { Set($0.keys) }, ["query", "error"], batch.out)
        // JSON written hit by hit ends where the damage is met, still parses, and says in an
        // `error` that its list is cut (it had closed as though whole).
        let json = try newsidx("search", "--index", indexPath, "--format", "json", "--limit", "5", "the")
        XCTAssertEqual(json.status, 2, json.description)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        XCTAssertNotNil(object?["hits"] as? [Any], json.out)
        XCTAssertTrue((object?["error"] as? String)?.contains("checksum") == true, json.out)
        try assertCheckFinds(["(\(id))", "checksum"])
    }

    /// A stored-text part larger than a page is a damaged node header (LMDB keeps every part on
    /// a leaf page): read as given it had run past the page and, near the file's end, died of
    /// SIGBUS. Here the part is made large through LMDB, so it reads back whole.
    func testAStoredTextPartLargerThanAPageIsDamage() throws {
        let id = try damageStoredTextOfTopHit { txn, text, doc in
            try txn.put(text, doc + [0, 0], [UInt8](repeating: 0x28, count: 5_000))
        }
        assertReportsDamage(try newsidx("show", "--index", indexPath, id), ["stored text of doc", "5000 bytes, more than a page holds"])
        try assertCheckFinds(["(\(id))", "more than a page holds"])
    }

    /// A damaged block that an `index` run continues is named with its word: the run had said
    /// only "unary codes end early".
    func testADamagedBlockAnIndexRunContinuesIsNamed() throws {
        // 300 records with "tide" in each: its blocks are in the tables, the last one partial.
        let records = (0..<300).map { #"{"id":"r\#($0)","text":"The tide table number \#($0) for the harbour."}"# }
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "-", stdin: records.joined(separator: "\n") + "\n").status, 0)
        try damage("postings") { txn, table in
            let cursor = try txn.cursor(table)
            var keys: [[UInt8]] = []
            var entry = try cursor.first()
            while let e = entry { keys.append(Array(e.key)); entry = try cursor.next() }
            XCTAssertFalse(keys.isEmpty)
            for key in keys { try txn.put(table, key, [0x05, 0x00, 0x01, 0x01, 0xFF]) }
        }
        let more = try write("more.txt", "Heron count\n\nThe herons stood in the shallows of the bay at low tide.\n")
        assertReportsDamage(try newsidx("index", "--index", indexPath, more), ["the last block of text:t", "which this batch continues"])
    }

    /// LMDB's free-page list pointed at a page of table names (its root in both meta pages set to
    /// the main table's): every read is sound, but a writer would take pages from garbage, so
    /// `index` refuses to write and `check` names it (it had said ok, and `index` failed on
    /// another table or trapped summing the garbage).
    func testADamagedFreePageListStopsWritersAndIsFoundByCheck() throws {
        try indexSampleArchive()
        let data = URL(fileURLWithPath: indexPath + "/data.mdb")
        var bytes = try Data(contentsOf: data)
        for meta in [0, 4096] {
            // Meta page: 16-byte page header, then magic, version, address, map size; the free
            // table's record at 40 (depth at +6, root at +40), the main table's at 88.
            let mainRoot = bytes.subdata(in: (meta + 128)..<(meta + 136))
            bytes.replaceSubrange((meta + 80)..<(meta + 88), with: mainRoot)
            bytes.replaceSubrange((meta + 46)..<(meta + 48), with: [1, 0])
        }
        try bytes.write(to: data)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "the").status, 0, "reads never touch the list")
        let more = try write("more.txt", "Heron count\n\nNine herons stood in the shallows at low tide.\n")
        assertReportsDamage(try newsidx("index", "--index", indexPath, more), ["free-page list", "reuse pages still in use"])
        try assertCheckFinds(["free pages:", "no list of pages"])
    }

    /// Stored text that is gone is damage, not an empty document: `show` says so, and so does `check`.
    func testMissingStoredTextIsReportedNotShownEmpty() throws {
        let id = try damageStoredTextOfTopHit { txn, text, doc in
            let cursor = try txn.cursor(text)
            var parts = 0
            while let e = try cursor.seek(atLeast: doc + [0, 0]), e.key.starts(with: doc) {
                try cursor.deleteCurrent()
                parts += 1
            }
            XCTAssertGreaterThan(parts, 0)
        }
        assertReportsDamage(try newsidx("show", "--index", indexPath, id), ["stored text of doc", "(\(id)) is missing"])
        try assertCheckFinds(["(\(id)) is missing"])
    }
}

/// Just enough of a `terms` block's layout (ARCHITECTURE.md) to find its keys' bytes.
private struct DictionaryBlockBytes {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        _ = varint()  // term count
    }

    mutating func varint() -> Int {
        var value = 0, shift = 0
        while true {
            let b = bytes[offset]
            offset += 1
            value |= Int(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    /// A record: 0 and three varints, or an inline block's two lengths and bytes.
    mutating func skipRecord() {
        let first = varint()
        if first == 0 {
            for _ in 0..<3 { _ = varint() }
        } else {
            let positions = varint()
            offset += first + positions
        }
    }

    /// Rebuilds the next key in `key`; returns the offset of its suffix's first byte.
    mutating func readKey(_ key: inout [UInt8]) -> Int {
        let shared = varint(), length = varint()
        let start = offset
        key = Array(key.prefix(shared)) + bytes[start..<start + length]
        offset += length
        return start
    }
}

