// InvertedIndex: handing a document that is about to be removed over to an identical copy of it.
// Owns the walk over `aliases` that finds such copies, and the renaming of the document to one.
import Storage

/// An input identical to an indexed document is not indexed again: it is recorded in `aliases`
/// under its own id, pointing at the document. When that document is replaced, deleted or
/// pruned, the copy still exists and must stay searchable, so the document is kept and renamed
/// to the copy's id instead of being removed (it had vanished until the next run read the copy).
struct AliasPromotion {
    let store: IndexStore
    let txn: Transaction

    /// Renames each of `removals` that an alias points at to that alias's id, unless the id is
    /// among `incoming` (ids this batch adds documents under); returns the documents kept, with
    /// the ids they now have. The ids are gathered only for a batch that removes something,
    /// which most do not.
    func promote<Incoming: Sequence<String>>(_ removals: [UInt32], incoming: Incoming) throws -> [UInt32: String] {
        guard !removals.isEmpty else { return [:] }
        var kept: [UInt32: String] = [:]
        for (doc, heir) in try aliases(pointingAt: Set(removals), skipping: Set(incoming.map(ExactID.init)))
        where try rename(doc, to: heir.id, source: heir.source) {
            kept[doc] = heir.id
        }
        return kept
    }

    /// The first alias (in key order) pointing at each of `docs`. JSON Lines file stamps
    /// (`file:` keys, whose number is a record count) and hashed long ids (a NUL inside) are
    /// not ids an alias can be renamed to.
    private func aliases(pointingAt docs: Set<UInt32>, skipping incomingIDs: Set<ExactID>)
        throws -> [UInt32: (id: String, source: SourceStamp)] {
        var heirs: [UInt32: (id: String, source: SourceStamp)] = [:]
        let cursor = try txn.cursor(store.table(Format.TableName.aliases))
        var entry = try cursor.first()
        while let e = entry {
            entry = try cursor.next()
            guard !e.key.starts(with: Self.fileKeyPrefix), !e.key.contains(0) else { continue }
            guard let copy = try? CopyEntry.decode(e.value), docs.contains(copy.canonical), heirs[copy.canonical] == nil
            else { continue }
            let id = String(decoding: e.key, as: UTF8.self)
            if !incomingIDs.contains(ExactID(id)) { heirs[copy.canonical] = (id, copy.source) }
        }
        return heirs
    }

    private static let fileKeyPrefix = Array(FileEntry.keyPrefix.utf8)

    /// Gives `doc` the alias's id and source stamp, moving its `ids` entry and dropping the
    /// alias; false when the document has no record to rename.
    private func rename(_ doc: UInt32, to id: String, source: SourceStamp) throws -> Bool {
        let docs = store.table(Format.TableName.docs), ids = store.table(Format.TableName.ids)
        let key = Keys.docID(doc)
        guard let raw = try txn.get(docs, key) else { return false }
        var record = try DocumentRecord.decode(raw)
        let oldKey = IDKey.make(record.externalID)
        if let mapped = try txn.get(ids, oldKey), mapped.elementsEqual(key) { try txn.delete(ids, oldKey) }
        record.externalID = id
        record.source = source
        try txn.put(docs, key, record.encoded())
        try txn.put(ids, IDKey.make(id), key)
        try txn.delete(store.table(Format.TableName.aliases), IDKey.make(id))
        return true
    }
}
