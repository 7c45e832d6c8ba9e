// CLITests: a full disk stops `index` with a message that says so, and the index keeps its last
// committed state (it opens, passes `check` and answers). Needs root to mount a small tmpfs.
import Foundation
import XCTest

final class FullDiskTests: CLITestCase {
    func testFullDiskIsReportedAndTheCommittedIndexSurvives() throws {
        let disk = tmp.appendingPathComponent("small-disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let mount = try CLI.runProgram(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.path], in: tmp)
        guard mount.status == 0 else { throw XCTSkip("cannot mount a tmpfs here (\(mount.err)); full-disk test skipped") }
        defer { _ = try? CLI.runProgram(URL(fileURLWithPath: "/bin/umount"), [disk.path], in: tmp) }
        let index = disk.appendingPathComponent("idx").path

        let first = try newsidx("index", "--index", index, "-", stdin: Fixture.harbourJSONL)
        XCTAssertEqual(first.status, 0, first.description)
        // Far more text than the megabyte left: the next commit cannot be written.
        var big = ""
        for i in 0..<400 {
            let words = (0..<400).map { "w\(i)x\($0)" }.joined(separator: " ")
            big += "{\"id\": \"big-\(i)\", \"title\": \"Big \(i)\", \"text\": \"\(words)\"}\n"
        }
        let full = try newsidx("index", "--index", index, "-", stdin: big)
        XCTAssertEqual(full.status, 2, full.description)
        XCTAssertTrue(full.err.contains("the disk is full"), full.err)

        let check = try newsidx("check", "--index", index)
        XCTAssertEqual(check.status, 0, check.description)
        let found = try newsidx("search", "--index", index, "--format", "paths", "lighthouse")
        XCTAssertEqual(found.lines, ["tide-2"], found.description)
    }
}
