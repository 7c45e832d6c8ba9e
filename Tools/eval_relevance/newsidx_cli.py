# Driving the newsidx CLI for Tools/eval-relevance: finding (or building) the binary, indexing a collection into
# a cached index under Tools/.eval/, and sending all queries through one `newsidx search --batch` call.
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .corpora import REPO_ROOT, TOOLS_DIR, Collection, Query
from .runs import BatchOutputError, Run, parse_batch_output

WORK_DIR = TOOLS_DIR / ".eval"
DEFAULT_BINARY = REPO_ROOT / ".build" / "release" / "newsidx"
BATCH_SEARCH_FLAGS = ("--batch", "--any", "--words")
CLI_TIMEOUT_SECONDS = 1800
# `newsidx search` exits 1 when nothing matched and 2 on an error, which in --batch mode may be one rejected query
# (reported in its output object); the output is checked to hold an object for every query either way.
SEARCH_OK_EXIT_CODES = (0, 1, 2)


class CliError(Exception):
    """The newsidx CLI is missing, failed, or printed something unusable."""


def log(message: str) -> None:
    print(f"eval-relevance: {message}", file=sys.stderr, flush=True)


def ensure_work_dir() -> Path:
    """Tools/.eval/, made git-ignored by a .gitignore of its own."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    ignore_file = WORK_DIR / ".gitignore"
    if not ignore_file.exists():
        ignore_file.write_text("# Scratch space of Tools/eval-relevance (indexes, run files).\n*\n")
    return WORK_DIR


def locate_binary(explicit_path: str | None, build_if_missing: bool) -> Path:
    """--bin, else $NEWSIDX_BIN, else .build/release/newsidx (built with Tools/build-release if missing)."""
    chosen = explicit_path or os.environ.get("NEWSIDX_BIN")
    binary = Path(chosen).resolve() if chosen else DEFAULT_BINARY
    if binary.is_file() and os.access(binary, os.X_OK):
        return binary
    if chosen or not build_if_missing:
        raise CliError(f"no executable newsidx at {binary}")
    log(f"{binary.relative_to(REPO_ROOT)} missing: running Tools/build-release")
    build = subprocess.run([str(REPO_ROOT / "Tools" / "build-release")], cwd=REPO_ROOT)
    if build.returncode != 0 or not binary.is_file():
        raise CliError(f"swift build failed (exit {build.returncode})")
    return binary


def run_cli(arguments: list[str], stdin_text: str | None = None,
            ok_exit_codes: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
    try:
        completed = subprocess.run(arguments, input=stdin_text, capture_output=True, text=True, encoding="utf-8",
                                   timeout=CLI_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as error:
        raise CliError(f"`newsidx {arguments[1]}` still running after {CLI_TIMEOUT_SECONDS} s") from error
    if completed.returncode not in ok_exit_codes:
        stderr_tail = "\n".join(completed.stderr.strip().splitlines()[-15:])
        raise CliError(f"`newsidx {arguments[1]}` exited {completed.returncode}:\n{stderr_tail}")
    return completed


def index_cache_dir(collection: Collection, index_flags: list[str]) -> Path:
    """One cached index per collection + index flags (the stemmer is one of them)."""
    key = json.dumps({"collection": str(collection.path), "flags": index_flags})
    readable = re.sub(r"[^A-Za-z0-9.]+", "-", " ".join(index_flags)).strip("-")[:60] or "default"
    return WORK_DIR / "indexes" / f"{collection.name}-{readable}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def file_stamp(path: Path) -> dict:
    status = path.stat()
    return {"path": str(path), "size": status.st_size, "mtime_ns": status.st_mtime_ns}


def ensure_index(binary: Path, collection: Collection, index_flags: list[str], force: bool) -> Path:
    """Reuses the cached index unless the corpus, the flags or the binary changed (a rebuilt binary may have a new
    index format); otherwise indexes afresh into a temporary directory and moves it into place."""
    index_dir = index_cache_dir(collection, index_flags)
    stamp_path = index_dir.with_name(index_dir.name + ".stamp.json")
    stamp = {"binary": file_stamp(binary), "corpus": file_stamp(collection.corpus_path), "flags": index_flags}
    if not force and index_dir.exists() and stamp_path.exists() and json.loads(stamp_path.read_text()) == stamp:
        log(f"{collection.name}: reusing index {index_dir.relative_to(REPO_ROOT)}")
        return index_dir
    building_dir = index_dir.with_name(index_dir.name + ".building")
    for stale in (building_dir, index_dir):
        shutil.rmtree(stale, ignore_errors=True)
    stamp_path.unlink(missing_ok=True)
    building_dir.parent.mkdir(parents=True, exist_ok=True)
    log(f"{collection.name}: indexing {collection.corpus_path.name} with {' '.join(index_flags) or 'default flags'}")
    started = time.monotonic()
    run_cli([str(binary), "index", "--index", str(building_dir), *index_flags, str(collection.corpus_path)])
    building_dir.rename(index_dir)
    stamp_path.write_text(json.dumps(stamp, indent=1))
    log(f"{collection.name}: indexed in {time.monotonic() - started:.1f} s")
    return index_dir


def search_batch(binary: Path, index_dir: Path, queries: list[Query], search_flags: list[str], limit: int) -> Run:
    """All queries on stdin, one per line, through one `newsidx search --batch --any --words` process."""
    arguments = [str(binary), "search", "--index", str(index_dir), *BATCH_SEARCH_FLAGS, "--limit", str(limit),
                 *search_flags]
    stdin_text = "".join(query.text + "\n" for query in queries)
    started = time.monotonic()
    completed = run_cli(arguments, stdin_text, ok_exit_codes=SEARCH_OK_EXIT_CODES)
    if not completed.stdout.strip():
        raise CliError(f"`newsidx search --batch` exited {completed.returncode} and printed nothing:\n"
                       f"{completed.stderr.strip()[-2000:]}")
    try:
        run = parse_batch_output(completed.stdout, queries, limit)
    except BatchOutputError as error:
        stderr_tail = "\n".join(completed.stderr.strip().splitlines()[-15:])
        raise CliError(f"`newsidx search --batch` exited {completed.returncode}, output: {error}\n{stderr_tail}"
                       ) from error
    if completed.returncode == 2 and not run.errors_by_qid:
        raise CliError(f"`newsidx search --batch` exited 2 without a query error:\n{completed.stderr.strip()[-2000:]}")
    run.wall_seconds = time.monotonic() - started
    return run
