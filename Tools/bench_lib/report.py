# Turns the results dict (also written as results.json) into aligned text tables: build, newsidx index tables,
# warm latency, date order, one-process-per-query latency, result agreement, ratio ranges over --runs, notes.
from typing import Dict, Iterable, Optional, Sequence


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
    if digits >= 2 and 0 < abs(value) < 0.1:  # ratios like newsidx/rg -z: two significant digits
        return f"{value:.2g}"
    return f"{value:.{digits}f}"


def triple(summary: Optional[Dict], keys=("p50", "p95", "p99"), digits: int = 0) -> str:
    """'p50/p95/p99' of a latency or ratio summary; n/a when it is missing or empty."""
    if not summary or summary.get("n", 1) == 0:
        return "n/a"
    return "/".join(number(summary.get(key), digits) for key in keys)


def render(results: Dict) -> str:
    sections = [_header(results), _build_section(results), _stats_section(results), _warm_section(results),
                _date_order_section(results), _process_section(results), _agreement_section(results),
                _ratio_ranges_section(results), _notes(results)]
    return "\n".join(section for section in sections if section)


def _header(results: Dict) -> str:
    corpus, settings = results["corpus"], results["settings"]
    counts = ", ".join(f"{name} {n}" for name, n in results["query_counts"].items())
    duplicates = corpus.get("duplicates_left_out", 0)
    left_out = f", {duplicates:,} byte-identical duplicates left out" if duplicates else ""
    runs = settings.get("runs", 1)
    medians = f", median of {runs} runs" if runs > 1 else ""
    return (f"newsidx bench: corpus {corpus['path']} ({corpus['docs']:,} docs{left_out}, "
            f"{corpus['bytes'] / 1e6:.1f} MB title+text), stemmer {settings['stemmer']}, seed {settings['seed']}"
            f"{medians}\n"
            f"queries: {counts}\n")


def _build_section(results: Dict) -> str:
    builds = results.get("build") or {}
    if not builds:
        return "Build: not measured (--skip-build reused the indexes in --out)\n"
    columns = ("wall_s", "docs_per_s", "mb_per_s", "peak_rss_mb", "index_mb")
    digits = {"wall_s": 2, "docs_per_s": 0, "mb_per_s": 2, "peak_rss_mb": 1, "index_mb": 1}
    rows = [[engine] + [number(build[c], digits[c]) for c in columns] for engine, build in builds.items()]
    rows += [[label] + [number(ratios[c], 2) for c in columns]
             for label, ratios in results["ratios"]["build"].items()]
    header = ["build", "wall s", "docs/s", "MB/s", "peak RSS MB", "index MB"]
    return format_table("Index build (index MB = allocated on disk; lower is better except docs/s, MB/s)",
                        header, rows)


def _stats_section(results: Dict) -> str:
    """newsidx's own size breakdown: scalar fields on one line, then one row per table when it lists them."""
    stats = results.get("newsidx_stats")
    if not isinstance(stats, dict):
        return ""
    scalars = ", ".join(f"{key} {number(value, 0) if isinstance(value, (int, float)) else value}"
                        for key, value in stats.items() if not isinstance(value, (dict, list)))
    tables = [table for table in stats.get("tables", []) if isinstance(table, dict)]
    if not tables:
        return f"newsidx stats: {scalars}\n"
    rows = [[str(table.get("name", "?")), number(table.get("entries"), 0), number(_mb(table.get("bytes")), 2)]
            for table in tables]
    return format_table(f"newsidx stats: {scalars}", ["table", "entries", "MB"], rows)


def _mb(value: Optional[float]) -> Optional[float]:
    return None if value is None else value / 1e6


def _warm_section(results: Dict) -> str:
    rounds = results["settings"].get("warm_rounds", 1)
    taken = (f"; newsidx and tantivy: each query's median over {rounds} passes taken in turn, each from both "
             "indexes read back into the page cache afresh" if rounds > 1 else "")
    title = ("Warm latency, microseconds (newsidx: --batch elapsed_us; peers: in-process, count + top-10 ids; "
             f"all after a warm-up pass in the same process{taken})")
    table = _latency_section(title, results, "warm_us", ("newsidx", "tantivy", "fts5"), ("p50", "p95", "p99"), 0)
    first = results.get("newsidx_first_pass_us")
    if not first:
        return table
    p50s = " / ".join(f"{name} {number(row['p50'], 0)}" for name, row in first.items())
    return table + f"newsidx warm-up pass (each query's first run in its process), p50: {p50s}\n"


