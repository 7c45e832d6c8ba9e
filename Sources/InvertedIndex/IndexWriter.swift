// InvertedIndex: adding documents to an index, batch by batch, each batch one LMDB transaction.
// Owns parallel analysis, batch flushing, block merging with a term's last partial block, and stats.
import Analysis
import Storage
import Dispatch

/// What one `index` run did.
public struct IndexReport: Sendable {
    public var added = 0
    public var skipped = 0
    /// Documents that could not be read or parsed, with what and where.
    public var problems: [String] = []
    public var batches = 0
}

/// Adds documents to an index. Call `add` repeatedly, then `finish` once.
///
/// Documents are prepared and analyzed by worker threads a chunk at a time; while the workers
/// analyze one chunk, the calling thread merges the previous one into the batch and writes
/// full batches, so reading, analysis and writing overlap.
public final class IndexWriter {
    public let store: IndexStore
    private let workers: [DocumentAnalyzer]
    private var vocabularies: [LocalVocabulary]
    private var batch: BatchBuilder
    private var filling: [PendingDocument] = []
    private var inFlight: ChunkAnalysis?
    private var batchIDs = Set<String>()
    private var nextDocID: UInt32
    private let flusher: BatchFlusher
    public private(set) var report = IndexReport()
    /// A batch is written once it holds this many positions (bounds memory).
    public var maxBatchPositions = 12_000_000
    public var maxBatchDocuments = 50_000
    private let chunkSize = 512

    public init(store: IndexStore, threads: Int = 2) throws {
        self.store = store
        workers = try (0..<max(1, threads)).map { try DocumentAnalyzer(language: store.stemmer, worker: $0) }
        vocabularies = Array(repeating: LocalVocabulary(), count: workers.count)
        batch = BatchBuilder(workers: workers.count)
        let stats: CollectionStats
        do {
            stats = try store.env.read { try store.readStats($0) }
        } catch let e as LMDBError { throw IndexError.storage(e, path: store.path) }
        nextDocID = stats.nextDocID
        flusher = BatchFlusher(store: store, stats: stats)
    }

    /// Queues a document; analysis and writing happen in chunks and batches.
    public func add(_ doc: PendingDocument) throws {
        filling.append(doc)
        if filling.count >= chunkSize { try dispatchChunk() }
    }

    /// Writes whatever is queued and syncs the index to disk.
    public func finish() throws -> IndexReport {
        try dispatchChunk()
        try mergeInFlight()
        try flush()
        let written = try flusher.finish()
        report.added = written.documents
        report.batches = written.batches
        try store.sync()
        return report
    }

    /// Starts analysis of the filled chunk once the workers are free, then merges the previous one.
    private func dispatchChunk() throws {
        guard !filling.isEmpty else { return }
        let previous = inFlight
        previous?.wait()
        inFlight = ChunkAnalysis(inputs: filling, workers: workers)
        filling = []
        if let previous { try merge(previous.results) }
    }

    private func mergeInFlight() throws {
        guard let chunk = inFlight else { return }
        inFlight = nil
        chunk.wait()
        try merge(chunk.results)
    }

    private func merge(_ results: [Result<AnalyzedDocument?, Error>]) throws {
        for result in results {
            switch result {
            case let .success(doc?): try merge(doc)
            case .success(nil): report.skipped += 1
            case let .failure(error): report.problems.append(String(describing: error))
            }
        }
    }

    private func merge(_ doc: AnalyzedDocument) throws {
        if vocabularies[doc.worker].generation != doc.generation { batch.resetWorker(doc.worker) }
        vocabularies[doc.worker].record(doc)
        let id = doc.record.externalID
        if try batchIDs.contains(id) || flusher.isBeingWritten(id) || existingDocument(id) {
            report.skipped += 1
            return
        }
        batchIDs.insert(id)
        batch.add(doc, id: nextDocID, vocabulary: vocabularies[doc.worker])
        nextDocID += 1
        if batch.positionCount >= maxBatchPositions || batch.documents.count >= maxBatchDocuments {
            try flush()
        }
    }

