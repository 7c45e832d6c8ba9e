// CLITests: what a later `index` run over the same folder removes (`--prune`) and reads again, for
// JSON Lines records, whose ids are their own rather than their file's path.
import Foundation
import XCTest

final class RerunTests: CLITestCase {
    let story = "Rangers counted the numbats feeding along the creek this winter."

    func record(_ id: String?, _ words: String) -> String {
        let idField = id.map { #""id":"\#($0)","# } ?? ""
        return #"{\#(idField)"text":"\#(words) \#(story)"}"# + "\n"
    }

    func index(_ options: String..., expecting status: Int32 = 0, file: StaticString = #filePath,
               line: UInt = #line) throws -> RunResult {
        let r = try CLI.run(["index", "--index", indexPath] + options + ["wire"], in: tmp, file: file, line: line)
        XCTAssertEqual(r.status, status, r.description, file: file, line: line)
        return r
    }

    /// The hits' ids: documents, each once (`paths` lists identical copies' ids too).
    func ids() throws -> Set<String> {
        Set(try newsidx("search", "--index", indexPath, "--format", "jsonl", "--no-snippets", "--limit", "100", "numbats")
            .jsonLines().compactMap { $0["id"] as? String })
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(at: tmp.appendingPathComponent(name))
    }

    func testPruneRemovesRecordsWhoseFileIsGone() throws {
        try write("wire/a.jsonl", record("a1", "first") + record("a2", "second"))
        try write("wire/b.jsonl", record("b1", "third"))
        try index()
        try remove("wire/a.jsonl")
        XCTAssertTrue(try index().err.contains("removed 0,"), "only --prune removes")
        XCTAssertEqual(try ids(), ["a1", "a2", "b1"])
        XCTAssertTrue(try index("--prune").err.contains("removed 2,"))
        XCTAssertEqual(try ids(), ["b1"])
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
    }

    /// A file read again whole no longer holds a record: it is gone, as a deleted file is.
    func testPruneRemovesRecordsDroppedFromTheirFile() throws {
        try write("wire/a.jsonl", record("a1", "first") + record("a2", "second") + record("a3", "third"))
        try index()
        try write("wire/a.jsonl", record("a1", "first") + record("a3", "third"))
        XCTAssertTrue(try index("--prune").err.contains("removed 1,"))
        XCTAssertEqual(try ids(), ["a1", "a3"])
    }

    /// The folder spelled otherwise than when its records were read (a scheduled job's absolute
    /// path, then a relative one by hand): the prune still finds what the file no longer holds.
    func testPruneFindsRecordsWhateverTheFolderIsCalled() throws {
        try write("wire/a.jsonl", record("a1", "first") + record("a2", "second") + record("a3", "third"))
        let absolute = tmp.appendingPathComponent("wire").path
        XCTAssertEqual(try newsidx("index", "--index", indexPath, absolute).status, 0)
        try write("wire/a.jsonl", record("a1", "first") + record("a3", "third"))
        let r = try newsidx("index", "--index", indexPath, "--prune", "./wire/")
        XCTAssertTrue(r.err.contains("removed 1,"), r.description)
        XCTAssertEqual(try ids(), ["a1", "a3"])
        try write("wire/a.jsonl", record("a1", "first"))
        XCTAssertTrue(try newsidx("index", "--index", indexPath, "--prune", "wire/../wire").err.contains("removed 1,"))
        XCTAssertEqual(try ids(), ["a1"])
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
    }

    /// Relative ids name files under the folder their run started in, which the index does not
    /// know: a prune of `.` from another folder must not take them for its own (a first version
    /// of the absolute comparison above had removed files that were still there).
    func testPruneFromAnotherFolderKeepsRelativeIds() throws {
        try write("p1/wire/a.jsonl", record("r1", "first"))
        try write("p1/wire/b.txt", "Story\n\nThe numbats fed by the creek at dawn.\n")
        try write("p3/c.txt", "Other\n\nThe numbats slept all day.\n")
        let p1 = tmp.appendingPathComponent("p1"), p3 = tmp.appendingPathComponent("p3")
        XCTAssertEqual(try CLI.run(["index", "--index", indexPath, "wire"], in: p1).status, 0)
        let r = try CLI.run(["index", "--index", indexPath, "--prune", "."], in: p3)
        XCTAssertTrue(r.err.contains("removed 0,"), r.description)
        XCTAssertEqual(try ids(), ["r1", "wire/b.txt", "./c.txt"])
    }

    /// A working folder reached through a link: the shell's `$PWD` keeps the link, the system's
    /// own idea of the folder resolves it; a path stored in either spelling is found.
    func testPruneFindsAbsolutePathsSpelledThroughALink() throws {
        try write("real/wire/a.jsonl", record("a1", "first") + record("a2", "second"))
        let link = tmp.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: tmp.appendingPathComponent("real"))
        let env = ["PWD": link.path]
        XCTAssertEqual(try CLI.run(["index", "--index", indexPath, link.path + "/wire"], in: link, environment: env).status, 0)
        try write("real/wire/a.jsonl", record("a1", "first"))
        let r = try CLI.run(["index", "--index", indexPath, "--prune", "wire"], in: link, environment: env)
        XCTAssertTrue(r.err.contains("removed 1,"), r.description)
        XCTAssertEqual(try ids(), ["a1"])
    }

