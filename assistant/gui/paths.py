"""Folders the GUI shows or writes to (platformdirs, never a temporary folder), and showing one.

``SQUEEZE_ASSISTANT_LOG_DIR`` overrides the log folder, as ``SQUEEZE_ASSISTANT_DATA_DIR`` does
for the data folder (see :mod:`assistant.locations`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from assistant.locations import user_dir

log = logging.getLogger(__name__)

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


def open_folder(path: Path) -> None:
    """Show a folder in the system file manager, creating it first if it is ours to create.

    Returns nothing on purpose: it is used as a slot, and PySide6 mishandles the reference count
    of a bool returned by a Python slot (the interpreter aborts at exit).
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        log.warning("Cannot create %s", path)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        log.warning("No file manager opened %s", path)
