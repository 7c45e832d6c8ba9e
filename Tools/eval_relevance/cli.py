# Command line of Tools/eval-relevance (issue 7): parses options, then for each judged collection indexes it with
# newsidx, runs every query through `newsidx search --batch` per flag set, evaluates, and prints the tables.
from __future__ import annotations

import argparse
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from . import peers
from .flags import flag_value, merge_flags, without_option
from .corpora import (KNOWN_COLLECTIONS, REPO_ROOT, Collection, CollectionError, Qrels, Query, load_document_ids,
                      load_qrels, load_queries, resolve_collection, unresolved_qrels_doc_ids, zero_padded_qrels)
from .measures import evaluate
from .newsidx_cli import CliError, ensure_index, ensure_work_dir, locate_binary, log, search_batch
from .report import EvaluatedRun, print_collection_report, print_run_legend
from .runs import Run, count_tied_neighbours, write_trec_run

EXAMPLES = """\
Flags this script does not know are passed through to every `newsidx search`; a --compare row adds its own
(replacing a pass-through option of the same name).
Each search runs as: newsidx search --index DIR --batch --any --words --limit 1000 [pass-through] [row flags]

examples:
  Tools/eval-relevance
  Tools/eval-relevance --collection scifact --k1 0.9 --b 0.4 --stopwords english
  Tools/eval-relevance --collection cacm --peer bm25s --k1 0.9 --b 0.4
  Tools/eval-relevance --compare "default:" "no stop words: --stopwords none" "proximity off: --no-proximity"
  Tools/eval-relevance --compare "k1 1.2: --k1 1.2 --b 0.75" "porter: --k1 0.9 ; index: --stemmer porter"
  Tools/eval-relevance --collection path/to/collection --bin .build/debug/newsidx -- --title-weight 2

A collection is scifact, cacm (under ../shared/corpora/relevance) or a directory with corpus.jsonl
({"id","title","text"} per line), queries.tsv (id<TAB>text) and qrels.tsv (TREC: qid 0 docid grade).
Measures are trec_eval's (via pytrec_eval) over all judged queries, unanswered ones counting 0 (trec_eval -c),
judging the order newsidx returned; a query the CLI rejects (an "error" object in its batch output) is listed
and counts as answering nothing. Indexes and TREC run files are kept under Tools/.eval/.
Exit status: 0 done, 1 bad arguments or collection, 2 the newsidx CLI failed or is missing.
"""


@dataclass(frozen=True)
class FlagSet:
    """One row of the comparison: a label, its search flags and its extra index flags."""
    label: str
    search_flags: list[str]
    index_flags: list[str]


def parse_arguments(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="Tools/eval-relevance", allow_abbrev=False, epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Relevance evaluation of newsidx (nDCG@10, MAP, R@100, P@10, P@30) on judged collections, "
                    "next to the published BM25 and peer-engine figures.")
    parser.add_argument("--collection", action="extend", nargs="+", metavar="NAME|PATH",
                        help=f"collections to evaluate (default: {' '.join(KNOWN_COLLECTIONS)})")
    parser.add_argument("--bin", metavar="PATH",
                        help="newsidx binary (default: $NEWSIDX_BIN, else .build/release/newsidx)")
    parser.add_argument("--stemmer", default="english", help="passed to `newsidx index --stemmer` (default: english)")
    parser.add_argument("--index-flags", default="", metavar="'FLAGS'",
                        help="extra flags for `newsidx index`, one shell-quoted string")
    parser.add_argument("--compare", nargs="+", metavar="SPEC",
                        help="several flag sets, one table row each: 'LABEL: SEARCH FLAGS[; index: INDEX FLAGS]' "
                             "(pass-through flags apply to every row unless it sets the same option)")
    parser.add_argument("--peer", choices=["bm25s"],
                        help="also run bm25s live on the same queries (k1/b taken from the pass-through flags)")
    parser.add_argument("--limit", type=int, default=1000, help="hits per query (default: 1000)")
    parser.add_argument("--skip-newsidx", action="store_true",
                        help="run no newsidx at all (with --peer: checks loading and evaluation without the CLI)")
    parser.add_argument("--reindex", action="store_true", help="rebuild cached indexes")
    parser.add_argument("--no-build", action="store_true",
                        help="fail instead of running Tools/build-release when the binary is missing")
    own_arguments, forced_passthrough = split_at_double_dash(argv)
    options, passthrough = parser.parse_known_args(own_arguments)
    return options, passthrough + forced_passthrough


