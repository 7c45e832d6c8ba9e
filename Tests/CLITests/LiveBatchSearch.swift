// CLITests: `newsidx search --batch` kept running and asked one query at a time over pipes, for
// tests of what it answers before its input ends and of how the running process maps its index.
import Foundation
import XCTest

final class LiveBatchSearch {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var unread = Data()

    var pid: Int32 { process.processIdentifier }

    struct NoAnswer: Error, CustomStringConvertible {
        let query: String
        let why: String
        var description: String { "no answer to \"\(query)\": \(why)" }
    }

    init(_ args: [String], in directory: URL) throws {
        process.executableURL = try CLI.requireExecutable()
        process.arguments = ["search", "--batch"] + args
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NEWSIDX_INDEX")
        process.environment = env
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit { if process.isRunning { kill(pid, SIGKILL) } }

    /// Sends `query` as one line and returns the next line of output, waiting at most
    /// `timeout` seconds for it while the input stays open.
    func ask(_ query: String, timeout: TimeInterval = 30) throws -> String {
        try input.fileHandleForWriting.write(contentsOf: Data((query + "\n").utf8))
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = unread.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: unread[unread.startIndex..<end], as: UTF8.self)
                unread = Data(unread[(end + 1)...])
                return line
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw NoAnswer(query: query, why: "nothing within \(Int(timeout)) s") }
            var ready = pollfd(fd: output.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(left * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(ready.fd, &chunk, chunk.count)
            guard n > 0 else { throw NoAnswer(query: query, why: "the process closed its output") }
            unread.append(contentsOf: chunk[..<n])
        }
    }

    /// Closes the input, waits for the process and returns its exit status.
    func finish() throws -> Int32 {
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
