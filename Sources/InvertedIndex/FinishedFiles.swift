// InvertedIndex: when a JSON Lines file read to the end may be recorded as read whole.
// Owns the order between a file's "read whole" entry and the commits of its last records.

/// A JSON Lines file read to the end: its stamp, and how many records it held.
struct FinishedFile: Equatable {
    let path: String
    let source: SourceStamp
    let records: Int
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
