// IndexQueryTests: a JSON Lines file is recorded as read whole only with or after its last
// record's commit, so a kill between commits never makes a later run skip the file's rest.
@testable import InvertedIndex
import XCTest

final class FileCompletionTests: XCTestCase {
    func file(_ name: String, records: Int) -> FinishedFile {
        FinishedFile(path: name, entry: FileEntry(records: records, size: UInt64(records), modified: 1, cleaned: false))
    }

    func testAFileIsCompleteOnceEveryRecordQueuedBeforeItsEndIsMerged() {
        var files = FinishedFiles()
        for _ in 0..<3 { files.recordQueued() }
        files.finish(file("a", records: 3))
        files.recordQueued()
        files.finish(file("b", records: 1))
        files.finish(file("empty", records: 0))
        files.recordMerged()
        files.recordMerged()
        XCTAssertEqual(files.takeComplete(), [])
        files.recordMerged()
        XCTAssertEqual(files.takeComplete(), [file("a", records: 3)])
        XCTAssertEqual(files.takeComplete(), [], "a file is entered once")
        files.recordMerged()
        XCTAssertEqual(files.takeComplete(), [file("b", records: 1), file("empty", records: 0)])
    }

    /// Reading runs ahead of analysis: when the first file ends, its records are still queued.
    /// With a batch per record, every commit is looked at: the first file's entry must not be
    /// there unless every one of its records is.
    func testNoCommitHoldsAFileEntryWithoutAllItsRecords() throws {
        let path = temporaryDirectory("file-completion")
        defer { removeDirectory(path) }
        let store = try IndexStore.openOrCreate(path: path, stemmer: "none", deferSync: true)
        let writer = try IndexWriter(store: store, threads: 2)
        writer.maxBatchPositions = 1
        let first = (0..<40).map { "first-\($0)" }
        let violations = Locked<[String]>([])
        var commits = 0
        writer.flusher.afterCommit = {
            commits += 1
            do {
                try store.env.read { txn in
                    guard try txn.get(store.table(Format.TableName.aliases), IDKey.make("file:first.jsonl")) != nil else { return }
                    let ids = store.table(Format.TableName.ids)
                    let missing = try first.filter { try txn.get(ids, IDKey.make($0)) == nil }
                    if !missing.isEmpty { violations.update { $0.append("commit \(commits): \(missing.count) records missing") } }
                }
            } catch { violations.update { $0.append("commit \(commits): \(error)") } }
        }
        func add(_ id: String) throws {
            let doc = DocumentInput(externalID: id, title: "title \(id)", body: "body of \(id) with words", date: nil)
            try writer.add(PendingDocument { doc })
        }
        for id in first { try add(id) }
        writer.finishedFile(path: "first.jsonl", size: 1, modified: 1, records: first.count)
        for i in 0..<1_200 { try add("second-\(i)") }
        _ = try writer.finish()
        XCTAssertGreaterThan(commits, first.count, "a batch per record")
        XCTAssertEqual(violations.value, [])
        let fileEntry = try store.env.read { try $0.get(store.table(Format.TableName.aliases), IDKey.make("file:first.jsonl")) != nil }
        XCTAssertTrue(fileEntry, "the file is recorded once its records are in")
    }
}

/// A value several threads update under a lock.
final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func update(_ body: (inout Value) -> Void) { lock.lock(); body(&stored); lock.unlock() }
}
