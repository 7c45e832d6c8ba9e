// InvertedIndex: removing a batch's documents inside a write transaction: their postings, positions,
// records, ids, text and hashes, with the statistics adjusted as if they had never been indexed.
// Owns block rewriting: a block that loses documents is re-encoded once, never tombstoned.
import Analysis
import Storage

struct DocumentRemoval {
    let store: IndexStore
    let txn: Transaction
    let analyzer: Analyzer
    let decompressor: TextDecompressor

    /// Removes those of `docs` that are present; returns how many were.
    ///
    /// Records, text, ids and hashes go first, document by document; then each term that lost
    /// documents is rewritten once, in key order: its blocks that held any of them are
    /// re-encoded without all of them at once. Done per document and term, a term shared by
    /// many removed documents had the same blocks re-encoded again for each, and every term,
    /// block and norms lookup descended LMDB's tree from the root: replacing a tenth of
    /// news-combined took nine times as long as building it.
    func remove(_ docs: [UInt32], stats: inout CollectionStats) throws -> Int {
        var lost: [[UInt8]: [UInt32]] = [:]
        var removed = 0
        // Reads land all over the file (records, text, terms, blocks), and the pages each
        // fault maps stay resident until released: 133 MB of them while replacing a tenth of
        // news-combined. Checked as the writer checks its own reads.
        for (n, doc) in docs.enumerated() {
            if n % 64 == 63 { store.releaseWriterMappedPagesIfLarge() }
            guard let terms = try removeDocument(doc, stats: &stats) else { continue }
            for key in terms { lost[key, default: []].append(doc) }
            removed += 1
        }
        let rewriter = try TermRewriter(store: store, txn: txn)
        for (n, key) in lost.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }).enumerated() {
            if n % 32 == 31 { store.releaseWriterMappedPagesIfLarge() }
            try rewriter.remove(lost[key]!.sorted(), fromTerm: key)
        }
        try rewriter.finish()
        return removed
    }

    /// Deletes the document's record, text, id and hash; returns the keys of the terms it was
    /// indexed under, or nil when it is not in the index.
    private func removeDocument(_ doc: UInt32, stats: inout CollectionStats) throws -> [[UInt8]]? {
        let docKey = Keys.docID(doc)
        guard let raw = try txn.get(store.table(Format.TableName.docs), docKey) else { return nil }
        let record = try DocumentRecord.decode(raw)
        let terms = try indexedTerms(doc, record)
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
        return terms
    }

    /// The keys of the distinct (field, term) pairs the document was indexed under, from its
    /// stored text analyzed again (the same analyzer the index was built with). Title words
    /// are in the text field too. Distinct by term id, not by string: hashing strings was a
    /// tenth of removing.
    private func indexedTerms(_ doc: UInt32, _ record: DocumentRecord) throws -> [[UInt8]] {
        let stored: String
        do {
            stored = try decompressor.text(of: doc, txn: txn, store: store)
        } catch let error as FormatError {
            throw error.located("stored text of doc \(doc) (\(record.externalID)), which is being removed")
        }
        let bodyText = record.title.isEmpty ? stored : String(stored.dropFirst(record.title.count + 2))
        // Only which terms occur counts here, not where: pairs join the other terms.
        var title: [Int32] = [], titlePairs: [StackedTerm] = []
        analyzer.analyze(record.title, into: &title, pairs: &titlePairs)
        title += titlePairs.map(\.term)
        var body: [Int32] = [], bodyPairs: [StackedTerm] = []
        analyzer.analyze(bodyText, into: &body, pairs: &bodyPairs)
        let text = title + body + bodyPairs.map(\.term)
        var keys: [[UInt8]] = []
        for (field, ids) in [(Field.title, title), (Field.text, text)] {
            var seen = Set<Int32>()
            for id in ids where seen.insert(id).inserted { keys.append(Keys.term(field, analyzer.terms.bytes(id))) }
        }
        return keys
    }
}

