// InvertedIndex: one document made ready for the index by a worker thread.
// Owns the per-worker analysis (terms grouped with their positions) and text compression.
import Analysis
import CPrefetch

/// What the ingest hands the index: the cleaned article.
public struct DocumentInput: Sendable {
    public var externalID: String
    public var title: String
    public var body: String
    public var date: String?
    public var source: SourceStamp
    /// The JSON Lines file the record was read from ("" for files and stdin).
    public var origin: String
    /// What was read but not as written, with where (`IndexReport.notes`).
    public var notes: [String] = []

    /// Without a `source`, the content hash is taken over the title and body.
    public init(externalID: String, title: String, body: String, date: String?, source: SourceStamp? = nil,
                origin: String = "") {
        self.origin = origin
        self.externalID = externalID
        self.title = title
        self.body = body
        self.date = date
        self.source = source ?? SourceStamp(contentHash: ContentHash.of(Array((title + "\n\n" + body).utf8)))
    }

    /// The text stored for `show` and snippets: title, blank line, body.
    public var storedText: String { title.isEmpty ? body : title + "\n\n" + body }
}

/// An error in reading one source (a file, or a line of one), which names it: `--prune`
/// keeps the records of a JSON Lines file whose reading met one.
public protocol SourceProblem: Error {
    var sourcePath: String { get }
}

/// A document still to be read or cleaned; `prepare` runs on a worker thread.
/// It returns nil to skip the document, and throws to report a problem with it.
public struct PendingDocument: @unchecked Sendable {
    public let prepare: () throws -> DocumentInput?
    /// The bytes `prepare` starts from (a page), which the writer also cuts chunks by; 0 for
    /// documents that must be chunked by count alone (JSON Lines records, see `IndexWriter`).
    public let sourceBytes: Int
    public init(sourceBytes: Int = 0, _ prepare: @escaping () throws -> DocumentInput?) {
        self.sourceBytes = sourceBytes
        self.prepare = prepare
    }
}

/// One field's terms, grouped: term `localTerms[i]` occurs `tfs[i]` times, at the next
/// `tfs[i]` entries of `positions`. Local ids belong to the worker's Analyzer.
struct GroupedTerms {
    var localTerms: [Int32] = []
    var tfs: [UInt32] = []
    var positions: [UInt32] = []
    var length: UInt32 = 0

    /// Groups position-ordered runs of terms (each starting at its base position, the runs in
    /// position order) by term: terms in order of first occurrence, each with its positions.
    /// Two linear passes over a per-worker table indexed by local term id; sorting
    /// (term, position) pairs instead was a twentieth of indexing. A run's pairs of Chinese or
    /// Japanese characters, stacked on its positions, take no length; they are never terms of
    /// the runs themselves, so each term's positions still come in order.
    init(runs: [(terms: [Int32], base: UInt32, pairs: [StackedTerm])], scratch: inout GroupingScratch) {
        scratch.startDocument()
        for run in runs {
            length += UInt32(run.terms.count)
            for pair in run.pairs {
                let group = scratch.group(of: pair.term, nextGroup: localTerms.count)
                if group == localTerms.count {
                    localTerms.append(pair.term)
                    tfs.append(0)
                }
                tfs[group] += 1
            }
            for (i, t) in run.terms.enumerated() {
                if i &+ GroupingScratch.lookahead < run.terms.count {
                    scratch.prefetchSlot(of: run.terms[i &+ GroupingScratch.lookahead])
                }
                let group = scratch.group(of: t, nextGroup: localTerms.count)
                if group == localTerms.count {
                    localTerms.append(t)
                    tfs.append(0)
                }
                tfs[group] += 1
            }
        }
        var next = [UInt32](repeating: 0, count: tfs.count)
        var sum: UInt32 = 0
        for (g, tf) in tfs.enumerated() {
            next[g] = sum
            sum += tf
        }
        positions = [UInt32](repeating: 0, count: Int(sum))
        for run in runs {
            for (i, t) in run.terms.enumerated() {
                let g = scratch.currentGroup(of: t)
                positions[Int(next[g])] = run.base + UInt32(i)
                next[g] += 1
            }
            for pair in run.pairs {
                let g = scratch.currentGroup(of: pair.term)
                positions[Int(next[g])] = run.base + pair.position
                next[g] += 1
            }
        }
    }

