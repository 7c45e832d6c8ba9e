// Storage: ordered iteration over one table inside one transaction.
// Owns the cursor lifetime and the positioning calls (first, seek, next, prev).
import CLMDB

/// A key and a value, both pointing into the map (valid until the transaction ends).
public struct Entry {
    public let key: UnsafeRawBufferPointer
    public let value: UnsafeRawBufferPointer
}

/// A cursor over one table. It must not outlive its transaction.
public final class Cursor {
    private var handle: OpaquePointer?
    private let table: Table
    private let txn: Transaction

    init(txn: Transaction, table: Table) throws {
        self.txn = txn
        self.table = table
        var c: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(txn.live, table.dbi, &c), "open cursor on \(table.name)")
        handle = c
    }

    deinit { if let handle { mdb_cursor_close(handle) } }

    private func move(_ op: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil) throws -> Entry? {
        var k = MDB_val(mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var v = MDB_val()
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBError.check(rc, "move cursor on \(table.name)")
        return Entry(key: UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                     value: UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    public func first() throws -> Entry? { try move(MDB_FIRST) }
    public func last() throws -> Entry? { try move(MDB_LAST) }
    public func next() throws -> Entry? { try move(MDB_NEXT) }
    public func prev() throws -> Entry? { try move(MDB_PREV) }

    /// Positions at the first key >= `key`.
    public func seek(atLeast key: UnsafeRawBufferPointer) throws -> Entry? { try move(MDB_SET_RANGE, key: key) }

    /// Positions at `key` itself; nil when it is absent. A cursor already on the leaf page that
    /// holds `key` searches only that page (LMDB checks it first), so walking keys in order
    /// through one cursor spares the descent from the root that `Transaction.get` makes.
    public func seek(exactly key: UnsafeRawBufferPointer) throws -> Entry? { try move(MDB_SET_KEY, key: key) }

    public func seek(atLeast key: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { try seek(atLeast: $0) }
    }

    /// `seek(exactly:)` for walks that miss often: a range seek, so a miss leaves the cursor
    /// on the next key, where the next search in key order begins.
    public func seek(exactly key: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { k in
            guard let e = try seek(atLeast: k), e.key.elementsEqual(k) else { return nil }
            return e
        }
    }

    /// Puts `value` under `key` and positions the cursor there (write transactions only). Like
    /// `Transaction.put`, except that a cursor already on the leaf page where `key` goes
    /// searches only that page: puts in key order through one cursor skip most descents.
    public func put(_ key: [UInt8], _ value: [UInt8], flags: Transaction.PutFlags = []) throws {
        try key.withUnsafeBytes { kb in
            try value.withUnsafeBytes { vb in
                var k = MDB_val(mv_size: kb.count, mv_data: UnsafeMutableRawPointer(mutating: kb.baseAddress))
                var v = MDB_val(mv_size: vb.count, mv_data: UnsafeMutableRawPointer(mutating: vb.baseAddress))
                try LMDBError.check(mdb_cursor_put(handle, &k, &v, flags.rawValue), "put at cursor on \(table.name)")
            }
        }
    }

    /// `put` with `MDB_NOOVERWRITE`: returns false, changing nothing, when `key` is there.
    @discardableResult
    public func putIfAbsent(_ key: [UInt8], _ value: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { kb in
            try value.withUnsafeBytes { vb in
                var k = MDB_val(mv_size: kb.count, mv_data: UnsafeMutableRawPointer(mutating: kb.baseAddress))
                var v = MDB_val(mv_size: vb.count, mv_data: UnsafeMutableRawPointer(mutating: vb.baseAddress))
                let rc = mdb_cursor_put(handle, &k, &v, UInt32(MDB_NOOVERWRITE))
                if rc == MDB_KEYEXIST { return false }
                try LMDBError.check(rc, "put at cursor on \(table.name)")
                return true
            }
        }
    }

    /// Deletes the entry at the current position (write transactions only).
    public func deleteCurrent() throws {
        try LMDBError.check(mdb_cursor_del(handle, 0), "delete at cursor on \(table.name)")
    }
}
