"""Graph-only A/B latency of ONNX files, interleaved: for export work (no tokenizer, no engine).

``python -m benchmarks.compare_graphs --seq 16 40 128 --threads 1 OLD.onnx NEW.onnx`` prints, per
sequence length, each graph's median ms and its paired ratio to the first graph.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnxruntime as ort

from benchmarks.timing import Stats, interleave


def session(path: Path, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def compare(
    paths: list[Path], seq: int, batch: int = 1, threads: int = 1, turns: int = 60
) -> dict[str, Stats]:
    """Median/p95 per graph, paired ratio to ``paths[0]``; labels: last three path parts."""
    rng = np.random.default_rng(seq)
    ids = rng.integers(1000, 20000, (batch, seq))
    arrays = {
        "input_ids": ids,
        "attention_mask": np.ones_like(ids),
        "token_type_ids": np.zeros_like(ids),
    }
    calls = {}
    for path in paths:
        s = session(path, threads)
        feed = {i.name: arrays[i.name] for i in s.get_inputs()}
        calls["/".join(path.parts[-3:])] = lambda _, s=s, feed=feed: s.run(None, feed)
    first = next(iter(calls))
    return interleave(calls, list(range(turns)), first, budget_s=30.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("graphs", type=Path, nargs="+")
    parser.add_argument("--seq", type=int, nargs="+", default=[16, 40, 128])
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    for seq in args.seq:
        stats = compare(args.graphs, seq, args.batch, args.threads)
        cells = [
            f"{name} {s.median_ms:.2f} ms"
            + (f" ({s.ratio_to_ours:.2f}x)" if s.ratio_to_ours else "")
            for name, s in stats.items()
        ]
        print(f"seq {seq} batch {args.batch} threads {args.threads}: " + ", ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
