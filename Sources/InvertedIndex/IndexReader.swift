// InvertedIndex: the read side of the index, over one consistent LMDB snapshot.
// Owns term lookup, posting cursors, norms, document records and stored text for queries.
import Storage

/// A term's dictionary entry.
public struct TermInfo: Equatable, Sendable {
    public var field: Field
    public var term: String
    public var id: UInt32
    public var documentFrequency: UInt64
    public var collectionFrequency: UInt64
    /// The term's only block, when the `terms` value holds it (the tables then hold none).
    public var inline: InlineBlock?
}

/// A read-only view of the index as of the moment it was opened.
public final class IndexReader {
    public let store: IndexStore
    let txn: Transaction
    public let stats: CollectionStats
    /// Every norms chunk's address in the map, by chunk number; nil until first read, and
    /// checked for size then, so a length is one load with no bounds to test. Scoring looks
    /// a chunk up for every match: keeping the last chunk, or buffers whose sizes are tested
    /// at every read, left 5-word OR 6% and OR of 2–3 words 7% slower (alternated runs).
    private let normsChunks: UnsafeMutablePointer<UnsafeRawPointer?>
    private let normsChunkCount: Int
    /// Reads norms chunks in key order, and the chunk it is on (far below any when unplaced).
    private var normsCursor: Cursor?
    private var normsCursorChunk = Int.min / 2
    let postingsTable: Table
    let positionsTable: Table
    /// Made on the first stored text asked for: a query that shows no snippet never reads a dictionary.
    private lazy var textDecompressor = TextDecompressor()

    public init(store: IndexStore) throws {
        self.store = store
        do {
            txn = try store.env.beginRead()
            stats = try store.readStats(txn)
        } catch let e as LMDBError { throw IndexError.storage(e, path: store.path) }
        normsChunkCount = Int(NormsCodec.chunk(of: stats.nextDocID)) + 1
        normsChunks = .allocate(capacity: normsChunkCount)
        normsChunks.initialize(repeating: nil, count: normsChunkCount)
        postingsTable = store.table(Format.TableName.postings)
        positionsTable = store.table(Format.TableName.positions)
    }

    deinit { normsChunks.deallocate() }

    public var documentCount: Int { Int(stats.documents) }
    /// Doc ids are below this bound (some ids below it may be unused).
    public var docIDBound: UInt32 { stats.nextDocID }

    public func termInfo(_ field: Field, _ term: String) throws -> TermInfo? {
        guard let raw = try txn.get(store.table(Format.TableName.terms), Keys.term(field, Array(term.utf8))) else {
            return nil
        }
        return try decodeTermInfo(field: field, term: term, raw)
    }

    /// Terms of `field` starting with `prefix`, in byte order, at most `limit` (plus whether more exist).
    public func terms(withPrefix prefix: String, field: Field, limit: Int) throws -> (terms: [TermInfo], truncated: Bool) {
        let start = Keys.term(field, Array(prefix.utf8))
        let cursor = try txn.cursor(store.table(Format.TableName.terms))
        var out: [TermInfo] = []
        var entry = try cursor.seek(atLeast: start)
        while let e = entry, e.key.starts(with: start) {
            if out.count == limit { return (out, true) }
            let term = String(decoding: e.key.dropFirst(), as: UTF8.self)
            out.append(try decodeTermInfo(field: field, term: term, e.value))
            entry = try cursor.next()
        }
        return (out, false)
    }

    private func decodeTermInfo(field: Field, term: String, _ raw: UnsafeRawBufferPointer) throws -> TermInfo {
        let record = try TermRecord.decode(raw)
        return TermInfo(field: field, term: term, id: record.id, documentFrequency: record.documentFrequency,
                        collectionFrequency: record.collectionFrequency, inline: record.inline)
    }

    public func postings(_ info: TermInfo) throws -> PostingCursor {
        try PostingCursor(reader: self, term: info)
    }

    /// A document's field lengths and date, from the memory-mapped norms chunk.
    public func norms(of doc: UInt32) throws -> DocumentNorms {
        let chunk = UnsafeRawBufferPointer(start: try normsChunk(holding: doc), count: NormsCodec.valueBytes)
        return NormsCodec.norms(in: chunk, doc: doc)!
    }

