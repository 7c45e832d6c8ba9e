// InvertedIndex: what one `index` run did, as its summary and messages tell it.
// Owns the counts, and how many problems and repeated ids are kept to be named.

/// What one `index` run did.
public struct IndexReport: Sendable {
    public var added = 0
    public var updated = 0
    public var removed = 0
    public var unchanged = 0
    /// Inputs not indexed: identical to an indexed document, or repeated ids.
    public var skipped = 0
    /// Documents that could not be read or parsed, with what and where: the first
    /// `problemsShownPerSource` of each source file, all of `problemCount`.
    public private(set) var problems: [String] = []
    public private(set) var problemCount = 0
    /// Per source file, its problems past those shown (a dump whose every line was bad, or
    /// binary bytes piped in, had printed a line for each).
    public private(set) var problemsNotShown: [String: Int] = [:]
    private var problemsShown: [String: Int] = [:]
    public static let problemsShownPerSource = 10
    /// The first few ids given more than once in the run (the last record read is the one
    /// kept): worth saying, since the earlier ones are gone, but no failure (a dump may append
    /// updates)...
    public private(set) var repeatedIDs: [String] = []
    /// ...how many times an id came again...
    public private(set) var repeatedIDCount = 0
    /// ...and which ids did: one id given 1,500 times had been named five times over. Up to a
    /// bound, so that a dump of revisions of a million stories does not hold every id again;
    /// past it the count of distinct ids is a least value.
    private var everyRepeatedID = Set<String>()
    public var distinctRepeatedIDCount: Int { everyRepeatedID.count }
    public private(set) var distinctRepeatedIDsCounted = true
    static let distinctRepeatedIDsHeld = 100_000
    static let repeatedIDsNamed = 5
    /// What was read but not as written (an unreadable date, undecodable bytes), with where:
    /// the document is indexed all the same.
    public var notes: [String] = []
    /// Of `removed`: documents handed to an identical copy, which stays searchable under its own
    /// id, and ids that were copies' (their documents stay).
    public var handedToCopies = 0
    public var copiesForgotten = 0
    public var batches = 0

    mutating func add(problem: String, source: String?) {
        problemCount += 1
        if let source {
            let shown = problemsShown[source, default: 0]
            guard shown < Self.problemsShownPerSource else {
                problemsNotShown[source, default: 0] += 1
                return
            }
            problemsShown[source] = shown + 1
        }
        problems.append(problem)
    }

    mutating func add(repeatedID id: String) {
        repeatedIDCount += 1
        guard everyRepeatedID.count < Self.distinctRepeatedIDsHeld || everyRepeatedID.contains(id) else {
            distinctRepeatedIDsCounted = false
            return
        }
        if everyRepeatedID.insert(id).inserted && repeatedIDs.count < Self.repeatedIDsNamed { repeatedIDs.append(id) }
    }
}
