// InvertedIndex: the norms chunks of one read transaction, found in the map once each.
// Owns where a chunk is found and kept; the chunk layout is `NormsCodec`'s (DocumentRecord.swift).
import Storage

/// Field lengths and dates read straight from the memory-mapped norms table. Chunk addresses
/// stay valid for the read transaction's life, so each chunk is looked up once.
final class MappedNorms {
    private let txn: Transaction
    private let table: Table
    /// Every chunk's address in the map, by chunk number; nil until first read, and checked
    /// for size then, so a length is one load with no bounds to test. Scoring looks a chunk up
    /// for every match: keeping the last chunk, or buffers whose sizes are tested at every
    /// read, left 5-word OR 6% and OR of 2–3 words 7% slower (alternated runs).
    private let chunks: UnsafeMutablePointer<UnsafeRawPointer?>
    private let chunkCount: Int
    /// Finds chunks in key order, and the chunk it is on (far below any when unplaced).
    private var cursor: Cursor?
    private var cursorChunk = MappedNorms.unplaced

    init(txn: Transaction, table: Table, docIDBound: UInt32) {
        self.txn = txn
        self.table = table
        chunkCount = Int(NormsCodec.chunk(of: docIDBound)) + 1
        chunks = .allocate(capacity: chunkCount)
        chunks.initialize(repeating: nil, count: chunkCount)
    }

    deinit { chunks.deallocate() }

    func norms(of doc: UInt32) throws -> DocumentNorms {
        let chunk = UnsafeRawBufferPointer(start: try chunk(holding: doc), count: NormsCodec.valueBytes)
        return NormsCodec.norms(in: chunk, doc: doc)!
    }

    @inline(__always)
    func length(of doc: UInt32, _ field: Field) throws -> UInt32 {
        NormsCodec.length(inCheckedChunk: try chunk(holding: doc), doc: doc, column: field == .text ? 0 : 1)
    }

    /// The chunk holding `doc` (`NormsCodec.valueBytes` long).
    @inline(__always)
    private func chunk(holding doc: UInt32) throws -> UnsafeRawPointer {
        let c = Int(NormsCodec.chunk(of: doc))
        guard c < chunkCount else { throw IndexError.corrupt("doc \(doc) past the norms") }
        if let chunk = chunks[c] { return chunk }
        return try read(c)
    }

    private func read(_ c: Int) throws -> UnsafeRawPointer {
        guard let found = try find(c) else { throw IndexError.corrupt("no norms chunk \(c)") }
        guard found.count == NormsCodec.valueBytes, let base = found.baseAddress else {
            throw IndexError.corrupt("norms chunk \(c) has \(found.count) bytes, not \(NormsCodec.valueBytes)")
        }
        chunks[c] = base
        return base
    }

    /// Chunk `c`'s value. A query asks for chunks in rising order, and every chunk below the
    /// last exists, so the next one wanted is mostly a step or two on from the one found
    /// before: a step stays on the leaf page, where a lookup descends from the root (a
    /// one-process AND of two common words read 500 chunks, a quarter of its instructions).
    private func find(_ c: Int) throws -> UnsafeRawBufferPointer? {
        let cursor = try self.cursor ?? txn.cursor(table)
        self.cursor = cursor
        if cursorChunk < c && c - cursorChunk <= Self.stepsBeforeSeek {
            var entry: Entry?
            for _ in cursorChunk..<c { entry = try cursor.next() }
            if let e = entry, e.key.count == 4, Keys.readBigEndian(e.key) == UInt32(c) {
                cursorChunk = c
                return e.value
            }
        }
        cursorChunk = Self.unplaced
        guard let e = try cursor.seek(exactly: Keys.bigEndian(UInt32(c))) else { return nil }
        cursorChunk = c
        return e.value
    }

    private static let stepsBeforeSeek = 4
    private static let unplaced = Int.min / 2
}
