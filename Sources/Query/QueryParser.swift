// Query: the recursive-descent parser from lexemes to a QueryNode tree.
// Owns precedence (OR < AND < NOT < NEAR/ADJ) and the default operator between bare words.

/// How bare words next to each other combine: all must match (AND) or any may (ranked OR).
public enum DefaultOperator: Sendable {
    case all, any
}

public enum QueryParser {
    /// A query's bounds, so that every query answers in bounded time and memory or is refused:
    /// a 50 MB `--batch` line had passed 6 GB, 10,000 ranked words took 10 s on news-combined
    /// and a chain of 200 NEARs 55 s (proximity work grows with the square of the operands).
    /// Words as Lucene bounds a query's clauses (`maxClauseCount`, 1,024); a prefix's
    /// expansions have their own bound (`SearchOptions.maxPrefixTerms`).
    public static let maxBytes = 64 << 10
    public static let maxWords = 1_024
    public static let maxNearOperands = 16

    /// Parses `query`; `words` treats every token as a plain word (no operators or syntax).
    public static func parse(_ query: String, defaultOperator: DefaultOperator = .all,
                             wordsOnly: Bool = false) throws -> QueryNode {
        guard query.utf8.count <= maxBytes else {
            throw QuerySyntaxError(message: "the query is \(query.utf8.count) bytes long; at most \(maxBytes) (\(maxBytes >> 10) KiB)", column: 1)
        }
        if wordsOnly {
            let words = query.split(whereSeparator: { $0.isWhitespace })
            guard words.count <= maxWords else {
                throw QuerySyntaxError(message: "the query has \(words.count) words; at most \(maxWords)", column: 1)
            }
            let nodes = words.map { QueryNode.word(field: nil, text: String($0), column: 1) }
            guard !nodes.isEmpty else { throw QuerySyntaxError(message: "the query is empty", column: 1) }
            return defaultOperator == .all ? .all(nodes, excluded: []) : .any(nodes, excluded: [])
        }
        var parser = Parser(tokens: try QueryLexer.lex(query), defaultOperator: defaultOperator,
                            endColumn: query.unicodeScalars.count + 1)
        let node = try parser.parseTop()
        return node
    }
}

private struct Parser {
    let tokens: [LexedToken]
    let defaultOperator: DefaultOperator
    let endColumn: Int
    var i = 0
    /// Parentheses and unary minus nest at most this deep: the parser recurses, and a query of
    /// ten thousand "(" must get an error, not exhaust the stack.
    static let maxDepth = 100
    var depth = 0
    /// Words read so far (a phrase counts each of its words), against `QueryParser.maxWords`.
    var words = 0
    /// Where each `+` and the operand it marks lie among the tokens.
    var requiredOperands: [RequiredOperand] = []

    struct RequiredOperand {
        var plus: Int
        var end: Int
        /// The parentheses around it.
        var depth: Int
    }

    init(tokens: [LexedToken], defaultOperator: DefaultOperator, endColumn: Int) {
        self.tokens = tokens
        self.defaultOperator = defaultOperator
        self.endColumn = endColumn
    }

    var current: LexedToken? { i < tokens.count ? tokens[i] : nil }
    var column: Int { current?.column ?? endColumn }

    mutating func parseTop() throws -> QueryNode {
        guard !tokens.isEmpty else { throw QuerySyntaxError(message: "the query is empty", column: 1) }
        let node = try parseOr()
        if let t = current {
            if t.lexeme == .close { throw QuerySyntaxError(message: "unbalanced ')': nothing opened it", column: t.column) }
            throw QuerySyntaxError(message: "unexpected \(describe(t.lexeme))", column: t.column)
        }
        return try requirePositive(node, column: 1)
    }

    /// OR binds loosest; with the ranked-OR default, juxtaposition is OR too.
    mutating func parseOr() throws -> QueryNode {
        let first = i
        var items = [try parseAnd()]
        var spans = [first..<i]
        while let t = current {
            if t.lexeme == .or {
                i += 1
                try expectOperand(after: "OR", column: t.column)
            } else if !(defaultOperator == .any && startsOperand(t.lexeme)) {
                break
            }
            let start = i
            items.append(try parseAnd())
            spans.append(start..<i)
        }
        if items.count > 1 {
            for (k, span) in spans.enumerated() {
                if isRequiredOperand(span) { items[k] = .required(items[k]) } else { try refuseRequiredWithin(span) }
            }
        }
        return try combine(items, all: false)
    }

