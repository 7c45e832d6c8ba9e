"""eval-cleaning entry: runs every system over the extraction sets and prints precision, recall
and F1 per set and input kind, then the acceptance checks of the cleaning issue."""
import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from . import metrics, systems

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SETS = {"zyte-aeb": "zyte-aeb.jsonl", "trafilatura-eval": "trafilatura-eval.jsonl"}
# (input kind, system) pairs, in table order; peers are run on exactly the same pages.
RUNS = [("html", "newsidx"), ("html", "trafilatura"), ("html", "justext"),
        ("text", "newsidx"), ("text", "justext")]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--corpora", default=os.path.join(PACKAGE_ROOT, "..", "shared", "corpora"))
    p.add_argument("--bin", default=systems.default_binary(PACKAGE_ROOT), help="newsidx binary (or NEWSIDX_BIN)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--limit", type=int, default=0, help="first N pages of each set (0: all)")
    p.add_argument("--skip-peers", action="store_true", help="development only: newsidx alone, no comparison")
    p.add_argument("--details", help="write per-page scores as JSON lines to this file")
    return p.parse_args()


def load(corpora, name, limit):
    base = os.path.join(corpora, "extraction")
    with open(os.path.join(base, SETS[name]), encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    for r in records:
        r["html_path"] = os.path.join(base, r["html"])
        r["text_path"] = os.path.join(base, r["text"])
    return records[:limit] if limit else records


def run_page(job):
    record, binary, skip_peers = job
    text = systems.read_text(record["text_path"])
    outputs = {("html", "newsidx"): systems.newsidx(binary, record["html_path"]),
               ("text", "newsidx"): systems.newsidx(binary, record["text_path"])}
    if not skip_peers:
        html = systems.read_html(record["html_path"])
        outputs[("html", "trafilatura")] = systems.trafilatura_html(html, record.get("url"))
        outputs[("html", "justext")] = systems.justext_html(html, text)
        outputs[("text", "justext")] = systems.justext_lines(text)
    return record["id"], outputs


def score(name, record, output):
    if name == "zyte-aeb":
        return metrics.shingle_prf(output, record["gold_text"])
    return metrics.segment_counts(output, record.get("with", []), record.get("without", []))


def summarize(name, per_page):
    """per_page: list of score tuples for one system; returns (P, R, F1, pages)."""
    if not per_page:
        return 0.0, 0.0, 0.0, 0
    if name == "zyte-aeb":
        n = len(per_page)
        return tuple(sum(s[i] for s in per_page) / n for i in range(3)) + (n,)
    tp, fn, fp = (sum(s[i] for s in per_page) for i in range(3))
    return metrics.prf_from_counts(tp, fn, fp) + (len(per_page),)


def main():
    args = parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"newsidx binary not found at {args.bin}: build it (Tools/build-release) or set NEWSIDX_BIN")
    results = {}
    details = open(args.details, "w", encoding="utf-8") if args.details else None
    started = time.time()
    for name in SETS:
        records = load(args.corpora, name, args.limit)
        by_id = {r["id"]: r for r in records}
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            pages = list(pool.map(run_page, [(r, args.bin, args.skip_peers) for r in records]))
        for run in RUNS:
            scores = [(pid, score(name, by_id[pid], out[run])) for pid, out in pages if run in out]
            if scores:
                results[(name, run)] = summarize(name, [s for _, s in scores])
            if details:
                for pid, s in scores:
                    details.write(json.dumps({"set": name, "kind": run[0], "system": run[1], "id": pid,
                                              "score": s}) + "\n")
    print_table(results)
    print(f"\n{time.time() - started:.0f} s; newsidx binary: {args.bin}")
    if not args.skip_peers:
        print_acceptance(results)


def print_table(results):
    print(f"{'set':<18}{'input':<7}{'system':<13}{'P':>7}{'R':>7}{'F1':>7}{'pages':>7}")
    for (name, (kind, system)), (p, r, f1, n) in results.items():
        print(f"{name:<18}{kind:<7}{system:<13}{p:>7.3f}{r:>7.3f}{f1:>7.3f}{n:>7}")


def print_acceptance(results):
    f1 = lambda name, kind, system: results[(name, (kind, system))][2]
    checks = []
    for name in SETS:
        checks.append((f"{name} html: newsidx F1 >= trafilatura F1",
                       f1(name, "html", "newsidx") >= f1(name, "html", "trafilatura")))
        floor = 0.90 if name == "zyte-aeb" else 0.85
        checks.append((f"{name} text: newsidx F1 >= {floor:.2f}", f1(name, "text", "newsidx") >= floor))
        checks.append((f"{name} text: newsidx F1 > jusText F1",
                       f1(name, "text", "newsidx") > f1(name, "text", "justext")))
    print("\nacceptance:")
    for label, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")


if __name__ == "__main__":
    main()
