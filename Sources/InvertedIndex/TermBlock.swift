// InvertedIndex: the `terms` table, whose values are runs of consecutive terms, front-coded.
// Owns the block codec, the reader's lookups and walks, and the writer's edits in key order.
//
// Terms value:  varint entry count, then per entry: (after the first, whose key is the LMDB
//               key) varint bytes shared with the previous key, varint suffix length, suffix;
//               then the term's record (`TermRecord`), which knows its own length.
import Glibc
import Storage

/// LMDB's key order (bytes compared as unsigned, then the shorter first), by `memcmp`: the
/// generic `lexicographicallyPrecedes` walked keys an element at a time.
@inline(__always)
func keyPrecedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    let n = min(a.count, b.count)
    let order = n == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, n)
    return order != 0 ? order < 0 : a.count < b.count
}

@inline(__always)
func keyPrecedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.withUnsafeBytes { a in b.withUnsafeBytes { keyPrecedes(a, $0) } }
}

/// How many leading bytes two keys share.
func commonPrefix(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let limit = min(a.count, b.count)
    var n = 0
    while n < limit && a[n] == b[n] { n += 1 }
    return n
}

/// One term of a block: its key (field byte + UTF-8) and its encoded `TermRecord`.
struct TermBlockEntry: Equatable {
    var key: [UInt8]
    var record: [UInt8]
}

/// Terms in key order with their records, kept in two flat byte buffers, so that a block is
/// decoded, edited and encoded again without an allocation per term: the writer does that to
/// most blocks in every batch.
///
/// Why blocks: one LMDB entry per term paid 10 bytes of node header and pointer and its whole
/// key, for a record that is mostly a few bytes (news-combined: 208,821 terms, 2.1 MB of
/// headers, 1.7 MB of keys of which 1.2 MB repeat the previous key's start).
struct TermBlockBuffer {
    /// Blocks hold about this much; see `encodedBlocks`. Looking a term up steps through half
    /// a block on average (news-combined: 18 terms a block). At 256 bytes the table was 2%
    /// smaller (less space left at page ends) and lookups stepped through half as many terms,
    /// but a batch put twice as many blocks: 9% more writer time in `writeTerms`.
    static let targetBytes = 512

    private struct Slot {
        var keyStart: Int
        var keyCount: Int
        var recordStart: Int
        var recordCount: Int
    }
    private var slots: [Slot] = []
    /// Replaced records, removed terms and the other bytes of decoded blocks stay here until `removeAll`.
    private var keyBytes: [UInt8] = []
    private var recordBytes: [UInt8] = []

    var count: Int { slots.count }

    var entries: [TermBlockEntry] {
        slots.indices.map { TermBlockEntry(key: Array(key(at: $0)), record: Array(record(at: $0))) }
    }

