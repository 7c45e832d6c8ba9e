// CLITests: identical copies that appear, change or are edited in the same run as the document
// they copy. After every run each text a file holds must be found once, under such a file.
import Foundation
import XCTest

final class ChangedCopyTests: CLITestCase {
    /// Four stories, each with a word of its own.
    let stories = [
        "Aardvark loose\n\nThe aardvark escaped from the zoo overnight.\n",
        "Okapi seen\n\nAn okapi was seen near the river at dawn.\n",
        "Heron count\n\nVolunteers counted the herons along the estuary wall.\n",
        "Walrus ashore\n\nA walrus hauled itself onto the slipway at noon.\n",
    ]
    let words = ["aardvark", "okapi", "herons", "walrus"]

    func index(_ options: String..., file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(["index", "--index", indexPath] + options + ["notes"], in: tmp, file: file, line: line)
        XCTAssertEqual(r.status, 0, r.description, file: file, line: line)
    }

    func put(_ name: String, story: Int) throws { try write("notes/\(name).txt", stories[story]) }

    /// The ids of the documents found (each text once, whatever its copies).
    func holders(_ word: String) throws -> [String] {
        try CLI.run(["search", "--index", indexPath, "--format", "jsonl", word], in: tmp).jsonLines().compactMap { $0["id"] as? String }.sorted()
    }

    /// Every id `paths --copies` lists: the documents' and their identical copies'.
    func listedIDs(_ word: String) throws -> [String] {
        try CLI.run(["search", "--index", indexPath, "--format", "paths", "--copies", word], in: tmp).lines.sorted()
    }

    /// Each story that some file holds is found once, under one of those files (which of
    /// identical files holds the document is the index's choice), no other is found, and check
    /// passes: what a fresh index of the folder answers.
    func assertMatchesTheFiles(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let folder = tmp.appendingPathComponent("notes")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var files: [String: String] = [:]
        for name in names { files["notes/" + name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
        for (story, word) in zip(stories, words) {
            let found = try holders(word)
            let holding = Set(files.filter { $0.value == story }.keys)
            XCTAssertEqual(found.count, holding.isEmpty ? 0 : 1, "\(step): \(word) found as \(found), files \(holding.sorted())",
                           file: file, line: line)
            XCTAssertTrue(Set(found).isSubset(of: holding), "\(step): \(word) found as \(found), files \(holding.sorted())",
                          file: file, line: line)
            // And `paths --copies` lists every file holding it.
            XCTAssertEqual(try listedIDs(word), holding.sorted(), "\(step): \(word) listed", file: file, line: line)
        }
        let check = try CLI.run(["check", "--index", indexPath], in: tmp)
        XCTAssertEqual(check.status, 0, "\(step): \(check.description)", file: file, line: line)
    }

    /// A copy of the old text made in the run that changes the original: the copy was recorded as
    /// a copy of a document the same batch removed, and lost until a later run.
    func testACopyMadeAsTheOriginalChangesIsKept() throws {
        try put("a", story: 0)
        try index()
        try put("b", story: 0)
        try put("a", story: 1)
        try index()
        XCTAssertEqual(try holders("aardvark"), ["notes/b.txt"])
        try assertMatchesTheFiles("copy before change")
        // The other order: the copy is read before the original changes.
        try put("z", story: 1)
        try put("b", story: 2)
        try index()
        try assertMatchesTheFiles("copy after change")
    }

    /// A copy that changes in the run that changes its original: the original's old text was
    /// handed to the copy, whose file no longer held it.
    func testACopyEditedAsTheOriginalChangesTakesItsNewText() throws {
        try put("a", story: 0)
        try put("b", story: 0)
        try put("c", story: 1)
        try index()
        try put("a", story: 2)
        try put("b", story: 1)
        try index()
        XCTAssertEqual(try holders("aardvark"), [], "no file holds the old text")
        try assertMatchesTheFiles("copy and original changed")
    }

    /// A document edited to equal another became a second document with the same text (two
    /// hits, one hash entry), and removing one of them left the other's hash missing.
    func testADocumentEditedToEqualAnotherBecomesACopy() throws {
        try put("a", story: 0)
        try put("b", story: 1)
        try index()
        try put("b", story: 0)
        try index()
        XCTAssertEqual(try holders("aardvark"), ["notes/a.txt"])
        try assertMatchesTheFiles("edited to equal")
        try put("b", story: 2)
        try index()
        try assertMatchesTheFiles("edited again")
        try put("c", story: 0)
        try index()
        try assertMatchesTheFiles("a third copy")
    }

    /// Random writes, removals and deletes over five files and four stories, each run checked
    /// against the files (seeded: the sequence is the same every time).
    func testRandomEditsMatchTheFiles() throws {
        // Knuth's MMIX linear congruential generator, high bits: enough to vary the edits.
        var state: UInt64 = 20_261_127
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let names = ["a", "b", "c", "d", "e"]
        for step in 0..<24 {
            for _ in 0..<(1 + Int(next() % 3)) {
                let name = names[Int(next() % 5)]
                let path = tmp.appendingPathComponent("notes/\(name).txt")
                switch next() % 6 {
                case 0 where FileManager.default.fileExists(atPath: path.path):
                    try FileManager.default.removeItem(at: path)
                case 1:
                    _ = try CLI.run(["delete", "--index", indexPath, "notes/\(name).txt"], in: tmp)
                default:
                    try put(name, story: Int(next() % 4))
                }
            }
            try FileManager.default.createDirectory(at: tmp.appendingPathComponent("notes"), withIntermediateDirectories: true)
            try index("--prune")
            try assertMatchesTheFiles("step \(step)")
        }
    }
}
