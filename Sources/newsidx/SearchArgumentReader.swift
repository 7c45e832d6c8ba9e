// newsidx (CLI): reads the common shapes of a `newsidx search` command line without ArgumentParser.
// Owns only the well-formed cases; everything else (help, errors, odd forms) is left to ArgumentParser.

/// ArgumentParser builds its model of a command by reflection at every start, about 2 ms here,
/// a third of a one-query process. A script that runs one query per process pays that each time,
/// so a well-formed search line is read directly. The reader answers nil, and ArgumentParser
/// decides, for anything it is not sure of: unknown, short, repeated or inverted options, values
/// that do not convert or begin with "-", and lines `SearchArguments.validate` refuses. So both
/// paths give the same values (tested), and all messages come from ArgumentParser.
enum SearchArgumentReader {
    private enum Setter {
        case flag((inout SearchArguments) -> Void)
        /// Returns false when the value does not convert.
        case value((inout SearchArguments, String) -> Bool)
    }

    /// The `newsidx search` arguments of `argv` (the words after the program name), or nil.
    static func read(_ argv: ArraySlice<String>) -> SearchArguments? {
        guard argv.first == "search" else { return nil }
        var arguments = SearchArguments()
        // A bit per option, not a Set: a Set<String> is the process's first type whose metadata
        // needs a conformance looked up, a scan of the whole binary's conformance records.
        var seen: UInt64 = 0
        var rest = argv.dropFirst()
        var onlyWords = false
        while let token = rest.popFirst() {
            if onlyWords || !token.hasPrefix("-") {
                arguments.query.append(token)
                continue
            }
            if token == "--" {
                onlyWords = true
                continue
            }
            guard token.hasPrefix("--") else { return nil }
            var name = Substring(token.dropFirst(2))
            var inlineValue: Substring? = nil
            if let equals = name.firstIndex(of: "=") {
                inlineValue = name[name.index(after: equals)...]
                name = name[..<equals]
            }
            guard let setter = setter(name), let bit = optionBit(name), seen & bit == 0 else { return nil }
            seen |= bit
            switch setter {
            case .flag(let set):
                guard inlineValue == nil else { return nil }
                set(&arguments)
            case .value(let set):
                guard let value = inlineValue.map(String.init) ?? rest.popFirst(), !value.isEmpty,
                      !value.hasPrefix("-") || name == "sort", set(&arguments, value) else { return nil }
            }
        }
        guard (try? arguments.validate()) != nil else { return nil }
        return arguments
    }

    /// The option's bit in a set of options seen. `--snippets` and `--no-snippets` are one
    /// option: giving both is ArgumentParser's to judge.
    private static func optionBit(_ name: Substring) -> UInt64? {
        let key = name == "no-snippets" ? "snippets" : name
        return names.firstIndex { $0 == key }.map { 1 << UInt64($0) }
    }

    /// The option names SearchCommand declares.
    static let names: [String] = [
        "index", "limit", "offset", "any", "words", "format", "since", "until", "sort", "explain", "dedup", "copies",
        "count", "batch", "analyze", "context", "snippets", "no-snippets", "color", "k1", "b", "stopwords",
        "proximity", "proximity-window", "proximity-all-pairs", "bigram-weight", "title-weight",
    ]

    static func knows(_ name: String) -> Bool { setter(Substring(name)) != nil }

    /// Whether the option takes a value (`--limit 5`), not a flag (`--any`).
    static func takesValue(_ name: String) -> Bool {
        if case .value = setter(Substring(name)) { return true }
        return false
    }

    /// How each option sets its value: a switch, since a table of closures and key paths is
    /// built at run time, and this runs once per process.
    private static func setter(_ name: Substring) -> Setter? {
        switch name {
        case "index": return .value { $0.index = $1; return true }
        case "limit": return int { $0.limit = $1 }
        case "offset": return int { $0.offset = $1 }
        case "any": return .flag { $0.any = true }
        case "words": return .flag { $0.words = true }
        case "format": return choice { $0.format = $1 }
        case "since": return .value { $0.since = $1; return true }
        case "until": return .value { $0.until = $1; return true }
        case "sort": return choice { $0.sort = $1 }
        case "explain": return .flag { $0.explain = true }
        case "dedup": return .flag { $0.dedup = true }
        case "copies": return .flag { $0.copies = true }
        case "count": return .flag { $0.count = true }
        case "batch": return .flag { $0.batch = true }
        case "analyze": return .flag { $0.analyze = true }
        case "context": return int { $0.context = $1 }
        case "snippets": return .flag { $0.snippets = true }
        case "no-snippets": return .flag { $0.snippets = false }
        case "color": return choice { $0.color = $1 }
        case "k1": return double { $0.k1 = $1 }
        case "b": return double { $0.b = $1 }
        case "stopwords": return .value { $0.stopwords = $1; return true }
        case "proximity": return double { $0.proximity = $1 }
        case "proximity-window": return int { $0.proximityWindow = $1 }
        case "proximity-all-pairs": return .flag { $0.proximityAllPairs = true }
        case "bigram-weight": return double { $0.bigramWeight = $1 }
        case "title-weight": return double { $0.titleWeight = $1 }
        default: return nil
        }
    }

    // The conversions are the ones ArgumentParser applies: Int(_:), Double(_:), init(rawValue:).
    private static func int(_ set: @escaping (inout SearchArguments, Int) -> Void) -> Setter {
        .value { arguments, text in
            guard let n = Int(text) else { return false }
            set(&arguments, n)
            return true
        }
    }

    private static func double(_ set: @escaping (inout SearchArguments, Double) -> Void) -> Setter {
        .value { arguments, text in
            guard let d = Double(text) else { return false }
            set(&arguments, d)
            return true
        }
    }

    private static func choice<C: RawRepresentable>(_ set: @escaping (inout SearchArguments, C) -> Void) -> Setter
    where C.RawValue == String {
        .value { arguments, text in
            guard let c = C(rawValue: text) else { return false }
            set(&arguments, c)
            return true
        }
    }
}
