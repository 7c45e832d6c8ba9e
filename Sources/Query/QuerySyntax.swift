// Query: the query language (words, phrases, NEAR/ADJ, AND/OR/NOT, exclusions, fields, prefixes).
// Owns the syntax tree and the lexer, with errors that point at the column (QueryParser.swift parses).

/// A parse error, with the 1-based column it points at.
public struct QuerySyntaxError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public let column: Int
    public var description: String { "query error at column \(column): \(message)" }
}

/// The syntax tree of a query, before its words are analyzed.
public indirect enum QueryNode: Equatable, Sendable {
    case word(field: String?, text: String, column: Int)
    case prefix(field: String?, text: String, column: Int)
    case phrase(field: String?, text: String, column: Int)
    case all([QueryNode], excluded: [QueryNode])
    case any([QueryNode], excluded: [QueryNode])
    case near([QueryNode], distance: Int, ordered: Bool)
    /// An item of an OR list that a document must match (`+oil gas`, as in Lucene and Xapian);
    /// the list's other items then only add to its score. Nowhere else: in AND lists `+` is
    /// what every operand is already.
    case required(QueryNode)

    /// Whether an OR list (the ranked kind, which drops stop words) is anywhere in the query.
    var hasRankedList: Bool {
        switch self {
        case .word, .prefix, .phrase: return false
        case .any: return true
        case let .all(items, excluded): return (items + excluded).contains { $0.hasRankedList }
        case let .near(operands, _, _): return operands.contains { $0.hasRankedList }
        case let .required(item): return item.hasRankedList
        }
    }

    /// The words and prefixes written without a field, anywhere in the query.
    var unfieldedWords: [String] {
        switch self {
        case let .word(nil, text, _), let .prefix(nil, text, _): return [text]
        case .word, .prefix, .phrase: return []
        case let .all(items, excluded), let .any(items, excluded): return (items + excluded).flatMap { $0.unfieldedWords }
        case let .near(operands, _, _): return operands.flatMap { $0.unfieldedWords }
        case let .required(item): return item.unfieldedWords
        }
    }

    /// Words written as another engine's field search (`Title:oil`, `body:oil`, `author:smith`):
    /// they are searched as their words, which a Lucene or Xapian user would not guess.
    var fieldLookalikes: [String] {
        unfieldedWords.filter { text in
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
                  text.index(after: colon) != text.endIndex else { return false }  // "Source: Reuters" is prose
            return Self.otherEnginesFields.contains(text[..<colon].lowercased())
        }
    }

    /// Proximity written in lower or mixed case (`near/5`, `Adj/3`): searched as its words, as
    /// lower-case `and` is, where the person surely meant the operator.
    var operatorLookalikes: [String] {
        unfieldedWords.filter { text in
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            return parts.count == 2 && ["near", "adj"].contains(parts[0].lowercased()) && parts[0] != parts[0].uppercased()
                && !parts[1].isEmpty && parts[1].allSatisfy { $0.isASCII && $0.isNumber }
        }
    }

    static let otherEnginesFields = ["title", "body", "text", "content", "contents", "author", "byline",
                                     "date", "url", "headline", "subject", "id", "source"]
}

enum Lexeme: Equatable {
    case word(String, field: String?, negated: Bool, prefix: Bool)
    case phrase(String, field: String?, negated: Bool)
    case open(negated: Bool)
    case close
    case and, or, not
    case near(Int, ordered: Bool)
    /// Lucene's and Xapian's `+`, which requires what follows (`QueryParser` says where).
    case required
}

struct LexedToken {
    var lexeme: Lexeme
    var column: Int
}

enum QueryLexer {
    static let defaultNearDistance = 10

