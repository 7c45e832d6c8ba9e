// newsidx (CLI): `newsidx check`: the integrity check, for people and for scripts.
// Owns the report format: one line per problem, then a summary; exit 1 when anything is wrong.
import ArgumentParser
import InvertedIndex

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify every invariant of the index.",
        discussion: """
        Checks the format version, the dictionary (its blocks decode, words in order, every posting block owned by a word), postings (sorted, pointing at live documents, block headers), document and collection frequencies, positions (ordered, inside their field), the statistics, norms, stored text, and the id map both ways. Exit status: 0 when the index is sound, 1 when a problem was found, 2 when it cannot be read.

        Examples:
          newsidx check
          newsidx check --index /srv/archive-index || echo "rebuild it"
        """
    )

    @OptionGroup var location: IndexLocation

    func run() throws {
        CrashGuard.runInChild(CommandLine.arguments, what: "check")
        let reader = try IndexReader(store: try IndexStore.open(path: location.path, readOnly: true))
        var check = IntegrityCheck(reader: reader)
        try check.run()
        for p in check.problems { Terminal.out(p + "\n") }
        if check.problemCount > check.problems.count {
            Terminal.out("... and \(check.problemCount - check.problems.count) more problems\n")
        }
        Terminal.out("checked \(check.checkedDocuments) documents, \(check.checkedTerms) terms, \(check.checkedPostings) postings: "
            + (check.problemCount == 0 ? "ok" : check.problemCount == 1 ? "1 problem" : "\(check.problemCount) problems") + "\n")
        Terminal.flush()
        if check.problemCount > 0 { throw ExitStatus.noMatch }
    }
}
