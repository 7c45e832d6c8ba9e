# Tools/robustness/common.py: what Tools/crashtest and Tools/concurrency share: finding the
# repository, the release binary and the shared corpora; running newsidx with a timeout; the fixed
# query set; the ids of a JSON Lines corpus in indexing order; and the pass/fail tally.
# Python 3 standard library only.
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

# <repo>/Tools/robustness/common.py -> <repo>
REPO = Path(__file__).resolve().parent.parent.parent
SHARED_CORPORA = REPO.parent / "shared" / "corpora"
DEFAULT_BINARY = REPO / ".build" / "release" / "newsidx"

# The fixed query set: (label, extra search arguments, query). Words, a phrase, NEAR and ADJ,
# a prefix, OR, NOT, a field, a group and ranked OR. Every query only gains matches when
# documents are added (the prefix stays well under the 1,000-term expansion bound), so counts
# may only grow while an index fills.
QUERIES = [
    ("words", [], "oil"),
    ("two words", [], "president election"),
    ("phrase", [], '"prime minister"'),
    ("near", [], "bank NEAR/5 rates"),
    ("phrase near", [], '"interest rates" NEAR/10 inflation'),
    ("adj", [], "police ADJ/3 arrested"),
    ("prefix", [], "econom*"),
    ("or", [], "football OR cricket"),
    ("not", [], "market -shares"),
    ("title", [], "title:budget"),
    ("group", [], "(china OR japan) AND trade NOT war"),
    ("ranked or", ["--any"], "climate summit paris"),
]


def log(*parts):
    print(*parts, flush=True)


def find_binary(given):
    """The newsidx executable: --binary, else <repo>/.build/release/newsidx."""
    path = Path(given) if given else DEFAULT_BINARY
    if not (path.is_file() and os.access(path, os.X_OK)):
        sys.exit(f"newsidx executable not found at {path}; build it with Tools/build-release "
                 f"in {REPO} (or pass --binary)")
    return str(path)


def resolve_corpus(given, default_name="news-combined"):
    """A corpus file: a path, or the name of a folder under ../shared/corpora holding
    corpus.jsonl.zst (or corpus.jsonl, or any one .jsonl[.zst|.gz]). None when absent."""
    candidates = []
    name = given or default_name
    p = Path(name)
    if p.is_file():
        return str(p)
    for folder in ([p] if p.is_dir() else []) + [SHARED_CORPORA / name]:
        if not folder.is_dir():
            continue
        for f in ["corpus.jsonl.zst", "corpus.jsonl", "corpus.jsonl.gz"]:
            if (folder / f).is_file():
                return str(folder / f)
        candidates += sorted(folder.glob("*.jsonl*"))
    return str(candidates[0]) if candidates else None


class Timeout(Exception):
    pass


def run(cmd, timeout=300, stdin=None, env=None):
    """Runs a command; returns (exit status, stdout, stderr) as text. A negative status is a
    signal. Raises Timeout (after killing it) when it runs longer than `timeout` seconds."""
    try:
        r = subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout, env=env,
                           text=True, errors="replace")
    except subprocess.TimeoutExpired as e:
        raise Timeout(f"{' '.join(cmd[:4])} ... did not finish in {timeout} s") from e
    return r.returncode, r.stdout, r.stderr


def describe_status(rc):
    return f"killed by signal {-rc}" if rc < 0 else f"exit {rc}"


def open_text_lines(path):
    """Lines of a .jsonl, .jsonl.gz or .jsonl.zst file as bytes (zstd through the zstd tool)."""
    if path.endswith(".zst"):
        if not shutil.which("zstd"):
            return None
        proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
        return proc.stdout
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def corpus_ids(path, shown_path):
    """External ids of the records `newsidx index` adds, in order (what doc ids follow), or None
    when they cannot be read (no zstd tool) or are not unique. Mirrors Ingest: blank lines are not
    records, records without text are skipped, a record without an id gets "<path>:<line>"."""
    stream = open_text_lines(path)
    if stream is None:
        return None
    ids = []
    with stream:
        for number, raw in enumerate(stream, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip(b" \t\r\n"):
                continue
            try:
                rec = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(rec, dict):
                continue
            if not any(isinstance(rec.get(k), str) for k in ("text", "contents", "body")):
                continue
            rid = rec.get("id", rec.get("_id"))
            if isinstance(rid, bool) or rid is None or isinstance(rid, (dict, list)):
                rid = f"{shown_path}:{number}"
            ids.append(str(rid))
    if len(set(ids)) != len(ids):
        return None
    return ids


class Tally:
    """Named checks that passed or failed, with details, for the final `N passed, M failed`."""

    def __init__(self):
        self.passed = 0
        self.failures = []

    def ok(self):
        self.passed += 1

    def fail(self, name, details):
        self.failures.append((name, details))

    def check(self, name, problems):
        """One check that passes when `problems` is empty."""
        if problems:
            self.fail(name, problems)
            return False
        self.ok()
        return True

    def report(self):
        if self.failures:
            log("")
            log(f"FAILURES ({len(self.failures)}):")
            for name, details in self.failures:
                log(f"- {name}")
                for d in (details if isinstance(details, list) else [details]):
                    for line in str(d).splitlines() or [""]:
                        log(f"    {line}")
        log(f"{self.passed} passed, {len(self.failures)} failed")
        return 1 if self.failures else 0


def elapsed(start):
    return time.monotonic() - start
