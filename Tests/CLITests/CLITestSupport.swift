// CLITests: shared helpers for the end-to-end tests: finding the built newsidx, running it as a
// subprocess with files for stdin/stdout/stderr, per-test temporary folders, and the fixtures.
import Foundation
import XCTest

/// What one run of the executable left behind.
struct RunResult {
    /// The exit status, or 128 + the signal number when a signal ended the process (as shells say).
    var status: Int32
    var stdout: Data
    var stderr: Data

    var out: String { String(decoding: stdout, as: UTF8.self) }
    var err: String { String(decoding: stderr, as: UTF8.self) }
    /// Non-empty stdout lines.
    var lines: [String] { out.split(separator: "\n").map(String.init) }

    /// Every stdout line parsed as a JSON object (fails the test on a line that is not one).
    func jsonLines(file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        try lines.map { text in
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
            return try XCTUnwrap(object as? [String: Any], "not a JSON object: \(text)", file: file, line: line)
        }
    }

    var description: String {
        let how = status > 128 ? "killed by signal \(status - 128)" : "exit \(status)"
        return "\(how)\n--- stdout\n\(out)--- stderr\n\(err.prefix(2_000))"
    }
}

enum CLI {
    /// `<package root>`, from this file's path: Tests/CLITests/CLITestSupport.swift.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The debug build, or the program `NEWSIDX_TEST_EXECUTABLE` names: `Tools/test` runs these
    /// tests again on the release build, which is linked differently (one static executable).
    static var executable: URL {
        if let chosen = ProcessInfo.processInfo.environment["NEWSIDX_TEST_EXECUTABLE"], !chosen.isEmpty {
            return URL(fileURLWithPath: chosen, relativeTo: packageRoot)
        }
        return packageRoot.appendingPathComponent(".build/debug/newsidx")
    }

    static var sampleArchive: URL { packageRoot.appendingPathComponent("Tools/sample-archive") }

    struct MissingExecutable: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "newsidx executable not found at \(path); build it with `swift build` "
                + "(or `swift build --build-tests`) before running these tests"
        }
    }

    /// The executable under test, or an error (a test failure) that says how to build it.
    static func requireExecutable(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            XCTFail(MissingExecutable(path: executable.path).description, file: file, line: line)
            throw MissingExecutable(path: executable.path)
        }
        return executable
    }

    /// Runs `newsidx args...` in `directory` with `stdin` as its standard input; output goes to
    /// files, so nothing deadlocks on a full pipe. NEWSIDX_INDEX is removed from the environment
    /// unless `environment` sets it.
    static func run(_ args: [String], stdin: Data = Data(), in directory: URL,
                    environment: [String: String] = [:],
                    file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        try runProgram(try requireExecutable(file: file, line: line), args, stdin: stdin,
                       in: directory, environment: environment)
    }

    static func runProgram(_ program: URL, _ args: [String], stdin: Data = Data(), in directory: URL,
                           environment: [String: String] = [:]) throws -> RunResult {
        try runBounded(program, args, stdin: stdin, in: directory, timeout: .infinity, environment: environment).result
    }
}

extension CLI {
    /// `CLI.runProgram` with a time limit: past `timeout` seconds the process is killed (SIGKILL).
    static func runBounded(_ program: URL, _ args: [String], stdin: Data = Data(), in directory: URL,
                           timeout: TimeInterval, environment: [String: String] = [:]) throws -> BoundedRun {
        let io = directory.appendingPathComponent(".io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: io, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: io) }
        let inURL = io.appendingPathComponent("stdin"), outURL = io.appendingPathComponent("stdout"),
            errURL = io.appendingPathComponent("stderr")
        try stdin.write(to: inURL)
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let inHandle = try FileHandle(forReadingFrom: inURL)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? inHandle.close(); try? outHandle.close(); try? errHandle.close() }

        let process = Process()
        process.executableURL = program
        process.arguments = args
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NEWSIDX_INDEX")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = inHandle
        process.standardOutput = outHandle
        process.standardError = errHandle
        let start = Date()
        try process.run()
        var timedOut = false
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus
                                                                   : process.terminationStatus
        let result = RunResult(status: status, stdout: try Data(contentsOf: outURL), stderr: try Data(contentsOf: errURL))
        return BoundedRun(result: result, seconds: seconds, timedOut: timedOut)
    }
}

