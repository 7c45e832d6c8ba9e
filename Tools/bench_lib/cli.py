# Tools/bench command line and orchestration: load corpus, draw queries, build the indexes, time warm,
# date-ordered and one-process-per-query searches, compare results, then print tables and write results.json
# under --out; with --runs N, all but the first two steps N times, merged by aggregate.py.
import argparse
import dataclasses
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from . import page_cache, paths
from . import date_order as date_order_bench
from .aggregate import merge_runs
from .corpus import Corpus, Doc
from .engine_common import Answer, BuildResult, run_warm
from .agreement import count_disagreements, explain, write_disagreements
from .fts5_peer import Fts5Searcher, sqlite3_cli_argv
from .measure import allocated_bytes, run_measured, time_command
from .newsidx_engine import NewsidxEngine
from .queries import CLASSES, Query, generate_query_set, queries_by_class, save_queries
from .query_syntax import fts5_query, newsidx_query, ripgrep_pattern, tantivy_counts_comparable, tantivy_query
from .report import render
from .results import assemble_results
from .ripgrep_peer import RipgrepTarget
from .tantivy_peer import TantivySearcher

EXPLAINED_DISAGREEMENTS = 100  # count disagreements whose differing docs are listed (one newsidx run each)

EXAMPLES = """examples:
  Tools/bench                                   # bbc corpus, 100 queries per class, no stemming
  Tools/bench --corpus ../shared/corpora/news-combined/corpus.jsonl.zst
  Tools/bench --stemmer english --queries-per-class 50 --seed 7
  Tools/bench --skip-newsidx --skip-cold        # peers only (no newsidx binary yet), warm latency only
  Tools/bench --corpus ../shared/corpora/news-combined/corpus.jsonl.zst --replicas 5   # memory as the index grows
  Tools/bench --skip-build                      # reuse the indexes of the previous run in --out
  Tools/bench --runs 5                          # medians of 5 runs, and how far each ratio moved between them
  Tools/bench --warm-rounds 3                   # newsidx and tantivy warm passes taken in turn, 3 each

peers: tantivy (Python bindings, one text field = title + "\\n" + text, default/en_stem tokenizer, BM25),
SQLite FTS5 (columns title, text; unicode61 remove_diacritics 2, porter-wrapped for english), ripgrep
(phrases, one process per query). Warm peer latency is timed in-process around query parsing, count and
top-10 ids. Work files (indexes, queries.tsv, count-disagreements.tsv, results.json, and with --runs N
results-run1.json ... results-runN.json) go to --out."""


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="Tools/bench", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES,
        description="Index one corpus with newsidx, tantivy and SQLite FTS5, run one deterministic query set "
                    "(classes " + ", ".join(CLASSES) + ") and print absolute numbers and newsidx/peer ratios.")
    parser.add_argument("--corpus", default=paths.display_path(paths.DEFAULT_CORPUS),
                        help="directory of .txt files or a .jsonl/.jsonl.gz/.jsonl.zst file (default: %(default)s)")
    parser.add_argument("--queries-per-class", type=int, default=100, metavar="N", help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=42, help="query-drawing seed (default: %(default)s)")
    parser.add_argument("--stemmer", choices=("none", "english"), default="none", help="default: %(default)s")
    parser.add_argument("--classes", default=",".join(CLASSES),
                        help="comma-separated subset of query classes (default: all)")
    parser.add_argument("--bin", help="newsidx binary (default: .build/release/newsidx, "
                                      "built with Tools/build-release when missing)")
    parser.add_argument("--out", default=paths.display_path(paths.DEFAULT_OUT_DIR),
                        help="work folder for indexes and result files (default: %(default)s)")
    parser.add_argument("--process-queries", type=int, default=20, metavar="N",
                        help="queries per class for the one-process-per-query timing (default: %(default)s)")
    parser.add_argument("--newsidx-or-defaults", action="store_true",
                        help="run or23/any5 with newsidx's own ranked-OR defaults (stop words, proximity and title "
                             "boosts) instead of plain BM25 over every word like the peers; counts and top-10 "
                             "then differ from the peers by design")
    parser.add_argument("--replicas", type=int, default=1, metavar="K",
                        help="also index one and K copies of the corpus with newsidx, written out as JSON Lines "
                             "(new ids; copies after the first end in a marker word, as newsidx skips identical "
                             "text), and report peak memory and wall time of K against one; the copies and "
                             "their indexes are removed after (default: %(default)s, off)")
    parser.add_argument("--runs", type=int, default=1, metavar="N",
                        help="repeat the whole measurement N times on the same corpus and queries (rebuilding the "
                             "indexes unless --skip-build) and report the median of every number, each ratio the "
                             "median of the runs' ratios, then the per-run range of the build wall and warm p50 "
                             "ratios; each run's results go to results-run<K>.json (default: %(default)s)")
    parser.add_argument("--warm-rounds", type=int, default=1, metavar="K",
                        help="run the warm newsidx and tantivy passes K times each, in turn, and time each query "
                             "by its median over the rounds: the host's speed drifts within minutes, and passes "
                             "taken in turn share the drift; with K above 1 each round first reads both indexes "
                             "back into the page cache afresh, as where their pages land moves their times "
                             "(FTS5 runs once; default: %(default)s)")
    parser.add_argument("--skip-newsidx", action="store_true", help="peers only")
    parser.add_argument("--skip-build", action="store_true", help="reuse the indexes already in --out")
    parser.add_argument("--skip-cold", action="store_true", help="skip the one-process-per-query timing")
    parser.add_argument("--skip-rg", action="store_true", help="skip ripgrep")
    args = parser.parse_args(argv)
    args.classes = [name.strip() for name in args.classes.split(",") if name.strip()]
    unknown = [name for name in args.classes if name not in CLASSES]
    if unknown:
        parser.error(f"unknown query classes: {', '.join(unknown)}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.warm_rounds < 1:
        parser.error("--warm-rounds must be at least 1")
    if not os.path.exists(args.corpus):
        parser.error(f"corpus not found: {args.corpus}")
    return args


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    os.makedirs(args.out, exist_ok=True)
    workload = prepare(args)
    remove_per_run_results(args.out)
    results_path = os.path.join(args.out, "results.json")
    if args.runs == 1:
        results = measure_once(args, workload, results_path)
    else:
        results = merge_runs([measure_run(args, workload, run) for run in range(1, args.runs + 1)])
        results["files"]["results"] = results_path
        results["files"]["results_per_run"] = per_run_results_path(args.out, f"{{1..{args.runs}}}")
    write_json(results, results_path)
    print(render(results))
    log(f"done in {time.perf_counter() - started:.1f} s")


@dataclass
class Workload:
    """What every run measures: the corpus as read, its query set and the engines. Shared by the runs of
    --runs so they differ only by measurement noise (one newsidx snapshot, so a rebuild cannot split them)."""
    corpus: Corpus
    docs: List[Doc]
    aliases: Dict[str, str]
    corpus_bytes: int
    queries: List[Query]
    queries_path: str
    newsidx: Optional[NewsidxEngine]
    index_paths: Dict[str, str]


def prepare(args: argparse.Namespace) -> Workload:
    corpus = Corpus(args.corpus)
    log(f"reading {corpus.path}")
    aliases: Dict[str, str] = {}
    docs = list(corpus.docs(aliases))
    corpus_bytes = sum(doc.byte_size() for doc in docs)
    log(f"{len(docs):,} docs, {corpus_bytes / 1e6:.1f} MB, {len(aliases):,} byte-identical duplicates left out; "
        "drawing queries")
    queries = generate_query_set(docs, args.queries_per_class, args.seed, args.classes)
    queries_path = os.path.join(args.out, "queries.tsv")
    save_queries(queries, queries_path)

    newsidx = None if args.skip_newsidx else NewsidxEngine(
        snapshot(newsidx_binary(args), args.out), os.path.abspath(os.path.join(args.out, "newsidx-index")),
        args.stemmer, args.out,
        plain_bm25_or=not args.newsidx_or_defaults)
    index_paths = {"tantivy": os.path.join(args.out, "tantivy-index"), "fts5": os.path.join(args.out, "fts5.db")}
    if args.skip_build:
        require_existing_indexes([newsidx.index_dir] if newsidx else [], index_paths)
    return Workload(corpus, docs, aliases, corpus_bytes, queries, queries_path, newsidx, index_paths)


def measure_run(args: argparse.Namespace, workload: Workload, run: int) -> Dict:
    """Run `run` of --runs, its results written to results-run<run>.json."""
    log(f"run {run} of {args.runs}")
    path = per_run_results_path(args.out, str(run))
    results = measure_once(args, workload, path)
    write_json(results, path)
    return results


def remove_per_run_results(out_dir: str) -> None:
    """An earlier --runs into the same folder left its files; kept, a longer run's extra ones would pass
    for this run's."""
    for name in os.listdir(out_dir):
        if re.fullmatch(r"results-run\d+\.json", name):
            os.remove(os.path.join(out_dir, name))


def per_run_results_path(out_dir: str, run: str) -> str:
    return os.path.join(out_dir, f"results-run{run}.json")


def measure_once(args: argparse.Namespace, workload: Workload, results_path: str) -> Dict:
    """One whole measurement: builds (unless --skip-build), warm, date-ordered and one-process-per-query
    searches, answer files; returns the results dict naming `results_path` as its file."""
    newsidx, index_paths, queries = workload.newsidx, workload.index_paths, workload.queries
    corpus, docs, aliases, corpus_bytes = workload.corpus, workload.docs, workload.aliases, workload.corpus_bytes
    files = {"queries": workload.queries_path}
    builds = {} if args.skip_build else build_all(newsidx, corpus, index_paths, args, len(docs), corpus_bytes)
    if newsidx and args.replicas > 1 and not args.skip_build:
        # Both written out the same way, so the ratio compares index sizes, not input formats.
        for copies in (1, args.replicas):
            log(f"building a newsidx index of {copies} written-out cop{'y' if copies == 1 else 'ies'} of the corpus")
            builds[f"newsidx x{copies}"] = newsidx.build_replicated(docs, corpus_bytes, copies)
    stats = newsidx.stats() if newsidx else None

    answers = warm_answers(newsidx, index_paths, queries, aliases, args.warm_rounds)
    date_order = measure_date_order(newsidx, queries, docs) if newsidx else None
    process = {} if args.skip_cold else process_timings(newsidx, index_paths, corpus, aliases, queries, args)

    if newsidx:
        files["count_disagreements"] = os.path.join(args.out, "count-disagreements.tsv")
        write_count_disagreements(newsidx, Fts5Searcher(index_paths["fts5"]), queries, answers, aliases,
                                  len(docs) + len(aliases), files["count_disagreements"])
    files["answers"] = os.path.join(args.out, "answers.jsonl")
    write_answers(queries, answers, files["answers"])
    files["results"] = results_path
    return assemble_results(args, corpus, docs, len(aliases), corpus_bytes, queries, builds, stats, answers,
                            process, files, newsidx.any_options if newsidx else [], date_order,
                            newsidx.first_pass if newsidx else None)


def write_json(results: Dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)


def newsidx_binary(args: argparse.Namespace) -> str:
    if args.bin:
        if not os.access(args.bin, os.X_OK):
            raise SystemExit(f"bench: --bin {args.bin} is not an executable")
        return os.path.abspath(args.bin)
    if not os.access(paths.DEFAULT_BINARY, os.X_OK):
        log("no .build/release/newsidx: running Tools/build-release")
        subprocess.run([os.path.join(paths.REPO_ROOT, "Tools", "build-release")], cwd=paths.REPO_ROOT, check=True)
    return paths.DEFAULT_BINARY


def snapshot(binary: str, out_dir: str) -> str:
    """A private copy of the binary, so that a rebuild during the run cannot swap it midway."""
    copy = os.path.abspath(os.path.join(out_dir, "newsidx-bin"))
    shutil.copy2(binary, copy)
    return copy


def require_existing_indexes(newsidx_dirs: List[str], index_paths: Dict[str, str]) -> None:
    missing = [path for path in list(newsidx_dirs) + list(index_paths.values()) if not os.path.exists(path)]
    if missing:
        raise SystemExit(f"bench: --skip-build but no index at {', '.join(missing)}; run once without it")


def build_all(newsidx: Optional[NewsidxEngine], corpus: Corpus, index_paths: Dict[str, str],
              args: argparse.Namespace, docs: int, corpus_bytes: int) -> Dict[str, BuildResult]:
    builds = {}
    if newsidx:
        log("building the newsidx index")
        builds["newsidx"] = newsidx.build(corpus, docs, corpus_bytes)
    for peer, dest in index_paths.items():
        log(f"building the {peer} index")
        builds[peer] = build_peer(peer, corpus, dest, args)
    return builds


def build_peer(peer: str, corpus: Corpus, dest: str, args: argparse.Namespace) -> BuildResult:
    """Builds in a child process so that its peak RSS is the peer's own, not the bench's."""
    output = os.path.join(args.out, f"{peer}-build.json")
    env = dict(os.environ, PYTHONPATH=paths.TOOLS_DIR)
    run = run_measured([sys.executable, "-m", "bench_lib.build_peer", peer, corpus.path, dest, args.stemmer],
                       stdout_path=output, env=env)
    if run.returncode != 0:
        raise RuntimeError(f"{peer} build failed ({run.returncode}): {run.stderr}")
    with open(output, encoding="utf-8") as handle:
        built = json.load(handle)
    return BuildResult(peer, run.wall_s, run.peak_rss_bytes, allocated_bytes(dest), built["docs"], built["bytes"])


def warm_answers(newsidx: Optional[NewsidxEngine], index_paths: Dict[str, str], queries: Sequence[Query],
                 aliases: Dict[str, str], rounds: int) -> Dict[str, List[Answer]]:
    """Warm answers per engine. newsidx and tantivy take `rounds` passes each, in turn, and each query's time is
    its median over them (the first round's count and ids). Every round runs newsidx in fresh processes, so the
    first pass `newsidx.first_pass` keeps (the last round's) is a first run in its process as in any round.
    With several rounds, each starts with both indexes read back into the page cache afresh (page_cache.py),
    tantivy's reopened: where their pages land moves their times, and the median spreads that over layouts."""
    tantivy_texts = [tantivy_query(query) for query in queries]
    folders = ([newsidx.index_dir] if newsidx else []) + [index_paths["tantivy"]]
    by_round: Dict[str, List[List[Answer]]] = {"newsidx": [], "tantivy": []} if newsidx else {"tantivy": []}
    for round_number in range(1, rounds + 1):
        of = f" (round {round_number} of {rounds})" if rounds > 1 else ""
        if rounds > 1:
            cache = page_cache.refresh(folders)
            log(f"page cache: indexes read back afresh ({cache['read_bytes'] / 1e6:.0f} MB"
                + (f"; {cache['kept_bytes'] / 1e6:.1f} MB stayed where it was)" if cache["kept_bytes"] >= 1e6 else ")"))
        tantivy = TantivySearcher(index_paths["tantivy"])
        if newsidx:
            log(f"warm queries: newsidx --batch{of}")
            by_round["newsidx"].append(newsidx.run_warm(queries))
        log(f"warm queries: tantivy{of}")
        by_round["tantivy"].append(run_warm(tantivy.search, tantivy_texts))
        del tantivy  # unmaps its files, so the next round's refresh can drop them
    answers = {engine: median_times(rounds_of) for engine, rounds_of in by_round.items()}
    if newsidx:
        for answer in answers["newsidx"]:
            answer.ids = [aliases.get(hit, hit) for hit in answer.ids]  # a duplicate's id names its first copy
    log("warm queries: fts5")
    fts5 = Fts5Searcher(index_paths["fts5"])
    answers["fts5"] = run_warm(fts5.search, [fts5_query(query) for query in queries])
    return answers


def median_times(rounds: List[List[Answer]]) -> List[Answer]:
    """The first round's answers, each timed by the median of its times over all rounds."""
    merged = []
    for per_query in zip(*rounds):
        times = [answer.elapsed_us for answer in per_query if answer.elapsed_us is not None]
        first = per_query[0]
        merged.append(dataclasses.replace(first, elapsed_us=statistics.median(times) if times else None))
    return merged


def measure_date_order(newsidx: NewsidxEngine, queries: Sequence[Query], docs: Sequence[Doc]) -> Optional[Dict]:
    """`--sort date` against relevance, both with a --since splitting the dated docs in half (date_order.py)."""
    if not any(query.query_class in date_order_bench.CLASSES for query in queries):
        return None
    split = date_order_bench.pick_since(docs)
    since = (f"--since {split['since']} ({split['kept_docs']:,} of {split['dated_docs']:,} dated docs)"
             if split["since"] else "no --since (no dated docs)")
    log(f"date order: newsidx --batch, sort date vs relevance, {since}")
    return date_order_bench.measure(newsidx, queries, split)


def write_count_disagreements(newsidx: NewsidxEngine, fts5: Fts5Searcher, queries: Sequence[Query],
                              answers: Dict[str, List[Answer]], aliases: Dict[str, str], all_docs: int,
                              path: str) -> None:
    """Queries whose newsidx and FTS5 counts differ; the first EXPLAINED_DISAGREEMENTS also list which docs
    only one of them matched."""
    rows = count_disagreements(queries, answers, "newsidx", "fts5",
                               lambda engine, query: engine != "tantivy" or tantivy_counts_comparable(query))
    for row in rows[:EXPLAINED_DISAGREEMENTS]:
        newsidx_ids = [aliases.get(hit, hit) for hit in newsidx.matching_ids(row.query, all_docs)]
        explain(row, newsidx_ids, fts5.matching_ids(fts5_query(row.query)))
    write_disagreements(rows, newsidx_query, list(answers), path)


def write_answers(queries: Sequence[Query], answers: Dict[str, List[Answer]], path: str) -> None:
    """One JSON line per query with every engine's count, warm latency and top-10 ids, for inspection."""
    with open(path, "w", encoding="utf-8") as handle:
        for index, query in enumerate(queries):
            engines = {engine: {"count": engine_answers[index].count, "us": engine_answers[index].elapsed_us,
                                "ids": engine_answers[index].ids, "error": engine_answers[index].error}
                       for engine, engine_answers in answers.items()}
            handle.write(json.dumps({"query": query.label, "words": list(query.words), **engines}) + "\n")


def process_timings(newsidx: Optional[NewsidxEngine], index_paths: Dict[str, str], corpus: Corpus,
                    aliases: Dict[str, str], queries: Sequence[Query],
                    args: argparse.Namespace) -> Dict[str, Dict[str, List]]:
    """Wall milliseconds of one process per query, for the first --process-queries queries of each class."""
    sample = [query for group in queries_by_class(queries).values() for query in group[:args.process_queries]]
    rg = None if args.skip_rg else RipgrepTarget(corpus, args.out, aliases)
    commands = process_commands(newsidx, index_paths["fts5"], rg, sample)
    log(f"one process per query: {', '.join(commands)}")
    timings: Dict[str, Dict[str, List]] = {}
    if rg:
        # Like the indexes, which the warm phase just read, rg's input starts in the page cache.
        page_cache.read_through(rg.inputs)
    for engine, by_query in commands.items():
        for query, argv in by_query.items():
            record = time_one_process(argv, query, rg if engine in ("rg", "rg files") else None,
                                      files=engine == "rg files")  # rg -z: timed, not counted
            timings.setdefault(engine, {}).setdefault(query.query_class, []).append(record)
    return timings


def process_commands(newsidx: Optional[NewsidxEngine], fts5_db: str, rg: Optional[RipgrepTarget],
                     sample: Sequence[Query]) -> Dict[str, Dict[Query, List[str]]]:
    commands = {}
    if newsidx:
        # The same work as the sqlite3 line below (a count and the top ids): no snippets.
        commands["newsidx"] = {query: newsidx.cli_argv(query, snippets=False) for query in sample}
    commands["sqlite3"] = {query: sqlite3_cli_argv(fts5_db, fts5_query(query)) for query in sample}
    if rg:
        phrases = [query for query in sample if query.query_class == "phrase"]
        commands["rg"] = {query: rg.argv(ripgrep_pattern(query)) for query in phrases}
        if rg.files_folder:
            commands["rg files"] = {query: rg.files_argv(ripgrep_pattern(query)) for query in phrases}
        archive = {query: rg.archive_argv(ripgrep_pattern(query)) for query in phrases}
        if all(archive.values()):
            commands["rg -z"] = archive
    return commands


def time_one_process(argv: Sequence[str], query: Query, rg: Optional[RipgrepTarget], files: bool = False) -> Dict:
    """Exit codes 0 (matched) and 1 (nothing matched) are both successes for newsidx, sqlite3 and rg;
    `files`: rg's output lists files rather than counting lines."""
    timed = time_command(argv)
    record = {"query": query.label, "ms": timed.elapsed_ms, "returncode": timed.returncode}
    if timed.returncode not in (0, 1):
        record["error"] = timed.stderr[-500:]
    elif rg:
        record["count"] = rg.count(timed.stdout, files=files)
    return record
