"""Rotating log file in the platform log folder, so users can send it when something goes wrong."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE_NAME = "assistant.log"
_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def setup_logging(folder: Path) -> Path:
    """Log to ``folder/assistant.log`` (1 MB x 3 files) and warnings to stderr; return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    file_handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter(_FORMAT))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(file_handler)
    root.addHandler(console)
    return path