def split_at_double_dash(argv: list[str]) -> tuple[list[str], list[str]]:
    """Everything after a bare `--` goes to `newsidx search` untouched."""
    if "--" in argv:
        index = argv.index("--")
        return argv[:index], argv[index + 1:]
    return argv, []


def parse_flag_set(spec: str, common_flags: list[str]) -> FlagSet:
    label, colon, rest = spec.partition(":")
    if not colon or not label.strip():
        raise ValueError(f"--compare {spec!r}: expected 'LABEL: FLAGS'")
    search_part, *index_part = re.split(r";\s*index:", rest, maxsplit=1)
    return FlagSet(label=label.strip(), search_flags=merge_flags(common_flags, shlex.split(search_part)),
                   index_flags=shlex.split(index_part[0] if index_part else ""))


def flag_sets_from(options: argparse.Namespace, passthrough: list[str]) -> list[FlagSet]:
    if not options.compare:
        return [FlagSet(label="newsidx", search_flags=passthrough, index_flags=[])]
    flag_sets = [parse_flag_set(spec, passthrough) for spec in options.compare]
    labels = [flag_set.label for flag_set in flag_sets]
    if len(set(labels)) != len(labels):
        raise ValueError("--compare labels must differ")
    return flag_sets


def index_flags_for(flag_set: FlagSet, options: argparse.Namespace) -> list[str]:
    """--stemmer (a row's own wins over the global one), then --index-flags, then the row's other index flags."""
    stemmer = flag_value(flag_set.index_flags, "--stemmer", options.stemmer)
    return ["--stemmer", stemmer, *shlex.split(options.index_flags), *without_option(flag_set.index_flags, "--stemmer")]


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-").lower() or "run"


@dataclass
class JudgedCollection:
    collection: Collection
    queries: list[Query]
    qrels: Qrels
    alternate_qrels: tuple[str, Qrels] | None  # CACM-style corrected ids, when they exist or can be derived
    notes: list[str]


def load_judged_collection(spec: str) -> JudgedCollection:
    collection = resolve_collection(spec)
    queries, unsafe = load_queries(collection)
    qrels = load_qrels(collection.qrels_path)
    doc_ids = load_document_ids(collection)
    judged_with_query = [query for query in queries if query.qid in qrels]
    notes = [f"{len(doc_ids):,} docs; {len(queries)} queries, {len(judged_with_query)} judged "
             f"({sum(len(judged) for judged in qrels.values())} judgments); measures averaged over {len(qrels)} "
             f"judged queries"]
    if len(judged_with_query) != len(qrels):
        notes.append(f"{len(qrels) - len(judged_with_query)} judged queries have no query text (they score 0)")
    notes.append(f"queries with tabs, CR/LF, other control characters or U+2028/2029: {unsafe or 'none'}"
                 + (" (replaced by spaces)" if unsafe else "") + "; runs of spaces are collapsed")
    if any(not query.text for query in queries):
        notes.append("some queries are empty after sanitizing")
    unresolved = unresolved_qrels_doc_ids(qrels, doc_ids)
    if unresolved:
        unresolved_judgments = sum(doc_id in unresolved for judged in qrels.values() for doc_id in judged)
        notes.append(f"{unresolved_judgments} judgments ({len(unresolved)} distinct doc ids, e.g. "
                     f"{sorted(unresolved)[0]}) name no corpus document; qrels.tsv is used as is, "
                     f"as for the published figures")
    return JudgedCollection(collection, queries, qrels, alternate_qrels_for(collection, qrels, doc_ids), notes)


def alternate_qrels_for(collection: Collection, qrels: Qrels, doc_ids: set[str]) -> tuple[str, Qrels] | None:
    if collection.zero_padded_qrels_path.is_file():
        return "qrels_zero_padded.tsv", load_qrels(collection.zero_padded_qrels_path)
    if not unresolved_qrels_doc_ids(qrels, doc_ids):
        return None
    corrected, remapped = zero_padded_qrels(qrels, doc_ids)
    if not remapped:
        return None
    return (f"qrels.tsv with {remapped} unpadded ids zero-padded in memory (qrels_zero_padded.tsv is absent; "
            f"{len(unresolved_qrels_doc_ids(corrected, doc_ids))} ids still unresolved)"), corrected