def _date_order_section(results: Dict) -> str:
    """newsidx --sort date against the same queries ranked by relevance, both with the same --since."""
    date_order = results.get("date_order")
    if not date_order or not date_order.get("classes"):
        return ""
    if date_order["since"]:
        share = date_order["kept_docs"] / date_order["dated_docs"]
        since = f"--since {date_order['since']} ({share:.0%} of {date_order['dated_docs']:,} dated docs)"
    else:
        since = "no --since (no dated docs)"
    title = (f"Date order: newsidx --batch elapsed_us, limit {date_order['limit']}, {since}; "
             f"sort date vs relevance (issue target: date/relevance < {date_order['target_ratio']:g})")
    header = ["class", "queries", "matches p50", "relevance p50/p95", "date p50/p95", "date/relevance p50/p95"]
    rows = [[name, str(row["n"]), number(row["matches_p50"], 0), triple(row["relevance_us"], ("p50", "p95")),
             triple(row["date_us"], ("p50", "p95")), triple(row["ratio"], ("p50", "p95"), 2)]
            for name, row in date_order["classes"].items()]
    return format_table(title, header, rows)


def _process_section(results: Dict) -> str:
    title = (f"One process per query, milliseconds wall ({results['settings']['process_queries']} queries/class; "
             "count and top 10: newsidx JSON Lines without snippets, sqlite3 count then ids; rg: phrases only, "
             "over a folder corpus's files, or a JSON Lines corpus's text one doc per line; rg files: that text, "
             "one file per doc; rg -z: over the compressed archive as stored)")
    return _latency_section(title, results, "process_ms", ("newsidx", "sqlite3", "rg", "rg files", "rg -z"),
                            ("p50", "p95"), 1)


def _latency_section(title: str, results: Dict, key: str, engine_order: Sequence[str], percentiles: Sequence[str],
                     digits: int) -> str:
    latencies = results.get(key) or {}
    engines = [engine for engine in engine_order if engine in latencies]
    if not engines:
        return ""
    ratios = results["ratios"][key]
    label = "/".join(percentiles)
    header = ["class"] + [f"{engine} {label}" for engine in engines] + list(ratios)
    rows = []
    for query_class in results["query_counts"]:
        row = [query_class] + [triple(latencies[e].get(query_class), percentiles, digits) for e in engines]
        row += [triple(by_class.get(query_class), percentiles, 2) for by_class in ratios.values()]
        rows.append(row)
    return format_table(title, header, rows)


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


def _ratio_ranges_section(results: Dict) -> str:
    """One line per ratio row: the lowest and highest per-run ratio behind each median shown above, so that
    run-to-run noise is visible next to the ratios (present only with --runs N > 1)."""
    ranges = results.get("ratio_ranges")
    if not ranges:
        return ""
    width = max(len(label) for label in ranges)
    lines = [f"Per-run range (min–max) of the ratios over {results['settings']['runs']} runs (the tables show "
             "their medians; notes and files are the last run's)"]
    for label, row in ranges.items():
        parts = []
        if "build_wall_s" in row:
            parts.append(f"build wall s {_span(row['build_wall_s'])}")
        if row.get("warm_p50"):
            parts.append("warm p50 " + ", ".join(f"{name} {_span(span)}" for name, span in row["warm_p50"].items()))
        lines.append(f"{label.ljust(width)}  {'; '.join(parts)}")
    return "\n".join(lines) + "\n"


def _span(span: Optional[Sequence[float]]) -> str:
    return "n/a" if not span else f"{number(span[0], 2)}–{number(span[1], 2)}"


def _notes(results: Dict) -> str:
    notes = list(results.get("notes", []))
    files = results.get("files", {})
    notes += [f"{label}: {path}" for label, path in files.items()]
    return "\n".join(notes) + "\n" if notes else ""
