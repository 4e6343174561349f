"""Where the user's data lives (history, extra model bundles): the platformdirs data folder,
never a temporary one. ``SQUEEZE_ASSISTANT_DATA_DIR`` overrides it (tests, portable installs).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import platformdirs

APP_DIR_NAME = "squeeze-assistant"
DATA_DIR_ENV = "SQUEEZE_ASSISTANT_DATA_DIR"
MODELS_DIR_ENV = "SQUEEZE_ASSISTANT_MODELS"
"""A folder of model bundles searched before the shipped ones (``engine.manifest``)."""


def user_dir(env_var: str, platform_dir: Callable[..., str]) -> Path:
    """The folder named by ``env_var`` when set (tests, portable installs), else platformdirs'."""
    override = os.environ.get(env_var)
    if override:
        return Path(override)
    return Path(platform_dir(APP_DIR_NAME, appauthor=False))


def data_dir() -> Path:
    """The folder for the user's own data (history, drafts, models/)."""
    return user_dir(DATA_DIR_ENV, platformdirs.user_data_dir)
