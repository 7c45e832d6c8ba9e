// libFuzzer harness for the HTML cleaner: input repair, libxml2 parsing, the DOM walk, markup
// vetoes, selection, metadata and dates (and the read-as-text fallback for unparsable pages).
// Cleaner.clean never throws; any crash, hang or leak is a finding.
import Cleaning

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTML(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: size))
    let article = Cleaner.clean(bytes, kind: .html)
    _ = article.body
    return 0
}
