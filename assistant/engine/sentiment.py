"""Sentiment of a text and of each of its sentences.

Overall label: one pass on the whole text when it fits the model's ``max_length``; otherwise the
mean of the sentence probabilities weighted by each sentence's token count, so every part of a long
text (up to ``MAX_SENTENCES`` sentences, with a note beyond) counts in proportion to its length
instead of being cut off after ``max_length`` tokens.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.engine.bundle_config import ClassificationTask
from assistant.engine.classification import Classifier, Scored, probabilities, ranking
from assistant.engine.inputs import unreadable_error
from assistant.engine.results import SentenceSentiment, Sentiment
from assistant.engine.sentences import sentence_spans

MAX_SENTENCES = 256
"""Sentences analysed per input; a longer input is marked ``truncated`` with a note."""


def analyse_sentiment(
    classifier: Classifier,
    task: ClassificationTask,
    texts: Sequence[tuple[str, str]],
    names: Sequence[str],
) -> list[Sentiment]:
    """Sentiment of each ``(original, sanitised)`` text, all sentences scored in one call;
    InputError, naming the text (``names``), for one the model would read as ``[UNK]`` only."""
    plans = []
    for original, clean in texts:
        spans, total = sentence_spans(clean, MAX_SENTENCES)
        plans.append((original, clean, spans, total))
    wanted = [clean[s:e] for _, clean, spans, _ in plans for s, e in spans]
    wanted += [clean.strip() for _, clean, _, total in plans if total <= MAX_SENTENCES]
    scores = dict(zip(wanted, classifier.score(wanted), strict=True))
    for name, (_, clean, spans, _) in zip(names, plans, strict=True):
        if not any(scores[clean[s:e]].has_words for s, e in spans):
            raise unreadable_error(name)
    return [_sentiment(classifier, task, scores, *plan) for plan in plans]


def _sentiment(
    classifier: Classifier,
    task: ClassificationTask,
    scores: dict[str, Scored],
    original: str,
    clean: str,
    spans: list[tuple[int, int]],
    total: int,
) -> Sentiment:
    sentence_scores = [scores[clean[s:e]] for s, e in spans]
    sentence_probs = [probabilities(task, s) for s in sentence_scores]
    sentences = tuple(
        SentenceSentiment(original[s:e], s, e, *_top(task, probs))
        for (s, e), probs in zip(spans, sentence_probs, strict=True)
    )
    whole = scores.get(clean.strip()) if total <= MAX_SENTENCES else None
    if whole is not None and not whole.truncated:
        probs = probabilities(task, whole)
    else:
        weights = np.array([s.tokens for s in sentence_scores], dtype=np.float64)
        probs = np.average(np.stack(sentence_probs), axis=0, weights=weights)
    notes = []
    if total > MAX_SENTENCES:
        notes.append(
            f"Only the first {MAX_SENTENCES:,} of {total:,} sentences were analysed;"
            " the overall sentiment is theirs."
        )
    if any(s.truncated for s in sentence_scores):
        notes.append(
            f"Sentences longer than {classifier.max_length} tokens were read up to that length."
        )
    label, score = _top(task, probs)
    return Sentiment(
        label=label,
        score=score,
        sentences=sentences,
        truncated=bool(notes),
        note=" ".join(notes) or None,
        probabilities=ranking(task.labels, probs),
    )


def _top(task: ClassificationTask, probs: np.ndarray) -> tuple[str, float]:
    best = int(np.argmax(probs))
    return task.labels[best], float(probs[best])
