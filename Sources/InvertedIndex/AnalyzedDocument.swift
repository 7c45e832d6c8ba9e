// InvertedIndex: one document made ready for the index by a worker thread.
// Owns the per-worker analysis (terms grouped with their positions) and text compression.
import Analysis

/// What the ingest hands the index: the cleaned article.
public struct DocumentInput: Sendable {
    public var externalID: String
    public var title: String
    public var body: String
    public var date: String?
    public var source: SourceStamp

    /// Without a `source`, the content hash is taken over the title and body.
    public init(externalID: String, title: String, body: String, date: String?, source: SourceStamp? = nil) {
        self.externalID = externalID
        self.title = title
        self.body = body
        self.date = date
        self.source = source ?? SourceStamp(contentHash: ContentHash.of(Array((title + "\n\n" + body).utf8)))
    }

    /// The text stored for `show` and snippets: title, blank line, body.
    public var storedText: String { title.isEmpty ? body : title + "\n\n" + body }
}

/// A document still to be read or cleaned; `prepare` runs on a worker thread.
/// It returns nil to skip the document, and throws to report a problem with it.
public struct PendingDocument: @unchecked Sendable {
    public let prepare: () throws -> DocumentInput?
    public init(_ prepare: @escaping () throws -> DocumentInput?) { self.prepare = prepare }
}

/// One field's terms, grouped: term `localTerms[i]` occurs `tfs[i]` times, at the next
/// `tfs[i]` entries of `positions`. Local ids belong to the worker's Analyzer.
struct GroupedTerms {
    var localTerms: [Int32] = []
    var tfs: [UInt32] = []
    var positions: [UInt32] = []
    var length: UInt32 = 0

    /// Groups a position-ordered term sequence, positions starting at `base`.
    init(sequence: [Int32], base: UInt32) {
        length = UInt32(sequence.count)
        guard !sequence.isEmpty else { return }
        var keyed = [UInt64](repeating: 0, count: sequence.count)
        for (i, t) in sequence.enumerated() {
            keyed[i] = UInt64(UInt32(bitPattern: t)) << 32 | UInt64(base + UInt32(i))
        }
        keyed.sort()
        positions.reserveCapacity(keyed.count)
        var current: Int32 = -1
        for k in keyed {
            let term = Int32(bitPattern: UInt32(k >> 32))
            if term != current || localTerms.isEmpty {
                localTerms.append(term)
                tfs.append(0)
                current = term
            }
            tfs[tfs.count - 1] += 1
            positions.append(UInt32(truncatingIfNeeded: k))
        }
    }

    init() {}
}

/// A document after analysis, ready to merge into a batch.
struct AnalyzedDocument {
    var record: DocumentRecord
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

    init(language: String, worker: Int) throws {
        analyzer = try Analyzer(language: language)
        self.worker = worker
    }

    /// Vocabulary caches are dropped past this size (a corpus of unique junk tokens stays bounded).
    static let vocabularyLimit = 256 << 20

    func analyze(_ input: DocumentInput) -> AnalyzedDocument {
        analyzer.trimCaches(above: DocumentAnalyzer.vocabularyLimit)
        if analyzer.generation != hashGeneration {
            termHashes.removeAll(keepingCapacity: true)
            hashGeneration = analyzer.generation
        }
        let firstNewTerm = analyzer.terms.count
        titleTerms.removeAll(keepingCapacity: true)
        bodyTerms.removeAll(keepingCapacity: true)
        analyzer.analyze(input.title, into: &titleTerms)
        analyzer.analyze(input.body, into: &bodyTerms)
        let titleLength = UInt32(titleTerms.count)
        let bodyBase = titleLength == 0 ? 0 : titleLength + Format.bodyPositionGap
        let title = GroupedTerms(sequence: titleTerms, base: 0)
        let body = GroupedTerms(sequence: bodyTerms, base: bodyBase)
        let text = titleLength == 0 ? body : title.merged(with: body)
        var record = DocumentRecord(externalID: input.externalID, title: input.title, date: input.date,
                                    textLength: titleLength + UInt32(bodyTerms.count), titleLength: titleLength,
                                    source: input.source)
        record.fingerprint = fingerprint(bodyTerms)
        var newTermBytes: [UInt8] = [], newTermEnds: [Int] = []
        for id in firstNewTerm..<analyzer.terms.count {
            analyzer.terms.withBytes(Int32(id)) { newTermBytes.append(contentsOf: $0) }
            newTermEnds.append(newTermBytes.count)
        }
        return AnalyzedDocument(record: record, storedText: pendingText(input.storedText),
                                text: text, title: title, worker: worker, generation: analyzer.generation,
                                firstNewTerm: firstNewTerm, newTermBytes: newTermBytes, newTermEnds: newTermEnds)
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

extension GroupedTerms {
    /// Merges two groupings whose positions do not overlap (`other`'s all come later).
    func merged(with other: GroupedTerms) -> GroupedTerms {
        var out = GroupedTerms()
        out.length = length + other.length
        var i = 0, j = 0, pi = 0, pj = 0
        while i < localTerms.count || j < other.localTerms.count {
            let takeLeft = j == other.localTerms.count
                || (i < localTerms.count && localTerms[i] <= other.localTerms[j])
            let takeRight = i == localTerms.count
                || (j < other.localTerms.count && other.localTerms[j] <= localTerms[i])
            let term = takeLeft ? localTerms[i] : other.localTerms[j]
            var tf: UInt32 = 0
            if takeLeft {
                out.positions.append(contentsOf: positions[pi..<pi + Int(tfs[i])])
                pi += Int(tfs[i]); tf += tfs[i]; i += 1
            }
            if takeRight {
                out.positions.append(contentsOf: other.positions[pj..<pj + Int(other.tfs[j])])
                pj += Int(other.tfs[j]); tf += other.tfs[j]; j += 1
            }
            out.localTerms.append(term)
            out.tfs.append(tf)
        }
        return out
    }
}
