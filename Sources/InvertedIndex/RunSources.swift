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
/// Paths are compared as absolute paths, resolved against the working folder with `.` and `..`
/// taken out (`Spelling`): a dump indexed as `$PWD/dumps` and pruned as `dumps` (or `./dumps`)
/// had kept the records its file no longer held, whatever the prune was run again with.
struct RunSources {
    private(set) var ids = Set<String>()
    private var files = Set<String>()
    /// Spelled as the run read them, by their absolute spelling.
    private var filesReadWhole: [String: String] = [:]
    /// Paths that met a problem: folders and files that could not be read, files with a bad record.
    private var problems = Set<String>()
    private let spelling = Spelling()

    mutating func met(id: String) { ids.insert(id) }
    mutating func met(file path: String) { files.insert(spelling.absolute(path)) }
    mutating func readWhole(file path: String) { filesReadWhole[spelling.absolute(path)] = path }
    mutating func problem(in path: String) { problems.insert(spelling.absolute(path)) }

    /// Whether the document or alias `id` (read from `origin`, a JSON Lines file, or from a
    /// file of its own when `origin` is empty) is gone from under `roots`.
    func isGone(id: String, origin: String, under roots: [String]) -> Bool {
        guard !ids.contains(id) else { return false }
        let source = spelling.absolute(origin.isEmpty ? id : origin)
        guard Self.isUnder(source, roots.map(spelling.absolute)), !Self.isUnder(source, problems) else { return false }
        return origin.isEmpty || !files.contains(source) || filesReadWhole[source] != nil
    }

    /// JSON Lines files read whole (or for their ids) without a problem: every record they
    /// hold was met.
    var filesMetWhole: [String] {
        filesReadWhole.filter { !Self.isUnder($0.key, problems) }.map(\.value).sorted()
    }

    /// Whether the JSON Lines file `path`, recorded as read whole, is gone from under `roots`.
    func isGone(file path: String, under roots: [String]) -> Bool {
        let absolute = spelling.absolute(path)
        return !files.contains(absolute) && Self.isUnder(absolute, roots.map(spelling.absolute))
            && !Self.isUnder(absolute, problems)
    }

    /// `path` is one of `roots` or lies under one (stdin, `-`, is no folder).
    static func isUnder(_ path: String, _ roots: some Sequence<String>) -> Bool {
        roots.contains { root in
            root != "-" && (path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/"))
        }
    }

    /// A path's absolute spelling: joined to the working folder when relative, without `.`,
    /// `..` or repeated slashes. Links are not followed: ids are spellings, not files.
    struct Spelling {
        let workingFolder: String

        init() {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            workingFolder = getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : "/"
        }

        func absolute(_ path: String) -> String {
            guard path != "-", !path.isEmpty else { return path }
            let joined = path.hasPrefix("/") ? path : workingFolder + "/" + path
            var parts: [Substring] = []
            for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
                if part == "." { continue }
                if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
                parts.append(part)
            }
            return "/" + parts.joined(separator: "/")
        }
    }
}
