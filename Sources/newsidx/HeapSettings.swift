// newsidx (CLI): how the process sets up glibc's heap before any command runs.
// Owns the malloc options, and the one re-execution that gives writers transparent huge pages.
#if canImport(Glibc)
import Glibc
#endif

enum HeapSettings {
    /// The glibc tunable that makes malloc ask for transparent huge pages
    /// (`MADV_HUGEPAGE`) on the memory it maps for large blocks and for its heaps.
    private static let hugePageTunable = "glibc.malloc.hugetlb=1"

    /// Applies the malloc options and, for a writer, re-executes this program with the huge
    /// page tunable when it is not already set. Returns only when no re-execution happened.
    static func apply(arguments: [String]) {
        // Indexing threads each get a malloc arena by default; two arenas and prompt trimming
        // keep the freed batch buffers from lingering as resident memory.
        _ = glibcMallopt(-8 /* M_ARENA_MAX */, 2)
        _ = glibcMallopt(-1 /* M_TRIM_THRESHOLD */, 1 << 20)
        if writes(arguments) { reexecuteWithHugePages(arguments) }
    }

    /// `index` and `delete` build batches of hundreds of megabytes and free them again, and
    /// every 4 KiB page of that memory is a page fault when first touched: 450,000 faults
    /// for news-combined. Readers allocate little, and most of a search's process time is
    /// its start, which a second `exec` would repeat, so they are left alone.
    private static func writes(_ arguments: [String]) -> Bool {
        guard let command = arguments.dropFirst().first else { return false }
        return command == "index" || command == "delete"
    }

    /// Set for the program started again, so that it never starts itself a third time. The
    /// tunable's presence is no sure sign: glibc may rewrite `GLIBC_TUNABLES` as it parses it
    /// (with 2.36, /proc shows the variable cut at its first colon once the program runs).
    private static let reexecutedMarker = "NEWSIDX_HEAP_TUNED"

    /// glibc reads tunables only while a program starts, and a static executable has no
    /// other way to set this one, so the program starts again with it. A user's own choice
    /// of the tunable stands. If the `exec` fails (no /proc, say), the run goes on with the
    /// default heap and the environment as it was.
    private static func reexecuteWithHugePages(_ arguments: [String]) {
        if getenv(reexecutedMarker) != nil {
            unsetenv(reexecutedMarker)
            return
        }
        let name = "GLIBC_TUNABLES"
        let previous = getenv(name).map { String(cString: $0) }
        if let previous, previous.contains("glibc.malloc.hugetlb") { return }
        let tunables = previous.map { $0.isEmpty ? hugePageTunable : $0 + ":" + hugePageTunable } ?? hugePageTunable
        setenv(name, tunables, 1)
        setenv(reexecutedMarker, "1", 1)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", argv)
        argv.forEach { free($0) }
        unsetenv(reexecutedMarker)
        if let previous { setenv(name, previous, 1) } else { unsetenv(name) }
    }
}

/// glibc's mallopt; <malloc.h> is not part of Swift's Glibc module.
@_silgen_name("mallopt")
func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
