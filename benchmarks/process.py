"""Whole-process measurements: CLI and GUI cold start, peak RSS, the soak. Each in a fresh child.

Cold start is wall time from spawning the process to the result (CLI: the process has printed
its answer and exited; GUI: first paint of the window, and models loaded). One unmeasured run
first warms the OS file cache, as a user's second launch would be; then the median of ``runs``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CLI_TEXT = "The battery died after an hour and support never answered."


def _assistant_command() -> list[str]:
    """The installed console script when present (what a user runs), else ``-m assistant``."""
    script = Path(sys.executable).with_name("assistant")
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant"]


def _isolated_env(home: Path, models: Path) -> dict[str, str]:
    """A throwaway HOME/XDG tree so settings, history and logs never touch the user's."""
    env = dict(os.environ)
    env |= {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "SQUEEZE_ASSISTANT_LOG_DIR": str(home / "logs"),
        "SQUEEZE_ASSISTANT_MODELS": str(models),
        "QT_QPA_PLATFORM": env.get("QT_QPA_PLATFORM", "offscreen"),
    }
    return env


def _summary(values: list[float]) -> dict[str, float | int]:
    return {
        "median_s": round(float(np.median(values)), 3),
        "min_s": round(min(values), 3),
        "max_s": round(max(values), 3),
        "runs": len(values),
    }


def cli_cold_start(models: Path, runs: int = 5) -> dict[str, object]:
    """``assistant sentiment TEXT`` from spawn to exit with the result printed."""
    command = [*_assistant_command(), "sentiment", "--models-dir", str(models), CLI_TEXT]
    times = []
    with tempfile.TemporaryDirectory() as home:
        env = _isolated_env(Path(home), models)
        for run in range(runs + 1):
            t0 = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"CLI failed: {done.stderr.strip()}")
            if run:
                times.append(time.perf_counter() - t0)
    return {"command": "assistant sentiment --models-dir DIR TEXT", **_summary(times)}


def gui_cold_start(models: Path, runs: int = 3) -> dict[str, object]:
    """Spawn to first paint of the main window, to models loaded, and to the first result of a
    sentence pasted as soon as they are."""
    command = [sys.executable, "-m", "benchmarks.gui_probe"]
    shown, ready, result = [], [], []
    with tempfile.TemporaryDirectory() as home:
        env = _isolated_env(Path(home), models)
        for run in range(runs + 1):
            t0 = time.perf_counter()
            child = subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, text=True, stderr=subprocess.DEVNULL
            )
            moments = {}
            assert child.stdout is not None
            for line in child.stdout:
                moments[line.strip()] = time.perf_counter() - t0
            child.wait()
            if "shown" not in moments:
                return {"skipped": "the window never painted (no Qt platform?)"}
            if run:
                shown.append(moments["shown"])
                if "ready" in moments:
                    ready.append(moments["ready"])
                if "result" in moments:
                    result.append(moments["result"])
    return {
        "window_shown": _summary(shown),
        "models_ready": _summary(ready) if ready else None,
        "first_result": _summary(result) if result else None,
        "platform": env["QT_QPA_PLATFORM"],
    }


def child_json(*args: str) -> dict[str, object]:
    """Run ``python -m benchmarks.memory ARGS`` and parse its JSON line."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", *args],
        stdout=subprocess.PIPE,  # progress lines on stderr pass through
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def bundle_sizes(models: Path) -> dict[str, float]:
    """MB on disk per bundle folder."""
    return {
        d.name: round(sum(f.stat().st_size for f in d.iterdir()) / 2**20, 2)
        for d in sorted(models.iterdir())
        if d.is_dir()
    }
