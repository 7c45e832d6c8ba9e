// Storage: a thin, safe Swift layer over LMDB's C API (environment, transactions, tables, cursors).
// Owns the environment and its settings (transactions and cursors are their files'); only Storage calls LMDB.
//
// Caveats the caller must know (they are LMDB's, restated where they bite):
// - Bytes returned by `get` and cursors point into the memory map. They stay valid only until
//   the transaction that produced them ends, and must never be written to.
// - One write transaction at a time per environment; it belongs to the thread that began it.
// - Read transactions are opened with MDB_NOTLS, so a reader may cross threads, but a
//   long-lived reader pins old pages and makes the file grow while a writer runs: keep them short.
// - Values over about half a page are stored in overflow pages and rewritten whole on update.
// - Keys are at most `maxKeySize` bytes (511 by default).
// - At most `Options.maxReaders` read transactions at once across all processes (MDB_READERS_FULL
//   past that); slots of processes that died are cleared when a writer opens the index, or when a
//   reader finds none free.
// - A write transaction holds every page it changes in the heap until it commits, and LMDB keeps
//   that memory for later transactions (`writeCountingBytes` measures it per commit).
// - Reading through the map faults pages in with up to 16 neighbours each; they count as this
//   process's memory until `releaseMappedPages`. A packed file (`DataFileCopy`) sits in the
//   page cache in 2 MiB folios, and a read-only map takes one whole per fault.
import CLMDB
#if canImport(Glibc)
import Glibc
#endif

/// An LMDB failure, with the C code, LMDB's own message, and what newsidx was doing.
public struct LMDBError: Error, CustomStringConvertible, Equatable {
    public let code: Int32
    public let operation: String

    /// Also a system call's failure around the environment (`code` an errno, which
    /// `mdb_strerror` describes as `strerror` does).
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    public var message: String {
        if code == MDB_READERS_FULL {
            return "more processes are reading the index at once than its lock file has slots for; close some"
        }
        return String(cString: mdb_strerror(code))
    }
    public var description: String { "\(operation): \(message) (LMDB code \(code))" }
    public var isNotFound: Bool { code == MDB_NOTFOUND }
    /// LMDB found a page that cannot be what the tree says it is: the file is damaged. (LMDB
    /// keeps no checksums, so it notices only damage that breaks the tree's shape.)
    public var isDamage: Bool { code == MDB_CORRUPTED || code == MDB_PAGE_NOTFOUND }
    public var isMissingFile: Bool { code == ENOENT }

    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws {
        if code != 0 { throw LMDBError(code: code, operation: operation()) }
    }
}

/// Tables by name: a handful, found by comparing names. A `[String: Table]` made every process
/// that opens an index look up `String: Hashable` among every conformance in the static binary
/// (0.18 million instructions, a fifth of a one-query search).
public struct NamedTables {
    private var entries: [(name: String, table: Table)] = []

    public init() {}

    mutating func add(_ name: String, _ table: Table) { entries.append((name, table)) }

    public subscript(name: String) -> Table? {
        for e in entries where e.name == name { return e.table }
        return nil
    }
}

/// A copy ended early because its caller asked it to (a Ctrl-C while packing).
public struct CopyStopped: Error {
    public init() {}
}

/// An open LMDB environment: one directory holding `data.mdb` and `lock.mdb`.
public final class Environment: @unchecked Sendable {
    let handle: OpaquePointer
    public let path: String
    public let isReadOnly: Bool

    public struct Options: Sendable {
        public var maxTables: UInt32 = 16
        /// Address space reserved for the map. The file only grows as data is written.
        public var mapSize: Int = 1 << 40
        public var readOnly = false
        /// Skip fsync on commit; the caller must call `sync()` before reporting success.
        public var deferSync = false
        /// No reader lock table (MDB_NOLOCK): for read-only use where `lock.mdb` cannot be written;
        /// the caller must make sure no process writes meanwhile.
        public var noLock = false
        /// Reader slots in `lock.mdb` (64 bytes each), for processes and threads reading at once.
        /// LMDB's default of 126 was reached by pipelines holding `search --batch` coprocesses
        /// open. A lock file already in use keeps the count it was made with.
        public var maxReaders: UInt32 = 1_024
        public init() {}
    }

