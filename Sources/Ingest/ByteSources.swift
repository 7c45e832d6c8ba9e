// Ingest: reading archive files: plain, gzip and zstd byte streams, whole or line by line.
// Owns the input files' decompressors (zlib, zstd) and the bound on a single line's size.
import CZlib
import CZstd
#if canImport(Glibc)
import Glibc
#endif

public struct IngestError: Error, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let message: String
    /// The compressed data stopped before its stream's end, or something other than a member
    /// or frame follows its last one: what came before decoded as written, unlike data whose
    /// decoding failed inside a member or whose checksum did not match.
    let leavesWhatPrecedesSound: Bool

    public init(path: String, line: Int? = nil, _ message: String) {
        self.init(path: path, line: line, message, leavesWhatPrecedesSound: false)
    }

    private init(path: String, line: Int?, _ message: String, leavesWhatPrecedesSound: Bool) {
        self.path = path
        self.line = line
        self.message = message
        self.leavesWhatPrecedesSound = leavesWhatPrecedesSound
    }

    /// `message` about what follows the last whole member or frame (as gzip(1) warns of
    /// "trailing garbage" and keeps what it decompressed).
    static func afterLastWhole(_ path: String, _ message: String) -> IngestError {
        IngestError(path: path, line: nil, message, leavesWhatPrecedesSound: true)
    }

    /// Why `path` could not be opened or found, from `errno`. Swift hands over arguments as
    /// text, with bytes that are not UTF-8 replaced: such a name no longer names the file,
    /// which is not "not found".
    static func cannotOpen(_ path: String) -> IngestError {
        let notText = errno == ENOENT && path.unicodeScalars.contains("\u{FFFD}")
        return IngestError(path: path, notText ? "file name is not valid UTF-8; skipped (rename it to read it)"
                                               : String(cString: strerror(errno)))
    }

    static func endsEarly(_ path: String, _ format: String) -> IngestError {
        IngestError(path: path, line: nil, "\(format) data ends early", leavesWhatPrecedesSound: true)
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}

/// A source of byte chunks: a file or stdin, optionally decompressed.
protocol ChunkSource {
    /// The next chunk, or nil at the end.
    mutating func nextChunk() throws -> [UInt8]?
}

/// Bytes read from input files so far, for progress reports (read only on the walking thread).
public enum InputMeter {
    public nonisolated(unsafe) static var bytesRead = 0
}

final class FileChunks: ChunkSource {
    let path: String
    private let fd: Int32
    private let ownsFD: Bool
    private var buffer: [UInt8]

    init(path: String) throws {
        self.path = path
        if path == "-" {
            fd = 0
            ownsFD = false
        } else {
            fd = open(path, O_RDONLY)
            ownsFD = true
            guard fd >= 0 else { throw IngestError.cannotOpen(path) }
        }
        buffer = [UInt8](repeating: 0, count: Self.chunkSize(fd))
    }

    /// 1 MiB, or for a smaller regular file its size and a byte (so the second read finds the
    /// end): a folder of pages is mostly small files, and zeroing 1 MiB for each took three
    /// quarters of the time to index bbc's 2,225 files (1.2 s of 1.6 s, all page faults).
    private static func chunkSize(_ fd: Int32) -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return 1 << 20 }
        return min(1 << 20, max(4_096, Int(st.st_size) + 1))
    }

    deinit { if ownsFD { close(fd) } }

    func nextChunk() throws -> [UInt8]? {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { throw IngestError(path: path, String(cString: strerror(errno))) }
        InputMeter.bytesRead += n
        return n == 0 ? nil : Array(buffer.prefix(n))
    }
}

/// A gzip file may hold several members one after another (`gzip >> file`, pigz, bgzip); each is
/// read in turn, as gzip(1) does. Reading the first alone had dropped the rest without a word.
final class GzipChunks: ChunkSource {
    private var input: any ChunkSource
    private let path: String
    private var stream = z_stream()
    private var inBytes: [UInt8] = []
    private var inOffset = 0
    private var betweenMembers = false
    /// A member after the first has begun and nothing of it decoded yet.
    private var atLaterMemberStart = false
    private var out = [UInt8](repeating: 0, count: 1 << 20)

