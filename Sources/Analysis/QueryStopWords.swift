// Analysis: stop words for ranked natural-language queries, per language.
// Owns the lists; they drop words from ranked OR queries only, never from the index or phrases.

public enum QueryStopWords {
    /// Function words that carry almost no evidence of relevance, per language.
    /// A switch rather than a dictionary, so only the list asked for is built: a one-query
    /// process paid about 0.2 ms for every language's list and the English set, which a query
    /// without a ranked OR list never uses.
    static func words(of language: String) -> [String]? {
        switch language {
        case "english": return ["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
                "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
                "these", "they", "this", "to", "was", "will", "with", "what", "which", "who", "how",
                "do", "does", "did", "has", "have", "had", "been", "from", "its", "we", "were", "can",
                "also", "than", "between", "both", "during", "after", "before", "more", "most", "other",
                "some", "any", "each", "only", "same", "so", "very", "could", "would", "should", "may",
                "might", "our", "your", "his", "her", "them", "him", "she", "he", "you", "i", "my", "me",
                "about", "over", "under", "up", "down", "out", "off", "again", "further", "once", "here",
                "when", "where", "why", "all", "few", "nor", "own", "too", "just", "because", "until",
                "while", "against", "through", "above", "below", "being", "having", "doing", "those",
                "whom", "am", "there", "s", "t"]
        case "german": return ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "und", "oder",
                "ist", "sind", "war", "zu", "im", "in", "mit", "von", "auf", "für", "nicht", "sich", "es"]
        case "french": return ["le", "la", "les", "un", "une", "des", "du", "de", "et", "ou", "est", "sont", "en", "dans",
                "pour", "par", "sur", "au", "aux", "à", "que", "qui", "ne", "pas", "il", "elle", "ce"]
        case "spanish": return ["el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "y", "o", "es", "son",
                "en", "por", "para", "con", "que", "se", "no", "al", "lo", "su"]
        case "italian": return ["il", "lo", "la", "i", "gli", "le", "un", "una", "di", "del", "della", "e", "o", "è",
                "sono", "in", "per", "con", "che", "non", "si", "al", "da"]
        // Not "são" (are): folded, it is the "São" of São Paulo and São Tomé.
        case "portuguese": return ["o", "a", "os", "as", "um", "uma", "de", "do", "da", "dos", "das", "e", "ou", "é",
                "em", "no", "na", "por", "para", "com", "que", "não", "se"]
        case "polish": return ["i", "w", "z", "na", "do", "nie", "się", "jest", "to", "że", "o", "a", "od", "po",
                "jak", "ale", "co", "czy", "przez", "dla"]
        default: return nil
        }
    }

    /// The languages with a list, for messages; `words(of:)` is what decides.
    public static let languages = ["english", "french", "german", "italian", "polish", "portuguese", "spanish"]

    /// Throws unless `language` has a list or is "none".
    public static func check(_ language: String) throws {
        guard language == "none" || words(of: language) != nil else { throw unknown(language) }
    }

    /// The folded stop words of `language`, or nil for "none"; throws for a language without a list.
    public static func list(_ language: String) throws -> StopWordList? {
        if language == "none" { return nil }
        guard let words = words(of: language) else { throw unknown(language) }
        return StopWordList(words.flatMap { Tokenizer.tokens($0) })
    }

    private static func unknown(_ language: String) -> UnknownLanguageError {
        UnknownLanguageError(kind: "stop word list", language: language, available: languages)
    }
}

/// Folded stop words, looked up one by one: a query asks for a few, and the lists are short.
/// Neither a `Set<String>` nor sorted: the first `Set` or `Dictionary` of strings a process
/// makes, and its first sort of more than a few dozen values, each have the runtime search
/// every conformance record of the binary (`String: Hashable`; the sort's `[Range<Int>]`),
/// 0.1–0.4 ms of a one-query `--any` process.
public struct StopWordList: Sendable {
    public let words: [String]

    public init(_ words: [String]) { self.words = words }

    public func contains(_ word: String) -> Bool { words.contains(word) }
}
