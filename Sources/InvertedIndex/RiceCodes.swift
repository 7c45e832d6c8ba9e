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
/// readable bytes: every read is one unchecked 8-byte load. Reads past the string's end see
/// those bytes; unary skips and checks need them to be zeros (`PaddedCopy`).
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

/// Finding a word's one of a given rank without visiting the ones below it.
enum BitSelect {
    private static let ones8: UInt64 = 0x0101_0101_0101_0101
    private static let highs8: UInt64 = 0x8080_8080_8080_8080

    /// The bit position of the one of rank `r` (0 for the lowest) in `word`, which has more
    /// than `r` ones. Finds its byte from the bytes' running one counts, all eight compared at
    /// once, then clears the byte's lower ones (at most seven): a skip to a code of many before
    /// had cleared every one before it.
    @inline(__always)
    static func position(ofOne r: Int, in word: UInt64) -> Int {
        var counts = word &- ((word &>> 1) & 0x5555_5555_5555_5555)
        counts = (counts & 0x3333_3333_3333_3333) &+ ((counts &>> 2) & 0x3333_3333_3333_3333)
        counts = (counts &+ (counts &>> 4)) & 0x0F0F_0F0F_0F0F_0F0F
        let through = counts &* ones8  // byte i: the ones in bytes 0...i
        // Bytes whose running count is at most r lie before the one's byte: a byte's high bit
        // survives the subtraction exactly when r ≥ its count (counts are at most 64).
        let before = ((UInt64(truncatingIfNeeded: r) &* ones8 | highs8) &- through) & highs8
        let place = before.nonzeroBitCount &* 8
        let passed = place == 0 ? 0 : Int(truncatingIfNeeded: (through &>> UInt64(place &- 8)) & 0xFF)
        var byte = (word &>> UInt64(truncatingIfNeeded: place)) & 0xFF
        for _ in 0..<(r &- passed) { byte &= byte &- 1 }
        return place &+ byte.trailingZeroBitCount
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
            let word = string.bits(from: bit)
            let ones = word.nonzeroBitCount
            if ones >= remaining {
                bit &+= BitSelect.position(ofOne: remaining &- 1, in: word) &+ 1
                break
            }
            remaining &-= ones
            bit &+= string.bitsRead(from: bit)
        }
        index = target
    }
}

extension ByteWriter {
    /// Writes `values` as Rice codes: a byte k (the cheapest), then a bit string holding each
    /// value's unary high part (`v >> k`) in order and, laid back from the string's end, their
    /// low k bits (value m's end m × k bits before the end, so no count is needed to find them),
    /// the string's last byte shared between the two.
    mutating func riceCoded(_ values: UnsafeBufferPointer<UInt32>) {
        let cost = RiceCost.cheapest(values)
        bytes.append(UInt8(cost.k))
        var string = BitStringWriter(after: bytes, bitCount: cost.bits)
        var bit = 0
        for v in values { bit = string.unary(v &>> UInt32(cost.k), at: bit) }
        if cost.k > 0 {
            let mask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(cost.k)) - 1)
            var lowBit = string.bitCount
            for v in values {
                lowBit &-= cost.k
                string.field(v & mask, at: lowBit)
            }
        }
        bytes = string.finish()
    }
}

/// Rice codes as `ByteWriter.riceCoded` writes them, read in order. The bytes must be followed
/// by eight readable ones (as `BitString`'s), zeros for `checkHolds`.
struct RiceRun {
    let width: Int
    let mask: UInt64
    let codes: BitString
    /// Where the next code's unary part begins.
    var next = UnaryCursor()

    /// Reads the k byte at `offset`; the codes are the rest of `raw`.
    init(padded raw: UnsafeRawBufferPointer, from offset: Int) throws {
        guard offset < raw.count else { throw FormatError(what: "Rice codes end before their width") }
        width = Int(raw[offset])
        guard width <= 32 else { throw FormatError(what: "bit width \(width)") }
        mask = (1 << UInt64(width)) - 1
        codes = BitString(padded: raw, from: offset + 1)
    }

