"""QA over texts of several windows, on the SQuAD train articles held out from training.

SQuAD's paragraphs fit one 256-token window, so the dev set never tests how the engine chooses
among windows. Here each held-out question is asked of K consecutive paragraphs of its article
joined by blank lines (K 4: ~500 words), and scored with SQuAD's official EM/F1; with how often
the "unsure" note (``answers.UNSURE_BELOW``) marks the best answer, and the F1 of marked and
unmarked ones. Train articles, never dev: the numbers may be used for choices.

    python -m benchmarks qa-long                  # K 1, 4 and 12 (about 40 minutes on 2 cores)
    python -m benchmarks qa-long --paragraphs 4 --limit 500
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from assistant.answers import UNSURE_BELOW
from assistant.engine import Engine
from benchmarks.squad_metric import score
from training.data import squad_train_split

RESULTS = Path(__file__).resolve().parent / "results" / "qa-long.json"
Question = tuple[str, str, list[str]]  # question, context, right answers


def grouped_questions(paragraphs_per_text: int) -> list[Question]:
    """Every held-out question, asked of its paragraph and the ones after it in its group."""
    _, held_out = squad_train_split()
    questions = []
    for article in held_out:
        paragraphs = article["paragraphs"]
        for first in range(0, len(paragraphs), paragraphs_per_text):
            group = paragraphs[first : first + paragraphs_per_text]
            text = "\n\n".join(p["context"] for p in group)
            questions += [
                (qa["question"], text, [a["text"] for a in qa["answers"]])
                for p in group
                for qa in p["qas"]
            ]
    return questions


def run_group(engine: Engine, questions: list[Question]) -> dict[str, float]:
    started = time.perf_counter()
    best = [engine.answer(question, text)[0] for question, text, _ in questions]
    seconds = time.perf_counter() - started
    right = [answers for _, _, answers in questions]
    result = score([a.answer for a in best], right)
    f1s = [score([a.answer], [answers])["f1"] for a, answers in zip(best, right, strict=True)]
    marked = [f1 for a, f1 in zip(best, f1s, strict=True) if a.score < UNSURE_BELOW]
    unmarked = [f1 for a, f1 in zip(best, f1s, strict=True) if a.score >= UNSURE_BELOW]
    return {
        "questions": len(questions),
        "exact_match": round(result["exact_match"], 2),
        "f1": round(result["f1"], 2),
        "unsure_share": round(100.0 * len(marked) / len(best), 1),
        "unsure_f1": round(sum(marked) / max(len(marked), 1), 1),
        "sure_f1": round(sum(unmarked) / max(len(unmarked), 1), 1),
        "seconds": round(seconds),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks qa-long", description=__doc__)
    parser.add_argument("--paragraphs", type=int, nargs="+", default=[1, 4, 12])
    parser.add_argument("--models-dir", help="bundles to score (default: shipped)")
    parser.add_argument("--limit", type=int, help="first N questions per K (quick runs)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    engine = Engine(models_dir=args.models_dir, threads=args.threads)
    results = {}
    for k in args.paragraphs:
        results[f"K{k}"] = run_group(engine, grouped_questions(k)[: args.limit])
        print(f"K {k}: {json.dumps(results[f'K{k}'])}", flush=True)
    if args.limit is None:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"written to {RESULTS}")
    return 0
