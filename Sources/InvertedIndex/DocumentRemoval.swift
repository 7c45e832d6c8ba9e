// InvertedIndex: removing a document inside a write transaction: its postings, positions,
// record, id, text and hash, with the statistics adjusted as if it had never been indexed.
// Owns block rewriting: a block that loses a document is re-encoded, never tombstoned.
import Analysis
import Storage

struct DocumentRemoval {
    let store: IndexStore
    let txn: Transaction
    let analyzer: Analyzer
    let decompressor: TextDecompressor

    /// Removes `doc` if present; returns whether it was.
    @discardableResult
    func remove(_ doc: UInt32, stats: inout CollectionStats) throws -> Bool {
        let docKey = Keys.docID(doc)
        guard let raw = try txn.get(store.table(Format.TableName.docs), docKey) else { return false }
        let record = try DocumentRecord.decode(raw)
        for key in try indexedTerms(doc, record) {
            try removePosting(doc, field: key.field, term: key.term)
        }
        try txn.delete(store.table(Format.TableName.docs), docKey)
        try TextChunks.delete(doc, txn: txn, table: store.table(Format.TableName.text))
        let idKey = IDKey.make(record.externalID)
        if let mapped = try txn.get(store.table(Format.TableName.ids), idKey), Array(mapped) == docKey {
            try txn.delete(store.table(Format.TableName.ids), idKey)
        }
        let hashKey = Keys.hash(record.source.contentHash)
        if let mapped = try txn.get(store.table(Format.TableName.hashes), hashKey), Array(mapped) == docKey {
            try txn.delete(store.table(Format.TableName.hashes), hashKey)
        }
        stats.documents -= 1
        stats.textLength -= UInt64(record.textLength)
        stats.titleLength -= UInt64(record.titleLength)
        return true
    }

    /// The distinct (field, term) pairs the document was indexed under, from its stored text
    /// analyzed again (the same analyzer the index was built with).
    private func indexedTerms(_ doc: UInt32, _ record: DocumentRecord) throws -> Set<TermKey> {
        let stored = try decompressor.text(of: doc, txn: txn, store: store)
        let body = record.title.isEmpty ? stored : String(stored.dropFirst(record.title.count + 2))
        var keys = Set<TermKey>()
        for term in analyzer.analyzedTerms(record.title) {
            keys.insert(TermKey(field: .title, term: term))
            keys.insert(TermKey(field: .text, term: term))
        }
        for term in analyzer.analyzedTerms(body) { keys.insert(TermKey(field: .text, term: term)) }
        return keys
    }

    private func removePosting(_ doc: UInt32, field: Field, term: String) throws {
        let termKey = Keys.term(field, Array(term.utf8))
        let termsTable = store.table(Format.TableName.terms)
        guard let raw = try txn.get(termsTable, termKey) else { return }
        var record = try TermRecord.decode(raw)
        let removedTF: UInt32?
        if let inline = record.inline {
            let block = try inline.postings.withUnsafeBytes { try DecodedBlock($0) }
            let rest = try remaining(block, positions: inline.positions, without: doc, field: field)
            removedTF = rest?.tf
            if let rest { record.inline = rest.block.map { InlineBlock(postings: $0.postings, positions: $0.positions) } }
        } else {
            removedTF = try removeFromTables(doc, termID: record.id, field: field)
        }
        guard let tf = removedTF else { return }
        if record.documentFrequency <= 1 {
            try txn.delete(termsTable, termKey)
        } else {
            record.documentFrequency -= 1
            record.collectionFrequency -= UInt64(tf)
            try txn.put(termsTable, termKey, record.encoded())
        }
    }

    /// Rewrites the table block holding `doc` without it; returns the doc's tf, or nil when
    /// the term's blocks do not hold it.
    private func removeFromTables(_ doc: UInt32, termID: UInt32, field: Field) throws -> UInt32? {
        let cursor = try txn.cursor(store.table(Format.TableName.postings))
        guard let entry = try cursor.seek(atLeast: Keys.block(term: termID, lastDoc: doc)),
              entry.key.count == 8, Keys.readBigEndian(entry.key) == termID else { return nil }
        let oldKey = Array(entry.key)
        let block = try DecodedBlock(entry.value)
        let positionsTable = store.table(Format.TableName.positions)
        let oldPositions = try txn.get(positionsTable, oldKey).map { Array($0) } ?? []
        guard let rest = try remaining(block, positions: oldPositions, without: doc, field: field) else { return nil }
        try cursor.deleteCurrent()
        try txn.delete(positionsTable, oldKey)
        if let (postings, positions, lastDoc) = rest.block {
            let key = Keys.block(term: termID, lastDoc: lastDoc)
            try txn.put(store.table(Format.TableName.postings), key, postings)
            try txn.put(positionsTable, key, positions)
        }
        return rest.tf
    }

    /// A block's posting and positions values without `doc` (nil when it was the only one),
    /// with the doc's tf; nil when the block does not hold the doc.
    private func remaining(_ block: DecodedBlock, positions: [UInt8], without doc: UInt32, field: Field) throws
        -> (block: (postings: [UInt8], positions: [UInt8], lastDoc: UInt32)?, tf: UInt32)? {
        guard let index = block.docs.firstIndex(of: doc) else { return nil }
        var docs = block.docs, tfs = block.tfs
        let newPositions = try PositionsCodec.removing(docAt: index, tfs: tfs, from: positions)
        let tf = tfs.remove(at: index)
        docs.remove(at: index)
        guard let lastDoc = docs.last else { return (nil, tf) }
        let lengths = try docs.map { try fieldLength($0, field) }
        let postings = PostingBlockCodec.encode(docs: docs[...], tfs: tfs[...], lengths: lengths[...])
        return ((postings, newPositions, lastDoc), tf)
    }

    private func fieldLength(_ doc: UInt32, _ field: Field) throws -> UInt32 {
        guard let raw = try txn.get(store.table(Format.TableName.norms), Keys.bigEndian(NormsCodec.chunk(of: doc))),
              let lengths = NormsCodec.norms(in: raw, doc: doc) else {
            throw IndexError.corrupt("no norms for doc \(doc)")
        }
        return field == .text ? lengths.text : lengths.title
    }
}

struct TermKey: Hashable {
    var field: Field
    var term: String
}

/// A posting block decoded into arrays (for rewriting and checking, not the query hot path).
struct DecodedBlock {
    var docs: [UInt32]
    var tfs: [UInt32]
    var summary: BlockSummary

    init(_ raw: UnsafeRawBufferPointer) throws {
        summary = try PostingBlockCodec.summary(raw)
        var d = [UInt32](repeating: 0, count: Format.blockSize), t = d
        let n = try d.withUnsafeMutableBufferPointer { db in
            try t.withUnsafeMutableBufferPointer { tb in
                try PostingBlockCodec.decode(raw, docs: db.baseAddress!, tfs: tb.baseAddress!)
            }
        }
        docs = Array(d.prefix(n))
        tfs = Array(t.prefix(n))
    }
}

extension PositionsCodec {
    /// The positions value without the doc at `index` of a block with these tfs. It is never
    /// larger: one doc fewer can only narrow the packed widths.
    static func removing(docAt index: Int, tfs: [UInt32], from value: [UInt8]) throws -> [UInt8] {
        var docs = try value.withUnsafeBytes { try decode($0, tfs: tfs) }
        docs.remove(at: index)
        return encode(docs)
    }
}
