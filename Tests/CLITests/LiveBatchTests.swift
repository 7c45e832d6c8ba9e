// CLITests: a running `search --batch`: it answers each query before the next one arrives (a
// coprocess can wait for it), and it maps its index with huge pages advised, as /proc shows.
import Foundation
import XCTest

final class LiveBatchTests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try indexSampleArchive()
    }

    func testEachQueryIsAnsweredBeforeTheNextArrives() throws {
        let batch = try LiveBatchSearch(["--index", indexPath], in: tmp)
        for (number, query) in ["harbour", "\"no such phrase here\""].enumerated() {
            let answer = try batch.ask(query)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any], answer)
            XCTAssertEqual(object["query"] as? Int, number + 1, answer)
            XCTAssertNotNil(object["count"] as? Int, answer)
        }
        XCTAssertEqual(try batch.finish(), 0)
    }

    func testItsIndexMappingAsksForHugePages() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/smaps"),
              FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled") else {
            throw XCTSkip("reads a process's mappings from /proc, on a kernel with transparent huge pages")
        }
        let batch = try LiveBatchSearch(["--index", indexPath], in: tmp)
        _ = try batch.ask("harbour")  // answered: the index is open and set up
        // Read to the end: /proc files report no size, and a one-shot read of one stops at 4 KiB.
        let proc = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(batch.pid)/smaps"))
        let smaps = String(decoding: try proc.readToEnd() ?? Data(), as: UTF8.self)
        try proc.close()
        let flags = try XCTUnwrap(Self.vmFlags(ofMappingEndingWith: "/data.mdb", in: smaps), "no data.mdb mapping")
        XCTAssertTrue(flags.contains("hg"), "VmFlags of data.mdb: \(flags)")
        XCTAssertFalse(flags.contains("nh"), "VmFlags of data.mdb: \(flags)")
        XCTAssertEqual(try batch.finish(), 0)
    }

    /// The flags of the first mapping whose header names a path ending in `suffix`.
    static func vmFlags(ofMappingEndingWith suffix: String, in smaps: String) -> [String]? {
        var inMapping = false
        for line in smaps.split(separator: "\n") {
            // A mapping's header starts with its address range; its fields with a name and a
            // colon ("Rss:", "VmFlags:").
            let first = line.split(separator: " ").first ?? ""
            if first.contains("-") && !first.hasSuffix(":") {
                if inMapping { return nil }
                inMapping = line.hasSuffix(suffix)
            } else if inMapping && line.hasPrefix("VmFlags:") {
                return line.dropFirst("VmFlags:".count).split(separator: " ").map(String.init)
            }
        }
        return nil
    }
}
