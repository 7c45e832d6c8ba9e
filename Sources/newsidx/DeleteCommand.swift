// newsidx (CLI): `newsidx delete`: removing documents by id.
// Owns the message for ids that were not there.
import ArgumentParser
import InvertedIndex

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove documents from the index by id.",
        discussion: """
        The documents vanish from results, counts and statistics at once; their postings are rewritten, so the index does not keep their space. A document with identical copies (other files with the same content, which search lists once) is handed to one of them and stays searchable under its id, as notmuch keeps a message while a file of it remains; the summary says how many. A document whose file is still there comes back when a later `newsidx index` reads that file again: remove the file too, or the record from its JSON Lines file. Exit status: 0 when every id was removed, 1 when some were not in the index.

        Ids that begin with '-' go after '--'.

        Examples:
          newsidx delete archive/2019/story.txt
          newsidx search --format paths0 --limit 100000 horoscope \\
            | xargs -0r newsidx delete --
        """
    )

    @OptionGroup var location: IndexLocation

    @Argument(help: "Document ids, as search prints them.")
    var ids: [String]

    /// What a delete did not make vanish: a document with an identical copy (listed once by
    /// search) is handed to it, and a copy's own id names no document of its own.
    static func copyDetails(_ report: IndexReport) -> String {
        var details: [String] = []
        switch report.handedToCopies {
        case 0: break
        case 1: details.append("; 1 stays searchable under the id of an identical copy (delete that too)")
        case let n: details.append("; \(n) stay searchable under the ids of identical copies (delete those too)")
        }
        return details.joined() + forgottenCopies(report)
    }

    /// Also said by `index --prune`, which removes the ids of copies whose files are gone.
    static func forgottenCopies(_ report: IndexReport) -> String {
        switch report.copiesForgotten {
        case 0: return ""
        case 1: return "; 1 was the id of an identical copy, whose document stays"
        case let n: return "; \(n) were ids of identical copies, whose documents stay"
        }
    }

    func run() throws {
        let lock = try WriterLock(indexPath: location.path, create: false, waiting: { WriterLock.sayWaiting(location.path) })
        defer { withExtendedLifetime(lock) {} }
        IndexStore.removePackingLeftovers(indexPath: location.path)
        let store = try IndexStore.open(path: location.path, readOnly: false)
        let writer = try IndexWriter(store: store, threads: 1)
        let missing = try writer.delete(ids: ids)
        let report = try writer.finish()
        let packing = try packOrWarn(store)
        for id in missing { Terminal.stderr("newsidx: no document with id '\(id)'") }
        Terminal.stderr("removed \(report.removed)" + Self.copyDetails(report))
        if let packing { Terminal.stderr("newsidx: warning: \(packing)") }
        if !missing.isEmpty { throw ExitStatus.noMatch }
    }
}