    /// Whether the tokens are a `+` and its operand alone: as an item of an OR list (written,
    /// or `--any`'s) it is Lucene's required clause among optional ones (`+oil gas`). In an AND
    /// list that no OR list holds it requires what is required anyway, and is dropped.
    func isRequiredOperand(_ span: Range<Int>) -> Bool {
        requiredOperands.contains { $0.plus == span.lowerBound && $0.end == span.upperBound }
    }

    /// A `+` inside an item of an OR list, outside parentheses, that is not the whole item
    /// (`+oil gas OR coal`, `--any +oil AND gas price`, `+oil NEAR/5 gas price`) would require
    /// its word in that item alone, where Lucene requires it of every document: refused, not
    /// read otherwise. Within parentheses the grouping says what it requires.
    func refuseRequiredWithin(_ span: Range<Int>) throws {
        guard let plus = requiredOperands.first(where: { span.contains($0.plus) && $0.depth == depth }) else { return }
        throw QuerySyntaxError(message: "this '+' would require its word in one part of an OR list only; "
            + "group what must match in parentheses, as +(a AND b) c, or a AND (b OR c)", column: tokens[plus.plus].column)
    }

    mutating func parseAnd() throws -> QueryNode {
        var items = [try parseNot()]
        while let t = current {
            if t.lexeme == .and {
                i += 1
                try expectOperand(after: "AND", column: t.column)
                items.append(try parseNot())
            } else if defaultOperator == .all && startsOperand(t.lexeme) {
                items.append(try parseNot())
            } else { break }
        }
        return try combine(items, all: true)
    }

    mutating func parseNot() throws -> QueryNode {
        var node = try parseNear()
        while let t = current, t.lexeme == .not {
            i += 1
            try expectOperand(after: "NOT", column: t.column)
            let operandColumn = column
            let excluded = unnegated(try parseNear())
            if isOnlyExclusions(excluded) {
                throw QuerySyntaxError(message: "NOT needs something to match after it, not only exclusions", column: operandColumn)
            }
            // `-a NOT b` excludes both: the list it stands in takes them as exclusions.
            if case let .any(items, ex) = node, items.isEmpty {
                node = .any([], excluded: ex + [excluded])
            } else {
                node = .all([node], excluded: [excluded])
            }
        }
        return node
    }

    mutating func parseNear() throws -> QueryNode {
        let firstColumn = column
        let first = try parseUnary()
        guard case .near = current?.lexeme else { return first }
        var operands = [try nearOperand(first, column: firstColumn)]
        var distance = Int.max
        var ordered: Bool? = nil
        while let t = current, case let .near(k, isOrdered) = t.lexeme {
            guard operands.count < QueryParser.maxNearOperands else {
                throw QuerySyntaxError(message: "a NEAR/ADJ chain joins at most \(QueryParser.maxNearOperands) operands", column: t.column)
            }
            if let o = ordered, o != isOrdered {
                throw QuerySyntaxError(message: "NEAR and ADJ cannot be mixed in one chain; use separate groups", column: t.column)
            }
            ordered = isOrdered
            distance = min(distance, k)
            i += 1
            try expectOperand(after: isOrdered ? "ADJ" : "NEAR", column: t.column)
            let operandColumn = column
            operands.append(try nearOperand(try parseUnary(), column: operandColumn))
        }
        return .near(operands, distance: distance, ordered: ordered ?? false)
    }

    mutating func countWords(_ n: Int, column: Int) throws {
        words += n
        guard words <= QueryParser.maxWords else {
            throw QuerySyntaxError(message: "the query has more than \(QueryParser.maxWords) words", column: column)
        }
    }

