// InvertedIndex: the read side of the index, over one consistent LMDB snapshot.
// Owns term lookup, posting cursors, norms, document records and stored text for queries.
import Storage

/// A term's dictionary entry.
public struct TermInfo: Equatable, Sendable {
    public var field: Field
    public var term: String
    /// The key of the term's blocks in the tables; 0, and not looked at, when its block is inline.
    public var id: UInt32
    public var documentFrequency: UInt64
    public var collectionFrequency: UInt64
    /// The term's only block, when the `terms` value holds it (the tables then hold none).
    public var inline: InlineBlock?

    /// How people and `check` name a term: "text:harbour".
    public var name: String { field.name + ":" + term }

    init(field: Field, term: String, record: TermRecord) {
        self.field = field
        self.term = term
        id = record.id ?? 0
        documentFrequency = record.documentFrequency
        collectionFrequency = record.collectionFrequency
        inline = record.inline
    }
}

/// A read-only view of the index as of the moment it was opened.
public final class IndexReader {
    public let store: IndexStore
    let txn: Transaction
    public let stats: CollectionStats
    private let norms: MappedNorms
    let postingsTable: Table
    let positionsTable: Table
    /// The data file's page size, where entries are laid out (`PostingCursor`'s prefetches).
    let pageSize: Int
    /// The first block whose tf codes a cursor found damaged, which it read as tfs of 1 (its
    /// reads cannot throw): the walk it happened in fails with it (`failingOnDamage`), as it
    /// does on a damaged positions value, rather than rank on made-up tfs.
    private var damagedTFs: String?

    func noteDamagedTFs(_ place: @autoclosure () -> String) {
        if damagedTFs == nil { damagedTFs = place() }
    }

    /// Runs a walk over postings and throws for the tf damage its cursors noted; a note a
    /// failed walk left behind is not this one's.
    public func failingOnDamage<T>(_ walk: () throws -> T) throws -> T {
        damagedTFs = nil
        let result = try walk()
        if let place = damagedTFs {
            damagedTFs = nil
            throw IndexError.corrupt("\(place): its tf codes do not decode")
        }
        return result
    }

    /// Made on the first stored text asked for: a query that shows no snippet never reads a dictionary.
    private var termsCursor: Cursor?
    private lazy var textDecompressor = TextDecompressor(referencesMap: true)

    public init(store: IndexStore) throws {
        self.store = store
        do {
            txn = try store.env.beginRead()
            stats = try store.readStats(txn)
        } catch let e as LMDBError { throw IndexError.storage(e, path: store.path) }
        norms = MappedNorms(txn: txn, table: store.table(Format.TableName.norms), docIDBound: stats.nextDocID)
        postingsTable = store.table(Format.TableName.postings)
        positionsTable = store.table(Format.TableName.positions)
        pageSize = store.env.pageSize
    }

    /// Whether this view still shows the index as last committed: no commit since it was
    /// opened, and the data file not replaced by packing. A long-lived reader (`search --batch`)
    /// opens a new view when not.
    public func isCurrent() throws -> Bool {
        do {
            return try !store.env.isReplaced(by: store.path + "/data.mdb") && store.env.lastCommitID() == txn.committedID
        } catch let e as LMDBError { throw IndexError.storage(e, path: store.path) }
    }

    public var documentCount: Int { Int(stats.documents) }
    /// Doc ids are below this bound (some ids below it may be unused).
    public var docIDBound: UInt32 { stats.nextDocID }

    public func termInfo(_ field: Field, _ term: String) throws -> TermInfo? {
        let dictionary = try termsDictionary()
        guard let record = try dictionary.record(Keys.term(field, Array(term.utf8))) else { return nil }
        return TermInfo(field: field, term: term, record: record)
    }

