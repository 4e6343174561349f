"""The two exceptions the engine raises; callers (GUI, CLI) map them to messages and exit codes."""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """The input cannot be analysed: not text, empty, too long, holding no character the models
    can read, or no word they know (emoji only, say). The message is for a person."""


class ModelError(RuntimeError):
    """A task's model cannot be used. The message names the task and the cause (missing bundle or
    file, SHA-256 mismatch, unreadable ONNX); ``task`` holds the task name and
    ``bundle_folder`` the folder of the bundle (or of the manifest.json) at fault, None where
    no bundle is (none serves the task): what mends it depends on where it is.

    Raised when the task is first used, so the other tasks keep working.
    """

    def __init__(self, task: str, message: str, bundle_folder: Path | None = None) -> None:
        super().__init__(message)
        self.task = task
        self.bundle_folder = bundle_folder
