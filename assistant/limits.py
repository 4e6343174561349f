"""Limits that the window and the command line check before the engine loads: importing
``assistant.engine`` loads onnxruntime, which the window defers until after its first paint."""

from __future__ import annotations

MAX_THREADS = 256
"""More than a desktop has; a typo's 100,000 inference threads hang onnxruntime."""
