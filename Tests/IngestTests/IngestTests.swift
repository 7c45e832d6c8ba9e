// IngestTests: JSON Lines records, compressed inputs, directory walks and their problems.
import CZstd
@testable import Ingest
import InvertedIndex
import XCTest
import Foundation

final class IngestTests: XCTestCase {
    func testJSONRecordFieldsAndEscapes() throws {
        let line = Array(#"{"id": 42, "title": "A \"quoted\" title", "text": "caf\u00e9 \ud83d\ude00\nnext", "tags": ["x", {"y": 1}], "date": "1987-02-26T10:00:00", "n": null}"#.utf8)
        let f = try JSONRecord.fields(line[...])
        XCTAssertEqual(f["id"], "42")
        XCTAssertEqual(f["title"], "A \"quoted\" title")
        XCTAssertEqual(f["text"], "café 😀\nnext")
        XCTAssertEqual(f["date"], "1987-02-26T10:00:00")
        XCTAssertNil(f["tags"])
        XCTAssertNil(f["n"])
    }

    /// Lines come back whole whatever chunks they arrive in, and one over the limit is passed
    /// over to its end, told by its length, without the lines around it losing their numbers.
    func testLinesAcrossChunksAndALineTooLongToKeep() throws {
        struct Chunks: ChunkSource {
            var pieces: [[UInt8]]
            mutating func nextChunk() throws -> [UInt8]? { pieces.isEmpty ? nil : pieces.removeFirst() }
        }
        // 22 bytes: just over the limit, often within the chunk that brings its newline.
        let text = "first\n" + String(repeating: "x", count: 50) + "\nthird line\n\n" + String(repeating: "y", count: 22) + "\nlast"
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes = Array(text.utf8)[...], pieces: [[UInt8]] = []
            while !bytes.isEmpty {
                let n = Int.random(in: 1...9, using: &rng)
                pieces.append(Array(bytes.prefix(n)))
                bytes = bytes.dropFirst(n)
            }
            var reader = LineReader(Chunks(pieces: pieces), maxLineBytes: 20)
            var seen: [String] = []
            while let line = try reader.nextLine() {
                switch line {
                case .bytes(let b): seen.append("\(reader.lineNumber) " + String(decoding: b, as: UTF8.self))
                case .tooLong(let length): seen.append("\(reader.lineNumber) too long: \(length)")
                }
            }
            XCTAssertEqual(seen, ["1 first", "2 too long: 50", "3 third line", "4 ", "5 too long: 22", "6 last"],
                           "\(pieces.map(\.count))")
        }
        // A line at the limit ending in CR LF is kept: the CR is no part of the record.
        var crlf = LineReader(Chunks(pieces: [Array((String(repeating: "z", count: 20) + "\r\nnext").utf8)]), maxLineBytes: 20)
        guard case .bytes(let line)? = try crlf.nextLine() else { return XCTFail("a 20-byte line with CR LF was refused") }
        XCTAssertEqual(line.count, 21)
    }

