// InvertedIndex: `newsidx check`: every invariant of the on-disk format, verified from scratch.
// Owns the list of what can be wrong with an index and how each problem is named.
import Analysis
import Storage

/// Walks the whole index and reports each broken invariant in words.
public struct IntegrityCheck {
    public private(set) var problems: [String] = []
    public private(set) var checkedTerms = 0
    public private(set) var checkedDocuments = 0
    public private(set) var checkedPostings = 0
    /// Posting blocks found in the tables under the ids of the terms checked.
    private var termBlocks = 0
    private var termBlocksSound = false
    private let reader: IndexReader
    private let txn: Transaction
    private let store: IndexStore
    private var lengths: [UInt32: (text: UInt32, title: UInt32)] = [:]
    /// Numbers of the JSON Lines files in `origins`.
    private var originNumbers = Set<UInt32>()
    /// Problems past this many are counted, not listed.
    public let listLimit = 200
    public private(set) var problemCount = 0

    public init(reader: IndexReader) {
        self.reader = reader
        txn = reader.txn
        store = reader.store
    }

    public mutating func run() throws {
        let parts: [(String, (inout IntegrityCheck) throws -> Void)] = [
            ("meta", { try $0.checkTextDictionaries() }), ("docs", { try $0.checkDocuments() }),
            ("ids", { try $0.checkIDs() }), ("aliases", { try $0.checkAliases() }), ("words", { try $0.checkStemmedWords() }),
            ("terms", { try $0.checkTerms() }), ("tables", { try $0.checkTableCounts() }),
            // Last: LMDB ends the transaction at damage it finds there, as anywhere.
            ("free pages", { try $0.checkFreePages() }),
        ]
        for (name, part) in parts {
            do {
                try part(&self)
            } catch where indexDamage(error) != nil {
                fail("\(name): checking stopped at \(indexDamage(error)!)")
            } catch let error as LMDBError where error.isDamage {
                // LMDB ends a transaction at the first damaged page it meets: nothing more can be read.
                fail("\(name): checking stopped where LMDB found a damaged page (\(error)); the rest was not checked")
                return
            }
        }
    }

    private mutating func fail(_ what: String) {
        problemCount += 1
        if problems.count < listLimit { problems.append(what) }
    }

    private mutating func checkDocuments() throws {
        let stats = reader.stats
        try checkOrigins()
        var count: UInt64 = 0, textSum: UInt64 = 0, titleSum: UInt64 = 0
        let cursor = try txn.cursor(store.table(Format.TableName.docs))
        var entry = try cursor.first()
        while let e = entry {
            if let record = try checkDocumentEntry(key: e.key, value: e.value, nextDocID: stats.nextDocID) {
                count += 1
                textSum += UInt64(record.textLength)
                titleSum += UInt64(record.titleLength)
            }
            entry = try cursor.next()
        }
        checkedDocuments = Int(count)
        if count != stats.documents { fail("stats: \(stats.documents) documents recorded, \(count) present") }
        if textSum != stats.textLength { fail("stats: text length sum \(stats.textLength) recorded, \(textSum) present") }
        if titleSum != stats.titleLength { fail("stats: title length sum \(stats.titleLength) recorded, \(titleSum) present") }
    }

    /// The record of one `docs` entry, checked; nil when it does not decode.
    private mutating func checkDocumentEntry(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
                                             nextDocID: UInt32) throws -> DocumentRecord? {
        guard key.count == 4 else { fail("docs: key of \(key.count) bytes"); return nil }
        let doc = Keys.readBigEndian(key)
        guard let record = try? DocumentRecord.decode(value) else { fail("doc \(doc): record does not decode"); return nil }
        lengths[doc] = (record.textLength, record.titleLength)
        try checkDocument(doc, record, nextDocID: nextDocID)
        return record
    }

