// CLITests: files identical to an indexed one are recorded as its copies, not indexed again; when
// the original changes, is pruned or is deleted, a copy takes its place in the same run, and a
// copy can be deleted by its own id.
import Foundation
import XCTest

final class IdenticalCopyTests: CLITestCase {
    let story = "Aardvark loose\n\nThe aardvark escaped from the zoo overnight.\n"

    override func setUpWithError() throws {
        try super.setUpWithError()
        for name in ["a", "b", "c"] { try write("notes/\(name).txt", story) }
        let r = try index()
        XCTAssertTrue(r.err.contains("added 1,") && r.err.contains("skipped 2,"), r.description)
    }

    @discardableResult
    func index(_ options: String..., file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let r = try CLI.run(["index", "--index", indexPath] + options + ["notes"], in: tmp, file: file, line: line)
        XCTAssertEqual(r.status, 0, r.description, file: file, line: line)
        return r
    }

    /// The ids of the documents holding `word` (hits, each listed once whatever its copies).
    func holders(_ word: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let r = try CLI.run(["search", "--index", indexPath, "--format", "jsonl", word], in: tmp, file: file, line: line)
        XCTAssertTrue(r.status == 0 || r.status == 1, r.description, file: file, line: line)
        return try r.jsonLines().compactMap { $0["id"] as? String }.sorted()
    }

