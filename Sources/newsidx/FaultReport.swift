// newsidx (CLI): a crash by SIGSEGV or SIGBUS reported as damage or a full disk, exit 2.
// Owns the signal handlers, their stack and their fixed messages.
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// Damage LMDB cannot read safely, met by any command but `check` (which reads in a child
/// process, `CrashGuard`), ends it with a message and exit 2, not a bare "Segmentation fault": LMDB gives no error for a page
/// it cannot read safely, and a file system that cannot back a mapped page (a full tmpfs under
/// LMDB's lock file) raises SIGBUS. A crash of newsidx's own code would be reported the same
/// way; Swift's checks trap with SIGILL or SIGTRAP instead, which are left alone. A reader
/// changes nothing, and a writer's uncommitted transaction is dropped as a kill drops it.
enum FaultReport {
    static func install() {
        // `check`'s child must die of the signal: its parent reports it as damage found.
        guard getenv(CrashGuard.childMarker) == nil else { return }
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
                ? "newsidx: a file of the index could not be read or written through its memory map (signal 7, SIGBUS): the disk holding it is full, a file was cut short, or the index is damaged; free space, then `newsidx check` tells whether it is sound\n"
                : "newsidx: index data is corrupt: reading it crashed (signal 11, SIGSEGV: a damaged page LMDB cannot read safely, unless newsidx has a bug); `newsidx check` lists every damaged part\n"
            _ = write(2, text.utf8Start, text.utf8CodeUnitCount)
            _exit(2)
        }
        action.sa_flags = Int32(SA_ONSTACK)
        sigemptyset(&action.sa_mask)
        sigaction(SIGSEGV, &action, nil)
        sigaction(SIGBUS, &action, nil)
        // LMDB's own checks find some damage first (a zeroed page where a leaf must be) and
        // abort: 1,142 of 4,272 damaged copies of an index had ended in "Assertion failed" and
        // exit 134 (a fault QA helper). Said as damage, exit 2; a writer's open transaction is
        // dropped as a kill drops it. Nothing is allocated: the damage may have reached the heap
        // (a handler that built its message as a String died in malloc; review).
        Environment.failedCheckHandler = { _, text in
            let head: StaticString = "newsidx: index data is corrupt: LMDB found a page it cannot use ("
            let tail: StaticString = "); `newsidx check` lists every damaged part; index the sources again into a new --index folder to replace this one\n"
            _ = write(2, head.utf8Start, head.utf8CodeUnitCount)
            if let text { _ = write(2, text, strlen(text)) }
            _ = write(2, tail.utf8Start, tail.utf8CodeUnitCount)
            _exit(2)
        }
    }
}
