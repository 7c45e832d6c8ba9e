// InvertedIndex: a posting block's positions value, its builder and its reader side by side.
// Each document's first position, bit-packed, and the gaps less one between its later positions, as Rice codes.
//
// Positions value:  packed (count) first positions; byte k; then a bit string holding the
//                   unary high parts (`gap >> k`) of the gaps less one, in document order, and,
//                   laid back from the value's end, their low k bits (gap m's end m × k bits
//                   before the value's end, so no count is needed to find them). k is the one
//                   that makes the block's codes shortest.

/// Builds one block's positions value document by document, knowing whether an addition keeps
/// it within a size, so a block can close before its value outgrows a page.
struct PositionsValueBuilder {
    private var firsts: [UInt32] = []
    private var gapsMinusOne: [UInt32] = []
    /// The OR of every first position: their bit width.
    private var firstBits: UInt32 = 0
    private var gapBound = RiceBound()

    var isEmpty: Bool { firsts.isEmpty }

    /// Whether the value surely takes at most `limit` bytes once a document's positions
    /// (ascending, at least one) are added. Decided by a bound a few bytes above the size, so a
    /// block may close a document early, never late.
    func fits(adding positions: UnsafeBufferPointer<UInt32>, within limit: Int) -> Bool {
        let gaps = Self.gaps(positions)
        let gapBits = gapBound.bits &+ gapBound.cost(count: gaps.count, sum: gaps.sum)
        let firstWidth = 32 - (firstBits | positions[0]).leadingZeroBitCount
        return 3 + ((firsts.count + 1) * firstWidth + 7) / 8 + gapBits / 8 <= limit
    }

    /// The encoded size once a document's positions are added (for tests: it encodes them).
    func byteCount(adding positions: UnsafeBufferPointer<UInt32>) -> Int {
        var copy = self
        copy.add(positions)
        return copy.encoded().count
    }

    mutating func add(_ positions: UnsafeBufferPointer<UInt32>) {
        firsts.append(positions[0])
        firstBits |= positions[0]
        guard positions.count > 1 else { return }
        for j in 1..<positions.count { gapsMinusOne.append(positions[j] &- positions[j &- 1] &- 1) }
        let gaps = Self.gaps(positions)
        gapsMinusOne.withUnsafeBufferPointer { gapBound.added($0, count: gaps.count, sum: gaps.sum) }
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        firsts.withUnsafeBufferPointer { w.packed($0) }
        gapsMinusOne.withUnsafeBufferPointer { w.riceCoded($0) }
        return w.bytes
    }

    /// A document's gaps less one: how many, and their sum.
    @inline(__always)
    private static func gaps(_ positions: UnsafeBufferPointer<UInt32>) -> (count: Int, sum: Int) {
        let count = positions.count &- 1
        return (count, Int(positions[count] &- positions[0]) &- count)
    }

    mutating func removeAll() {
        firsts.removeAll(keepingCapacity: true)
        gapsMinusOne.removeAll(keepingCapacity: true)
        firstBits = 0
        gapBound = RiceBound()
    }
}

/// Reads a positions value in place, going forward in block order. `skip` reads nothing: the
/// unary codes of the gaps passed over are counted, a word at a time, by the next read.
struct PositionsWalker {
    private let firstPositions: PackedRun
    /// The padded copy read, when the walker made it.
    private var copy: PaddedCopy?
    /// The gaps less one; its cursor stays at the last document read.
    private var gaps: RiceRun
    private(set) var docIndex = 0
    private var gapIndex = 0

    /// Checks that the value holds exactly `docs` first positions and `totalTF - docs` gaps.
    /// Reads a padded copy of the value, made here (for checks and rewrites, off the query path).
    init(_ raw: UnsafeRawBufferPointer, docs: Int, totalTF: Int) throws {
        try self.init(raw, docs: docs)
        try checkHolds(docs: docs, totalTF: totalTF)
    }

    /// `init(padded:docs:)`, then checks that the value holds exactly `docs` first positions
    /// and `totalTF - docs` gaps.
    init(padded raw: UnsafeRawBufferPointer, docs: Int, totalTF: Int) throws {
        try self.init(padded: raw, docs: docs)
        try checkHolds(docs: docs, totalTF: totalTF)
    }

    /// `init(padded:docs:)` on a copy of the value made here.
    init(_ raw: UnsafeRawBufferPointer, docs: Int) throws {
        let copy = PaddedCopy(capacity: raw.count)
        try self.init(padded: copy.hold(raw), docs: docs)
        self.copy = copy
    }

    /// Checks the first positions only; each read checks that its codes lie inside the value.
    /// A query reading one document of a block then needs no sum over every tf. `raw` must be
    /// followed by eight zero bytes (`PaddedCopy`) for as long as the walker is used.
    init(padded raw: UnsafeRawBufferPointer, docs: Int) throws {
        var r = ByteReader(raw)
        firstPositions = try PackedRun(&r, count: docs)
        gaps = try RiceRun(padded: raw, from: r.offset)
    }

