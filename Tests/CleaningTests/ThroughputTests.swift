// ThroughputTests: plain-text cleaning must stay far below indexing cost. Release builds must
// clean at least 25 MB/s (the aim is 100); debug builds only check that the workload completes.
import XCTest
@testable import Cleaning

final class ThroughputTests: XCTestCase {
    func testPlainTextThroughput() throws {
        let page = """
        Home | News | Sport
          • Weather
        Old ferry terminal to be demolished

        The harbour authority said on Monday that the old ferry terminal will be demolished in the autumn, and that a new building with a covered waiting room is planned for the same site.

        Residents who use the ferry every day told the council that the current terminal is cold in winter.
        Most Read
        Copyright © 2024 Harbour News

        """
        let pages = (0..<2_000).map { i in Array((page + "Story \(i)\n").utf8) }
        let bytes = pages.reduce(0) { $0 + $1.count }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for p in pages { XCTAssertFalse(Cleaner.clean(p, kind: .plainText).paragraphs.isEmpty) }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let megabytesPerSecond = Double(bytes) / 1_048_576 / max(seconds, 1e-9)
        print("plain-text cleaning: \(megabytesPerSecond) MB/s over \(pages.count) pages")
        #if !DEBUG
        XCTAssertGreaterThan(megabytesPerSecond, 25)
        #endif
    }
}
