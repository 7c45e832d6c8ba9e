// InvertedIndex: the byte-level codecs every value in the index is built from.
// Owns varints and bit packing, writer and reader side by side.

/// How many bytes `ByteWriter.varint` writes for `value`.
func varintSize(_ value: Int) -> Int {
    var v = UInt64(value), n = 1
    while v >= 0x80 {
        v >>= 7
        n += 1
    }
    return n
}

/// Appends varints, raw bytes and bit-packed runs to a growing buffer.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func varint(_ value: UInt32) { varint(UInt64(value)) }

    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        varint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Writes a bit width byte then `values` packed LSB-first at that width.
    mutating func packed(_ values: UnsafeBufferPointer<UInt32>) {
        var maxValue: UInt32 = 0
        for v in values { maxValue |= v }
        let width = maxValue == 0 ? 0 : 32 - maxValue.leadingZeroBitCount
        bytes.append(UInt8(width))
        guard width > 0 else { return }
        var acc: UInt64 = 0
        var filled = 0
        for v in values {
            acc |= UInt64(v) << filled
            filled += width
            while filled >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: acc))
                acc >>= 8
                filled -= 8
            }
        }
        if filled > 0 { bytes.append(UInt8(truncatingIfNeeded: acc)) }
    }
}

public struct FormatError: Error, CustomStringConvertible {
    public let what: String
    public var description: String { "index data is corrupt: \(what)" }

    /// The same error, saying where: the decoders know what is wrong, their callers where.
    func located(_ place: String) -> FormatError { FormatError(what: "\(place): \(what)") }
}

/// Reads what ByteWriter wrote, straight from the memory map, checking every bound.
struct ByteReader {
    let base: UnsafeRawBufferPointer
    var offset = 0

    init(_ base: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = base
        self.offset = offset
    }

    var atEnd: Bool { offset >= base.count }