    private mutating func checkDocument(_ doc: UInt32, _ record: DocumentRecord, nextDocID: UInt32) throws {
        let name = "doc \(doc) (\(record.externalID))"
        if doc >= nextDocID { fail("\(name): id not below next doc id \(nextDocID)") }
        if record.titleLength > record.textLength { fail("\(name): title longer than text") }
        let mapped = try txn.get(store.table(Format.TableName.ids), IDKey.make(record.externalID))
        if mapped.map({ Array($0) }) != Keys.docID(doc) { fail("\(name): ids table does not map its id back to it") }
        do {
            let n = try reader.norms(of: doc)
            if n.text != record.textLength || n.title != record.titleLength || n.day != record.date.flatMap(DayNumber.of) {
                fail("\(name): norms differ from its record")
            }
        } catch let error as LMDBError {
            throw error
        } catch {
            fail("\(name): no norms")
        }
        do {
            let text = try reader.storedText(doc)
            if !record.title.isEmpty && !text.hasPrefix(record.title) { fail("\(name): stored text does not begin with its title") }
        } catch let error as LMDBError {
            throw error
        } catch {
            fail(indexDamage(error) ?? "\(name): stored text: \(error)")
        }
        let hashDoc = try txn.get(store.table(Format.TableName.hashes), Keys.hash(record.source.contentHash))
        if hashDoc == nil { fail("\(name): content hash not in the hashes table") }
        let origin = record.source.origin
        if origin != 0 && !originNumbers.contains(origin) { fail("\(name): its file's number \(origin) is not in origins") }
    }

    /// Each JSON Lines file has a number of its own.
    private mutating func checkOrigins() throws {
        do {
            let numbers = try OriginNumbers.read(txn: txn, table: store.table(Format.TableName.origins))
            originNumbers = Set(numbers.values)
            if originNumbers.count != numbers.count || originNumbers.contains(0) {
                fail("origins: \(numbers.count) files hold \(originNumbers.subtracting([0]).count) distinct numbers above 0")
            }
        } catch let error as LMDBError {
            throw error
        } catch {
            fail("origins: \(Self.damage(error))")
        }
    }

    /// Each stored dictionary matches its checksum and id; the current one exists. (Documents'
    /// frames are checked against them when every stored text is decompressed.)
    private mutating func checkTextDictionaries() throws {
        let meta = store.table(Format.TableName.meta)
        for id in try TextDictionaryStore.allIDs(txn: txn, meta: meta) {
            do {
                _ = try TextDictionaryStore.load(id, txn: txn, meta: meta)
            } catch let error as LMDBError {
                throw error
            } catch {
                fail("meta: \(Self.damage(error))")
            }
        }
        do {
            _ = try TextDictionaryStore.current(txn: txn, meta: meta)
        } catch let error as LMDBError {
            throw error
        } catch {
            fail("meta: current text dictionary: \(Self.damage(error))")
        }
    }

    private mutating func checkIDs() throws {
        let cursor = try txn.cursor(store.table(Format.TableName.ids))
        var entry = try cursor.first()
        while let e = entry {
            let id = String(decoding: e.key, as: UTF8.self)
            if e.value.count != 4 {
                fail("ids: '\(id)' maps to \(e.value.count) bytes")
            } else if lengths[Keys.readBigEndian(e.value)] == nil {
                fail("ids: '\(id)' maps to doc \(Keys.readBigEndian(e.value)), which does not exist")
            }
            entry = try cursor.next()
        }
    }

    /// Every identical copy's and finished file's entry decodes. Damaged `aliases` pages had
    /// passed `check` while `duplicates` and `index` stopped at them (a fault QA helper). A copy
    /// may name a document since removed: readers pass such entries over.
    private mutating func checkAliases() throws {
        let cursor = try txn.cursor(store.table(Format.TableName.aliases))
        var entry = try cursor.first()
        while let e = entry {
            let isFile = e.key.starts(with: FileEntry.keyPrefix.utf8)
            if (isFile ? (try? FileEntry.decode(e.value)) == nil : (try? CopyEntry.decode(e.value)) == nil) {
                fail("aliases: the entry of '\(IntegrityCheck.printable(Array(e.key)[...]))' does not decode")
            }
            entry = try cursor.next()
        }
    }

