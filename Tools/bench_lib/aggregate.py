# Merges the results dicts of `--runs N` into one of the same shape: every number the median over the runs,
# element by element (ratios included, so a ratio cell is the median of the per-run ratios), the rest the last run's.
import statistics
from typing import Dict, List, Optional, Sequence

# Kept whole from the last run: newsidx's description of the index it last built. Its sizes are the same in
# every run, and a median of its "updated" timestamps would describe no index at all.
LAST_RUN_SECTIONS = ("newsidx_stats",)


def merge_runs(runs: Sequence[Dict]) -> Dict:
    """One results dict for report.render, plus "ratio_ranges": how far each ratio moved between the runs."""
    last = runs[-1]
    merged = {key: value if key in LAST_RUN_SECTIONS else _merge([run.get(key) for run in runs])
              for key, value in last.items()}
    merged["ratio_ranges"] = ratio_ranges(runs)
    return merged


def _merge(values: List) -> object:
    """The median of the numbers found at one place in every run's results; dicts merge key by key (the
    last run's keys, in its order); lists and text (ids, samples, notes, file names) are the last run's."""
    last = values[-1]
    if isinstance(last, dict):
        return {key: _merge([value.get(key) if isinstance(value, dict) else None for value in values])
                for key in last}
    numbers = [value for value in values if _is_number(value)]
    if numbers and (last is None or _is_number(last)):  # None: that run had nothing to measure there
        return _median(numbers)
    return last


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _median(numbers: List[float]) -> float:
    """Counts that agree in every run stay integers, so "98/100" is not printed as "98.0/100.0"."""
    middle = statistics.median(numbers)
    if all(isinstance(number, int) for number in numbers) and middle == int(middle):
        return int(middle)
    return middle


def ratio_ranges(runs: Sequence[Dict]) -> Dict[str, Dict]:
    """Per ratio row ("newsidx/tantivy", "newsidx x5/x1", ...): [min, max] over the runs of its build wall-time
    ratio and of its warm p50 ratio per class; a range is None where no run had the ratio."""
    build: Dict[str, List] = {}
    warm: Dict[str, Dict[str, List]] = {}
    for run in runs:
        ratios = run.get("ratios") or {}
        for label, metrics in (ratios.get("build") or {}).items():
            build.setdefault(label, []).append(metrics.get("wall_s"))
        for label, by_class in (ratios.get("warm_us") or {}).items():
            for query_class, percentiles in by_class.items():
                warm.setdefault(label, {}).setdefault(query_class, []).append(percentiles.get("p50"))
    ranges: Dict[str, Dict] = {}
    for label, values in build.items():
        ranges.setdefault(label, {})["build_wall_s"] = _span(values)
    for label, by_class in warm.items():
        ranges.setdefault(label, {})["warm_p50"] = {name: _span(values) for name, values in by_class.items()}
    return ranges


def _span(values: List[Optional[float]]) -> Optional[List[float]]:
    numbers = [value for value in values if value is not None]
    return [min(numbers), max(numbers)] if numbers else None