    /// Called, when set, where one of LMDB's internal checks fails (a damaged page: a branch
    /// page where a leaf must be), with LMDB's text naming the check; LMDB aborts the process
    /// when it returns. Set it before opening environments; it must not return to report in
    /// its own way.
    nonisolated(unsafe) public static var failedCheckHandler: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Void)?

    public init(path: String, options: Options = Options()) throws {
        var env: OpaquePointer?
        try LMDBError.check(mdb_env_create(&env), "create environment")
        guard let env else { throw LMDBError(code: ENOMEM, operation: "create environment") }
        handle = env
        if let handler = Self.failedCheckHandler { mdb_env_set_assert(env, handler) }
        self.path = path
        isReadOnly = options.readOnly
        // Every stored property is set, so a throw below still runs deinit, which closes `env`.
        try LMDBError.check(mdb_env_set_maxdbs(env, options.maxTables), "set max tables")
        try LMDBError.check(mdb_env_set_mapsize(env, options.mapSize), "set map size")
        try LMDBError.check(mdb_env_set_maxreaders(env, options.maxReaders), "set max readers")
        var flags = UInt32(MDB_NOTLS)
        if options.readOnly { flags |= UInt32(MDB_RDONLY) }
        if options.deferSync { flags |= UInt32(MDB_NOSYNC) }
        if options.noLock { flags |= UInt32(MDB_NOLOCK) }
        if !options.noLock { try Self.reserveLockFile(in: path, maxReaders: options.maxReaders) }
        try LMDBError.check(mdb_env_open(env, path, flags, 0o644), "open index at \(path)")
        // Found once, before any other thread can see this environment, and never changed after.
        if !options.readOnly { writerMapping = locateDataMapping() }
        // A packed file sits in the page cache in 2 MiB pieces (`DataFileCopy`), which a fault
        // maps whole; a writer reads it at random and releases its mappings by resident size,
        // so it maps page by page, as before packed files were copied that way.
        if let mapping = writerMapping, let base = mapping.baseAddress { madvise(base, mapping.count, MADV_NOHUGEPAGE) }
    }

    deinit { mdb_env_close(handle) }

    /// LMDB writes its lock file through a memory map, so a disk with no room for a page of it
    /// (a full tmpfs) ended the process with SIGBUS, in `index` of a new folder and in every
    /// packing after (its scratch index is new too). A lock file this process creates therefore
    /// has its blocks taken before LMDB maps it, at the size LMDB gives a new one (a 192-byte
    /// header, then 64 bytes per reader slot; `fallocate`'s mode 0 sets that size), and a full
    /// disk is an error. An existing one is left as it is: LMDB made it sparse, a reader's slot
    /// mostly lies in its first page, which is there, and a process that has the file open counts
    /// its slots by the file's size. Where the file cannot be made (a read-only folder) or the
    /// file system cannot allocate ahead, LMDB is left to decide.
    private static func reserveLockFile(in directory: String, maxReaders: UInt32) throws {
        let lockPath = directory + "/lock.mdb"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let size = (Int(maxReaders) - 1) * 64 + 192
        guard fallocate(fd, 0, 0, size) != 0 else { return }
        let failure = errno
        guard failure == ENOSPC || failure == EDQUOT else { return }
        unlink(lockPath)  // made by this call, empty, and mapped by no one yet
        throw LMDBError(code: failure, operation: "reserve \(size) bytes for \(lockPath)")
    }

    /// Flushes everything committed so far to disk.
    public func sync() throws {
        try LMDBError.check(mdb_env_sync(handle, 1), "sync \(path)")
    }

    public var maxKeySize: Int { Int(mdb_env_get_maxkeysize(handle)) }

    /// LMDB's page size: the system's memory page size when the file was created.
    public var pageSize: Int {
        var st = MDB_stat()
        mdb_env_stat(handle, &st)
        return Int(st.ms_psize)
    }

    /// Clears reader slots left behind by processes that died; returns how many.
    @discardableResult
    public func clearStaleReaders() -> Int {
        var dead: Int32 = 0
        mdb_reader_check(handle, &dead)
        return Int(dead)
    }

    /// Opens (creating when asked and writable) the named tables; handles stay valid for the
    /// environment's life, which is why this commits rather than aborts its transaction.
    /// `setup` runs in the same transaction, so what it writes commits with the tables or not at all.
    /// `optional` tables are opened only where they exist (created with the others when
    /// `create`): tables an index written by an earlier version may lack.
    public func openTables(_ names: [String], optional: [String] = [], create: Bool,
                           setup: ((Transaction, NamedTables) throws -> Void)? = nil) throws -> NamedTables {
        let txn = try Transaction(env: self, readOnly: isReadOnly || !create)
        var tables = NamedTables()
        do {
            for name in names { tables.add(name, try txn.table(name, create: create)) }
            for name in optional {
                do {
                    tables.add(name, try txn.table(name, create: create))
                } catch let error as LMDBError where error.isNotFound && !create {}
            }
            try setup?(txn, tables)
            try txn.commit()
        } catch {
            txn.abort()
            throw error
        }
        return tables
    }

    /// For a reader that will query the index many times: pages of the data file that are not
    /// in the page cache come back in 2 MiB folios (MADV_HUGEPAGE), each mapped whole with one
    /// page-table entry, as packing leaves the file; pages already cached keep the size they
    /// have. After evictions, fewer faults for this process and for the ones that follow it
    /// (one-shot searches 5% faster on news-combined). A single query should not ask: each
    /// fault on a cold file would then read 2 MiB, where the kernel's usual read-around reads
    /// 128 KiB (ARCHITECTURE, "Space").
    public func adviseHugePages() {
        guard isReadOnly, let mapping = locateDataMapping(), let base = mapping.baseAddress else { return }
        madvise(base, mapping.count, MADV_HUGEPAGE)
    }

    /// Drops this process's mappings of the data file's pages (MADV_DONTNEED). They stay in the
    /// page cache and fault back in on the next read, so this only lowers resident memory; long
    /// writers call it between transactions so reading the whole index does not count as theirs.
    ///
    /// On a writable environment it is one madvise, so a writer may call it often, from any of
    /// its threads, and it must: a read fault maps up to 16 neighbouring cached pages as well,
    /// so lookups under random keys hold 64 KiB per page they touch, of whatever tables lie
    /// around it.
    public func releaseMappedPages() {
        guard let mapping = writerMapping ?? locateDataMapping(), let base = mapping.baseAddress else { return }
        madvise(base, mapping.count, MADV_DONTNEED)
    }

    /// `releaseMappedPages()` if this process has more than `limit` bytes of files resident
    /// (`/proc/self/statm`, about a microsecond to read; the program's own code counts too).
    /// Writers check this often rather than releasing every so many lookups: how many pages a
    /// lookup faults in grows with the file, so a fixed count let a large index hold more.
    public func releaseMappedPages(ifResidentFileBytesExceed limit: Int) {
        guard let resident = ProcessCounters.residentFileBytes(), resident > limit else { return }
        releaseMappedPages()
    }

    /// A writable environment's data file mapping, found when it opens: LMDB maps the file then
    /// and moves the map only when the map size changes, which `Environment` never does after.
    /// Set before the environment is shared, so several threads may release it.
    private var writerMapping: UnsafeMutableRawBufferPointer? = nil

    private func locateDataMapping() -> UnsafeMutableRawBufferPointer? {
        // LMDB does not expose its map address unless MDB_FIXEDMAP; the kernel's list of this
        // process's mappings names the data file.
        guard let dataFile = realpath(path + "/data.mdb", nil) else { return nil }
        defer { free(dataFile) }
        let target = String(cString: dataFile)
        guard let maps = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(maps) }
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), maps) != nil {
            let text = String(cString: line).trimmingSuffix("\n")
            guard text.hasSuffix(" " + target), let dash = text.firstIndex(of: "-"),
                  let space = text.firstIndex(of: " "),
                  let start = UInt(text[..<dash], radix: 16),
                  let end = UInt(text[text.index(after: dash)..<space], radix: 16),
                  let base = UnsafeMutableRawPointer(bitPattern: start) else { continue }
            return UnsafeMutableRawBufferPointer(start: base, count: Int(end - start))
        }
        return nil
    }

    /// Bytes the data file must have for every page the last commit uses. A shorter file (cut
    /// by a full disk or a copy that stopped) would fault with SIGBUS when those pages are read.
    public func requiredFileSize() throws -> Int {
        var info = MDB_envinfo()
        try LMDBError.check(mdb_env_info(handle, &info), "read environment info")
        var st = MDB_stat()
        try LMDBError.check(mdb_env_stat(handle, &st), "read environment stat")
        // A damaged meta page's last page number had overflowed this product (SIGILL; review):
        // read as a size no file has, which the caller reports as a cut file.
        let (bytes, overflow) = (Int(info.me_last_pgno) &+ 1).multipliedReportingOverflow(by: Int(st.ms_psize))
        return overflow || Int(info.me_last_pgno) < 0 ? Int.max : bytes
    }

    /// Size of the data file this environment opened, found by its descriptor: the path may
    /// already name another file (a packed copy renamed over it), whose size says nothing
    /// about this one.
    public func openedFileSize() throws -> Int {
        Int(try openedFileStatus().st_size)
    }

    private func openedFileStatus() throws -> stat {
        var fd: mdb_filehandle_t = -1
        try LMDBError.check(mdb_env_get_fd(handle, &fd), "get the data file's descriptor")
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw LMDBError(code: errno, operation: "stat the data file") }
        return st
    }

    /// The number of the last commit, as LMDB's lock file has it.
    public func lastCommitID() throws -> Int {
        var info = MDB_envinfo()
        try LMDBError.check(mdb_env_info(handle, &info), "read environment info")
        return Int(info.me_last_txnid)
    }

    /// Whether `dataFile` now names another file than the one this environment opened (a
    /// packed copy renamed over it), or none.
    public func isReplaced(by dataFile: String) throws -> Bool {
        let opened = try openedFileStatus()
        var named = stat()
        guard stat(dataFile, &named) == 0 else { return true }
        return opened.st_ino != named.st_ino || opened.st_dev != named.st_dev
    }

    /// Pages in use (the file's high-water mark) and pages on the free list, for deciding when
    /// a compacting copy is worth it.
    public func pageUsage() throws -> (used: Int, free: Int) {
        var info = MDB_envinfo()
        try LMDBError.check(mdb_env_info(handle, &info), "read environment info")
        let used = Int(info.me_last_pgno) + 1
        let free = try read { try $0.freePages(pageCount: used) }
        // A damaged list's lengths are garbage: summed, they had overflowed and trapped.
        if let problem = free.problems.first {
            throw LMDBError(code: MDB_CORRUPTED, operation: "read the free-page list (\(problem))")
        }
        return (used, free.pages)
    }

    /// Writes a packed copy of `tables` to a new environment in `directory`: every entry is
    /// re-inserted in key order with MDB_APPEND, so pages come out full and free pages are
    /// left behind. Commits every `commitBytes` so the copy's memory stays bounded: a write
    /// transaction holds its dirty pages in the heap until commit, and at 64 MB the copy
    /// was the peak of a whole indexing run (news-combined: 470 MB against 396 MB at 8 MB).
    /// The source's mapped pages are released at each commit too: the leaf pages a cursor walk
    /// reads lie all over the file, each fault maps 64 KiB around it, and 8 MB of copying held
    /// up to 160 MB of them on a 5× news-combined; 1 MB holds a few tens.
    /// The copy is left unsynced: the caller syncs it, or copies it on with `DataFileCopy`.
    /// `stop` is asked before each commit; when it says so, the copy ends with `CopyStopped`.
    public func packedCopy(tables names: [String], to directory: String, commitBytes: Int = 1 << 20,
                           stop: () -> Bool = { false }) throws {
        var options = Options()
        options.deferSync = true
        let target = try Environment(path: directory, options: options)
        let targets = try target.openTables(names, create: true)
        let sources = try openTables(names, create: false)
        try read { source in
            for name in names {
                let cursor = try source.cursor(sources[name]!)
                let table = targets[name]!
                var entry = try cursor.first()
                while entry != nil {
                    if stop() { throw CopyStopped() }
                    entry = try target.write { out -> Entry? in
                        var written = 0
                        var e = entry
                        defer { releaseMappedPages() }
                        while let current = e, written < commitBytes {
                            try out.put(table, current.key, current.value, flags: .append)
                            written += current.key.count + current.value.count + 16
                            e = try cursor.next()
                        }
                        return e
                    }
                }
            }
        }
    }

    /// Begins a read-only snapshot the caller holds; it ends when the Transaction is released.
    public func beginRead() throws -> Transaction {
        try Transaction(env: self, readOnly: true)
    }

    /// Runs `body` in a read-only snapshot.
    public func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        let txn = try Transaction(env: self, readOnly: true)
        defer { txn.abort() }
        return try body(txn)
    }

    /// `write(_:)`, also returning the bytes the transaction wrote to the data file, which is
    /// what it held in memory: LMDB keeps every page a write transaction changes in the heap
    /// until the commit writes it, and keeps that many pages' memory for later transactions.
    /// The commit writes from the calling thread, so the count is the thread's written bytes
    /// (`/proc/thread-self/io`) across it; nil where the kernel does not report them.
    public func writeCountingBytes<T>(_ body: (Transaction) throws -> T) throws -> (result: T, bytes: Int?) {
        let before = ProcessCounters.threadBytesWritten()
        let result = try write(body)
        guard let before, let after = ProcessCounters.threadBytesWritten() else { return (result, nil) }
        return (result, after - before)
    }

    /// Runs `body` in a write transaction, committing if it returns and aborting if it throws.
    public func write<T>(_ body: (Transaction) throws -> T) throws -> T {
        let txn = try Transaction(env: self, readOnly: false)
        do {
            let result = try body(txn)
            try txn.commit()
            return result
        } catch {
            txn.abort()
            throw error
        }
    }
}

