# Turns the results dict (also written as results.json) into aligned text tables: build, newsidx index tables,
# warm latency, one-process-per-query latency, result agreement, and newsidx/peer ratio rows.
from typing import Dict, Iterable, List, Optional, Sequence

PEERS = ("tantivy", "fts5")


def format_table(title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    rows = [list(row) for row in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]

    def line(cells):
        first = str(cells[0]).ljust(widths[0])
        rest = [str(cell).rjust(width) for cell, width in zip(cells[1:], widths[1:])]
        return "  ".join([first] + rest).rstrip()

    rule = "-" * len(line(header))
    return "\n".join([title, line(header), rule] + [line(row) for row in rows]) + "\n"


def number(value: Optional[float], digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if digits == 0 or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def ratio(numerator: Optional[float], denominator: Optional[float]) -> Optional[float]:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def triple(summary: Optional[Dict], keys=("p50", "p95", "p99"), scale: float = 1.0, digits: int = 0) -> str:
    if not summary or summary.get("n", 0) == 0:
        return "n/a"
    return "/".join(number(None if summary[k] is None else summary[k] * scale, digits) for k in keys)


def ratio_triple(first: Optional[Dict], second: Optional[Dict], keys=("p50", "p95", "p99")) -> str:
    if not first or not second or not first.get("n") or not second.get("n"):
        return "n/a"
    return "/".join(number(ratio(first[k], second[k]), 2) for k in keys)


def render(results: Dict) -> str:
    sections = [_header(results), _build_section(results), _stats_section(results), _warm_section(results),
                _process_section(results), _agreement_section(results), _notes(results)]
    return "\n".join(section for section in sections if section)


def _header(results: Dict) -> str:
    corpus, settings = results["corpus"], results["settings"]
    counts = ", ".join(f"{name} {n}" for name, n in results["query_counts"].items())
    return (f"newsidx bench: corpus {corpus['path']} ({corpus['docs']:,} docs, {corpus['bytes'] / 1e6:.1f} MB "
            f"title+text), stemmer {settings['stemmer']}, seed {settings['seed']}\n"
            f"queries: {counts}\n")


def _build_section(results: Dict) -> str:
    builds = results.get("build") or {}
    if not builds:
        return "Build: not measured (--skip-build reused the indexes in --out)\n"
    columns = ("wall_s", "docs_per_s", "mb_per_s", "peak_rss_mb", "index_mb")
    digits = {"wall_s": 2, "docs_per_s": 0, "mb_per_s": 2, "peak_rss_mb": 1, "index_mb": 1}
    rows = [[engine] + [number(build[c], digits[c]) for c in columns] for engine, build in builds.items()]
    for peer in PEERS:
        if "newsidx" in builds and peer in builds:
            rows.append([f"newsidx/{peer}"] + [number(ratio(builds["newsidx"][c], builds[peer][c]), 2)
                                               for c in columns])
    header = ["build", "wall s", "docs/s", "MB/s", "peak RSS MB", "index MB"]
    return format_table("Index build (index MB = allocated on disk; lower is better except docs/s, MB/s)",
                        header, rows)


def _stats_section(results: Dict) -> str:
    stats = results.get("newsidx_stats")
    if not stats:
        return ""
    rows = [[key, number(value, 0) if isinstance(value, (int, float)) else str(value)]
            for key, value in _flatten(stats)]
    return format_table("newsidx stats --format json", ["field", "value"], rows)


def _flatten(value, prefix: str = "") -> List:
    if isinstance(value, dict):
        items = []
        for key, inner in value.items():
            items.extend(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return items
    if isinstance(value, list):
        items = []
        for index, inner in enumerate(value):
            label = inner.get("name", index) if isinstance(inner, dict) else index
            items.extend(_flatten({k: v for k, v in inner.items() if k != "name"} if isinstance(inner, dict)
                                  else inner, f"{prefix}[{label}]"))
        return items
    return [(prefix, value)]


def _warm_section(results: Dict) -> str:
    warm = results.get("warm_us") or {}
    engines = [engine for engine in ("newsidx", "tantivy", "fts5") if engine in warm]
    if not engines:
        return ""
    classes = list(results["query_counts"])
    header = ["class"] + [f"{engine} p50/p95/p99" for engine in engines]
    peers = [peer for peer in PEERS if peer in warm and "newsidx" in warm]
    header += [f"newsidx/{peer}" for peer in peers]
    rows = []
    for query_class in classes:
        row = [query_class] + [triple(warm[engine].get(query_class)) for engine in engines]
        row += [ratio_triple(warm["newsidx"].get(query_class), warm[peer].get(query_class)) for peer in peers]
        rows.append(row)
    return format_table("Warm latency, microseconds (newsidx: --batch elapsed_us; peers: in-process, "
                        "count + top-10 ids, after a warm-up pass)", header, rows)


def _process_section(results: Dict) -> str:
    process = results.get("process_ms") or {}
    if not process:
        return ""
    engines = [engine for engine in ("newsidx", "sqlite3", "rg") if engine in process]
    classes = list(results["query_counts"])
    header = ["class"] + [f"{engine} p50/p95" for engine in engines]
    peers = [peer for peer in ("sqlite3", "rg") if peer in process and "newsidx" in process]
    header += [f"newsidx/{peer}" for peer in peers]
    rows = []
    for query_class in classes:
        row = [query_class] + [triple(process[e].get(query_class), ("p50", "p95"), digits=1) for e in engines]
        row += [ratio_triple(process["newsidx"].get(query_class), process[peer].get(query_class), ("p50", "p95"))
                for peer in peers]
        rows.append(row)
    sample = results["settings"]["process_queries"]
    return format_table(f"One process per query, milliseconds wall ({sample} queries/class; rg: phrases only)",
                        header, rows)


def _agreement_section(results: Dict) -> str:
    counts = results.get("count_agreement") or {}
    overlaps = results.get("top10_overlap") or {}
    if not counts and not overlaps:
        return ""
    classes = list(results["query_counts"])
    count_keys, overlap_keys = list(counts), list(overlaps)
    header = ["class"] + [f"count {key}" for key in count_keys] + [f"top10 {key}" for key in overlap_keys]
    rows = []
    for query_class in classes:
        row = [query_class]
        for key in count_keys:
            tally = counts[key].get(query_class)
            row.append("n/a" if not tally or not tally["n"] else f"{tally['equal']}/{tally['n']}")
        row += [number(overlaps[key].get(query_class), 2) for key in overlap_keys]
        rows.append(row)
    return format_table("Result agreement (count: queries with equal hit counts; top10: mean overlap of top-10 "
                        "id sets)", header, rows)


def _notes(results: Dict) -> str:
    notes = list(results.get("notes", []))
    files = results.get("files", {})
    notes += [f"{label}: {path}" for label, path in files.items()]
    return "\n".join(notes) + "\n" if notes else ""
