// CLITests: hostile input never crashes or hangs newsidx. Broken files (invalid UTF-8, NUL bytes,
// empty, one 50 MB line, 10,000 nested elements, malformed or text-less JSON Lines, corrupt
// compression) and hostile queries (unbalanced, lone operators, absurd distances, 10,000 terms,
// deep nesting, control characters, a prefix over a huge vocabulary) end in exit 0/1, or exit 2
// with a message that says what and where; a failing run loses nothing indexed before; a
// read-only index can be searched; a missing index says how to create one.
// Every run here has a time limit, so a hang fails its test instead of stalling the suite.
import Foundation
import XCTest

final class HostileInputTests: CLITestCase {
    // MARK: helpers

    /// Runs newsidx in the temporary folder with a time limit.
    func run(_ args: [String], stdin: Data = Data(), timeout: TimeInterval = 60,
             file: StaticString = #filePath, line: UInt = #line) throws -> BoundedRun {
        let exe = try CLI.requireExecutable(file: file, line: line)
        return try CLI.runBounded(exe, args, stdin: stdin, in: tmp, timeout: timeout)
    }

    func run(_ args: String..., stdin: String = "", timeout: TimeInterval = 60,
             file: StaticString = #filePath, line: UInt = #line) throws -> BoundedRun {
        try run(args, stdin: Data(stdin.utf8), timeout: timeout, file: file, line: line)
    }

    /// Fails unless the run ended by itself with one of `statuses` (no signal, no hang).
    @discardableResult
    func assertSurvived(_ r: BoundedRun, _ what: String, statuses: Set<Int32> = [0, 1, 2],
                        file: StaticString = #filePath, line: UInt = #line) -> Bool {
        XCTAssertFalse(r.timedOut, "\(what): hung: \(r.description)", file: file, line: line)
        XCTAssertLessThan(r.status, 128, "\(what): crashed: \(r.description)", file: file, line: line)
        XCTAssertTrue(statuses.contains(r.status), "\(what): exit \(r.status), expected one of \(statuses.sorted()): \(r.description)",
                      file: file, line: line)
        return !r.crashed && statuses.contains(r.status)
    }

