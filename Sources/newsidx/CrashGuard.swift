// newsidx (CLI): running a command line again in a child process, to survive its crash.
// Owns the child's start and what is reported when a signal ends it.
import InvertedIndex
#if canImport(Glibc)
import Glibc
#endif

/// LMDB trusts its pages: a damaged page can send it through a wild pointer (SIGSEGV in
/// `mdb_xcursor_init1`, found by flipping bytes in a data file), and no check inside the process
/// can catch that. `check`, whose job is to find damage, therefore reads the index in a child
/// process; a child killed by a signal becomes a report of damage instead of a crash.
enum CrashGuard {
    /// Set in the child's environment; `FaultReport` leaves such a child to die of its signal.
    static let childMarker = "NEWSIDX_GUARDED_CHILD"

    /// In the parent: runs `arguments` again as a child (stdin, stdout and stderr shared) and
    /// exits as it did; a child ended by a signal is reported with `what` and exit status 1.
    /// In the child, or if the child cannot be started, returns so the caller does the work.
    static func runInChild(_ arguments: [String], what: String) {
        if getenv(childMarker) != nil { return }
        setenv(childMarker, "1", 1)
        // The crash is reported below; Swift's backtrace of LMDB's frames would bury it.
        let backtraceSetting = getenv("SWIFT_BACKTRACE").map { String(cString: $0) }
        if backtraceSetting == nil { setenv("SWIFT_BACKTRACE", "enable=no", 1) }
        defer {
            unsetenv(childMarker)
            if backtraceSetting == nil { unsetenv("SWIFT_BACKTRACE") }
        }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/proc/self/exe", nil, nil, argv, environ) == 0 else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        if signal == 0 { exit((status >> 8) & 0xFF) }
        Terminal.stderr("newsidx: index data is corrupt: \(what) crashed reading it (signal \(signal): a damaged "
            + "page LMDB cannot read safely); index the sources again into a new --index folder")
        exit(1)
    }
}