/// One bounded run: what it left, how long it took, and whether it had to be killed.
struct BoundedRun {
    var result: RunResult
    var seconds: Double
    var timedOut: Bool

    var status: Int32 { result.status }
    var out: String { result.out }
    var err: String { result.err }
    var lines: [String] { result.lines }
    var crashed: Bool { result.status > 128 || timedOut }
    var description: String {
        (timedOut ? "TIMED OUT after \(Int(seconds)) s (killed); " : "") + "\(String(format: "%.2f", seconds)) s, "
            + result.description
    }
}

/// A test case with its own temporary folder, removed afterwards.
class CLITestCase: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        _ = try CLI.requireExecutable()
        tmp = FileManager.default.temporaryDirectory
            .appendingPathComponent("newsidx-cli-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let tmp { try? FileManager.default.removeItem(at: tmp) }
        try super.tearDownWithError()
    }

    /// Runs newsidx in the test's temporary folder.
    func newsidx(_ args: String..., stdin: String = "", environment: [String: String] = [:],
                 file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        try CLI.run(args, stdin: Data(stdin.utf8), in: tmp, environment: environment, file: file, line: line)
    }

    /// Writes `text` to `name` in the temporary folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try writeBytes(name, Array(text.utf8)) }

    /// Writes raw bytes to `name` in the temporary folder and returns its path.
    @discardableResult
    func writeBytes(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = tmp.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    var indexPath: String { tmp.appendingPathComponent("idx").path }

    /// Indexes the harbour fixture (Fixture.harbourRecords) into `indexPath`, checking it worked.
    func indexHarbourFixture(stemmer: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try write("harbour.jsonl", Fixture.harbourJSONL)
        var args = ["index", "--index", indexPath]
        if let stemmer { args += ["--stemmer", stemmer] }
        let r = try CLI.run(args + [path], in: tmp, file: file, line: line)
        XCTAssertEqual(r.status, 0, r.description, file: file, line: line)
        XCTAssertTrue(r.err.contains("added \(Fixture.harbourRecords.count),"), r.err, file: file, line: line)
    }

    /// Indexes Tools/sample-archive, run from the package root so ids read Tools/sample-archive/....
    func indexSampleArchive(file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(["index", "--index", indexPath, "Tools/sample-archive"], in: CLI.packageRoot,
                            file: file, line: line)
        XCTAssertEqual(r.status, 0, r.description, file: file, line: line)
        XCTAssertTrue(r.err.contains("added \(Fixture.sampleDocuments),"), r.err, file: file, line: line)
    }

    /// Runs newsidx from the package root (for the sample archive's relative ids).
    func newsidxAtRoot(_ args: String..., file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        try CLI.run(args, in: CLI.packageRoot, file: file, line: line)
    }
}

/// Invented fixture text and what the tests expect of it.
enum Fixture {
    struct Record {
        var id: String
        var title: String
        var text: String
        var date: String?
    }

    /// Four short notes from a fictional harbour. Word facts the tests rely on:
    /// "pier": 1, 4 (also "old pier" in both); "gulls": 1, 2; "ferry": 3 only (no date);
    /// "walrus": none; "gull" only with stemming.
    static let harbourRecords: [Record] = [
        Record(id: "tide-1", title: "Spring tides reach the old pier",
               text: "The spring tides reached the old pier on Monday. Gulls gathered on the pier rail while the harbour crew checked the moorings twice.",
               date: "2023-04-02"),
        Record(id: "tide-2", title: "Gulls nest on the lighthouse gallery",
               text: "Herring gulls have built nests on the lighthouse gallery again. The keeper said the gulls come back every spring and leave in August.",
               date: "2023-05-11"),
        Record(id: "tide-3", title: "Winter ferry timetable",
               text: "The winter ferry timetable begins next week, with two crossings a day to Skerrow island and none on Sundays.",
               date: nil),
        Record(id: "tide-4", title: "Repairs to the old pier delayed",
               text: "Repairs to the old pier are delayed until the autumn because the contractor has no divers free before then.",
               date: "2023-06-20"),
    ]

    static func jsonl(_ records: [Record]) -> String {
        records.map { r in
            var o: [String: String] = ["id": r.id, "title": r.title, "text": r.text]
            if let date = r.date { o["date"] = date }
            let data = try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }

    static var harbourJSONL: String { jsonl(harbourRecords) }

    /// Documents in Tools/sample-archive: 9 .txt, 2 .html, 4 JSON Lines records.
    static let sampleDocuments = 15
}