    /// Each word's stem is text no longer than a token and differs from the word: a damaged
    /// entry would have a prefix search look up a term no word has. A stem may have no term
    /// (its documents deleted), as a word once met stays.
    private mutating func checkStemmedWords() throws {
        guard let table = store.optionalTable(Format.TableName.words) else { return }
        let cursor = try txn.cursor(table)
        var entry = try cursor.first()
        while let e = entry {
            let word = Self.printable(Array(e.key)[...])
            if e.key.count > Tokenizer.maxTokenBytes || String(validating: e.key, as: UTF8.self) == nil {
                fail("words: '\(word)' is no word (not UTF-8, or longer than \(Tokenizer.maxTokenBytes) bytes)")
            } else if e.value.isEmpty || e.value.count > Tokenizer.maxTokenBytes || e.value.elementsEqual(e.key)
                        || String(validating: e.value, as: UTF8.self) == nil {
                fail("words: '\(word)' has the stem '\(Self.printable(Array(e.value)[...]))'")
            }
            entry = try cursor.next()
        }
    }

    /// Every term of the blocks that decode, and whether all did, in order: a damaged block
    /// is reported and its terms left out, so the other terms are still checked.
    private mutating func readTermBlocks() throws -> (terms: [TermInfo], sound: Bool) {
        let cursor = try txn.cursor(store.table(Format.TableName.terms))
        var entry = try cursor.first(), previousKey: [UInt8]? = nil, sound = true
        var terms: [TermInfo] = []
        while let e = entry {
            let name = "terms: block \(Self.termName(Array(e.key)))"
            if let previousKey, !previousKey.lexicographicallyPrecedes(e.key) {
                fail("\(name) begins before the previous block ends")
                sound = false
            }
            var walker: TermBlockWalker?
            var blockTerms: [TermInfo] = []
            do {
                walker = try TermBlockWalker(key: e.key, value: e.value)
                while let record = try walker!.next() {
                    let key = walker!.key
                    guard let field = key.first.flatMap(Field.init(rawValue:)) else {
                        throw FormatError(what: "field byte \(key.first ?? 0)")
                    }
                    blockTerms.append(TermInfo(field: field, term: String(decoding: key.dropFirst(), as: UTF8.self),
                                               record: try TermRecord.decode(record)))
                }
                previousKey = walker!.key
                terms += blockTerms
            } catch let error as FormatError {
                let term = walker.map { " at term \(Self.termName($0.key))" } ?? ""
                fail("\(name) does not decode\(term): \(error.what)")
                sound = false
            }
            entry = try cursor.next()
        }
        return (terms, sound)
    }

    /// What a reader's error says is damaged, without the "index data is corrupt" every
    /// line of the report would repeat.
    static func damage(_ error: Error) -> String { indexDamage(error) ?? "\(error)" }

    /// "field:term" for a terms key.
    static func termName(_ key: [UInt8]) -> String {
        let field = key.first.flatMap(Field.init(rawValue:))?.name ?? "field \(key.first ?? 0)"
        return field + ":" + printable(key.dropFirst())
    }

