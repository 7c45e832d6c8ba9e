// CLITests: the writers' heap setting, seen from outside: `index` runs with glibc's huge-page
// tunable added to the user's own, a user's own choice of it stands, and searches run as started.
import Foundation
import XCTest

final class WriterHeapTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/environ") else {
            throw XCTSkip("these tests read a process's environment and mappings from /proc")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("newsidx-heap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    // A process's environment as /proc shows it is the block it was started with: glibc 2.36
    // cuts `GLIBC_TUNABLES` there at each colon as it parses it, so the tests look for whole
    // settings among its bytes rather than for the variable's value.

    func testIndexAddsTheHugePageTunableToTheUsersOwn() throws {
        let tunables = try tunablesOnceIndexIsOpen(
            ["index", "--index", "Index", "-"], tunables: "glibc.malloc.check=0")
        XCTAssertTrue(tunables.contains("GLIBC_TUNABLES=glibc.malloc.check=0"), tunables)
        XCTAssertTrue(tunables.contains("glibc.malloc.hugetlb=1"), tunables)
    }

    func testAUsersOwnHugePageChoiceStands() throws {
        let tunables = try tunablesOnceIndexIsOpen(
            ["index", "--index", "Index", "-"], tunables: "glibc.malloc.hugetlb=0")
        XCTAssertTrue(tunables.contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=0"), tunables)
        XCTAssertFalse(tunables.contains("glibc.malloc.hugetlb=1"), tunables)
    }

    func testSearchRunsAsStarted() throws {
        let built = try CLI.run(["index", "--index", "Index", CLI.sampleArchive.path], in: directory)
        XCTAssertEqual(built.status, 0, built.description)
        let tunables = try tunablesOnceIndexIsOpen(["search", "--index", "Index", "--batch"], tunables: nil)
        XCTAssertFalse(tunables.contains("GLIBC_TUNABLES"), tunables)
    }

    /// Starts newsidx with a standard input left open, waits until it has the index mapped (so
    /// any re-execution is behind it), reads its environment from /proc, then closes the input
    /// and checks that it exits cleanly. Returns the glibc tunables in that environment, one
    /// setting per line.
    private func tunablesOnceIndexIsOpen(_ args: [String], tunables: String?) throws -> String {
        let process = Process()
        process.executableURL = try CLI.requireExecutable()
        process.arguments = args
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NEWSIDX_INDEX")
        env["GLIBC_TUNABLES"] = tunables
        process.environment = env
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let proc = "/proc/\(process.processIdentifier)"
        let deadline = Date().addingTimeInterval(30)
        while !((try? String(contentsOfFile: proc + "/maps", encoding: .utf8))?.contains("data.mdb") ?? false) {
            guard Date() < deadline, process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                XCTFail("newsidx \(args) ended or never mapped its index")
                throw CocoaError(.fileReadUnknown)
            }
            usleep(2_000)
        }
        let raw = try Data(contentsOf: URL(fileURLWithPath: proc + "/environ"))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        XCTAssertLessThanOrEqual(process.terminationStatus, 1, "exit status of \(args)")
        return raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            .filter { $0.hasPrefix("GLIBC_TUNABLES=") || $0.hasPrefix("glibc.") }.joined(separator: "\n")
    }
}