    static func lex(_ query: String) throws -> [LexedToken] {
        let chars = Array(query.unicodeScalars)
        var out: [LexedToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.properties.isWhitespace || c.value < 0x20 || c.value == 0x7F { i += 1; continue }
            let start = i
            if c == "+" && i + 1 < chars.count && !chars[i + 1].properties.isWhitespace {
                out.append(LexedToken(lexeme: .required, column: start + 1)); i += 1; continue
            }
            var negated = false
            if c == "-" && i + 1 < chars.count && !chars[i + 1].properties.isWhitespace {
                negated = true
                i += 1
                if chars[i] == "+" { throw QuerySyntaxError(message: Self.requiredAndExcluded, column: start + 1) }
            }
            if chars[i] == "(" {
                out.append(LexedToken(lexeme: .open(negated: negated), column: start + 1)); i += 1; continue
            }
            if chars[i] == ")" {
                if negated { throw QuerySyntaxError(message: "'-' must come before a word, phrase or '('", column: start + 1) }
                out.append(LexedToken(lexeme: .close, column: start + 1)); i += 1
                try refuseMarkAfter(chars, at: i)
                continue
            }
            var field: String? = nil
            if let (name, after) = fieldPrefix(chars, at: i) {
                field = name
                i = after
                if i < chars.count && chars[i] == "-" {
                    throw QuerySyntaxError(message: "an exclusion's '-' goes before the field: -\(name):word", column: i + 1)
                }
            }
            if i < chars.count && isQuote(chars[i]) {
                let (text, after) = try readPhrase(chars, openAt: i)
                try refuseMarkAfter(chars, at: after)
                out.append(LexedToken(lexeme: .phrase(text, field: field, negated: negated), column: start + 1))
                i = after
                continue
            }
            var j = i
            while j < chars.count && !isBreak(chars[j]) { j += 1 }
            let text = Self.string(chars[i..<j])
            let wordStart = i
            i = j
            if field == nil && !negated, let op = try operatorLexeme(text, column: start + 1) {
                if text == "NEAR" || text == "ADJ" { try refuseSpacedDistance(after: text, chars, from: i) }
                out.append(LexedToken(lexeme: op, column: start + 1))
                continue
            }
            try refuseOtherEnginesSyntax(chars[wordStart..<j])
            guard !text.isEmpty else {
                throw QuerySyntaxError(message: field != nil ? "'\(field!):' needs a word or phrase after it"
                                       : "'-' must come before a word, phrase or '('", column: start + 1)
            }
            let isPrefix = text.hasSuffix("*")
            let word = isPrefix ? String(text.dropLast()) : text
            if isPrefix && word.isEmpty {
                throw QuerySyntaxError(message: "'*' must end a word with at least one letter before it", column: start + 1)
            }
            // The tokenizer would take a '*' inside a word as a space: `*oil` would quietly be
            // `oil` and `o*l` the phrase "o l".
            if let star = word.unicodeScalars.firstIndex(of: "*") {
                let offset = word.unicodeScalars.distance(from: word.unicodeScalars.startIndex, to: star)
                throw QuerySyntaxError(message: "'*' can only end a word, as a prefix (econ*)", column: i - text.unicodeScalars.count + offset + 1)
            }
            out.append(LexedToken(lexeme: .word(word, field: field, negated: negated, prefix: isPrefix), column: start + 1))
        }
        return out
    }

    static let requiredAndExcluded = "a word is either required ('+') or excluded ('-'), not both"

    /// What Lucene reads in a word's characters that the tokenizer would take for spaces,
    /// quietly searching something else: `o?l` had been the phrase "o l", `oil !gas` had found
    /// documents with gas, and `oil^2` the phrase "oil 2". Refused, saying what newsidx has;
    /// where a person writes them as text (`What?!`, a URL's `?id=3` or `~user`, `AT&T`,
    /// `~50`), they stay text (found by review).
    private static func refuseOtherEnginesSyntax(_ word: ArraySlice<Unicode.Scalar>) throws {
        guard let first = word.first else { return }
        let (start, end) = (word.startIndex, word.endIndex)
        let urlLike = word.contains { $0 == "/" || $0 == "=" || $0 == "." }
        // A path or a query string, where `&&` and `!` are data; a full stop alone is no URL
        // (`oil||gas.`, `U.S.||EU` had passed as one; review).
        let pathLike = word.contains { $0 == "/" || $0 == "=" }
        for (c, name) in [("|", "OR"), ("&", "AND")] as [(Unicode.Scalar, String)] where word.count >= 2 {
            // At either edge (`oil ||gas`, `oil|| gas`) and, but in a URL's query string,
            // inside (`oil||gas`, which the tokenizer had made the phrase "oil gas").
            for at in start..<(end - 1) where word[at] == c && word[at + 1] == c && (at == start || at == end - 2 || !pathLike) {
                throw QuerySyntaxError(message: "'\(c)\(c)' is Lucene's \(name); write \(name)", column: at + 1)
            }
        }
        let notMark = "'!' is Lucene's NOT; write NOT or -word (a word holding '!' goes in quotes)"
        if first == "!" { throw QuerySyntaxError(message: notMark, column: start + 1) }
        // Marks between two letters or digits (`oil!gas`, `oil!!gas`); at a word's end they are
        // prose (`Yahoo!`, `What?!`).
        for k in word.indices.dropFirst() where word[k] == "!" && !pathLike && isLetterOrDigit(word[k - 1]) {
            if let after = word[k...].firstIndex(where: { $0 != "!" }), isLetterOrDigit(word[after]) {
                throw QuerySyntaxError(message: notMark, column: k + 1)
            }
        }
        // A boost or fuzzy factor may be a decimal (`oil^2.5`, `roam~0.8`), which a URL is not.
        for k in word.indices.dropFirst() {
            guard let mark = otherEnginesMark(word[k]) else { continue }
            if !urlLike || word[(k + 1)...].allSatisfy({ isDigit($0) || $0 == "." }) {
                throw QuerySyntaxError(message: mark, column: k + 1)
            }
        }
        guard !urlLike else { return }
        for k in word.indices {
            let afterLetter = k == start || isLetterOrDigit(word[k - 1])
            if word[k] == "?" && afterLetter && k + 1 < end && isLetterOrDigit(word[k + 1]) {
                throw QuerySyntaxError(message: "'?' is no wildcard here; a prefix ends a word with '*' (econ*)", column: k + 1)
            }
        }
    }

