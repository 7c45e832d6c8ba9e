# newsidx adapter, written against the CLI contract: `index --index DIR --stemmer S PATH`, `search --batch [--any]`
# (lines: queries or JSON request objects; out: JSON Lines of elapsed_us, count, hits), one-shot
# `search --format jsonl --limit 10 [--any] QUERY`, `stats`.
import json
import os
import shutil
import subprocess
from typing import Dict, List, Optional, Sequence

from .corpus import Corpus, Doc
from .engine_common import Answer, BuildResult
from .measure import allocated_bytes, run_measured
from .queries import Query
from .query_syntax import newsidx_query


# Ranked-OR options that make newsidx score like the peers (plain BM25 over every query word), each passed
# only when this binary's `search --help` lists it.
PLAIN_BM25_OR_OPTIONS = (("--stopwords", "none"), ("--proximity", "0"), ("--title-weight", "0"))


class NewsidxEngine:
    def __init__(self, binary: str, index_dir: str, stemmer: str, work_dir: str, plain_bm25_or: bool = True):
        self.binary = binary
        self.index_dir = index_dir
        self.stemmer = stemmer
        self.work_dir = work_dir
        self.any_options = ["--any"] + (self._supported(PLAIN_BM25_OR_OPTIONS) if plain_bm25_or else [])
        self.first_pass: List[Optional[Answer]] = []  # filled by run_warm

    def _supported(self, options) -> List[str]:
        help_text = subprocess.run([self.binary, "search", "--help"], capture_output=True, text=True).stdout
        return [part for name, value in options if name + " " in help_text for part in (name, value)]

    def build(self, corpus: Corpus, docs: int, corpus_bytes: int) -> BuildResult:
        return self._index(corpus.path, self.index_dir, "newsidx", docs, corpus_bytes)

    def build_replicated(self, docs: Sequence[Doc], corpus_bytes: int, copies: int) -> BuildResult:
        """Indexes `copies` copies of the corpus into a scratch index, for peak memory as an index
        grows. Copy k (from 2) gets ids ending in -rk and text ending in the word replicak: newsidx
        records identical text under another id as an alias instead of indexing it again. The
        JSON Lines file and the index are removed afterwards."""
        corpus_path = os.path.join(self.work_dir, f"replicated-x{copies}.jsonl")
        index_dir = os.path.join(self.work_dir, f"newsidx-index-x{copies}")
        try:
            with open(corpus_path, "w", encoding="utf-8") as out:
                for k in range(1, copies + 1):
                    for doc in docs:
                        record = {"id": doc.id if k == 1 else f"{doc.id}-r{k}", "title": doc.title,
                                  "text": doc.text if k == 1 else f"{doc.text} replica{k}"}
                        if doc.date:
                            record["date"] = doc.date
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
            return self._index(corpus_path, index_dir, f"newsidx x{copies}", len(docs) * copies,
                               corpus_bytes * copies)
        finally:
            shutil.rmtree(index_dir, ignore_errors=True)
            if os.path.exists(corpus_path):
                os.remove(corpus_path)

    def _index(self, corpus_path: str, index_dir: str, name: str, docs: int, corpus_bytes: int) -> BuildResult:
        """`newsidx index` of `corpus_path` into a new `index_dir`, timed, as build `name`."""
        shutil.rmtree(index_dir, ignore_errors=True)
        os.makedirs(index_dir)
        argv = [self.binary, "index", "--index", index_dir, "--stemmer", self.stemmer, corpus_path]
        log = os.path.basename(index_dir) + ".log"  # newsidx-index.log, newsidx-index-x5.log
        run = run_measured(argv, stdout_path=os.path.join(self.work_dir, log))
        if run.returncode != 0:
            raise RuntimeError(f"{name} index failed ({run.returncode}): {run.stderr}")
        return BuildResult(name, run.wall_s, run.peak_rss_bytes, allocated_bytes(index_dir), docs, corpus_bytes)

    def stats(self) -> Optional[Dict]:
        """`newsidx stats --format json`, or None when the command is missing or fails."""
        done = subprocess.run([self.binary, "stats", "--index", self.index_dir, "--format", "json"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            return None
        try:
            return json.loads(done.stdout)
        except json.JSONDecodeError:
            return None

    def run_warm(self, queries: Sequence[Query], limit: int = 10) -> List[Answer]:
        """Batch mode, AND-style and OR-ranked classes in separate invocations. Each invocation reads
        its queries twice and the answers come from the second pass, as the peers answer in the process
        that ran the warm-up pass. The first pass (each query's first run in a fresh process, with the
        page cache warm from the builds) is kept in `first_pass`, aligned with `queries`."""
        answers: List[Optional[Answer]] = [None] * len(queries)
        self.first_pass = [None] * len(queries)
        for ranked_or in (False, True):
            positions = [i for i, query in enumerate(queries) if query.ranked_or == ranked_or]
            if not positions:
                continue
            texts = [newsidx_query(queries[i]) for i in positions]
            both = self._run_batch(texts + texts, ranked_or, limit)
            for position, first, second in zip(positions, both[:len(texts)], both[len(texts):]):
                self.first_pass[position] = first
                answers[position] = second
        return answers

    def run_requests(self, requests: Sequence[Dict]) -> List[Answer]:
        """`--batch` request objects ({"q", "limit", "sort", "since", ...}) in one invocation that reads them
        twice: the first pass warms the page cache and the process, answers come from the second."""
        lines = [json.dumps(request, ensure_ascii=False) for request in requests]
        argv = [self.binary, "search", "--index", self.index_dir, "--batch"]
        return self._batch(argv, lines + lines)[len(lines):]

    def _run_batch(self, query_texts: Sequence[str], ranked_or: bool, limit: int) -> List[Answer]:
        argv = [self.binary, "search", "--index", self.index_dir, "--batch", "--limit", str(limit)]
        if ranked_or:
            argv += self.any_options
        return self._batch(argv, query_texts)

    @staticmethod
    def _batch(argv: Sequence[str], query_texts: Sequence[str]) -> List[Answer]:
        done = subprocess.run(argv, input="\n".join(query_texts) + "\n", capture_output=True, text=True)
        if done.returncode == 2 and not done.stdout:
            raise RuntimeError(f"newsidx search --batch failed: {done.stderr[-2000:]}")
        by_line: Dict[int, Answer] = {}
        for line in done.stdout.splitlines():
            if line.strip():
                record = json.loads(line)
                by_line[int(record["query"])] = _answer_from_record(record)
        missing = Answer(None, [], None, error="no answer in --batch output")
        return [by_line.get(number, missing) for number in range(1, len(query_texts) + 1)]

    def matching_ids(self, query: Query, limit: int) -> List[str]:
        """Ids of up to `limit` matching docs (`--format paths`), to explain count disagreements."""
        argv = self.cli_argv(query, limit)
        argv[argv.index("jsonl")] = "paths"
        done = subprocess.run(argv, capture_output=True, text=True)
        return [line for line in done.stdout.splitlines() if line]

    def cli_argv(self, query: Query, limit: int = 10, snippets: bool = True) -> List[str]:
        argv = [self.binary, "search", "--index", self.index_dir, "--format", "jsonl", "--limit", str(limit)]
        if not snippets:
            argv.append("--no-snippets")
        if query.ranked_or:
            argv += self.any_options
        return argv + [newsidx_query(query)]


def _answer_from_record(record: Dict) -> Answer:
    if "error" in record and "count" not in record:
        return Answer(None, [], record.get("elapsed_us"), error=str(record["error"]))
    hits = record.get("hits", [])
    return Answer(record.get("count"), [str(hit["id"]) for hit in hits], record.get("elapsed_us"),
                  dates=[hit.get("date") for hit in hits])
