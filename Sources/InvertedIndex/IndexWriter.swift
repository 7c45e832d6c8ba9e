// InvertedIndex: adding documents to an index, batch by batch, each batch one LMDB transaction.
// Owns parallel analysis, what each input becomes (added, replaced, a copy), and prune.
import Analysis
import Storage
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Adds, replaces and removes documents. Call `add` (and `delete`, `prune`) repeatedly,
/// then `finish` once.
///
/// Documents are prepared and analyzed by worker threads a chunk at a time; while the workers
/// analyze one chunk, the calling thread merges the previous one into the batch, and a writer
/// thread commits the batch before, so reading, analysis and writing overlap.
public final class IndexWriter {
    public let store: IndexStore
    private let workers: [DocumentAnalyzer]
    private var vocabularies: [LocalVocabulary]
    private var batch: BatchBuilder
    private var filling: [PendingDocument] = []
    private var inFlight: ChunkAnalysis?
    private var finishedFiles = FinishedFiles()
    /// JSON Lines files (by path) holding a record that failed this run.
    private var filesWithBadRecords = Set<ExactID>()
    /// Unchanged JSON Lines files holding ids whose documents another file gave their text.
    private var filesHoldingOthersRecords = Set<ExactID>()
    /// Ids and content hashes of documents not committed yet (this batch and the one being written).
    private var batchIDs: [ExactID: UInt32] = [:], flushingIDs: [ExactID: UInt32] = [:]
    private var batchHashes: [UInt64: UInt32] = [:], flushingHashes: [UInt64: UInt32] = [:]
    /// Every id and JSON Lines file this run met, kept only for `prune` (set before adding
    /// anything): 350,000 ids are a few tens of MB that a run without `--prune` never reads.
    public var tracksIDsForPrune = false
    private var sources = RunSources()
    /// Documents the batch being written removes: until it commits, whether each goes or is
    /// handed to a copy of it is not known.
    private var removalsInFlight = Set<UInt32>()
    private let origins = OriginNumbers()
    /// Whether JSON Lines text is cleaned (`--clean`): a file read whole without it is read
    /// again with it, and the other way round.
    public var cleansRecords = false
    /// Documents merged so far, for releasing mapped pages now and then.
    private var merged = 0
    private var nextDocID: UInt32
    private let firstDocIDOfRun: UInt32
    let flusher: BatchFlusher
    public private(set) var report = IndexReport()
    /// A batch is written once it holds this many positions (bounds memory), fewer once
    /// commits grow past `commitAllowance` (see `positionLimit`).
    public var maxBatchPositions = 4_000_000
    /// Bytes a commit may write before the batches after it shrink.
    public var commitAllowance = 64 << 20
    /// The positions the filling batch may hold, set at each hand-over to the writer.
    private var positionLimit: Int?
    public var maxBatchDocuments = 50_000
    public var textDictionaries = TextDictionarySettings()
    /// Made when the first chunk is dispatched, so settings changed after `init` apply.
    private var trainer: TextDictionaryTrainer?
    private let chunkSize = 512
    /// A chunk is also cut at this many source bytes. Cut by count alone, a chunk of web pages
    /// (about 140 KB each) was seconds of cleaning: the workers waited while the first 512
    /// pages were read, and the reader while they cleaned them (ARCHITECTURE.md). Records of a
    /// dump count none: a record followed in the same chunk by its revision is passed over,
    /// and smaller chunks had split such pairs, each split costing a commit.
    private let chunkBytes = 4 << 20
    private var fillingBytes = 0

    public init(store: IndexStore, threads: Int = 2) throws {
        self.store = store
        workers = try (0..<max(1, threads)).map { try DocumentAnalyzer(language: store.stemmer, eastAsian: store.eastAsian, worker: $0) }
        vocabularies = Array(repeating: LocalVocabulary(), count: workers.count)
        batch = BatchBuilder(workers: workers.count)
        let stats: CollectionStats
        do {
            stats = try store.env.read { try store.readStats($0) }
        } catch let e as LMDBError { throw IndexError.storage(e, path: store.path) }
        nextDocID = stats.nextDocID
        firstDocIDOfRun = stats.nextDocID
        flusher = BatchFlusher(store: store, stats: stats, analyzer: try Analyzer(language: store.stemmer, eastAsian: store.eastAsian))
    }

