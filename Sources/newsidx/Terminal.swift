// newsidx (CLI): writing to stdout and stderr, buffered, and quiet when a pipe closes early.
// Owns the one place output leaves the process.
#if canImport(Glibc)
import Glibc
#endif

enum Terminal {
    private static var buffer: [UInt8] = {
        var b: [UInt8] = []
        b.reserveCapacity(1 << 16)
        return b
    }()

    /// Buffers `text` for stdout; a closed pipe (| head) ends the process quietly, as grep does.
    static func out(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func outBytes(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { exit(0) }
                stderr("newsidx: cannot write output: \(String(cString: strerror(errno)))")
                exit(2)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes stdout unless more input is already waiting on stdin: a program that sends one
    /// query at a time and waits for each answer (a coprocess) gets it, while input from a file
    /// or a fast pipe still leaves in large writes.
    static func flushUnlessInputIsWaiting() {
        var input = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        if poll(&input, 1, 0) <= 0 { flush() }
    }

    static func stderr(_ line: String) {
        let text = line + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    /// Writes to stderr as is (no newline), for a status line redrawn with "\r".
    static func stderrRaw(_ text: String) {
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Monotonic microseconds, for elapsed times.
    static func microseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}
