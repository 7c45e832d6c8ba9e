// CleanCorpusWordLossTests: texts that are already clean (BBC, Reuters, SciFact) must come
// through plain-text cleaning nearly whole: at most 1% of their words may be lost.
import Foundation
import XCTest
@testable import Cleaning

final class CleanCorpusWordLossTests: XCTestCase {
    static let maximumLoss = 0.01

    func testBBCArticlesKeepTheirWords() throws {
        var texts: [String] = []
        let root = CorpusFixtures.root + "/bbc"
        guard let sections = try? FileManager.default.contentsOfDirectory(atPath: root) else {
            throw XCTSkip("BBC corpus not found at \(root)")
        }
        for section in sections.sorted() {
            let directory = root + "/" + section
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for file in files where file.hasSuffix(".txt") {
                texts.append(String(decoding: try CorpusFixtures.read("bbc/\(section)/\(file)"), as: UTF8.self))
            }
        }
        try assertWordLoss(texts, corpus: "BBC")
    }

    func testReutersTextFieldsKeepTheirWords() throws {
        let path = CorpusFixtures.root + "/reuters21578/corpus.jsonl.gz"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("Reuters corpus not found at \(path)") }
        try assertWordLoss(try textFields(ofJSONLines: try gunzip(path)), corpus: "Reuters")
    }

    func testSciFactTextFieldsKeepTheirWords() throws {
        let data = try CorpusFixtures.read("relevance/scifact/corpus.jsonl")
        try assertWordLoss(try textFields(ofJSONLines: Data(data)), corpus: "SciFact")
    }

    /// Words are whitespace-separated tokens; the cleaned article's title counts as kept text.
    private func assertWordLoss(_ texts: [String], corpus: String) throws {
        XCTAssertFalse(texts.isEmpty, "\(corpus): no texts read")
        var before = 0
        var after = 0
        var worst: (loss: Double, text: String) = (0, "")
        for text in texts {
            let article = Cleaner.clean(Array(text.utf8), kind: .plainText)
            let original = wordCount(text)
            let kept = wordCount(article.title) + article.paragraphs.reduce(0) { $0 + wordCount($1) }
            before += original
            after += kept
            let loss = original == 0 ? 0 : Double(original - kept) / Double(original)
            if loss > worst.loss { worst = (loss, String(text.prefix(80))) }
        }
        let loss = Double(before - after) / Double(max(before, 1))
        print("word loss \(corpus): \(before - after) of \(before) words (\(loss * 100)%) over \(texts.count) texts; worst text loses \(worst.loss * 100)%: \(worst.text)")
        XCTAssertLessThanOrEqual(loss, Self.maximumLoss, "\(corpus) lost \(loss * 100)% of its words")
    }

    private func wordCount(_ s: String) -> Int {
        s.split(whereSeparator: { $0.isWhitespace }).count
    }

    private func textFields(ofJSONLines data: Data) throws -> [String] {
        try data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let record = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            return record?["text"] as? String
        }
    }

    private func gunzip(_ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}
