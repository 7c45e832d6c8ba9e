// newsidx (CLI): `newsidx index`: adding files, folders and JSON Lines to an index.
// Owns the index run's messages: problems as they happen, one summary line at the end.
import ArgumentParser
import Analysis
import Cleaning
import Ingest
import InvertedIndex
import Storage
import Glibc

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Add articles to the index (creating it if needed).",
        discussion: """
        PATH is a folder (searched recursively; .txt, .html, .htm, .jsonl, with .gz or .zst), a file, or - for JSON Lines on stdin. JSON Lines records are {"id","title","text","date"}; "contents" is accepted for "text". A file named with another extension, or none, is a page: HTML when it opens with a tag and holds a closing tag, else plain text. A file's id is its path as given; a record's id its "id".

        Examples:
          newsidx index ~/archive
          newsidx index --index /tmp/idx --stemmer none corpus.jsonl.zst
          zstd -dc dump.jsonl.zst | newsidx index -
          newsidx index --encoding gb18030 ~/archive-zh
        """
    )

    @OptionGroup var location: IndexLocation

    @Option(help: ArgumentHelp("Snowball stemmer for a new index: english (default), none, or any Snowball language.", valueName: "LANG"))
    var stemmer: String?

    @Flag(help: "Clean JSON Lines text as plain-text pages too (files are always cleaned).")
    var clean = false

    @Option(help: ArgumentHelp("Encoding of text files and HTML pages that are not UTF-8 and declare no charset (gb18030, big5, shift_jis, euc-kr, iso-2022-jp: any name iconv knows that writes ASCII as ASCII); without it they are read as Windows-1252, or as UTF-8 with bad bytes replaced and noted.", valueName: "NAME"))
    var encoding: String?

    @Option(help: "Worker threads for reading and analysis.")
    var threads: Int = 2

    @Flag(help: "Remove documents whose files under the given folders are gone, and JSON Lines records their file no longer holds.")
    var prune = false

    @Flag(help: "No progress line, even on a terminal (the summary line is always printed).")
    var quiet = false

    @Argument(help: "Files, folders, or - for JSON Lines on stdin.")
    var paths: [String]

    /// A new index is not made when none of the sources can be reached: a mistyped path had
    /// left an empty index folder behind. Each is named with the reason, as the walk names a
    /// source it cannot open.
    private func refuseToCreateAnIndexOfNothing() throws {
        guard !paths.contains("-"), access(location.path + "/data.mdb", F_OK) != 0 else { return }
        var unreachable: [String] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) != 0 else { return }
            unreachable.append("newsidx: \(path): \(String(cString: strerror(errno)))")
        }
        unreachable.forEach(Terminal.stderr)
        throw ExitStatus.failure
    }

    func validate() throws {
        if let stemmer, stemmer != "none", !Stemmer.languages.contains(stemmer) {
            throw ValidationError("unknown stemmer '\(stemmer)'; choose none or one of: \(Stemmer.languages.joined(separator: ", "))")
        }
        guard threads >= 1 && threads <= 64 else { throw ValidationError("--threads must be between 1 and 64") }
        _ = try LegacyEncoding.option(encoding)
    }

    func run() throws {
        let start = Terminal.microseconds()
        try refuseToCreateAnIndexOfNothing()
        let lock = try WriterLock(indexPath: location.path, waiting: { WriterLock.sayWaiting(location.path) })
        defer { withExtendedLifetime(lock) {} }
        IndexStore.removePackingLeftovers(indexPath: location.path)
        let store = try IndexStore.openOrCreate(path: location.path, stemmer: stemmer, deferSync: true)
        let writer = try IndexWriter(store: store, threads: threads)
        writer.tracksIDsForPrune = prune
        writer.cleansRecords = clean
        var options = IngestOptions()
        options.cleanJSONL = clean
        options.legacyEncoding = try LegacyEncoding.option(encoding)
        var inputProblems = 0
        let checks = SourceChecks(
            isUnchanged: { try writer.isUnchanged(id: $0, size: $1, modified: $2) },
            isUnchangedFile: { try writer.isUnchangedFile(path: $0, size: $1, modified: $2) },
            finishedFile: { writer.finishedFile(path: $0, size: $1, modified: $2, records: $3) },
            unchangedFileNeedsIDs: { try writer.unchangedFileNeedsIDs(path: $0) },
            unchangedFileIDs: { try writer.metUnchangedFile(path: $0, ids: $1) },
            holdsNoDocument: { try writer.fileTurnedBinary($0) })
        let progress = Progress(enabled: Terminal.stderrIsTerminal && !quiet, paths: paths)
        Interruption.catchTheFirst()
        do {
            try ArchiveWalker.walk(paths, options: options, checks: checks, emit: {
                if Interruption.wasRequested { throw Interruption.Stop() }
                try writer.add($0)
                progress.document()
            }, problem: { error in
                progress.finish()
                inputProblems += 1
                writer.couldNotRead(error.path)
                Terminal.stderr("newsidx: \(error)")
            })
        } catch is Interruption.Stop {}
        // Also when interrupted while waiting on stdin that then ended, with nothing more emitted.
        let interrupted = Interruption.wasRequested
        progress.finish()
        // An interrupted walk did not meet every file, so nothing may be pruned for it.
        if prune && !interrupted { try writer.prune(under: paths) }
        let report = try writer.finish()
        // A Ctrl-C after reading ended (while committing, pruning or packing) skips or stops
        // packing, the longest step left, and the run says it was interrupted: it had packed
        // and exited 0.
        let packing = interrupted ? nil : try packOrWarn(store, stop: { Interruption.wasRequested })
        let stopped = interrupted || Interruption.wasRequested
        sayProblems(report)
        sayNotes(report.notes)
        sayRepeated(report)
        let seconds = Double(Terminal.microseconds() - start) / 1e6
        Terminal.stderr((stopped ? "interrupted; kept what was read: " : "")
            + "added \(report.added), updated \(report.updated), removed \(report.removed), "
            + "unchanged \(report.unchanged), skipped \(report.skipped), "
            + "problems \(report.problemCount + inputProblems) in \(formatSeconds(seconds)) s"
            + DeleteCommand.forgottenCopies(report))
        if let packing { Terminal.stderr("newsidx: warning: \(packing)") }
        if stopped { throw ExitStatus(code: 130) }
        if inputProblems + report.problemCount > 0 { throw ExitStatus.failure }
    }
}

