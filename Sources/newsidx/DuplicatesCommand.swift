// newsidx (CLI): `newsidx duplicates`: every pair of near-duplicate documents in the index.
// Owns the pair listing used to inspect (and measure) what `--dedup` collapses.
import ArgumentParser
import InvertedIndex
import Query

struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "List pairs of near-duplicate documents (syndicated copies, light edits).",
        discussion: """
        Each document has a 64-bit SimHash of its word 3-shingles; a pair is listed when the two differ in at most --threshold bits. Identical copies (the same text under another id, which the index stores once) are listed at distance 0 beside the document's id. Output: distance, id, id, title, title (tab-separated). Exit status: 0 when a pair is listed, 1 when none is, 2 on an error.

        Examples:
          newsidx duplicates | head
          newsidx duplicates --threshold 0 | wc -l
        """
    )

    @OptionGroup var location: IndexLocation

    @Option(help: "Most bits two fingerprints may differ in (0 to 7).")
    var threshold: Int = Fingerprint.threshold

    func validate() throws {
        guard (0...7).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 7") }
    }

    func run() throws {
        let reader = try IndexReader(store: try IndexStore.open(path: location.path, readOnly: true))
        let pairs = try Dedup.pairs(reader: reader, threshold: threshold)
        let copies = try reader.copies().sorted { ($0.doc, $0.id) < ($1.doc, $1.id) }
        // Copies first: distance 0 like the closest pairs, and each names its document.
        for (id, doc, _) in copies {
            let record = try reader.document(doc)
            print(["0", record.externalID, id, record.title, record.title])
        }
        for (a, b, d) in pairs {
            let da = try reader.document(a), db = try reader.document(b)
            print([String(d), da.externalID, db.externalID, da.title, db.title])
        }
        Terminal.flush()
        if pairs.isEmpty && copies.isEmpty { throw ExitStatus.noMatch }
    }

    private func print(_ fields: [String]) {
        Terminal.out(fields.map(HitPrinter.tsvEscaped).joined(separator: "\t") + "\n")
    }
}
