"""Rotating log file in the platform log folder, so users can send it when something goes wrong."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE_NAME = "assistant.log"
_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def setup_logging(folder: Path) -> str | None:
    """Log warnings to stderr, and INFO and up to ``folder/assistant.log`` (1 MB x 3 files).

    A log folder that cannot be used (a file in its place, read-only) must not stop the app:
    it then logs to stderr only, and this returns why no log file is kept, for the window.
    """
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter(_FORMAT))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(console)
    path = folder / LOG_FILE_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:
        problem = f"No log file is kept this session: {path} cannot be written ({exc})."
        root.warning("%s", problem)
        return problem
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(file_handler)
    return None
