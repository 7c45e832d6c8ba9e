// InvertedIndex: near-duplicate fingerprints (SimHash over word 3-shingles) and their distance.
// Owns what "the same story" means: fingerprints at most `threshold` bits apart.

public enum Fingerprint {
    /// Documents whose fingerprints differ in at most this many of 64 bits are near-duplicates.
    public static let threshold = 6

    /// Bodies shorter than this many words get no fingerprint: too few shingles to tell a
    /// copy from a coincidence (Reuters has thousands of empty and one-line briefs).
    public static let minimumWords = 20
    /// The fingerprint of a body too short to have one; never grouped.
    public static let none: UInt64 = 0

    /// SimHash of a document's body: each word 3-shingle votes on 64 bits with its hash.
    /// `termHashes` are per-position hashes of the analyzed words.
    public static func of(_ termHashes: [UInt64]) -> UInt64 {
        guard termHashes.count >= minimumWords else { return none }
        var votes = [Int32](repeating: 0, count: 64)
        for i in 0..<(termHashes.count - 2) {
            let h = ContentHash.mix(termHashes[i] &+ ContentHash.mix(termHashes[i + 1] &+ ContentHash.mix(termHashes[i + 2])))
            for bit in 0..<64 { votes[bit] += (h >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        var result: UInt64 = 0
        for bit in 0..<64 where votes[bit] > 0 { result |= 1 << UInt64(bit) }
        return result == none ? 1 : result
    }

    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }
}