    func testMalformedJSONSaysWhere() {
        for (bad, column) in [(#"{"id": "x", "text": "unterminated"#, 34), (#"{"id" "x"}"#, 7), (#"[1, 2]"#, 1), (#"{"a": 1} trailing"#, 10)] {
            XCTAssertThrowsError(try JSONRecord.fields(Array(bad.utf8)[...]), bad) { error in
                XCTAssertEqual((error as? JSONSyntaxError)?.column, column, "\(bad): \(error)")
            }
        }
    }

    func testRecordWithoutTextIsAProblemWithFileAndLine() {
        XCTAssertThrowsError(try JSONLinesReader.record(Array(#"{"id": "a", "title": "t"}"#.utf8), path: "f.jsonl", line: 7, origin: "f.jsonl", options: IngestOptions())) { error in
            XCTAssertEqual("\(error)".prefix(10), "f.jsonl:7:")
        }
        let doc = try? JSONLinesReader.record(Array(#"{"id": "a", "contents": "body", "date": "2001-09-09 x"}"#.utf8), path: "f", line: 1, origin: "f", options: IngestOptions())
        XCTAssertEqual(doc?.body, "body")
        XCTAssertEqual(doc?.date, "2001-09-09")
    }

    /// A file is read in chunks as large as the file (plus a byte), at most 1 MiB: every size
    /// around those bounds reads back whole.
    func testFilesOfEverySizeReadBackWhole() throws {
        let dir = NSTemporaryDirectory() + "newsidx-sizes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for size in [0, 1, 4_095, 4_096, 4_097, 70_000, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 7] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
            let path = dir + "/f\(size)"
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            XCTAssertEqual(try readAll(path), bytes, "\(size) bytes")
        }
    }

    func testCompressedJSONLinesAndDirectoryWalk() throws {
        let dir = NSTemporaryDirectory() + "newsidx-ingest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/sub/.hidden", withIntermediateDirectories: true)
        var lines = ""
        for i in 0..<3000 { lines += #"{"id": "r\#(i)", "title": "T\#(i)", "text": "word\#(i) body"}"# + "\n" }
        lines += "not json\n"
        try lines.write(toFile: dir + "/sub/records.jsonl", atomically: true, encoding: .utf8)
        for tool in ["gzip", "zstd"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [tool, "-k", "-q", dir + "/sub/records.jsonl"]
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, tool)
        }
        try "Title\n\nBody text.".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try "Hidden\n\nnot indexed".write(toFile: dir + "/sub/.hidden/b.txt", atomically: true, encoding: .utf8)
        try "ignored".write(toFile: dir + "/notes.md", atomically: true, encoding: .utf8)
        try Data([0x41, 0x00, 0x42]).write(to: URL(fileURLWithPath: dir + "/bin.txt"))

        var ids: [String] = []
        var problems: [String] = []
        try ArchiveWalker.walk([dir], options: IngestOptions(), emit: { pending in
            do { if let d = try pending.prepare() { ids.append(d.externalID) } } catch { problems.append("\(error)") }
        }, problem: { problems.append("\($0)") })
        XCTAssertEqual(ids.filter { $0 == "r2999" }.count, 3, "plain, gzip and zstd copies all read to the end")
        XCTAssertTrue(ids.contains(dir + "/a.txt"))
        XCTAssertFalse(ids.contains { $0.contains(".hidden") || $0.hasSuffix(".md") })
        XCTAssertFalse(ids.contains { $0.hasSuffix("bin.txt") }, "a binary file met in a folder is passed over")
        XCTAssertFalse(problems.contains { $0.contains("bin.txt") }, "without a problem, as ripgrep passes it over")
        XCTAssertEqual(problems.filter { $0.contains("records.jsonl") && $0.contains(":3001:") }.count, 3, "\(problems)")
        try FileManager.default.removeItem(atPath: dir)
    }

    /// `gzip >> file`, pigz and bgzip write several gzip members one after another; every one is
    /// read, with zero padding after the last passed over as gzip(1) does (the first member alone
    /// had been read, the rest dropped without a problem).
    func testEveryMemberOfAGzipFileIsRead() throws {
        let dir = NSTemporaryDirectory() + "newsidx-gzip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var expected: [UInt8] = []
        var file = Data()
        for member in 0..<3 {
            // The middle member is larger than a read chunk, so a member ends inside a chunk and
            // another begins at a chunk's start.
            let size = member == 1 ? 3 << 20 : 5_000
            let text = (0..<size).map { UInt8(97 + ($0 &* 7 &+ member) % 26) }
            expected += text
            file += try gzipped(text, in: dir)
        }
        file += Data(repeating: 0, count: 512)
        try file.write(to: URL(fileURLWithPath: dir + "/members.txt.gz"))
        let read = try readAll(dir + "/members.txt.gz")
        XCTAssertTrue(read == expected, "read \(read.count) bytes of \(expected.count)")

        try (file + Data("not gzip".utf8)).write(to: URL(fileURLWithPath: dir + "/garbage.txt.gz"))
        XCTAssertThrowsError(try readAll(dir + "/garbage.txt.gz")) { error in
            XCTAssertTrue("\(error)".contains("not valid gzip data"), "\(error)")
        }
    }

    private func gzipped(_ bytes: [UInt8], in dir: String) throws -> Data {
        let path = dir + "/member"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gzip", "-f", "-q", path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return try Data(contentsOf: URL(fileURLWithPath: path + ".gz"))
    }

    /// A zstd frame's checksum is checked at its end: the whole file is decompressed first, so a
    /// damaged one is refused before any record of it is read; one cut short is not damaged.
    func testADamagedZstdFileIsRefusedWholeAndOneCutShortOrFollowedByOtherBytesIsNot() throws {
        let dir = NSTemporaryDirectory() + "newsidx-zstd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = Array((0..<3_000).map { #"{"id":"r\#($0)","text":"tern \#($0 * 7919 % 10007)"}"# }.joined(separator: "\n").utf8)
        var frame = try zstdWithChecksum(text)
        try Data(frame).write(to: URL(fileURLWithPath: dir + "/good.jsonl.zst"))
        XCTAssertNoThrow(try checkCompressedWhole(dir + "/good.jsonl.zst"))
        try Data(frame.prefix(frame.count / 2)).write(to: URL(fileURLWithPath: dir + "/cut.jsonl.zst"))
        XCTAssertNoThrow(try checkCompressedWhole(dir + "/cut.jsonl.zst"))
        try Data(frame + Array("garbage".utf8)).write(to: URL(fileURLWithPath: dir + "/trailing.jsonl.zst"))
        XCTAssertNoThrow(try checkCompressedWhole(dir + "/trailing.jsonl.zst"), "bytes after a whole frame leave it sound")
        try Data(frame + frame.prefix(frame.count / 2)).write(to: URL(fileURLWithPath: dir + "/second-cut.jsonl.zst"))
        XCTAssertNoThrow(try checkCompressedWhole(dir + "/second-cut.jsonl.zst"))
        var secondDamaged = frame + frame
        secondDamaged[frame.count + frame.count / 2] ^= 0x5A
        try Data(secondDamaged).write(to: URL(fileURLWithPath: dir + "/second-damaged.jsonl.zst"))
        XCTAssertThrowsError(try checkCompressedWhole(dir + "/second-damaged.jsonl.zst"), "a damaged second frame")
        frame[frame.count / 2] ^= 0x5A
        try Data(frame).write(to: URL(fileURLWithPath: dir + "/damaged.jsonl.zst"))
        XCTAssertThrowsError(try checkCompressedWhole(dir + "/damaged.jsonl.zst")) { error in
            XCTAssertTrue("\(error)".contains("nothing of it was indexed"), "\(error)")
        }
    }

    private func zstdWithChecksum(_ bytes: [UInt8]) throws -> [UInt8] {
        let context = ZSTD_createCCtx()
        defer { ZSTD_freeCCtx(context) }
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let written = out.withUnsafeMutableBytes { o in
            bytes.withUnsafeBytes { ZSTD_compress2(context, o.baseAddress, o.count, $0.baseAddress, $0.count) }
        }
        guard ZSTD_isError(written) == 0 else { throw IngestError(path: "test", "zstd compression failed") }
        return Array(out.prefix(written))
    }
}