    init() {}
}

/// A worker's table from local term id to the term's group in the document being grouped,
/// stamped per document so it never needs clearing. Stamp and group share one 8-byte slot:
/// most of the table is rare words, and a word's first lookup in a document misses the cache.
struct GroupingScratch {
    /// Per local term id: the stamp of the document that last saw it (high half) and its group
    /// there (low half).
    private var slots: [UInt64] = []
    private var document: UInt32 = 0

    mutating func startDocument() {
        document &+= 1
        if document == 0 {  // the stamp wrapped: old stamps could match again
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            document = 1
        }
    }

    /// The term's group in this document; `nextGroup` (and recorded) when it is the first time.
    @inline(__always)
    mutating func group(of term: Int32, nextGroup: Int) -> Int {
        let t = Int(term)
        if t >= slots.count {
            slots.append(contentsOf: repeatElement(0, count: max(t + 1, slots.count * 2) - slots.count))
        }
        let slot = slots[t]
        if UInt32(truncatingIfNeeded: slot >> 32) == document { return Int(UInt32(truncatingIfNeeded: slot)) }
        slots[t] = UInt64(document) << 32 | UInt64(UInt32(nextGroup))
        return nextGroup
    }

    /// How many terms ahead the first pass asks for a slot, so that the misses overlap.
    static let lookahead = 16

    @inline(__always)
    func prefetchSlot(of term: Int32) {
        slots.withUnsafeBufferPointer { if Int(term) < $0.count { newsidx_prefetch($0.baseAddress! + Int(term)) } }
    }

    /// The group `group(of:nextGroup:)` gave the term in this document.
    @inline(__always)
    func currentGroup(of term: Int32) -> Int { Int(UInt32(truncatingIfNeeded: slots[Int(term)])) }
}

/// A document after analysis, ready to merge into a batch.
struct AnalyzedDocument {
    var record: DocumentRecord
    /// `DocumentInput.origin`; the writer sets the record's origin number from it.
    var origin: String
    var notes: [String]
    var storedText: PendingText
    var text: GroupedTerms
    var title: GroupedTerms
    var worker: Int
    var generation: Int
    /// Terms this document added to its worker's vocabulary: ids from `firstNewTerm` on,
    /// their bytes back to back, each ending at the matching offset in `newTermEnds`.
    var firstNewTerm: Int
    var newTermBytes: [UInt8]
    var newTermEnds: [Int]
    /// Words this document was the first of its worker's to stem, whose stems differ from
    /// them (`Analyzer.stemmedWords`).
    var stemmedWords: [StemmedWord] = []
}

/// A word and its stem, where the two differ (the `words` table's entries).
struct StemmedWord {
    var word: [UInt8]
    var stem: [UInt8]
}

/// Per-thread analysis state: an Analyzer and a compressor that are never shared.
final class DocumentAnalyzer {
    let analyzer: Analyzer
    let compressor = TextCompressor()
    /// Set by the writer between chunks, while no worker runs.
    var textHandling = TextHandling.compress(with: nil, measureEvery: 0)
    private var compressedCount = 0
    let worker: Int
    private var titleTerms: [Int32] = []
    /// Hash of each vocabulary term by local id, kept in step with the analyzer's table.
    var termHashes: [UInt64] = []
    private var hashGeneration = 0
    private var bodyTerms: [Int32] = []
    private var titlePairs: [StackedTerm] = []
    private var bodyPairs: [StackedTerm] = []
    private var grouping = GroupingScratch()

    init(language: String, eastAsian: EastAsianTerms, worker: Int) throws {
        analyzer = try Analyzer(language: language, eastAsian: eastAsian)
        self.worker = worker
    }

