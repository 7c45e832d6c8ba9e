// IndexQueryTests: both meta pages of a packed copy describe the finished copy, since LMDB may
// open either: it picks a page by the parity of lock.mdb's commit number, which stays stale
// while another process keeps the index open when the copy is renamed in.
@testable import InvertedIndex
import Foundation
import Storage
import XCTest

final class PackedMetaPagesTests: XCTestCase {
    func testTheOlderMetaPageOfAPackedCopyHoldsItToo() throws {
        let path = temporaryDirectory("packed")
        defer { removeDirectory(path) }
        let docs = (0..<1_500).map { DocumentInput(externalID: "d\($0)", title: "", body: "heron \($0) on the weir w\($0 * 7) x\($0 % 97)", date: nil) }
        let writer = try IndexWriter(store: try IndexStore.openOrCreate(path: path, stemmer: "none", deferSync: true))
        for d in docs { try writer.add(PendingDocument { d }) }
        _ = try writer.finish()
        XCTAssertTrue(try writer.store.packIfWorthIt(), "a first run packs")

        // LMDB 0.9's meta page: a 16-byte page header, then magic, version, address, map size,
        // two 48-byte table records and the last page, before the commit number.
        let file = URL(fileURLWithPath: path + "/data.mdb")
        var bytes = try Data(contentsOf: file)
        let pageSize = 4_096, txnidOffset = 16 + 4 + 4 + 8 + 8 + 2 * 48 + 8
        func txnid(_ page: Int) -> UInt64 {
            bytes.subdata(in: page * pageSize + txnidOffset ..< page * pageSize + txnidOffset + 8)
                .withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        }
        let newer = txnid(0) > txnid(1) ? 0 : 1
        XCTAssertGreaterThan(txnid(newer), 0)
        // Commit number 0 on the newer page: LMDB opens the older one.
        bytes.replaceSubrange(newer * pageSize + txnidOffset ..< newer * pageSize + txnidOffset + 8, with: Data(count: 8))
        try bytes.write(to: file)

        let store = try IndexStore.open(path: path, readOnly: true)
        let meta = try IndexStore.readMeta(env: store.env, table: store.table(Format.TableName.meta))
        XCTAssertNotNil(meta["packed-pages"], "the older page was the copy before its last entry")
        XCTAssertEqual(try IndexReader(store: store).documentCount, docs.count)
    }
}
