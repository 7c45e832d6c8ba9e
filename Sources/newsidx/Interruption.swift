// newsidx (CLI): Ctrl-C while indexing, caught once and turned into an orderly stop.
// Owns the SIGINT handler and the flag the walk reads.
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C while indexing. The first stops the reading and commits what was read, so the next
/// run goes on from there (exit 130, as a shell reports an interrupt); a second ends the
/// process at once, which loses only the batch in progress, as any kill does. Without this, a
/// run interrupted before its first commit (about four million words) kept nothing.
enum Interruption {
    struct Stop: Error {}

    /// Set by the handler; allocated before the handler is installed, so the handler only stores.
    private static let flag: UnsafeMutablePointer<sig_atomic_t> = {
        let p = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    static var wasRequested: Bool { flag.pointee != 0 }

    static func catchTheFirst() {
        _ = flag
        // A shell starts background jobs with SIGINT ignored; that choice stands.
        let previous = signal(SIGINT, SIG_IGN)
        if let previous, unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { return }
        signal(SIGINT) { _ in
            Interruption.flag.pointee = 1
            signal(SIGINT, SIG_DFL)
        }
    }
}
