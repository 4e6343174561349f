"""Where the history lives: the platformdirs data folder, never a temporary one.

``SQUEEZE_ASSISTANT_DATA_DIR`` overrides it (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "squeeze-assistant"
DATA_DIR_ENV = "SQUEEZE_ASSISTANT_DATA_DIR"


def data_dir() -> Path:
    """The folder for the user's own data (history, drafts)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def default_database_path() -> Path:
    """The history database file inside :func:`data_dir`."""
    return data_dir() / "history.sqlite3"
