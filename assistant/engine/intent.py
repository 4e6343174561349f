"""Intent decision with the out-of-scope rule of docs/MODEL_BUNDLES.md."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.engine.bundle_config import ClassificationTask
from assistant.engine.classification import Classifier, probabilities, ranking
from assistant.engine.inputs import unreadable_error
from assistant.engine.results import Intent

ALTERNATIVES = 5


def analyse_intent(
    classifier: Classifier,
    task: ClassificationTask,
    texts: Sequence[tuple[str, str]],
    names: Sequence[str],
    threshold: float,
) -> list[Intent]:
    """Intent of each ``(original, sanitised)`` text, all scored in one call, after the
    out-of-scope rule at ``threshold``; InputError, naming the text (``names``), for one the
    model would read as ``[UNK]`` only."""
    scores = classifier.score([clean.strip() for _, clean in texts])
    for name, scored in zip(names, scores, strict=True):
        if not scored.has_words:
            raise unreadable_error(name)
    return [decide_intent(task, probabilities(task, s), threshold, s.truncated) for s in scores]


def decide_intent(
    task: ClassificationTask, probs: np.ndarray, threshold: float, truncated: bool = False
) -> Intent:
    """Apply the rule: ``oos`` when argmax is ``oos`` or the best in-scope intent is below
    ``threshold``, with score ``1 - p[top]``; else the best in-scope intent with its probability.
    """
    full = ranking(task.labels, probs)
    oos_label = task.oos_label
    in_scope = [pair for pair in full if pair[0] != oos_label]
    top_label, top_prob = in_scope[0]
    domain: str | None
    description: str | None
    if oos_label is not None and (full[0][0] == oos_label or top_prob < threshold):
        label, score, alternatives = oos_label, 1.0 - top_prob, in_scope[:ALTERNATIVES]
        domain = description = None
    else:
        label, score, alternatives = top_label, top_prob, in_scope[1 : ALTERNATIVES + 1]
        domain, description = task.domains.get(label), task.descriptions.get(label)
    return Intent(
        label=label,
        score=score,
        domain=domain,
        alternatives=tuple(alternatives),
        oos_label=task.oos_label or "oos",
        probabilities=full,
        truncated=truncated,
        description=description,
    )
