"""The engine writes nothing outside the app's own folders (onnxruntime's telemetry state)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_loading_a_model_writes_nothing_to_home_or_tmp(tmp_path: Path, tiny_models: Path) -> None:
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env |= {"HOME": str(home), "TMPDIR": str(tmp), "XDG_CACHE_HOME": str(home / ".cache")}
    code = (
        "import sys; from assistant.engine import Engine; "
        "print(Engine(models_dir=sys.argv[1]).sentiment('fine').label)"
    )
    subprocess.run([sys.executable, "-c", code, str(tiny_models)], env=env, check=True)
    assert not [p for p in home.rglob("*")], "files appeared under HOME"
    assert not [p for p in tmp.rglob("*")], "files appeared under TMPDIR"
