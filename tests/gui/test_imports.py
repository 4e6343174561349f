"""The window's modules import without the engine: onnxruntime loads on the worker thread,
after the first paint, not while the window is being built."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("module", ["assistant.gui.main", "assistant.gui.main_window"])
def test_the_window_imports_without_onnxruntime(module: str) -> None:
    code = f"import sys, {module}; sys.exit('onnxruntime' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
