// InvertedIndex: Rice codes, writer and reader side by side: a value's low k bits at a fixed
// width (found by arithmetic) and the rest of it in unary (zeros, then a one), LSB first.

enum RiceCost {
    /// The k whose codes for `values` take fewest bits (the largest such k on a tie), and those
    /// bits (k low bits and a unary high part each). The cost is convex in k (what one more low
    /// bit saves, `Σ (v >> k) − Σ (v >> (k+1)) − count`, shrinks as k grows), so a walk from
    /// `start` (or from the width of the values' mean) finds it in a few passes. No values: k 0.
    static func cheapest(_ values: UnsafeBufferPointer<UInt32>, near start: Int? = nil) -> (k: Int, bits: Int) {
        guard !values.isEmpty else { return (0, 0) }
        var k = start ?? {
            var sum: UInt64 = 0
            for v in values { sum &+= UInt64(v) }
            return 64 - (sum / UInt64(values.count)).leadingZeroBitCount
        }()
        k = min(k, 31)
        var cost = bits(values, at: k)
        if k < 31, case let up = bits(values, at: k + 1), up <= cost {
            (k, cost) = (k + 1, up)
            while k < 31, case let next = bits(values, at: k + 1), next <= cost { (k, cost) = (k + 1, next) }
            return (k, cost)
        }
        while k > 0, case let down = bits(values, at: k - 1), down < cost { (k, cost) = (k - 1, down) }
        return (k, cost)
    }

    /// Bits the values take as Rice codes at `k`: k low bits and a unary high part each.
    static func bits(_ values: UnsafeBufferPointer<UInt32>, at k: Int) -> Int {
        var highs: UInt64 = 0
        let shift = UInt32(k)
        for v in values { highs &+= UInt64(v &>> shift) }
        return values.count * (k + 1) + Int(highs)
    }
}

/// An upper bound on a growing list's cheapest Rice cost, in a few operations per addition: its
/// cost at the k that was cheapest when its count last doubled, where values added together
/// count as their sum (`Σ ⌊v / 2^k⌋ ≤ ⌊Σ v / 2^k⌋`).
struct RiceBound {
    private(set) var bits = 0
    private var k = 0
    private var recenterAt = 1

    /// At most what `count` values summing to `sum` add at the bound's k.
    @inline(__always)
    func cost(count: Int, sum: Int) -> Int { count &* (k &+ 1) &+ (sum &>> k) }

    /// Follows `values`, whose last `count` (summing to `sum`) were just appended: finds the
    /// cheapest k and its exact cost again when their count has doubled since it last did.
    @inline(__always)
    mutating func added(_ values: UnsafeBufferPointer<UInt32>, count: Int, sum: Int) {
        guard values.count >= recenterAt else {
            bits &+= cost(count: count, sum: sum)
            return
        }
        (k, bits) = RiceCost.cheapest(values, near: k)
        recenterAt = 2 * values.count
    }
}

/// Writes Rice codes into a bit string of zeros: unary parts forward from a bit offset and
/// fixed-width fields anywhere. Eight spare zero bytes at its end let every write be one
/// 8-byte load, OR and store; `finished` drops them.
struct BitStringWriter {
    private var bytes: [UInt8]
    private let start: Int

    /// Begins a string of `bitCount` bits, rounded up to bytes, after `prefix`.
    init(after prefix: [UInt8], bitCount: Int) {
        start = prefix.count
        bytes = prefix
        bytes.append(contentsOf: repeatElement(0, count: (bitCount + 7) / 8 + 8))
    }

    /// Writes `high` zeros then a one at `bit`; returns the bit after the one.
    @inline(__always)
    mutating func unary(_ high: UInt32, at bit: Int) -> Int {
        let one = bit &+ Int(high)
        bytes.withUnsafeMutableBufferPointer { $0[start &+ one &>> 3] |= UInt8(1) &<< UInt8(one & 7) }
        return one &+ 1
    }

    /// ORs `value` (below 2^32, already cut to its width) in at `bit`.
    @inline(__always)
    mutating func field(_ value: UInt32, at bit: Int) {
        let byte = start &+ bit &>> 3
        bytes.withUnsafeMutableBytes { raw in
            let word = raw.loadUnaligned(fromByteOffset: byte, as: UInt64.self)
            raw.storeBytes(of: word | UInt64(value) &<< UInt64(bit & 7), toByteOffset: byte, as: UInt64.self)
        }
    }

    /// The prefix and the string, without the spare bytes.
    consuming func finish() -> [UInt8] {
        bytes.removeLast(8)
        return bytes
    }

    /// The string's length in bits, rounded up to bytes.
    var bitCount: Int { (bytes.count - 8 - start) * 8 }
}

/// Bytes read in place as a little-endian bit string. They must be followed by at least eight
/// zero bytes (`PaddedCopy`): every read is one unchecked 8-byte load, and reads past the
/// string's end see zeros.
struct BitString {
    let base: UnsafeRawPointer?
    let byteCount: Int
    var bitCount: Int { byteCount &* 8 }

    init(padded raw: UnsafeRawBufferPointer, from offset: Int) {
        base = raw.baseAddress.map { $0 + offset }
        byteCount = max(0, raw.count - offset)
    }

    /// The bits from `bit` on (`bit ≤ bitCount`), in the low end of the word: 57 or more of
    /// them, zeros past the string's end.
    @inline(__always)
    func bits(from bit: Int) -> UInt64 {
        let word = UInt64(littleEndian: base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
        return word &>> UInt64(truncatingIfNeeded: bit & 7)
    }

    /// How many bits a read at `bit` yields.
    @inline(__always)
    func bitsRead(from bit: Int) -> Int { 64 &- (bit & 7) }

    /// The bits at `bit` under `mask` (`bit` plus the mask's width at most `bitCount`).
    @inline(__always)
    func field(at bit: Int, mask: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: bits(from: bit) & mask)
    }
}

/// A place in a list of unary codes: the bit where code `index` begins. Moves forward only.
struct UnaryCursor {
    var bit = 0
    var index = 0

    /// Moves to code `target` (≥ `index`) by counting the ones before it, a word at a time.
    @inline(__always)
    mutating func skip(to target: Int, in string: BitString) throws {
        var remaining = target &- index
        while remaining > 0 {
            guard bit < string.bitCount else { throw FormatError(what: "unary codes end early") }
            var word = string.bits(from: bit)
            let ones = word.nonzeroBitCount
            if ones >= remaining {
                for _ in 1..<remaining { word &= word &- 1 }
                bit &+= word.trailingZeroBitCount &+ 1
                break
            }
            remaining &-= ones
            bit &+= string.bitsRead(from: bit)
        }
        index = target
    }
}
