# Assembles the results dict that report.py prints and cli.py writes as results.json: build and latency
# summaries, the date-order measurement, count agreement and top-10 overlaps, and warnings worth a look.
from typing import Dict, List, Optional, Sequence, Tuple

from .agreement import count_agreement, mean_top_overlap
from .corpus import Corpus, Doc
from .date_order import notes as date_order_notes
from .engine_common import Answer, BuildResult
from .measure import latency_summary
from .queries import OR_CLASSES, Query, queries_by_class
from .query_syntax import tantivy_counts_comparable


def assemble_results(args, corpus: Corpus, docs: Sequence[Doc], duplicates: int, corpus_bytes: int,
                     queries: Sequence[Query],
                     builds: Dict[str, BuildResult], stats: Optional[Dict], answers: Dict[str, List[Answer]],
                     process: Dict[str, Dict[str, List]], files: Dict[str, str],
                     newsidx_any_options: Sequence[str], date_order: Optional[Dict] = None,
                     newsidx_first_pass: Optional[List[Answer]] = None) -> Dict:
    notes: List[str] = []
    if newsidx_any_options:
        notes.append(f"newsidx OR classes ran with: {' '.join(newsidx_any_options)}")
    results = {
        "corpus": {"path": corpus.path, "docs": len(docs), "duplicates_left_out": duplicates, "bytes": corpus_bytes,
                   "kind": "directory" if corpus.is_directory else "jsonl"},
        "settings": {"seed": args.seed, "queries_per_class": args.queries_per_class, "stemmer": args.stemmer,
                     "process_queries": args.process_queries, "classes": args.classes,
                     "newsidx_any_options": newsidx_any_options, "runs": args.runs,
                     "warm_rounds": args.warm_rounds},
        "query_counts": {name: len(group) for name, group in queries_by_class(queries).items()},
        "build": {engine: build_summary(build) for engine, build in builds.items()},
        "newsidx_stats": stats,
        "warm_us": {engine: warm_summary(queries, engine_answers) for engine, engine_answers in answers.items()},
        "newsidx_first_pass_us": warm_summary(queries, newsidx_first_pass) if newsidx_first_pass else None,
        "errors": {engine: error_samples(queries, engine_answers) for engine, engine_answers in answers.items()},
        "date_order": date_order,
        "process_ms": {engine: {name: latency_summary([r["ms"] for r in records if "error" not in r])
                                for name, records in by_class.items()} for engine, by_class in process.items()},
        "process_errors": {engine: [r for records in by_class.values() for r in records if "error" in r][:20]
                           for engine, by_class in process.items()},
        "files": files,
        "notes": notes,
    }
    results["ratios"] = newsidx_ratios(results)
    results.update(quality(queries, answers, args.stemmer, notes))
    notes.extend(sanity_notes(docs, stats, answers, results["errors"]))
    notes.extend(date_order_notes(date_order))
    results["rg_phrase_counts"] = rg_counts(process.get("rg", {}), queries, answers.get("fts5"))
    if results["rg_phrase_counts"]["n"]:
        notes.append(f"rg phrase counts equal FTS5's on {results['rg_phrase_counts']['equal_to_fts5']}/"
                     f"{results['rg_phrase_counts']['n']} sampled phrases (rg matches substrings and raw text).")
    layouts = rg_layout_agreement(process.get("rg", {}), process.get("rg files", {}))
    if layouts:
        notes.append(f"rg over one file per doc found the same docs as over one line per doc on {layouts[0]}/"
                     f"{layouts[1]} sampled phrases.")
    return results


BUILD_METRICS = ("wall_s", "docs_per_s", "mb_per_s", "peak_rss_mb", "index_mb")
WARM_PEERS = ("tantivy", "fts5")
PROCESS_PEERS = ("sqlite3", "rg", "rg files", "rg -z")


def ratio(numerator: Optional[float], denominator: Optional[float]) -> Optional[float]:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def newsidx_ratios(results: Dict) -> Dict:
    """newsidx/peer for every build metric and every latency percentile, keyed "newsidx/<peer>"."""
    builds, warm, process = results["build"], results["warm_us"], results["process_ms"]
    build_ratios = {f"newsidx/{peer}": {metric: ratio(builds["newsidx"][metric], builds[peer][metric])
                                        for metric in BUILD_METRICS}
                    for peer in WARM_PEERS if "newsidx" in builds and peer in builds}
    for name in builds:
        if name.startswith("newsidx x") and name != "newsidx x1" and "newsidx x1" in builds:  # `--replicas`
            build_ratios[f"{name}/x1"] = {metric: ratio(builds[name][metric], builds["newsidx x1"][metric])
                                          for metric in BUILD_METRICS}
    return {
        "build": build_ratios,
        "warm_us": {f"newsidx/{peer}": _latency_ratios(warm["newsidx"], warm[peer], ("p50", "p95", "p99"))
                    for peer in WARM_PEERS if "newsidx" in warm and peer in warm},
        "process_ms": {f"newsidx/{peer}": _latency_ratios(process["newsidx"], process[peer], ("p50", "p95"))
                       for peer in PROCESS_PEERS if "newsidx" in process and peer in process},
    }