    /// The (text, title) lengths of a document.
    @inline(__always)
    public func lengths(of doc: UInt32) throws -> (text: UInt32, title: UInt32) {
        (try length(of: doc, .text), try length(of: doc, .title))
    }

    /// The length of a document's `field`: what scoring a term reads for every match.
    @inline(__always)
    public func length(of doc: UInt32, _ field: Field) throws -> UInt32 {
        NormsCodec.length(inCheckedChunk: try normsChunk(holding: doc), doc: doc, column: field == .text ? 0 : 1)
    }

    /// The norms chunk holding `doc` (`NormsCodec.valueBytes` long), found in the map the
    /// first time it is asked for.
    @inline(__always)
    private func normsChunk(holding doc: UInt32) throws -> UnsafeRawPointer {
        let c = Int(NormsCodec.chunk(of: doc))
        guard c < normsChunkCount else { throw IndexError.corrupt("doc \(doc) past the norms") }
        if let chunk = normsChunks[c] { return chunk }
        return try readNormsChunk(c)
    }

    private func readNormsChunk(_ c: Int) throws -> UnsafeRawPointer {
        guard let found = try findNormsChunk(c) else { throw IndexError.corrupt("no norms chunk \(c)") }
        guard found.count == NormsCodec.valueBytes, let base = found.baseAddress else {
            throw IndexError.corrupt("norms chunk \(c) has \(found.count) bytes, not \(NormsCodec.valueBytes)")
        }
        normsChunks[c] = base
        return base
    }

    /// Chunk `c`'s value. A query asks for chunks in rising order, and every chunk below the
    /// last exists, so the next one wanted is mostly a step or two on from the one read
    /// before: a step stays on the leaf page, where a lookup descends from the root (a
    /// one-process AND of two common words read 500 chunks, a quarter of its instructions).
    private func findNormsChunk(_ c: Int) throws -> UnsafeRawBufferPointer? {
        let cursor = try normsCursor ?? txn.cursor(store.table(Format.TableName.norms))
        normsCursor = cursor
        if normsCursorChunk < c && c - normsCursorChunk <= Self.normsStepsBeforeSeek {
            var entry: Entry?
            for _ in normsCursorChunk..<c { entry = try cursor.next() }
            if let e = entry, e.key.count == 4, Keys.readBigEndian(e.key) == UInt32(c) {
                normsCursorChunk = c
                return e.value
            }
        }
        normsCursorChunk = Int.min / 2
        guard let e = try cursor.seek(exactly: Keys.bigEndian(UInt32(c))) else { return nil }
        normsCursorChunk = c
        return e.value
    }

    private static let normsStepsBeforeSeek = 4

    public func document(_ doc: UInt32) throws -> DocumentRecord {
        guard let raw = try txn.get(store.table(Format.TableName.docs), Keys.docID(doc)) else {
            throw IndexError.corrupt("no record for doc \(doc)")
        }
        return try DocumentRecord.decode(raw)
    }

    public func storedText(_ doc: UInt32) throws -> String {
        try textDecompressor.text(of: doc, txn: txn, store: store)
    }

    /// The id of the dictionary `doc`'s text was compressed with (0: none), read from its frame.
    func storedTextDictionary(_ doc: UInt32) throws -> UInt32 {
        guard let bytes = try TextChunks.read(doc, txn: txn, table: store.table(Format.TableName.text)) else { return 0 }
        return bytes.withUnsafeBytes { TextDecompressor.dictionaryID(of: $0) }
    }

    public func docID(forExternalID id: String) throws -> UInt32? {
        guard let raw = try txn.get(store.table(Format.TableName.ids), IDKey.make(id)), raw.count == 4 else {
            return nil
        }
        let doc = Keys.readBigEndian(raw)
        return try document(doc).externalID == id ? doc : nil
    }

    /// Every live doc id in order (for brute-force checks and integrity).
    public func allDocIDs() throws -> [UInt32] {
        let cursor = try txn.cursor(store.table(Format.TableName.docs))
        var out: [UInt32] = []
        var entry = try cursor.first()
        while let e = entry {
            out.append(Keys.readBigEndian(e.key))
            entry = try cursor.next()
        }
        return out
    }

    /// Every term of a field with its info, in byte order (for `check` and tests).
    public func allTerms(_ field: Field) throws -> [TermInfo] {
        try terms(withPrefix: "", field: field, limit: Int.max).terms
    }
}