    /// Queues a document; analysis and writing happen in chunks and batches.
    public func add(_ doc: PendingDocument) throws {
        finishedFiles.recordQueued()
        filling.append(doc)
        fillingBytes += doc.sourceBytes
        if filling.count >= chunkSize || fillingBytes >= chunkBytes { try dispatchChunk() }
    }

    /// Whether the file behind `id` is as indexed (same size and modification time), so it
    /// need not be read. Counts it as unchanged when so.
    public func isUnchanged(id: String, size: UInt64, modified: Int64) throws -> Bool {
        if tracksIDsForPrune { sources.met(documentFile: id, size: size, modified: modified) }
        guard let stamp = try committedStamp(of: id) else { return false }
        let same = stamp.size == size && stamp.modified == modified
        if same { report.unchanged += 1 }
        return same
    }

    /// Whether a JSON Lines file is as it was last read whole; its records count as unchanged.
    public func isUnchangedFile(path: String, size: UInt64, modified: Int64) throws -> Bool {
        if tracksIDsForPrune { sources.met(file: path) }
        guard let entry = try fileEntry(path), entry.size == size, entry.modified == modified,
              entry.cleaned == cleansRecords else {
            return false
        }
        report.unchanged += entry.records
        return true
    }

    /// Whether a JSON Lines file found unchanged must be read again for its records' ids: with
    /// `--prune`, unless a pruning run has met its records since it was last read whole. A run
    /// without `--prune` may have read it after it lost a record, which would otherwise stay
    /// until the file changed again.
    public func unchangedFileNeedsIDs(path: String) throws -> Bool {
        guard tracksIDsForPrune else { return false }
        return try fileEntry(path).map { !$0.pruned } ?? true
    }

    /// Notes a path the run could not read (a folder, a file, a path given that is missing):
    /// `prune` removes nothing at or under it.
    public func couldNotRead(_ path: String) {
        if tracksIDsForPrune { sources.problem(in: path) }
    }

    /// Meets the records of a JSON Lines file found unchanged, read again for their ids alone.
    /// Returns whether it must be read whole after all: a record it holds was last given its
    /// text by another file, now gone, so the text this file holds must replace it (a record's
    /// text follows the file that last gave it; kept as it was, the record had been pruned by
    /// the next run, which found this file marked pruned and its own file gone).
    public func metUnchangedFile(path: String, ids: [String]) throws -> Bool {
        guard tracksIDsForPrune else { return false }
        switch try recordsGivenElsewhere(path, ids) {
        case .byAGoneFile:
            report.unchanged -= try fileEntry(path)?.records ?? 0  // the whole read counts them again
            return true
        case .byFilesThatRemain:
            // Not marked pruned, so each pruning run reads its ids and sees when those go.
            filesHoldingOthersRecords.insert(ExactID(path))
        case .none:
            break
        }
        for id in ids { sources.met(id: id) }
        sources.readWhole(file: path)
        return false
    }

    private enum RecordsGivenElsewhere { case none, byFilesThatRemain, byAGoneFile }

    /// Whether documents of `ids` took their text from JSON Lines files other than `path`, and
    /// whether one of those no longer exists.
    private func recordsGivenElsewhere(_ path: String, _ ids: [String]) throws -> RecordsGivenElsewhere {
        let files = try origins.paths(store: store)
        // One read transaction for them all: one each took news-combined's 69,709 ids 0.6 s.
        let otherOrigins = try store.env.read { txn in
            var found = Set<String>()
            for id in ids {
                if let origin = try committedDocument(id, txn: txn).flatMap({ files[$0.record.source.origin] }), !origin.isExactly(path) {
                    found.insert(origin)
                }
            }
            return found
        }
        for origin in otherOrigins {
            var st = stat()
            if stat(origin, &st) != 0 { return .byAGoneFile }
        }
        return otherOrigins.isEmpty ? .none : .byFilesThatRemain
    }

