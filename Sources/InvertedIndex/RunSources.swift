// InvertedIndex: what one `index` run met (ids, JSON Lines files), and from that what `--prune` removes.
// Owns the rule for when a document's source is gone; the writer applies it to the tables.

/// The sources an `index --prune` run met, gathered as it reads.
///
/// A file's id is its path, so a file document is gone when its path lies under a pruned
/// folder and the run did not meet it. A JSON Lines record's id is its own, so it is gone when
/// the run did not meet its id and its file (the record's origin, under a pruned folder) is
/// either gone or was read whole without a problem and no longer holds it. A file skipped as
/// unchanged, or one whose reading met a problem, keeps its records: a malformed line may be
/// the new version of any of them.
struct RunSources {
    private(set) var ids = Set<String>()
    private var files = Set<String>()
    private var filesReadWhole = Set<String>()
    private var filesWithProblems = Set<String>()

    mutating func met(id: String) { ids.insert(id) }
    mutating func met(file path: String) { files.insert(path) }
    mutating func readWhole(file path: String) { filesReadWhole.insert(path) }
    mutating func problem(in path: String) { filesWithProblems.insert(path) }

    /// Whether the document or alias `id` (read from `origin`, a JSON Lines file, or from a
    /// file of its own when `origin` is empty) is gone from under `roots`.
    func isGone(id: String, origin: String, under roots: [String]) -> Bool {
        guard !ids.contains(id) else { return false }
        if origin.isEmpty { return Self.isUnder(id, roots) }
        guard Self.isUnder(origin, roots) else { return false }
        return !files.contains(origin) || (filesReadWhole.contains(origin) && !filesWithProblems.contains(origin))
    }

    /// JSON Lines files read whole (or for their ids) without a problem: every record they
    /// hold was met.
    var filesMetWhole: [String] { filesReadWhole.filter { !filesWithProblems.contains($0) }.sorted() }

    /// Whether the JSON Lines file `path`, recorded as read whole, is gone from under `roots`.
    func isGone(file path: String, under roots: [String]) -> Bool {
        !files.contains(path) && Self.isUnder(path, roots)
    }

    /// `path` is one of `roots` or lies under one (stdin, `-`, is no folder).
    static func isUnder(_ path: String, _ roots: [String]) -> Bool {
        roots.contains { root in
            root != "-" && (path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/"))
        }
    }
}