    private func checkHolds(docs: Int, totalTF: Int) throws {
        guard totalTF >= docs else { throw FormatError(what: "positions value with fewer positions than documents") }
        try gaps.checkHolds(count: totalTF - docs)
    }

    /// Passes over the positions of the next `docs` documents, `totalTF` positions in all.
    mutating func skip(docs: Int, totalTF: Int) {
        docIndex += docs
        gapIndex += totalTF - docs
    }

    /// Decodes the next document's `tf` positions into `out`, which has room for them, up to
    /// the first that reaches `limit`; returns how many it decoded.
    @inline(__always) @discardableResult
    mutating func read(tf: UInt32, through limit: UInt32 = .max, into out: UnsafeMutablePointer<UInt32>) throws -> Int {
        guard tf > 0 else { return 0 }
        let doc = docIndex, gapStart = gapIndex, gapCount = Int(tf) &- 1
        guard doc < firstPositions.count else { throw FormatError(what: "positions value shorter than its tfs") }
        docIndex = doc &+ 1
        gapIndex = gapStart &+ gapCount
        let first = firstPositions.value(at: doc)
        out[0] = first
        guard gapCount > 0 && first < limit else { return 1 }
        var gapCursor = gaps.next
        try gapCursor.skip(to: gapStart, in: gaps.codes)
        let decoded = try Self.accumulateGaps(gapCount, from: &gapCursor, codes: gaps.codes,
                                              lowBit: gaps.lowBit(of: gapStart), width: gaps.width,
                                              mask: gaps.mask, after: first, through: limit, into: out + 1)
        gaps.next = gapCursor
        return 1 &+ decoded
    }

    /// Decodes up to `count` gaps from `cursor` on into running sums after `base`, stopping
    /// after the first sum that reaches `limit`; returns how many it wrote. The unary parts are
    /// read from one loaded word until it has no ones left; each low part is one load (with
    /// width 0 its mask is 0, so the load at the value's end yields 0). Not inlined: inside the
    /// cursor's read the loop ran short of registers and kept the running sum on the stack, a
    /// store and a load on every position's dependency chain; on its own it keeps all in registers.
    @inline(never)
    private static func accumulateGaps(_ count: Int, from cursor: inout UnaryCursor, codes: BitString,
                                       lowBit firstLowBit: Int, width: Int, mask: UInt64,
                                       after base: UInt32, through limit: UInt32,
                                       into out: UnsafeMutablePointer<UInt32>) throws -> Int {
        var bit = cursor.bit, lowBit = firstLowBit, pos = base
        var next = out
        let end = out + count
        var word: UInt64 = 0  // the bits from `bit` on that the last load brought; no ones left when 0
        var zerosBefore = 0  // the current code's zeros in loads that held none of its one
        let shift = UInt64(truncatingIfNeeded: width)
        while next < end {
            while word == 0 {
                guard bit < codes.bitCount else { throw FormatError(what: "unary codes end early") }
                word = codes.bits(from: bit)
                if word == 0 {
                    let read = codes.bitsRead(from: bit)
                    zerosBefore &+= read
                    bit &+= read
                }
            }
            let zeros = word.trailingZeroBitCount
            word = (word &>> UInt64(truncatingIfNeeded: zeros)) &>> 1
            bit &+= zeros &+ 1
            let high = UInt64(truncatingIfNeeded: zerosBefore &+ zeros)
            zerosBefore = 0
            // Codes running into the low parts: the document claims more gaps than remain.
            guard lowBit >= bit else { throw FormatError(what: "positions value shorter than its tfs") }
            let low = UInt64(truncatingIfNeeded: codes.field(at: lowBit, mask: mask))
            pos = pos &+ UInt32(truncatingIfNeeded: high &<< shift | low) &+ 1
            next.pointee = pos
            next += 1
            lowBit &-= width
            if pos >= limit { break }
        }
        let written = next - out
        cursor.bit = bit
        cursor.index &+= written
        return written
    }

    /// `read(tf:into:)` into a new array, for checks and rewrites off the query path.
    mutating func read(tf: UInt32) throws -> [UInt32] {
        guard tf > 0 else { return [] }
        return try [UInt32](unsafeUninitializedCapacity: Int(tf)) { buffer, count in
            try read(tf: tf, into: buffer.baseAddress!)
            count = Int(tf)
        }
    }
}

enum PositionsCodec {
    /// Every document's positions in a value whose block has these tfs (for checks and
    /// rewrites: an array per document).
    static func decode(_ raw: UnsafeRawBufferPointer, tfs: [UInt32]) throws -> [[UInt32]] {
        var walker = try PositionsWalker(raw, docs: tfs.count, totalTF: tfs.reduce(0) { $0 + Int($1) })
        return try tfs.map { try walker.read(tf: $0) }
    }

    static func encode(_ docs: [[UInt32]]) -> [UInt8] {
        var builder = PositionsValueBuilder()
        for positions in docs { positions.withUnsafeBufferPointer { builder.add($0) } }
        return builder.encoded()
    }
}
