"""Paths, seeds, logging and atomic checkpoints shared by every training stage."""

from __future__ import annotations

import json
import logging
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SQUEEZE_DATA", REPO_ROOT.parent / "shared" / "data"))
RUNS_DIR = Path(
    os.environ.get("SQUEEZE_RUNS", Path.home() / ".cache" / "squeeze-assistant-training")
)
CONFIG_DIR = Path(__file__).resolve().parent / "configs"
MODELS_DIR = REPO_ROOT / "resources" / "models"


def load_config(name: str) -> dict[str, Any]:
    """Read a stage's JSON config from training/configs."""
    return json.loads((CONFIG_DIR / f"{name}.json").read_text())


def run_config(stage: str, dense: bool) -> dict[str, Any]:
    """The settings a task run uses: the stage's config, with its `student` block applied to the
    student (not to the dense teacher). On a GPU, `<stage>-gpu.json` (more steps, bigger
    batches) replaces the CPU file. Saved with the result, so a bundle's card shows them."""
    gpu = f"{stage}-gpu"
    on_gpu = torch.cuda.is_available() and (CONFIG_DIR / f"{gpu}.json").exists()
    config = load_config(gpu if on_gpu else stage)
    student = config.pop("student", {})
    return config if dense else config | student


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def pick_device() -> torch.device:
    """Use the GPU when one is there (TF32 matmuls); the pipeline also runs (slowly) on the CPU."""
    if not torch.cuda.is_available():
        return torch.device("cpu")
    torch.set_float32_matmul_precision("high")
    return torch.device("cuda")


def mixed_precision(device: torch.device, cfg: dict[str, Any]) -> torch.autocast:
    """bf16 matmuls where the config asks (`"bf16": true`; weights and optimizer stay fp32):
    about twice as fast on a CPU with AVX512-BF16 at QA lengths."""
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=cfg.get("bf16", False))


def device_name(device: torch.device) -> str:
    """What a run trained on, for its report: the GPU's name, or the CPU and its cores."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return f"CPU ({os.cpu_count()} cores)"


def stage_logger(stage: str) -> logging.Logger:
    """Log to stderr and to RUNS_DIR/<stage>/train.log (appended across resumed runs)."""
    run_dir = RUNS_DIR / stage
    run_dir.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(f"training.{stage}")
    if not logger.handlers:
        fmt = logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S")
        for handler in (
            logging.StreamHandler(sys.stderr),
            logging.FileHandler(run_dir / "train.log"),
        ):
            handler.setFormatter(fmt)
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return logger


def save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    """Write atomically so a kill mid-write never leaves a corrupt checkpoint."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> dict[str, Any] | None:
    return torch.load(path, map_location="cpu", weights_only=False) if path.exists() else None


# Below this share of CPU time per wall second the process was stopped (SIGSTOP to lend the
# cores to another run, a suspended laptop), not training: a working step keeps a core busy.
STOPPED_CPU_SHARE = 0.05


class Timer:
    """Seconds a stage has run, counted across resumed runs; stopped time does not count.

    Between two reads it adds the wall time, unless the process used almost no CPU meanwhile:
    then only the CPU time it did use, so a run paused for hours does not report them as training.
    """

    def __init__(self, already_spent: float = 0.0) -> None:
        self._spent = already_spent
        self._wall, self._cpu = time.monotonic(), time.process_time()

    @property
    def spent(self) -> float:
        wall, cpu = time.monotonic(), time.process_time()
        wall_delta, cpu_delta = wall - self._wall, cpu - self._cpu
        self._wall, self._cpu = wall, cpu
        stopped = cpu_delta < STOPPED_CPU_SHARE * wall_delta
        self._spent += cpu_delta if stopped else wall_delta
        return self._spent