/// Takes documents out of terms' blocks, terms in key order through cursors kept for a whole
/// batch of removals, so that each lookup mostly searches the leaf page its cursor is on.
private final class TermRewriter {
    private let terms: TermDictionaryEditor
    private let postings: Cursor
    private let positions: Cursor
    private let norms: NormsReader

    init(store: IndexStore, txn: Transaction) throws {
        terms = TermDictionaryEditor(cursor: try txn.cursor(store.table(Format.TableName.terms)))
        postings = try txn.cursor(store.table(Format.TableName.postings))
        positions = try txn.cursor(store.table(Format.TableName.positions))
        norms = NormsReader(txn: txn, table: store.table(Format.TableName.norms))
    }

    /// Removes `docs` (ascending) from the term under `key`, and the term when none remain.
    func remove(_ docs: [UInt32], fromTerm key: [UInt8]) throws {
        guard var record = try terms.record(key) else { return }
        let field: Field = key.first == Field.title.rawValue ? .title : .text
        var removed = Removed()
        if let inline = record.inline {
            let block = try inline.postings.withUnsafeBytes { try DecodedBlock($0) }
            guard let rest = try remaining(block, positions: inline.positions, without: docs[...], field: field) else { return }
            removed = rest.removed
            record.inline = rest.block.map { InlineBlock(postings: $0.postings, positions: $0.positions) }
        } else if let id = record.id {
            removed = try removeFromTables(docs, termID: id, field: field)
        }
        guard removed.documents > 0 else { return }
        if record.documentFrequency <= UInt64(removed.documents) {
            try terms.set(key, nil)
        } else {
            record.documentFrequency -= UInt64(removed.documents)
            record.collectionFrequency -= removed.collectionFrequency
            try terms.set(key, record)
        }
    }

    /// Writes the last terms block changed. Call after the last `remove`.
    func finish() throws { try terms.finish() }

    struct Removed {
        var documents = 0
        var collectionFrequency: UInt64 = 0
    }

    /// Rewrites each table block holding any of `docs` without them.
    private func removeFromTables(_ docs: [UInt32], termID: UInt32, field: Field) throws -> Removed {
        var removed = Removed()
        var next = 0
        while next < docs.count {
            guard let entry = try postings.seek(atLeast: Keys.block(term: termID, lastDoc: docs[next])),
                  entry.key.count == 8, Keys.readBigEndian(entry.key) == termID else { break }
            let lastDoc = Keys.readBigEndian(entry.key, at: 4)
            var end = next
            while end < docs.count && docs[end] <= lastDoc { end += 1 }
            let oldKey = Array(entry.key)
            let block = try DecodedBlock(entry.value)
            guard let oldPositions = try positions.seek(exactly: oldKey)?.value else {
                throw IndexError.corrupt("no positions for term id \(termID) block \(lastDoc)")
            }
            if let rest = try remaining(block, positions: Array(oldPositions), without: docs[next..<end], field: field) {
                try postings.deleteCurrent()
                try positions.deleteCurrent()
                if let (newPostings, newPositions, newLastDoc) = rest.block {
                    let key = Keys.block(term: termID, lastDoc: newLastDoc)
                    try postings.put(key, newPostings)
                    try positions.put(key, newPositions)
                }
                removed.documents += rest.removed.documents
                removed.collectionFrequency += rest.removed.collectionFrequency
            }
            next = end
        }
        return removed
    }

