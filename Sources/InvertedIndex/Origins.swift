// InvertedIndex: the numbers of the JSON Lines files records are read from (the `origins` table).
// Owns giving a new file its number (the writer) and reading the numbers back as paths.
import Storage

/// `origins` maps a JSON Lines file's path to its number (u32 big-endian), from 1, never
/// reused; a record's source stamp keeps its file's number (0: none). The writer loads the
/// table on the first record that has a file and gives new files the next numbers; they are
/// written in the batch of the first record that uses them, so a committed record's number is
/// always in the table.
final class OriginNumbers {
    /// By the path's bytes (`ExactID`): two files named "café" with the accent composed and
    /// combining had shared one number, so the records of one were taken for the other's.
    private var numbers: [ExactID: UInt32]?
    private var next: UInt32 = 1

    /// The number of `path`, appending to `new` a number given now.
    func number(for path: String, store: IndexStore, new: inout [(path: String, number: UInt32)]) throws -> UInt32 {
        let known = try loaded(store)
        if let n = known[ExactID(path)] { return n }
        let n = next
        next += 1
        numbers![ExactID(path)] = n
        new.append((path, n))
        return n
    }

    /// Every file by number, as committed and as given by this run.
    func paths(store: IndexStore) throws -> [UInt32: String] {
        Dictionary(uniqueKeysWithValues: try loaded(store).map { ($0.value, String(decoding: $0.key.bytes, as: UTF8.self)) })
    }

    private func loaded(_ store: IndexStore) throws -> [ExactID: UInt32] {
        if let numbers { return numbers }
        let read = try store.env.read { try Self.read(txn: $0, table: store.table(Format.TableName.origins)) }
        numbers = read
        next = (read.values.max() ?? 0) + 1
        return read
    }

    static func read(txn: Transaction, table: Table) throws -> [ExactID: UInt32] {
        var out: [ExactID: UInt32] = [:]
        let cursor = try txn.cursor(table)
        var entry = try cursor.first()
        while let e = entry {
            guard e.value.count == 4 else { throw IndexError.corrupt("origins: '\(String(decoding: e.key, as: UTF8.self))' maps to \(e.value.count) bytes") }
            out[ExactID(bytes: Array(e.key))] = Keys.readBigEndian(e.value)
            entry = try cursor.next()
        }
        return out
    }

    static func write(_ new: [(path: String, number: UInt32)], txn: Transaction, table: Table) throws {
        for (path, number) in new { try txn.put(table, Array(path.utf8), Keys.bigEndian(number)) }
    }
}