    init(_ input: any ChunkSource, path: String) throws {
        self.input = input
        self.path = path
        // 16 + MAX_WBITS: expect a gzip header.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IngestError(path: path, "cannot start gzip decompression")
        }
    }

    deinit { inflateEnd(&stream) }

    func nextChunk() throws -> [UInt8]? {
        while true {
            if inOffset == inBytes.count {
                guard let chunk = try input.nextChunk() else {
                    if betweenMembers { return nil }
                    throw IngestError.endsEarly(path, "gzip")
                }
                inBytes = chunk
                inOffset = 0
            }
            if betweenMembers {
                // Zero bytes after a member are padding (tape blocks), which gzip(1) ignores too.
                while inOffset < inBytes.count && inBytes[inOffset] == 0 { inOffset += 1 }
                if inOffset == inBytes.count { continue }
                inflateReset(&stream)
                betweenMembers = false
                atLaterMemberStart = true
            }
            let (produced, consumed) = try inflateStep()
            inOffset += consumed
            if produced > 0 { return Array(out.prefix(produced)) }
        }
    }

    /// One inflate call over the unread input; zlib keeps no pointer past it.
    private func inflateStep() throws -> (produced: Int, consumed: Int) {
        let offset = inOffset
        return try inBytes.withUnsafeMutableBufferPointer { inBuf in
            try out.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress! + offset
                stream.avail_in = UInt32(inBuf.count - offset)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                let rc = inflate(&stream, Z_NO_FLUSH)
                if rc == Z_STREAM_END {
                    betweenMembers = true
                } else if rc != Z_OK && rc != Z_BUF_ERROR {
                    let message = "not valid gzip data (zlib code \(rc))"
                    if atLaterMemberStart && stream.total_out == 0 { throw IngestError.afterLastWhole(path, message + " after its last whole member") }
                    throw IngestError(path: path, message)
                }
                if stream.total_out > 0 { atLaterMemberStart = false }
                let produced = outBuf.count - Int(stream.avail_out)
                let consumed = inBuf.count - offset - Int(stream.avail_in)
                stream.next_in = nil
                stream.next_out = nil
                return (produced, consumed)
            }
        }
    }
}

final class ZstdChunks: ChunkSource {
    private var input: any ChunkSource
    private let path: String
    private let stream: OpaquePointer
    private var inBytes: [UInt8] = []
    private var inOffset = 0
    private var inputDone = false
    private var lastResult = 0
    private var framesEnded = 0
    private var out = [UInt8](repeating: 0, count: 1 << 20)

    init(_ input: any ChunkSource, path: String) {
        self.input = input
        self.path = path
        stream = ZSTD_createDStream()
        ZSTD_initDStream(stream)
    }

    deinit { ZSTD_freeDStream(stream) }

    func nextChunk() throws -> [UInt8]? {
        while true {
            if inOffset == inBytes.count && !inputDone {
                if let chunk = try input.nextChunk() {
                    inBytes = chunk
                    inOffset = 0
                } else {
                    inputDone = true
                }
            }
            let (produced, consumed) = try decompressStep()
            inOffset += consumed
            if produced > 0 { return Array(out.prefix(produced)) }
            if inputDone && inOffset == inBytes.count {
                if lastResult != 0 { throw IngestError.endsEarly(path, "zstd") }
                return nil
            }
        }
    }

    private func decompressStep() throws -> (produced: Int, consumed: Int) {
        let offset = inOffset
        return try inBytes.withUnsafeBytes { inBuf in
            try out.withUnsafeMutableBytes { outBuf in
                var inb = ZSTD_inBuffer(src: inBuf.baseAddress.map { $0 + offset }, size: inBuf.count - offset, pos: 0)
                var outb = ZSTD_outBuffer(dst: outBuf.baseAddress, size: outBuf.count, pos: 0)
                let rc = ZSTD_decompressStream(stream, &outb, &inb)
                if ZSTD_isError(rc) != 0 {
                    let message = "not valid zstd data: \(String(cString: ZSTD_getErrorName(rc)))"
                    // Bytes that begin no frame, after a whole one: the frames before were checked.
                    if ZSTD_getErrorCode(rc) == ZSTD_error_prefix_unknown && framesEnded > 0 {
                        throw IngestError.afterLastWhole(path, message + " after its last whole frame")
                    }
                    throw IngestError(path: path, message)
                }
                if rc == 0 && (outb.pos > 0 || inb.pos > 0) { framesEnded += 1 }
                // After a frame ends, a call with no input returns the next frame's header hint;
                // only calls that moved data say whether a frame is still open.
                if outb.pos > 0 || inb.pos > 0 { lastResult = rc }
                return (outb.pos, inb.pos)
            }
        }
    }
}

/// Opens `path` (or "-" for stdin), decompressing by its extension.
func openChunks(_ path: String) throws -> any ChunkSource {
    let file = try FileChunks(path: path)
    // Any case, as `FileKind` reads the name: `PAGE.HTML.GZ` had been read compressed, as binary.
    let name = path.lowercased()
    if name.hasSuffix(".gz") { return try GzipChunks(file, path: path) }
    if name.hasSuffix(".zst") { return ZstdChunks(file, path: path) }
    return file
}