    /// A block's posting and positions values without those of `docs` (ascending) it holds
    /// (nil when none remain), with what was removed; nil when the block holds none of them.
    private func remaining(_ block: DecodedBlock, positions: [UInt8], without docs: ArraySlice<UInt32>, field: Field) throws
        -> (block: (postings: [UInt8], positions: [UInt8], lastDoc: UInt32)?, removed: Removed)? {
        var keep: [Int] = []
        keep.reserveCapacity(block.docs.count)
        var removed = Removed()
        var next = docs.startIndex
        for (i, doc) in block.docs.enumerated() {  // both ascending: one merge
            while next < docs.endIndex && docs[next] < doc { next += 1 }
            if next < docs.endIndex && docs[next] == doc {
                removed.documents += 1
                removed.collectionFrequency += UInt64(block.tfs[i])
            } else {
                keep.append(i)
            }
        }
        guard removed.documents > 0 else { return nil }
        guard let last = keep.last else { return (nil, removed) }
        let remainingDocs = keep.map { block.docs[$0] }, tfs = keep.map { block.tfs[$0] }
        let lengths = try remainingDocs.map { try norms.length(of: $0, field) }
        let postings = try PostingBlockCodec.encode(docs: remainingDocs[...], tfs: tfs[...], lengths: lengths[...])
        let newPositions = try PositionsCodec.keeping(docsAt: keep, tfs: block.tfs, from: positions)
        return ((postings, newPositions, block.docs[last]), removed)
    }
}

/// Field lengths read from the norms table a chunk at a time, each chunk copied out once.
/// Copied, not kept as map addresses as `MappedNorms` does for readers: this runs inside the
/// batch's write transaction, whose puts may move the pages a value lies on.
private final class NormsReader {
    private let txn: Transaction
    private let table: Table
    /// By chunk number; chunks are dense (doc id / 128).
    private var chunks: [[UInt8]?] = []

    init(txn: Transaction, table: Table) {
        self.txn = txn
        self.table = table
    }

    func length(of doc: UInt32, _ field: Field) throws -> UInt32 {
        let c = Int(NormsCodec.chunk(of: doc))
        if c >= chunks.count { chunks += repeatElement(nil, count: c + 1 - chunks.count) }
        if chunks[c] == nil { chunks[c] = try txn.get(table, Keys.bigEndian(UInt32(c))).map { Array($0) } ?? [] }
        guard let lengths = chunks[c]!.withUnsafeBytes({ NormsCodec.norms(in: $0, doc: doc) }) else {
            throw IndexError.corrupt("no norms for doc \(doc)")
        }
        return field == .text ? lengths.text : lengths.title
    }
}

/// A posting block decoded into arrays (for rewriting and checking, not the query hot path).
struct DecodedBlock {
    var docs: [UInt32]
    var tfs: [UInt32]
    var summary: BlockSummary

    init(_ raw: UnsafeRawBufferPointer) throws {
        var d = [UInt32](repeating: 0, count: Format.blockSize), t = d
        summary = try d.withUnsafeMutableBufferPointer { db in
            try t.withUnsafeMutableBufferPointer { tb in
                try PostingBlockCodec.decode(raw, docs: db.baseAddress!, tfs: tb.baseAddress!)
            }
        }
        docs = Array(d.prefix(summary.count))
        tfs = Array(t.prefix(summary.count))
    }
}

extension PositionsCodec {
    /// The positions value of only the docs at `kept` (ascending indexes) of a block with these
    /// tfs, walked once with no array per document. It is never larger: fewer docs can only
    /// narrow the packed widths.
    static func keeping(docsAt kept: [Int], tfs: [UInt32], from value: [UInt8]) throws -> [UInt8] {
        var builder = PositionsValueBuilder()
        var scratch = [UInt32](repeating: 0, count: Int(tfs.max() ?? 0))
        try value.withUnsafeBytes { raw in
            var walker = try PositionsWalker(raw, docs: tfs.count, totalTF: tfs.reduce(0) { $0 + Int($1) })
            var next = 0
            try scratch.withUnsafeMutableBufferPointer { buffer in
                for (i, tf) in tfs.enumerated() {
                    guard next < kept.count && kept[next] == i else {
                        walker.skip(docs: 1, totalTF: Int(tf))
                        continue
                    }
                    let n = try walker.read(tf: tf, into: buffer.baseAddress!)
                    builder.add(UnsafeBufferPointer(rebasing: buffer[0..<n]))
                    next += 1
                }
            }
        }
        return builder.encoded()
    }
}
