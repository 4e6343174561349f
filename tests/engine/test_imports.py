"""The engine and the package import without Qt or training tools (the CLI and tests rely on
it), and onnxruntime keeps its telemetry off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


NOT_FOR_THE_ENGINE = ("PySide6", "torch", "transformers", "onnx", "safetensors", "requests")


@pytest.mark.parametrize(
    "module", ["assistant", "assistant.engine", "assistant.pipeline", "assistant.cli"]
)
def test_import_pulls_in_neither_qt_nor_training_tools(module: str) -> None:
    code = (
        f"import sys, {module}; "
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {NOT_FOR_THE_ENGINE}); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_onnxruntime_telemetry_stays_off_whatever_the_environment_says(tmp_path: Path) -> None:
    """Imported with telemetry switched on, onnxruntime would write a device id and its state
    under ~/.cache/Microsoft and $TMPDIR."""
    home, temp = tmp_path / "home", tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(temp), "ORT_DISABLE_TELEMETRY": "0"}
    code = "import assistant.engine.session, os; print(os.environ['ORT_DISABLE_TELEMETRY'])"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env
    )
    assert done.stdout.strip() == "1", done.stderr
    assert not (home / ".cache" / "Microsoft").exists() and not list(temp.iterdir())