    /// With `--copies`, `paths` and `paths0` list every id holding the text, the document's first
    /// and then its copies', as notmuch's --output=files lists every file of a message: a
    /// pipeline deleting what matched had left the copies searchable (found by a documentation
    /// QA helper). Without it a hit is one id, as `--limit` and `--count` count it.
    func testPathsListTheCopiesAfterTheirDocument() throws {
        try write("notes/d.txt", "Okapi seen\n\nAn okapi was seen near the aardvark enclosure.\n")
        try index()
        let plain = try CLI.run(["search", "--index", indexPath, "--format", "paths", "aardvark"], in: tmp)
        XCTAssertEqual(plain.lines.count, 2, plain.out)
        let paths = try CLI.run(["search", "--index", indexPath, "--format", "paths", "--copies", "aardvark"], in: tmp)
        XCTAssertEqual(paths.status, 0, paths.description)
        XCTAssertEqual(Array(paths.lines.prefix(3)).sorted(), ["notes/a.txt", "notes/b.txt", "notes/c.txt"], paths.out)
        XCTAssertEqual(paths.lines.count, 4, "three ids of one text, and the okapi note: \(paths.out)")
        XCTAssertEqual(try holders("aardvark"), ["notes/a.txt", "notes/d.txt"], "hits are documents, each once")
        let limited = try CLI.run(["search", "--index", indexPath, "--format", "paths0", "--copies", "--limit", "1", "escaped"], in: tmp)
        XCTAssertEqual(limited.out, "notes/a.txt\0notes/b.txt\0notes/c.txt\0", "--limit counts hits, not their ids")
        let deleted = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"),
                                         ["-c", "\"$1\" search --index \"$0\" --format paths0 --copies escaped | xargs -0r \"$1\" delete --index \"$0\" --",
                                          indexPath, CLI.executable.path], in: tmp)
        XCTAssertEqual(deleted.status, 0, deleted.description)
        XCTAssertFalse(deleted.err.contains("stay"), "no copy is left holding the text: \(deleted.err)")
        XCTAssertEqual(try holders("escaped"), [], "every id deleted, the text is gone")
        try assertCheckPasses()
        let refused = try CLI.run(["search", "--index", indexPath, "--copies", "okapi"], in: tmp)
        XCTAssertEqual(refused.status, 2, refused.description)
        XCTAssertTrue(refused.err.contains("--copies lists ids: it goes with --format paths or paths0"), refused.err)
    }

    func assertCheckPasses(file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(["check", "--index", indexPath], in: tmp, file: file, line: line)
        XCTAssertEqual(r.status, 0, r.description, file: file, line: line)
    }

    func testACopyTakesOverWhenTheOriginalChanges() throws {
        try write("notes/a.txt", "Okapi seen\n\nAn okapi was seen near the river.\n")
        try index()
        XCTAssertEqual(try holders("aardvark"), ["notes/b.txt"], "the copy holds the old text at once, not a run later")
        XCTAssertEqual(try holders("okapi"), ["notes/a.txt"])
        try assertCheckPasses()
        let again = try index()
        XCTAssertTrue(again.err.contains("added 0, updated 0, removed 0, unchanged 3"), again.description)
    }

    func testACopyTakesOverWhenTheOriginalIsPrunedOrDeleted() throws {
        try FileManager.default.removeItem(at: tmp.appendingPathComponent("notes/a.txt"))
        try index("--prune")
        XCTAssertEqual(try holders("aardvark"), ["notes/b.txt"])
        let delete = try CLI.run(["delete", "--index", indexPath, "notes/b.txt"], in: tmp)
        XCTAssertEqual(delete.status, 0, delete.description)
        // The summary says the document did not vanish (the help had said every deleted one does).
        XCTAssertTrue(delete.err.contains("removed 1; 1 stays searchable under the id of an identical copy"), delete.description)
        XCTAssertEqual(try holders("aardvark"), ["notes/c.txt"])
        try assertCheckPasses()
    }

    /// A copy's id shows the text it repeats (it had been "no document with id"), and deleting
    /// it says its document stays.
    func testACopysIDShowsItsTextAndDeletingItSaysTheDocumentStays() throws {
        let shown = try CLI.run(["show", "--index", indexPath, "notes/c.txt"], in: tmp)
        XCTAssertEqual(shown.status, 0, shown.description)
        XCTAssertEqual(shown.out, story)
        let delete = try CLI.run(["delete", "--index", indexPath, "notes/c.txt"], in: tmp)
        XCTAssertEqual(delete.status, 0, delete.description)
        XCTAssertTrue(delete.err.contains("removed 1; 1 was the id of an identical copy, whose document stays"), delete.description)
        XCTAssertEqual(try holders("aardvark"), ["notes/a.txt"])
        XCTAssertEqual(try CLI.run(["show", "--index", indexPath, "notes/c.txt"], in: tmp).status, 1, "forgotten")
    }

    /// A document and its copy deleted in one call, in either order, leave nothing: the summary
    /// had said the copy's document stays.
    func testDeletingADocumentAndItsCopyTogetherSaysNothingStays() throws {
        try FileManager.default.removeItem(at: tmp.appendingPathComponent("notes/b.txt"))  // a and its one copy, c
        for order in [["notes/a.txt", "notes/c.txt"], ["notes/c.txt", "notes/a.txt"]] {
            try FileManager.default.removeItem(atPath: indexPath)
            try index()
            let delete = try CLI.run(["delete", "--index", indexPath] + order, in: tmp)
            XCTAssertEqual(delete.status, 0, delete.description)
            XCTAssertTrue(delete.err.contains("removed 2"), delete.description)
            XCTAssertFalse(delete.err.contains("stay"), "\(order): \(delete.err)")
            XCTAssertEqual(try holders("aardvark"), [], "\(order)")
        }
    }

    /// A pruned copy is forgotten with its file, so it cannot take over from the original,
    /// and the summary counts it as `delete` does (it had said "removed 0").
    func testDeletedOrPrunedCopiesAreForgotten() throws {
        try FileManager.default.removeItem(at: tmp.appendingPathComponent("notes/c.txt"))
        let pruned = try index("--prune")
        XCTAssertTrue(pruned.err.contains("removed 1,") && pruned.err.contains("1 was the id of an identical copy, whose document stays"),
                      pruned.description)
        let delete = try CLI.run(["delete", "--index", indexPath, "notes/a.txt", "notes/b.txt"], in: tmp)
        XCTAssertEqual(delete.status, 0, delete.description)
        XCTAssertTrue(delete.err.contains("removed 2"), delete.description)
        XCTAssertEqual(try holders("aardvark"), [])
        try assertCheckPasses()
    }
}
