// InvertedIndex: what one `index` run met (ids, JSON Lines files), and from that what `--prune` removes.
// Owns the rule for when a document's source is gone; the writer applies it to the tables.
import Glibc

/// The sources an `index --prune` run met, gathered as it reads.
///
/// A file's id is its path, so a file document is gone when its path lies under a pruned
/// folder and the run did not meet it. A JSON Lines record's id is its own, so it is gone when
/// the run did not meet its id and its file (the record's origin, under a pruned folder) is
/// either gone or was read whole without a problem and no longer holds it. Nothing at or under
/// a path the run could not read is gone: a folder it could not list (or a path given that is
/// missing) may still hold its files, and a malformed line of a JSON Lines file may be the new
/// version of any of its records.
///
/// A path stored absolute (`$PWD/dumps/x.jsonl`, as a scheduled job gives it) is compared with the
/// run's paths made absolute, so pruning `dumps` or `./dumps` finds it: compared as spelled, such
/// a dump had kept the records its file no longer held, whatever the prune was run with. A path
/// stored relative is compared as spelled, as before: it names a file under whatever folder that
/// run was started in, which the index does not know, so it is never taken for one under this
/// run's folder (that had removed the documents of files that were still there).
struct RunSources {
    /// By their bytes (`ExactID`): an id met is not another spelled with the same accents
    /// composed otherwise.
    private(set) var ids = Set<ExactID>()
    /// Files read as a document each, with the size and modification time met, by every
    /// spelling `PathSet` compares: the same file under another spelling (`./wire/a.txt`,
    /// indexed by an earlier run, against `wire/a.txt` met now) is not gone while it is as that
    /// id last read it (such copies had been pruned while their files stood); changed since, the
    /// id's text is stale and goes, as before.
    private var documentFiles: [ExactID: (size: UInt64, modified: Int64)] = [:]
    private var files = PathSet()
    /// Spelled as the run read them, by their `PathSet` keys.
    private var filesReadWhole: [ExactID: String] = [:]
    private var readWholeKeys = PathSet()
    /// Paths that met a problem: folders and files that could not be read, files with a bad record.
    private var problems = PathSet()
    private let spelling = Spelling()

    mutating func met(id: String) { ids.insert(ExactID(id)) }
    mutating func met(documentFile path: String, size: UInt64, modified: Int64) {
        ids.insert(ExactID(path))
        for key in PathSet.keys(path, spelling) { documentFiles[ExactID(key)] = (size, modified) }
    }
    mutating func met(file path: String) { files.insert(path, spelling) }
    mutating func readWhole(file path: String) {
        filesReadWhole[ExactID(path)] = path
        readWholeKeys.insert(path, spelling)
    }
    mutating func problem(in path: String) { problems.insert(path, spelling) }

    /// Whether the document or alias `id` (read from `origin`, a JSON Lines file, or from a
    /// file of its own when `origin` is empty) is gone from under `roots`.
    func isGone(id: String, origin: String, stamp: SourceStamp, under roots: PathSet) -> Bool {
        guard !ids.contains(ExactID(id)) else { return false }
        if origin.isEmpty, let met = documentFiles[ExactID(PathSet.storedKey(id, spelling))],
           met == (stamp.size, stamp.modified) { return false }
        let source = origin.isEmpty ? id : origin
        guard roots.holdsOrContains(source, spelling), !problems.holdsOrContains(source, spelling) else { return false }
        return origin.isEmpty || !files.contains(origin, spelling) || readWholeKeys.contains(origin, spelling)
    }

    /// JSON Lines files read whole (or for their ids) without a problem: every record they
    /// hold was met.
    var filesMetWhole: [String] {
        filesReadWhole.values.filter { !problems.holdsOrContains($0, spelling) }.sorted()
    }

    /// Whether the JSON Lines file `path`, recorded as read whole, is gone from under `roots`.
    func isGone(file path: String, under roots: PathSet) -> Bool {
        !files.contains(path, spelling) && roots.holdsOrContains(path, spelling) && !problems.holdsOrContains(path, spelling)
    }

    /// The folders a prune names, as `isGone` compares them (stdin, `-`, is no folder).
    func roots(_ paths: [String]) -> PathSet {
        var set = PathSet()
        for path in paths where path != "-" { set.insert(path, spelling) }
        return set
    }