    /// Records that a JSON Lines file was read to the end, with its number of records: in the
    /// batch that holds its last record, or a later one (see `FinishedFiles`).
    public func finishedFile(path: String, size: UInt64, modified: Int64, records: Int) {
        if tracksIDsForPrune { sources.readWhole(file: path) }
        let entry = FileEntry(records: records, size: size, modified: modified, cleaned: cleansRecords)
        finishedFiles.finish(FinishedFile(path: path, entry: entry))
        enterCompleteFiles()
    }

    /// A file with a bad record gets no "read whole" entry, so the next run reads it again and
    /// reports the record again (exit 2) until it is fixed: skipped as unchanged, it had passed
    /// silently from the second run on.
    private func enterCompleteFiles() {
        batch.files += finishedFiles.takeComplete().filter { !filesWithBadRecords.contains(ExactID($0.path)) }
    }

    /// Removes documents by id, and copies recorded as aliases of one; returns the ids that
    /// were neither.
    public func delete(ids: [String]) throws -> [String] {
        var missing: [String] = [], removed = Set<UInt32>(), droppedAliases: [ExactID: UInt32] = [:]
        var origins = Set<UInt32>()
        for id in ids {
            if let (doc, record) = try committedDocument(id) {
                if removed.insert(doc).inserted { batch.removals.append(doc) }  // an id given twice counts once
                origins.insert(record.source.origin)
            } else if !id.isEmpty, let copy = try copyEntry(id) {
                if droppedAliases.updateValue(copy.canonical, forKey: ExactID(id)) == nil { batch.droppedAliases.append(id) }
                origins.insert(copy.source.origin)
            } else {
                missing.append(id)
            }
        }
        try forgetReadWhole(origins)
        report.removed += removed.count + droppedAliases.count
        // A copy whose document goes in the same call leaves nothing behind: only the others'
        // documents stay (the summary had said so of both).
        report.copiesForgotten += droppedAliases.values.filter { !removed.contains($0) }.count
        return missing
    }

    /// A deleted record comes back when its JSON Lines file is read again, as a deleted file's
    /// document does: the files it came from lose their "read whole" entries, or the next run
    /// had found them unchanged and skipped them (and said "unchanged" of the deleted records).
    private func forgetReadWhole(_ origins: Set<UInt32>) throws {
        let numbered = origins.subtracting([0])
        guard !numbered.isEmpty else { return }
        let paths = try self.origins.paths(store: store)
        let files = numbered.compactMap { paths[$0] }
        let again = Set((files + (try entriesOfTheSameFiles(as: files))).map(ExactID.init))
        batch.filesToReadAgain += again.map { String(decoding: $0.bytes, as: UTF8.self) }.sorted()
    }

    /// Read-whole entries under other spellings of these files (`d/x.jsonl` and `$PWD/d/x.jsonl`
    /// both read): left, the next run under that spelling skipped the file (found by review).
    /// The same file by device and inode, or by name alone: a relative path names a file under
    /// the folder its run started in, which `delete` may not be in, and an entry dropped too
    /// many costs one reading of an unchanged file.
    private func entriesOfTheSameFiles(as files: [String]) throws -> [String] {
        func identity(_ path: String) -> [UInt64]? {
            var st = stat()
            return stat(path, &st) == 0 ? [UInt64(st.st_dev), UInt64(st.st_ino)] : nil
        }
        func name(_ path: String) -> Substring { path.split(separator: "/").last ?? "" }
        let identities = Set(files.compactMap(identity)), names = Set(files.map(name))
        let exact = Set(files.map(ExactID.init))
        let prefix = Array(FileEntry.keyPrefix.utf8)
        var same: [String] = []
        try store.env.read { txn in
            let cursor = try txn.cursor(store.table(Format.TableName.aliases))
            var entry = try cursor.seek(atLeast: prefix)
            while let e = entry, e.key.starts(with: prefix) {
                // A path past `IDKey.limit` is stored hashed (with a 0 byte): it cannot be read back.
                let path = String(decoding: e.key.dropFirst(prefix.count), as: UTF8.self)
                if !e.key.contains(0), !exact.contains(ExactID(path)),
                   names.contains(name(path)) || identity(path).map(identities.contains) == true {
                    same.append(path)
                }
                entry = try cursor.next()
            }
        }
        return same
    }