    private func slotKey(_ i: Int, in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[slots[i].keyStart..<slots[i].keyStart + slots[i].keyCount])
    }

    func key(at i: Int) -> ArraySlice<UInt8> { keyBytes[slots[i].keyStart..<slots[i].keyStart + slots[i].keyCount] }

    func record(at i: Int) -> ArraySlice<UInt8> {
        recordBytes[slots[i].recordStart..<slots[i].recordStart + slots[i].recordCount]
    }

    mutating func removeAll() {
        slots.removeAll(keepingCapacity: true)
        keyBytes.removeAll(keepingCapacity: true)
        recordBytes.removeAll(keepingCapacity: true)
    }

    /// Appends the entries of an encoded block (whose keys must follow those held).
    /// The value is copied whole and its records left where they are in the copy.
    mutating func append(blockKey: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        let base = recordBytes.count
        recordBytes += value
        var walker = try TermBlockWalker(key: blockKey, value: value)
        while let record = try walker.next() {
            slots.append(Slot(keyStart: keyBytes.count, keyCount: walker.key.count,
                              recordStart: base + (record.baseAddress! - value.baseAddress!), recordCount: record.count))
            keyBytes += walker.key
        }
    }

    mutating func append<K: Collection, R: Collection>(key: K, record: R) where K.Element == UInt8, R.Element == UInt8 {
        slots.append(Slot(keyStart: keyBytes.count, keyCount: key.count, recordStart: recordBytes.count, recordCount: record.count))
        keyBytes += key
        recordBytes += record
    }

    /// Where `key` is, or where it would go.
    func find(_ key: [UInt8]) -> (index: Int, found: Bool) {
        key.withUnsafeBytes { find($0) }
    }

    private func find(_ probe: UnsafeRawBufferPointer) -> (index: Int, found: Bool) {
        var low = 0, high = slots.count
        while low < high {
            let mid = (low + high) / 2
            if keyBytes.withUnsafeBytes({ keyPrecedes(slotKey(mid, in: $0), probe) }) { low = mid + 1 } else { high = mid }
        }
        return (low, low < slots.count && keyBytes.withUnsafeBytes { slotKey(low, in: $0).elementsEqual(probe) })
    }

    mutating func replaceRecord(at i: Int, with record: [UInt8]) {
        slots[i].recordStart = recordBytes.count
        slots[i].recordCount = record.count
        recordBytes += record
    }

    mutating func insert(key: [UInt8], record: [UInt8], at i: Int) {
        append(key: key, record: record)
        slots.insert(slots.removeLast(), at: i)
    }

    mutating func remove(at i: Int) { slots.remove(at: i) }

    /// The terms as blocks (key, value) of about equal size, each at least `targetBytes` when
    /// the terms hold that much. Cutting greedily at the target left a small remainder each
    /// time a block grew past it: after a build in batches the median block held 150 bytes.
    func encodedBlocks() -> [(key: [UInt8], value: [UInt8])] {
        var shared = [Int](repeating: 0, count: slots.count), sizes = shared, total = 0
        for i in slots.indices {
            if i > 0 { shared[i] = sharedPrefix(i) }
            sizes[i] = (i == 0 ? 0 : 2 + slots[i].keyCount - shared[i]) + slots[i].recordCount
            total += sizes[i]
        }
        let blockCount = max(1, total / Self.targetBytes)
        var out: [(key: [UInt8], value: [UInt8])] = []
        var start = 0, reached = 0, blockBytes = 0
        for (i, size) in sizes.enumerated() {
            reached += size
            blockBytes += size
            let isLast = i == slots.count - 1
            if isLast || (reached * blockCount >= (out.count + 1) * total && out.count + 1 < blockCount) {
                out.append((Array(key(at: start)), encode(start...i, shared: shared, reserving: blockBytes + 4)))
                start = i + 1
                blockBytes = 0
            }
        }
        return out
    }

    /// The block of terms from `start` on whose value takes at most `budget` bytes (the first
    /// term whatever its size), and the index after its last term.
    func encodedBlock(from start: Int, budget: Int) -> (key: [UInt8], value: [UInt8], end: Int) {
        var shared = [0], size = 1 + slots[start].recordCount, end = start + 1
        while end < slots.count {
            let s = sharedPrefix(end), suffix = slots[end].keyCount - s
            let grown = size + varintSize(s) + varintSize(suffix) + suffix + slots[end].recordCount
                + varintSize(end - start + 1) - varintSize(end - start)
            if grown > budget { break }
            shared.append(s)
            size = grown
            end += 1
        }
        let value = encode(start...(end - 1), shared: shared, sharedOffset: start, reserving: size)
        return (Array(key(at: start)), value, end)
    }

    /// Keys and records of terms `range`, as held (an upper bound on what they take in a block).
    func heldBytes(_ range: Range<Int>) -> Int {
        range.reduce(0) { $0 + slots[$1].keyCount + slots[$1].recordCount }
    }

    /// Drops the first `n` terms, and the bytes only they used.
    mutating func removeFirst(_ n: Int) {
        let kept = (n..<slots.count).map { (Array(key(at: $0)), Array(record(at: $0))) }
        removeAll()
        for (key, record) in kept { append(key: key, record: record) }
    }

    /// The block value of terms `range`; `shared[i - sharedOffset]` is what term i's key shares
    /// with term i-1's.
    private func encode(_ range: ClosedRange<Int>, shared: [Int], sharedOffset: Int = 0, reserving capacity: Int) -> [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(capacity)
        w.varint(UInt64(range.count))
        for i in range {
            if i > range.lowerBound {
                let s = shared[i - sharedOffset]
                w.varint(UInt64(s))
                w.varint(UInt64(slots[i].keyCount - s))
                w.bytes += key(at: i).dropFirst(s)
            }
            w.bytes += record(at: i)
        }
        return w.bytes
    }

    /// How many leading bytes term `i`'s key shares with term `i - 1`'s.
    private func sharedPrefix(_ i: Int) -> Int {
        keyBytes.withUnsafeBytes { commonPrefix(slotKey(i - 1, in: $0), slotKey(i, in: $0)) }
    }
}