    /// `path` is one of `roots` or lies under one (stdin, `-`, is no folder), byte for byte:
    /// `String`'s comparisons take a composed and a combining accent for one name (`ExactID`).
    static func isUnder(_ path: String, _ roots: some Sequence<ExactID>) -> Bool {
        let bytes = Array(path.utf8)
        return roots.contains { root in
            guard root.bytes != [0x2D] else { return false }
            return bytes == root.bytes || bytes.starts(with: root.bytes.last == 0x2F ? root.bytes : root.bytes + [0x2F])
        }
    }

    /// Paths this run met, by relative and absolute spellings (see `RunSources`).
    struct PathSet {
        /// Relative paths without `.`, `..` pairs or repeated slashes (`./wire/` is `wire`).
        private var relative = Set<ExactID>()
        /// Relative paths that name the working folder itself (`.`), as spelled.
        private var workingFolder = Set<ExactID>()
        private var absolute = Set<ExactID>()

        /// The spellings `insert` files `path` under, as `storedKey` finds them (absolute ones
        /// begin with "/", tidied relative ones never do).
        static func keys(_ path: String, _ spelling: Spelling) -> [String] {
            path.hasPrefix("/") ? [spelling.normalized(path)] : [Spelling.tidied(path)] + spelling.absolute(path)
        }

        /// The spelling a stored path is compared by, as `contains` compares it.
        static func storedKey(_ stored: String, _ spelling: Spelling) -> String {
            stored.hasPrefix("/") ? spelling.normalized(stored) : Spelling.tidied(stored)
        }

        mutating func insert(_ path: String, _ spelling: Spelling) {
            if path.hasPrefix("/") {
                absolute.insert(ExactID(spelling.normalized(path)))
                return
            }
            let tidy = Spelling.tidied(path)
            if tidy.isEmpty { workingFolder.insert(ExactID(path)) } else { relative.insert(ExactID(tidy)) }
            absolute.formUnion(spelling.absolute(path).map(ExactID.init))
        }

        /// A stored path met by this run.
        func contains(_ stored: String, _ spelling: Spelling) -> Bool {
            stored.hasPrefix("/") ? absolute.contains(ExactID(spelling.normalized(stored)))
                : relative.contains(ExactID(Spelling.tidied(stored)))
        }

        /// A stored path that is one of these or lies under one. `.` holds the relative paths
        /// spelled from it (`./a.txt`), as before: `a.txt` may have come from another folder.
        func holdsOrContains(_ stored: String, _ spelling: Spelling) -> Bool {
            if stored.hasPrefix("/") { return RunSources.isUnder(spelling.normalized(stored), absolute) }
            return RunSources.isUnder(Spelling.tidied(stored), relative) || RunSources.isUnder(stored, workingFolder)
        }
    }

    /// Absolute spellings of the run's paths, without `.`, `..` or repeated slashes. A relative
    /// path is joined to the working folder as the shell names it (`$PWD`, which may pass
    /// through links) and as the system does (`getcwd`, which resolves them): a path stored
    /// from either spelling is found. Links inside the paths are not followed: ids are spellings.
    struct Spelling {
        let workingFolders: [String]

        init() {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let physical = getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : "/"
            var folders = [physical]
            if let logical = getenv("PWD").map({ String(cString: $0) }), logical.hasPrefix("/"), logical != physical,
               Spelling.sameFolder(logical, physical) {
                folders.append(logical)
            }
            workingFolders = folders
        }

        private static func sameFolder(_ a: String, _ b: String) -> Bool {
            var sa = stat(), sb = stat()
            return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
        }

        func absolute(_ path: String) -> [String] {
            guard path != "-", !path.isEmpty else { return [] }
            if path.hasPrefix("/") { return [normalized(path)] }
            // The system takes `..` from the folder the link leads to, so the shell's spelling
            // of a path that climbs is no spelling of the folder the run read.
            let climbs = path.split(separator: "/").contains("..")
            return (climbs ? [workingFolders[0]] : workingFolders).map { normalized($0 + "/" + path) }
        }

        /// A relative path without `.`, repeated slashes, or `..` after a name.
        static func tidied(_ relative: String) -> String {
            var parts: [Substring] = []
            for part in relative.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
                if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
                parts.append(part)
            }
            return parts.joined(separator: "/")
        }

        func normalized(_ absolute: String) -> String {
            var parts: [Substring] = []
            for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
                if part == "." { continue }
                if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
                parts.append(part)
            }
            return "/" + parts.joined(separator: "/")
        }
    }
}
