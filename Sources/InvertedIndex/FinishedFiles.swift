// InvertedIndex: when a JSON Lines file read to the end may be recorded as read whole, and that record.
// Owns the order between a file's "read whole" entry and the commits of its last records.
import Storage

/// A JSON Lines file read to the end.
struct FinishedFile: Equatable {
    let path: String
    let entry: FileEntry
}

/// What `aliases` keeps under `file:` + path for a JSON Lines file read whole: how many
/// records it held, its size and modification time, whether its text was cleaned
/// (`--clean`), and whether a `--prune` run has met every record it holds, so that those it
/// no longer held are gone. A later run that finds the first four the same skips the file; a
/// later `--prune` run reads such a file again for its ids unless it is marked pruned.
struct FileEntry: Equatable {
    static let keyPrefix = "file:"

    var records: Int
    var size: UInt64
    var modified: Int64
    var cleaned: Bool
    var pruned = false

    /// Varint record count, the stamp as in `docs` (with no content hash), then a varint of
    /// flags when any is set (nothing otherwise): 1 cleaned, 2 pruned.
    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.varint(UInt32(clamping: records))
        SourceStamp(size: size, modified: modified).encode(into: &w)
        let flags = (cleaned ? 1 : 0) | (pruned ? 2 : 0)
        if flags != 0 { w.varint(UInt32(flags)) }
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws -> FileEntry {
        var r = ByteReader(raw)
        let records = Int(try r.varint32())
        let stamp = try SourceStamp.decode(&r)
        let flags = r.offset < r.base.count ? try r.varint32() : 0
        return FileEntry(records: records, size: stamp.size, modified: stamp.modified, cleaned: flags & 1 != 0,
                         pruned: flags & 2 != 0)
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