/// Packing's side: every term of the table in key order, cut again into blocks that fill the
/// packed table's leaf pages. Blocks cut to about equal sizes leave the end of each page empty
/// where the next block does not fit (news-combined: 0.8 MB of an 8.3 MB table); here the
/// block that reaches a page's end is cut to what the page has left.
struct TermBlockRecutter {
    private var terms = TermBlockBuffer()
    /// The first term not yet in a block.
    private var head = 0
    /// Keys and records of the terms from `head` on.
    private var held = 0

    /// Terms held beyond what the next block could take: more blocks need not be read yet.
    var holdsEnough: Bool { held > 4 * TermBlockBuffer.targetBytes }
    var isEmpty: Bool { head == terms.count }

    /// Adds the terms of the table's next block.
    mutating func add(blockKey: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        let before = terms.count
        try terms.append(blockKey: blockKey, value: value)
        held += terms.heldBytes(before..<terms.count)
    }

    /// The next block, given the largest value the last page still takes (nil: not known).
    /// Where the page has room for less than two blocks of the usual size, one block takes
    /// what is left; a gap smaller than a useful block is left, and the block starts a page.
    mutating func nextBlock(fittingLastPage: (_ keySize: Int) -> Int?) -> (key: [UInt8], value: [UInt8]) {
        let target = TermBlockBuffer.targetBytes
        var budget = target
        if let room = fittingLastPage(terms.key(at: head).count), room >= Self.smallestTail, room < 2 * target {
            budget = room
        }
        let block = terms.encodedBlock(from: head, budget: budget)
        held -= terms.heldBytes(head..<block.end)
        head = block.end
        if head >= 4096 {
            terms.removeFirst(head)
            head = 0
        }
        return (block.key, block.value)
    }

    static let smallestTail = 64
}

/// Steps through one block's entries in place: each `next()` rebuilds the entry's key in `key`
/// and returns its record bytes. Checks that keys ascend strictly and that nothing is cut short.
struct TermBlockWalker {
    private var reader: ByteReader
    private var remaining: Int
    private var first = true
    private(set) var key: [UInt8]

    init(key blockKey: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        reader = ByteReader(value)
        remaining = Int(try reader.varint32())
        guard remaining > 0 else { throw FormatError(what: "terms block with no entries") }
        key = Array(blockKey)
        key.reserveCapacity(blockKey.count + 32)
    }

    mutating func next() throws -> UnsafeRawBufferPointer? {
        guard remaining > 0 else {
            guard reader.atEnd else { throw FormatError(what: "terms block has bytes past its last entry") }
            return nil
        }
        remaining -= 1
        if !first { try readKey() }
        first = false
        let start = reader.offset
        try TermRecord.skip(&reader)  // checks that the record lies inside the value
        return UnsafeRawBufferPointer(rebasing: reader.base[start..<reader.offset])
    }

    private mutating func readKey() throws {
        let shared = Int(try reader.varint32()), suffix = Int(try reader.varint32())
        guard shared <= key.count, suffix <= reader.base.count - reader.offset else {
            throw FormatError(what: "term key of \(shared)+\(suffix) bytes after one of \(key.count)")
        }
        let suffixBytes = reader.base[reader.offset..<reader.offset + suffix]
        // The new key follows the previous one exactly when its suffix follows what it replaces.
        guard key.withUnsafeBytes({ keyPrecedes(UnsafeRawBufferPointer(rebasing: $0[shared...]),
                                                UnsafeRawBufferPointer(rebasing: suffixBytes)) }) else {
            throw FormatError(what: "terms block keys out of order")
        }
        key.removeLast(key.count - shared)
        key += suffixBytes
        reader.offset += suffix
    }
}

/// Runs `body`, which reads the terms block holding `key`, naming that block in the
/// `FormatError` it throws: the decoders know what is wrong, not which term was wanted.
func locatingDamage<T>(near key: [UInt8], _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as FormatError {
        throw error.located("the terms block for \(IntegrityCheck.termName(key))")
    }
}

/// The read side: finds terms through a cursor on the `terms` table.
struct TermDictionaryReader {
    let cursor: Cursor

