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
public final class IndexWriter {
    public let store: IndexStore
    private let workers: [DocumentAnalyzer]
    private var batch: BatchBuilder
    private var pending: [PendingDocument] = []
    private var pendingIDs = Set<String>()
    private var stats: CollectionStats
    public private(set) var report = IndexReport()
    /// A batch is written once it holds this many positions (bounds memory).
    public var maxBatchPositions = 12_000_000
    public var maxBatchDocuments = 50_000
    private let chunkSize = 256

    public init(store: IndexStore, threads: Int = 2) throws {
        self.store = store
        workers = try (0..<max(1, threads)).map { try DocumentAnalyzer(language: store.stemmer, worker: $0) }
        batch = BatchBuilder(analyzers: workers.map(\.analyzer))
        do {
            stats = try store.env.read { try store.readStats($0) }
        } catch let e as LMDBError { throw IndexError.storage(e, path: store.path) }
    }

    /// Queues a document; analysis and writing happen in chunks and batches.
    public func add(_ doc: PendingDocument) throws {
        pending.append(doc)
        if pending.count >= chunkSize { try analyzePending() }
    }

    /// Writes whatever is queued and syncs the index to disk.
    public func finish() throws -> IndexReport {
        try analyzePending()
        try flush()
        try store.sync()
        return report
    }

    private func analyzePending() throws {
        guard !pending.isEmpty else { return }
        let inputs = pending
        pending.removeAll(keepingCapacity: true)
        var results = [Result<AnalyzedDocument?, Error>](repeating: .success(nil), count: inputs.count)
        let workerCount = workers.count
        results.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: workerCount) { w in
                var i = w
                while i < inputs.count {
                    let worker = workers[w]
                    (outBase + i).pointee = Result { try inputs[i].prepare().map { worker.analyze($0) } }
                    i += workerCount
                }
            }
        }
        for result in results {
            switch result {
            case let .success(doc?): try merge(doc)
            case .success(nil): report.skipped += 1
            case let .failure(error): report.problems.append(String(describing: error))
            }
        }
    }

    private func merge(_ doc: AnalyzedDocument) throws {
        let id = doc.record.externalID
        if try pendingIDs.contains(id) || existingDocument(id) {
            report.skipped += 1
            return
        }
        pendingIDs.insert(id)
        batch.add(doc, id: stats.nextDocID)
        stats.nextDocID += 1
        if batch.positionCount >= maxBatchPositions || batch.documents.count >= maxBatchDocuments {
            try flush()
        }
    }

    private func existingDocument(_ externalID: String) throws -> Bool {
        try store.env.read { txn in try txn.get(store.table(Format.TableName.ids), IDKey.make(externalID)) != nil }
    }

    private func flush() throws {
        guard !batch.isEmpty else { return }
        do {
            try store.env.write { txn in
                var newStats = stats
                try BatchFlush(store: store, txn: txn, batch: batch).write(stats: &newStats)
                try store.writeStats(newStats, txn)
                stats = newStats
            }
        } catch let e as LMDBError {
            throw IndexError.storage(e, path: store.path)
        }
        report.added += batch.documents.count
        report.batches += 1
        batch = BatchBuilder(analyzers: workers.map(\.analyzer))
        pendingIDs.removeAll(keepingCapacity: true)
        for w in workers { w.analyzer.trimCaches(above: 256 << 20) }
    }
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