    /// Terms of `field` starting with `prefix`, in byte order: at most `limit`, the commonest
    /// by document frequency when more exist (and whether they do).
    public func terms(withPrefix prefix: String, field: Field, limit: Int) throws -> (terms: [TermInfo], truncated: Bool) {
        precondition(limit > 0, "a prefix expands to at least one term")
        let dictionary = try termsDictionary()
        let key = Keys.term(field, Array(prefix.utf8))
        var out: [TermInfo] = [], frequencies: [UInt64] = []
        try dictionary.forEach(withPrefix: key) { key, raw in
            let record = try TermRecord.decode(raw)
            if out.count < limit {
                out.append(TermInfo(field: field, term: String(decoding: key.dropFirst(), as: UTF8.self), record: record))
            } else {
                if frequencies.isEmpty { frequencies = out.map(\.documentFrequency) }
                frequencies.append(record.documentFrequency)
            }
            return true
        }
        guard !frequencies.isEmpty else { return (out, false) }
        return (try commonest(withPrefix: key, field: field, limit: limit, frequencies: frequencies), true)
    }

    /// The stems of the words starting with `prefix` that do not start with it themselves
    /// (`Format.TableName.words`), at most `limit`, in byte order; none for an index without
    /// the table (unstemmed, or written before it).
    public func stemsOfWords(withPrefix prefix: String, limit: Int) throws -> [String] {
        guard let table = store.optionalTable(Format.TableName.words) else { return [] }
        let key = Array(prefix.utf8)
        let cursor = try txn.cursor(table)
        var stems = Set<String>()
        var entry = try cursor.seek(atLeast: key)
        while let e = entry, e.key.starts(with: key), stems.count < limit {
            if !e.value.starts(with: key) { stems.insert(String(decoding: e.value, as: UTF8.self)) }
            entry = try cursor.next()
        }
        return stems.sorted()
    }

    /// Past the limit, the commonest terms, as Xapian's most-frequent expansion takes them: the
    /// first in byte order had left out words as common as "report" from `re*` (a quarter of
    /// its documents). Ties at the cut go to the first in byte order.
    private func commonest(withPrefix key: [UInt8], field: Field, limit: Int, frequencies: [UInt64]) throws -> [TermInfo] {
        let threshold = frequencies.sorted(by: >)[limit - 1]
        var tiesLeft = limit - frequencies.filter { $0 > threshold }.count
        var out: [TermInfo] = []
        try termsDictionary().forEach(withPrefix: key) { key, raw in
            let record = try TermRecord.decode(raw)
            guard record.documentFrequency > threshold || (record.documentFrequency == threshold && tiesLeft > 0) else { return true }
            if record.documentFrequency == threshold { tiesLeft -= 1 }
            out.append(TermInfo(field: field, term: String(decoding: key.dropFirst(), as: UTF8.self), record: record))
            return true
        }
        return out
    }

    /// One cursor serves every lookup: opening one allocates.
    private func termsDictionary() throws -> TermDictionaryReader {
        if termsCursor == nil { termsCursor = try txn.cursor(store.table(Format.TableName.terms)) }
        return TermDictionaryReader(cursor: termsCursor!)
    }

    public func postings(_ info: TermInfo) throws -> PostingCursor {
        try PostingCursor(reader: self, term: info)
    }

    /// A document's field lengths and date, from the memory-mapped norms chunk.
    public func norms(of doc: UInt32) throws -> DocumentNorms { try norms.norms(of: doc) }

    /// The (text, title) lengths of a document.
    @inline(__always)
    public func lengths(of doc: UInt32) throws -> (text: UInt32, title: UInt32) {
        (try norms.length(of: doc, .text), try norms.length(of: doc, .title))
    }

    /// The length of a document's `field`: what scoring a term reads for every match.
    @inline(__always)
    public func length(of doc: UInt32, _ field: Field) throws -> UInt32 { try norms.length(of: doc, field) }

    public func document(_ doc: UInt32) throws -> DocumentRecord {
        guard let raw = try txn.get(store.table(Format.TableName.docs), Keys.docID(doc)) else {
            throw IndexError.corrupt("no record for doc \(doc)")
        }
        do {
            return try DocumentRecord.decode(raw)
        } catch let error as FormatError {
            throw error.located("the record of doc \(doc)")
        }
    }

