"""SQuAD v1.1's official EM/F1 (the normalisation of evaluate-v1.1.py: lower case, no
punctuation, no articles, single spaces), max over the ground-truth answers."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence

_PUNCTUATION = set(string.punctuation)


def normalize_answer(text: str) -> str:
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def f1_score(prediction: str, truth: str) -> float:
    pred, gold = normalize_answer(prediction).split(), normalize_answer(truth).split()
    common = sum((Counter(pred) & Counter(gold)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction: str, truth: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(truth))


def score(predictions: Sequence[str], truths: Sequence[Sequence[str]]) -> dict[str, float]:
    """Percent EM and F1 over questions, each against its best-matching ground truth."""
    em = sum(max(exact_match(p, t) for t in ts) for p, ts in zip(predictions, truths, strict=True))
    f1 = sum(max(f1_score(p, t) for t in ts) for p, ts in zip(predictions, truths, strict=True))
    n = max(1, len(predictions))
    return {"exact_match": 100.0 * em / n, "f1": 100.0 * f1 / n}