    /// Vocabulary caches are dropped past this size (a corpus of unique junk tokens stays bounded).
    /// English news stays under it (news-combined's words take 16 MB a worker); Chinese pairs
    /// pass it, and at 256 MB the two workers' tables (and the merger's mirrors of them) had
    /// taken 965 MB at the peak of 20,000 Chinese documents, against 754 MB now, in no more time:
    /// a term dropped is folded again when next met.
    static let vocabularyLimit = 32 << 20

    func analyze(_ input: DocumentInput) -> AnalyzedDocument {
        analyzer.trimCaches(above: DocumentAnalyzer.vocabularyLimit)
        if analyzer.generation != hashGeneration {
            termHashes.removeAll(keepingCapacity: true)
            hashGeneration = analyzer.generation
        }
        let firstNewTerm = analyzer.terms.count
        let firstNewWord = analyzer.stemmedWordCount
        titleTerms.removeAll(keepingCapacity: true)
        bodyTerms.removeAll(keepingCapacity: true)
        titlePairs.removeAll(keepingCapacity: true)
        bodyPairs.removeAll(keepingCapacity: true)
        analyzer.analyze(input.title, into: &titleTerms, pairs: &titlePairs)
        analyzer.analyze(input.body, into: &bodyTerms, pairs: &bodyPairs)
        let titleLength = UInt32(titleTerms.count)
        let bodyBase = titleLength == 0 ? 0 : titleLength + Format.bodyPositionGap
        let title = GroupedTerms(runs: [(titleTerms, 0, titlePairs)], scratch: &grouping)
        let text = GroupedTerms(runs: [(titleTerms, 0, titlePairs), (bodyTerms, bodyBase, bodyPairs)], scratch: &grouping)
        var record = DocumentRecord(externalID: input.externalID, title: input.title, date: input.date,
                                    textLength: titleLength + UInt32(bodyTerms.count), titleLength: titleLength,
                                    source: input.source)
        record.fingerprint = fingerprint(bodyTerms)
        var newTermBytes: [UInt8] = [], newTermEnds: [Int] = []
        for id in firstNewTerm..<analyzer.terms.count {
            analyzer.terms.withBytes(Int32(id)) { newTermBytes.append(contentsOf: $0) }
            newTermEnds.append(newTermBytes.count)
        }
        var analyzed = AnalyzedDocument(record: record, origin: input.origin, notes: input.notes, storedText: pendingText(input.storedText),
                                        text: text, title: title, worker: worker, generation: analyzer.generation,
                                        firstNewTerm: firstNewTerm, newTermBytes: newTermBytes, newTermEnds: newTermEnds)
        analyzer.stemmedWords(from: firstNewWord) { analyzed.stemmedWords.append(StemmedWord(word: Array($0), stem: Array($1))) }
        return analyzed
    }
}

extension DocumentAnalyzer {
    func pendingText(_ text: String) -> PendingText {
        guard case let .compress(dictionary, measureEvery) = textHandling else { return .deferred(text) }
        let compressed = compressor.compress(text, dictionary: dictionary)
        compressedCount += 1
        guard let dictionary, measureEvery > 0, compressedCount % measureEvery == 0 else {
            return .compressed(compressed, dictionary: dictionary?.id ?? 0, measured: nil)
        }
        let measured = GainMeasurement(textBytes: text.utf8.count, withDictionary: compressed.count,
                                       withoutDictionary: compressor.compress(text).count)
        return .compressed(compressed, dictionary: dictionary.id, measured: measured)
    }

    /// The body's near-duplicate fingerprint, from stable hashes of its analyzed words.
    func fingerprint(_ terms: [Int32]) -> UInt64 {
        while termHashes.count < analyzer.terms.count {
            termHashes.append(analyzer.terms.withBytes(Int32(termHashes.count)) { ContentHash.of(UnsafeRawBufferPointer($0)) })
        }
        return Fingerprint.of(terms.map { termHashes[Int($0)] })
    }
}
