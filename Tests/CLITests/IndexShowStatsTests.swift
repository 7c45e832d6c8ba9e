// CLITests: `index` (folders, files, JSON Lines on stdin, malformed lines, re-indexing, a killed
// packing's leftovers), `show` (the stored text, a missing id) and `stats --format json`.
import Foundation
import XCTest

final class IndexShowStatsTests: CLITestCase {
    func testIndexReadsJSONLinesFromStdin() throws {
        let r = try newsidx("index", "--index", indexPath, "-", stdin: Fixture.harbourJSONL)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.hasPrefix("added 4,"), r.err)
        XCTAssertTrue(r.err.contains(" problems 0 "), r.err)
        let found = try newsidx("search", "--index", indexPath, "--format", "paths", "lighthouse")
        XCTAssertEqual(found.lines, ["tide-2"])
    }

    /// --quiet silences progress; the one summary line is always printed.
    func testQuietIndexingPrintsOnlyTheSummary() throws {
        let r = try newsidx("index", "--quiet", "--index", indexPath, "-", stdin: Fixture.harbourJSONL)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        XCTAssertTrue(r.err.hasPrefix("added 4,"), r.err)
        XCTAssertFalse(r.err.contains("\r"), r.err)
        XCTAssertEqual(r.out, "")
    }

    func testMalformedJSONLinesAreReportedWithFileAndLineAndTheRestIndexed() throws {
        let lines = [
            #"{"id":"ok-1","title":"Seal pups","text":"Seal pups rest on the sandbar at low water."}"#,
            #"{"id":"bad-2","title":"Broken","text": seals}"#,
            "",
            #"{"id":"ok-4","title":"Seal count","text":"Volunteers counted forty seals along the spit."}"#,
            #"{"id":"no-text-5","title":"Only a title"}"#,
        ]
        try write("notes.jsonl", lines.joined(separator: "\n") + "\n")
        let r = try newsidx("index", "--index", indexPath, "notes.jsonl")  // relative: the message quotes it
        XCTAssertEqual(r.status, 2, r.description)
        // Column 40 is the "s" of the unquoted seals.
        XCTAssertTrue(r.err.contains("newsidx: notes.jsonl:2: invalid JSON at column 40: "), r.err)
        XCTAssertTrue(r.err.contains("notes.jsonl:5: "), r.err)
        XCTAssertTrue(r.err.contains("\"text\""), r.err)
        XCTAssertFalse(r.err.contains("notes.jsonl:1:") || r.err.contains("notes.jsonl:4:"), r.err)
        XCTAssertTrue(r.err.contains("added 2,"), r.err)

        let stats = try XCTUnwrap(try newsidx("stats", "--index", indexPath, "--format", "json").jsonLines().first)
        XCTAssertEqual(stats["documents"] as? Int, 2)
        XCTAssertEqual(stats["index"] as? String, indexPath, "as the text says which index")
        let seals = try newsidx("search", "--index", indexPath, "--format", "paths", "seal")
        XCTAssertEqual(Set(seals.lines), ["ok-1", "ok-4"])
    }

    func testReindexingTheSameIDsAddsNothing() throws {
        try indexHarbourFixture()
        let again = try newsidx("index", "--index", indexPath, tmp.appendingPathComponent("harbour.jsonl").path)
        XCTAssertEqual(again.status, 0, again.description)
        XCTAssertTrue(again.err.hasPrefix("added 0,"), again.err)
        let stats = try XCTUnwrap(try newsidx("stats", "--index", indexPath, "--format", "json").jsonLines().first)
        XCTAssertEqual(stats["documents"] as? Int, 4)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "pier").out, "2\n")
    }

    /// A writer killed while packing leaves its scratch folder (a packed copy and the final
    /// copy, up to twice the index); the next `index` removes it, also when it packs nothing.
    func testPackingLeftoversGoWithTheNextRun() throws {
        // Enough documents that a run which changes nothing frees too few pages to repack.
        let words = ["harbour", "tide", "pier", "ferry", "gull", "storm", "net", "quay", "buoy", "reef"]
        let lines = (0..<400).map { i in
            let text = (0..<40).map { words[($0 * 7 + i) % words.count] + String(i % 37) }.joined(separator: " ")
            return #"{"id":"doc-\#(i)","title":"Note \#(i)","text":"\#(text)"}"#
        }
        try write("notes.jsonl", lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "notes.jsonl").status, 0)
        let scratch = URL(fileURLWithPath: indexPath).appendingPathComponent(".pack")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        for name in ["data.mdb", "lock.mdb", "data.mdb.copy"] {
            try Data(repeating: 0, count: 8_192).write(to: scratch.appendingPathComponent(name))
        }
        let dataFile = indexPath + "/data.mdb"
        let before = try FileManager.default.attributesOfItem(atPath: dataFile)[.systemFileNumber] as? Int
        let again = try newsidx("index", "--index", indexPath, "notes.jsonl")
        XCTAssertEqual(again.status, 0, again.description)
        XCTAssertTrue(again.err.hasPrefix("added 0,"), again.err)
        let after = try FileManager.default.attributesOfItem(atPath: dataFile)[.systemFileNumber] as? Int
        XCTAssertEqual(before, after, "the run packed, so it does not show who removed the leftovers")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path), "the scratch folder is still there")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "pier3").out, "11\n")
    }

    func testShowPrintsTheStoredText() throws {
        try indexHarbourFixture()
        let record = Fixture.harbourRecords[2]
        let r = try newsidx("show", "--index", indexPath, record.id)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.out.hasPrefix(record.title + "\n"), r.out)
        XCTAssertTrue(r.out.contains(record.text), r.out)
        XCTAssertTrue(r.out.hasSuffix("\n"))
        XCTAssertEqual(r.err, "")
    }

    func testShowOfAMissingIDExitsOne() throws {
        try indexHarbourFixture()
        let r = try newsidx("show", "--index", indexPath, "tide-99")
        XCTAssertEqual(r.status, 1, r.description)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.contains("no document with id 'tide-99'"), r.err)
    }

    func testStatsJSON() throws {
        try indexHarbourFixture()
        let r = try newsidx("stats", "--index", indexPath, "--format", "json")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertEqual(r.lines.count, 1)
        let stats = try XCTUnwrap(try r.jsonLines().first)
        XCTAssertEqual(stats["documents"] as? Int, 4)
        XCTAssertEqual(stats["stemmer"] as? String, "english")
        XCTAssertNotNil(stats["format"] as? String)
        let terms = try XCTUnwrap(stats["terms"] as? Int)
        XCTAssertGreaterThan(terms, 40)  // the fixture has well over 40 distinct words
        let averageTitle = try XCTUnwrap((stats["average_title_length"] as? NSNumber)?.doubleValue)
        let titleWords = Fixture.harbourRecords.map { $0.title.split(separator: " ").count }.reduce(0, +)
        XCTAssertEqual(averageTitle, Double(titleWords) / 4, accuracy: 0.001)
        let tables = try XCTUnwrap(stats["tables"] as? [[String: Any]])
        let entries = Dictionary(uniqueKeysWithValues: tables.map { ($0["name"] as! String, $0["entries"] as! Int) })
        XCTAssertEqual(entries["ids"], 4)
        XCTAssertEqual(entries["docs"], 4)
        let bytes = tables.compactMap { $0["bytes"] as? Int }.reduce(0, +)
        XCTAssertEqual(stats["total_bytes"] as? Int, bytes)
    }

    /// With every document deleted, the average length is 0, not the 1 scoring takes for an
    /// empty index (stats had printed "1.0 words").
    func testStatsOfAnEmptiedIndexAverageNothing() throws {
        try indexHarbourFixture()
        let ids = Fixture.harbourRecords.map(\.id)
        XCTAssertEqual(try CLI.run(["delete", "--index", indexPath] + ids, in: tmp).status, 0)
        let json = try XCTUnwrap(try newsidx("stats", "--index", indexPath, "--format", "json").jsonLines().first)
        XCTAssertEqual(json["documents"] as? Int, 0)
        XCTAssertEqual((json["average_length"] as? NSNumber)?.doubleValue, 0)
        XCTAssertTrue(try newsidx("stats", "--index", indexPath).lines.contains("average length:   0.0 words (title 0.0)"))
    }

    func testStatsTextNamesTheDocumentCount() throws {
        try indexHarbourFixture()
        let r = try newsidx("stats", "--index", indexPath)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.lines.contains { $0.hasPrefix("documents:") && $0.hasSuffix(" 4") }, r.out)
        let json = try newsidx("stats", "--index", indexPath, "--format", "json")
        let seconds = try XCTUnwrap(try json.jsonLines().first?["updated"] as? Int, json.out)
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let format = DateFormatter()
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyy-MM-dd HH:mm:ss"
        XCTAssertTrue(r.lines.contains("last update:      \(format.string(from: date)) UTC"), "a date, not seconds: \(r.out)")
    }

    /// The summary counts files, not arguments: a folder given twice, or with a file of its own,
    /// is read once (it had said "unchanged 6" for five files).
    func testAPathGivenTwiceIsReadOnce() throws {
        for n in 1...3 { try write("twice/\(n).txt", "Note \(n)\n\nA short note about cormorants.\n") }
        for round in ["added 3, updated 0, removed 0, unchanged 0", "added 0, updated 0, removed 0, unchanged 3"] {
            let r = try newsidx("index", "--index", indexPath, "twice", "twice", "twice/2.txt")
            XCTAssertEqual(r.status, 0, r.description)
            XCTAssertTrue(r.err.contains(round), r.description)
        }
    }

    /// A JSON Lines file read again unchanged counts its records, not its blank lines (a file
    /// of three records and two blank lines had said "unchanged 5").
    func testBlankLinesAreNoRecords() throws {
        let path = try write("gaps.jsonl", "\n" + #"{"id":"g1","text":"gannet"}"# + "\n\n" + #"{"id":"g2","text":"gannet"}"# + "\n"
            + #"{"id":"g3","text":"gannet"}"# + "\n")
        for round in ["added 3, updated 0, removed 0, unchanged 0", "added 0, updated 0, removed 0, unchanged 3,"] {
            let r = try newsidx("index", "--index", indexPath, path)
            XCTAssertEqual(r.status, 0, r.description)
            XCTAssertTrue(r.err.contains(round), r.description)
        }
    }

    /// An id given twice in a run keeps its last record, and the run says so (the earlier
    /// record had vanished without a word).
    func testARepeatedIdIsNamed() throws {
        let path = try write("dup.jsonl", #"{"id":"dup","text":"first zebra"}"# + "\n" + #"{"id":"dup","text":"second zebra"}"# + "\n"
            + #"{"id":"u","text":"zebra alone"}"# + "\n")
        let r = try newsidx("index", "--index", indexPath, path)
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.contains("ids given more than once in this run, the last record of each kept: 'dup' (1 earlier record passed over)\n"), r.description)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--format", "paths", "second").lines, ["dup"])
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "first").out, "0\n")
    }

    /// Every repeat is counted, also those after the first repeat committed its batch (ten ids
    /// each given three times had been reported as two).
    func testEveryRepeatedIdIsCounted() throws {
        let lines = (0..<3).flatMap { round in (0..<10).map { #"{"id":"d\#($0)","text":"zebra round \#(round)"}"# + "\n" } }
        let r = try newsidx("index", "--index", indexPath, try write("dups.jsonl", lines.joined()))
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.contains("the last record of each kept: 'd0', 'd1', 'd2', 'd3', 'd4' and 5 more (20 earlier records passed over)\n"),
                      r.description)
        // Records superseded within what is read together are passed over, as if never read.
        XCTAssertTrue(r.err.contains("added 10, updated 0, removed 0,"), r.description)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "round 2").out, "10\n")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "zebra").out, "10\n")
    }

    /// One id given many times, across chunks and batches, is named once, and the run counts
    /// it once as added: each chunk's repeat had been named again and counted as an update (or
    /// unchanged, when identical), "updated 2" on an empty index (found by QA).
    func testAnIdRepeatedAcrossChunksIsNamedAndCountedOnce() throws {
        let lines = (1...1_500).map { #"{"id":"q","text":"repeat number \#($0) of a long-running story"}"# + "\n" }
            + (1...1_200).map { _ in #"{"id":"same","text":"unchanged every time"}"# + "\n" }
        let r = try newsidx("index", "--index", indexPath, try write("rep.jsonl", lines.joined()))
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.contains("the last record of each kept: 'q', 'same' (2698 earlier records passed over)\n"), r.description)
        XCTAssertTrue(r.err.contains("added 2, updated 0, removed 0, unchanged 0,"), r.description)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--format", "paths", "1500").lines, ["q"])
    }

    /// Large records each followed by its revision are passed over however large they are:
    /// chunks cut at 4 MiB had split such pairs, and each split committed its batch.
    func testLargeRecordsFollowedByRevisionsArePassedOver() throws {
        // 14–35 KB a record, uneven, so that 4 MiB falls between a record and its revision.
        let lines = (0..<600).flatMap { i in
            let filler = String(repeating: "petrel ", count: 2_000 + (i * 37) % 3_000)
            return [#"{"id":"p\#(i)","text":"draft \#(filler)"}"# + "\n", #"{"id":"p\#(i)","text":"final \#(filler)"}"# + "\n"]
        }
        let r = try newsidx("index", "--index", indexPath, try write("pairs.jsonl", lines.joined()))
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.contains("added 600, updated 0, removed 0,"), r.description)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "final").out, "600\n")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "draft").out, "0\n")
    }

    /// A revision far behind its record (chunks of 512 are read together) replaces it too, and
    /// the index answers as one built from the last records alone.
    func testARevisionFarBehindItsRecordReplacesIt() throws {
        var lines = (0..<700).map { #"{"id":"n\#($0)","text":"gannet colony note \#($0)"}"# + "\n" }
        lines.append(#"{"id":"n3","text":"gannet colony revised"}"# + "\n")
        lines.append(#"{"id":"n650","text":"gannet colony revised"}"# + "\n")
        let r = try newsidx("index", "--index", indexPath, try write("notes.jsonl", lines.joined()))
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.contains("the last record of each kept: 'n650', 'n3' (2 earlier records passed over)\n")
                      && r.err.contains("added 700, updated 0,"), r.description)
        XCTAssertEqual(Set(try newsidx("search", "--index", indexPath, "--format", "paths", "revised").lines), ["n3", "n650"])
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "gannet").out, "700\n")
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "note").out, "698\n")
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
    }

    /// A writer that finds another holding the index says it waits (the wait had been silent,
    /// like a hang), then does its work once the other is done.
    func testASecondWriterSaysItWaits() throws {
        try indexHarbourFixture()
        let note = try write("more.txt", "Grebe\n\nA grebe on the pond.\n")
        let fd = open(indexPath + "/writer.lock", O_RDWR)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        XCTAssertEqual(flock(fd, LOCK_EX), 0, "the test holds the lock as another writer would")
        let (process, said, errors) = try startNewsidx(["index", "--index", indexPath, note])
        func text() -> String { said.text }
        let deadline = Date().addingTimeInterval(10)
        while !text().contains("\n") && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(text().hasPrefix("newsidx: another newsidx is writing to \(indexPath); waiting for it to finish\n"), text())
        XCTAssertTrue(process.isRunning, "it waits for the lock")
        flock(fd, LOCK_UN)
        process.waitUntilExit()
        usleep(100_000)
        errors.fileHandleForReading.readabilityHandler = nil
        XCTAssertEqual(process.terminationStatus, 0, text())
        XCTAssertTrue(text().contains("added 1,"), text())
    }

    /// Ctrl-C commits what was read and exits 130 (a run stopped before its first batch had
    /// kept nothing); the next run goes on from there.
    func testAnInterruptKeepsWhatWasRead() throws {
        let (status, said) = try interruptedStdinRun(before: records(1...30), after: records(31...60))
        XCTAssertEqual(status, 130, said)
        XCTAssertTrue(said.contains("interrupted; kept what was read: added 30,"), said)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "kittiwake").out, "30\n")
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
        let rest = try CLI.run(["index", "--index", indexPath, "-"], stdin: records(1...60), in: tmp)
        XCTAssertTrue(rest.err.contains("added 30, updated 0, removed 0, unchanged 30"), rest.description)
    }

    /// Interrupted while waiting on stdin, then the input ends: still an interrupted run (it
    /// had exited 0 as if complete).
    func testAnInterruptWhileWaitingForInputIsStillAnInterrupt() throws {
        let (status, said) = try interruptedStdinRun(before: records(1...5), after: Data())
        XCTAssertEqual(status, 130, said)
        XCTAssertTrue(said.contains("interrupted; kept what was read: added 5,"), said)
    }

    /// The number after `word` in a run's summary ("added 2,127," gives 2127).
    static func count(_ word: String, in summary: String) -> Int? {
        guard let range = summary.range(of: word + " ") else { return nil }
        return Int(summary[range.upperBound...].prefix { $0.isNumber || $0 == "," }.filter(\.isNumber))
    }

    /// Ctrl-C while the finished run packs its file stops the packing: the index stays as its
    /// last commit left it, and the run says it was interrupted (it had packed and exited 0).
    func testAnInterruptWhilePackingStopsThePacking() throws {
        let bbc = CLI.packageRoot.appendingPathComponent("../shared/corpora/bbc").standardized
        guard FileManager.default.fileExists(atPath: bbc.path) else {
            throw XCTSkip("../shared/corpora/bbc is absent; interrupt-while-packing test skipped")
        }
        let (process, said, errors) = try startNewsidx(["index", "--index", indexPath, bbc.path])
        let scratch = indexPath + "/.pack"
        while process.isRunning && !FileManager.default.fileExists(atPath: scratch) { usleep(1_000) }
        guard process.isRunning else { throw XCTSkip("the run ended before its packing was seen; nothing to interrupt") }
        process.interrupt()
        process.waitUntilExit()
        usleep(100_000)
        errors.fileHandleForReading.readabilityHandler = nil
        XCTAssertEqual(process.terminationStatus, 130, said.text)
        // Every file was read before packing began: added and skipped (identical copies) make
        // the folder's text files, counted here, as copies of the corpus may differ.
        let files = try FileManager.default.subpathsOfDirectory(atPath: bbc.path).filter { $0.lowercased().hasSuffix(".txt") }.count
        let added = Self.count("added", in: said.text), skipped = Self.count("skipped", in: said.text)
        XCTAssertTrue(said.text.contains("interrupted; kept what was read: added "), said.text)
        XCTAssertEqual(added.map { $0 + (skipped ?? 0) }, files, said.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch), "the packing scratch stayed")
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
        let again = try CLI.run(["index", "--index", indexPath, bbc.path], in: tmp)
        XCTAssertEqual(again.status, 0, again.description)
        XCTAssertTrue(again.err.contains("added 0, updated 0, removed 0, unchanged \(files),"), again.err)
    }

    /// Starts newsidx with `arguments` (stdout dropped), its stderr collected as it comes from
    /// the returned pipe; set the pipe's readability handler to nil once done.
    private func startNewsidx(_ arguments: [String], stdin: Pipe? = nil) throws -> (Process, CollectedOutput, Pipe) {
        let process = Process()
        process.executableURL = try CLI.requireExecutable()
        process.arguments = arguments
        let errors = Pipe()
        if let stdin { process.standardInput = stdin }
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let said = CollectedOutput()
        errors.fileHandleForReading.readabilityHandler = { said.append($0.availableData) }
        try process.run()
        return (process, said, errors)
    }

    private func records(_ range: ClosedRange<Int>) -> Data {
        Data(range.map { #"{"id":"r\#($0)","text":"kittiwake count \#($0)"}"# + "\n" }.joined().utf8)
    }

    /// `index -` given `before`, then SIGINT, then `after` and the end of input: its exit status
    /// and stderr.
    private func interruptedStdinRun(before: Data, after: Data) throws -> (Int32, String) {
        // A newsidx that died of the interrupt must fail the test, not end it; restored after, as
        // the programs other tests start inherit what is ignored.
        let previousPipeHandler = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previousPipeHandler) }
        let input = Pipe()
        let (process, said, errors) = try startNewsidx(["index", "--index", indexPath, "-"], stdin: input)
        try input.fileHandleForWriting.write(contentsOf: before)
        sleep(2)  // the records are read as they arrive; nothing tells when, so give it time
        process.interrupt()
        usleep(200_000)
        try? input.fileHandleForWriting.write(contentsOf: after)
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        usleep(100_000)
        errors.fileHandleForReading.readabilityHandler = nil
        return (process.terminationStatus, said.text)
    }

    func testCompressedFilesAreRead() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/gzip") else { throw XCTSkip("no /bin/gzip") }
        try write("gz/harbour.jsonl", Fixture.harbourJSONL)
        try write("gz/note.txt", """
            Lifeboat crew rescue kayaker off Skerrow

            SKERROW, 9 August 2023 — The lifeboat crew were called out twice on Wednesday, first to a kayaker who had been swept past the headland and later to a yacht with a fouled propeller.

            """)
        let gzip = try CLI.runProgram(URL(fileURLWithPath: "/bin/gzip"), ["gz/harbour.jsonl", "gz/note.txt"], in: tmp)
        XCTAssertEqual(gzip.status, 0, gzip.description)
        // Names in capitals are read as they are recognised (it had been read compressed, as binary).
        try FileManager.default.moveItem(at: tmp.appendingPathComponent("gz/note.txt.gz"), to: tmp.appendingPathComponent("gz/NOTE.TXT.GZ"))
        let r = try newsidx("index", "--index", indexPath, "gz")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.hasPrefix("added 5,"), r.err)
        let hits = try newsidx("search", "--index", indexPath, "--format", "jsonl", "--any", "lifeboat", "lighthouse").jsonLines()
        XCTAssertEqual(Set(hits.compactMap { $0["id"] as? String }), ["gz/NOTE.TXT.GZ", "tide-2"])
        XCTAssertEqual(hits.first { $0["id"] as? String == "gz/NOTE.TXT.GZ" }?["date"] as? String, "2023-08-09")
    }

    func testPlainTextAndHTMLFilesInAFolderAreIndexedUnderTheirPaths() throws {
        try write("pages/a/heron.txt", """
            Grey heron returns to the mill pond

            MILLBECK, 4 June 2023 — A grey heron has been seen fishing in the mill pond every morning this week, standing motionless on the weir before striking at the minnows below it.

            The pond's volunteers said it was the first heron to stay for more than a day since the sluice was repaired in the winter, and asked visitors to keep their dogs on leads along the bank.

            """)
        try write("pages/b/otter.html", """
            <html><head><title>Otters | Millbeck Notes</title></head><body>
            <nav><a href="/">Home</a> <a href="/wildlife">Wildlife</a></nav>
            <article><h1>Otter tracks found below the weir</h1>
            <p>Volunteers checking the footpath below the weir found otter tracks in the mud on Saturday, the clearest sign yet that the animals have returned to the upper river.</p>
            <p>A camera will be placed on the bank next month in the hope of filming the otters at night, when they are most likely to be hunting along the shallows.</p>
            </article><footer>Millbeck Notes, a volunteer newsletter</footer></body></html>
            """)
        try write("pages/ignored.csv", "weir,heron,otter\n")
        let r = try newsidx("index", "--index", indexPath, "pages")
        XCTAssertEqual(r.status, 0, r.description)
        XCTAssertTrue(r.err.hasPrefix("added 2,"), r.err)
        let weir = try newsidx("search", "--index", indexPath, "--format", "jsonl", "weir")
        let hits = try weir.jsonLines()
        XCTAssertEqual(Set(hits.compactMap { $0["id"] as? String }), ["pages/a/heron.txt", "pages/b/otter.html"])
        let heron = try XCTUnwrap(hits.first { $0["id"] as? String == "pages/a/heron.txt" })
        XCTAssertEqual(heron["title"] as? String, "Grey heron returns to the mill pond")
        XCTAssertEqual(heron["date"] as? String, "2023-06-04")
        let otter = try XCTUnwrap(hits.first { $0["id"] as? String == "pages/b/otter.html" })
        XCTAssertEqual(otter["title"] as? String, "Otter tracks found below the weir")
        // The nav and footer are not part of the stored article.
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "newsletter").status, 1)
    }

    /// --prune removes documents of files gone from the folders given, and only with --prune.
    func testPruneRemovesDocumentsWhoseFilesAreGone() throws {
        let story = "Volunteers counted the herons nesting along the estuary wall this spring. "
        for name in ["one", "two", "three"] { try write("notes/\(name).txt", "\(name.capitalized) heron count\n\n\(name) \(story)\n") }
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "notes").status, 0)
        try FileManager.default.removeItem(at: tmp.appendingPathComponent("notes/two.txt"))

        let kept = try newsidx("index", "--index", indexPath, "notes")
        XCTAssertEqual(kept.status, 0, kept.description)
        XCTAssertTrue(kept.err.contains("removed 0,"), kept.err)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "heron").out, "3\n")

        let pruned = try newsidx("index", "--prune", "--index", indexPath, "notes")
        XCTAssertEqual(pruned.status, 0, pruned.description)
        XCTAssertTrue(pruned.err.contains("removed 1,"), pruned.err)
        let paths = try newsidx("search", "--index", indexPath, "--format", "paths", "heron")
        XCTAssertEqual(Set(paths.lines), ["notes/one.txt", "notes/three.txt"])
    }

    /// A path given to --prune that cannot be read (here missing: a renamed folder, an unmounted
    /// disk) is a problem, not a folder gone: what was indexed under it stays (it had all been
    /// removed, with the run's error saying the folder was not there).
    func testPruneRemovesNothingUnderAPathItCannotRead() throws {
        let story = "Volunteers counted the herons nesting along the estuary wall this spring. "
        for name in ["one", "two"] { try write("notes/\(name).txt", "\(name.capitalized) heron count\n\n\(name) \(story)\n") }
        try write("wire/a.jsonl", #"{"id":"w1","text":"\#(story)"}"# + "\n")
        XCTAssertEqual(try newsidx("index", "--index", indexPath, "notes", "wire").status, 0)
        for folder in ["notes", "wire"] {
            try FileManager.default.moveItem(at: tmp.appendingPathComponent(folder), to: tmp.appendingPathComponent(folder + ".away"))
        }
        let pruned = try newsidx("index", "--prune", "--index", indexPath, "notes", "wire")
        XCTAssertEqual(pruned.status, 2, pruned.description)
        XCTAssertTrue(pruned.err.contains("notes: ") && pruned.err.contains("wire: "), pruned.err)
        XCTAssertTrue(pruned.err.contains("removed 0,") && pruned.err.contains("problems 2"), pruned.err)
        XCTAssertEqual(try newsidx("search", "--index", indexPath, "--count", "heron").out, "3\n")
        XCTAssertEqual(try newsidx("check", "--index", indexPath).status, 0)
    }
}

/// Output a reading thread appends to while the test polls it.
private final class CollectedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.lock()
        data += chunk
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