def _latency_ratios(ours: Dict, theirs: Dict, keys: Sequence[str]) -> Dict:
    return {name: {key: ratio(ours[name][key], theirs[name][key]) for key in keys}
            for name in ours if name in theirs and ours[name]["n"] and theirs[name]["n"]}


def build_summary(build: BuildResult) -> Dict:
    return {"wall_s": build.wall_s, "docs_per_s": build.docs_per_s, "mb_per_s": build.mb_per_s,
            "peak_rss_mb": build.peak_rss_bytes / 1e6, "index_mb": build.index_bytes / 1e6,
            "docs": build.docs}


def warm_summary(queries: Sequence[Query], answers: Sequence[Answer]) -> Dict:
    by_class: Dict[str, List[float]] = {}
    for query, answer in zip(queries, answers):
        if answer.elapsed_us is not None and answer.error is None:
            by_class.setdefault(query.query_class, []).append(answer.elapsed_us)
    return {name: latency_summary(values) for name, values in by_class.items()}


def error_samples(queries: Sequence[Query], answers: Sequence[Answer]) -> List[Dict]:
    return [{"query": query.label, "error": answer.error}
            for query, answer in zip(queries, answers) if answer.error][:20]


def quality(queries: Sequence[Query], answers: Dict[str, List[Answer]], stemmer: str, notes: List[str]) -> Dict:
    """Count agreement and top-10 overlap per class."""
    counts, overlaps = {}, {}
    if "newsidx" in answers:
        counts["nx=fts5"] = count_agreement(queries, answers["newsidx"], answers["fts5"])
        counts["nx=tantivy"] = count_agreement(queries, answers["newsidx"], answers["tantivy"],
                                               tantivy_counts_comparable)
        overlaps["nx~tantivy"] = mean_top_overlap(queries, answers["newsidx"], answers["tantivy"])
        overlaps["nx~fts5"] = mean_top_overlap(queries, answers["newsidx"], answers["fts5"])
    counts["tantivy=fts5"] = count_agreement(queries, answers["tantivy"], answers["fts5"], tantivy_counts_comparable)
    overlaps["fts5~tantivy"] = mean_top_overlap(queries, answers["fts5"], answers["tantivy"])
    notes.append("nx = newsidx. near5: tantivy runs an ordered sloppy phrase (\"a b\"~5), so its counts are "
                 f"not compared. OR-ranked classes: {', '.join(OR_CLASSES)}.")
    if stemmer == "english":
        notes.append("english stemming: FTS5 uses Porter, tantivy and newsidx Snowball English (Porter2), "
                     "so nx=tantivy is the meaningful count comparison.")
    return {"count_agreement": counts, "top10_overlap": overlaps}


def sanity_notes(docs: Sequence[Doc], stats: Optional[Dict], answers: Dict[str, List[Answer]],
                 errors: Dict[str, List]) -> List[str]:
    notes = []
    for engine, samples in errors.items():
        if samples:
            notes.append(f"WARNING: {engine} failed on {len(samples)}+ queries, e.g. {samples[0]}")
    if "newsidx" in answers:
        known_ids = {doc.id for doc in docs}
        returned = [hit for answer in answers["newsidx"] for hit in answer.ids]
        if returned and not any(hit in known_ids for hit in returned[:1000]):
            notes.append(f"WARNING: newsidx hit ids do not look like corpus ids (e.g. {returned[0]!r} vs "
                         f"{docs[0].id!r}): top-10 overlaps are meaningless")
    newsidx_docs = stats_doc_count(stats)
    if newsidx_docs is not None and newsidx_docs != len(docs):
        notes.append(f"WARNING: newsidx stats report {newsidx_docs} docs, the bench read {len(docs)}")
    return notes


def stats_doc_count(stats: Optional[Dict]) -> Optional[int]:
    for key in ("docs", "documents", "doc_count", "num_docs", "document_count"):
        if isinstance(stats, dict) and isinstance(stats.get(key), int):
            return stats[key]
    return None


def rg_layout_agreement(lines: Dict[str, List], files: Dict[str, List]) -> Optional[Tuple[int, int]]:
    """(equal, compared) phrase counts of rg over the lines file and over the folder of files; None without both."""
    by_query = {r["query"]: r.get("count") for r in files.get("phrase", []) if "count" in r}
    pairs = [(r["count"], by_query[r["query"]]) for r in lines.get("phrase", []) if r.get("query") in by_query
             and "count" in r]
    if not pairs:
        return None
    return sum(1 for a, b in pairs if a == b), len(pairs)


def rg_counts(rg_by_class: Dict[str, List], queries: Sequence[Query], fts5: Optional[List[Answer]]) -> Dict:
    """ripgrep phrase counts next to FTS5's (substring, case-insensitive matching: informational only)."""
    fts5_by_label = {query.label: answer.count for query, answer in zip(queries, fts5 or [])}
    records = rg_by_class.get("phrase", [])
    equal = sum(1 for r in records if "count" in r and r["count"] == fts5_by_label.get(r["query"]))
    return {"n": len(records), "equal_to_fts5": equal,
            "differing": [{"query": r["query"], "rg": r.get("count"), "fts5": fts5_by_label.get(r["query"])}
                          for r in records if r.get("count") != fts5_by_label.get(r["query"])]}
