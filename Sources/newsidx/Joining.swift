// newsidx: joining strings on the search path without the standard library's generic joins.
// Owns `join`, which a query's words and every output line go through.

/// `items` with `separator` between them. The standard library's `joined(separator:)` is not
/// specialized for our callers: its first call in a process looks up a conformance among
/// every one in the static binary, 0.17 million instructions of a one-query process.
func join(_ items: [String], separator: String) -> String {
    var text = ""
    for (k, item) in items.enumerated() {
        if k > 0 { text += separator }
        text += item
    }
    return text
}
