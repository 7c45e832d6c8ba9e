// InvertedIndex: the byte-level codecs every value in the index is built from.
// Owns varints and bit packing, writer and reader side by side.

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

    /// Passes over `n` varints by counting their last bytes (high bit clear), eight bytes at a
    /// time while at least eight remain: a word can then only hold as many last bytes as remain
    /// when all eight are last bytes, so a whole word never runs into the varint after them.
    mutating func skipVarints(_ n: Int) throws {
        var left = n
        let p = base.baseAddress
        while left >= 8 && base.count - offset >= 8 {
            let word = p!.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let ends = (~word & 0x8080_8080_8080_8080).nonzeroBitCount
            guard ends <= left else { break }
            left -= ends
            offset += 8
        }
        while left > 0 {
            guard offset < base.count else { throw FormatError(what: "truncated varint") }
            if base[offset] < 0x80 { left -= 1 }
            offset += 1
        }
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
