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
        StandardStreams.openClosedOnes()
        FaultReport.install()
        HeapSettings.apply(arguments: CommandLine.arguments)
        signal(SIGPIPE, SIG_IGN)
        if CommandLine.arguments.count == 1 {
            // Help on stderr and 2, as ripgrep with no pattern: a script that lost its command
            // must not look as though it succeeded. `newsidx --help` prints it on stdout with 0.
            Terminal.stderr(helpMessage())
            Glibc.exit(2)
        }
        if let token = helpLookalike(Array(CommandLine.arguments.dropFirst())) {
            let command = CommandLine.arguments.dropFirst().first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "search"
            Terminal.stderr("newsidx: \(token) reads as options, and its -h asks for help: ids and queries that begin "
                + "with '-' go after '--', as with grep (newsidx \(command) -- \(token))")
            Glibc.exit(2)
        }
        if let option = emptyInlineValue(Array(CommandLine.arguments.dropFirst())) {
            Terminal.stderr("newsidx: \(option) has nothing after '=' (an unset shell variable?)")
            Glibc.exit(2)
        }
        if let unknown = unknownCommand(Array(CommandLine.arguments.dropFirst())) {
            let names = configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
            Terminal.stderr(unknown.asHelpTopic ? "newsidx: no command named '\(unknown.name)' to help with; the commands: \(names)"
                : "newsidx: '\(unknown.name)' is not a command (a search is newsidx search \(unknown.name)); the commands: \(names)")
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
            Terminal.flush()
            Glibc.exit(exit.code)
        } catch {
            report(error)
        }
    }

    /// Prints an error the way grep does and exits: 0 for help, 2 for anything else.
    static func report(_ error: Error) -> Never {
        Terminal.flush()
        if let exit = error as? ExitCode { Glibc.exit(exit.rawValue) }
        let code = exitCode(for: error)
        if code == .success {
            // Help, version and completion scripts: written through Terminal, so a full disk is
            // an error (exit 2), as for grep --help; ArgumentParser's own print ignored it.
            Terminal.out(fullMessage(for: error) + "\n")
            Terminal.flush()
            Glibc.exit(0)
        }
        var message = fullMessage(for: error)
        if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
        if code == .validationFailure, let hint = argumentHint(Array(CommandLine.arguments.dropFirst()), message: message) {
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

/// What to do about an option given a negative number, or a search line whose query begins
/// with "-" (an exclusion, which reads as an option): ArgumentParser's own message names an
/// unknown option, a missing value or a missing query.
func argumentHint(_ argv: [String], message: String) -> (text: String, replacesMessage: Bool)? {
    for (i, token) in argv.enumerated().dropFirst() where token.hasPrefix("-") && token != "-" {
        if token == "--" { return nil }
        if token.hasPrefix("--") { continue }
        if argv[i - 1] == "--sort" { continue }  // `-date` is its value, read as such
        if Double(token) != nil, argv[i - 1].hasPrefix("--") {
            let option = argv[i - 1]
            if option == "--since" || option == "--until" {
                return ("\(option) '\(token)' is not a date (yyyy, yyyy-mm or yyyy-mm-dd)", true)
            }
            if option == "--threads" { return ("--threads takes a number from 1 to 64, not \(token)", true) }
            return ("\(option) takes a number of 0 or more, not \(token)", true)
        }
        guard argv.first == "search" else { return nil }
        // `-l`, `-i`: a grep habit, not a query word; ArgumentParser's "unknown option" says it.
        guard token.count > 2 else { return nil }
        // The example is the person's own query, every word of it in order. ArgumentParser's
        // message about this word ("unknown option '-gas', did you mean '--any'?", "a QUERY is
        // needed") misleads and is left out; one about another argument (a bad --format) stays.
        let aboutIt = message.contains("'\(token)'") || message.contains("a QUERY is needed")
        return ("\(token) reads as an option: a query with an exclusion goes after '--', as with grep "
            + "(newsidx search [options] -- \(shellQuoted(searchQueryWords(argv).joined(separator: " "))))", aboutIt)
    }
    return nil
}

/// The words of a `search` line that are neither options nor their values, dashed ones too.
func searchQueryWords(_ argv: [String]) -> [String] {
    var words: [String] = []
    var rest = argv.dropFirst()
    while let token = rest.popFirst() {
        if token == "--" { return words + rest }
        if token.hasPrefix("--") {
            let name = String(token.dropFirst(2))
            if !name.contains("="), SearchArgumentReader.takesValue(name) { _ = rest.popFirst() }
            continue
        }
        words.append(token)
    }
    return words
}

/// `text` in single quotes for a shell, its own single quotes written as '\''.
func shellQuoted(_ text: String) -> String {
    "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
}

/// An option written `--name=` with nothing after the '=': ArgumentParser took the next
/// argument as its value, so `search --index= oil` looked for an index named "oil".
func emptyInlineValue(_ argv: [String]) -> String? {
    for token in argv {
        if token == "--" { return nil }
        if token.count > 3, token.hasPrefix("--"), token.hasSuffix("="), !token.dropLast().contains("=") { return token }
    }
    return nil
}

/// A command name no command has, as `newsidx NAME` or `newsidx help NAME`: ArgumentParser
/// printed the general help and exited 0 for the second, as though the help asked for had been
/// found, and called the first an unexpected argument (git names the unknown command).
func unknownCommand(_ argv: [String]) -> (name: String, asHelpTopic: Bool)? {
    let known = Newsidx.configuration.subcommands.map { $0._commandName }
    guard let first = argv.first, !first.hasPrefix("-") else { return nil }
    guard first == "help" else { return known.contains(first) ? nil : (first, false) }
    guard argv.count >= 2, !argv[1].hasPrefix("-") else { return nil }
    return known.contains(argv[1]) ? nil : (argv[1], true)
}

/// Opens /dev/null on any of descriptors 0–2 the process started without, as ripgrep's runtime
/// does: otherwise the index's own files took those numbers, and `search --batch <&-` read
/// `data.mdb` as its queries while `index ... >&-` wrote its summary into `lock.mdb`.
enum StandardStreams {
    static func openClosedOnes() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != fd {
                dup2(opened, fd)
                close(opened)
            }
        }
    }
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
