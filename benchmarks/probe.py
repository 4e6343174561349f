"""The classifier on hand-written texts from outside its training domains, by kind of text.

SST-2 is movie reviews and CLINC150 a fixed set of assistant requests; what a user pastes is
product and hotel reviews, support emails, tweets, requests phrased their own way. The texts in
``benchmarks/probes/`` were written and labelled by a person before the models saw them (session
23); they are few (122 and 105), so they show kinds of failure, not accuracy to a point. Not used
for any training choice.

    python -m benchmarks probe             # accuracy by kind of text
    python -m benchmarks probe --misses    # and every text the model got wrong
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from assistant.engine import Engine

PROBES = Path(__file__).resolve().parent / "probes"


def _read(name: str) -> list[dict[str, str]]:
    lines = (PROBES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _table(title: str, hits: dict[str, list[bool]]) -> None:
    print(f"\n{title}")
    for group, results in sorted(hits.items()):
        print(f"  {group:<28} {sum(results):>3} / {len(results):<3}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks probe", description=__doc__)
    parser.add_argument("--models-dir", help="bundles to score (default: shipped)")
    parser.add_argument("--misses", action="store_true", help="list every wrong answer")
    args = parser.parse_args(argv)
    engine = Engine(models_dir=args.models_dir)

    texts = _read("sentiment.jsonl")
    results = engine.sentiment([t["text"] for t in texts])
    hits: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for text, result in zip(texts, results, strict=True):
        right = result.label == text["label"]
        for group in ("all", f"kind: {text['kind']}", f"domain: {text['domain']}"):
            hits[group].append(right)
        if not right:
            misses.append(f"  {result.label} {result.score:.2f}  {text['text']}")
    _table("Sentiment (right / texts)", hits)

    requests = _read("intent.jsonl")
    intents = engine.intent([r["text"] for r in requests])
    hits = defaultdict(list)
    for request, intent in zip(requests, intents, strict=True):
        right = intent.label == request["label"]
        hits["out of scope" if request["label"] == "oos" else "in scope"].append(right)
        if not right:
            misses.append(f"  {intent.label} {intent.score:.2f}  {request['text']}")
    _table(f"Intent at the bundle's threshold {engine.oos_threshold} (right / requests)", hits)
    if args.misses:
        print("\nWrong answers (label, score, text):", *misses, sep="\n")
    return 0