    /// A document's stored text. Text that is missing though the document has words is
    /// damage, not an empty document.
    public func storedText(_ doc: UInt32) throws -> String {
        let text: String
        do {
            text = try textDecompressor.text(of: doc, txn: txn, store: store)
        } catch let error as FormatError {
            throw error.located("stored text of \(describe(doc))")
        } catch let IndexError.corrupt(what) {
            throw IndexError.corrupt("stored text of \(describe(doc)): \(what)")
        }
        if text.isEmpty, let record = try? document(doc), record.textLength > 0 {
            throw IndexError.corrupt("stored text of \(describe(doc)) is missing")
        }
        return text
    }

    /// "doc 12 (bbc/tech/401.txt)", or "doc 12" when its record cannot be read.
    func describe(_ doc: UInt32) -> String {
        "doc \(doc)" + ((try? document(doc).externalID).map { " (\($0))" } ?? "")
    }

    /// The id of the dictionary `doc`'s text was compressed with (0: none), read from its frame.
    func storedTextDictionary(_ doc: UInt32) throws -> UInt32 {
        guard let bytes = try TextChunks.read(doc, txn: txn, table: store.table(Format.TableName.text)) else { return 0 }
        return bytes.withUnsafeBytes { TextDecompressor.dictionaryID(of: $0) }
    }

    public func docID(forExternalID id: String) throws -> UInt32? {
        guard !id.isEmpty else { return nil }  // no document has one, and LMDB refuses an empty key
        guard let raw = try txn.get(store.table(Format.TableName.ids), IDKey.make(id)), raw.count == 4 else {
            return nil
        }
        let doc = Keys.readBigEndian(raw)
        return try document(doc).externalID.isExactly(id) ? doc : nil
    }

    /// The document an identical copy recorded under `id` repeats (search lists the content
    /// once, under the document's id); nil when `id` is no such copy.
    public func docID(forCopy id: String) throws -> UInt32? {
        guard !id.isEmpty, !id.hasPrefix(FileEntry.keyPrefix) else { return nil }  // JSON Lines files' entries
        guard let raw = try txn.get(store.table(Format.TableName.aliases), IDKey.make(id)) else { return nil }
        let doc = try CopyEntry.decode(raw).canonical
        return try txn.get(store.table(Format.TableName.docs), Keys.docID(doc)) == nil ? nil : doc
    }

    /// Every identical copy with the document it repeats, in id order: its id as the
    /// `aliases` key holds it (an id over 400 bytes by its first 383 and "…", and `isWhole` false).
    public func copies() throws -> [(id: String, doc: UInt32, isWhole: Bool)] {
        let cursor = try txn.cursor(store.table(Format.TableName.aliases))
        var out: [(id: String, doc: UInt32, isWhole: Bool)] = []
        var entry = try cursor.first()
        while let e = entry {
            let kept = e.key.prefix { $0 != 0 }
            let isWhole = kept.count == e.key.count
            let id = String(decoding: kept, as: UTF8.self) + (isWhole ? "" : "…")
            if !id.hasPrefix(FileEntry.keyPrefix) {
                let doc = try CopyEntry.decode(e.value).canonical
                if try txn.get(store.table(Format.TableName.docs), Keys.docID(doc)) != nil { out.append((id, doc, isWhole)) }
            }
            entry = try cursor.next()
        }
        return out
    }

    /// Every live doc id in order (for brute-force checks and integrity).
    public func allDocIDs() throws -> [UInt32] {
        let cursor = try txn.cursor(store.table(Format.TableName.docs))
        var out: [UInt32] = []
        var entry = try cursor.first()
        while let e = entry {
            // Keys of another table (a page of `text` where a `docs` page was) had read as ids,
            // some twice: `duplicates` then paired documents with themselves, at exit 0.
            guard e.key.count == 4 else { throw IndexError.corrupt("docs: a key of \(e.key.count) bytes, not a doc id") }
            let doc: UInt32 = Keys.readBigEndian(e.key)
            if let last = out.last, doc <= last { throw IndexError.corrupt("docs: doc \(doc) listed after doc \(last)") }
            out.append(doc)
            entry = try cursor.next()
        }
        return out
    }

    /// Every term of a field with its info, in byte order (for `check` and tests).
    public func allTerms(_ field: Field) throws -> [TermInfo] {
        try terms(withPrefix: "", field: field, limit: Int.max).terms
    }
}
