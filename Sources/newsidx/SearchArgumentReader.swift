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
        var seen = Set<String>()
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
            guard let setter = setters[String(name)], seen.insert(optionKey(name)).inserted else { return nil }
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

    /// `--snippets` and `--no-snippets` are one option: giving both is ArgumentParser's to judge.
    private static func optionKey(_ name: Substring) -> String {
        name == "no-snippets" ? "snippets" : String(name)
    }

    /// The option names SearchCommand declares, each with how it sets its value.
    static var names: Set<String> { Set(setters.keys) }

    private static let setters: [String: Setter] = [
        "index": .value { $0.index = $1; return true },
        "limit": int(\.limit),
        "offset": int(\.offset),
        "any": .flag { $0.any = true },
        "words": .flag { $0.words = true },
        "format": choice(\.format),
        "since": .value { $0.since = $1; return true },
        "until": .value { $0.until = $1; return true },
        "sort": choice(\.sort),
        "explain": .flag { $0.explain = true },
        "dedup": .flag { $0.dedup = true },
        "count": .flag { $0.count = true },
        "batch": .flag { $0.batch = true },
        "analyze": .flag { $0.analyze = true },
        "context": int(\.context),
        "snippets": .flag { $0.snippets = true },
        "no-snippets": .flag { $0.snippets = false },
        "color": choice(\.color),
        "k1": double(\.k1),
        "b": double(\.b),
        "stopwords": .value { $0.stopwords = $1; return true },
        "proximity": double(\.proximity),
        "proximity-window": int(\.proximityWindow),
        "proximity-all-pairs": .flag { $0.proximityAllPairs = true },
        "bigram-weight": double(\.bigramWeight),
        "title-weight": double(\.titleWeight),
    ]

    // The conversions are the ones ArgumentParser applies: Int(_:), Double(_:), init(rawValue:).
    private static func int(_ field: WritableKeyPath<SearchArguments, Int>) -> Setter {
        .value { arguments, text in
            guard let n = Int(text) else { return false }
            arguments[keyPath: field] = n
            return true
        }
    }

    private static func double(_ field: WritableKeyPath<SearchArguments, Double>) -> Setter {
        .value { arguments, text in
            guard let d = Double(text) else { return false }
            arguments[keyPath: field] = d
            return true
        }
    }

    private static func choice<C: RawRepresentable>(_ field: WritableKeyPath<SearchArguments, C>) -> Setter
    where C.RawValue == String {
        .value { arguments, text in
            guard let c = C(rawValue: text) else { return false }
            arguments[keyPath: field] = c
            return true
        }
    }
}