/// Packs the index when it is worth it; returns a warning when that failed for want of disk
/// space or an I/O error. The index then stays as the run's last commit left it, complete but
/// loose: like git's automatic gc after a commit, a warning and not the run's failure (a full
/// disk had made every later run exit 2 with no summary, though all it did was committed).
/// Damage found on the way still fails the run.
/// Stopped by `stop`, it leaves the index unpacked and returns nil.
func packOrWarn(_ store: IndexStore, stop: () -> Bool = { false }) throws -> String? {
    do {
        try store.packIfWorthIt(stop: stop)
        return nil
    } catch is CopyStopped {
        return nil
    } catch let error as IndexError {
        // Not the error's own advice ("run the command again"): the command did all it was asked.
        // Damage the copy met (LMDB's MDB_CORRUPTED) fails the run, with `check`'s advice: a
        // warning and exit 0 had let it pass as a disk problem (a fault QA helper).
        guard case let .storage(cause, path) = error, !cause.isDamage else { throw error }
        return "every change is committed, but the index could not be packed into less space (\(path): \(cause)); "
            + packingAdvice(cause.code)
    }
}

/// What lets a later run pack: packing writes a copy beside the data file, so a folder the
/// user may not write fails as a full disk does, and freeing space would not help it.
private func packingAdvice(_ errno: Int32) -> String {
    switch errno {
    case EACCES, EPERM, EROFS: return "a run that may write files in the index folder packs it"
    case ENOSPC, EDQUOT: return "a run after space is freed packs it"
    default: return "a later run tries again"
    }
}

/// Each source's first problems, then how many more it had.
private func sayProblems(_ report: IndexReport) {
    for problem in report.problems { Terminal.stderr("newsidx: \(problem)") }
    for (source, count) in report.problemsNotShown.sorted(by: { $0.key < $1.key }) {
        Terminal.stderr("newsidx: \(source): \(count) more record\(count == 1 ? "" : "s") with problems, not shown")
    }
}

/// The first few inputs read but not as written (they are indexed; the run does not fail).
private func sayNotes(_ notes: [String]) {
    for note in notes.prefix(10) { Terminal.stderr("newsidx: note: \(note)") }
    if notes.count > 10 { Terminal.stderr("newsidx: note: and \(notes.count - 10) more like these") }
}

/// Names the first few ids given more than once; each later record replaced the earlier.
private func sayRepeated(_ report: IndexReport) {
    let ids = report.repeatedIDs
    guard !ids.isEmpty else { return }
    let shown = ids.map { "'\($0)'" }.joined(separator: ", ")
    let others = report.distinctRepeatedIDCount - ids.count
    let more = others == 0 ? "" : report.distinctRepeatedIDsCounted ? " and \(others) more" : " and at least \(others) more"
    let records = report.repeatedIDCount == 1 ? "1 earlier record" : "\(report.repeatedIDCount) earlier records"
    Terminal.stderr("newsidx: ids given more than once in this run, the last record of each kept: \(shown)\(more) (\(records) passed over)")
}

func formatSeconds(_ s: Double) -> String {
    let tenths = (s * 100).rounded() / 100
    return "\(tenths)"
}

extension WriterLock {
    /// Said once when a writer must wait for another: a silent wait looked like a hang.
    static func sayWaiting(_ path: String) {
        Terminal.stderr("newsidx: another newsidx is writing to \(path); waiting for it to finish")
    }
}