    /// A file met in a folder that now holds no text (it has NUL bytes) loses the document
    /// an earlier run made of it, with a note naming it: it had gone with only "removed 1".
    public func fileTurnedBinary(_ path: String) throws {
        guard try delete(ids: [path]).isEmpty else { return }
        report.notes.append("\(path): now a binary file (it has NUL bytes), so its document was removed")
    }

    /// Removes the documents whose sources under `paths` are gone (see `RunSources`), and
    /// forgets such aliases (so no removed document is handed to them) and file entries.
    public func prune(under paths: [String]) throws {
        precondition(tracksIDsForPrune, "prune needs tracksIDsForPrune set before documents are added")
        // Every record read must be merged first: its id is met only then.
        try dispatchChunk()
        try mergeInFlight()
        var removals = Set(batch.removals)
        func remove(_ doc: UInt32) {
            guard removals.insert(doc).inserted else { return }
            batch.removals.append(doc)
            report.removed += 1
        }
        let files = try origins.paths(store: store)
        let roots = sources.roots(paths)
        try store.env.read { txn in
            try forEachDocumentGone(under: roots, files: files, txn: txn) { remove($0) }
            let gone = try aliasesGone(under: roots, files: files, txn: txn)
            batch.droppedAliases += gone.map(\.key)
            // A copy's id found its document as `show` and `delete` take it; the summary had
            // said "removed 0" of it, where `delete` counts it.
            let copies = gone.compactMap(\.canonical)
            report.removed += copies.count
            report.copiesForgotten += copies.filter { !removals.contains($0) }.count
        }
        try markPruned(sources.filesMetWhole.filter { !filesHoldingOthersRecords.contains(ExactID($0)) })
    }

    /// Marks the entries of JSON Lines files whose every record this run met as pruned, in the
    /// batch that removes what they no longer hold (so a later `--prune` need not read them
    /// again while they stay unchanged).
    private func markPruned(_ paths: [String]) throws {
        try flusher.waitIdle()  // an entry in the batch being written is committed before it is read
        for path in paths {
            let pending = batch.files.lastIndex { $0.path == path }
            guard var entry = try pending.map({ batch.files[$0].entry }) ?? fileEntry(path), !entry.pruned else { continue }
            entry.pruned = true
            batch.files.append(FinishedFile(path: path, entry: entry))
        }
    }

    /// Calls `body` with each document whose source is gone: a file, or a JSON Lines record
    /// (found by the file number its record keeps, so every document is looked at).
    private func forEachDocumentGone(under paths: RunSources.PathSet, files: [UInt32: String], txn: Transaction,
                                     _ body: (UInt32) -> Void) throws {
        let cursor = try txn.cursor(store.table(Format.TableName.docs))
        var entry = try cursor.first()
        while let e = entry {
            let record = try DocumentRecord.decode(e.value)
            if sources.isGone(id: record.externalID, origin: files[record.source.origin] ?? "", stamp: record.source, under: paths) {
                body(Keys.readBigEndian(e.key))
            }
            entry = try cursor.next()
        }
    }

