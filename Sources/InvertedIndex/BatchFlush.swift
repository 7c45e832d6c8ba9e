// InvertedIndex: writing one batch into LMDB inside one write transaction.
// Owns term id assignment, continuing a term's last partial block, and append-ordered puts.
import Analysis
import Storage

struct BatchFlush {
    let store: IndexStore
    let txn: Transaction
    let batch: BatchBuilder
    let analyzer: Analyzer
    let compressor: TextCompressor
    let decompressor: TextDecompressor

    /// Returns how many documents were removed. `renamed` holds the ids that documents were
    /// renamed to (handed over to a copy) by this run's earlier batches, and gains this one's.
    func write(stats: inout CollectionStats, renamed: inout Set<ExactID>) throws -> Int {
        try OriginNumbers.write(batch.origins, txn: txn, table: store.table(Format.TableName.origins))
        try dropAliases()
        // Copies recorded in this batch first, so that a document this batch removes is handed
        // to a copy made in the same run (it had been lost), and an old copy entry this batch
        // replaces is not used (its id had been given the document's old text).
        try writeAliases()
        let removals = try batch.removals + documentsRenamedAndReplaced(renamed)
        let promoted = try AliasPromotion(store: store, txn: txn)
            .promote(removals, incoming: batch.documents.lazy.map { $0.record.externalID })
        renamed.formUnion(promoted.values.map(ExactID.init))
        let removal = DocumentRemoval(store: store, txn: txn, analyzer: analyzer, decompressor: decompressor)
        let removed = try removal.remove(removals.filter { promoted[$0] == nil }, stats: &stats)
        try writeRestamps()
        for adopted in batch.newDictionaries {
            try TextDictionaryStore.add(adopted, txn: txn, meta: store.table(Format.TableName.meta))
        }
        try writeDocuments(stats: &stats)
        try writeNorms()
        try writeTerms(stats: &stats)
        try writeStemmedWords()
        return removed
    }

