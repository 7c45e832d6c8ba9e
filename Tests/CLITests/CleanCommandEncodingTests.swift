// CLITests: `newsidx clean` reads a page's bytes as `newsidx index` does: UTF-16 with a byte
// order mark is text, not a binary file.
import Foundation
import XCTest

final class CleanCommandEncodingTests: CLITestCase {
    private let sentence = "Le café de la Gare, tenu par Mme Müller depuis 1998, doit fermer ses portes à la fin du mois, selon la mairie."

    /// `text` as UTF-16 with its byte order mark, little- or big-endian, as Windows editors save it.
    private func writeUTF16(_ name: String, _ text: String, littleEndian: Bool) throws -> String {
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            let (low, high) = (UInt8(unit & 0xFF), UInt8(unit >> 8))
            bytes += littleEndian ? [low, high] : [high, low]
        }
        let url = tmp.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// It had failed with "binary file (it has NUL bytes)", exit 2, for a file `index` reads.
    func testAUTF16PageIsCleanedAsText() throws {
        let html = "<html><head><meta charset=\"utf-16\"><title>Café owner fights closure</title></head>"
            + "<body><article><h1>Café owner fights closure</h1><p>\(sentence)</p></article></body></html>"
        let pages = [
            try writeUTF16("le.html", html, littleEndian: true),
            try writeUTF16("be.html", html, littleEndian: false),
            try writeUTF16("le.txt", "Café owner fights closure\n\n\(sentence)\n", littleEndian: true),
        ]
        for path in pages {
            let r = try newsidx("clean", "--format", "json", path)
            XCTAssertEqual(r.status, 0, r.description)
            let article = try XCTUnwrap(try r.jsonLines().first)
            XCTAssertEqual(article["title"] as? String, "Café owner fights closure", path)
            XCTAssertEqual(article["body"] as? String, sentence, path)
        }
    }
}