    /// The keys in `aliases` whose source is gone: copies (files by path, records by their
    /// origin), with the document each is a copy of, and the entries of JSON Lines files read whole.
    private func aliasesGone(under paths: RunSources.PathSet, files: [UInt32: String],
                             txn: Transaction) throws -> [(key: String, canonical: UInt32?)] {
        var gone: [(key: String, canonical: UInt32?)] = []
        let cursor = try txn.cursor(store.table(Format.TableName.aliases))
        var entry = try cursor.first()
        while let e = entry {
            entry = try cursor.next()
            guard !e.key.contains(0) else { continue }  // a hashed long id: not a path
            let key = String(decoding: e.key, as: UTF8.self)
            if key.hasPrefix(FileEntry.keyPrefix) {
                if sources.isGone(file: String(key.dropFirst(FileEntry.keyPrefix.count)), under: paths) { gone.append((key, nil)) }
                continue
            }
            let copy = try CopyEntry.decode(e.value)
            if sources.isGone(id: key, origin: files[copy.source.origin] ?? "", stamp: copy.source, under: paths) {
                gone.append((key, copy.canonical))
            }
        }
        return gone
    }

    /// Writes whatever is queued and syncs the index to disk.
    public func finish() throws -> IndexReport {
        try dispatchChunk()
        try mergeInFlight()
        try flush()
        report.batches = try flusher.finish()
        report.handedToCopies = flusher.handedToCopies
        try store.sync()
        return report
    }

    /// Starts analysis of the filled chunk once the workers are free, then merges the previous one.
    private func dispatchChunk() throws {
        guard !filling.isEmpty else { return }
        let previous = inFlight
        previous?.wait()
        let handling = try dictionaryTrainer().handling
        for w in workers { w.textHandling = handling }
        inFlight = ChunkAnalysis(inputs: filling, workers: workers)
        filling = []
        fillingBytes = 0
        if let previous { try merge(previous.results) }
    }

    private func mergeInFlight() throws {
        guard let chunk = inFlight else { return }
        inFlight = nil
        chunk.wait()
        try merge(chunk.results)
    }

    private func merge(_ results: [Result<AnalyzedDocument?, Error>]) throws {
        let superseded = Self.supersededInChunk(results)
        for (i, result) in results.enumerated() {
            switch result {
            case let .success(doc?) where superseded.contains(i):
                take(doc)
                report.add(repeatedID: doc.record.externalID)
            case let .success(doc?): try merge(doc)
            case .success(nil): report.skipped += 1
            case let .failure(error):
                report.add(problem: String(describing: error), source: (error as? SourceProblem)?.sourcePath)
                if let problem = error as? SourceProblem {
                    filesWithBadRecords.insert(ExactID(problem.sourcePath))
                    if tracksIDsForPrune { sources.problem(in: problem.sourcePath) }
                }
            }
            finishedFiles.recordMerged()
            enterCompleteFiles()
        }
    }

    /// Indexes of the documents of a chunk whose id a later document of the same chunk has: the
    /// last record read is the one kept, so these are passed over, without the commit that a
    /// repeat of an id already in the batch costs (a dump of 3,000 records each followed by its
    /// revision took 11.2 s against 0.3 s now).
    static func supersededInChunk(_ results: [Result<AnalyzedDocument?, Error>]) -> Set<Int> {
        var later = Set<ExactID>(), superseded = Set<Int>()
        for i in results.indices.reversed() {
            guard case let .success(doc?) = results[i] else { continue }
            if !later.insert(ExactID(doc.record.externalID)).inserted { superseded.insert(i) }
        }
        return superseded
    }

    /// What every analyzed document needs, in order, whether it is kept or not: the worker
    /// vocabulary it extends, its notes, its id met.
    private func take(_ doc: AnalyzedDocument) {
        // The lookups of `merge` (`ids`, `hashes`) fault in pages anywhere in the file, each with
        // its neighbours; held until the writer's next release they were 150 MB on a 5× index.
        merged += 1
        if merged % 64 == 0 { store.releaseWriterMappedPagesIfLarge() }
        if vocabularies[doc.worker].generation != doc.generation { batch.resetWorker(doc.worker) }
        vocabularies[doc.worker].record(doc)
        for pair in doc.stemmedWords { batch.stemmedWords[pair.word] = pair.stem }
        report.notes += doc.notes
        if tracksIDsForPrune { sources.met(id: doc.record.externalID) }
    }