    /// Adds the batch's words not in the `words` table yet, in key order through one cursor;
    /// a word already there keeps its entry (its stem is the same: the stemmer is the index's).
    private func writeStemmedWords() throws {
        guard !batch.stemmedWords.isEmpty, let table = store.optionalTable(Format.TableName.words) else { return }
        let cursor = try txn.cursor(table)
        for word in batch.stemmedWords.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            try cursor.putIfAbsent(word, batch.stemmedWords[word]!)
        }
    }

    /// Documents an earlier batch of the run renamed to a copy's id, whose file this batch
    /// read again with other text (as a document or a copy of another): the earlier batch
    /// was written before that file was read, and its text is now in no file.
    private func documentsRenamedAndReplaced(_ renamed: Set<ExactID>) throws -> [UInt32] {
        guard !renamed.isEmpty else { return [] }
        let ids = store.table(Format.TableName.ids)
        let written = batch.documents.map(\.record.externalID) + batch.aliases.map(\.externalID)
        var stale: [UInt32] = []
        for id in written where renamed.contains(ExactID(id)) {
            if let raw = try txn.get(ids, IDKey.make(id)), raw.count == 4 { stale.append(Keys.readBigEndian(raw)) }
        }
        return stale.filter { !batch.removals.contains($0) }
    }

    /// Aliases deleted or pruned, gone before any document could be handed over to them.
    private func dropAliases() throws {
        let aliases = store.table(Format.TableName.aliases)
        for id in batch.droppedAliases { try txn.delete(aliases, IDKey.make(id)) }
    }

    private func writeRestamps() throws {
        let docs = store.table(Format.TableName.docs)
        for (doc, source) in batch.restamps {
            guard let raw = try txn.get(docs, Keys.docID(doc)) else { continue }
            var record = try DocumentRecord.decode(raw)
            record.source = source
            try txn.put(docs, Keys.docID(doc), record.encoded())
        }
    }

    /// Aliases and JSON Lines file stamps: key id or path, value doc id (or record count) and stamp.
    private func writeAliases() throws {
        let aliases = store.table(Format.TableName.aliases)
        for (id, source, canonical) in batch.aliases {
            try txn.put(aliases, IDKey.make(id), CopyEntry(canonical: canonical, source: source).encoded())
        }
        for file in batch.files {
            try txn.put(aliases, IDKey.make(FileEntry.keyPrefix + file.path), file.entry.encoded())
        }
        for path in batch.filesToReadAgain { try txn.delete(aliases, IDKey.make(FileEntry.keyPrefix + path)) }
    }

    private func writeDocuments(stats: inout CollectionStats) throws {
        let docs = store.table(Format.TableName.docs), ids = store.table(Format.TableName.ids)
        let text = store.table(Format.TableName.text)
        var fill = LeafPageFill(pageSize: store.env.pageSize)
        for (n, (id, record, pending)) in batch.documents.enumerated() {
            // Each document puts keys into `ids` and `hashes` at random places; with the
            // neighbours every fault maps, a batch held a third of a large index's file resident.
            if n % 64 == 63 { store.releaseWriterMappedPagesIfLarge() }
            let key = Keys.docID(id)
            try txn.put(docs, key, record.encoded(), flags: .append)
            let compressed: [UInt8]
            switch pending {
            case let .compressed(bytes, _, _): compressed = bytes
            case let .deferred(text): compressed = compressor.compress(text, dictionary: batch.dictionary)
            }
            try TextChunks.append(id, compressed, txn: txn, table: text, fill: &fill)
            try txn.put(ids, IDKey.make(record.externalID), key)
            try txn.put(store.table(Format.TableName.hashes), Keys.hash(record.source.contentHash), key)
            try txn.delete(store.table(Format.TableName.aliases), IDKey.make(record.externalID))
            stats.documents += 1
            stats.textLength += UInt64(record.textLength)
            stats.titleLength += UInt64(record.titleLength)
        }
    }

    /// Norms chunks fill in doc-id order; the first chunk may continue one written earlier.
    private func writeNorms() throws {
        let norms = store.table(Format.TableName.norms)
        var chunk: UInt32? = nil
        var slots: [DocumentNorms] = []
        func put() throws {
            if let c = chunk { try txn.put(norms, Keys.bigEndian(c), NormsCodec.encode(slots)) }
        }
        for (id, record, _) in batch.documents {
            let c = NormsCodec.chunk(of: id)
            if c != chunk {
                try put()
                chunk = c
                slots = NormsCodec.emptyChunk
                if let raw = try txn.get(norms, Keys.bigEndian(c)) {
                    guard let written = NormsCodec.decode(raw) else { throw IndexError.corrupt("norms chunk \(c) has \(raw.count) bytes") }
                    slots = written
                }
            }
            let norms = DocumentNorms(text: record.textLength, title: record.titleLength,
                                      day: record.date.flatMap(DayNumber.of))
            NormsCodec.set(doc: id, norms, in: &slots)
        }
        try put()
    }

    private struct TermEntry {
        /// Nil until the term has blocks in the tables.
        var termID: UInt32?
        var df: UInt64
        var cf: UInt64
        /// The term's block kept in its terms value, which this batch continues.
        var inline: InlineBlock?
    }

    /// Terms are looked up, and their records put back, in key order through one cursor:
    /// consecutive terms mostly share a block, and blocks a leaf page, which LMDB then searches
    /// without descending from the root as `Transaction.get` and `put` do for every key (those
    /// descents were a quarter of the writer's time). Postings are written in term-id order,
    /// their key order.
    private func writeTerms(stats: inout CollectionStats) throws {
        let termsTable = store.table(Format.TableName.terms)
        // Looked up in place, without the copy of each block the editor makes to change it.
        var lookup = AscendingTermLookup(cursor: try txn.cursor(termsTable))
        var entries: [TermEntry] = [], keys: [[UInt8]] = []
        var existing: [(termID: UInt32, entry: Int)] = [], fresh: [Int] = []
        entries.reserveCapacity(batch.keys.count)
        keys.reserveCapacity(batch.keys.count)
        let byKey = batch.termsInKeyOrder()
        for (n, t) in byKey.enumerated() {
            // Each lookup faults in a leaf page with its neighbours: 128 MB per batch on a 5×
            // news-combined, held until released.
            if n % 32 == 31 { store.releaseWriterMappedPagesIfLarge() }
            let key = batch.keys.bytes(t)
            keys.append(key)
            if let record = try lookup.record(key) {
                if let id = record.id { existing.append((id, entries.count)) } else { fresh.append(entries.count) }
                entries.append(TermEntry(termID: record.id, df: record.documentFrequency,
                                         cf: record.collectionFrequency, inline: record.inline))
            } else {
                fresh.append(entries.count)
                entries.append(TermEntry(termID: nil, df: 0, cf: 0))
            }
        }
        // Sorted apart from the entries: an entry holds arrays, and each read of one out of
        // the array copies it, with a retain and a release per array. Terms without an id come
        // last: any that move to the tables get ids above every id there, in this order.
        existing.sort { $0.termID < $1.termID }
        let ordered = existing.map(\.entry) + fresh
        let firstEntry = batch.arrangeForEncoding(termOrder: ordered.map { byKey[$0] })
        let sink = try BlockTables(txn: txn, store: store, nextTermID: stats.nextTermID)
        let staging = TermStaging()
        var records = [TermRecord?](repeating: nil, count: entries.count)
        for (n, i) in ordered.enumerated() {
            do {
                records[i] = try writePostings(&entries[i], entries: firstEntry[n]..<firstEntry[n + 1], staging: staging,
                                               tables: sink)
            } catch let error as FormatError {
                // The block this batch continues is damaged: say whose ("unary codes end early" alone named nothing).
                throw error.located("the last block of \(IntegrityCheck.termName(keys[i])), which this batch continues")
            }
            // Each term's last block is read through the map, and every page read (with the
            // neighbours each fault maps) stays in this process's resident set until released:
            // 2,048 terms held up to 230 MB on a 5× news-combined. Releasing drops only the
            // mapping; the data stays cached. Checked every 32 terms, released past a limit.
            if n % 32 == 31 { store.releaseWriterMappedPagesIfLarge() }
        }
        stats.nextTermID = sink.nextTermID
        let dictionary = TermDictionaryEditor(cursor: try txn.cursor(termsTable))
        for i in keys.indices {
            if i % 32 == 31 { store.releaseWriterMappedPagesIfLarge() }
            try dictionary.set(keys[i], records[i])
        }
        try dictionary.finish()
    }

    /// One term's postings as they are cut into blocks: a partial last block taken back from
    /// the index, then the batch's entries (which `arrangeForEncoding` made adjacent). Reused
    /// from term to term, since a batch writes tens of thousands of terms.
    private final class TermStaging {
        var docs: [UInt32] = []
        var tfs: [UInt32] = []
        var lengths: [UInt32] = []
        var positions = PositionsValueBuilder()
        private let blockDocs = UnsafeMutablePointer<UInt32>.allocate(capacity: Format.blockSize)
        private let blockTFs = UnsafeMutablePointer<UInt32>.allocate(capacity: Format.blockSize)
        /// One carried document's positions at a time.
        private var docPositions = PositionScratch()
        /// The carried block's positions value, padded for its decoder.
        private let positionsCopy = PaddedCopy()

        deinit {
            blockDocs.deallocate()
            blockTFs.deallocate()
            docPositions.deallocate()
        }

        func reset() {
            docs.removeAll(keepingCapacity: true)
            tfs.removeAll(keepingCapacity: true)
            lengths.removeAll(keepingCapacity: true)
            positions.removeAll()
        }

        /// Stages a block written earlier, to be cut again with the batch's postings. Its
        /// documents keep the block's min length: only the minimum of a block is stored.
        func carry(block: UnsafeRawBufferPointer, positions raw: UnsafeRawBufferPointer) throws {
            let summary = try PostingBlockCodec.decode(block, docs: blockDocs, tfs: blockTFs)
            let n = summary.count
            var totalTF = 0
            for i in 0..<n { totalTF += Int(blockTFs[i]) }
            var walker = try PositionsWalker(padded: positionsCopy.hold(raw), docs: n, totalTF: totalTF)
            for i in 0..<n {
                let tf = blockTFs[i]
                docPositions.reserve(Int(tf))
                try walker.read(tf: tf, into: docPositions.base)
                positions.add(UnsafeBufferPointer(start: docPositions.base, count: Int(tf)))
                docs.append(blockDocs[i])
                tfs.append(tf)
                lengths.append(summary.minLength)
            }
        }
    }

    /// Cursors over the postings and positions tables, kept for a whole batch: its terms are
    /// written in key order, so each put and delete mostly lands on the leaf page the cursor
    /// is on, which LMDB searches without descending from the root.
    private final class BlockTables {
        let postings: Cursor
        let positions: Cursor
        /// Given to each term as its first block goes to the tables.
        private(set) var nextTermID: UInt32

        init(txn: Transaction, store: IndexStore, nextTermID: UInt32) throws {
            postings = try txn.cursor(store.table(Format.TableName.postings))
            positions = try txn.cursor(store.table(Format.TableName.positions))
            self.nextTermID = nextTermID
        }

        func newTermID() throws -> UInt32 {
            guard nextTermID < UInt32.max else { throw IndexError.corrupt("no term ids left") }
            defer { nextTermID += 1 }
            return nextTermID
        }

        func put(_ key: [UInt8], _ block: InlineBlock, flags: Transaction.PutFlags) throws {
            try postings.put(key, block.postings, flags: flags)
            try positions.put(key, block.positions, flags: flags)
        }
    }

    /// Where a term's blocks go: the postings and positions tables, or, for a term with no
    /// block in the tables that ends this batch with one small block, its own terms value.
    /// The first block is held back until a second one shows it cannot stay inline. A term
    /// gets its id when its first block goes to the tables.
    private struct BlockSink {
        let tables: BlockTables
        let flags: Transaction.PutFlags
        let mayInline: Bool
        private(set) var termID: UInt32?
        private var held: (lastDoc: UInt32, block: InlineBlock)?
        private var added = 0

        /// A term without an id has no block in the tables: it may stay inline, and the id it
        /// gets is above every id there, so its keys are appended.
        init(tables: BlockTables, termID: UInt32?) {
            self.tables = tables
            self.termID = termID
            flags = termID == nil ? .append : []
            mayInline = termID == nil
        }

        mutating func add(lastDoc: UInt32, postings: [UInt8], positions: [UInt8]) throws {
            let block = InlineBlock(postings: postings, positions: positions)
            added += 1
            if mayInline && added == 1 {
                held = (lastDoc, block)
                return
            }
            if let h = held {
                try put(h.lastDoc, h.block)
                held = nil
            }
            try put(lastDoc, block)
        }

        /// The block to keep inline, if the term ended with one small block; puts it otherwise.
        mutating func finish() throws -> InlineBlock? {
            guard let h = held else { return nil }
            held = nil
            if h.block.byteCount <= Format.maxInlineBlockBytes { return h.block }
            try put(h.lastDoc, h.block)
            return nil
        }

        private mutating func put(_ lastDoc: UInt32, _ block: InlineBlock) throws {
            let id = try termID ?? tables.newTermID()
            termID = id
            try tables.put(Keys.block(term: id, lastDoc: lastDoc), block, flags: flags)
        }
    }

    /// Writes the term's blocks; returns its terms record. The entry is `inout` only
    /// so that it is not copied out of its array.
    private func writePostings(_ entry: inout TermEntry, entries: Range<Int>, staging: TermStaging,
                               tables: BlockTables) throws -> TermRecord {
        staging.reset()
        if let inline = entry.inline {
            try inline.postings.withUnsafeBytes { block in
                try inline.positions.withUnsafeBytes { try staging.carry(block: block, positions: $0) }
            }
        } else if let id = entry.termID {
            try carryPartialTail(termID: id, tables: tables, into: staging)
        }
        let carried = staging.docs.count
        func batchValues(_ values: GrowableBuffer<UInt32>) -> UnsafeBufferPointer<UInt32> {
            UnsafeBufferPointer(start: values.base + entries.lowerBound, count: entries.count)
        }
        let batchTFs = batchValues(batch.entryTF), positionStarts = batchValues(batch.entryPositionStart)
        staging.docs += batchValues(batch.entryDoc)
        staging.tfs += batchTFs
        staging.lengths += batchValues(batch.entryLength)
        var sink = BlockSink(tables: tables, termID: entry.termID)
        let docs = staging.docs
        var blockStart = 0
        func closeBlock(at end: Int) throws {
            try sink.add(lastDoc: docs[end - 1],
                         postings: try PostingBlockCodec.encode(docs: docs[blockStart..<end], tfs: staging.tfs[blockStart..<end],
                                                            lengths: staging.lengths[blockStart..<end]),
                         positions: staging.positions.encoded())
            blockStart = end
            staging.positions.removeAll()
        }
        // A block closes at `blockSize` documents, or earlier when its positions would no longer
        // fit in one LMDB page (overflow pages are rewritten whole and fragment the free list).
        for j in carried..<docs.count {
            let entryIndex = j - carried
            let docPositions = UnsafeBufferPointer(start: batch.positions.base + Int(positionStarts[entryIndex]),
                                                   count: Int(batchTFs[entryIndex]))
            let inBlock = j - blockStart
            if inBlock == Format.blockSize
                || (inBlock > 0 && !staging.positions.fits(adding: docPositions, within: Format.maxPositionsBytes)) {
                try closeBlock(at: j)
            }
            staging.positions.add(docPositions)
        }
        try closeBlock(at: docs.count)
        if let inline = try sink.finish() { return try TermRecord(inline: inline) }
        return TermRecord(id: sink.termID!, documentFrequency: entry.df + UInt64(entries.count),
                          collectionFrequency: entry.cf + batchTFs.reduce(0) { $0 + UInt64($1) })
    }

    /// Takes the term's last block out of the tables when it is not full, staging it so the
    /// batch continues it.
    private func carryPartialTail(termID: UInt32, tables: BlockTables, into staging: TermStaging) throws {
        let probe = Keys.block(term: termID, lastDoc: UInt32.max)
        let cursor = tables.postings
        let entry = try cursor.seek(atLeast: probe) != nil ? try cursor.prev() : try cursor.last()
        guard let e = entry, e.key.count == 8, Keys.readBigEndian(e.key) == termID else { return }
        let summary = try PostingBlockCodec.summary(e.value)
        guard summary.count < Format.blockSize else { return }
        let key = Array(e.key)
        guard let raw = try tables.positions.seek(exactly: key)?.value else {
            throw IndexError.corrupt("no positions for term id \(termID) block \(Keys.readBigEndian(e.key, at: 4))")
        }
        guard raw.count < Format.maxPositionsBytes else { return }
        try staging.carry(block: e.value, positions: raw)
        try cursor.deleteCurrent()
        try tables.positions.deleteCurrent()
    }
}
