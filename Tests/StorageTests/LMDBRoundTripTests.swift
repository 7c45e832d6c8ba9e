// StorageTests: the LMDB layer: round trips, ordered cursors, append order, errors with codes,
// read-only environments and transactions that roll back.
import Foundation
import Storage
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class LMDBRoundTripTests: TemporaryFolderTestCase {
    func testPutGetAndOrderedCursor() throws {
        let env = try Environment(path: path)
        let table = try env.openTables(["t"], create: true)["t"]!
        try env.write { txn in
            for k in [3, 1, 2] { try txn.put(table, [UInt8(k)], Array("v\(k)".utf8)) }
        }
        try env.read { txn in
            let v = try txn.get(table, [2]).map { String(decoding: $0, as: UTF8.self) }
            XCTAssertEqual(v, "v2")
            XCTAssertNil(try txn.get(table, [9]))
            let c = try txn.cursor(table)
            var keys: [UInt8] = []
            var e = try c.first()
            while let entry = e { keys.append(entry.key[0]); e = try c.next() }
            XCTAssertEqual(keys, [1, 2, 3])
            XCTAssertEqual(try c.seek(atLeast: [2])?.key.first, 2)
            XCTAssertNil(try c.seek(atLeast: [4]))
        }
    }

    /// The size of the file an environment opened, even once another file has been renamed
    /// over its path (packing does that while readers open the index): measured by path, a
    /// reader opening then took the old file for a truncated one.
    func testOpenedFileSizeIsTheOpenedFilesAfterARename() throws {
        let env = try Environment(path: path)
        let table = try env.openTables(["t"], create: true)["t"]!
        try env.write { txn in for k in 0..<2_000 { try txn.put(table, Array("key \(k)".utf8), [UInt8](repeating: 7, count: 200)) } }
        let opened = try env.openedFileSize()
        XCTAssertGreaterThanOrEqual(opened, try env.requiredFileSize())
        let other = path + "/other"
        XCTAssertTrue(FileManager.default.createFile(atPath: other, contents: Data([1, 2, 3])))
        XCTAssertEqual(rename(other, path + "/data.mdb"), 0)
        XCTAssertEqual(try env.openedFileSize(), opened)
    }

    /// The writer looks keys up and puts them back in key order through one cursor, hits and
    /// misses interleaved, across many leaf pages: every lookup finds exactly what a fresh
    /// `get` finds, and every put (new keys between old ones, values of new sizes) lands where
    /// a fresh cursor walk finds it in order.
    func testKeyOrderedCursorLookupsAndPutsMatchFreshSearches() throws {
        let env = try Environment(path: path)
        let table = try env.openTables(["t"], create: true)["t"]!
        func key(_ k: Int) -> [UInt8] { [UInt8(k >> 8), UInt8(k & 0xFF)] }
        var expected: [Int: [UInt8]] = [:]
        try env.write { txn in
            for k in stride(from: 0, to: 6_000, by: 3) {
                expected[k] = [UInt8](repeating: UInt8(k % 251), count: 40)
                try txn.put(table, key(k), expected[k]!)
            }
        }
        try env.write { txn in
            let cursor = try txn.cursor(table)
            for k in 0..<6_000 where k % 2 == 0 {
                let found = try cursor.seek(exactly: key(k)).map { Array($0.value) }
                XCTAssertEqual(found, expected[k], "lookup of \(k)")
            }
            for k in 0..<6_000 where k % 2 == 0 {
                expected[k] = [UInt8](repeating: UInt8(k % 13), count: 10 + k % 70)
                try cursor.put(key(k), expected[k]!)
            }
        }
        try env.read { txn in
            for (k, value) in expected { XCTAssertEqual(try txn.get(table, key(k)).map { Array($0) }, value, "get \(k)") }
            let cursor = try txn.cursor(table)
            var walked: [Int] = []
            var e = try cursor.first()
            while let entry = e {
                walked.append(Int(entry.key[0]) << 8 | Int(entry.key[1]))
                e = try cursor.next()
            }
            XCTAssertEqual(walked, expected.keys.sorted())
        }
    }

    func testWriteCountsTheBytesItsCommitWrote() throws {
        let env = try Environment(path: path)
        let table = try env.openTables(["t"], create: true)["t"]!
        // 256 values of 1,000 bytes: at least 256 KB of leaf pages; a commit of one small value
        // writes a page or two.
        let large = try env.writeCountingBytes { txn in
            for k in 0..<256 { try txn.put(table, [UInt8(k)], [UInt8](repeating: UInt8(k), count: 1_000)) }
        }
        let small = try env.writeCountingBytes { txn in try txn.put(table, [0], [1]) }
        let largeBytes = try XCTUnwrap(large.bytes, "/proc/thread-self/io unreadable")
        let smallBytes = try XCTUnwrap(small.bytes)
        XCTAssertGreaterThanOrEqual(largeBytes, 256_000)
        XCTAssertLessThan(largeBytes, 1_000_000)
        XCTAssertGreaterThan(smallBytes, 0)
        XCTAssertLessThan(smallBytes, 64 * 1_024)
    }

    func testReleasingPastALimitDropsTheMappedPages() throws {
        let env = try Environment(path: path)
        let table = try env.openTables(["t"], create: true)["t"]!
        try env.write { txn in  // 4 MB in values of 2,000 bytes, each within a page
            for k in 0..<2_048 { try txn.put(table, [UInt8(k >> 8), UInt8(k & 0xFF)], [UInt8](repeating: 7, count: 2_000)) }
        }
        func readEverything() throws -> Int {
            try env.read { txn in
                let cursor = try txn.cursor(table)
                var sum = 0, entry = try cursor.first()
                while let e = entry { sum += Int(e.value[e.value.count / 2]); entry = try cursor.next() }
                return sum
            }
        }
        env.releaseMappedPages()
        let start = residentFileBytes()
        XCTAssertEqual(try readEverything(), 7 * 2_048)
        let read = residentFileBytes()
        XCTAssertGreaterThan(read - start, 3_000_000, "reading the table maps its pages")
        env.releaseMappedPages(ifResidentFileBytesExceed: read + 1_000_000)
        XCTAssertGreaterThan(residentFileBytes() - start, 3_000_000, "under the limit nothing is released")
        env.releaseMappedPages(ifResidentFileBytesExceed: read - 1_000_000)
        XCTAssertLessThan(residentFileBytes() - start, 1_000_000, "over it the mapping is dropped")
    }

    func testAppendRefusesOutOfOrderKeysWithTheLMDBCode() throws {
        let env = try Environment(path: path)
        let table = try env.openTables(["t"], create: true)["t"]!
        XCTAssertThrowsError(try env.write { txn in
            try txn.put(table, [5], [0], flags: .append)
            try txn.put(table, [4], [0], flags: .append)
        }) { error in
            let e = error as? LMDBError
            XCTAssertEqual(e?.code, -30799, "MDB_KEYEXIST")
            XCTAssertTrue(e?.description.contains("put into t") ?? false, "\(error)")
        }
        // The failed transaction rolled back entirely.
        try env.read { txn in XCTAssertNil(try txn.get(table, [5])) }
    }

    func testReadOnlyEnvironmentRefusesWrites() throws {
        do {
            let env = try Environment(path: path)
            let t = try env.openTables(["t"], create: true)["t"]!
            try env.write { try $0.put(t, [1], [1]) }
        }
        var options = Environment.Options()
        options.readOnly = true
        let ro = try Environment(path: path, options: options)
        let t = try ro.openTables(["t"], create: false)["t"]!
        XCTAssertEqual(try ro.read { try $0.get(t, [1])?.first }, 1)
        XCTAssertThrowsError(try ro.write { try $0.put(t, [2], [2]) })
    }

    func testDeleteAndStats() throws {
        let env = try Environment(path: path)
        let t = try env.openTables(["t"], create: true)["t"]!
        try env.write { txn in
            for k in 0..<100 { try txn.put(t, [UInt8(k)], [UInt8](repeating: 7, count: 50)) }
            XCTAssertTrue(try txn.delete(t, [10]))
            XCTAssertFalse(try txn.delete(t, [10]))
        }
        let stats = try env.read { try $0.stats(t) }
        XCTAssertEqual(stats.entries, 99)
        XCTAssertGreaterThan(stats.bytes, 0)
    }

    /// Pipelines hold `search --batch` coprocesses open, each a reader: LMDB's default of 126
    /// slots had been reached. Past the slots, the error says what to do, not LMDB's code alone.
    func testReaderSlotsAreManyAndRunningOutIsExplained() throws {
        let env = try Environment(path: path)
        _ = try env.openTables(["t"], create: true)
        let readers = try (0..<600).map { _ in try env.beginRead() }
        XCTAssertEqual(readers.count, 600)
        var few = Environment.Options()
        few.maxReaders = 2
        let other = path + "/few"
        mkdir(other, 0o755)
        let small = try Environment(path: other, options: few)
        _ = try small.openTables(["t"], create: true)
        let held = try (0..<2).map { _ in try small.beginRead() }
        XCTAssertThrowsError(try small.beginRead()) { error in
            XCTAssertTrue("\(error)".contains("more processes are reading the index at once"), "\(error)")
        }
        withExtendedLifetime((readers, held)) {}
    }

    func testMissingDirectoryIsAnError() {
        XCTAssertThrowsError(try Environment(path: path + "/absent")) { error in
            XCTAssertEqual((error as? LMDBError)?.isMissingFile, true, "\(error)")
        }
    }
}

/// This process's resident file-backed bytes: the third field of /proc/self/statm, in pages.
func residentFileBytes() -> Int {
    guard let f = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    guard fgets(&line, Int32(line.count), f) != nil else { return 0 }
    let fields = String(cString: line).split(separator: " ")
    return (fields.count > 2 ? Int(fields[2]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}