    mutating func parseUnary() throws -> QueryNode {
        guard let t = current else { throw QuerySyntaxError(message: "a word or phrase is missing", column: endColumn) }
        i += 1
        switch t.lexeme {
        case .required:
            try refuseContradictoryRequired(at: t.column)
            let plus = i - 1
            let node = try parseUnary()
            requiredOperands.append(RequiredOperand(plus: plus, end: i, depth: depth))
            return node
        case let .word(text, field, negated, isPrefix):
            try countWords(1, column: t.column)
            let node: QueryNode = isPrefix ? .prefix(field: field, text: text, column: t.column)
                                           : .word(field: field, text: text, column: t.column)
            return negated ? .any([], excluded: [node]) : node
        case let .phrase(text, field, negated):
            try countWords(text.split(whereSeparator: { $0.isWhitespace }).count, column: t.column)
            let node = QueryNode.phrase(field: field, text: text, column: t.column)
            return negated ? .any([], excluded: [node]) : node
        case let .open(negated):
            // Groups are what recurse; a word inside 100 of them is 100 deep, not 101.
            depth += 1
            defer { depth -= 1 }
            guard depth <= Parser.maxDepth else {
                throw QuerySyntaxError(message: "groups nest more than \(Parser.maxDepth) deep", column: t.column)
            }
            guard let next = current else {
                throw QuerySyntaxError(message: "unbalanced '(': it is never closed", column: t.column)
            }
            guard next.lexeme != .close else { throw QuerySyntaxError(message: "empty parentheses", column: t.column) }
            let inner = try parseOr()
            guard current?.lexeme == .close else {
                throw QuerySyntaxError(message: "unbalanced '(': it is never closed", column: t.column)
            }
            i += 1
            return negated ? .any([], excluded: [inner]) : inner
        default:
            throw QuerySyntaxError(message: "\(describe(t.lexeme)) needs a word or phrase before it", column: t.column)
        }
    }

    /// Negated items in a list become that list's exclusions, and so do those of a group of
    /// nothing but exclusions: `(-a -b) c` is `c -a -b` (it had been `c`, both dropped).
    func combine(_ items: [QueryNode], all: Bool) throws -> QueryNode {
        if items.count == 1 { return items[0] }
        var positive: [QueryNode] = [], excluded: [QueryNode] = []
        for item in items {
            switch item {
            case let .any(inner, ex) where inner.isEmpty, let .all(inner, ex) where inner.isEmpty: excluded += ex
            default: positive.append(item)
            }
        }
        return all ? .all(positive, excluded: excluded) : .any(positive, excluded: excluded)
    }

    func isOnlyExclusions(_ node: QueryNode) -> Bool {
        switch node {
        case let .any(items, _), let .all(items, _): return items.isEmpty
        default: return false
        }
    }

    func requirePositive(_ node: QueryNode, column: Int) throws -> QueryNode {
        switch node {
        case let .all(items, _), let .any(items, _):
            if items.isEmpty {
                throw QuerySyntaxError(message: "a query needs something to match, not only exclusions", column: column)
            }
            return node
        default:
            return node
        }
    }

    func nearOperand(_ node: QueryNode, column: Int) throws -> QueryNode {
        switch node {
        case .word, .phrase: return node
        default:
            throw QuerySyntaxError(message: "NEAR and ADJ join words or phrases only", column: column)
        }
    }

    func unnegated(_ node: QueryNode) -> QueryNode {
        if case let .any(items, ex) = node, items.isEmpty, ex.count == 1 { return ex[0] }
        return node
    }

    /// A `+` before a NOT's operand or an exclusion contradicts itself.
    func refuseContradictoryRequired(at column: Int) throws {
        if i >= 2, tokens[i - 2].lexeme == .not { throw QuerySyntaxError(message: QueryLexer.requiredAndExcluded, column: column) }
        guard let next = current, startsOperand(next.lexeme), next.lexeme != .required else {
            throw QuerySyntaxError(message: "'+' must come before a word, phrase or '('", column: column)
        }
        switch next.lexeme {
        case .word(_, _, true, _), .phrase(_, _, true), .open(true):
            throw QuerySyntaxError(message: QueryLexer.requiredAndExcluded, column: column)
        default: break
        }
    }

    func startsOperand(_ lexeme: Lexeme) -> Bool {
        switch lexeme {
        case .word, .phrase, .open, .required: return true
        default: return false
        }
    }

    func expectOperand(after op: String, column: Int) throws {
        guard let t = current else {
            throw QuerySyntaxError(message: "\(op) needs something after it", column: column)
        }
        if !startsOperand(t.lexeme) {
            throw QuerySyntaxError(message: "\(op) is followed by \(describe(t.lexeme))", column: t.column)
        }
    }

    func describe(_ lexeme: Lexeme) -> String {
        switch lexeme {
        case .and: return "AND"
        case .or: return "OR"
        case .not: return "NOT"
        case let .near(_, ordered): return ordered ? "ADJ" : "NEAR"
        case .close: return "')'"
        case .open: return "'('"
        case .word, .phrase: return "a word"
        case .required: return "'+'"
        }
    }
}
