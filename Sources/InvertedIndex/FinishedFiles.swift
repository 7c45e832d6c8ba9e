// InvertedIndex: when a JSON Lines file read to the end may be recorded as read whole, and that record.
// Owns the order between a file's "read whole" entry and the commits of its last records.
import Storage

/// A JSON Lines file read to the end.
struct FinishedFile: Equatable {
    let path: String
    let entry: FileEntry
}

/// What `aliases` keeps under `file:` + path for a JSON Lines file read whole: how many
/// records it held, its size and modification time, and whether its text was cleaned
/// (`--clean`). A later run that finds all of these the same skips the file.
struct FileEntry: Equatable {
    static let keyPrefix = "file:"

    var records: Int
    var size: UInt64
    var modified: Int64
    var cleaned: Bool

    /// Varint record count, the stamp as in `docs` (with no content hash), then varint 1 when
    /// cleaned (nothing otherwise).
    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.varint(UInt32(clamping: records))
        SourceStamp(size: size, modified: modified).encode(into: &w)
        if cleaned { w.varint(UInt32(1)) }
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws -> FileEntry {
        var r = ByteReader(raw)
        let records = Int(try r.varint32())
        let stamp = try SourceStamp.decode(&r)
        let cleaned = r.offset < r.base.count ? try r.varint32() == 1 : false
        return FileEntry(records: records, size: stamp.size, modified: stamp.modified, cleaned: cleaned)
    }
}

/// Holds each finished file back until every record queued before its end has been merged
/// into a batch. Reading runs ahead of analysis, so when a file ends its last records are
/// still queued or being analyzed; entered in the batch then, the file's entry could commit
/// a batch before those records, and a kill in between left the file marked as read whole
/// without them: every later run skipped it as unchanged.
struct FinishedFiles {
    private var waiting: [(afterRecords: Int, file: FinishedFile)] = []
    /// Records handed to the writer, and of those, how many have been merged (added,
    /// skipped as unchanged or duplicate, or failed), always in the order they were queued.
    private(set) var queued = 0
    private(set) var merged = 0

    mutating func recordQueued() { queued += 1 }

    /// `file` ended after the records queued so far.
    mutating func finish(_ file: FinishedFile) { waiting.append((queued, file)) }

    /// Notes that the next queued record has been merged.
    mutating func recordMerged() { merged += 1 }

    /// The files whose every record has been merged, in the order they finished; each once.
    mutating func takeComplete() -> [FinishedFile] {
        var complete: [FinishedFile] = []
        while let first = waiting.first, first.afterRecords <= merged {
            complete.append(first.file)
            waiting.removeFirst()
        }
        return complete
    }
}
