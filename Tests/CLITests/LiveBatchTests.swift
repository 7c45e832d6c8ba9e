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

    /// A batch kept open answers from the index as `index` leaves it, also once a run packed
    /// the file (it had answered from the index as it was at its start for ever, and kept the
    /// replaced file mapped).
    func testItSeesWhatIndexRunsAddMeanwhile() throws {
        let batch = try LiveBatchSearch(["--index", indexPath], in: tmp)
        func count(_ query: String) throws -> Int? {
            let answer = try batch.ask(query)
            return (try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])?["count"] as? Int
        }
        XCTAssertEqual(try count("kumquat"), 0)
        let added = try write("late/one.txt", "Kumquat harvest\n\nGrowers began the kumquat harvest early this year.\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, added).status, 0)
        XCTAssertEqual(try count("kumquat"), 1, "a commit since the last query")
        let more = try write("late/two.txt", "Kumquat prices\n\nKumquat prices fell as the harvest came in.\n")
        let deleted = try newsidx("delete", "--index", indexPath, added)
        XCTAssertEqual(deleted.status, 0, deleted.description)
        XCTAssertEqual(try newsidx("index", "--index", indexPath, more).status, 0)
        XCTAssertEqual(try count("kumquat"), 1)
        XCTAssertEqual(try count("\"kumquat prices\""), 1)
        let maps = try String(contentsOfFile: "/proc/\(batch.pid)/maps", encoding: .utf8)
        XCTAssertFalse(maps.contains("data.mdb (deleted)"), "a replaced data file stays mapped: \(maps)")
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