    @inline(__always)
    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < base.count, shift < 64 else { throw FormatError(what: "truncated varint") }
            let b = base[offset]
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always)
    mutating func varint32() throws -> UInt32 {
        if offset < base.count, base[offset] < 0x80 {  // most gaps fit in one byte
            defer { offset += 1 }
            return UInt32(base[offset])
        }
        let v = try varint()
        guard v <= UInt32.max else { throw FormatError(what: "varint too large") }
        return UInt32(v)
    }

    mutating func string() throws -> String {
        let n = Int(try varint())
        guard n <= base.count - offset else { throw FormatError(what: "truncated string") }
        let s = String(decoding: UnsafeRawBufferPointer(rebasing: base[offset..<offset + n]), as: UTF8.self)
        offset += n
        return s
    }

    /// Throws what `unpack(count:into:)` would throw for a malformed run, without decoding it.
    func checkPacked(count: Int) throws {
        guard offset < base.count else { throw FormatError(what: "truncated block") }
        let width = Int(base[offset])
        guard width <= 32 else { throw FormatError(what: "bit width \(width)") }
        guard (count * width + 7) / 8 <= base.count - offset - 1 else { throw FormatError(what: "truncated packed run") }
    }

    /// Unpacks `count` values written by `ByteWriter.packed` into `out`.
    mutating func unpack(count: Int, into out: UnsafeMutablePointer<UInt32>) throws {
        guard offset < base.count else { throw FormatError(what: "truncated block") }
        let width = Int(base[offset])
        offset += 1
        guard width <= 32 else { throw FormatError(what: "bit width \(width)") }
        if width == 0 {
            out.update(repeating: 0, count: count)
            return
        }
        let byteCount = (count * width + 7) / 8
        guard byteCount <= base.count - offset else { throw FormatError(what: "truncated packed run") }
        let p = base.baseAddress!.advanced(by: offset)
        let mask = UInt64((1 << width) - 1)
        // One unaligned 8-byte load per value while 8 bytes remain in the value; a value is at
        // most 32 bits at a bit offset below 8, so one load always holds it. The last few
        // values are gathered byte by byte so no load reaches past the LMDB value.
        let safeLoads = base.count - offset - 8
        var bit = 0
        var i = 0
        while i < count && (bit >> 3) <= safeLoads {
            let word = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
            out[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += width
            i += 1
        }
        while i < count {
            var word: UInt64 = 0
            let first = bit >> 3
            for k in 0..<min(5, byteCount - first) {
                word |= UInt64(p.load(fromByteOffset: first + k, as: UInt8.self)) << UInt64(8 * k)
            }
            out[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += width
            i += 1
        }
        offset += byteCount
    }
}

/// A run written by `ByteWriter.packed`, read in place: any value is found by arithmetic on
/// its index, so passing over values costs nothing.
@usableFromInline
struct PackedRun {
    @usableFromInline let start: UnsafeRawPointer?
    @usableFromInline let count: Int
    @usableFromInline let width: Int
    @usableFromInline let mask: UInt64
    @usableFromInline let byteCount: Int
    /// Values starting at or before this byte are read with one 8-byte load, which stays
    /// inside the LMDB value; later ones are gathered byte by byte.
    @usableFromInline let lastWordLoad: Int

    /// Reads the width byte at the reader's offset, checks that `count` values fit in what
    /// remains, and moves the reader past the run.
    init(_ reader: inout ByteReader, count: Int) throws {
        guard count >= 0 else { throw FormatError(what: "negative packed count") }
        try reader.checkPacked(count: count)
        width = Int(reader.base[reader.offset])
        reader.offset += 1
        self.count = count
        mask = (1 << UInt64(width)) - 1
        byteCount = (count * width + 7) / 8
        start = reader.base.baseAddress.map { $0 + reader.offset }
        lastWordLoad = reader.base.count - reader.offset - 8
        reader.offset += byteCount
    }

    /// A run of no values, which reads as zeros without touching memory.
    init() {
        start = nil
        count = 0
        width = 0
        mask = 0
        byteCount = 0
        lastWordLoad = -8
    }

    /// Values `0..<fastCount` lie far enough from the end of the LMDB value to be read with
    /// `fastValue(at:)`. A decoding loop over them alone keeps its state in registers: with
    /// the byte-by-byte fallback inside, the compiler spilled it to the stack every value.
    var fastCount: Int {
        guard lastWordLoad >= 0 else { return 0 }
        guard width > 0 else { return count }  // every load is at the run's first byte
        return min(count, ((lastWordLoad + 1) * 8 - 1) / width + 1)
    }

    /// The value at index `i`, for `i < fastCount`.
    @inline(__always)
    func fastValue(at i: Int) -> UInt32 {
        let bit = i &* width
        let word = UInt64(littleEndian: start.unsafelyUnwrapped.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
        return UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
    }

    /// Writes values `0..<n` (`n ≤ count`) to `out`. Eight values take `width` bytes from a
    /// byte boundary, so at widths up to 8 one load yields all eight: most gaps in the blocks
    /// a query seeks through (those of common words) are that narrow.
    @inline(__always)
    func unpack(_ n: Int, into out: UnsafeMutablePointer<UInt32>) {
        var i = 0
        if width <= 8 {
            let groups = min(n / 8, (fastCount + 7) / 8)
            let shift = UInt64(width)
            for g in 0..<groups {
                var word = UInt64(littleEndian: start.unsafelyUnwrapped.loadUnaligned(fromByteOffset: g &* width, as: UInt64.self))
                let o = out + g &* 8
                for k in 0..<8 {
                    o[k] = UInt32(truncatingIfNeeded: word & mask)
                    word &>>= shift
                }
            }
            i = groups &* 8
        }
        let fast = min(n, fastCount)
        while i < fast {
            out[i] = fastValue(at: i)
            i += 1
        }
        while i < n {
            out[i] = value(at: i)
            i += 1
        }
    }

    /// The value at index `i` (`0 ≤ i < count`).
    @inlinable @inline(__always)
    func value(at i: Int) -> UInt32 {
        let bit = i &* width
        let byte = bit &>> 3
        let word = byte <= lastWordLoad
            ? UInt64(littleEndian: start.unsafelyUnwrapped.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
            : gathered(from: byte)
        return UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
    }

    /// The up to five bytes from `byte` on that belong to the run, as a little-endian word.
    @usableFromInline
    func gathered(from byte: Int) -> UInt64 {
        var word: UInt64 = 0
        var k = 0
        while k < 5 && byte + k < byteCount {
            word |= UInt64(start.unsafelyUnwrapped.load(fromByteOffset: byte + k, as: UInt8.self)) << UInt64(8 * k)
            k += 1
        }
        return word
    }
}
