// InvertedIndex: the one-writer-at-a-time lock of an index folder (`writer.lock`, flock).
// Owns the message a second concurrent `index` or `delete` gets; LMDB's own lock only
// serializes transactions, not whole runs, and a compacting copy needs whole runs serialized.
#if canImport(Glibc)
import Glibc
#endif

public final class WriterLock {
    private let fd: Int32

    /// Takes the lock, waiting for another writer to finish when `wait` (calling `waiting`
    /// first), else failing at once. `create` makes the index folder when missing (for `index`);
    /// otherwise a missing index is an error.
    public init(indexPath: String, wait: Bool = true, create: Bool = true, waiting: () -> Void = {}) throws {
        if access(indexPath, F_OK) == 0 && !isDirectory(indexPath) { throw IndexError.notADirectory(path: indexPath) }
        if access(indexPath + "/data.mdb", F_OK) != 0 && !create { throw IndexError.missing(path: indexPath) }
        if access(indexPath, F_OK) != 0 { try Self.makeFolder(indexPath) }
        guard isDirectory(indexPath) else { throw IndexError.notADirectory(path: indexPath) }
        let path = indexPath + "/writer.lock"
        fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else {
            throw IndexError.unusable(path: indexPath, problem: "cannot open writer.lock for writing: \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard wait else {
                close(fd)
                throw IndexError.unusable(path: indexPath, problem: "another newsidx is writing to it")
            }
            waiting()
            flock(fd, LOCK_EX)
        }
    }

    /// Makes `path` and any missing folders above it, as `mkdir -p` (and `git init`) do.
    private static func makeFolder(_ path: String) throws {
        let bytes = Array(path.utf8)
        let ends = bytes.indices.filter { $0 > 0 && bytes[$0] == UInt8(ascii: "/") } + [bytes.count]
        for end in ends {
            let folder = String(decoding: bytes[..<end], as: UTF8.self)
            if access(folder, F_OK) == 0 { continue }
            if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                throw IndexError.unusable(path: path, problem: "cannot create the index folder: \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