    /// The record of the term under `key`, if indexed.
    func record(_ key: [UInt8]) throws -> TermRecord? {
        try locatingDamage(near: key) {
            guard let block = try owningBlock(key) else { return nil }
            let found = try key.withUnsafeBytes { probe in
                try Self.find(probe, blockKey: block.key, value: block.value).map { try TermRecord.decode($0) }
            }
            if found == nil { try Self.validate(block) }
            return found
        }
    }

    /// `find` stops at the first key past the probe and reads little of what it passes, so a
    /// damaged block could make a word seem absent: a search would answer "no match" (exit 1)
    /// where the index is damaged. Before a miss is believed, the block is read whole, with
    /// the walker's checks (keys ascending, records inside the value).
    private static func validate(_ block: Entry) throws {
        var walker = try TermBlockWalker(key: block.key, value: block.value)
        while try walker.next() != nil {}
    }

    /// The record bytes of `probe` in a block that would hold it. Keys are never rebuilt: how
    /// many bytes the previous key shared with its predecessor, against how many it matched of
    /// the probe, says whether the next one can match, already follows the probe, or must be
    /// compared from where the match stopped.
    static func find(_ probe: UnsafeRawBufferPointer, blockKey: UnsafeRawBufferPointer,
                     value: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
        var r = ByteReader(value)
        let count = Int(try r.varint32())
        // The current key is known by its length, how much of the probe it matches, and its
        // byte where the match ends (when it has one).
        var length = blockKey.count
        var matched = commonPrefix(probe, blockKey)
        var byteAfterMatch: UInt8? = matched < length ? blockKey[matched] : nil
        for i in 0..<count {
            if i > 0 {
                let shared = Int(try r.varint32()), suffixLength = Int(try r.varint32())
                guard shared <= length, suffixLength <= r.base.count - r.offset else {
                    throw FormatError(what: "term key of \(shared)+\(suffixLength) bytes after one of \(length)")
                }
                let suffix = UnsafeRawBufferPointer(rebasing: r.base[r.offset..<r.offset + suffixLength])
                r.offset += suffixLength
                length = shared + suffixLength
                // Shared past the match: the key departs from the probe where the previous one
                // did, the same way. Shared short of it: it departs from the previous key where
                // that one still matched the probe, upward, so it follows the probe.
                if shared < matched { return nil }
                if shared == matched {
                    let more = commonPrefix(UnsafeRawBufferPointer(rebasing: probe[matched...]), suffix)
                    matched += more
                    byteAfterMatch = more < suffixLength ? suffix[more] : nil
                }
            }
            if matched == probe.count {
                guard matched == length else { return nil }  // the probe is a prefix of the key
                let start = r.offset
                try TermRecord.skip(&r)
                return UnsafeRawBufferPointer(rebasing: r.base[start..<r.offset])
            }
            if let byte = byteAfterMatch, byte > probe[matched] { return nil }
            try TermRecord.skip(&r)
        }
        return nil
    }

    /// Calls `body` with each term whose key starts with `prefix`, in key order, until it returns false.
    func forEach(withPrefix prefix: [UInt8], _ body: ([UInt8], UnsafeRawBufferPointer) throws -> Bool) throws {
        // LMDB refuses an empty key; every block comes at or after the empty prefix.
        var block = prefix.isEmpty ? try cursor.first() : try owningBlock(prefix) ?? cursor.seek(atLeast: prefix)
        while let b = block {
            let done = try locatingDamage(near: Array(b.key)) { () throws -> Bool in
                var walker = try TermBlockWalker(key: b.key, value: b.value)
                while let record = try walker.next() {
                    if walker.key.starts(with: prefix) {
                        if !(try body(walker.key, record)) { return true }
                    } else if keyPrecedes(prefix, walker.key) {
                        return true
                    }
                }
                return false
            }
            if done { return }
            block = try cursor.next()
        }
    }

    /// The block whose first key is the greatest at or before `key`; the cursor is left on it.
    func owningBlock(_ key: [UInt8]) throws -> Entry? {
        guard let e = try cursor.seek(atLeast: key) else { return try cursor.last() }
        let exact = key.withUnsafeBytes { $0.count == e.key.count && memcmp($0.baseAddress!, e.key.baseAddress!, $0.count) == 0 }
        return exact ? e : try cursor.prev()
    }
}

