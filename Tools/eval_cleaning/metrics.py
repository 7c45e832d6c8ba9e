"""metrics: the two gold-data scores, word 4-shingle F1 (zyte-aeb) and segment matching
(trafilatura-eval), kept free of any extractor so each system is scored the same way."""
from collections import Counter


def shingles(text, n=4):
    words = text.lower().split()
    if len(words) < n:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def shingle_prf(output, gold):
    """Precision, recall and F1 of one page's output against its gold text (multisets)."""
    pred, true = shingles(output), shingles(gold)
    if not pred and not true:
        return 1.0, 1.0, 1.0
    overlap = sum((pred & true).values())
    precision = overlap / sum(pred.values()) if pred else 0.0
    recall = overlap / sum(true.values()) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def normalize_space(text):
    return " ".join(text.split())


def segment_counts(output, with_segments, without_segments):
    """(true positives, false negatives, false positives, true negatives) for one page."""
    text = normalize_space(output)
    found = lambda segment: normalize_space(segment) in text
    tp = sum(1 for s in with_segments if found(s))
    fp = sum(1 for s in without_segments if found(s))
    return tp, len(with_segments) - tp, fp, len(without_segments) - fp


def prf_from_counts(tp, fn, fp):
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
