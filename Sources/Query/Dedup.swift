// Query: `--dedup`: collapsing near-duplicate hits (syndicated copies, light edits) to the best.
// Owns grouping by fingerprint distance, in rank order, so each group keeps its best hit.
import InvertedIndex

/// A hit standing for itself and the near-duplicates ranked below it.
public struct CollapsedHit: Sendable {
    public var hit: Hit
    /// How many lower-ranked hits were near-duplicates of this one.
    public var duplicates: Int
}

public enum Dedup {
    /// Groups `hits` (all the matches, in output order) by near-duplicate fingerprints. Groups
    /// form in rank order (score, then doc id) whatever the output order, so each is led by its
    /// best-scoring hit and the same documents fall together under every `--sort`; groups come
    /// back in their leaders' output order. A hit joins the best-ranked leader within
    /// `threshold` bits. All matches, not a top slice: a copy ranked past a slice had been
    /// neither shown nor counted, and the counts had changed with `--limit`.
    public static func collapse(_ hits: [Hit], reader: IndexReader, threshold: Int = Fingerprint.threshold) throws -> [CollapsedHit] {
        let prints = try hits.map { try reader.document($0.doc).fingerprint }
        let byRank = hits.indices.sorted { a, b in
            hits[a].score != hits[b].score ? hits[a].score > hits[b].score : hits[a].doc < hits[b].doc
        }
        var leaders = LeaderSlices(threshold: threshold)
        var isLeader = [Bool](repeating: false, count: hits.count)
        var duplicates = [Int](repeating: 0, count: hits.count)
        for (rank, i) in byRank.enumerated() {
            let f = prints[i]
            if f != Fingerprint.none, let leader = leaders.best(near: f, within: threshold) {
                duplicates[leader] += 1
            } else {
                isLeader[i] = true
                if f != Fingerprint.none { leaders.add(i, rank: rank, fingerprint: f) }
            }
        }
        return hits.indices.filter { isLeader[$0] }.map { CollapsedHit(hit: hits[$0], duplicates: duplicates[$0]) }
    }

    /// Every pair of documents in the index at most `threshold` bits apart. Only documents
    /// sharing a slice (`FingerprintSlices`) are compared.
    public static func pairs(reader: IndexReader, threshold: Int = Fingerprint.threshold) throws -> [(UInt32, UInt32, Int)] {
        let docs = try reader.allDocIDs()
        let prints = try docs.map { try reader.document($0).fingerprint }
        var found = Set<UInt64>()
        var out: [(UInt32, UInt32, Int)] = []
        let slices = FingerprintSlices(threshold: threshold)
        for slice in 0..<slices.count {
            var buckets: [UInt64: [Int]] = [:]
            for (i, f) in prints.enumerated() where f != Fingerprint.none {
                buckets[slices.value(f, slice: slice), default: []].append(i)
            }
            for members in buckets.values where members.count > 1 {
                for a in 0..<members.count {
                    for b in (a + 1)..<members.count {
                        let (i, j) = (members[a], members[b])
                        let d = Fingerprint.distance(prints[i], prints[j])
                        let key = UInt64(docs[i]) << 32 | UInt64(docs[j])
                        if d <= threshold && found.insert(key).inserted { out.append((docs[i], docs[j], d)) }
                    }
                }
            }
        }
        return out.sorted { ($0.2, $0.0, $0.1) < ($1.2, $1.0, $1.1) }
    }
}

/// 64-bit fingerprints cut into `threshold + 1` slices of near-equal width: two fingerprints at
/// most `threshold` bits apart agree on at least one slice (pigeonhole), so only fingerprints
/// that share a slice need comparing. No more slices than that: each is narrower, and its
/// buckets fuller (eight 8-bit slices had made collapsing `--dedup the` two thirds comparisons).
struct FingerprintSlices {
    let count: Int
    let widths: [Int]
    private let shifts: [Int]

    init(threshold: Int) {
        let n = threshold + 1
        let widths = (0..<n).map { 64 / n + ($0 < 64 % n ? 1 : 0) }
        count = n
        self.widths = widths
        shifts = widths.indices.map { widths[..<$0].reduce(0, +) }
    }

    func value(_ f: UInt64, slice: Int) -> UInt64 {
        let width = widths[slice]
        return width == 64 ? f : (f >> UInt64(shifts[slice])) & ((1 << UInt64(width)) - 1)
    }
}

/// Group leaders' fingerprints bucketed by each of their slices, in flat arrays (a slice is at
/// most 16 bits wide for the thresholds `--dedup` uses).
private struct LeaderSlices {
    private let slices: FingerprintSlices
    private let firstBucket: [Int]
    private var buckets: [[(index: Int, rank: Int, print: UInt64)]]

    init(threshold: Int) {
        slices = FingerprintSlices(threshold: threshold)
        precondition(slices.widths.allSatisfy { $0 <= 16 }, "threshold \(threshold) gives slices too wide to bucket")
        let sizes = slices.widths.map { 1 << $0 }
        firstBucket = sizes.indices.map { sizes[..<$0].reduce(0, +) }
        buckets = Array(repeating: [], count: sizes.reduce(0, +))
    }

    private func bucket(_ f: UInt64, slice: Int) -> Int { firstBucket[slice] + Int(slices.value(f, slice: slice)) }

    mutating func add(_ index: Int, rank: Int, fingerprint f: UInt64) {
        for slice in 0..<slices.count { buckets[bucket(f, slice: slice)].append((index, rank, f)) }
    }

    /// The best-ranked leader at most `threshold` bits from `f`.
    func best(near f: UInt64, within threshold: Int) -> Int? {
        var found: (index: Int, rank: Int)? = nil
        for slice in 0..<slices.count {
            // Leaders join in rank order: a bucket's first match is its best.
            for leader in buckets[bucket(f, slice: slice)] where Fingerprint.distance(leader.print, f) <= threshold {
                if found.map({ leader.rank < $0.rank }) ?? true { found = (leader.index, leader.rank) }
                break
            }
        }
        return found?.index
    }
}
