// CleaningTests: legacy-encoded fixtures written by glibc's iconv itself, so that decoding is
// checked against the converter and not against its own reading.
#if canImport(Glibc)
import Glibc
#endif

/// Bytes in `label` as glibc's iconv writes them; nil when it lacks `label`.
func encoded(_ text: String, _ label: String) -> [UInt8]? { converted(Array(text.utf8), from: "UTF-8", to: label) }

/// One iconv call into room for 16 bytes out per byte in, then the flush; nil when iconv
/// lacks an encoding or stops before the end.
func converted(_ bytes: [UInt8], from source: String, to target: String) -> [UInt8]? {
    let converter = iconv_open(target, source)
    guard converter != iconv_t(bitPattern: -1) else { return nil }
    defer { iconv_close(converter) }
    var input = bytes.map { CChar(bitPattern: $0) }, output = [CChar](repeating: 0, count: input.count * 16 + 16)
    var inLeft = input.count, outLeft = output.count
    input.withUnsafeMutableBufferPointer { i in
        output.withUnsafeMutableBufferPointer { o in
            var ip: UnsafeMutablePointer<CChar>? = i.baseAddress, op: UnsafeMutablePointer<CChar>? = o.baseAddress
            _ = iconv(converter, &ip, &inLeft, &op, &outLeft)
            _ = iconv(converter, nil, nil, &op, &outLeft)
        }
    }
    return inLeft == 0 ? output.prefix(output.count - outLeft).map { UInt8(bitPattern: $0) } : nil
}
