// InvertedIndex: the writer thread: each batch written in one LMDB transaction while the next fills.
// Owns the order of commits, the committed stats, and what a run's batches handed over to copies.
import Analysis
import Dispatch
import Storage
import Synchronization

/// Writes batches on its own thread, one LMDB write transaction each, so the next batch
/// fills while this one is written. At most one batch is being written at a time.
final class BatchFlusher: @unchecked Sendable {
    private let store: IndexStore
    private let analyzer: Analyzer
    private let compressor = TextCompressor()
    private let decompressor = TextDecompressor()
    private let queue = DispatchQueue(label: "newsidx.batch-writer")
    private let group = DispatchGroup()
    private var committed: CollectionStats
    private var failure: Error?
    private var batches = 0
    /// Ids this run's batches handed a document to (`BatchFlush`), read and written on its queue.
    private var renamed = Set<ExactID>()
    /// Documents this run handed to a copy; read after `finish`.
    var handedToCopies: Int { renamed.count }
    /// What the last batch's commit wrote (nil before the first, or where it cannot be
    /// measured); read after `waitIdle`.
    private(set) var lastCommitBytes: Int?
    /// Called on the writer thread after each batch commits (tests check what is committed).
    var afterCommit: (() -> Void)?

    init(store: IndexStore, stats: CollectionStats, analyzer: Analyzer) {
        self.store = store
        self.analyzer = analyzer
        committed = stats
    }

    func waitIdle() throws {
        group.wait()
        if let failure { throw failure }
    }

    func write(_ batch: BatchBuilder, nextDocID: UInt32) throws {
        try waitIdle()
        queue.async(group: group) { [self] in
            do {
                lastCommitBytes = try store.env.writeCountingBytes { txn in
                    var stats = committed
                    _ = try BatchFlush(store: store, txn: txn, batch: batch, analyzer: analyzer, compressor: compressor,
                                   decompressor: decompressor).write(stats: &stats, renamed: &renamed)
                    stats.nextDocID = nextDocID
                    try store.writeStats(stats, txn)
                    committed = stats
                }.bytes
                // LMDB reuses pages freed by a transaction only two commits later; a tiny
                // commit now lets the next batch reuse what this one freed.
                try store.env.write { txn in try store.writeUpdateTime(txn) }
                store.env.releaseMappedPages()
                batches += 1
                afterCommit?()
            } catch let e as LMDBError {
                failure = IndexError.storage(e, path: store.path)
            } catch {
                failure = error
            }
        }
    }

    /// Waits for the last batch; returns how many batches were written.
    func finish() throws -> Int {
        try waitIdle()
        return batches
    }
}

/// One chunk of documents being prepared and analyzed on the workers, in the background.
/// Each worker takes the next document no worker has taken yet, so one slow page holds up no
/// other (worker w taking documents w, w + W, w + 2W... left a worker idle for up to a page's
/// cleaning at every chunk's end). Each still sees its documents in order, which keeps its
/// vocabulary's new-term numbering in step with the merging thread.
final class ChunkAnalysis: @unchecked Sendable {
    private let buffer: UnsafeMutablePointer<Result<AnalyzedDocument?, Error>>
    private let count: Int
    private let group = DispatchGroup()

    init(inputs: [PendingDocument], workers: [DocumentAnalyzer]) {
        count = inputs.count
        buffer = .allocate(capacity: inputs.count)
        buffer.initialize(repeating: .success(nil), count: inputs.count)
        let out = ResultSlots(base: buffer), count = self.count
        let taken = TakenCount()
        DispatchQueue.global().async(group: group) {
            DispatchQueue.concurrentPerform(iterations: workers.count) { w in
                let worker = workers[w]
                while case let i = taken.take(), i < count {
                    out.base[i] = Result { try inputs[i].prepare().map { worker.analyze($0) } }
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

/// How many documents of a chunk the workers have taken.
private final class TakenCount: Sendable {
    private let count = Atomic<Int>(0)

    /// The index of the next document, now taken.
    func take() -> Int { count.add(1, ordering: .relaxed).oldValue }
}

/// Result slots the workers fill, each slot written by exactly one worker.
private struct ResultSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<Result<AnalyzedDocument?, Error>>
}

/// An id compared byte for byte, as the `ids` table compares its keys. Swift's `String` equality
/// is canonical equivalence: "café" with a combining accent equals "café" with a precomposed
/// one, so two files named so (two paths on Linux) had become one document, the other dropped.
struct ExactID: Hashable {
    let bytes: [UInt8]
    init(_ id: String) { bytes = Array(id.utf8) }
    init(bytes: [UInt8]) { self.bytes = bytes }
}

extension String {
    /// Whether `other` is this id byte for byte (not only canonically equivalent).
    func isExactly(_ other: String) -> Bool { utf8.elementsEqual(other.utf8) }
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
