"""Compare out-of-scope scores on a classifier bundle: is there a better one than the shipped rule?

Each score gets its threshold on CLINC150 val + oos_val the way export chooses the shipped rule
(the best OOS recall within `max_inscope_drop` of argmax in-scope accuracy; text whose argmax is
`oos` stays out of scope), and is then read on test + oos_test. Scores from the logits (max
probability at a temperature, max logit, energy) and from the pooled sentence embedding, which
the graph computes anyway (Mahalanobis distance to the nearest intent's train mean, mean cosine
to the 5 nearest train texts).

    python -m training.oos_scores [--models-dir resources/models]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper

from assistant.engine.classification import softmax
from training import data
from training.common import load_config
from training.export import CLASSIFY_BUNDLE, engine_outputs
from training.oos import accuracy_and_recall, predictions

POOLED = "pooled"  # the name prefix onnx_graph gives the mean-pooled embedding
Scores = dict[str, np.ndarray]


def pooled_graph(model_path: Path, out_path: Path) -> str:
    """A copy of the classifier graph that also outputs its pooled embedding; returns its name."""
    model = onnx.load(str(model_path))
    name = next(o for n in model.graph.node for o in n.output if o.startswith(POOLED))
    model.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    onnx.save(model, str(out_path))
    return name


def logit_scores(logits: np.ndarray, oos: int) -> Scores:
    """Higher means more in scope."""
    probs = {t: softmax(logits / t) for t in (1.0, 1.5, 2.0)}
    masked = logits.astype(np.float64)
    masked[:, oos] = -np.inf
    top = masked.max(1)
    return {f"max probability, T {t}": np.delete(p, oos, 1).max(1) for t, p in probs.items()} | {
        "max logit": top,
        "energy (logsumexp)": top + np.log(np.exp(masked - top[:, None]).sum(1)),
    }


def embedding_scores(train: np.ndarray, labels: np.ndarray, rows: np.ndarray) -> Scores:
    """Distances of `rows` to the in-scope train embeddings (`train`, intent ids `labels`)."""
    classes = np.unique(labels)
    means = np.stack([train[labels == c].mean(0) for c in classes])
    residual = train - means[np.searchsorted(classes, labels)]
    covariance = residual.T @ residual / len(train) + 1e-6 * np.eye(train.shape[1])
    whiten = np.linalg.cholesky(np.linalg.inv(covariance))
    x, mu = rows @ whiten, means @ whiten
    squared = (x**2).sum(1)[:, None] - 2 * x @ mu.T + (mu**2).sum(1)[None, :]
    unit = train / np.linalg.norm(train, axis=1, keepdims=True)
    cosines = (rows / np.linalg.norm(rows, axis=1, keepdims=True)) @ unit.T
    return {
        "Mahalanobis to nearest intent mean": -squared.min(1),
        "cosine to 5 nearest train texts": np.sort(cosines, 1)[:, -5:].mean(1),
    }


def measured(
    logits: np.ndarray, labels: np.ndarray, oos: int, score: np.ndarray, threshold: float
) -> tuple[float, float]:
    """In-scope accuracy and OOS recall of the rule with `score` in place of max probability."""
    return accuracy_and_recall(predictions(logits, oos, score, threshold), labels, oos)


def best_threshold(
    measure: Callable[[float], tuple[float, float]], score: np.ndarray, max_drop: float
) -> float:
    """The threshold with the best val OOS recall that keeps in-scope accuracy within budget."""
    budget = measure(-np.inf)[0] - max_drop
    best, best_recall = -np.inf, measure(-np.inf)[1]
    for threshold in np.quantile(score, np.linspace(0.0, 0.6, 601)):
        accuracy, recall = measure(float(threshold))
        if accuracy >= budget and recall > best_recall:
            best, best_recall = float(threshold), recall
    return best


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m training.oos_scores", description=__doc__)
    parser.add_argument("--models-dir", type=Path, default=Path("resources/models"))
    bundle = parser.parse_args().models_dir / CLASSIFY_BUNDLE
    names = json.loads((bundle / "config.json").read_text())["tasks"]["intent"]["labels"]
    index = {name: i for i, name in enumerate(names)}
    oos = index["oos"]
    clinc = data.clinc()
    graph = bundle.parent / f".{CLASSIFY_BUNDLE}-pooled.onnx"
    pooled = pooled_graph(bundle / "model.onnx", graph)
    try:
        split: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for name in ("train", "val", "test"):
            rows = clinc[name] + clinc[f"oos_{name}"]
            texts = [t for t, _ in rows]
            outputs = engine_outputs(graph, texts, ("intent_logits", pooled))
            labels = np.array([index[label] for _, label in rows])
            split[name] = (outputs["intent_logits"], outputs[pooled], labels)
    finally:
        graph.unlink()
    _, train_embedded, train_labels = split["train"]
    inside = train_labels != oos
    scores = {
        name: logit_scores(logits, oos)
        | embedding_scores(train_embedded[inside], train_labels[inside], embedded)
        for name, (logits, embedded, _) in split.items()
        if name != "train"
    }
    max_drop = load_config("export")["max_inscope_drop"]
    print("| score | val in-scope | val OOS recall | test in-scope | test OOS recall |")
    print("|---|---|---|---|---|")
    for score in scores["val"]:
        val, test = (
            partial(measured, split[name][0], split[name][2], oos, scores[name][score])
            for name in ("val", "test")
        )
        threshold = best_threshold(val, scores["val"][score], max_drop)
        numbers = [*val(threshold), *test(threshold)]
        print(f"| {score} | " + " | ".join(f"{100 * n:.2f}" for n in numbers) + " |")


if __name__ == "__main__":
    main()