    /// `..` from a folder reached through a link climbs from where the link leads, as the
    /// system reads it: the shell's spelling of such a path names another folder, whose
    /// documents must not be taken for this run's (they had been removed, files and all there).
    func testPruneThroughALinkAndUpKeepsTheOtherFolder() throws {
        try write("p/a/wire/y.txt", "Yellow\n\nThe numbats crossed the yellow road.\n")
        try write("p/real/a/wire/z.txt", "Zulu\n\nThe numbats slept in the green field.\n")
        try FileManager.default.createDirectory(at: tmp.appendingPathComponent("p/real/sub"), withIntermediateDirectories: true)
        let link = tmp.appendingPathComponent("p/L")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: tmp.appendingPathComponent("p/real/sub"))
        let a = tmp.appendingPathComponent("p/a/wire").path, real = tmp.appendingPathComponent("p/real/a/wire").path
        XCTAssertEqual(try newsidx("index", "--index", indexPath, a, real).status, 0)
        let r = try CLI.run(["index", "--index", indexPath, "--prune", "../a/wire"], in: link, environment: ["PWD": link.path])
        XCTAssertEqual(r.status, 0, r.description)
        // z.txt, read again as ../a/wire/z.txt, is met under its other spelling (that id is its
        // copy); y.txt stays as it was.
        XCTAssertEqual(try ids(), [a + "/y.txt", real + "/z.txt"])
        XCTAssertEqual(try newsidx("show", "--index", indexPath, "../a/wire/z.txt").status, 0)
    }

    /// A malformed line may be the new version of any record, so the file's records all stay.
    func testPruneKeepsTheRecordsOfAFileWithABadLine() throws {
        try write("wire/a.jsonl", record("a1", "first") + record("a2", "second"))
        try index()
        try write("wire/a.jsonl", record("a1", "first") + #"{"id":"a2","text":"second"# + "\n")
        let r = try index("--prune", expecting: 2)
        XCTAssertTrue(r.err.contains("wire/a.jsonl:2"), r.err)
        XCTAssertEqual(try ids(), ["a1", "a2"])
    }

    /// An unchanged file is not read again, so its records are not met; they had all been
    /// pruned (those without an id, named FILE:LINE, as paths under the folder).
    func testPruneKeepsTheRecordsOfAnUnchangedFile() throws {
        try write("wire/a.jsonl", record(nil, "first") + record(nil, "second"))
        try write("wire/b.jsonl", record("b1", "third"))
        try index()
        let again = try index("--prune")
        XCTAssertTrue(again.err.contains("removed 0,") && again.err.contains("unchanged 3,"), again.err)
        XCTAssertEqual(try ids(), ["wire/a.jsonl:1", "wire/a.jsonl:2", "b1"])
    }

    /// A run without `--prune` read the file whole after it lost a record; the file is unchanged
    /// when a later run prunes, and the record goes all the same (it had stayed until the file
    /// changed again). With a malformed line in that file, its records all stay, as above.
    func testPruneRemovesRecordsThatAnEarlierRunFoundGone() throws {
        try write("wire/a.jsonl", record("a1", "first") + record("a2", "second") + record("a3", "third"))
        try index()
        try write("wire/a.jsonl", record("a1", "first") + record("a2", "second"))
        XCTAssertTrue(try index().err.contains("removed 0,"), "only --prune removes")
        let pruned = try index("--prune")
        XCTAssertTrue(pruned.err.contains("removed 1,") && pruned.err.contains("unchanged 2,"), pruned.err)
        XCTAssertEqual(try ids(), ["a1", "a2"])
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
        let again = try index("--prune")
        XCTAssertTrue(again.err.contains("removed 0,") && again.err.contains("unchanged 2,"), again.err)

        try write("wire/b.jsonl", record("b1", "fourth") + record("b2", "fifth") + "{\"id\":\"b3\"\n")
        _ = try index(expecting: 2)
        try write("wire/b.jsonl", record("b1", "fourth") + "{\"id\":\"b3\"\n" + " \n")
        _ = try index(expecting: 2)
        let kept = try index("--prune", expecting: 2)
        XCTAssertTrue(kept.err.contains("wire/b.jsonl:2") && kept.err.contains("removed 0,"),
                      "a malformed line is reported again and keeps the file's records: \(kept.err)")
        XCTAssertEqual(try ids(), ["a1", "a2", "b1", "b2"])
    }

    /// An id in two files takes the text of the one read last; when that file goes, the other's
    /// text replaces it, as in a fresh build (the record had been kept with the gone file's text,
    /// then pruned by the next `--prune`, which found the other file unchanged and marked).
    func testARecordInTwoFilesFollowsTheOneLeft() throws {
        try write("wire/a.jsonl", record("x", "amber") + record("a1", "first"))
        try write("wire/b.jsonl", record("x", "bronze"))
        try index()
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--format", "paths", "bronze").lines, ["x"])
        XCTAssertTrue(try index("--prune").err.contains("removed 0,"), "both files hold x")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--format", "paths", "bronze").lines, ["x"])
        try remove("wire/b.jsonl")
        for _ in 0..<2 {
            XCTAssertTrue(try index("--prune").err.contains("removed 0,"))
            XCTAssertEqual(try ids(), ["x", "a1"])
            XCTAssertEqual(try newsidx("search", "--index", indexPath, "--format", "paths", "amber").lines, ["x"])
            XCTAssertEqual(try newsidx("search", "--index", indexPath, "bronze").status, 1)
        }
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
    }

    /// Files indexed once as `wire` and once as `./wire` are identical copies of each other; a
    /// prune of any spelling meets every file, so it removes nothing until one is deleted
    /// (the other spelling's ids had been pruned, and the next run pruned the first's back).
    func testPruneKeepsFilesIndexedUnderAnotherSpelling() throws {
        try write("wire/a.txt", "Numbats\n\nfirst \(story)\n")
        try write("wire/b.txt", "Numbats\n\nsecond \(story)\n")
        for folder in ["wire", "./wire"] {
            XCTAssertEqual(try newsidx("index", "--index", indexPath, folder).status, 0)
        }
        for folder in ["wire", "./wire", "wire", tmp.appendingPathComponent("wire").path] {
            let r = try newsidx("index", "--index", indexPath, "--prune", folder)
            XCTAssertTrue(r.err.contains("removed 0,"), "\(folder): \(r.description)")
        }
        for id in ["wire/a.txt", "./wire/a.txt", "wire/b.txt", "./wire/b.txt"] {
            XCTAssertEqual(try newsidx("show", "--index", indexPath, id).status, 0, id)
        }
        try remove("wire/a.txt")
        let r = try newsidx("index", "--index", indexPath, "--prune", "./wire")
        XCTAssertTrue(r.err.contains("removed 3,"), "a.txt under each of the three spellings: \(r.description)")
        XCTAssertEqual(try ids(), ["wire/b.txt"])
        // Changed, a file's other spellings hold stale text: they go, as the prune reads it anew
        // under its own (they had stayed searchable with the old words).
        try write("wire/b.txt", "Numbats\n\nrewritten entirely, the creek census moved to the spring \(story)\n")
        let changed = try newsidx("index", "--index", indexPath, "--prune", "./wire")
        XCTAssertEqual(changed.status, 0, changed.description)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--format", "paths", "second").out, "", changed.description)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--format", "paths", "rewritten").lines, ["./wire/b.txt"])
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
    }

    /// A deleted record comes back when the next run reads its file, as a deleted file's
    /// document does (`delete --help` says so): the file had been skipped as unchanged, the
    /// record stayed gone, and the summary counted it unchanged.
    func testADeletedRecordComesBackFromItsUnchangedFile() throws {
        try write("wire/a.jsonl", record("a1", "first") + record("a2", "second"))
        try write("wire/b.jsonl", record("b1", "third"))
        try index()
        XCTAssertEqual(try newsidx("delete", "--index", indexPath, "a1").status, 0)
        XCTAssertEqual(try ids(), ["a2", "b1"])
        let again = try index()
        XCTAssertTrue(again.err.contains("added 1, updated 0, removed 0, unchanged 2,"), again.description)
        XCTAssertEqual(try ids(), ["a1", "a2", "b1"])
        XCTAssertTrue(try index().err.contains("added 0, updated 0, removed 0, unchanged 3,"),
                      "read whole again, the file is skipped again")
        // Read under a second spelling too, the file comes back under either (the other
        // spelling's entry had kept it skipped).
        XCTAssertEqual(try newsidx("index", "--index", indexPath, tmp.appendingPathComponent("wire").path).status, 0)
        XCTAssertEqual(try newsidx("delete", "--index", indexPath, "a2").status, 0)
        XCTAssertTrue(try index().err.contains("added 1,"), "wire/a.jsonl read again")
        XCTAssertEqual(try ids(), ["a1", "a2", "b1"])
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
    }

    /// A bad record fails every run until it is fixed, as an unreadable file does (the file had
    /// been skipped as unchanged from the second run on, which then passed with exit 0).
    func testABadRecordIsReportedAtEveryRunUntilFixed() throws {
        try write("wire/a.jsonl", record("a1", "first") + "{\"id\":\"a2\",\"text\":\"broken\n" + record("a3", "third"))
        for _ in 0..<2 {
            let r = try index(expecting: 2)
            XCTAssertTrue(r.err.contains("wire/a.jsonl:2: invalid JSON") && r.err.contains("problems 1"), r.err)
        }
        try write("wire/a.jsonl", record("a1", "first") + record("a2", "second") + record("a3", "third"))
        XCTAssertTrue(try index().err.contains("added 1, updated 0, removed 0, unchanged 2,"))
        XCTAssertTrue(try index().err.contains("unchanged 3, skipped 0, problems 0"))
        XCTAssertEqual(try ids(), ["a1", "a2", "a3"])
    }

    /// A record now read from another file is that file's: its old file going does not take it.
    func testPruneKeepsARecordThatMovedToAnotherFile() throws {
        try write("wire/a.jsonl", record("a1", "first") + record("a2", "second"))
        try index()
        try write("wire/b.jsonl", record("a1", "first"))
        try remove("wire/a.jsonl")
        XCTAssertTrue(try index("--prune").err.contains("removed 1,"))
        XCTAssertEqual(try ids(), ["a1"])
        try write("wire/b.jsonl", record("a1", "first") + " ")  // changed, so read again: a1 stays
        XCTAssertTrue(try index("--prune").err.contains("removed 0,"))
        XCTAssertEqual(try ids(), ["a1"])
    }

    /// `--clean` stores other text, so a file read without it is read again with it (it had
    /// been skipped as unchanged, leaving the boilerplate in the index), and the other way round.
    func testCleanReadsAnUnchangedFileAgain() throws {
        let page = "Skip to main content\\n\\nSubscribe to our newsletter\\n\\nRangers counted the numbats "
            + "feeding along the creek this winter, and the survey found more young than in any year "
            + "since the count began, which the rangers put down to the wet spring.\\n\\nSubscribe to our newsletter"
        try write("wire/a.jsonl", #"{"id":"p1","text":"\#(page)"}"# + "\n")
        try index()
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "newsletter").out, "1\n")
        XCTAssertTrue(try index("--clean").err.contains("updated 1,"))
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "newsletter").out, "0\n")
        XCTAssertTrue(try index("--clean").err.contains("unchanged 1,"))
        XCTAssertTrue(try index().err.contains("updated 1,"))
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "newsletter").out, "1\n")
    }
}
