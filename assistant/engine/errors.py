"""The two exceptions the engine raises; callers (GUI, CLI) map them to messages and exit codes."""

from __future__ import annotations


class InputError(ValueError):
    """The input cannot be analysed: not text, empty, too long, holding no character the models
    can read, or no word they know (emoji only, say). The message is for a person."""


class ModelError(RuntimeError):
    """A task's model cannot be used. The message names the task and the cause (missing bundle or
    file, SHA-256 mismatch, unreadable ONNX); ``task`` holds the task name.

    Raised when the task is first used, so the other tasks keep working.
    """

    def __init__(self, task: str, message: str) -> None:
        super().__init__(message)
        self.task = task
