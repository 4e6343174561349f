"""Accuracy of model bundles through the app's own engine, on the reported splits only.

SST-2 dev (accuracy), CLINC150 test + oos_test (in-scope accuracy and OOS recall at the bundle's
own threshold, which was fixed on val), SQuAD v1.1 dev (official EM/F1). Nothing here is used to
choose anything: thresholds and checkpoints were chosen on train/val splits.

    python -m benchmarks accuracy                       # the shipped int8 bundles
    python -m benchmarks accuracy --models-dir DIR --label fp32-student
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.engine import Engine, ModelError
from benchmarks.squad_metric import score

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SQUEEZE_DATA", REPO.parent / "shared" / "data"))
RESULTS = Path(__file__).resolve().parent / "results"


def _batched(items: Sequence, size: int, run: Callable[[list], list]) -> list:
    out = []
    for i in range(0, len(items), size):
        out.extend(run(list(items[i : i + size])))
    return out


def sst2_dev(engine: Engine, limit: int | None) -> dict[str, float]:
    with open(DATA / "sst2" / "dev.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[:limit]
    predicted = _batched([r["sentence"] for r in rows], 64, engine.sentiment)
    gold = ["positive" if r["label"] == "1" else "negative" for r in rows]
    correct = sum(p.label == g for p, g in zip(predicted, gold, strict=True))
    return {"sst2_dev_accuracy": 100.0 * correct / len(rows), "sst2_dev_n": len(rows)}


def clinc_test(engine: Engine, limit: int | None) -> dict[str, float]:
    raw = json.loads((DATA / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    inscope, oos = raw["test"][:limit], raw["oos_test"][:limit]
    predicted = _batched([t for t, _ in inscope + oos], 64, engine.intent)
    labels = [p.label for p in predicted]
    in_correct = sum(p == y for p, (_, y) in zip(labels, inscope, strict=False))
    oos_found = sum(p == "oos" for p in labels[len(inscope) :])
    return {
        "clinc_test_inscope_accuracy": 100.0 * in_correct / len(inscope),
        "clinc_oos_test_recall": 100.0 * oos_found / len(oos),
        "clinc_oos_threshold": engine.oos_threshold,
        "clinc_test_n": len(inscope),
        "clinc_oos_test_n": len(oos),
    }


def squad_dev(engine: Engine, limit: int | None) -> dict[str, float]:
    with gzip.open(DATA / "squad_v1.1" / "dev-v1.1.json.gz", "rt", encoding="utf-8") as f:
        articles = json.load(f)["data"]
    questions = [
        (qa["question"], p["context"], [a["text"] for a in qa["answers"]])
        for a in articles
        for p in a["paragraphs"]
        for qa in p["qas"]
    ][:limit]
    predictions = [engine.answer(q, c)[0].answer for q, c, _ in questions]
    result = score(predictions, [t for _, _, t in questions])
    return {
        "squad_dev_exact_match": result["exact_match"],
        "squad_dev_f1": result["f1"],
        "squad_dev_n": len(questions),
    }


SUITES: dict[str, Callable[[Engine, int | None], dict[str, float]]] = {
    "sentiment": sst2_dev,
    "intent": clinc_test,
    "qa": squad_dev,
}


def evaluate(engine: Engine, tasks: Sequence[str], limit: int | None) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for task in tasks:
        suite = SUITES[task]
        began = time.perf_counter()
        try:
            results[task] = suite(engine, limit) | {
                "seconds": round(time.perf_counter() - began, 1)
            }
        except ModelError as error:
            results[task] = {"skipped": str(error)}
    return results


def table(label: str, results: dict[str, dict]) -> str:
    lines = [f"| {label} | metric | value |", "|---|---|---|"]
    for task, metrics in results.items():
        for name, value in metrics.items():
            shown = f"{value:.2f}" if isinstance(value, float) else str(value)
            lines.append(f"| {task} | {name} | {shown} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks accuracy", description=__doc__)
    parser.add_argument("--models-dir", type=Path, help="bundles to score (default: shipped)")
    parser.add_argument("--label", default="int8", help="name of this run in the results file")
    parser.add_argument(
        "--tasks",
        default="sentiment,intent,qa",
        help="comma-separated; the other tasks' results already in the file are kept",
    )
    parser.add_argument("--limit", type=int, help="first N examples per split (quick runs)")
    args = parser.parse_args(argv)
    engine = Engine(models_dir=args.models_dir)
    results = evaluate(engine, args.tasks.split(","), args.limit)
    print(table(args.label, results))
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.limit is None else f"-limit{args.limit}"
    out = RESULTS / f"accuracy-{args.label}{suffix}.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    kept = {task: previous[task] for task in SUITES if task in previous}
    # A kept task's numbers stay with the version of the bundle that earned them.
    bundles = previous.get("bundles", {}) | {b.name: b.version for b in engine.bundles()}
    out.write_text(
        json.dumps({"label": args.label, "bundles": bundles} | kept | results, indent=2) + "\n"
    )
    print(f"wrote {out}")
    return 0
