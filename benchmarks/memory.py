"""Memory, measured in a fresh child process so nothing else the benchmark loaded counts.

``python -m benchmarks.memory peak MODELS_DIR``: peak RSS after every bundle is loaded and has
served each task (a paragraph, a 400-word QA, a batch of 64).
``python -m benchmarks.memory soak MODELS_DIR N``: RSS after the first 100 and after N mixed
analyses (all three tasks, random lengths up to 2,000 words). Each prints one JSON line.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import time
from pathlib import Path

from assistant.engine import Engine
from benchmarks import workload

SOAK_FIRST = 100
SOAK_MAX_WORDS = 2000


def rss_mb() -> float:
    """Current resident set size (Linux /proc; falls back to the peak elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return peak_mb()


def peak_mb() -> float:
    """Peak RSS of this process image. Linux's ru_maxrss survives exec (it would report the
    parent's size at fork), so VmHWM is read first."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**10
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _words(models: Path) -> workload.Words:
    return workload.Words.from_tokenizer(next(models.glob("*/tokenizer.json")))


def run_task(engine: Engine, task: str, args: tuple[str, ...]) -> None:
    if task == "qa":
        engine.answer(*args)
    else:
        getattr(engine, task)(args[0])


def peak(models: Path) -> dict[str, float]:
    engine = Engine(models_dir=models)
    words, rng = _words(models), random.Random(0)
    engine.warm_up()
    engine.sentiment(workload.sentence(words, rng, 128))
    engine.intent(workload.sentence(words, rng, 128))
    engine.answer(*workload.qa_pair(words, rng, 400))
    engine.sentiment([workload.sentence(words, rng, 40) for _ in range(64)])
    return {"rss_mb": rss_mb(), "peak_rss_mb": peak_mb()}


def soak(models: Path, count: int) -> dict[str, object]:
    engine = Engine(models_dir=models)
    words, rng = _words(models), random.Random(1)
    out: dict[str, object] = {"analyses": count}
    trajectory: list[tuple[int, float]] = []  # (analyses done, RSS MB) at every tenth
    started = time.perf_counter()
    for n in range(1, count + 1):
        run_task(engine, *workload.mixed(words, rng, SOAK_MAX_WORDS))
        if n == min(SOAK_FIRST, count):
            out["rss_after_first_mb"] = rss_mb()
        if n % max(1, count // 10) == 0:
            trajectory.append((n, round(rss_mb(), 1)))
            print(f"soak {n}/{count}: {trajectory[-1][1]} MB", file=sys.stderr, flush=True)
    out["rss_trajectory_mb"] = trajectory
    out["rss_after_all_mb"] = rss_mb()
    out["peak_rss_mb"] = peak_mb()
    out["seconds"] = time.perf_counter() - started
    return out


def main(argv: list[str]) -> None:
    result: dict[str, object]
    kind, models = argv[0], Path(argv[1])
    result = dict(peak(models)) if kind == "peak" else soak(models, int(argv[2]))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
