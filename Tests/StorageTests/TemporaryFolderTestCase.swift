// StorageTests: a test case with a fresh folder for an LMDB environment, removed afterwards.
// Shared by the round-trip and page-fill tests, which each open their own environment there.
import XCTest
#if canImport(Glibc)
import Glibc
#endif

class TemporaryFolderTestCase: XCTestCase {
    var path = ""

    override func setUp() {
        path = "/tmp/newsidx-storage-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(path, 0o755)
    }

    override func tearDown() {
        for f in ["data.mdb", "lock.mdb"] { unlink(path + "/" + f) }
        rmdir(path)
    }
}
