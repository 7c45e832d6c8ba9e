// Query: BM25 scoring, Lucene's variant, for terms, phrases and proximity groups.
// Owns the formula; every score in a result comes from here.
#if canImport(Glibc)
import Glibc
#endif

/// BM25 parameters chosen per search.
public struct BM25Parameters: Sendable, Equatable {
    public var k1: Double
    public var b: Double
    public init(k1: Double = 1.2, b: Double = 0.75) {
        self.k1 = k1
        self.b = b
    }
}

/// The weight of one scored unit (a term, or a phrase/NEAR group whose idf is the sum of its terms').
///
/// score = idf × tf × (k1 + 1) / (tf + k1 × (1 − b + b × length / averageLength)),
/// idf = ln(1 + (N − df + 0.5) / (df + 0.5)).
struct BM25Weight {
    let idf: Double
    let k1: Double
    let b: Double
    let averageLength: Double
    /// norm = fixedNorm + lengthNorm × length, folded once so scoring divides once per document.
    private let fixedNorm: Double
    private let lengthNorm: Double
    private let numerator: Double

    init(idf: Double, parameters: BM25Parameters, averageLength: Double) {
        self.idf = idf
        k1 = parameters.k1
        b = parameters.b
        self.averageLength = averageLength
        fixedNorm = parameters.k1 * (1 - parameters.b)
        lengthNorm = parameters.k1 * parameters.b / averageLength
        numerator = idf * (parameters.k1 + 1)
    }

    static func idf(documentFrequency df: UInt64, documents n: UInt64) -> Double {
        let d = Double(df), total = Double(n)
        return log(1 + (total - d + 0.5) / (d + 0.5))
    }

    /// No document scores this much: tf / (tf + norm) stays below 1 (and the norm is never
    /// negative), so a term's contribution is below idf × (k1 + 1) whatever its tf and length.
    var scoreBound: Double { numerator }

    @inline(__always)
    func score(tf: Double, length: UInt32) -> Double {
        numerator * tf / (tf + fixedNorm + lengthNorm * Double(length))
    }
}