    /// Lucene's marks after a word, a phrase or a group: fuzzy and slop (`~`), boost (`^`). A
    /// switch, not a dictionary: a process's first dictionary scans the binary's conformances
    /// (ARCHITECTURE.md).
    private static func otherEnginesMark(_ c: Unicode.Scalar) -> String? {
        switch c {
        case "~": return "'~' (Lucene's fuzzy search or phrase slop) is not supported; words near each other: oil NEAR/3 price; "
            + "a word holding '~' goes in quotes"
        case "^": return "'^' (Lucene's boost) is not supported; every word weighs by BM25; a word holding '^' goes in quotes"
        default: return nil
        }
    }

    /// `~` or `^` right after a phrase or a group: Lucene's slop or boost.
    private static func refuseMarkAfter(_ chars: [Unicode.Scalar], at i: Int) throws {
        if i < chars.count, let mark = otherEnginesMark(chars[i]) { throw QuerySyntaxError(message: mark, column: i + 1) }
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c.properties.numericType == .decimal }

    private static func isLetterOrDigit(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || isDigit(c) }

    private static func isBreak(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || c == "(" || c == ")" || isQuote(c) || c.value < 0x20
    }

    /// Any double quote opens or closes a phrase, as in Xapian's QueryParser: a phrase pasted
    /// from an article comes in typographic quotes (“…”, or „…“ in German), and read as words
    /// it would quietly have been an AND.
    private static func isQuote(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x22, 0x201C, 0x201D, 0x201E, 0x201F: return true
        default: return false
        }
    }

    private static func fieldPrefix(_ chars: [Unicode.Scalar], at i: Int) -> (String, Int)? {
        let name: [Unicode.Scalar] = ["t", "i", "t", "l", "e", ":"]
        guard i + name.count <= chars.count, Array(chars[i..<i + name.count]) == name else { return nil }
        return ("title", i + name.count)
    }

    private static func readPhrase(_ chars: [Unicode.Scalar], openAt: Int) throws -> (String, Int) {
        var j = openAt + 1
        while j < chars.count && !isQuote(chars[j]) { j += 1 }
        guard j < chars.count else {
            throw QuerySyntaxError(message: "unbalanced quote: this '\(chars[openAt])' is never closed", column: openAt + 1)
        }
        // A word's trailing '*' is a prefix outside quotes; inside, the tokenizer would drop it
        // and "oil pri*" would quietly be the phrase "oil pri".
        for k in (openAt + 2)..<max(openAt + 2, j) where chars[k] == "*" && !chars[k - 1].properties.isWhitespace {
            throw QuerySyntaxError(message: "a phrase matches whole words: a prefix ('*') cannot be used inside one", column: k + 1)
        }
        return (string(chars[(openAt + 1)..<j]), j + 1)
    }

    /// The string of `scalars`, appended one at a time: building a `UnicodeScalarView` from
    /// the slice calls the standard library's unspecialized generic `append(contentsOf:)`,
    /// whose first call in a process looks up a conformance among every one in the binary
    /// (0.2 million instructions, a sixth of a one-query process).
    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var text = String.UnicodeScalarView()
        for c in scalars { text.append(c) }
        return String(text)
    }

    /// `NEAR /5` had been NEAR/10 of the word "5": the distance is written against the operator.
    private static func refuseSpacedDistance(after name: String, _ chars: [Unicode.Scalar], from i: Int) throws {
        var k = i
        while k < chars.count && chars[k].properties.isWhitespace { k += 1 }
        guard k > i, k + 1 < chars.count, chars[k] == "/", isDigit(chars[k + 1]) else { return }
        let distance = string(chars[(k + 1)...].prefix { isDigit($0) })
        // A number, not a word: `NEAR /5th` is NEAR of the word "/5th" (`/5.` and `/5,` are distances).
        let after = k + 1 + distance.unicodeScalars.count
        guard after == chars.count || !isLetterOrDigit(chars[after]) else { return }
        throw QuerySyntaxError(message: "\(name)'s distance goes right after it, without a space: \(name)/\(distance)", column: k + 1)
    }

    private static func operatorLexeme(_ text: String, column: Int) throws -> Lexeme? {
        switch text {
        case "AND": return .and
        case "OR": return .or
        case "NOT": return .not
        case "NEAR": return .near(defaultNearDistance, ordered: false)
        case "ADJ": return .near(defaultNearDistance, ordered: true)
        default: break
        }
        for (name, ordered) in [("NEAR/", false), ("ADJ/", true)] where text.hasPrefix(name) {
            let digits = text.dropFirst(name.count)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw QuerySyntaxError(message: "\(name.dropLast()) needs a whole number distance, as in \(name)5", column: column)
            }
            let significant = digits.drop { $0 == "0" }
            guard significant.count <= 9, let k = Int(significant.isEmpty ? "0" : significant), k <= maxNearDistance else {
                throw QuerySyntaxError(message: "distance \(significant) is too large; at most \(maxNearDistance)", column: column)
            }
            return .near(k, ordered: ordered)
        }
        return nil
    }

    static var maxNearDistance = 100_000
}
