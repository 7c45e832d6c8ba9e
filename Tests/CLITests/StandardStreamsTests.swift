// CLITests: the process's own streams: descriptors 0-2 closed at start, help and version written
// to a full disk, `help` for a command that does not exist, and messages for negative numbers.
import Foundation
import XCTest

final class StandardStreamsTests: CLITestCase {
    private func shell(_ script: String, _ args: String...) throws -> RunResult {
        let exe = try CLI.requireExecutable().path
        return try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", script, exe] + args, in: tmp)
    }

    /// Started with 0-2 closed, newsidx must not hand those numbers to the index's files: a
    /// batch had read `data.mdb` as its queries, and `index` had written its summary into
    /// `lock.mdb`.
    func testClosedStandardDescriptorsAreNotTheIndexFiles() throws {
        try indexHarbourFixture()
        let lock = indexPath + "/lock.mdb"
        let lockBytes = try Data(contentsOf: URL(fileURLWithPath: lock))
        let batch = try shell(#""$0" search --batch --index "$1" <&-; echo "status $?""#, indexPath)
        XCTAssertEqual(batch.out, "status 1\n", "no queries read, none matched: \(batch.description)")
        let more = try write("more.txt", "Cormorant roost\n\nCormorants dried their wings on the breakwater posts.\n")
        let index = try shell(#""$0" index --index "$1" "$2" /no/such/file >&- 2>&-; echo "status $?""#, indexPath, more)
        XCTAssertEqual(index.out, "status 2\n", index.description)
        let after = try Data(contentsOf: URL(fileURLWithPath: lock))
        XCTAssertFalse(String(decoding: after, as: UTF8.self).contains("/no/such/file"), "the error went into lock.mdb")
        XCTAssertEqual(after.count, lockBytes.count)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--format", "paths", "cormorants").lines, [more])
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
    }

    /// Help, version and completion scripts that cannot be written are an error, as for
    /// `grep --help >/dev/full`: they had exited 0, so a completion script saved to a full
    /// disk came out cut short without a word.
    func testHelpAndVersionThatCannotBeWrittenExitTwo() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        for args in ["--help", "search --help", "--version", "--generate-completion-script bash"] {
            let r = try shell(#""$0" "# + args + " >/dev/full")
            XCTAssertEqual(r.status, 2, "\(args): \(r.description)")
            XCTAssertTrue(r.err.contains("cannot write output"), "\(args): \(r.err)")
        }
        XCTAssertEqual(try newsidx("--version").status, 0)
    }

    func testHelpForACommandThatDoesNotExistIsAnError() throws {
        let r = try newsidx("help", "serch")
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertTrue(r.err.contains("no command named 'serch'") && r.err.contains("search"), r.err)
        let known = try newsidx("help", "search")
        XCTAssertEqual(known.status, 0, known.description)
        XCTAssertTrue(known.out.contains("newsidx search"), known.out)
    }

    /// An unknown command is named as one, with the commands listed (it had been "Unexpected
    /// argument"), and a bare query is shown the search it meant.
    func testAnUnknownCommandIsNamedWithTheCommands() throws {
        let r = try newsidx("serch", "oil")
        XCTAssertEqual(r.status, 2, r.description)
        XCTAssertTrue(r.err.contains("'serch' is not a command") && r.err.contains("newsidx search serch")
                      && r.err.contains("index, search, show"), r.err)
        XCTAssertEqual(r.out, "")
    }

    /// A negative number given to an option gets a message for that option: a date for
    /// --since and --until (it had said "takes a number of 0 or more"), a range for --threads
    /// (it had said "missing value").
    func testNegativeNumbersAreNamedForTheirOption() throws {
        let since = try newsidx("search", "--since", "-1987", "oil")
        XCTAssertEqual(since.err, "newsidx: --since '-1987' is not a date (yyyy, yyyy-mm or yyyy-mm-dd)\n", since.description)
        let threads = try newsidx("index", "--index", indexPath, "--threads", "-1", "wire")
        XCTAssertEqual(threads.status, 2, threads.description)
        XCTAssertEqual(threads.err, "newsidx: --threads takes a number from 1 to 64, not -1\n")
    }

    /// --dedup ranks ten times the hits asked for: a --limit near Int.max overflowed there and
    /// trapped (exit 132).
    func testDedupWithAHugeLimitOrOffsetAnswers() throws {
        try indexHarbourFixture()
        for (limit, offset) in [("922337203685477581", "0"), ("100", "9223372036854775800"), (String(Int.max), "0")] {
            let r = try newsidx("search", "--index", indexPath, "--dedup", "--limit", limit, "--offset", offset,
                                "--format", "paths", "pier")
            XCTAssertTrue(r.status == 0, "limit \(limit), offset \(offset): \(r.description)")
            XCTAssertEqual(r.lines.isEmpty, offset != "0", r.out)
        }
    }
}