    private func merge(_ analyzed: AnalyzedDocument) throws {
        var doc = analyzed
        if !doc.origin.isEmpty {
            doc.record.source.origin = try origins.number(for: doc.origin, store: store, new: &batch.origins)
        }
        take(doc)
        let id = doc.record.externalID, hash = doc.record.source.contentHash
        if batchIDs[ExactID(id)] != nil || flushingIDs[ExactID(id)] != nil {
            // The same id twice in one run: commit the first so the second replaces it.
            try flush()
            _ = try flusher.finish()
        }
        if let existing = try committedDocument(id) {
            // Doc ids only grow, so one from this run's first on was added by this run: the id
            // came twice (only repeats within one batch had been counted). Such a repeat is
            // neither updated nor unchanged, as the run counted the id once already (a fresh
            // index had reported "updated 2" for one id given 1,500 times).
            let repeatsThisRun = existing.doc >= firstDocIDOfRun
            if repeatsThisRun { report.add(repeatedID: id) }
            if existing.record.source.contentHash == hash {
                if !repeatsThisRun { report.unchanged += 1 }
                if existing.record.source != doc.record.source { batch.restamps.append((existing.doc, doc.record.source)) }
                return
            }
            batch.removals.append(existing.doc)
            if !repeatsThisRun { report.updated += 1 }
            // Edited to equal another document: a copy of it, as a fresh index has it (it had
            // become a second document with that text, sharing its hashes entry).
            if let canonical = try documentWithContent(hash) {
                batch.aliases.append((id, doc.record.source, canonical))
                return
            }
        } else if let canonical = try documentWithContent(hash) {
            try requireOtherID(canonical, id)
            report.skipped += 1
            batch.aliases.append((id, doc.record.source, canonical))
            return
        } else {
            report.added += 1
        }
        batchIDs[ExactID(id)] = nextDocID
        batchHashes[hash] = nextDocID
        batch.add(doc, id: nextDocID, vocabulary: vocabularies[doc.worker])
        if let trained = try dictionaryTrainer().observe(doc.storedText) { batch.newDictionaries.append(trained) }
        nextDocID += 1
        if batch.positionCount >= positionLimit ?? maxBatchPositions || batch.documents.count >= maxBatchDocuments {
            try flush()
        }
    }

    private func committedDocument(_ id: String) throws -> (doc: UInt32, record: DocumentRecord)? {
        try store.env.read { try committedDocument(id, txn: $0) }
    }

    private func committedDocument(_ id: String, txn: Transaction) throws -> (doc: UInt32, record: DocumentRecord)? {
        guard !id.isEmpty else { return nil }  // no document has one, and LMDB refuses an empty key
        guard let raw = try txn.get(store.table(Format.TableName.ids), IDKey.make(id)), raw.count == 4 else { return nil }
        guard let rec = try txn.get(store.table(Format.TableName.docs), raw) else { return nil }
        let record = try DocumentRecord.decode(rec)
        return record.externalID.isExactly(id) ? (Keys.readBigEndian(raw), record) : nil
    }

    /// A document whose content an input repeats cannot have the input's own id: `ids` failed
    /// to find it by that id, so the table is damaged. Recording the input as a copy of itself
    /// had hidden the damage ("skipped 1", exit 0).
    private func requireOtherID(_ doc: UInt32, _ id: String) throws {
        let (holder, mapped) = try store.env.read { txn in
            (try txn.get(store.table(Format.TableName.docs), Keys.docID(doc)).map { try DocumentRecord.decode($0).externalID },
             try txn.get(store.table(Format.TableName.ids), IDKey.make(id)).flatMap { $0.count == 4 ? Keys.readBigEndian($0) : nil })
        }
        if let holder, holder.isExactly(id) { throw IndexError.corrupt("the ids table does not map '\(id)' to its document \(doc)") }
        if mapped == doc { throw IndexError.corrupt("doc \(doc), which the ids table gives for '\(id)', holds the id '\(holder ?? "")'") }
    }

