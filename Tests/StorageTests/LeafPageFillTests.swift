// StorageTests: LeafPageFill's arithmetic against LMDB itself: a value it says fits on the last
// page stays there, one two bytes longer starts a page; two of the largest fill a page, no overflow.
import Storage
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class LeafPageFillTests: TemporaryFolderTestCase {
    /// Appends under increasing 6-byte keys, noting in `fill` whether each started a page.
    struct Appender {
        let txn: Transaction
        let table: Table
        var fill: LeafPageFill
        var next: UInt32 = 0

        mutating func append(_ size: Int) throws -> Bool {
            let key = withUnsafeBytes(of: next.bigEndian) { Array($0) } + [0, 0]
            next += 1
            let before = try txn.leafPages(table)
            try txn.put(table, key, [UInt8](repeating: 0x5A, count: size), flags: .append)
            let started = try txn.leafPages(table) > before
            fill.appended(keySize: 6, valueSize: size, startedPage: started)
            return started
        }
    }

    func testPredictedRoomMatchesWhereLMDBPutsValues() throws {
        let env = try Environment(path: path)
        let table = try env.openTables(["t"], create: true)["t"]!
        var rng = SystemRandomNumberGenerator()
        try env.write { txn in
            var a = Appender(txn: txn, table: table, fill: LeafPageFill(pageSize: env.pageSize))
            XCTAssertNil(a.fill.valueFittingLastPage(keySize: 6), "unknown before any page start")
            XCTAssertTrue(try a.append(100), "the first value starts the first page")
            for _ in 0..<300 {
                let fitting = a.fill.valueFittingLastPage(keySize: 6)!
                if fitting > 0 && Bool.random(using: &rng) {
                    XCTAssertFalse(try a.append(fitting), "a value of \(fitting) bytes should have fit")
                } else if fitting + 2 <= a.fill.largestValue(keySize: 6) {
                    XCTAssertTrue(try a.append(fitting + 2), "a value of \(fitting + 2) bytes should not have fit")
                }
                _ = try a.append(Int.random(in: 0...a.fill.largestValue(keySize: 6), using: &rng))
            }
        }
    }

    func testLargestValueStaysOffOverflowPages() throws {
        let env = try Environment(path: path)
        let table = try env.openTables(["t"], create: true)["t"]!
        let fill = LeafPageFill(pageSize: env.pageSize)
        let largest = fill.largestValue(keySize: 6)
        try env.write { txn in
            try txn.put(table, [0, 0, 0, 0, 0, 0], [UInt8](repeating: 1, count: largest))
            try txn.put(table, [0, 0, 0, 1, 0, 0], [UInt8](repeating: 1, count: largest))
            XCTAssertEqual(try txn.stats(table).pages, 1, "two of the largest fill one page")
            try txn.put(table, [0, 0, 0, 2, 0, 0], [UInt8](repeating: 1, count: largest + 1))
            XCTAssertEqual(try txn.stats(table).overflowPages, 1, "one byte more goes to an overflow page")
        }
    }
}
