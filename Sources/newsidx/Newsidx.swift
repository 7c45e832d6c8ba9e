// newsidx (CLI): the command-line interface: commands, options, exit codes, error messages.
// Owns argument parsing and the grep-like contract (0 matched, 1 nothing matched, 2 error).
import ArgumentParser
import InvertedIndex
import Storage
#if canImport(Glibc)
import Glibc
#endif

@main
struct Newsidx: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsidx",
        abstract: "Offline full-text search for local news archives.",
        discussion: """
        Index a folder of articles once, then search it with ranked keyword, boolean, phrase and proximity queries. The index lives in --index DIR, else $NEWSIDX_INDEX, else ./Index.

        Examples:
          newsidx index ~/archive
          newsidx search '"free syrian army" NEAR/5 rebels'
          newsidx search --any --limit 20 climate summit paris
        """,
        version: "newsidx 0.5.0 (index format \(Format.version))",
        subcommands: [IndexCommand.self, SearchCommand.self, ShowCommand.self, DeleteCommand.self, CheckCommand.self,
                      DuplicatesCommand.self, CleanCommand.self, StatsCommand.self]
    )

    static func main() {
        HeapSettings.apply(arguments: CommandLine.arguments)
        signal(SIGPIPE, SIG_IGN)
        if let token = helpLookalike(Array(CommandLine.arguments.dropFirst())) {
            let command = CommandLine.arguments.dropFirst().first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "search"
            Terminal.stderr("newsidx: \(token) reads as options, and its -h asks for help: ids and queries that begin "
                + "with '-' go after '--', as with grep (newsidx \(command) -- \(token))")
            Glibc.exit(2)
        }
        do {
            if let search = SearchArgumentReader.read(CommandLine.arguments.dropFirst()) {
                try search.run()
            } else {
                var command = try parseAsRoot()
                try command.run()
            }
        } catch let exit as ExitStatus {
            Glibc.exit(exit.code)
        } catch {
            report(error)
        }
    }

    /// Prints an error the way grep does and exits: 0 for help, 2 for anything else.
    static func report(_ error: Error) -> Never {
        if let exit = error as? ExitCode { Glibc.exit(exit.rawValue) }
        let code = exitCode(for: error)
        if code == .success {
            Self.exit(withError: error)
        }
        var message = fullMessage(for: error)
        if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
        if code == .validationFailure, let hint = searchHint(Array(CommandLine.arguments.dropFirst())) {
            // A negative number is all that is wrong: ArgumentParser's "missing value" and its
            // usage lines would only hide it.
            message = hint.replacesMessage ? hint.text : message + "\n" + hint.text
        }
        if isCorruption(error) && CommandLine.arguments.dropFirst().first != "check" {
            message += "\n`newsidx check` lists every damaged part; index the sources again into a new --index folder to replace this one"
        }
        Terminal.stderr("newsidx: \(message)")
        Glibc.exit(2)
    }
}

/// What to do about a search line whose query begins with "-" (an exclusion, which reads as an
/// option) or whose option was given a negative number: ArgumentParser's own message names an
/// unknown option, a missing value or a missing query.
func searchHint(_ argv: [String]) -> (text: String, replacesMessage: Bool)? {
    guard argv.first == "search" else { return nil }
    for (i, token) in argv.enumerated().dropFirst() where token.hasPrefix("-") && token != "-" {
        if token == "--" { return nil }
        if token.hasPrefix("--") { continue }
        if Double(token) != nil, argv[i - 1].hasPrefix("--") {
            return ("\(argv[i - 1]) takes a number of 0 or more, not \(token)", true)
        }
        return ("\(token) reads as an option: a query with an exclusion goes after '--', as with grep "
            + "(newsidx search [options] -- 'economy -market')", false)
    }
    return nil
}

/// An argument before `--` such as `-hamas` (a query word or an id beginning with '-'), which
/// ArgumentParser reads as bundled short flags: for the -h among them it prints help and exits 0,
/// so a script would take a search for "-hamas" as having matched, and `xargs newsidx delete`
/// over such an id as having deleted it. newsidx has no other short flag.
func helpLookalike(_ argv: [String]) -> String? {
    for token in argv {
        if token == "--" { return nil }
        if token.count > 2, token.hasPrefix("-"), !token.hasPrefix("--"), token.dropFirst().contains("h") {
            return token
        }
    }
    return nil
}

/// Damaged index data, as readers, writers and LMDB find it (not a missing, foreign or
/// truncated index, whose messages say what to do).
func isCorruption(_ error: Error) -> Bool {
    switch error {
    case let lmdb as LMDBError: return lmdb.isDamage
    case let IndexError.storage(lmdb, _): return lmdb.isDamage
    default: return indexDamage(error) != nil
    }
}

/// Exits with a code without printing anything more.
struct ExitStatus: Error {
    let code: Int32
    static let noMatch = ExitStatus(code: 1)
    static let failure = ExitStatus(code: 2)
}

/// An error the CLI reports as is.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Options every command that opens an index shares.
struct IndexLocation: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Index folder (default: $NEWSIDX_INDEX, else ./Index).", valueName: "DIR"))
    var index: String?

    var path: String { IndexLocation.resolve(index) }

    func validate() throws {
        // An empty name had reached mkdir and come back as ": cannot create the index folder".
        if index == "" { throw ValidationError("--index needs a folder name, not an empty string") }
    }

    static func resolve(_ index: String?) -> String {
        if let index { return index }
        if let env = getenv("NEWSIDX_INDEX"), env.pointee != 0 { return String(cString: env) }
        return "Index"
    }
}