/// Counters Linux keeps for this process and thread; nil where they cannot be read.
enum ProcessCounters {
    /// Bytes the calling thread has passed to write calls (`wchar`).
    static func threadBytesWritten() -> Int? {
        guard let text = contents(of: "/proc/thread-self/io") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Int(line.dropFirst(6).drop { $0 == " " })
        }
        return nil
    }

    /// Resident pages backed by files (and shared memory), in bytes: the third field of statm,
    /// read from a descriptor kept open (about a microsecond; opening it each time took six).
    static func residentFileBytes() -> Int? {
        guard statm >= 0 else { return nil }
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let pages = withUnsafeMutableBytes(of: &buffer) { raw -> Int? in
            let n = pread(statm, raw.baseAddress, raw.count, 0)
            guard n > 0 else { return nil }
            var field = 0, value = 0
            for c in raw[0..<n] {
                if c == UInt8(ascii: " ") {
                    if field == 2 { return value }
                    field += 1
                    value = 0
                } else if field == 2 {
                    guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
                    value = value * 10 + Int(c - UInt8(ascii: "0"))
                }
            }
            return nil
        }
        return pages.map { $0 * pageSize }
    }

    /// Opened once, on first use, and read with `pread` from any thread.
    private static let statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    private static func contents(of path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }
}

/// A named table (LMDB "database") inside an environment.
public struct Table: Sendable, Equatable {
    let dbi: MDB_dbi
    public let name: String
}

/// Per-table counters from `mdb_stat`.
public struct TableStats: Sendable {
    public var entries: Int
    public var pages: Int
    public var overflowPages: Int
    public var bytes: Int
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
