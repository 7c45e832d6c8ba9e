// Storage: transactions over an Environment, and the get/put/delete calls made inside them.
// Owns the lifetime rules of LMDB transactions (commit once, abort otherwise, never both).
import CLMDB

/// A read or write transaction. Bytes it returns are valid until it ends.
public final class Transaction {
    let env: Environment
    private(set) var handle: OpaquePointer?
    public let isReadOnly: Bool

    init(env: Environment, readOnly: Bool) throws {
        self.env = env
        isReadOnly = readOnly
        var txn: OpaquePointer?
        let flags = readOnly ? UInt32(MDB_RDONLY) : 0
        var rc = mdb_txn_begin(env.handle, nil, flags, &txn)
        if rc == MDB_READERS_FULL && env.clearStaleReaders() > 0 {
            // Slots of killed readers are freed only when someone checks for them.
            rc = mdb_txn_begin(env.handle, nil, flags, &txn)
        }
        try LMDBError.check(rc, readOnly ? "begin read transaction" : "begin write transaction")
        handle = txn
    }

    deinit { abort() }

    func commit() throws {
        guard let h = handle else { return }
        handle = nil
        try LMDBError.check(mdb_txn_commit(h), "commit")
    }

    func abort() {
        guard let h = handle else { return }
        handle = nil
        mdb_txn_abort(h)
    }

    var live: OpaquePointer {
        guard let handle else { preconditionFailure("transaction used after it ended") }
        return handle
    }

    /// The number of the commit this transaction reads (for a read transaction).
    public var committedID: Int { Int(mdb_txn_id(live)) }

    /// Opens (and in a write transaction, creates) a named table.
    public func table(_ name: String, create: Bool = false) throws -> Table {
        var dbi: MDB_dbi = 0
        let flags = create && !isReadOnly ? UInt32(MDB_CREATE) : 0
        try LMDBError.check(mdb_dbi_open(live, name, flags, &dbi), "open table \(name)")
        return Table(dbi: dbi, name: name)
    }

    /// The keys of the environment's main table: the names of its named tables, and any key a
    /// program that uses no named tables put there. A new environment has none.
    public func mainTableKeys() throws -> [[UInt8]] {
        var dbi: MDB_dbi = 0
        try LMDBError.check(mdb_dbi_open(live, nil, 0, &dbi), "open the main table")
        let cursor = try Cursor(txn: self, table: Table(dbi: dbi, name: "main"))
        var keys: [[UInt8]] = []
        var entry = try cursor.first()
        while let e = entry {
            keys.append(Array(e.key))
            entry = try cursor.next()
        }
        return keys
    }

    /// The value under `key`, pointing into the map, or nil.
    public func get(_ table: Table, _ key: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(live, table.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBError.check(rc, "get from \(table.name)")
        return UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)
    }

    public func get(_ table: Table, _ key: [UInt8]) throws -> UnsafeRawBufferPointer? {
        try key.withUnsafeBytes { try get(table, $0) }
    }

    public struct PutFlags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// The key sorts after every key in the table: LMDB skips the search.
        public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
        public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    }

    public func put(_ table: Table, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer,
                    flags: PutFlags = []) throws {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try LMDBError.check(mdb_put(live, table.dbi, &k, &v, flags.rawValue), "put into \(table.name)")
    }

    public func put(_ table: Table, _ key: [UInt8], _ value: [UInt8], flags: PutFlags = []) throws {
        try key.withUnsafeBytes { k in
            try value.withUnsafeBytes { v in try put(table, k, v, flags: flags) }
        }
    }

    /// Removes `key`; returns false when it was not there.
    @discardableResult
    public func delete(_ table: Table, _ key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { kb in
            var k = MDB_val(mv_size: kb.count, mv_data: UnsafeMutableRawPointer(mutating: kb.baseAddress))
            let rc = mdb_del(live, table.dbi, &k, nil)
            if rc == MDB_NOTFOUND { return false }
            try LMDBError.check(rc, "delete from \(table.name)")
            return true
        }
    }

    /// Empties a table, keeping it.
    public func clear(_ table: Table) throws {
        try LMDBError.check(mdb_drop(live, table.dbi, 0), "clear \(table.name)")
    }

    /// Deletes a table and its name, as a program that never knew it does when it copies the
    /// others; its handle is closed on commit and must not be used again.
    public func drop(_ table: Table) throws {
        try LMDBError.check(mdb_drop(live, table.dbi, 1), "drop \(table.name)")
    }

    public func stats(_ table: Table) throws -> TableStats {
        var st = MDB_stat()
        try LMDBError.check(mdb_stat(live, table.dbi, &st), "stat \(table.name)")
        let pages = Int(st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages)
        return TableStats(entries: Int(st.ms_entries), pages: pages, overflowPages: Int(st.ms_overflow_pages),
                          bytes: pages * Int(st.ms_psize))
    }

    /// Leaf pages of `table` as of now in this transaction (cheap: LMDB keeps the count).
    public func leafPages(_ table: Table) throws -> Int {
        var st = MDB_stat()
        try LMDBError.check(mdb_stat(live, table.dbi, &st), "stat \(table.name)")
        return Int(st.ms_leaf_pages)
    }

    public func cursor(_ table: Table) throws -> Cursor {
        try Cursor(txn: self, table: table)
    }

    /// Walks LMDB's own list of free pages (table 0, read as `mdb_stat -f` reads it): the pages
    /// it holds, and what is wrong with entries that are no list of page numbers below
    /// `pageCount`. Reads of the tables never touch it; only the next writer, reusing pages,
    /// would trip over its damage.
    public func freePages(pageCount: Int) throws -> (pages: Int, problems: [String]) {
        let cursor = try Cursor(txn: self, table: Table(dbi: 0, name: "free pages"))
        var pages = 0, problems: [String] = []
        var entry = try cursor.first()
        while let e = entry {
            let word = MemoryLayout<Int>.size
            let listed = e.value.count >= word ? e.value.loadUnaligned(as: Int.self) : -1
            if e.key.count != word || e.value.count % word != 0 || listed != e.value.count / word - 1 {
                problems.append("an entry of \(e.key.count) and \(e.value.count) bytes that is no list of pages")
            } else {
                pages += listed
                var outside = 0
                for i in stride(from: 1, through: listed, by: 1) {
                    let page = e.value.loadUnaligned(fromByteOffset: i * word, as: Int.self)
                    if page < 2 || page >= pageCount { outside += 1 }  // pages 0 and 1 are the meta pages
                }
                if outside > 0 { problems.append("\(outside) pages outside the file's \(pageCount)") }
            }
            entry = try cursor.next()
        }
        return (pages, problems)
    }
}