/// Decompresses all of a compressed `path` and drops it, to learn whether it is damaged before
/// any of it is used: a zstd frame's checksum is checked at its end, and a gzip member's at its
/// end, so a damaged file read as it goes had its records indexed (a byte changed in a
/// `.jsonl.zst` put other records' text under made-up ids) before the mismatch was found.
/// Data that ends early is not damage: what came before the cut is as written, and is read.
/// Only a regular file is read twice: a named pipe gives its bytes once (read first here, the
/// second reading had waited for a writer forever).
func checkCompressedWhole(_ path: String) throws {
    let name = path.lowercased()
    guard path != "-", name.hasSuffix(".gz") || name.hasSuffix(".zst") else { return }
    var st = stat()
    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return }
    var source = try openChunks(path)
    let metered = InputMeter.bytesRead
    defer { InputMeter.bytesRead = metered }
    do {
        while try source.nextChunk() != nil {}
    } catch let error as IngestError {
        if error.leavesWhatPrecedesSound { return }
        throw IngestError(path: path, error.message + "; nothing of it was indexed")
    }
}

/// Reads all of `path`, decompressed; refuses more than `limit` bytes.
func readAll(_ path: String, limit: Int = DocumentLimit.bytes) throws -> [UInt8] {
    var source = try openChunks(path)
    var all: [UInt8] = []
    while let chunk = try source.nextChunk() {
        all += chunk
        if all.count > limit { throw IngestError(path: path, "larger than the \(limit >> 20) MiB a document may take; skipped") }
    }
    return all
}

/// The most one document may take: a page or text file as read, a JSON Lines record's line, and
/// the text stored for either. An article is a few kilobytes; past this a file is a dump or a
/// log, and one document of it cost memory the machine may not have (a 500 MB text file took
/// 3.9 GB and then trapped: its stored text outgrew the 65,536 parts a document's key numbers).
public enum DocumentLimit {
    public static let bytes = 64 << 20
    static let described = "64 MiB"

    /// Refuses text that decoding made larger than the limit (a Windows-1252 byte can become
    /// three bytes of UTF-8, an invalid one U+FFFD's three).
    public static func check(title: String, body: String, path: String, line: Int? = nil) throws {
        let size = title.utf8.count + body.utf8.count
        guard size > bytes else { return }
        throw IngestError(path: path, line: line, "text of \(size >> 20) MiB is larger than the \(described) a document may take; skipped")
    }
}

/// A line of a chunk stream: its bytes, or, past `LineReader`'s limit, how long it ran.
enum ReadLine {
    case bytes(ArraySlice<UInt8>)
    case tooLong(Int)
}

/// Splits a chunk stream into lines (without the newline), counting them from 1. A line longer
/// than `maxLineBytes` is not kept: it is passed over to its end, and only its length told.
struct LineReader {
    private var source: any ChunkSource
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next newline goes on: a long line arriving chunk by chunk had
    /// been searched from its start at every chunk (a 300 MB record took 43 s).
    private var searched = 0
    private var done = false
    private let maxLineBytes: Int
    private(set) var lineNumber = 0

    init(_ source: any ChunkSource, maxLineBytes: Int = DocumentLimit.bytes) {
        self.source = source
        self.maxLineBytes = maxLineBytes
    }

    mutating func nextLine() throws -> ReadLine? {
        while true {
            if let nl = buffer[max(start, searched)...].firstIndex(of: 0x0A) {
                let line = buffer[start..<nl]
                start = nl + 1
                searched = start
                lineNumber += 1
                return kept(line)
            }
            searched = buffer.count
            if done {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                return kept(line)
            }
            if buffer.count - start > maxLineBytes { return .tooLong(try passOverLine()) }
            buffer.removeSubrange(0..<start)
            searched -= start
            start = 0
            if let chunk = try source.nextChunk() { buffer += chunk } else { done = true }
        }
    }

    /// A whole line, unless it came in with the chunk that took it past the limit.
    /// A line ending in CR LF counts without its CR.
    private func kept(_ line: ArraySlice<UInt8>) -> ReadLine {
        let length = line.last == 0x0D ? line.count - 1 : line.count
        return length > maxLineBytes ? .tooLong(length) : .bytes(line)
    }

    /// Reads on to the end of the current line without keeping it; returns its length.
    private mutating func passOverLine() throws -> Int {
        var length = buffer.count - start
        buffer.removeAll(keepingCapacity: true)
        start = 0
        searched = 0
        lineNumber += 1
        while let chunk = try source.nextChunk() {
            if let nl = chunk.firstIndex(of: 0x0A) {
                buffer += chunk[(nl + 1)...]
                return length + nl
            }
            length += chunk.count
        }
        done = true
        return length
    }
}
