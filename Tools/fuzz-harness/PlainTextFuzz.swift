// libFuzzer harness for the plain-text cleaner: decoding, block splitting, selection, title and
// date finding. Cleaner.clean never throws; any crash, hang or leak is a finding.
import Cleaning

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlainText(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: size))
    let article = Cleaner.clean(bytes, kind: .plainText)
    _ = article.body
    return 0
}