/// Looks terms up in ascending key order, as a batch does before it writes: each block is
/// walked once, from where the previous lookup stopped, instead of from its start for each
/// term (which took ten times as long as the lookups of one entry per term had). No write to
/// the terms table may come between lookups: the walk points into the map.
struct AscendingTermLookup {
    private let dictionary: TermDictionaryReader
    private var walker: TermBlockWalker?
    private var current: UnsafeRawBufferPointer?
    /// The first key of the block after the walker's (nil: none).
    private var upperBound: [UInt8]?

    init(cursor: Cursor) {
        dictionary = TermDictionaryReader(cursor: cursor)
    }

    mutating func record(_ key: [UInt8]) throws -> TermRecord? {
        try locatingDamage(near: key) { try lookUp(key) }
    }

    private mutating func lookUp(_ key: [UInt8]) throws -> TermRecord? {
        if walker == nil || !(upperBound.map { keyPrecedes(key, $0) } ?? true) || keyPrecedes(key, walker!.key) {
            guard let block = try dictionary.owningBlock(key) else {
                walker = nil
                return nil
            }
            walker = try TermBlockWalker(key: block.key, value: block.value)
            current = try walker!.next()
            upperBound = try dictionary.cursor.next().map { Array($0.key) }
        }
        while let record = current {
            if walker!.key == key { return try TermRecord.decode(record) }
            if keyPrecedes(key, walker!.key) { return nil }
            current = try walker!.next()
        }
        return nil
    }
}

/// The write side: reads and replaces term records in ascending key order within one write
/// transaction, rewriting each block it changed once, when the keys move past it.
final class TermDictionaryEditor {
    private let cursor: Cursor
    private var reader: TermDictionaryReader { TermDictionaryReader(cursor: cursor) }
    /// The loaded block (nil: the table has none), and the keys that belong to it:
    /// `[lowerBound, upperBound)`, nil meaning unbounded. Keys before the table's first block
    /// belong to it, so that they join it rather than start blocks of their own.
    private var blockKey: [UInt8]?
    private var lowerBound: [UInt8]?
    private var upperBound: [UInt8]?
    private var terms = TermBlockBuffer()
    private var loaded = false
    private var modified = false

    init(cursor: Cursor) {
        self.cursor = cursor
    }

    func record(_ key: [UInt8]) throws -> TermRecord? {
        try locatingDamage(near: key) { try load(key) }
        let (i, found) = terms.find(key)
        guard found else { return nil }
        return try terms.record(at: i).withUnsafeBytes { try TermRecord.decode($0) }
    }

    /// Puts `record` under `key`, or removes the term when it is nil.
    func set(_ key: [UInt8], _ record: TermRecord?) throws {
        try locatingDamage(near: key) { try load(key) }
        let (i, found) = terms.find(key)
        switch (found, record) {
        case let (true, record?): terms.replaceRecord(at: i, with: record.encoded())
        case (true, nil): terms.remove(at: i)
        case let (false, record?): terms.insert(key: key, record: record.encoded(), at: i)
        case (false, nil): return
        }
        modified = true
    }

    /// Writes the last changed block. Call once the edits are done.
    func finish() throws {
        try flush()
        loaded = false
    }

    private func holds(_ key: [UInt8]) -> Bool {
        loaded && !(lowerBound.map { keyPrecedes(key, $0) } ?? false) && (upperBound.map { keyPrecedes(key, $0) } ?? true)
    }

    private func load(_ key: [UInt8]) throws {
        if holds(key) { return }
        try flush()
        let owner = try reader.owningBlock(key)
        let block = try owner ?? cursor.first()
        lowerBound = owner.map { Array($0.key) }
        blockKey = block.map { Array($0.key) }
        terms.removeAll()
        if let block { try terms.append(blockKey: block.key, value: block.value) }
        upperBound = try block == nil ? nil : cursor.next().map { Array($0.key) }
        loaded = true
        modified = false
    }

    private func flush() throws {
        guard loaded && modified else { return }
        let blocks = terms.count > 0 ? terms.encodedBlocks() : []
        // Mostly the block keeps its first term, and a put under its key replaces it in place.
        if let blockKey, blocks.first?.key != blockKey {
            guard try cursor.seek(exactly: blockKey) != nil else {
                throw IndexError.corrupt("terms block \(IntegrityCheck.termName(blockKey)) vanished while being rewritten")
            }
            try cursor.deleteCurrent()
        }
        for block in blocks { try cursor.put(block.key, block.value) }
        modified = false
    }
}
