// Analysis: an interning table from byte strings to dense ids, without a String per entry.
// Owns the hashing and storage that let indexing count terms at memory speed.
import CPrefetch

/// Maps byte strings to dense ids 0, 1, 2... in first-seen order.
///
/// Every token of every indexed document is looked up here, and the table outgrows the
/// caches, so a lookup costs its cache misses. A slot holds the id, the length, part of the
/// hash and the first eight bytes: a word of up to eight bytes (most words) is found or ruled
/// out with the slot alone; only longer ones read the rest of their bytes from the arena.
public struct TermTable {
    private struct Slot {
        /// hash tag (high 24 bits) | length, at most 255 (8 bits) | id + 1 (low 32 bits); 0 = empty.
        var header: UInt64 = 0
        /// The first eight bytes, little-endian, zero-padded.
        var head: UInt64 = 0
    }

    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var slots: [Slot]
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
    }

    public var count: Int { starts.count - 1 }

    /// What a lookup of some bytes needs besides them, computed once so that the slot can be
    /// prefetched well before the lookup.
    public struct LookupKey {
        fileprivate let head: UInt64
        fileprivate let hash: UInt64
    }

    @inline(__always)
    public static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> LookupKey {
        let head = TermTable.head(bytes)
        return LookupKey(head: head, hash: TermTable.hash(bytes, head: head))
    }

    /// Starts loading the slot a lookup with `key` reads first. The table outgrows the caches,
    /// and that load was two thirds of the time spent interning. Mutating only so that a call
    /// on a table stored in a class reads it in place: a copy retains and releases its arrays.
    @inline(__always)
    public mutating func prefetch(_ key: LookupKey) {
        slots.withUnsafeMutableBufferPointer { newsidx_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: key.hash) & mask)) }
    }

    /// The id of `bytes`, adding it if new.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        intern(bytes, key: TermTable.key(bytes))
    }

    /// The id of `bytes`, whose key is `key`, adding it if new.
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, key lookup: LookupKey) -> Int32 {
        let head = lookup.head, h = lookup.hash
        let key = TermTable.headerKey(hash: h, length: bytes.count)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[slot]
            if s.header == 0 { break }
            if s.header & ~0xFFFF_FFFF == key && s.head == head {
                let id = Int(truncatingIfNeeded: s.header & 0xFFFF_FFFF) - 1
                if bytes.count <= 8 || tailEquals(id, bytes) { return Int32(id) }
            }
            slot = (slot + 1) & mask
        }
        let id = count
        slots[slot] = Slot(header: key | UInt64(id + 1), head: head)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        if count * 2 > slots.count { grow() }
        return Int32(id)
    }

    public func withBytes<T>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let lo = starts[Int(id)], hi = starts[Int(id) + 1]
        return try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lo..<hi])) }
    }

    public func bytes(_ id: Int32) -> [UInt8] { withBytes(id) { Array($0) } }
    public func string(_ id: Int32) -> String { withBytes(id) { String(decoding: $0, as: UTF8.self) } }

    /// Bytes held, for bounding memory.
    public var footprint: Int { arena.count + starts.count * 8 + slots.count * 16 }

    /// Whether entry `id` (whose length and first eight bytes already match) equals `bytes`.
    private func tailEquals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let lo = starts[id], hi = starts[id + 1]
        guard hi - lo == bytes.count else { return false }  // lengths over 255 share a header value
        return arena.withUnsafeBufferPointer { a in
            for i in 8..<bytes.count where a[lo + i] != bytes[i] { return false }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var grown = [Slot](repeating: Slot(), count: size)
        mask = size - 1
        for s in slots where s.header != 0 {
            let id = Int(truncatingIfNeeded: s.header & 0xFFFF_FFFF) - 1
            let h = withBytes(Int32(id)) { TermTable.hash($0, head: s.head) }
            var slot = Int(truncatingIfNeeded: h) & mask
            while grown[slot].header != 0 { slot = (slot + 1) & mask }
            grown[slot] = s
        }
        slots = grown
    }

    @inline(__always)
    private static func headerKey(hash h: UInt64, length: Int) -> UInt64 {
        (h >> 40) << 40 | UInt64(min(length, 255)) << 32
    }

    /// The first eight bytes as a little-endian word, zero-padded.
    @inline(__always)
    static func head(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0 }
        if bytes.count >= 8 { return UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)) }
        var word: UInt64 = 0
        for i in 0..<bytes.count { word |= UInt64(base[i]) << UInt64(8 * i) }
        return word
    }

    /// Mixes the head word, then any further bytes eight at a time; the slot index comes from
    /// the low bits and the tag from the high ones, so both must be well mixed.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, head: UInt64) -> UInt64 {
        var h = mix(head ^ UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var i = 8
        while i < bytes.count {
            var word: UInt64 = 0
            for k in 0..<min(8, bytes.count - i) { word |= UInt64(bytes[i + k]) << UInt64(8 * k) }
            h = mix(h ^ word)
            i += 8
        }
        return h
    }

    /// A 64-bit finalizer (multiply and xor-shift rounds) that spreads every input bit.
    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