    private func committedStamp(of id: String) throws -> SourceStamp? {
        if let existing = try committedDocument(id) { return existing.record.source }
        guard let copy = try copyEntry(id) else { return nil }
        let alive = try store.env.read { try $0.get(store.table(Format.TableName.docs), Keys.docID(copy.canonical)) != nil }
        return alive ? copy.source : nil
    }

    private func copyEntry(_ id: String) throws -> CopyEntry? {
        try store.env.read { txn in
            try txn.get(store.table(Format.TableName.aliases), IDKey.make(id)).map(CopyEntry.decode)
        }
    }

    private func fileEntry(_ path: String) throws -> FileEntry? {
        try store.env.read { txn in
            try txn.get(store.table(Format.TableName.aliases), IDKey.make(FileEntry.keyPrefix + path)).map(FileEntry.decode)
        }
    }

    /// The document holding this content. One the filling batch removes is fine: the batch
    /// writes its copies first and hands the document to one of them. One the batch being
    /// written removes is looked up again once that batch has committed: a copy recorded
    /// against a document already gone was lost.
    private func documentWithContent(_ hash: UInt64) throws -> UInt32? {
        if let doc = batchHashes[hash] ?? flushingHashes[hash] { return doc }
        func committed() throws -> UInt32? {
            try store.env.read { txn in
                try txn.get(store.table(Format.TableName.hashes), Keys.hash(hash)).map { Keys.readBigEndian($0) }
            }
        }
        let doc = try committed()
        guard let doc, removalsInFlight.contains(doc) else { return doc }
        try flusher.waitIdle()
        removalsInFlight = []
        return try committed()
    }

    private func dictionaryTrainer() throws -> TextDictionaryTrainer {
        if let trainer { return trainer }
        let current = try store.env.read { try TextDictionaryStore.current(txn: $0, meta: store.table(Format.TableName.meta)) }
        let made = TextDictionaryTrainer(current: current, settings: textDictionaries)
        trainer = made
        return made
    }

    /// The positions a batch may hold after a commit that wrote `lastCommit` bytes. A commit
    /// writes every page its transaction changed; LMDB held all of them in the heap until then
    /// and keeps their memory for the next transactions (`Environment.writeCountingBytes`).
    /// A batch changes the last leaf page of every term it continues, and as the index grows
    /// those pages are fewer terms' each: on five copies of news-combined commits grew from 18
    /// to 125 MB, for batches of 13 MB of new data. What the last commit wrote beyond
    /// `allowance` is taken from the batch, at `bytesPerPosition`, down to half the maximum.
    static func positionLimit(maximum: Int, lastCommit: Int?, allowance: Int) -> Int {
        let excess = max(0, (lastCommit ?? 0) - allowance)
        return max(maximum / 2, maximum - excess / bytesPerPosition)
    }

    /// Peak memory per position a batch may hold, two batches being in memory at once (one
    /// filling, one being written) with their encoding buffers. Measured on five copies of
    /// news-combined: batches of 3, 2 and 1.5 million positions peaked at 411, 366 and 337 MB.
    static let bytesPerPosition = 48

    /// Hands the batch to the writer thread and starts a new one.
    private func flush() throws {
        guard !batch.isEmpty else { return }
        // No trainer means no chunk was analyzed, so no text waits for a dictionary (`delete` runs).
        batch.dictionary = trainer?.current?.dictionary
        try flusher.waitIdle()
        positionLimit = Self.positionLimit(maximum: maxBatchPositions, lastCommit: flusher.lastCommitBytes,
                                           allowance: commitAllowance)
        flushingIDs = batchIDs
        flushingHashes = batchHashes
        removalsInFlight = Set(batch.removals)
        try flusher.write(batch, nextDocID: nextDocID)
        batch = BatchBuilder(workers: workers.count)
        batchIDs = [:]
        batchHashes = [:]
    }
}
