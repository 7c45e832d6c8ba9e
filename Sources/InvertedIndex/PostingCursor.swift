// InvertedIndex: iteration over one term's postings, block by block, straight from the map.
// Owns seeking (a B-tree seek skips whole blocks), block decoding, and position reads.
import Storage

/// Walks one term's postings in doc-id order. `doc` is `PostingCursor.end` once exhausted.
public final class PostingCursor {
    public static let end = UInt32.max

    public let term: TermInfo
    private let reader: IndexReader
    private let cursor: Cursor
    private let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: Format.blockSize)
    private let tfs = UnsafeMutablePointer<UInt32>.allocate(capacity: Format.blockSize)
    private var count = 0
    private var index = 0
    private var blockKey: [UInt8] = []
    public private(set) var blockLastDoc: UInt32 = 0
    public private(set) var blockSummary = BlockSummary(count: 0, maxTF: 0, minLength: 0)
    private var positionsWalker: PositionsWalker?
    public private(set) var doc: UInt32 = 0

    init(reader: IndexReader, term: TermInfo) throws {
        self.reader = reader
        self.term = term
        cursor = try reader.txn.cursor(reader.postingsTable)
        try load(try cursor.seek(atLeast: Keys.block(term: term.id, lastDoc: 0)))
    }

    deinit {
        docs.deallocate()
        tfs.deallocate()
    }

    public var tf: UInt32 { tfs[index] }

    /// Moves to the next posting; returns the new doc.
    @discardableResult
    public func next() throws -> UInt32 {
        guard doc != PostingCursor.end else { return doc }
        index += 1
        if index < count {
            doc = docs[index]
            return doc
        }
        try load(try cursor.next())
        return doc
    }

    /// Moves to the first posting with doc >= target (never backwards).
    @discardableResult
    public func advance(to target: UInt32) throws -> UInt32 {
        guard target > doc else { return doc }
        if target > blockLastDoc {
            try load(try cursor.seek(atLeast: Keys.block(term: term.id, lastDoc: target)))
            if doc >= target { return doc }
        }
        // Within the block: gallop, then binary search.
        var lo = index, step = 1
        while lo + step < count && docs[lo + step] < target { lo += step; step <<= 1 }
        var hi = min(lo + step, count - 1)
        while lo < hi {
            let mid = (lo + hi) / 2
            if docs[mid] < target { lo = mid + 1 } else { hi = mid }
        }
        index = lo
        doc = docs[index]
        return doc
    }

    /// The positions of the current doc in ascending order.
    public func positions(into out: inout [UInt32]) throws {
        if positionsWalker == nil || positionsWalker!.docIndex > index {
            guard let raw = try reader.txn.get(reader.positionsTable, blockKey) else {
                throw IndexError.corrupt("no positions for term \(term.term) block \(blockLastDoc)")
            }
            positionsWalker = PositionsWalker(raw)
        }
        while positionsWalker!.docIndex < index { try positionsWalker!.skip(tf: tfs[positionsWalker!.docIndex]) }
        try positionsWalker!.read(tf: tfs[index], into: &out)
    }

    private func load(_ entry: Entry?) throws {
        positionsWalker = nil
        guard let e = entry, e.key.count == 8, Keys.readBigEndian(e.key) == term.id else {
            doc = PostingCursor.end
            blockLastDoc = PostingCursor.end
            count = 0
            index = 0
            return
        }
        blockKey = Array(e.key)
        blockLastDoc = Keys.readBigEndian(e.key, at: 4)
        blockSummary = try PostingBlockCodec.summary(e.value)
        count = try PostingBlockCodec.decode(e.value, docs: docs, tfs: tfs)
        index = 0
        doc = docs[0]
    }
}