@dataclass(frozen=True)
class ProducedRun:
    label: str
    description: str
    run: Run
    run_file: Path


def evaluated(produced: ProducedRun, judged: JudgedCollection, qrels: Qrels, measure_names: list[str]) -> EvaluatedRun:
    run = produced.run
    return EvaluatedRun(label=produced.label, description=produced.description,
                        metrics=evaluate(run, qrels, measure_names),
                        empty_queries=run.empty_query_count([query.qid for query in judged.queries]),
                        query_errors=run.errors_by_qid,
                        latencies_us=run.latencies_us, wall_seconds=run.wall_seconds, run_file=produced.run_file)


def newsidx_run(judged: JudgedCollection, flag_set: FlagSet, options: argparse.Namespace,
                binary: Path) -> ProducedRun:
    collection = judged.collection
    index_flags = index_flags_for(flag_set, options)
    index_dir = ensure_index(binary, collection, index_flags, options.reindex)
    log(f"{collection.name}: searching {len(judged.queries)} queries ({flag_set.label})")
    run = search_batch(binary, index_dir, judged.queries, flag_set.search_flags, options.limit)
    run_file = ensure_work_dir() / "runs" / f"{collection.name}-{slug(flag_set.label)}.trec"
    write_trec_run(run, judged.queries, run_file, tag="newsidx")
    ties = count_tied_neighbours(run)
    description = (f"index {' '.join(index_flags)}; search {' '.join(flag_set.search_flags) or '(no extra flags)'}"
                   + (f"; {ties} tied adjacent scores in top 10" if ties else ""))
    return ProducedRun(flag_set.label, description, run, run_file)


def bm25s_run(judged: JudgedCollection, options: argparse.Namespace, passthrough: list[str]) -> ProducedRun:
    """The live peer, with k1 and b from the pass-through flags (Anserini's 0.9 / 0.4 when absent)."""
    collection = judged.collection
    k1 = float(flag_value(passthrough, "--k1", "0.9"))
    b = float(flag_value(passthrough, "--b", "0.4"))
    log(f"{collection.name}: running bm25s (k1 {k1:g}, b {b:g})")
    run = peers.run_bm25s(collection, judged.queries, options.stemmer, k1, b, options.limit)
    run_file = ensure_work_dir() / "runs" / f"{collection.name}-bm25s.trec"
    write_trec_run(run, judged.queries, run_file, tag="bm25s")
    return ProducedRun("bm25s live", peers.bm25s_label(k1, b, options.stemmer), run, run_file)


def report_collection(judged: JudgedCollection, produced: list[ProducedRun], measure_names: list[str]) -> None:
    name = judged.collection.name
    runs = [evaluated(one, judged, judged.qrels, measure_names) for one in produced]
    print_collection_report(f"{name}: qrels.tsv", judged.notes, measure_names, peers.HEADLINE_MEASURE.get(name), runs,
                            peers.REFERENCE_FIGURES.get(name, []))
    print_run_legend(runs, REPO_ROOT)
    if judged.alternate_qrels:
        qrels_label, alternate = judged.alternate_qrels
        alternate_runs = [evaluated(one, judged, alternate, measure_names) for one in produced]
        print_collection_report(f"{name}: corrected qrels", [qrels_label], measure_names, None, alternate_runs,
                                peers.ZERO_PADDED_REFERENCE_FIGURES.get(name, []))


def main(argv: list[str] | None = None) -> int:
    options, passthrough = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        flag_sets = flag_sets_from(options, passthrough)
        judged_collections = [load_judged_collection(spec) for spec in options.collection or KNOWN_COLLECTIONS]
    except (ValueError, CollectionError) as error:
        log(str(error))
        return 1
    try:
        binary = None if options.skip_newsidx else locate_binary(options.bin, build_if_missing=not options.no_build)
        if binary:
            log(f"binary {binary}")
        for judged in judged_collections:
            measure_names = peers.MEASURES_SHOWN.get(judged.collection.name, peers.DEFAULT_MEASURES)
            produced = [newsidx_run(judged, flag_set, options, binary) for flag_set in flag_sets] if binary else []
            if options.peer == "bm25s":
                produced.append(bm25s_run(judged, options, passthrough))
            report_collection(judged, produced, measure_names)
            sys.stdout.flush()
    except CliError as error:
        log(f"newsidx failed: {error}")
        return 2
    return 0
