// CLITests: the canonical cleaning case end to end. The seed page (an article followed by the
// page's teasers and widgets) is indexed through the CLI; its article is found, its tail is not.
import Foundation
import XCTest

final class SeedSearchTests: CLITestCase {
    func testSeedArticleIsFoundAndItsBoilerplateIsNot() throws {
        let seed = CLI.packageRoot.appendingPathComponent("../shared/corpora/seed").standardized
        guard FileManager.default.fileExists(atPath: seed.path) else {
            throw XCTSkip("../shared/corpora/seed is absent; seed search test skipped")
        }
        let indexed = try newsidx("index", "--index", indexPath, "--quiet", seed.path)
        XCTAssertEqual(indexed.status, 0, indexed.description)
        XCTAssertTrue(indexed.err.hasPrefix("added 1,"), indexed.err)
        for query in ["Rubicon", #""Free Syrian Army""#] {
            let r = try newsidx("search", "--index", indexPath, "--format", "paths", query)
            XCTAssertEqual(r.status, 0, "\(query) must find the article: \(r.description)")
            XCTAssertEqual(r.lines.count, 1, query)
        }
        for query in [#""Lena Dunham""#, "Clearwater", "Downton", #""hotel spas""#, #""Liam Payne""#] {
            let r = try newsidx("search", "--index", indexPath, "--count", query)
            XCTAssertEqual(r.status, 1, "\(query) is page boilerplate and must find nothing: \(r.description)")
        }
    }
}