    /// A term as a message can show it: a damaged key's bytes had reached the terminal as
    /// they were (a tab, invalid UTF-8). Valid text keeps its letters and has its control
    /// characters escaped; bytes that are not UTF-8 are all shown as `\xHH` past ASCII. Past
    /// `shownBytes` it is cut, with its length: a damaged key had filled a 49 KB line.
    static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.count > shownBytes else { return escaped(bytes) }
        var end = bytes.startIndex + shownBytes
        // Not inside a character, which would turn the whole prefix into escapes.
        while end > bytes.startIndex + shownBytes - 3 && (0x80..<0xC0).contains(bytes[end]) { end -= 1 }
        return escaped(bytes[..<end]) + "… (\(bytes.count) bytes)"
    }

    /// Longer than any term (`Tokenizer.maxTokenBytes` and a field byte).
    static let shownBytes = 128

    private static func escaped(_ bytes: ArraySlice<UInt8>) -> String {
        func hex(_ value: UInt32) -> String { "\\x" + (value < 16 ? "0" : "") + String(value, radix: 16) }
        // Backslashes too, so that an escape cannot be told from the text.
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return bytes.map { $0 == 0x5C ? "\\\\" : (0x20..<0x7F).contains($0) ? String(UnicodeScalar($0)) : hex(UInt32($0)) }.joined()
        }
        return text.unicodeScalars.map { s in
            if s == "\\" { return "\\\\" }
            if s.value < 0x20 || (0x7F..<0xA0).contains(s.value) { return hex(s.value) }
            return rearranging.contains(s.value) ? "\\u{" + String(s.value, radix: 16) + "}" : String(s)
        }.joined()
    }

    /// Line and direction controls, which would rearrange a message around them.
    private static let rearranging: Set<UInt32> = [0x2028, 0x2029, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D,
                                                   0x202E, 0x2066, 0x2067, 0x2068, 0x2069]

    private mutating func checkTerms() throws {
        let (terms, sound) = try readTermBlocks()
        termBlocksSound = sound
        var fieldSums: [Field: UInt64] = [:]
        var termIDs = Set<UInt32>()
        for info in terms {
            checkedTerms += 1
            if info.inline == nil {
                if !termIDs.insert(info.id).inserted { fail("term \(info.name): id \(info.id) used twice") }
                if info.id >= reader.stats.nextTermID { fail("term \(info.name): id not below next term id") }
            }
            let tfs = try checkPostings(info)
            // Pairs of Chinese or Japanese characters are stacked on their first character's
            // position: they take no length.
            if !(store.eastAsian == .pairs && EastAsianTerms.isPair(info.term)) { fieldSums[info.field, default: 0] += tfs }
        }
        guard sound else { return }  // the sums need every term
        if fieldSums[.text, default: 0] != reader.stats.textLength {
            fail("text field: term frequencies sum to \(fieldSums[.text, default: 0]), text lengths to \(reader.stats.textLength)")
        }
        if fieldSums[.title, default: 0] != reader.stats.titleLength {
            fail("title field: term frequencies sum to \(fieldSums[.title, default: 0]), title lengths to \(reader.stats.titleLength)")
        }
    }

    /// Checks one term's blocks and positions; returns the sum of its term frequencies.
    private mutating func checkPostings(_ info: TermInfo) throws -> UInt64 {
        let name = "term \(info.field.name):\(info.term)"
        var sums = (df: UInt64(0), cf: UInt64(0), previous: UInt32?.none)
        if let inline = info.inline {
            try inline.postings.withUnsafeBytes { block in
                try inline.positions.withUnsafeBytes { try checkBlock(block, positions: $0, keyLastDoc: nil, info: info, name: name, sums: &sums) }
            }
            return sums.cf
        }
        let cursor = try txn.cursor(store.table(Format.TableName.postings))
        var entry = try cursor.seek(atLeast: Keys.block(term: info.id, lastDoc: 0))
        while let e = entry, e.key.count == 8, Keys.readBigEndian(e.key) == info.id {
            termBlocks += 1
            let lastDoc = Keys.readBigEndian(e.key, at: 4)
            let positions = try txn.get(store.table(Format.TableName.positions), Array(e.key))
            if positions == nil { fail("\(name): no positions for the block ending at doc \(lastDoc)") }
            try checkBlock(e.value, positions: positions, keyLastDoc: lastDoc, info: info, name: name, sums: &sums)
            entry = try cursor.next()
        }
        if sums.df != info.documentFrequency { fail("\(name): df \(info.documentFrequency) recorded, \(sums.df) postings") }
        if sums.cf != info.collectionFrequency { fail("\(name): collection frequency \(info.collectionFrequency) recorded, \(sums.cf) counted") }
        return sums.cf
    }

    /// One block, from the tables (with the last doc its key names) or inline; adds its
    /// postings to `sums`.
    private mutating func checkBlock(_ raw: UnsafeRawBufferPointer, positions: UnsafeRawBufferPointer?, keyLastDoc: UInt32?,
                                     info: TermInfo, name: String,
                                     sums: inout (df: UInt64, cf: UInt64, previous: UInt32?)) throws {
        let blockName = keyLastDoc.map { "block ending at doc \($0)" } ?? "inline block"
        guard let block = try? DecodedBlock(raw) else {
            fail("\(name): \(blockName) does not decode")
            return
        }
        if let lastDoc = keyLastDoc, block.docs.last != lastDoc {
            fail("\(name): block key says last doc \(lastDoc), block ends at \(block.docs.last ?? 0)")
        }
        if let p = sums.previous, let first = block.docs.first, first <= p { fail("\(name): doc ids out of order at \(first)") }
        if zip(block.docs, block.docs.dropFirst()).contains(where: { $0 >= $1 }) { fail("\(name): doc ids out of order in a block") }
        if block.summary.maxTF != block.tfs.max() { fail("\(name): block max tf \(block.summary.maxTF) is wrong") }
        checkBlockDocs(block, positions: positions, info: info, name: name)
        sums.df += UInt64(block.docs.count)
        sums.cf += block.tfs.reduce(0) { $0 + UInt64($1) }
        checkedPostings += block.docs.count
        sums.previous = block.docs.last
    }

    private mutating func checkBlockDocs(_ block: DecodedBlock, positions raw: UnsafeRawBufferPointer?, info: TermInfo, name: String) {
        var minLength = UInt32.max
        var walker: PositionsWalker?
        do {
            walker = try raw.map { try PositionsWalker($0, docs: block.docs.count, totalTF: block.tfs.reduce(0) { $0 + Int($1) }) }
        } catch {
            fail("\(name): positions of the block ending at doc \(block.docs.last ?? 0) do not decode: \(Self.damage(error))")
            walker = nil
        }
        for (doc, tf) in zip(block.docs, block.tfs) {
            let positions = try? walker?.read(tf: tf)
            guard let l = lengths[doc] else {
                fail("\(name): posting for doc \(doc), which does not exist")
                continue
            }
            let fieldLength = info.field == .text ? l.text : l.title
            minLength = min(minLength, fieldLength)
            guard let positions else { continue }
            if zip(positions, positions.dropFirst()).contains(where: { $0 >= $1 }) { fail("\(name): positions of doc \(doc) out of order") }
            for p in positions where !Self.inField(p, field: info.field, text: l.text, title: l.title) {
                fail("\(name): position \(p) of doc \(doc) outside its field")
                break
            }
        }
        if minLength != UInt32.max && block.summary.minLength != minLength {
            fail("\(name): block min length \(block.summary.minLength), documents say \(minLength)")
        }
    }

    /// Title positions are 0..<title; body positions follow one empty slot after the title.
    static func inField(_ p: UInt32, field: Field, text: UInt32, title: UInt32) -> Bool {
        if p < title { return true }
        guard field == .text else { return false }
        let bodyStart = title == 0 ? 0 : title + Format.bodyPositionGap
        return p >= bodyStart && p < bodyStart + (text - title)
    }

    /// LMDB's list of free pages: damage there passes every read and stops the next `index` run
    /// ("MDB_PAGE_NOTFOUND" while putting into some table), so `check` had said ok to an index
    /// that could no longer be written.
    private mutating func checkFreePages() throws {
        let pageCount = try store.env.requiredFileSize() / store.env.pageSize
        for problem in try txn.freePages(pageCount: pageCount).problems { fail("free pages: \(problem)") }
    }

    private mutating func checkTableCounts() throws {
        let postings = try txn.stats(store.table(Format.TableName.postings)).entries
        let positions = try txn.stats(store.table(Format.TableName.positions)).entries
        if postings != positions { fail("tables: \(postings) posting blocks but \(positions) position values") }
        // Blocks under an id no term holds (an inline term's, say) are counted by no term.
        if termBlocksSound && postings != termBlocks { fail("tables: \(postings) posting blocks, of which \(termBlocks) belong to terms") }
        let ids = try txn.stats(store.table(Format.TableName.ids)).entries
        if ids != checkedDocuments { fail("tables: \(ids) ids for \(checkedDocuments) documents") }
    }
}