    private func existingDocument(_ externalID: String) throws -> Bool {
        try store.env.read { txn in try txn.get(store.table(Format.TableName.ids), IDKey.make(externalID)) != nil }
    }

    /// Hands the batch to the flusher thread and starts a new one.
    private func flush() throws {
        guard !batch.isEmpty else { return }
        try flusher.write(batch, ids: batchIDs, nextDocID: nextDocID)
        batch = BatchBuilder(workers: workers.count)
        batchIDs = []
    }
}

/// Writes batches on its own thread, one LMDB write transaction each, so the next batch
/// fills while this one is written. At most one batch is being written at a time.
final class BatchFlusher: @unchecked Sendable {
    private let store: IndexStore
    private let queue = DispatchQueue(label: "newsidx.batch-writer")
    private let group = DispatchGroup()
    private var committed: CollectionStats
    private var failure: Error?
    private var writingIDs = Set<String>()
    private var documents = 0
    private var batches = 0

    init(store: IndexStore, stats: CollectionStats) {
        self.store = store
        committed = stats
    }

    /// Ids of the batch being written, which readers of the index cannot see yet.
    func isBeingWritten(_ id: String) -> Bool { writingIDs.contains(id) }

    func write(_ batch: BatchBuilder, ids: Set<String>, nextDocID: UInt32) throws {
        group.wait()
        if let failure { throw failure }
        writingIDs = ids
        queue.async(group: group) { [self] in
            do {
                try store.env.write { txn in
                    var stats = committed
                    try BatchFlush(store: store, txn: txn, batch: batch).write(stats: &stats)
                    stats.nextDocID = nextDocID
                    try store.writeStats(stats, txn)
                    committed = stats
                }
                documents += batch.documents.count
                batches += 1
            } catch let e as LMDBError {
                failure = IndexError.storage(e, path: store.path)
            } catch {
                failure = error
            }
        }
    }

    /// Waits for the last batch; returns documents and batches written.
    func finish() throws -> (documents: Int, batches: Int) {
        group.wait()
        writingIDs = []
        if let failure { throw failure }
        return (documents, batches)
    }
}

/// One chunk of documents being prepared and analyzed on the workers, in the background.
/// Worker w takes documents w, w + W, w + 2W...: each worker sees its documents in order,
/// which keeps its vocabulary's new-term numbering in step with the merging thread.
final class ChunkAnalysis: @unchecked Sendable {
    private let buffer: UnsafeMutablePointer<Result<AnalyzedDocument?, Error>>
    private let count: Int
    private let group = DispatchGroup()

    init(inputs: [PendingDocument], workers: [DocumentAnalyzer]) {
        count = inputs.count
        buffer = .allocate(capacity: inputs.count)
        buffer.initialize(repeating: .success(nil), count: inputs.count)
        let out = ResultSlots(base: buffer), count = self.count
        DispatchQueue.global().async(group: group) {
            DispatchQueue.concurrentPerform(iterations: workers.count) { w in
                let worker = workers[w]
                var i = w
                while i < count {
                    out.base[i] = Result { try inputs[i].prepare().map { worker.analyze($0) } }
                    i += workers.count
                }
            }
        }
    }

    deinit {
        group.wait()
        buffer.deinitialize(count: count)
        buffer.deallocate()
    }

    func wait() { group.wait() }

    /// The analyzed documents in input order; call after `wait`.
    var results: [Result<AnalyzedDocument?, Error>] { Array(UnsafeBufferPointer(start: buffer, count: count)) }
}

/// Result slots the workers fill, each slot written by exactly one worker.
private struct ResultSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<Result<AnalyzedDocument?, Error>>
}

/// Keys of the `ids` table: the external id, or for ids past LMDB's key limit a prefix and a hash.
enum IDKey {
    static let limit = 400

    static func make(_ externalID: String) -> [UInt8] {
        let bytes = Array(externalID.utf8)
        guard bytes.count > limit else { return bytes }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Array(bytes.prefix(limit - 17)) + [0] + Array(String(h, radix: 16).utf8)
    }
}
