"""The three tasks and how a message names each, in a module light enough for the GUI to import
before onnxruntime is loaded (importing ``assistant.engine`` loads it)."""

from __future__ import annotations

TASKS = ("sentiment", "intent", "qa")
TASK_WORDS = {"sentiment": "sentiment", "intent": "intent", "qa": "question answering"}
"""A task as a sentence names it: "qa" is an identifier, not words."""
