"""Folders the GUI shows or writes to (platformdirs, never a temporary folder).

``SQUEEZE_ASSISTANT_LOG_DIR`` overrides the log folder, as ``SQUEEZE_ASSISTANT_DATA_DIR`` does
for the data folder (see :mod:`assistant.locations`).
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from assistant.locations import user_dir

LOG_DIR_ENV = "SQUEEZE_ASSISTANT_LOG_DIR"


def log_dir() -> Path:
    """Where the rotating log file lives."""
    return user_dir(LOG_DIR_ENV, platformdirs.user_log_dir)


def models_dir() -> Path:
    """The folder the engine takes models from; if none has any, the per-user models folder.

    Imported lazily: the engine package pulls in onnxruntime, which the window must not wait for.
    """
    from assistant.engine.manifest import MANIFEST, search_dirs

    dirs = search_dirs()
    return next((folder for folder in dirs if (folder / MANIFEST).is_file()), dirs[-1])
