# The "Date order" measurement (issue: `--sort date` with `--since` answers in under 2x the time of the same
# query ranked by relevance): a --since at the median day of the corpus's dated records, the common and and2
# queries run both ways (limit 10) through one warm newsidx --batch invocation, p50/p95 and date/relevance per class.
import bisect
import re
from typing import Dict, List, Optional, Sequence

from .corpus import Doc
from .engine_common import Answer
from .measure import latency_summary, percentile
from .queries import Query
from .query_syntax import newsidx_query

CLASSES = ("common", "and2")
LIMIT = 10
TARGET_RATIO = 2.0  # the bound on date/relevance
SAMPLES = 20  # problem samples kept in results.json
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(value: Optional[str]) -> Optional[str]:
    """The yyyy-mm-dd a record's date starts with: the only dates newsidx takes from JSONL records."""
    return value[:10] if value and _ISO_DAY.match(value) else None


def pick_since(docs: Sequence[Doc]) -> Dict:
    """The --since day keeping closest to half of the dated docs: the median day, or the next dated day when
    that splits closer. A year would be too coarse (news-combined's median year, 1987, keeps 98%).
    since is None when no record has a yyyy-mm-dd date (directory corpora never do)."""
    days = sorted(day for day in (iso_day(doc.date) for doc in docs) if day)
    if not days:
        return {"since": None, "dated_docs": 0, "kept_docs": 0}

    def kept(day: str) -> int:
        return len(days) - bisect.bisect_left(days, day)

    median = days[len(days) // 2]
    candidates = [median] + days[bisect.bisect_right(days, median):][:1]
    since = min(candidates, key=lambda day: abs(kept(day) - len(days) / 2))
    return {"since": since, "dated_docs": len(days), "kept_docs": kept(since)}


def measure(engine, queries: Sequence[Query], split: Dict) -> Optional[Dict]:
    """Runs each common/and2 query ranked by relevance and sorted by date (newest first), both with the same
    --since, interleaved in one `--batch` invocation after a warm-up pass; None without such queries."""
    chosen = [query for query in queries if query.query_class in CLASSES]
    if not chosen:
        return None
    requests = []
    for query in chosen:
        request = {"q": newsidx_query(query), "limit": LIMIT}
        if split["since"]:
            request["since"] = split["since"]
        requests += [dict(request, sort="relevance"), dict(request, sort="date")]
    answers = engine.run_requests(requests)
    return summarize(chosen, answers[0::2], answers[1::2], split)


def summarize(queries: Sequence[Query], relevance: Sequence[Answer], by_date: Sequence[Answer],
              split: Dict) -> Dict:
    """Latency per class over the queries both orders answered, plus the consistency checks: equal counts,
    hits within --since, date-sorted hits newest first with undated ones last."""
    since = split["since"]
    classes: Dict[str, Dict] = {}
    errors: List[Dict] = []
    count_mismatches: List[Dict] = []
    order_problems: List[Dict] = []
    for name in CLASSES:
        pairs = [(query, rel, dated) for query, rel, dated in zip(queries, relevance, by_date)
                 if query.query_class == name]
        if not pairs:
            continue
        good = []
        for query, rel, dated in pairs:
            failed = [(order, answer.error or "no elapsed_us")
                      for order, answer in (("relevance", rel), ("date", dated))
                      if answer.error or answer.elapsed_us is None]
            errors += [{"query": query.label, "sort": order, "error": error} for order, error in failed]
            if failed:
                continue
            good.append((rel, dated))
            if rel.count != dated.count:
                count_mismatches.append({"query": query.label, "relevance": rel.count, "date": dated.count})
            for order, answer in (("relevance", rel), ("date", dated)):
                problem = _hit_date_problem(answer.dates, since, newest_first=order == "date")
                if problem:
                    order_problems.append({"query": query.label, "sort": order, "problem": problem})
        rel_summary = latency_summary([rel.elapsed_us for rel, _ in good])
        date_summary = latency_summary([dated.elapsed_us for _, dated in good])
        classes[name] = {
            "n": len(good), "queries": len(pairs),
            "matches_p50": percentile([rel.count for rel, _ in good if rel.count is not None], 0.5),
            "relevance_us": rel_summary, "date_us": date_summary,
            "ratio": {key: _ratio(date_summary[key], rel_summary[key]) for key in ("p50", "p95")},
        }
    return {"since": since, "dated_docs": split["dated_docs"], "kept_docs": split["kept_docs"], "limit": LIMIT,
            "target_ratio": TARGET_RATIO, "classes": classes, "errors": errors[:SAMPLES],
            "count_mismatches": count_mismatches[:SAMPLES], "order_problems": order_problems[:SAMPLES],
            "problem_counts": {"errors": len(errors), "count_mismatches": len(count_mismatches),
                               "order_problems": len(order_problems)}}


def _ratio(numerator: Optional[float], denominator: Optional[float]) -> Optional[float]:
    return None if numerator is None or not denominator else numerator / denominator


def _hit_date_problem(dates: Sequence[Optional[str]], since: Optional[str], newest_first: bool) -> Optional[str]:
    previous, undated_seen = None, False
    for date in dates:
        day = iso_day(date)
        if day is None:
            if since:
                return "undated hit despite --since"
            undated_seen = True
            continue
        if since and day < since:
            return f"hit dated {day}, before --since {since}"
        if newest_first and undated_seen:
            return f"hit dated {day} after an undated one"
        if newest_first and previous and day > previous:
            return f"hit dated {day} after one dated {previous}: not newest first"
        previous = day
    return None


def notes(date_order: Optional[Dict]) -> List[str]:
    if not date_order:
        return []
    found = []
    if not date_order["since"]:
        found.append("date order: no doc has a yyyy-mm-dd \"date\" field (.txt corpora have none), so both orders "
                     "ran without --since; the date sort uses the dates newsidx's cleaner found, undated docs last.")
    for name, row in date_order["classes"].items():
        over = [f"{key} {value:.2f}x" for key, value in row["ratio"].items()
                if value is not None and value >= date_order["target_ratio"]]
        if over:
            found.append(f"date order: {name} sorted by date takes {', '.join(over)} the relevance time "
                         f"(issue target: under {date_order['target_ratio']:g}x).")
    counts = date_order["problem_counts"]
    labels = {"errors": "failed requests", "count_mismatches": "queries whose count differs between the orders",
              "order_problems": "answers with hits out of date order or outside --since"}
    for key, label in labels.items():
        if counts[key]:
            found.append(f"WARNING: date order: {counts[key]} {label}, e.g. {date_order[key][0]}")
    return found
