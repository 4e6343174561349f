"""Interleaved timing: candidates take turns on the same inputs, so drift hits all of them alike.

On a shared or busy machine absolute times wander by 2x within a minute; ratios between
candidates measured in adjacent turns, on the same input, stay put. Each cell reports per
candidate the median and p95 latency and, against the reference, the median of the paired
ratios (turn by turn).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Call = Callable[[object], object]


@dataclass(frozen=True)
class Stats:
    median_ms: float
    p95_ms: float
    runs: int
    ratio_to_ours: float | None  # median of paired (this / ours) ratios

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "median_ms": round(self.median_ms, 3),
            "p95_ms": round(self.p95_ms, 3),
            "runs": self.runs,
            "ratio_to_ours": None if self.ratio_to_ours is None else round(self.ratio_to_ours, 3),
        }


def interleave(
    calls: dict[str, Call],
    inputs: Sequence[object],
    reference: str,
    warmup: int = 2,
    budget_s: float = 20.0,
    seed: int = 0,
) -> dict[str, Stats]:
    """Time every candidate on every input in shuffled turns; stop early after ``budget_s``.

    ``inputs`` must be distinct so that no cache answers; at least 3 turns always run.
    """
    for call in calls.values():
        for item in inputs[:warmup]:
            call(item)
    order = list(calls)
    rng = random.Random(seed)
    times: dict[str, list[float]] = {name: [] for name in calls}
    started = time.perf_counter()
    for turn, item in enumerate(inputs[warmup:]):
        rng.shuffle(order)
        for name in order:
            t0 = time.perf_counter()
            calls[name](item)
            times[name].append(time.perf_counter() - t0)
        if turn >= 2 and time.perf_counter() - started > budget_s:
            break
    ours = np.array(times[reference])
    result = {}
    for name, values in times.items():
        arr = np.array(values)
        ratio = None if name == reference else float(np.median(arr / ours))
        result[name] = Stats(
            float(np.median(arr) * 1e3), float(np.percentile(arr, 95) * 1e3), len(arr), ratio
        )
    return result
