// CLITests: a full disk stops `index` with a message that says so, and the index keeps its last
// committed state; a tight one still packs. Needs root to mount small tmpfs folders.
import Foundation
import XCTest

final class FullDiskTests: CLITestCase {
    func testFullDiskIsReportedAndTheCommittedIndexSurvives() throws {
        try onTmpfs(named: "small-disk", size: "1m") { index in try fullDiskRun(index) }
    }

    private func fullDiskRun(_ index: String) throws {
        let first = try newsidx("index", "--index", index, "-", stdin: Fixture.harbourJSONL)
        XCTAssertEqual(first.status, 0, first.description)
        // Far more text than the megabyte left: the next commit cannot be written.
        let big = jsonLines(400, id: "big") { i in (0..<400).map { "w\(i)x\($0)" } }
        let full = try newsidx("index", "--index", index, "-", stdin: big)
        XCTAssertEqual(full.status, 2, full.description)
        XCTAssertTrue(full.err.contains("the disk is full"), full.err)

        let check = try newsidx("check", "--index", index)
        XCTAssertEqual(check.status, 0, check.description)
        let found = try newsidx("search", "--index", index, "--format", "paths", "lighthouse")
        XCTAssertEqual(found.lines, ["tide-2"], found.description)
    }

    /// A disk with room for the index a few times over (2 MB for 0.4 MB) still packs it: the
    /// final copy gets no head start of zeros there, and frees the packed scratch's blocks as it
    /// copies them. With zeros ahead regardless of room, this run failed with a full disk.
    func testPackingFitsOnATightDisk() throws {
        try onTmpfs(named: "tight-disk", size: "2m") { index in try tightDiskRun(index) }
    }

    private func tightDiskRun(_ index: String) throws {
        let lines = jsonLines(600, id: "doc") { i in (0..<60).map { "w\(($0 * 7 + i) % 500)" } }
        let run = try newsidx("index", "--index", index, "-", stdin: lines)
        XCTAssertEqual(run.status, 0, run.description)
        XCTAssertFalse(FileManager.default.fileExists(atPath: index + "/.pack"), "packing left its scratch folder")
        XCTAssertEqual(try newsidx("check", "--index", index).status, 0)
        let holdingW7 = (0..<600).filter { i in (0..<60).contains { ($0 * 7 + i) % 500 == 7 } }.count
        XCTAssertEqual(try newsidx("search", "--index", index, "--count", "w7").out, "\(holdingW7)\n")
    }

    /// A disk with room for the run's commits but not for packing them: the run did all it was
    /// asked, so it says so, warns, and exits 0, as do the runs after it (each had exited 2 with
    /// the disk-full message and no summary, though everything was committed).
    func testPackingThatDoesNotFitIsAWarning() throws {
        try onTmpfs(named: "no-room-to-pack", size: "1400k") { index in try noRoomToPackRun(index) }
    }

    private func noRoomToPackRun(_ index: String) throws {
        let lines = jsonLines(1_500, id: "doc") { i in (0..<80).map { "w\(($0 * 7 + i) % 900)" } }
        for summary in ["added 1500,", "unchanged 1500,"] {
            let run = try newsidx("index", "--index", index, "-", stdin: lines)
            XCTAssertEqual(run.status, 0, run.description)
            XCTAssertTrue(run.err.contains(summary), run.err)
            XCTAssertTrue(run.err.contains("warning: every change is committed, but the index could not be packed"), run.err)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: index + "/.pack"), "packing left its scratch folder")
        XCTAssertEqual(try newsidx("check", "--index", index).status, 0)
        let holdingW7 = (0..<1_500).filter { i in (0..<80).contains { ($0 * 7 + i) % 900 == 7 } }.count
        XCTAssertEqual(try newsidx("search", "--index", index, "--count", "w7").out, "\(holdingW7)\n")
        let delete = try newsidx("delete", "--index", index, "doc-7")
        XCTAssertEqual(delete.status, 0, delete.description)
        XCTAssertTrue(delete.err.contains("removed 1"), delete.err)
    }

    /// A disk with no block left: LMDB writes its lock file through a memory map, and index of
    /// a new folder died of SIGBUS there, as did every later run on an existing index when it
    /// packed (the scratch index's lock file) and `delete` after committing. Now the new folder
    /// is an error and the others warn that packing waits for room.
    func testADiskWithNoBlockLeftIsAnErrorOrAWarningNotACrash() throws {
        let records = try write("harbour.jsonl", Fixture.harbourJSONL)
        try onTmpfs(named: "no-block-left", size: "2m") { index in
            let first = try newsidx("index", "--index", index, records)
            XCTAssertEqual(first.status, 0, first.description)
            try fillDisk(holding: index)
            let fresh = try newsidx("index", "--index", index + "2", "-", stdin: Fixture.harbourJSONL)
            XCTAssertEqual(fresh.status, 2, fresh.description)
            XCTAssertTrue(fresh.err.contains("the disk is full") && fresh.err.contains("lock.mdb"), fresh.err)
            let again = try newsidx("index", "--index", index, records)
            XCTAssertEqual(again.status, 0, again.description)
            XCTAssertTrue(again.err.contains("could not be packed") && again.err.contains("a run after space is freed packs it"), again.err)
            XCTAssertFalse(again.err.contains("run the command again"), "the command did what it was asked: \(again.err)")
            XCTAssertEqual(try newsidx("search", "--index", index, "--format", "paths", "lighthouse").lines, ["tide-2"])
        }
    }

    /// Writes zeros beside the index until the disk refuses a block.
    private func fillDisk(holding index: String) throws {
        let filler = URL(fileURLWithPath: index).deletingLastPathComponent().appendingPathComponent("filler")
        FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        defer { try? handle.close() }
        let block = Data(count: 4096)
        while (try? handle.write(contentsOf: block)) != nil {}
    }

    /// `count` JSON Lines records `id`-0… whose text is `words(i)`.
    private func jsonLines(_ count: Int, id: String, words: (Int) -> [String]) -> String {
        (0..<count).map { i in
            "{\"id\": \"\(id)-\(i)\", \"title\": \"\(id) \(i)\", \"text\": \"\(words(i).joined(separator: " "))\"}\n"
        }.joined()
    }

    /// Runs `body` with an index path on a fresh tmpfs of `size`, unmounted afterwards; skips
    /// where mounting is not allowed.
    private func onTmpfs(named name: String, size: String, _ body: (String) throws -> Void) throws {
        let disk = tmp.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let mount = try CLI.runProgram(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", disk.path], in: tmp)
        guard mount.status == 0 else { throw XCTSkip("cannot mount a tmpfs here (\(mount.err)); \(name) test skipped") }
        defer { _ = try? CLI.runProgram(URL(fileURLWithPath: "/bin/umount"), [disk.path], in: tmp) }
        try body(disk.appendingPathComponent("idx").path)
    }
}
