"""``python -m benchmarks speed``: our latency, throughput, start-up and memory next to the peers.

All latency cells are measured in one process, candidates interleaved turn by turn on the same
fresh inputs (see benchmarks.timing), so ratios hold on a busy machine. Results go to
benchmarks/results/speed.json (sections re-run with ``--only`` replace just their keys) and the
table and plot to docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import onnxruntime as ort

from benchmarks import floor, process, report, workload
from benchmarks.candidates import TorchPeer, all_calls
from benchmarks.models import CLASSIFY, QA, Prepared, prepare
from benchmarks.timing import interleave

RESULTS = Path(__file__).resolve().parent / "results" / "speed.json"
SECTIONS = ("latency", "startup", "memory", "soak", "floor")
THREADS = (1, 2)
BATCH_TEXTS = 256


def _machine() -> dict[str, object]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "onnxruntime": ort.__version__,
        "load_average_at_start": load,
        "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _cells(words: workload.Words, quick: bool) -> list[tuple[str, str, int, Callable, int, float]]:
    """(task, label, size, input maker, inputs, budget s) for every latency cell."""
    scale = 0.25 if quick else 1.0
    cells = [
        (
            "sentiment+intent",
            label,
            tokens,
            lambda r, n=tokens: workload.sentence(words, r, n),
            max(6, int(80 * scale)),
            25 * scale,
        )
        for label, tokens in workload.SENTENCE_TOKENS.items()
    ]
    for n_words in workload.QA_WORDS:
        reps = max(4, int((40 if n_words < 2000 else 12) * scale))
        cells.append(
            (
                "qa",
                f"{n_words} words",
                n_words,
                lambda r, n=n_words: workload.qa_pair(words, r, n),
                reps,
                40 * scale,
            )
        )
    cells.append(
        (
            "batch",
            f"{BATCH_TEXTS} tweets",
            BATCH_TEXTS,
            lambda r: [workload.sentence(words, r, 40) for _ in range(BATCH_TEXTS)],
            4,
            40 * scale,
        )
    )
    return cells


def latency(prepared: Prepared, quick: bool, with_torch: bool) -> list[dict[str, object]]:
    words = workload.Words.from_tokenizer(prepared.ours / CLASSIFY / "tokenizer.json")
    peer = TorchPeer(prepared) if with_torch else None
    rows = []
    for threads in THREADS:
        calls = all_calls(prepared, peer, threads)
        for task, label, size, make, count, budget in _cells(words, quick):
            rng = random.Random(hash((task, size, threads)) & 0xFFFF)
            inputs = [make(rng) for _ in range(count)]
            stats = interleave(calls[task], inputs, "ours", budget_s=budget)
            row = {
                "task": task,
                "input": label,
                "size": size,
                "threads": threads,
                "results": {name: s.as_dict() for name, s in stats.items()},
            }
            if task == "batch":
                for name, s in stats.items():
                    row["results"][name]["texts_per_s"] = round(size / (s.median_ms / 1e3), 1)
            rows.append(row)
            print(report.latency_line(row), flush=True)
    return rows


def _floor(prepared: Prepared) -> dict[str, object]:
    """Operator profiles (1 thread) and compute floors: the sentence lengths, a QA window."""
    window = json.loads((prepared.ours / QA / "config.json").read_text())["max_length"]
    graphs = [
        (prepared.ours / CLASSIFY / "model.onnx", n, "classify")
        for n in workload.SENTENCE_TOKENS.values()
    ]
    graphs.append((prepared.ours / QA / "model.onnx", window, "qa window"))
    rates = {str(t): floor.rates(t) for t in THREADS}
    rows = []
    for path, seq, label in graphs:
        profile = floor.op_profile(path, seq)
        rows.append(
            {
                "graph": label,
                "seq": seq,
                "profile": profile,
                "flops": floor.forward_flops(seq),
                "floor_ms": {t: round(floor.floor_ms(seq, r), 3) for t, r in rates.items()},
            }
        )
    return {"rates": rates, "rows": rows}


def run_sections(args: argparse.Namespace, prepared: Prepared) -> dict[str, object]:
    result: dict[str, object] = {}
    only = set(args.only or SECTIONS)
    if "latency" in only:
        result["latency"] = latency(prepared, args.quick, not args.no_torch)
    if "startup" in only:
        result["startup"] = {
            "cli": process.cli_cold_start(prepared.ours, runs=3 if args.quick else 7),
            "gui": process.gui_cold_start(prepared.ours, runs=2 if args.quick else 5),
        }
    if "memory" in only:
        result["memory"] = {
            "all_bundles": process.child_json("peak", str(prepared.ours)),
            "bundle_mb": process.bundle_sizes(prepared.ours),
            "peer_bundle_mb": process.bundle_sizes(prepared.minilm),
            "fp32_bundle_mb": process.bundle_sizes(prepared.fp32),
        }
    if "soak" in only:
        result["soak"] = process.child_json("soak", str(prepared.ours), str(args.soak))
        print(f"soak: {result['soak']}", flush=True)
    if "floor" in only:
        result["floor"] = _floor(prepared)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks speed", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run just these sections")
    parser.add_argument("--quick", action="store_true", help="CI size: fewer turns, short soak")
    parser.add_argument(
        "--soak",
        type=int,
        default=None,
        metavar="N",
        help="analyses in the soak (default 10000, or 300 with --quick)",
    )
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch peer")
    parser.add_argument("--results", type=Path, default=RESULTS, help="JSON file to update")
    parser.add_argument("--docs", type=Path, default=report.DOC, help="Markdown file to update")
    parser.add_argument("--work", type=Path, help="keep the built bundles here")
    parser.add_argument("--render", action="store_true", help="only redraw the doc from --results")
    args = parser.parse_args(argv)
    if args.render:
        report.update_doc(args.docs, json.loads(args.results.read_text()))
        return 0
    if args.soak is None:
        args.soak = 300 if args.quick else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        prepared = prepare(work)
        print(f"models: {prepared.provenance}", flush=True)
        fresh = run_sections(args, prepared)
    previous = json.loads(args.results.read_text()) if args.results.exists() else {}
    merged = (
        previous
        | fresh
        | {
            "machine": _machine(),
            "provenance": prepared.provenance,
            "quick": args.quick,
            "argv": sys.argv[1:],
        }
    )
    merged.setdefault("sections_run_at", {}).update(
        {k: merged["machine"]["time_utc"] for k in fresh}
    )
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(merged, indent=1) + "\n")
    report.update_doc(args.docs, merged)
    print(report.summary(merged))
    return 0
