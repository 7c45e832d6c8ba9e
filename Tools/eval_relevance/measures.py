# Relevance measures for Tools/eval-relevance, computed by trec_eval's own code through pytrec_eval
# (pytrec-eval-terrier), averaged over every judged query with unanswered ones counting 0, as `trec_eval -c` does.
from __future__ import annotations

import pytrec_eval

from .corpora import Qrels
from .runs import Run

# Display name -> (trec_eval measure to request, key in pytrec_eval's per-query results).
MEASURES = {
    "nDCG@10": ("ndcg_cut.10", "ndcg_cut_10"),
    "MAP": ("map", "map"),
    "R@100": ("recall.100", "recall_100"),
    "P@10": ("P.10", "P_10"),
    "P@30": ("P.30", "P_30"),
}


def rank_ordered_scores(run: Run) -> dict[str, dict[str, float]]:
    """Scores that strictly decrease with rank, so the engine's own order is what gets judged
    (trec_eval re-sorts by score and would break score ties by docid instead)."""
    return {
        qid: {hit.doc_id: float(len(hits) - index) for index, hit in enumerate(hits)}
        for qid, hits in run.hits_by_qid.items()
        if hits
    }


def evaluate(run: Run, qrels: Qrels, measure_names: list[str]) -> dict[str, float]:
    """Mean of each measure over all judged queries; a judged query missing from the run scores 0."""
    evaluator = pytrec_eval.RelevanceEvaluator(qrels, {MEASURES[name][0] for name in measure_names})
    per_query = evaluator.evaluate(rank_ordered_scores(run))
    return {
        name: sum(per_query.get(qid, {}).get(MEASURES[name][1], 0.0) for qid in qrels) / len(qrels)
        for name in measure_names
    }