    /// Where the low bits of code `index` begin.
    @inline(__always)
    func lowBit(of index: Int) -> Int { codes.bitCount &- (index &+ 1) &* width }

    /// Checks that the string holds exactly `count` codes: their unary parts end where their
    /// low bits begin, in the last byte.
    func checkHolds(count: Int) throws {
        var end = UnaryCursor()
        try end.skip(to: count, in: codes)
        guard Self.fills(codes, unaryEnd: end.bit, count: count, width: width) else {
            throw FormatError(what: "Rice codes with bytes past their last value")
        }
    }

    /// After decoding every code (`next` at the last one's end): whether the codes fill the
    /// value, as `checkHolds` requires.
    var endsAtLastCode: Bool { Self.fills(codes, unaryEnd: next.bit, count: next.index, width: width) }

    private static func fills(_ codes: BitString, unaryEnd: Int, count: Int, width: Int) -> Bool {
        (unaryEnd + count * width + 7) / 8 == codes.byteCount
    }

    /// Decodes codes from `next.index` up to `end` into `out[next.index..<end]`, one added to
    /// each (how tfs are stored). Stops early, returning false, where a damaged string runs
    /// out of codes; reads nothing outside it and its eight following bytes either way, and
    /// needs no zeros there: a valid code's one always comes before them.
    @inline(__always)
    mutating func decodePlusOne(upTo end: Int, into out: UnsafeMutablePointer<UInt32>) -> Bool {
        guard next.index < end else { return true }
        // Most tf codes have no low bits (86% of news-combined's blocks): their loop loads none.
        return width == 0 ? decodeUnaryPlusOne(upTo: end, into: out) : decodeRicePlusOne(upTo: end, into: out)
    }

    /// `decodePlusOne` for k = 0, checking the string's end once a word. Ones are taken lowest
    /// first by clearing them: the loop's chain is two operations a code, where shifting the
    /// word past each one made it five.
    @inline(__always)
    private mutating func decodeUnaryPlusOne(upTo end: Int, into out: UnsafeMutablePointer<UInt32>) -> Bool {
        var index = next.index, start = next.bit  // the current code and where its unary part begins
        defer { next = UnaryCursor(bit: start, index: index) }
        var bit = start  // where the last load began
        while bit < codes.bitCount {
            var word = codes.bits(from: bit)
            let left = codes.bitCount &- bit
            if left < 64 { word &= (1 &<< UInt64(truncatingIfNeeded: left)) &- 1 }
            while word != 0 {
                let one = bit &+ word.trailingZeroBitCount
                word &= word &- 1
                out[index] = UInt32(truncatingIfNeeded: one &- start) &+ 1
                start = one &+ 1
                index &+= 1
                if index == end { return true }
            }
            bit &+= codes.bitsRead(from: bit)
        }
        return false
    }

    /// `decodePlusOne` for k > 0: each code's low bits are one more load, and its one must come
    /// before them.
    @inline(__always)
    private mutating func decodeRicePlusOne(upTo end: Int, into out: UnsafeMutablePointer<UInt32>) -> Bool {
        var index = next.index, start = next.bit
        defer { next = UnaryCursor(bit: start, index: index) }
        var lowBit = lowBit(of: index), bit = start
        let shift = UInt32(truncatingIfNeeded: width)
        while bit < codes.bitCount {
            var word = codes.bits(from: bit)
            while word != 0 {
                let one = bit &+ word.trailingZeroBitCount
                word &= word &- 1
                guard lowBit > one else { return false }  // codes running into the low parts
                let high = UInt32(truncatingIfNeeded: one &- start)
                out[index] = (high &<< shift | codes.field(at: lowBit, mask: mask)) &+ 1
                start = one &+ 1
                index &+= 1
                lowBit &-= width
                if index == end { return true }
            }
            bit &+= codes.bitsRead(from: bit)
        }
        return false
    }
}
