"""The out-of-scope rule of docs/MODEL_BUNDLES.md and the choice of its temperature and threshold
on val data."""

from __future__ import annotations

import numpy as np

from assistant.engine.classification import softmax


def predictions(
    outputs: np.ndarray, oos_index: int, score: np.ndarray, threshold: float
) -> np.ndarray:
    """oos where the argmax is oos or `score` (higher: more in scope) is below `threshold`, else
    the top in-scope class. `outputs` are a classifier's logits or probabilities."""
    inscope = outputs.astype(np.float64)
    inscope[:, oos_index] = -np.inf
    is_oos = (outputs.argmax(1) == oos_index) | (score < threshold)
    return np.where(is_oos, oos_index, inscope.argmax(1))


def oos_predictions(probs: np.ndarray, oos_index: int, threshold: float) -> np.ndarray:
    """The rule of docs/MODEL_BUNDLES.md: oos if argmax is oos or top in-scope p < threshold."""
    return predictions(probs, oos_index, np.delete(probs, oos_index, 1).max(1), threshold)


def accuracy_and_recall(
    predicted: np.ndarray, labels: np.ndarray, oos_index: int
) -> tuple[float, float]:
    """In-scope accuracy and OOS recall of some predictions."""
    inscope = labels != oos_index
    return (
        float((predicted[inscope] == labels[inscope]).mean()),
        float((predicted[~inscope] == oos_index).mean()),
    )


def choose_threshold(
    probs: np.ndarray, labels: np.ndarray, oos_index: int, max_inscope_drop: float
) -> dict[str, float]:
    """Best OOS recall whose in-scope accuracy stays within max_inscope_drop of the argmax rule."""

    def scores(t: float) -> tuple[float, float]:
        return accuracy_and_recall(oos_predictions(probs, oos_index, t), labels, oos_index)

    base_acc, _ = scores(0.0)
    best = {"threshold": 0.0, "val_inscope_accuracy": base_acc, "val_oos_recall": scores(0.0)[1]}
    for t in np.arange(0.02, 1.0, 0.01):
        acc, recall = scores(float(t))
        if acc >= base_acc - max_inscope_drop and recall > best["val_oos_recall"]:
            best = {
                "threshold": round(float(t), 2),
                "val_inscope_accuracy": acc,
                "val_oos_recall": recall,
            }
    return best


def choose_rule(
    logits: np.ndarray,
    labels: np.ndarray,
    oos_index: int,
    max_inscope_drop: float,
    temperatures: list[float],
) -> dict[str, float]:
    """The temperature (and its threshold) with the best OOS recall within the in-scope budget;
    ties go to the first temperature listed. Softer probabilities rank out-of-scope text by how
    large the in-scope logits are, which separates it better than a saturated softmax."""
    best: dict[str, float] | None = None
    for temperature in temperatures:
        rule = choose_threshold(softmax(logits / temperature), labels, oos_index, max_inscope_drop)
        if best is None or rule["val_oos_recall"] > best["val_oos_recall"]:
            best = rule | {"temperature": temperature}
    assert best is not None, "no temperatures to choose from"
    return best
