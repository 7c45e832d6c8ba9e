// InvertedIndex: iteration over one term's postings, block by block, straight from the map.
// Owns seeking (a B-tree seek skips whole blocks), block decoding, and position reads.
import CPrefetch
import Storage

/// Walks one term's postings in doc-id order. `doc` is `PostingCursor.end` once exhausted.
public final class PostingCursor {
    public static let end = UInt32.max

    public let term: TermInfo
    private let reader: IndexReader
    private let pageSize: Int
    /// Over the postings table; nil for a term whose only block is inline in its terms value.
    private let cursor: Cursor?
    /// An inline block's posting and positions values, copied out of the term's `TermInfo`
    /// so both stay at one address for the cursor's life.
    private let inlinePostings: UnsafeMutableRawBufferPointer?
    private let inlinePositions: UnsafeMutableRawBufferPointer?
    private let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: Format.blockSize)
    @usableFromInline let tfs = UnsafeMutablePointer<UInt32>.allocate(capacity: Format.blockSize)
    private var count = 0
    @usableFromInline private(set) var index = 0
    /// The current block's tfs as Rice codes in the map (valid for the read transaction),
    /// decoded into `tfs` from the first a read needs on: `tfs[tfsFrom..<count]` hold them.
    private var tfCodes = UnsafeRawBufferPointer(start: nil, count: 0)
    @usableFromInline private(set) var tfsFrom = Int.max
    /// A padded copy of `tfCodes`, for a value that ends too close to its page's end for a
    /// load past it (the others are read in place).
    private lazy var tfCopy = PaddedCopy(capacity: Self.maxTFCodeBytes)
    /// Reused for every seek: (term id, doc id) big-endian.
    private let seekKey = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 4)
    public private(set) var blockLastDoc: UInt32 = 0
    public private(set) var blockSummary = BlockSummary(count: 0, maxTF: 0, minLength: 0)
    /// The current block's positions value, opened when a document of the block first asks
    /// for positions, and the buffer the current doc's positions are decoded into.
    private var positionsWalker: PositionsWalker?
    /// Opened on the first positions read: a term's blocks are read in key order, so the next
    /// one wanted is often on the leaf page this cursor is on.
    private var positionsCursor: Cursor?
    /// Counts the postings cursor's steps, with a seek counting as a leap no step count
    /// matches; compared at each positions read with its value at the last one, it says how
    /// many entries on the positions cursor must go to stay in line.
    private var blockSerial = 0
    private var positionsSerial = 0
    private var positionsBuffer = PositionScratch()
    /// The current block's positions value, copied with the padding its decoder reads past it;
    /// made when a positions read first needs it (most cursors never read positions).
    private lazy var positionsCopy = PaddedCopy()
    public private(set) var doc: UInt32 = 0

    init(reader: IndexReader, term: TermInfo) throws {
        self.reader = reader
        self.term = term
        pageSize = reader.pageSize
        guard let inline = term.inline else {
            cursor = try reader.txn.cursor(reader.postingsTable)
            inlinePostings = nil
            inlinePositions = nil
            try load(try seek(toBlockHolding: 0))
            return
        }
        cursor = nil
        inlinePostings = Self.copy(inline.postings)
        inlinePositions = Self.copy(inline.positions)
        try enter(block: UnsafeRawBufferPointer(inlinePostings!), lastDoc: nil)
    }

    /// A copy with eight bytes after it that loads may read (`RiceRun`).
    private static func copy(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + PaddedCopy.padding, alignment: 8)
        out.initializeMemory(as: UInt8.self, repeating: 0)
        bytes.withUnsafeBytes { out.copyMemory(from: $0) }
        return UnsafeMutableRawBufferPointer(rebasing: out[0..<bytes.count])
    }

    deinit {
        docs.deallocate()
        tfs.deallocate()
        seekKey.deallocate()
        positionsBuffer.deallocate()
        inlinePostings?.deallocate()
        inlinePositions?.deallocate()
    }

    @inlinable public var tf: UInt32 { tf(at: index) }

    /// The tf at index `i` of the current block, without moving (for loops over
    /// `remainingDocs()`).
    @inlinable public func tf(atBlockIndex i: Int) -> UInt32 { tf(at: i) }

    @inlinable @inline(__always)
    func tf(at i: Int) -> UInt32 {
        if i < tfsFrom { decodeTFs(from: i) }
        return tfs[i]
    }

    /// The sum of the tfs at indexes `from..<to` of the current block.
    private func tfSum(from: Int, to: Int) -> Int {
        if from < tfsFrom { decodeTFs(from: from) }
        var total = 0
        for i in from..<to { total &+= Int(tfs[i]) }
        return total
    }

    /// Codes at least this far in are passed over by counting ones, not decoded.
    private static let tfsSkippedFrom = 12

    /// Decodes the current block's tfs from index `first` (`first < count`) to its end: once
    /// one document of a block is scored, those after it mostly are too, and decoding the
    /// rest at once cost less than decoding as far as each read needed, a call per read (AND
    /// of two words 7% faster per query). Damaged codes, which `newsidx check` reports, read as
    /// tfs of 1 from where they fail, and the reader notes the block for the search to fail
    /// with: codes that run out early, or end short of the value's end (one comparison, as
    /// the decoder stops at the block's last code).
    @usableFromInline
    func decodeTFs(from first: Int) {
        let start = first >= Self.tfsSkippedFrom ? first : 0
        tfsFrom = start
        let bytes = endsAwayFromPageEnd(tfCodes) ? tfCodes : tfCopy.hold(tfCodes)
        var damagedFrom = start
        if var run = try? RiceRun(padded: bytes, from: 0), (try? run.next.skip(to: start, in: run.codes)) != nil {
            if run.decodePlusOne(upTo: count, into: tfs) {
                if run.endsAtLastCode { return }
                damagedFrom = count
            } else {
                damagedFrom = run.next.index
            }
        }
        tfs.advanced(by: damagedFrom).update(repeating: 1, count: count - damagedFrom)
        reader.noteDamagedTFs("postings of \(term.name), \(blockPlace)")
    }

    /// Whether eight bytes can be loaded from any byte of `raw`: those after it are on its
    /// page (a value in the map; inline values are copied with room after them).
    private func endsAwayFromPageEnd(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let base = raw.baseAddress, raw.count > 0 else { return false }
        if inlinePostings != nil { return true }
        return Int(bitPattern: base + raw.count - 1) & (pageSize - 1) <= pageSize - 8
    }

    /// The most bytes a block's tf codes take: a k byte, and at the cheapest k no more bits
    /// than at k = 32, 33 per tf.
    private static let maxTFCodeBytes = 1 + (Format.blockSize * 33 + 7) / 8

    private func seek(toBlockHolding doc: UInt32) throws -> Entry? {
        blockSerial &+= 1 << 32
        return try cursor?.seek(atLeast: blockKey(lastDoc: doc))
    }

    /// The postings entry after the cursor's.
    private func nextEntry() throws -> Entry? {
        blockSerial &+= 1
        return try cursor?.next()
    }

    /// The block holding `target`, past the current one. The next few entries are read
    /// before a seek: a lagging cursor's target is often in one of its next blocks, and a step
    /// stays on the leaf page where a seek descends from the root.
    private func nearbyBlock(holding target: UInt32) throws -> Entry? {
        guard cursor != nil else { return nil }
        for _ in 0..<Self.stepsBeforeSeek {
            guard let e = try nextEntry() else { return nil }
            guard e.key.count == 8, Keys.readBigEndian(e.key) == term.id else { return e }  // past the term
            if Keys.readBigEndian(e.key, at: 4) >= target { return e }
        }
        return try seek(toBlockHolding: target)
    }

    private static let stepsBeforeSeek = 4

    /// The entry `steps` (at least one) after `cursor`'s.
    private static func entry(_ cursor: Cursor, steps: Int) throws -> Entry? {
        for _ in 1..<steps where try cursor.next() == nil { return nil }
        return try cursor.next()
    }

    /// The (term, last doc) key of a block, written into the reused key buffer.
    private func blockKey(lastDoc: UInt32) -> UnsafeRawBufferPointer {
        seekKey.storeBytes(of: term.id.bigEndian, toByteOffset: 0, as: UInt32.self)
        seekKey.storeBytes(of: lastDoc.bigEndian, toByteOffset: 4, as: UInt32.self)
        return UnsafeRawBufferPointer(seekKey)
    }

    /// Moves to the next posting; returns the new doc.
    @discardableResult
    public func next() throws -> UInt32 {
        guard doc != PostingCursor.end else { return doc }
        index += 1
        if index < count {
            doc = docs[index]
            return doc
        }
        try load(try nextEntry())
        return doc
    }

    /// The current block from the current posting on, for loops that read many postings in a
    /// row without a call per posting: doc ids and tfs at indexes `start..<count`. Follow with
    /// `move(toBlockIndex:)`.
    public func remainingBlock() -> (docs: UnsafePointer<UInt32>, tfs: UnsafePointer<UInt32>, start: Int, count: Int) {
        if index < tfsFrom && index < count { decodeTFs(from: index) }
        return (UnsafePointer(docs), UnsafePointer(tfs), index, count)
    }

    /// Like `remainingBlock`, without decoding the tfs, for loops that seldom need them.
    public func remainingDocs() -> (docs: UnsafePointer<UInt32>, start: Int, count: Int) {
        (UnsafePointer(docs), index, count)
    }

    /// Moves to index `i` (at least the current one) of the current block; `i == count` moves
    /// on to the next block.
    public func move(toBlockIndex i: Int) throws {
        guard doc != PostingCursor.end else { return }
        if i < count {
            index = i
            doc = docs[i]
        } else {
            try load(try nextEntry())
        }
    }

    /// Passes over the rest of the current block, then over each following block whose
    /// summary `skip` accepts, decoding none of them; stops on the first posting of the next
    /// block it does not skip. Returns how many postings it passed over (for counting).
    public func skipBlocks(while skip: (BlockSummary) -> Bool) throws -> Int {
        guard doc != PostingCursor.end else { return 0 }
        var passed = count - index
        while true {
            guard let e = try nextEntry(), e.key.count == 8, Keys.readBigEndian(e.key) == term.id else {
                try load(nil)
                return passed
            }
            let summary = try PostingBlockCodec.summary(e.value)
            if !skip(summary) {
                try load(e)
                return passed
            }
            passed += summary.count
        }
    }

    /// Moves to the first posting with doc >= target (never backwards).
    @discardableResult
    public func advance(to target: UInt32) throws -> UInt32 {
        guard target > doc else { return doc }
        if target > blockLastDoc {
            try load(try nearbyBlock(holding: target))
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

    /// The positions of the current doc in ascending order, in memory the cursor owns: valid
    /// until the next call or until the cursor moves. Nothing is allocated per document.
    public func positions() throws -> UnsafeBufferPointer<UInt32> { try positions(through: .max) }

    /// The current doc's positions up to the first that reaches `limit` (all those below it,
    /// and that one if there is one): what a check for positions up to `limit` needs, without
    /// decoding the rest.
    public func positions(through limit: UInt32) throws -> UnsafeBufferPointer<UInt32> {
        if positionsWalker == nil || positionsWalker.unsafelyUnwrapped.docIndex > index { try openPositions() }
        let from = positionsWalker.unsafelyUnwrapped.docIndex
        if from < index {
            positionsWalker!.skip(docs: index - from, totalTF: tfSum(from: from, to: index))
        }
        let tf = tf(at: index)
        positionsBuffer.reserve(Int(tf))
        do {
            let decoded = try positionsWalker!.read(tf: tf, through: limit, into: positionsBuffer.base)
            return UnsafeBufferPointer(start: positionsBuffer.base, count: decoded)
        } catch let error as FormatError {
            throw error.located(positionsPlace)
        }
    }

    /// Where a damaged positions value of the current block is, for its error.
    private var positionsPlace: String { "positions of \(term.name), \(blockPlace)" }

    /// The current block, for errors: its key's last doc, or inline in the term's record.
    private var blockPlace: String { inlinePostings == nil ? "block ending at doc \(blockLastDoc)" : "inline block" }

    private func openPositions() throws {
        if let inline = inlinePositions {
            do {
                positionsWalker = try PositionsWalker(padded: positionsCopy.hold(UnsafeRawBufferPointer(inline)), docs: count)
            } catch let error as FormatError {
                throw error.located(positionsPlace)
            }
            return
        }
        let key = blockKey(lastDoc: blockLastDoc)
        let raw: UnsafeRawBufferPointer
        // Blocks are read in key order, and the two tables hold the same keys: when the
        // postings cursor only stepped since the last positions read, this one steps as often.
        let steps = blockSerial &- positionsSerial
        positionsSerial = blockSerial
        if let c = positionsCursor, steps >= 1 && steps <= Self.stepsBeforeSeek,
           let e = try Self.entry(c, steps: steps), e.key.elementsEqual(key) {
            raw = e.value
        } else {
            if positionsCursor == nil { positionsCursor = try reader.txn.cursor(reader.positionsTable) }
            guard let found = try positionsCursor.unsafelyUnwrapped.seek(exactly: key)?.value else {
                throw IndexError.corrupt("no positions for \(term.name), block ending at doc \(blockLastDoc)")
            }
            raw = found
        }
        if let base = raw.baseAddress { prefetchNextEntry(below: base, lines: 8) }
        do {
            positionsWalker = try PositionsWalker(padded: positionsCopy.hold(raw), docs: count)
        } catch let error as FormatError {
            throw error.located(positionsPlace)
        }
    }

    /// A leaf page fills from its end down, one entry below the last, and the tables are
    /// written in key order, so a term's next block mostly lies just below this one: asked for
    /// now, its cache lines are on their way when the cursor steps there. Walks over blocks
    /// wait on memory, not on decoding (postings values are about 160 bytes, positions values
    /// about 320). A wrong guess costs a few prefetches, which never fault.
    /// Where fewer bytes lie below the entry than a next one would take, it is its page's last
    /// and the next is the first of the next page, which a packed table wrote just after this
    /// one: at that page's end. Asking for it too saves a few percent on phrase, NEAR and AND
    /// (ARCHITECTURE.md).
    @inline(__always)
    private func prefetchNextEntry(below address: UnsafeRawPointer, lines: Int) {
        for k in 1...lines { newsidx_prefetch(address - 64 * k) }
        let offset = Int(bitPattern: address) & (pageSize - 1)
        guard offset < 64 * (lines + 1) else { return }
        let nextPageEnd = address - offset + 2 * pageSize
        for k in 1...lines { newsidx_prefetch(nextPageEnd - 64 * k) }
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
        prefetchNextEntry(below: e.key.baseAddress!, lines: 4)
        try enter(block: e.value, lastDoc: Keys.readBigEndian(e.key, at: 4))
    }

    /// Makes `block` the current one, at its first posting; an inline block's last doc is its own.
    private func enter(block: UnsafeRawBufferPointer, lastDoc: UInt32?) throws {
        do {
            (blockSummary, tfCodes) = try PostingBlockCodec.decodeDocs(block, docs: docs)
        } catch let error as FormatError {
            throw error.located("postings of \(term.name), " + (lastDoc.map { "block ending at doc \($0)" } ?? "inline block"))
        }
        count = blockSummary.count
        tfsFrom = .max
        index = 0
        doc = docs[0]
        // The key names the block's last id: a damaged count or width decodes to other ids,
        // which LMDB's lack of checksums would let through as a wrong answer.
        if let lastDoc, docs[count - 1] != lastDoc {
            throw IndexError.corrupt("postings of \(term.name), block ending at doc \(lastDoc): its ids end at doc \(docs[count - 1])")
        }
        blockLastDoc = lastDoc ?? docs[count - 1]
    }
}
