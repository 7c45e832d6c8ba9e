// InvertedIndex: the one-writer-at-a-time lock of an index folder (`writer.lock`, flock).
// Owns the message a second concurrent `index` or `delete` gets; LMDB's own lock only
// serializes transactions, not whole runs, and a compacting copy needs whole runs serialized.
#if canImport(Glibc)
import Glibc
#endif

public final class WriterLock {
    private let fd: Int32

    /// Takes the lock, waiting for another writer to finish when `wait`, else failing at once.
    /// `create` makes the index folder when missing (for `index`); otherwise a missing index is an error.
    public init(indexPath: String, wait: Bool = true, create: Bool = true) throws {
        if access(indexPath + "/data.mdb", F_OK) != 0 && !create { throw IndexError.missing(path: indexPath) }
        if access(indexPath, F_OK) != 0 { mkdir(indexPath, 0o755) }
        guard isDirectory(indexPath) else { throw IndexError.notADirectory(path: indexPath) }
        let path = indexPath + "/writer.lock"
        fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else {
            throw IndexError.corrupt("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard wait else {
                close(fd)
                throw IndexError.corrupt("another newsidx is writing to \(indexPath)")
            }
            flock(fd, LOCK_EX)
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
