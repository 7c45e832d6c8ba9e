// Query: the stable sort used on a search's path, which needs no run-time type lookup.
// Owns only the sort; the orders are the callers'.

extension Array {
    /// The elements in `areInIncreasingOrder`'s order, equal ones in the order they were in:
    /// a bottom-up merge sort. The standard library's sort, from 64 elements on, keeps its
    /// pending runs in an array of `Range<Int>`, a type the runtime first finds by searching
    /// every conformance record of the binary: 0.1–0.4 ms of a one-query process, which
    /// snippets (one span per match), `--limit 100` or a prefix with many words would pay.
    func mergeSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element] {
        guard count > 1 else { return self }
        var from = self, to = self
        var width = 1
        while width < count {
            var low = 0
            while low < count {
                let middle = Swift.min(low + width, count), high = Swift.min(low + 2 * width, count)
                var i = low, j = middle
                for k in low..<high {
                    // The right run's element goes first only when strictly before: stable.
                    if j < high && (i == middle || areInIncreasingOrder(from[j], from[i])) {
                        to[k] = from[j]
                        j += 1
                    } else {
                        to[k] = from[i]
                        i += 1
                    }
                }
                low = high
            }
            swap(&from, &to)
            width *= 2
        }
        return from
    }
}
