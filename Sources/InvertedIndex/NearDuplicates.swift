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
        // Bit j of a shingle votes for bit j of the result: the result has the bits that more
        // than half the shingles set. The set bits are counted eight lanes at a time, each
        // lane a byte counter for every eighth bit, emptied before a byte can overflow.
        var ones = [Int](repeating: 0, count: 64)
        var lanes = [UInt64](repeating: 0, count: 8)
        var pending = 0
        func flush() {
            for k in 0..<8 {
                for byte in 0..<8 { ones[byte * 8 + k] += Int((lanes[k] >> UInt64(8 * byte)) & 0xFF) }
                lanes[k] = 0
            }
            pending = 0
        }
        let shingles = termHashes.count - 2
        for i in 0..<shingles {
            let h = ContentHash.mix(termHashes[i] &+ ContentHash.mix(termHashes[i + 1] &+ ContentHash.mix(termHashes[i + 2])))
            for k in 0..<8 { lanes[k] &+= (h >> UInt64(k)) & 0x0101_0101_0101_0101 }
            pending += 1
            if pending == 255 { flush() }
        }
        flush()
        var result: UInt64 = 0
        for bit in 0..<64 where 2 * ones[bit] > shingles { result |= 1 << UInt64(bit) }
        return result == none ? 1 : result
    }

    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }
}
