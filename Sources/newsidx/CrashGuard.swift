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
    private static let childMarker = "NEWSIDX_GUARDED_CHILD"

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

/// The same damage met by any other command (search, show, stats, duplicates, index) ends it
/// with a message and exit 2, not a bare "Segmentation fault": LMDB gives no error for a page
/// it cannot read safely, and a file system that cannot back a mapped page (a full tmpfs under
/// LMDB's lock file) raises SIGBUS. A crash of newsidx's own code would be reported the same
/// way; Swift's checks trap with SIGILL or SIGTRAP instead, which are left alone. A reader
/// changes nothing, and a writer's uncommitted transaction is dropped as a kill drops it.
enum FaultReport {
    static func install() {
        // `check`'s child must die of the signal: its parent reports it as damage found.
        guard getenv("NEWSIDX_GUARDED_CHILD") == nil else { return }
        // Its own stack, so that a fault from running out of stack is reported too.
        let size = 64 << 10
        var stack = stack_t()
        stack.ss_sp = malloc(size)
        stack.ss_size = size
        guard stack.ss_sp != nil, sigaltstack(&stack, nil) == 0 else { return }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            // Only async-signal-safe calls: write(2) of static text, then _exit(2).
            let text: StaticString = signal == SIGBUS
                ? "newsidx: a file of the index could not be read or written through its memory map (signal 7, SIGBUS): the disk holding it is full, or a file was cut short; free space, then `newsidx check` tells whether it is sound\n"
                : "newsidx: index data is corrupt: reading it crashed (signal 11, SIGSEGV: a damaged page LMDB cannot read safely, unless newsidx has a bug); `newsidx check` lists every damaged part\n"
            _ = write(2, text.utf8Start, text.utf8CodeUnitCount)
            _exit(2)
        }
        action.sa_flags = Int32(SA_ONSTACK)
        sigemptyset(&action.sa_mask)
        sigaction(SIGSEGV, &action, nil)
        sigaction(SIGBUS, &action, nil)
    }
}