    /// The ids of the hits for `query` in `index` (exit 0 or 1 required): documents, each once
    /// (`paths` lists identical copies' ids too).
    func ids(_ query: String, index: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Set<String> {
        let r = try run(["search", "--index", index ?? indexPath, "--limit", "1000", "--format", "jsonl", "--no-snippets", "--", query],
                        file: file, line: line)
        XCTAssertTrue(r.status == 0 || r.status == 1, "search \(query): \(r.description)", file: file, line: line)
        return Set(try r.result.jsonLines(file: file, line: line).compactMap { $0["id"] as? String })
    }

    func assertCheckPasses(index: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try run(["check", "--index", index ?? indexPath], timeout: 120, file: file, line: line)
        XCTAssertEqual(r.status, 0, "check: \(r.description)", file: file, line: line)
    }

    func documentCount(index: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let r = try run(["stats", "--index", index ?? indexPath, "--format", "json"], file: file, line: line)
        XCTAssertEqual(r.status, 0, r.description, file: file, line: line)
        let object = try XCTUnwrap(try r.result.jsonLines(file: file, line: line).first, file: file, line: line)
        return try XCTUnwrap(object["documents"] as? Int, file: file, line: line)
    }

    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    // MARK: hostile files

    func testInvalidUTF8InFilesAndRecordsIsIndexedNotFatal() throws {
        try writeBytes("in/plain.txt", bytes("Lantern keepers ") + [0xFF, 0xFE] + bytes(" gather ") + [0xC3]
            + bytes(" at dusk ") + [0xED, 0xA0, 0x80] + bytes(" surrogate ") + [0xF4, 0x90, 0x80, 0x80] + bytes(" over\n"))
        // (Paragraphs long enough that the cleaner keeps them as article text.)
        try writeBytes("in/page.html", bytes("<html><head><title>Bad ") + [0xFF] + bytes(" bytes</title></head><body><article><p>A quokka ")
            + [0xC0, 0xAF] + bytes(" was seen near the jetty café on Tuesday morning by two fishermen who had come down early to check ")
            + bytes("their lobster pots before the tide turned.</p><p>Rangers said the animal had probably swum across from ")
            + [0xE2, 0x82] + bytes(" the island, which it would not normally do in winter, and asked visitors to keep their distance.</p>")
            + bytes("</article></body></html>"))
        try writeBytes("in/recs.jsonl", bytes(#"{"id":"u1","title":"T "#) + [0xFF] + bytes(#"","text":"Walrus "#) + [0xFF, 0xFE]
            + bytes(#" colony grows"}"#) + [0x0A])
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index invalid UTF-8", statuses: [0]) else { return }
        XCTAssertEqual(try ids("lantern"), ["in/plain.txt"])
        XCTAssertEqual(try ids("dusk"), ["in/plain.txt"])
        XCTAssertEqual(try ids("quokka"), ["in/page.html"])
        XCTAssertEqual(try ids("walrus colony"), ["u1"])
        // Each input read with bytes that are not text says so, records as pages do.
        for place in ["in/plain.txt", "in/page.html", "in/recs.jsonl:1"] {
            XCTAssertTrue(r.err.contains("note: \(place): invalid UTF-8 replaced with U+FFFD"), "\(place): \(r.err)")
        }
        let show = try run("show", "--index", indexPath, "u1")
        assertSurvived(show, "show u1", statuses: [0])
        XCTAssertTrue(show.out.contains("Walrus"), show.description)
        try assertCheckPasses()
    }

    /// As ripgrep does, binary files met in a folder are passed over, counted as skipped (they
    /// had failed every run with exit 2); named on the command line, they are a problem.
    /// A text file whose lines end in CR alone (old Macs) is indexed with its title and shown
    /// without raw CRs: it had been one untitled line, its CRs reaching the terminal (QA helper).
    func testAFileWithCROnlyLineEndsKeepsItsTitle() throws {
        let lines = ["Harbour wall gives way", "", "The old harbour wall gave way in the storm on Sunday night, and the council closed the quay."]
        let path = try write("mac.txt", lines.joined(separator: "\r") + "\r")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, path).status, 0)
        let hit = try newsidx("search", "--index", indexPath, "--format", "jsonl", "--no-snippets", "title:harbour")
        XCTAssertEqual(hit.status, 0, hit.description)
        XCTAssertEqual(try hit.jsonLines().first?["title"] as? String, "Harbour wall gives way")
        let shown = try newsidx("show", "--index", indexPath, path)
        XCTAssertFalse(shown.out.contains("\r"), shown.out.debugDescription)
    }

    func testBinaryFilesAreSkippedInFoldersAndReportedWhenNamed() throws {
        try write("in/good.txt", "Otter census\n\nThe otter census counted forty otters along the estuary.\n")
        try writeBytes("in/image.txt", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D] + bytes(" binaryword here"))
        try writeBytes("in/blob.html", bytes("<html><body>binaryword") + [0, 0, 0] + bytes("</body></html>"))
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index a folder with binary files", statuses: [0]) else { return }
        XCTAssertTrue(r.err.contains("added 1, updated 0, removed 0, unchanged 0, skipped 2, problems 0"), r.err)
        XCTAssertEqual(try ids("otter"), ["in/good.txt"])
        XCTAssertEqual(try ids("binaryword"), [])
        XCTAssertEqual(try documentCount(), 1)
        let named = try run("index", "--index", indexPath, "in/image.txt", "in/blob.html")
        guard assertSurvived(named, "index binary files by name", statuses: [2]) else { return }
        for name in ["in/image.txt", "in/blob.html"] {
            XCTAssertTrue(named.err.contains("\(name): binary file"), "the message names \(name): \(named.err)")
        }
        try assertCheckPasses()
    }

    /// A paragraph opening with a number of 19 digits or more, where a dateline's year would
    /// stand, had overflowed the date reader: the whole run trapped (SIGILL), keeping nothing.
    func testALongNumberWhereADatelineStandsIsText() throws {
        try write("in/number.txt", "Big numbers\n\n12345678901234567890123 is the longest number the puzzle page printed.\n")
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index a page opening with a long number", statuses: [0]) else { return }
        XCTAssertEqual(try ids("puzzle"), ["in/number.txt"])
    }

    /// A text file that turns binary holds no document any more, as a fresh build of the folder
    /// has none for it: its old one had stayed searchable, even through `--prune`.
    func testAFileThatTurnsBinaryLosesItsDocument() throws {
        try write("in/good.txt", "Otter census\n\nThe otter census counted forty otters along the estuary.\n")
        try write("in/turned.txt", "Otter sighting\n\nAn otter was seen by the old mill this morning.\n")
        try write("in/named.txt", "Otter tracks\n\nOtter tracks crossed the mud flats at low tide.\n")
        XCTAssertEqual(try run("index", "--index", indexPath, "in").status, 0)
        XCTAssertEqual(try ids("otter").count, 3)
        try writeBytes("in/turned.txt", bytes("Otter sighting") + [0, 0, 0x0D] + bytes(" otter"))
        try writeBytes("in/named.txt", bytes("Otter tracks") + [0, 0, 0x0D] + bytes(" otter"))
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index a folder where a file turned binary", statuses: [0]) else { return }
        XCTAssertTrue(r.err.contains("removed 2,"), r.err)
        // Each named, as a file named on the command line is (the run had said only "removed 2").
        for name in ["in/turned.txt", "in/named.txt"] {
            XCTAssertTrue(r.err.contains("note: \(name): now a binary file (it has NUL bytes), so its document was removed"), r.err)
        }
        XCTAssertEqual(try ids("otter"), ["in/good.txt"])
        try write("in/named.txt", "Otter tracks\n\nOtter tracks crossed the mud flats at low tide.\n")
        XCTAssertEqual(try run("index", "--index", indexPath, "in").status, 0)
        try writeBytes("in/named.txt", bytes("Otter tracks") + [0, 0, 0x0D] + bytes(" otter"))
        let named = try run("index", "--index", indexPath, "in/named.txt")
        guard assertSurvived(named, "index a file by name that turned binary", statuses: [2]) else { return }
        XCTAssertTrue(named.err.contains("in/named.txt: binary file") && named.err.contains("removed 1,"), named.err)
        XCTAssertEqual(try ids("otter"), ["in/good.txt"])
        try assertCheckPasses()
    }

    /// A file whose path is longer than the system takes (PATH_MAX) cannot be indexed; the run
    /// says so and exits 2 (it had passed over the file without a word, exit 0).
    func testAPathTooLongToOpenIsReported() throws {
        try write("in/near.txt", "Kestrel count\n\nA kestrel hovered over the verge by the bypass.\n")
        // 1,400 folders of two letters: about 4,200 bytes, past Linux's 4,096, made one step at a
        // time from the folder before (no call spells out the whole path).
        var folder = open(tmp.appendingPathComponent("in").path, O_RDONLY | O_DIRECTORY)
        for _ in 0..<1400 {
            XCTAssertEqual(mkdirat(folder, "dd", 0o755), 0)
            let next = openat(folder, "dd", O_RDONLY | O_DIRECTORY)
            close(folder)
            folder = next
        }
        let deep = openat(folder, "deep.txt", O_WRONLY | O_CREAT, 0o644)
        XCTAssertEqual(Glibc.write(deep, "Deep file\n", 10), 10)
        close(deep)
        close(folder)
        defer { _ = try? CLI.runProgram(URL(fileURLWithPath: "/bin/rm"), ["-rf", "in"], in: tmp) }
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index a folder holding a path past PATH_MAX", statuses: [2]) else { return }
        XCTAssertTrue(r.err.contains("/dd: File name too long"), r.err)
        XCTAssertEqual(try ids("kestrel"), ["in/near.txt"])
    }

    /// Latin-1 text without a declared charset is read as Windows-1252 in HTML pages as in text
    /// files: "café" is found by cafe (the page's had been "caf\u{FFFD}", with a note).
    func testUndeclaredLatin1IsReadTheSameInTextAndHTML() throws {
        let sentence = bytes("The caf") + [0xE9] + bytes(" by the ferry pier served breakfast to the crews before the first crossing of the day.")
        try writeBytes("in/note.txt", bytes("Ferry breakfast\n\n") + sentence + bytes("\n"))
        try writeBytes("in/page.html", bytes("<html><body><h1>Ferry breakfast</h1><p>") + sentence + bytes("</p></body></html>"))
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index undeclared Latin-1", statuses: [0]) else { return }
        XCTAssertFalse(r.err.contains("U+FFFD"), r.err)
        XCTAssertEqual(try ids("cafe"), ["in/note.txt", "in/page.html"])
    }

    /// Text saved as UTF-16 with a byte order mark (both byte orders) is text, not binary.
    func testUTF16TextWithAByteOrderMarkIsIndexed() throws {
        let text = "Heron watch\n\nA grey heron fished by the café weir.\n"
        let units = Array(text.utf16)
        try writeBytes("in/le.txt", [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        try writeBytes("in/be.txt", [0xFE, 0xFF] + units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        let r = try run("index", "--index", indexPath, "in/le.txt", "in/be.txt")
        guard assertSurvived(r, "index UTF-16 text", statuses: [0]) else { return }
        XCTAssertTrue(r.err.contains("added 1,") && r.err.contains("skipped 1,"), "the same text twice: \(r.err)")
        XCTAssertEqual(try ids("\"heron fished\" cafe title:heron").count, 1)
        try assertCheckPasses()
    }

    /// A file whose name is not valid UTF-8 cannot be named by an id; it is reported (it had
    /// been dropped without a word), and the rest indexed.
    func testAFileNameThatIsNotUTF8IsReported() throws {
        try write("names/ok.txt", "Heron\n\nA heron on the weir.\n")
        let made = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"),
                                      ["-c", #"printf 'Grebe\n\nA grebe.\n' > "names/$(printf 'bad\377\376name.txt')""#], in: tmp)
        XCTAssertEqual(made.status, 0, made.description)
        let r = try run("index", "--index", indexPath, "names")
        guard assertSurvived(r, "index a badly named file", statuses: [2]) else { return }
        XCTAssertTrue(r.err.contains("name.txt: file name is not valid UTF-8; skipped"), r.err)
        XCTAssertTrue(r.err.contains("added 1,") && r.err.contains("problems 1"), r.err)
        XCTAssertEqual(try ids("heron"), ["names/ok.txt"])
        // Named on the command line (through a shell, which passes the bytes as they are), it
        // had been reported as "No such file or directory".
        let named = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", #""$0" index --index "$1" "names/$(printf 'bad\377\376name.txt')""#,
                                                                         try CLI.requireExecutable().path, indexPath], in: tmp)
        XCTAssertEqual(named.status, 2, named.description)
        XCTAssertTrue(named.err.contains("name.txt: file name is not valid UTF-8; skipped"), named.err)
        XCTAssertFalse(named.err.contains("No such file"), named.err)
        // `clean` reads the page by the same name, and had said the same.
        let cleaned = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", #""$0" clean "names/$(printf 'bad\377\376name.txt')""#,
                                                                           try CLI.requireExecutable().path], in: tmp)
        XCTAssertEqual(cleaned.status, 2, cleaned.description)
        XCTAssertTrue(cleaned.err.contains("name.txt: file name is not valid UTF-8"), cleaned.err)
        XCTAssertFalse(cleaned.err.contains("No such file"), cleaned.err)
    }

    /// "café" with a precomposed é and with e and a combining accent are two names on Linux,
    /// and two ids in the `ids` table; Swift's `String` equality, which takes them for one, had
    /// made them one document and dropped the other without a word, in files and in records.
    func testIdsThatDifferOnlyInHowAnAccentIsWrittenAreTwoDocuments() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        XCTAssertEqual(composed, decomposed, "the premise: Swift compares them as equal")
        try write("accents/\(composed).txt", "Razorbill\n\nA razorbill on the ledge.\n")
        try write("accents/\(decomposed).txt", "Guillemot\n\nA guillemot on the ledge.\n")
        try write("records.jsonl", #"{"id":"\#(composed)","text":"ledge composed"}"# + "\n" + #"{"id":"\#(decomposed)","text":"ledge decomposed"}"# + "\n")
        let r = try run("index", "--index", indexPath, "accents", "records.jsonl")
        guard assertSurvived(r, "index names differing in composition", statuses: [0]) else { return }
        XCTAssertTrue(r.err.contains("added 4,"), r.err)
        XCTAssertFalse(r.err.contains("more than once"), r.err)
        XCTAssertEqual(try matchCount("ledge"), 4)
        for id in [composed, decomposed] {
            XCTAssertEqual(try run("show", "--index", indexPath, id).status, 0, "record \(id.unicodeScalars.count) scalars")
        }
        try FileManager.default.removeItem(at: tmp.appendingPathComponent("accents/\(decomposed).txt"))
        let pruned = try run("index", "--index", indexPath, "--prune", "accents")
        XCTAssertTrue(pruned.err.contains("removed 1,"), "the file gone is pruned, though its twin stays: \(pruned.err)")
        XCTAssertEqual(try matchCount("guillemot"), 0)
        XCTAssertEqual(try matchCount("razorbill"), 1)
        // Two JSON Lines files so named had shared one file number: a record deleted from one
        // never came back when its file was read again.
        try write("dumps/\(composed).jsonl", #"{"id":"p1","text":"petrel one"}"# + "\n")
        try write("dumps/\(decomposed).jsonl", #"{"id":"p2","text":"petrel two"}"# + "\n")
        XCTAssertEqual(try run("index", "--index", indexPath, "dumps").status, 0)
        XCTAssertEqual(try run("delete", "--index", indexPath, "p1").status, 0)
        let again = try run("index", "--index", indexPath, "dumps")
        XCTAssertTrue(again.err.contains("added 1,"), "the deleted record comes back: \(again.err)")
        XCTAssertEqual(try matchCount("petrel"), 2)
        // A prune had kept the gone twin's read-whole entry, so the file put back was skipped.
        let twin = tmp.appendingPathComponent("dumps/\(decomposed).jsonl")
        let keep = try CLI.runProgram(URL(fileURLWithPath: "/bin/cp"), ["-p", twin.path, tmp.appendingPathComponent("twin.saved").path], in: tmp)
        XCTAssertEqual(keep.status, 0, keep.description)
        try FileManager.default.removeItem(at: twin)
        XCTAssertTrue(try run("index", "--index", indexPath, "--prune", "dumps").err.contains("removed 1,"))
        let back = try CLI.runProgram(URL(fileURLWithPath: "/bin/cp"), ["-p", tmp.appendingPathComponent("twin.saved").path, twin.path], in: tmp)
        XCTAssertEqual(back.status, 0, back.description)  // as it was, to the nanosecond
        let restored = try run("index", "--index", indexPath, "dumps")
        XCTAssertTrue(restored.err.contains("added 1,"), "the file put back is read: \(restored.err)")
        XCTAssertEqual(try matchCount("petrel"), 2)
        try assertCheckPasses()
    }

    func testNulBytesPastTheBinarySniffDoNotCrash() throws {
        // The binary check looks at the first 8 KiB; a NUL after that reaches the cleaner.
        try writeBytes("late.txt", Array(repeating: bytes("lateword "), count: 2_000).flatMap { $0 } + [0, 0]
            + bytes(" afternul words\n"))
        try writeBytes("nul.jsonl", bytes(#"{"id":"n1","text":"escaped \u0000 nul and raw "#) + [0] + bytes(#" nul heron"}"#) + [0x0A])
        let r = try run("index", "--index", indexPath, "late.txt", "nul.jsonl")
        guard assertSurvived(r, "index late NUL") else { return }
        if r.status == 2 {
            XCTAssertTrue(r.err.contains("late.txt") || r.err.contains("nul.jsonl"), r.err)
        }
        let late = try ids("lateword")
        XCTAssertTrue(late == ["late.txt"] || (late.isEmpty && r.err.contains("late.txt")), "\(late) \(r.err)")
        try assertCheckPasses()
    }

    func testEmptyAndBlankFilesDoNotFailTheRun() throws {
        try write("in/empty.txt", "")
        try write("in/empty.html", "")
        try write("in/empty.jsonl", "")
        try write("in/blank.jsonl", "\n\n   \n\t\r\n")
        try write("in/spaces.txt", "   \n\t\n")
        try write("in/tags.html", "<html><body></body></html>")
        try write("in/good.txt", "Beacon lit\n\nThe harbour beacon was lit at dusk.\n")
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index empty files", statuses: [0]) else { return }
        XCTAssertEqual(try ids("beacon"), ["in/good.txt"])
        try assertCheckPasses()
        // Indexing them again changes nothing and still succeeds.
        let again = try run("index", "--index", indexPath, "in")
        assertSurvived(again, "index empty files again", statuses: [0])
    }

    func testFiftyMegabyteOneLineFileIndexesInReasonableTime() throws {
        // 50 MB of words on one line, from a 5,000-word vocabulary, with a marker at each end.
        let vocabulary = (0..<5_000).map { Array("w\($0)x ".utf8) }
        var block: [UInt8] = []
        var i = 0
        while block.count < 1 << 20 { block += vocabulary[(i * 7919) % vocabulary.count]; i += 1 }
        var data = Data(capacity: 50_000_000 + 64)
        data.append(contentsOf: Array("firstmarker ".utf8))
        while data.count + block.count < 50_000_000 { data.append(contentsOf: block) }
        data.append(contentsOf: Array(repeating: UInt8(ascii: "z"), count: 50_000_000 - data.count - 12))
        data.append(contentsOf: Array(" lastmarker\n".utf8))
        XCTAssertEqual(data.count, 50_000_000)
        let path = tmp.appendingPathComponent("huge.txt")
        try data.write(to: path)

        let r = try run(["index", "--index", indexPath, path.path], timeout: 300)
        print("HostileInputTests: indexing a 50 MB one-line file took \(String(format: "%.1f", r.seconds)) s")
        guard assertSurvived(r, "index 50 MB line", statuses: [0]) else { return }
        XCTAssertLessThan(r.seconds, 60, "indexing one 50 MB line took \(r.seconds) s")
        XCTAssertEqual(try ids("firstmarker"), [path.path])
        XCTAssertEqual(try ids("lastmarker"), [path.path])
        XCTAssertEqual(try ids("w17x"), [path.path])
        let count = try run(["search", "--index", indexPath, "--count", "w1x NEAR/3 w2x"], timeout: 120)
        assertSurvived(count, "NEAR over a 50 MB document")
    }

    /// A document may take 64 MiB: a larger text file, or a JSON Lines record whose line is
    /// larger, is reported with its place and skipped, and the rest is indexed (a 500 MB file
    /// had taken 3.9 GB and then trapped; a 2 GB record in a small .gz had run for minutes).
    func testDocumentsOverTheLimitAreReportedAndSkipped() throws {
        let huge = String(repeating: "w1x w2x w3x ", count: (64 << 20) / 12 + 1)
        let big = try write("docs/big.txt", "Big file\n\n" + huge)
        _ = try write("docs/small.txt", "Small file\n\nA harbour wall held through the storm.\n")
        let records = [#"{"id":"before","text":"harbour before"}"#, #"{"id":"huge","text":"\#(huge)"}"#,
                       #"{"id":"after","text":"harbour after"}"#]
        let jsonl = try write("records.jsonl", records.joined(separator: "\n") + "\n")
        let r = try run(["index", "--index", indexPath, tmp.appendingPathComponent("docs").path, jsonl], timeout: 300)
        assertSurvived(r, "index documents over the limit", statuses: [2])
        XCTAssertTrue(r.err.contains("\(big): larger than the 64 MiB a document may take"), r.err)
        XCTAssertTrue(r.err.contains("\(jsonl):2: record of 67108"), r.err)
        XCTAssertTrue(r.err.contains("bytes is larger than the 64 MiB (67108864 bytes) a document may take"), r.err)
        XCTAssertEqual(Set(try ids("harbour")), [tmp.appendingPathComponent("docs/small.txt").path, "before", "after"])
        XCTAssertEqual(try ids("w1x"), [])
    }

    func testTenThousandLevelNestedHTML() throws {
        let depth = 10_000
        let nested = "<html><head><title>Deep page</title></head><body>" + String(repeating: "<div>", count: depth)
            + "<p>The narwhal surfaced near the reef at dawn.</p>" + String(repeating: "</div>", count: depth) + "</body></html>"
        try write("in/deep.html", nested)
        // Never closed, mixed elements.
        try write("in/unclosed.html", "<html><body>" + String(repeating: "<div><span><b><table><tr><td>", count: depth)
            + "Beluga pod seen offshore")
        // Deep inline nesting inside one paragraph.
        try write("in/inline.html", "<html><body><p>Orca " + String(repeating: "<i><b>", count: depth) + "sighting"
            + String(repeating: "</b></i>", count: depth) + " reported.</p></body></html>")
        let r = try run(["index", "--index", indexPath, "in"], timeout: 120)
        guard assertSurvived(r, "index nested HTML", statuses: [0]) else { return }
        XCTAssertEqual(try ids("narwhal"), ["in/deep.html"])
        XCTAssertEqual(try ids("beluga"), ["in/unclosed.html"])
        XCTAssertEqual(try ids("orca"), ["in/inline.html"])
        let clean = try run(["clean", tmp.appendingPathComponent("in/deep.html").path], timeout: 120)
        assertSurvived(clean, "clean nested HTML", statuses: [0])
        XCTAssertTrue(clean.out.contains("narwhal"), clean.description)
        try assertCheckPasses()
    }

    func testMalformedJSONLinesAreReportedWithFileLineAndColumnAndTheRestIndexed() throws {
        let deepArray = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let lines: [String] = [
            #"{"id":"m1","text":"puffin one"}"#,                             // 1 good
            #"{"id":"m2","text":"puffin tw"#,                                // 2 truncated
            #"["not","an","object"]"#,                                       // 3 not an object
            #"{"id":"m4","text":"bad \q escape"}"#,                         // 4 unknown escape
            #"{"id":"m5","text":"puffin five"} trailing"#,                   // 5 text after the object
            #"{"id":"m6","text":"puffin six""#,                              // 6 unclosed object
            #"{"id":"m7","meta":"# + deepArray + #","text":"puffin seven"}"#,  // 7 good, 10,000-deep field
            #"{"id":"m8","meta":"# + String(repeating: "[", count: 10_000),  // 8 never closed
            #"{"id":"m9","text":"bad \u12 escape"}"#,                        // 9 short \u escape
            #"{"id":"m10","text":tru}"#,                                     // 10 bad literal
            #"{"id":"m11" "text":"missing colon"}"#,                         // 11
            #"{"id":"m12","text":"puffin twelve"}"#,                         // 12 good
        ]
        let path = try write("bad.jsonl", lines.joined(separator: "\n") + "\n")
        let r = try run("index", "--index", indexPath, path)
        guard assertSurvived(r, "index malformed JSONL", statuses: [2]) else { return }
        for number in [2, 3, 4, 5, 6, 8, 9, 10, 11] {
            let prefix = "\(path):\(number):"
            let line = r.err.split(separator: "\n").first { $0.contains(prefix) }
            XCTAssertNotNil(line, "line \(number) is reported as \(prefix): \(r.err)")
            if let line { XCTAssertTrue(line.contains("column"), "line \(number) says the column: \(line)") }
        }
        for good in [1, 7, 12] {
            XCTAssertFalse(r.err.contains("\(path):\(good):"), "line \(good) is fine: \(r.err)")
        }
        XCTAssertEqual(try ids("puffin"), ["m1", "m7", "m12"])
        try assertCheckPasses()
    }

    func testJSONLRecordsWithoutTextAreReportedAndSkipped() throws {
        let lines = [
            #"{"id":"t1","title":"Only a title"}"#,
            #"{"id":"t2","text":"Kittiwake colony on the cliffs"}"#,
            #"{"id":"t3","title":"Null text","text":null}"#,
            #"{"id":"t4","text":["in","an","array"]}"#,
            #"{}"#,
            #"{"id":"t6","text":"Kittiwake chicks fledged"}"#,
        ]
        let path = try write("notext.jsonl", lines.joined(separator: "\n") + "\n")
        let r = try run("index", "--index", indexPath, path)
        guard assertSurvived(r, "index records without text", statuses: [2]) else { return }
        for number in [1, 3, 4, 5] {
            XCTAssertTrue(r.err.contains("\(path):\(number):"), "line \(number) reported: \(r.err)")
        }
        // A text that is there but not a string is named as such (it had been called missing).
        XCTAssertTrue(r.err.contains("\(path):3: record's \"text\" is not a string"), r.err)
        XCTAssertTrue(r.err.contains("\(path):4: record's \"text\" is not a string"), r.err)
        XCTAssertTrue(r.err.contains("\(path):1: record has no \"text\""), r.err)
        XCTAssertTrue(r.err.contains("text"), r.err)
        XCTAssertEqual(try ids("kittiwake"), ["t2", "t6"])
        XCTAssertEqual(try ids("title:title"), [])
    }

    /// Each file shows its first ten bad records and counts the rest (bytes that are no JSON
    /// had printed a line for every one); the summary and the exit status count them all.
    func testManyBadRecordsInOneFileAreCountedNotAllShown() throws {
        let bad = try write("in/bad.jsonl", (1...30).map { "not json \($0)\n" }.joined() + #"{"id":"ok","text":"gannet"}"# + "\n")
        try write("in/few.jsonl", "still not json\n")
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index many bad records", statuses: [2]) else { return }
        let shown = r.err.split(separator: "\n").filter { $0.contains("bad.jsonl:") && $0.contains("invalid JSON") }
        XCTAssertEqual(shown.count, 10, r.err)
        XCTAssertTrue(r.err.contains("\(bad.replacingOccurrences(of: tmp.path + "/", with: "")): 20 more records with problems, not shown"), r.err)
        XCTAssertTrue(r.err.contains("few.jsonl:1: invalid JSON"), r.err)
        XCTAssertTrue(r.err.contains("added 1,") && r.err.contains("problems 31 in"), r.err)
        XCTAssertEqual(try ids("gannet"), ["ok"])
    }

    /// An empty id had reached LMDB as an empty key: the whole run stopped with LMDB's error and
    /// nothing of it was indexed. An id with a NUL could be neither printed NUL-terminated nor
    /// given back as an argument.
    func testEmptyOrUnusableIdsAreReportedAndSkippedAndTheRestIndexed() throws {
        try write("notes/a.txt", "Puffin count\n\nPuffins returned to the stack in April.\n")
        let path = try write("notes/ids.jsonl", #"{"id":"","text":"puffin burrows"}"# + "\n"
            + #"{"_id":"","text":"puffin chicks"}"# + "\n" + #"{"id":"p3","text":"puffin ringing"}"# + "\n"
            + #"{"id":"nul\u0000id","text":"puffin nul"}"# + "\n" + #"{"id":"two\nlines","text":"puffin lines"}"# + "\n"
            + #"{"id":{"n":6},"text":"puffin object"}"# + "\n" + #"{"_id":[7],"text":"puffin array"}"# + "\n"
            + #"{"id":8,"text":"puffin number"}"# + "\n" + #"{"id":true,"text":"puffin boolean"}"# + "\n"
            + #"{"id":null,"_id":false,"text":"puffin nothing"}"# + "\n" + #"{"id":false,"_id":"p11","text":"puffin fallback"}"# + "\n")
        let r = try run("index", "--index", indexPath, "notes")
        guard assertSurvived(r, "index empty ids", statuses: [2]) else { return }
        XCTAssertTrue(r.err.contains("\(path.replacingOccurrences(of: tmp.path + "/", with: "")):1: record has an empty \"id\""), r.err)
        XCTAssertTrue(r.err.contains(":2: record has an empty \"id\""), r.err)
        XCTAssertTrue(r.err.contains(":4: record's \"id\" holds a NUL"), r.err)
        XCTAssertFalse(r.err.contains(":5:"), "a line break is allowed (paths0 keeps such ids apart): \(r.err)")
        // An id that is an object or an array had been taken for none: indexed as FILE:LINE.
        XCTAssertTrue(r.err.contains(":6: record's \"id\" is not a string or number"), r.err)
        XCTAssertTrue(r.err.contains(":7: record's \"_id\" is not a string or number"), r.err)
        // true and false had been taken for the ids "true" and "false".
        XCTAssertTrue(r.err.contains(":9: record's \"id\" is not a string or number"), r.err)
        XCTAssertTrue(r.err.contains(":10: record's \"id\" is not a string or number"), r.err)
        XCTAssertTrue(r.err.contains("added 5,"), r.err)
        XCTAssertEqual(try ids("puffin"), ["notes/a.txt", "p3", "two\nlines", "8", "p11"])
        for command in [["delete"], ["show"]] {
            let empty = try run(command + ["--index", indexPath, ""])
            guard assertSurvived(empty, "\(command[0]) ''", statuses: [1]) else { continue }
            XCTAssertTrue(empty.err.contains("no document with id ''"), empty.err)
        }
        let twice = try run("delete", "--index", indexPath, "p3", "p3")
        XCTAssertTrue(twice.err.contains("removed 1"), "an id given twice is one document: \(twice.description)")
        try assertCheckPasses()
    }

    func testStdinErrorsNameStdinAndTheLine() throws {
        let r = try run("index", "--index", indexPath, "-", stdin: #"{"id":"s1","text":"tern"}"# + "\n{oops\n"
            + #"{"id":"s3","text":"tern again"}"# + "\n")
        guard assertSurvived(r, "index stdin", statuses: [2]) else { return }
        XCTAssertTrue(r.err.contains("<stdin>:2:"), r.err)
        XCTAssertTrue(r.err.contains("column"), r.err)
        XCTAssertEqual(try ids("tern"), ["s1", "s3"])
    }

    func testCorruptCompressedInputsAreReportedByNameAndTheRestIndexed() throws {
        try write("in/good.txt", "Gannet dive\n\nA gannet dived beside the pilot boat.\n")
        try write("in/fake.jsonl.gz", "this is not gzip data at all")
        try write("in/fake.jsonl.zst", "nor is this zstd")
        try writeBytes("in/random.txt.gz", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) })
        // A real gzip stream of 400 records, cut in the middle: the records before the cut count.
        let records = (0..<400).map { #"{"id":"z\#($0)","text":"shearwater number \#($0) \#(String(repeating: "filler ", count: 30))"}"# }
        let source = tmp.appendingPathComponent("whole.jsonl")
        try Data((records.joined(separator: "\n") + "\n").utf8).write(to: source)
        let gz = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -c whole.jsonl"], in: tmp)
        XCTAssertEqual(gz.status, 0, gz.description)
        try writeBytes("in/cut.jsonl.gz", Array(gz.stdout.prefix(gz.stdout.count / 2)))
        try FileManager.default.removeItem(at: source)

        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index corrupt compressed files", statuses: [2]) else { return }
        for name in ["in/fake.jsonl.gz", "in/fake.jsonl.zst", "in/random.txt.gz", "in/cut.jsonl.gz"] {
            XCTAssertTrue(r.err.contains(name), "\(name) is named: \(r.err)")
        }
        XCTAssertEqual(try ids("gannet"), ["in/good.txt"])
        XCTAssertTrue(try ids("shearwater").contains("z0"), "records before the cut are indexed")
        try assertCheckPasses()
    }

    /// Files joined with `cat` keep each one's byte order mark at the start of a line: such a
    /// line had been "invalid JSON at column 1". A UTF-16 file is named as such.
    func testJSONLinesWithAByteOrderMarkOnAnyLineAndUTF16AreToldApart() throws {
        let mark = "\u{FEFF}"
        try write("in/joined.jsonl", mark + #"{"id":"j1","text":"kittiwake one"}"# + "\n" + mark + #"{"id":"j2","text":"kittiwake two"}"# + "\n")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in (#"{"id":"w1","text":"kittiwake wide"}"# + "\n").utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try writeBytes("in/wide.jsonl", utf16)
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index joined and UTF-16 JSON Lines", statuses: [2]) else { return }
        XCTAssertEqual(try ids("kittiwake"), ["j1", "j2"])
        XCTAssertTrue(r.err.contains("in/wide.jsonl: is UTF-16"), r.err)
        XCTAssertFalse(r.err.contains("joined.jsonl"), r.err)
    }

    /// A gzip member's CRC (as a zstd frame's checksum) is checked only at its end: read as it
    /// went, a damaged dump had its records indexed before the mismatch was found, replacing
    /// good documents with whatever the damage decoded to. The dump decompresses to several
    /// read chunks (1 MiB), so records before the damage are decoded before it is found.
    func testADamagedCompressedDumpIndexesNothingAndKeepsWhatWasIndexed() throws {
        func gzipDump(_ word: String) throws -> [UInt8] {
            let records = (0..<8_000).map { #"{"id":"p\#($0)","text":"\#(word) number \#($0) \#(String(repeating: "salt spray ", count: 30))"}"# }
            try Data((records.joined(separator: "\n") + "\n").utf8).write(to: tmp.appendingPathComponent("dump.jsonl"))
            let gz = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -c dump.jsonl && rm dump.jsonl"], in: tmp)
            XCTAssertEqual(gz.status, 0, gz.description)
            return Array(gz.stdout)
        }
        try writeBytes("in/dump.jsonl.gz", try gzipDump("petrel"))
        XCTAssertEqual(try run("index", "--index", indexPath, "in").status, 0)
        XCTAssertEqual(try matchCount("petrel"), 8_000)

        var damaged = try gzipDump("skua")
        damaged[damaged.count / 2] ^= 0x5A
        try writeBytes("in/dump.jsonl.gz", damaged)
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index a damaged dump", statuses: [2]) else { return }
        XCTAssertTrue(r.err.contains("in/dump.jsonl.gz") && r.err.contains("nothing of it was indexed"), r.err)
        XCTAssertEqual(try matchCount("skua"), 0)
        XCTAssertEqual(try matchCount("petrel"), 8_000)
        try assertCheckPasses()
    }

    /// Bytes after a gzip file's last whole member are no damage to the members (gzip(1) warns
    /// of trailing garbage and keeps what it decompressed): the records are indexed and the
    /// bytes reported. Read whole first, they had kept the file out.
    func testBytesAfterTheLastWholeMemberAreReportedAndTheRecordsIndexed() throws {
        let records = (0..<50).map { #"{"id":"t\#($0)","text":"fulmar \#($0)"}"# }
        try Data((records.joined(separator: "\n") + "\n").utf8).write(to: tmp.appendingPathComponent("trail.jsonl"))
        let gz = try CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -c trail.jsonl && rm trail.jsonl && echo garbage"], in: tmp)
        XCTAssertEqual(gz.status, 0, gz.description)
        try writeBytes("in/trail.jsonl.gz", Array(gz.stdout))
        let r = try run("index", "--index", indexPath, "in")
        guard assertSurvived(r, "index a gzip file with trailing bytes", statuses: [2]) else { return }
        XCTAssertTrue(r.err.contains("in/trail.jsonl.gz") && r.err.contains("after its last whole member"), r.err)
        XCTAssertEqual(try matchCount("fulmar"), 50)
    }

    /// A named pipe gives its bytes once: read whole first, the records' reading then waited
    /// for a writer forever.
    func testACompressedNamedPipeIsReadOnce() throws {
        let records = (0..<20).map { #"{"id":"f\#($0)","text":"skua \#($0)"}"# }
        try Data((records.joined(separator: "\n") + "\n").utf8).write(to: tmp.appendingPathComponent("pipe.jsonl"))
        let script = #"mkfifo in.jsonl.gz && (gzip -c pipe.jsonl > in.jsonl.gz &) && exec "$0" index --index "$1" in.jsonl.gz"#
        let r = try CLI.runBounded(URL(fileURLWithPath: "/bin/sh"), ["-c", script, try CLI.requireExecutable().path, indexPath],
                                   in: tmp, timeout: 30)
        guard assertSurvived(r, "index a compressed named pipe", statuses: [0]) else { return }
        XCTAssertEqual(try matchCount("skua"), 20)
    }

    private func matchCount(_ query: String) throws -> Int {
        let r = try run("search", "--index", indexPath, "--count", query)
        return Int(r.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func testMissingInputPathIsReportedWithItsName() throws {
        try write("good.txt", "Cormorant roost\n\nCormorants roost on the breakwater.\n")
        let r = try run("index", "--index", indexPath, "no-such-file.txt", "good.txt", "no-such-dir/")
        guard assertSurvived(r, "index missing paths", statuses: [2]) else { return }
        XCTAssertTrue(r.err.contains("no-such-file.txt"), r.err)
        XCTAssertTrue(r.err.contains("no-such-dir"), r.err)
        XCTAssertEqual(try ids("cormorant"), ["good.txt"])
    }

    func testAFailingRunLosesNothingIndexedBefore() throws {
        try indexHarbourFixture()
        let before = try ids("pier")
        XCTAssertEqual(before, ["tide-1", "tide-4"])
        try writeBytes("bad/bin.txt", bytes("binary") + [0, 1, 2])
        try write("bad/broken.jsonl", #"{"id":"b1","text":"plover nest"}"# + "\n{broken\n" + #"{"id":"b3"}"# + "\n")
        try write("bad/fake.jsonl.gz", "not gzip")
        let r = try run("index", "--index", indexPath, "bad", "missing.txt")
        guard assertSurvived(r, "failing index run", statuses: [2]) else { return }
        for what in ["bad/broken.jsonl:2:", "bad/broken.jsonl:3:", "bad/fake.jsonl.gz", "missing.txt"] {
            XCTAssertTrue(r.err.contains(what), "\(what): \(r.err)")
        }
        XCTAssertFalse(r.err.contains("bad/bin.txt"), "a binary file in a folder is passed over: \(r.err)")
        XCTAssertEqual(try ids("pier"), before)
        XCTAssertEqual(try ids("gulls"), ["tide-1", "tide-2"])
        XCTAssertEqual(try ids("plover"), ["b1"])
        XCTAssertEqual(try documentCount(), Fixture.harbourRecords.count + 1)
        try assertCheckPasses()
        // And a run that fails before reading anything (unknown stemmer) leaves it alone too.
        let refused = try run("index", "--index", indexPath, "--stemmer", "klingon", "bad")
        assertSurvived(refused, "refused run", statuses: [2])
        XCTAssertEqual(try ids("pier"), before)
    }

    func testLongTokensAndAHugeRecord() throws {
        let word = String(repeating: "x", count: 1_000_000)
        let record = #"{"id":"long","text":"prefix \#(word) suffix"}"#
        let path = try write("long.jsonl", record + "\n")
        let r = try run(["index", "--index", indexPath, path], timeout: 120)
        guard assertSurvived(r, "index a 1 MB word", statuses: [0]) else { return }
        XCTAssertEqual(try ids("suffix"), ["long"])
        // Tokens are cut to 120 bytes at index and query time alike (a query takes 64 KiB).
        let batch = try run(["search", "--index", indexPath, "--batch"], stdin: Data((word.prefix(60_000) + "\n").utf8), timeout: 60)
        assertSurvived(batch, "search a 60 KB word", statuses: [0])
        XCTAssertEqual(try batch.result.jsonLines().first?["count"] as? Int, 1, batch.out)
        try assertCheckPasses()
    }

    // MARK: hostile queries

    func testHostileQueriesExitTwoSayingWhere() throws {
        try indexHarbourFixture()
        // query, column of the culprit (nil: any column)
        let cases: [(String, Int?)] = [
            ("\"unbalanced quote", 1), ("pier \"", 6), ("(pier", 1), ("pier)", 5), ("((((", nil), ("))", 1),
            ("(pier OR (gulls)", nil), ("AND", 1), ("OR", 1), ("NOT", 1), ("NEAR", 1), ("NEAR/5", 1), ("ADJ/2", 1),
            ("-", nil), ("pier AND", 6), ("pier OR OR gulls", nil), ("pier NEAR/-1 gulls", 6),
            ("pier NEAR/999999999 gulls", 6), ("pier ADJ/999999999 gulls", 6),
            ("pier NEAR/99999999999999999999999999 gulls", 6), ("pier NEAR/ gulls", 6), ("pier NEAR/5x gulls", 6),
            ("*", 1), ("title:", 1), ("()", 1), ("\"\"", 1), ("-pier", nil), ("NOT pier", 1),
        ]
        var batchInput = ""
        for (query, column) in cases {
            let r = try run("search", "--index", indexPath, "--", query)
            guard assertSurvived(r, query, statuses: [2]) else { continue }
            XCTAssertEqual(r.out, "", query)
            XCTAssertTrue(r.err.hasPrefix("newsidx: "), "\(query): \(r.err)")
            if let column {
                XCTAssertTrue(r.err.contains("column \(column)"), "\(query): expected column \(column) in \(r.err)")
            } else {
                XCTAssertTrue(r.err.contains("column "), "\(query): expected a column in \(r.err)")
            }
            batchInput += query + "\n"
        }
        // The same through --batch: one error object per line, the rest go on, exit 2.
        let b = try run("search", "--index", indexPath, "--batch", stdin: batchInput + "pier\n")
        guard assertSurvived(b, "batch of bad queries", statuses: [2]) else { return }
        let objects = try b.result.jsonLines()
        XCTAssertEqual(objects.count, cases.count + 1, b.description)
        for (object, (query, _)) in zip(objects, cases) {
            XCTAssertTrue((object["error"] as? String)?.contains("column") == true, "\(query): \(object)")
        }
        XCTAssertEqual(objects.last?["count"] as? Int, 2)
    }

    func testDistanceBoundsAreAccepted() throws {
        try indexHarbourFixture()
        for (query, status) in [("pier NEAR/0 rail", Int32(0)), ("pier NEAR/100000 gulls", 0), ("old ADJ/0 pier", 0),
                                ("pier NEAR/100000 gulls NEAR/100000 rail", 0), ("walrus NEAR/100000 pier", 1),
                                ("pier ADJ/0 old", 1)] {
            let r = try run("search", "--index", indexPath, "--count", query)
            assertSurvived(r, query, statuses: [status])
        }
    }

    func testControlCharactersInQueries() throws {
        try indexHarbourFixture()
        for query in ["pier\u{01}\u{02}", "pier\tgulls", "pier\u{7F}", "\u{1B}[31mpier\u{1B}[0m", "pier\r\ngulls",
                      "pier\u{0B}\u{0C}gulls", "pi\u{08}er", "\u{200B}pier\u{FEFF}", "pier\u{85}gulls"] {
            let r = try run("search", "--index", indexPath, "--count", "--", query)
            assertSurvived(r, query.debugDescription)
            if r.status == 2 { XCTAssertTrue(r.err.contains("column"), "\(query.debugDescription): \(r.err)") }
        }
        let only = try run("search", "--index", indexPath, "--", "\u{01}\u{02}\u{03}")
        assertSurvived(only, "only control characters", statuses: [2])
        XCTAssertTrue(only.err.hasPrefix("newsidx: "), only.err)
        // Raw bytes through --batch: NUL, invalid UTF-8, ESC, and a lone CR.
        let raw = bytes("pi") + [0] + bytes("er\n") + [0xFF, 0xFE] + bytes(" pier\n") + [0x1B] + bytes("pier\n\r\npier\n")
        let b = try run(["search", "--index", indexPath, "--batch"], stdin: Data(raw))
        assertSurvived(b, "batch with raw control bytes")
        XCTAssertEqual(b.lines.count, 5, b.description)
    }

    /// Queries past the bounds are refused at once with the bound named (exit 2), whatever
    /// their shape; at the bounds they run. Unbounded, 10,000 ranked words had taken 10 s on
    /// news-combined, a chain of 200 NEARs 55 s, and a 50 MB --batch line passed 6 GB.
    func testQueriesPastTheirBoundsAreRefused() throws {
        try indexHarbourFixture()
        let words = (0..<10_000).map { "w\($0)" }
        let refused: [(String, [String], String, String)] = [
            ("10,000 words (AND)", [], words.joined(separator: " "), "more than 1024 words"),
            ("10,000 words and pier, ranked OR", ["--any"], (words + ["pier"]).joined(separator: " "), "more than 1024 words"),
            ("10,000 words, --words", ["--words", "--any"], (words + ["pier"]).joined(separator: " "), "words; at most 1024"),
            ("10,000 OR", [], words.prefix(5_000).joined(separator: " OR "), "more than 1024 words"),
            ("10,000-word phrase", [], "\"" + words.joined(separator: " ") + "\"", "more than 1024 words"),
            ("pier and 5,000 exclusions", [], "pier " + words.prefix(5_000).map { "-" + $0 }.joined(separator: " "), "more than 1024 words"),
            ("1,025 times the same word", [], Array(repeating: "pier", count: 1_025).joined(separator: " "), "more than 1024 words"),
            ("17 NEAR operands", [], words.prefix(17).joined(separator: " NEAR "), "at most 16 operands"),
            ("a query over 64 KiB", [], "pier " + String(repeating: "x", count: 65_536), "the query is 65541 bytes long; at most 65536 (64 KiB)"),
        ]
        for (what, options, query, message) in refused {
            let r = try run(["search", "--index", indexPath, "--count"] + options + ["--", query], timeout: 60)
            assertSurvived(r, what, statuses: [2])
            XCTAssertTrue(r.err.contains(message), "\(what): \(r.err)")
        }
        let accepted: [(String, [String], String, Set<Int32>)] = [
            ("1,024 words and pier, ranked OR", ["--any"], (words.prefix(1_023) + ["pier"]).joined(separator: " "), [0]),
            ("1,024 times the same word", [], Array(repeating: "pier", count: 1_024).joined(separator: " "), [0]),
            ("16 NEAR operands", [], words.prefix(16).joined(separator: " NEAR "), [1]),
            ("1,000 prefixes", ["--any"], words.prefix(1_000).map { $0 + "*" }.joined(separator: " "), [1]),
        ]
        for (what, options, query, statuses) in accepted {
            let r = try run(["search", "--index", indexPath, "--count"] + options + ["--", query], timeout: 60)
            assertSurvived(r, what, statuses: statuses)
        }
        // Through --batch (no argument length limit): a 1 MB line gets its error object, and
        // the next line its answer.
        let big = (0..<100_000).map { "w\($0)" }.joined(separator: " OR ") + " OR gulls\ngulls\n"
        let b = try run(["search", "--index", indexPath, "--batch"], stdin: Data(big.utf8), timeout: 120)
        assertSurvived(b, "a 1 MB line in --batch", statuses: [2])
        let answers = try b.result.jsonLines()
        XCTAssertEqual(answers.count, 2, b.out)
        XCTAssertTrue((answers.first?["error"] as? String)?.contains("bytes long; at most 65536 (64 KiB)") == true, b.out)
        XCTAssertNotNil(answers.last?["count"], b.out)
    }

    func testDeeplyNestedParenthesesDoNotCrash() throws {
        try indexHarbourFixture()
        // A recursive-descent parser must bound its depth (or not recurse): the process stack
        // is finite, and a query is hostile input like any other.
        for depth in [1_000, 10_000] {
            let query = String(repeating: "(", count: depth) + "pier" + String(repeating: ")", count: depth)
            let r = try run(["search", "--index", indexPath, "--count", "--", query], timeout: 60)
            if assertSurvived(r, "\(depth) nested parentheses"), r.status == 2 {
                XCTAssertTrue(r.err.contains("column"), "\(depth) levels: \(r.err.prefix(300))")
            }
        }
        for query in [String(repeating: "(", count: 100_000) + "pier" + String(repeating: ")", count: 100_000),
                      String(repeating: "(", count: 100_000),
                      String(repeating: "-(", count: 50_000) + "pier",
                      "pier " + String(repeating: "NOT (", count: 30_000) + "gulls" + String(repeating: ")", count: 30_000)] {
            let b = try run(["search", "--index", indexPath, "--batch"], stdin: Data((query + "\npier\n").utf8), timeout: 60)
            if assertSurvived(b, "--batch \(query.prefix(12))... (\(query.count) characters)") {
                XCTAssertEqual(b.lines.count, 2, "both queries answered: \(b.description.prefix(500))")
            }
        }
    }

    /// 24,000 distinct words starting with "a" in 12 documents.
    func indexHugeVocabulary(file: StaticString = #filePath, line: UInt = #line) throws -> Bool {
        var lines: [String] = []
        for d in 0..<12 {
            let text = (0..<2_000).map { "a\(d)v\($0)" }.joined(separator: " ")
            lines.append(#"{"id":"v\#(d)","text":"\#(text)"}"#)
        }
        let path = try write("vocab.jsonl", lines.joined(separator: "\n") + "\n")
        let indexed = try run(["index", "--index", indexPath, path], timeout: 120, file: file, line: line)
        return assertSurvived(indexed, "index vocabulary", statuses: [0], file: file, line: line)
    }

    func testPrefixOverAHugeVocabularyIsBoundedWithAMessage() throws {
        guard try indexHugeVocabulary() else { return }
        // (Each prefix searches only 10,000 of its terms, here all as rare, so the first in byte
        // order: a0v..., a10v..., and the last query may match nothing; that is the documented
        // bound, not an error.)
        for args in [["a*"], ["--count", "a*"], ["--any", "a* zzz"], ["a* AND a1*"]] {
            let r = try run(["search", "--index", indexPath] + args, timeout: 60)
            guard assertSurvived(r, "search \(args)", statuses: args.last == "a* AND a1*" ? [0, 1] : [0]) else { continue }
            XCTAssertLessThan(r.seconds, 30, "\(args) took \(r.seconds) s")
            XCTAssertTrue(r.err.contains("a* matches more than 10000 terms; only the 10000 commonest were searched"),
                          "\(args): stderr says the expansion was cut: \(r.err)")
        }
        let none = try run("search", "--index", indexPath, "zzzq*")
        assertSurvived(none, "prefix matching nothing", statuses: [1])
    }

    func testBatchSaysWhenAPrefixExpansionWasCut() throws {
        // --batch answers the same query as `search a*`; the cut must not go unsaid there either
        // (on stderr, or in the query's JSON object).
        guard try indexHugeVocabulary() else { return }
        let batch = try run(["search", "--index", indexPath, "--batch"], stdin: Data("a*\n".utf8), timeout: 60)
        guard assertSurvived(batch, "--batch a*", statuses: [0]) else { return }
        XCTAssertTrue(batch.err.contains("10000") || batch.out.contains("10000"),
                      "--batch: nothing says a* was cut to 10000 terms: \(batch.description)")
        let json = try run(["search", "--index", indexPath, "--format", "json", "a*"], timeout: 60)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        XCTAssertEqual((object?["warnings"] as? [String])?.first?.contains("10000 commonest"), true, json.description)
        let count = try run(["search", "--index", indexPath, "--format", "json", "--count", "a*"], timeout: 60)
        let counted = try JSONSerialization.jsonObject(with: Data(count.out.utf8)) as? [String: Any]
        XCTAssertEqual((counted?["warnings"] as? [String])?.first?.contains("10000 commonest"), true, count.description)
    }

    /// Cut, a prefix keeps its commonest terms: a word in many documents that sorts after
    /// 10,000 rare ones is searched (the first 10,000 in byte order had been, and `re*` on
    /// news-combined missed "report" and "result", a quarter of its documents).
    func testACutPrefixKeepsItsCommonestTerms() throws {
        var lines = (0..<6).map { #"{"id":"r\#($0)","text":"the report came out today"}"# }
        for d in 0..<6 {
            let text = (0..<1_800).map { "rea\(d)x\($0)" }.joined(separator: " ")
            lines.append(#"{"id":"v\#(d)","text":"\#(text)"}"#)
        }
        let path = try write("vocab.jsonl", lines.joined(separator: "\n") + "\n")
        guard assertSurvived(try run(["index", "--index", indexPath, path], timeout: 120), "index", statuses: [0]) else { return }
        let r = try run(["search", "--index", indexPath, "--count", "re*"], timeout: 60)
        guard assertSurvived(r, "search re*", statuses: [0]) else { return }
        XCTAssertEqual(r.out, "12\n", "the six reports and the six documents of rare words: \(r.description)")
        XCTAssertTrue(r.err.contains("only the 10000 commonest"), r.err)
    }

    // MARK: hostile documents on the way out

    func testControlCharactersInDocumentsDoNotReachTheTerminal() throws {
        // A scraped page can carry terminal escape sequences; printed raw they recolour, retitle or
        // clear the reader's terminal. Text output should not pass C0 controls (but tab and
        // newline) or DEL through from the documents; JSON escapes them already.
        let title = "Evil \u{1B}]0;pwned\u{07}title \u{1B}[2J\u{1B}[31mred\u{1B}[0m \u{08}\u{08}"
        let record = try JSONSerialization.data(withJSONObject: ["id": "esc1", "title": title,
                                                                 "text": "Skua attack \u{1B}[5m blinking \u{7F} text \u{01}\u{02}"])
        let path = try write("esc.jsonl", String(decoding: record, as: UTF8.self) + "\n")
        let r = try run("index", "--index", indexPath, path)
        guard assertSurvived(r, "index escapes", statuses: [0]) else { return }
        for color in ["never", "always"] {
            let s = try run("search", "--index", indexPath, "--color", color, "skua")
            guard assertSurvived(s, "search", statuses: [0]) else { continue }
            var allowed = Set<UInt8>([0x0A, 0x09])
            if color == "always" { allowed.insert(0x1B) }  // its own colour codes
            let controls = s.result.stdout.filter { ($0 < 0x20 || $0 == 0x7F) && !allowed.contains($0) }
            XCTAssertTrue(controls.isEmpty, "--color \(color): raw control bytes \(Array(Set(controls)).sorted()) in: \(s.out.debugDescription)")
            if color == "never" {
                XCTAssertFalse(s.result.stdout.contains(0x1B), "--color never: ESC from the document reaches stdout: \(s.out.debugDescription)")
            }
        }
        // show prints the whole stored text: with colour (or on a terminal) without the page's
        // own escapes, into a plain pipe as stored.
        let shown = try run("show", "--index", indexPath, "--color", "always", "--highlight", "skua", "esc1")
        guard assertSurvived(shown, "show", statuses: [0]) else { return }
        let ownEscapes = shown.out.replacingOccurrences(of: "\u{1B}[1;31m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
        XCTAssertFalse(ownEscapes.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F },
                       "show --color always passed the page's controls: \(shown.out.debugDescription)")
        let raw = try run("show", "--index", indexPath, "esc1")
        XCTAssertTrue(raw.result.stdout.contains(0x1B), "into a pipe the stored text goes as it is")
        let json = try run("search", "--index", indexPath, "--format", "jsonl", "skua")
        assertSurvived(json, "search jsonl", statuses: [0])
        XCTAssertFalse(json.result.stdout.contains { $0 < 0x20 && $0 != 0x0A }, json.out.debugDescription)
        // TSV escapes them as \x1b, as it escapes tabs and newlines (they had gone out raw).
        let tsv = try run("search", "--index", indexPath, "--format", "tsv", "skua")
        assertSurvived(tsv, "search tsv", statuses: [0])
        XCTAssertFalse(tsv.result.stdout.contains { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F }, tsv.out.debugDescription)
        XCTAssertTrue(tsv.out.contains("Evil \\x1b]0;pwned\\x07title"), tsv.out.debugDescription)
    }

    // MARK: the index itself

    func testSearchingAReadOnlyIndexCopy() throws {
        // Run as root (as these tests usually are), permission bits do not stop writes, so this
        // shows at least that a read-only copy opens and answers; as another user it is a real
        // read-only test. testSearchingAReadOnlyIndexAsAnotherUser drops root where it can.
        try indexHarbourFixture()
        let copy = tmp.appendingPathComponent("ro-index")
        try FileManager.default.copyItem(atPath: indexPath, toPath: copy.path)
        let chmod = try CLI.runProgram(URL(fileURLWithPath: "/bin/chmod"), ["-R", "a-w", copy.path], in: tmp)
        XCTAssertEqual(chmod.status, 0, chmod.description)
        defer { _ = try? CLI.runProgram(URL(fileURLWithPath: "/bin/chmod"), ["-R", "u+w", copy.path], in: tmp) }
        XCTAssertEqual(try ids("pier", index: copy.path), ["tide-1", "tide-4"])
        for args in [["show", "tide-3"], ["stats"], ["check"], ["search", "--count", "gulls"]] {
            let r = try run([args[0], "--index", copy.path] + args.dropFirst())
            assertSurvived(r, "\(args) on a read-only copy", statuses: [0])
        }
        let writing = try run("index", "--index", copy.path, tmp.appendingPathComponent("harbour.jsonl").path)
        assertSurvived(writing, "index into a read-only copy")
        if getuid() != 0 {
            XCTAssertEqual(writing.status, 2, "writing a read-only index must fail: \(writing.description)")
            XCTAssertTrue(writing.err.contains(copy.path), writing.err)
        }
    }

    func testSearchingAReadOnlyIndexAsAnotherUser() throws {
        let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv.path) else {
            throw XCTSkip("needs root and setpriv to run newsidx as another user (testSearchingAReadOnlyIndexCopy covers this user)")
        }
        try indexHarbourFixture()
        let copy = tmp.appendingPathComponent("ro-index")
        try FileManager.default.copyItem(atPath: indexPath, toPath: copy.path)
        // The copy read-only for everyone; the test folder only readable and searchable by others.
        let chmod = try CLI.runProgram(URL(fileURLWithPath: "/bin/chmod"), ["-R", "a-w,a+rX", copy.path], in: tmp)
        XCTAssertEqual(chmod.status, 0, chmod.description)
        _ = try CLI.runProgram(URL(fileURLWithPath: "/bin/chmod"), ["a+rx", tmp.path], in: tmp)
        defer { _ = try? CLI.runProgram(URL(fileURLWithPath: "/bin/chmod"), ["-R", "u+w", copy.path], in: tmp) }
        let exe = try CLI.requireExecutable()
        let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", exe.path]
        // The user can run newsidx at all (or this test says nothing).
        let help = try CLI.runBounded(setpriv, nobody + ["--help"], in: tmp, timeout: 60)
        guard help.status == 0 else { throw XCTSkip("newsidx does not run as uid 65534 here: \(help.description)") }
        for args in [["search", "--format", "paths", "pier"], ["search", "--count", "gulls"], ["show", "tide-3"],
                     ["stats"], ["check"]] {
            let r = try CLI.runBounded(setpriv, nobody + [args[0], "--index", copy.path] + args.dropFirst(),
                                       in: tmp, timeout: 60)
            assertSurvived(r, "\(args) as uid 65534 on a read-only index", statuses: [0])
            if args == ["search", "--format", "paths", "pier"] {
                XCTAssertEqual(Set(r.lines), ["tide-1", "tide-4"], r.description)
            }
        }
    }

    /// A writer without permission to the index folder says so; it had called the index corrupt
    /// and advised rebuilding it.
    func testWritingWithoutPermissionSaysSoNotCorrupt() throws {
        let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv.path) else {
            throw XCTSkip("needs root and setpriv to run newsidx as another user")
        }
        try indexHarbourFixture()
        _ = try CLI.runProgram(URL(fileURLWithPath: "/bin/chmod"), ["-R", "a+rX", tmp.path], in: tmp)
        let exe = try CLI.requireExecutable()
        let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", exe.path]
        let help = try CLI.runBounded(setpriv, nobody + ["--help"], in: tmp, timeout: 60)
        guard help.status == 0 else { throw XCTSkip("newsidx does not run as uid 65534 here: \(help.description)") }
        let notes = try write("more.txt", "Grebe\n\nA grebe on the pond.\n")
        for (index, says) in [(indexPath, "cannot open writer.lock for writing: Permission denied"),
                              (tmp.appendingPathComponent("new/index").path, "cannot create the index folder: Permission denied")] {
            let r = try CLI.runBounded(setpriv, nobody + ["index", "--index", index, notes], in: tmp, timeout: 60)
            guard assertSurvived(r, "index as uid 65534", statuses: [2]) else { continue }
            XCTAssertTrue(r.err.contains("\(index): \(says)"), r.description)
            XCTAssertFalse(r.err.contains("corrupt"), r.description)
        }
    }

    /// Packing into a folder the writer may not create in: the warning names the scratch folder
    /// it could not create (it had said a file inside was missing) and asks for a run that may
    /// write there, and what was added stays.
    func testPackingWithoutPermissionSaysWhyAndKeepsTheRun() throws {
        let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv.path) else {
            throw XCTSkip("needs root and setpriv to run newsidx as another user")
        }
        try write("first/a.txt", "Grebe\n\nA grebe on the pond.\n")
        XCTAssertEqual(try run("index", "--index", indexPath, "first").status, 0)
        // Far more than the index held: growth past the last packing makes the run pack.
        for i in 0..<200 { try write("more/\(i).txt", "Heron \(i)\n\nHeron number \(i) stood in the reeds \(i) by the weir.\n") }
        _ = try CLI.runProgram(URL(fileURLWithPath: "/bin/chmod"), ["-R", "a+rwX", tmp.path], in: tmp)
        _ = try CLI.runProgram(URL(fileURLWithPath: "/bin/chmod"), ["555", indexPath], in: tmp)
        defer { _ = try? CLI.runProgram(URL(fileURLWithPath: "/bin/chmod"), ["755", indexPath], in: tmp) }
        let exe = try CLI.requireExecutable()
        let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", exe.path]
        let help = try CLI.runBounded(setpriv, nobody + ["--help"], in: tmp, timeout: 60)
        guard help.status == 0 else { throw XCTSkip("newsidx does not run as uid 65534 here: \(help.description)") }
        let r = try CLI.runBounded(setpriv, nobody + ["index", "--index", indexPath, "more"], in: tmp, timeout: 120)
        guard assertSurvived(r, "index as uid 65534 into a folder it cannot create in", statuses: [0]) else { return }
        XCTAssertTrue(r.err.contains("could not be packed") && r.err.contains("create \(indexPath)/.pack: Permission denied"),
                      r.description)
        // Freeing space would not help (the advice had been a full disk's).
        XCTAssertTrue(r.err.contains("a run that may write files in the index folder packs it"), r.description)
        XCTAssertFalse(r.err.contains("space is freed"), r.description)
        XCTAssertEqual(try ids("heron").count, 200)
    }

    func testIndexCreatesMissingFoldersAboveTheIndex() throws {
        let nested = tmp.appendingPathComponent("indexes/news/2026").path
        let notes = try write("more.txt", "Grebe\n\nA grebe on the pond.\n")
        let r = try run("index", "--index", nested, notes)
        guard assertSurvived(r, "index into nested folders", statuses: [0]) else { return }
        XCTAssertEqual(try ids("grebe", index: nested), [notes])
    }

    func testMissingIndexExitsTwoSayingHowToCreateOne() throws {
        let missing = tmp.appendingPathComponent("no-such-index").path
        for args in [["search", "pier"], ["search", "--batch"], ["show", "tide-1"], ["stats"], ["check"]] {
            let r = try run([args[0], "--index", missing] + args.dropFirst(), stdin: Data("pier\n".utf8))
            guard assertSurvived(r, "\(args)", statuses: [2]) else { continue }
            XCTAssertTrue(r.err.contains("no index at \(missing)"), "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("newsidx index --index \(missing)"), "\(args): \(r.err)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "reading must not create the index folder")
        // Through the environment variable too.
        let env = try CLI.runBounded(try CLI.requireExecutable(), ["search", "pier"], in: tmp, timeout: 60,
                                     environment: ["NEWSIDX_INDEX": missing])
        assertSurvived(env, "NEWSIDX_INDEX", statuses: [2])
        XCTAssertTrue(env.err.contains("newsidx index --index \(missing)"), env.err)
    }

    func testDeleteOnAMissingIndexExitsTwoAndCreatesNothing() throws {
        let missing = tmp.appendingPathComponent("no-such-index").path
        let r = try run("delete", "--index", missing, "tide-1")
        guard assertSurvived(r, "delete", statuses: [2]) else { return }
        XCTAssertTrue(r.err.contains("newsidx index --index \(missing)"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing),
                       "a failed delete must not leave a folder behind: \(FileManager.default.subpaths(atPath: missing) ?? [])")
    }

    func testIndexFolderThatIsAFileOrHoldsGarbage() throws {
        let file = try write("plain-file", "not an index")
        for args in [["search", "--index", file, "pier"], ["stats", "--index", file], ["check", "--index", file],
                     ["index", "--index", file, file]] {
            let r = try run(args)
            guard assertSurvived(r, "\(args)", statuses: [2]) else { continue }
            XCTAssertTrue(r.err.contains(file), "\(args): the message names the path: \(r.err)")
        }
        let notDirectory = try run("index", "--index", file, file)
        XCTAssertTrue(notDirectory.err.lowercased().contains("not a directory"), notDirectory.err)

        let garbage = tmp.appendingPathComponent("garbage-index")
        try FileManager.default.createDirectory(at: garbage, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 64 * 1024).write(to: garbage.appendingPathComponent("data.mdb"))
        try write("good.txt", "Grebe\n\nA grebe on the pond.\n")
        for args in [["search", "--index", garbage.path, "pier"], ["stats", "--index", garbage.path],
                     ["check", "--index", garbage.path], ["index", "--index", garbage.path, "good.txt"],
                     ["delete", "--index", garbage.path, "x"]] {
            let r = try run(args)
            guard assertSurvived(r, "\(args) on garbage", statuses: [2]) else { continue }
            XCTAssertTrue(r.err.contains(garbage.path), "\(args): \(r.err)")
        }
    }

    func testWhatAKillDuringCreationLeavesOpensOrIsNoIndex() throws {
        // kill -9 in the first milliseconds of the first `index` run leaves one of three states
        // (Tools/crashtest's "start" rounds reach all three): an empty data.mdb (LMDB has created
        // the file), an LMDB file without newsidx's tables, or the tables without the meta entries.
        // Nothing was committed, so each must read as an empty index or as no index (saying how to
        // create one), not as a broken or foreign file; and a re-run of `index` must complete.
        try indexHarbourFixture()  // (for the table names)
        let stats = try run("stats", "--index", indexPath, "--format", "json")
        let object = try XCTUnwrap(try stats.result.jsonLines().first)
        let tables = (object["tables"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        XCTAssertFalse(tables.isEmpty, stats.description)

        var states: [(String, URL)] = []
        let emptyFile = tmp.appendingPathComponent("state-empty-file")
        try FileManager.default.createDirectory(at: emptyFile, withIntermediateDirectories: true)
        try Data().write(to: emptyFile.appendingPathComponent("data.mdb"))
        states.append(("an empty data.mdb", emptyFile))
        // The other two states are made with mdb_load (lmdb-utils), when it is installed.
        if let mdbLoad = ["/usr/bin/mdb_load", "/usr/local/bin/mdb_load"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let dump = try write("empty.dump", "VERSION=3\nformat=bytevalue\ntype=btree\nHEADER=END\nDATA=END\n")
            let noTables = tmp.appendingPathComponent("state-no-tables")
            let noMeta = tmp.appendingPathComponent("state-no-meta")
            for dir in [noTables, noMeta] { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
            let load = try CLI.runProgram(URL(fileURLWithPath: mdbLoad), ["-f", dump, noTables.path], in: tmp)
            XCTAssertEqual(load.status, 0, load.description)
            for table in tables {
                let r = try CLI.runProgram(URL(fileURLWithPath: mdbLoad), ["-s", table, "-f", dump, noMeta.path], in: tmp)
                XCTAssertEqual(r.status, 0, r.description)
            }
            states += [("an LMDB file without tables", noTables), ("the tables without meta entries", noMeta)]
        } else {
            print("HostileInputTests: mdb_load not installed; testing the empty data.mdb state only")
        }

        let input = tmp.appendingPathComponent("harbour.jsonl").path
        for (what, dir) in states {
            for args in [["stats"], ["check"], ["search", "pier"]] {
                let r = try run([args[0], "--index", dir.path] + args.dropFirst())
                guard assertSurvived(r, "\(what): \(args)") else { continue }
                let readsAsEmpty = r.status == 0 || (args[0] == "search" && r.status == 1)
                let readsAsNoIndex = r.status == 2 && r.err.contains("no index at \(dir.path)")
                XCTAssertTrue(readsAsEmpty || readsAsNoIndex,
                              "\(what): `\(args.joined(separator: " "))` should read as an empty index or as no index: \(r.description)")
            }
            let again = try run("index", "--index", dir.path, input)
            XCTAssertEqual(again.status, 0, "\(what): a re-run completes: \(again.description)")
            XCTAssertEqual(try ids("pier", index: dir.path), ["tide-1", "tide-4"], what)
        }
    }

    func testTruncatedDataFileIsRefusedNotACrash() throws {
        // A data.mdb cut short (a partial copy, a full disk): LMDB maps pages past the end of
        // the file, which must end in an error that names the index, not in SIGBUS.
        try indexHarbourFixture()
        let cut = tmp.appendingPathComponent("cut-index")
        try FileManager.default.createDirectory(at: cut, withIntermediateDirectories: true)
        let whole = try Data(contentsOf: URL(fileURLWithPath: indexPath + "/data.mdb"))
        try whole.prefix(whole.count / 2).write(to: cut.appendingPathComponent("data.mdb"))
        for args in [["search", "--index", cut.path, "pier"], ["stats", "--index", cut.path], ["check", "--index", cut.path]] {
            let r = try run(args)
            if assertSurvived(r, "\(args) on a truncated data.mdb", statuses: [2]) {
                XCTAssertTrue(r.err.contains(cut.path), "\(args): \(r.err)")
            }
        }
    }

    // MARK: concurrency

    /// A folder of HTML pages alone has both analysis workers open their first page at once.
    /// libxml2, linked statically, then set up its shared state twice, unlocked, and about one
    /// run in ten waited on its mutex forever; forty runs catch that nearly always.
    func testIndexingOnlyHTMLPagesNeverHangs() throws {
        let pages = tmp.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        let sources = try FileManager.default.subpathsOfDirectory(atPath: CLI.sampleArchive.path).filter { $0.hasSuffix(".html") }
        XCTAssertGreaterThanOrEqual(sources.count, 2)
        for (i, source) in Array(repeating: sources, count: 4).joined().enumerated() {
            var page = try Data(contentsOf: CLI.sampleArchive.appendingPathComponent(source))
            page.append(Data("<!-- copy \(i) -->".utf8))  // distinct bytes, so no copy is skipped as a repeat
            try page.write(to: pages.appendingPathComponent("page\(i).html"))
        }
        for round in 0..<40 {
            let r = try run(["index", "--index", "idx\(round)", "--quiet", pages.path], timeout: 20)
            guard assertSurvived(r, "round \(round)", statuses: [0]) else { break }
        }
    }
}
