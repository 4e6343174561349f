"""The QApplication: names used by QSettings and the desktop, the font size, the last-resort hook.

The theme is left to the platform, so the app follows the system's light or dark mode.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

import assistant
from assistant.gui.settings import APPLICATION, ORGANIZATION

log = logging.getLogger(__name__)

_DEFAULT_FONT = "squeezeDefaultFont"


class Application(QApplication):
    def __init__(self, argv: Sequence[str]) -> None:
        super().__init__(list(argv))
        self.setOrganizationName(ORGANIZATION)
        self.setApplicationName(APPLICATION)
        self.setApplicationDisplayName(APPLICATION)
        self.setApplicationVersion(assistant.__version__)
        self.setDesktopFileName("squeeze-assistant")
        self.setWindowIcon(QIcon.fromTheme("squeeze-assistant"))  # installed by the installer


def apply_font_size(app: QCoreApplication | None, size: int | None) -> None:
    """Set the whole app's point size; None returns to the system font."""
    if not isinstance(app, QApplication):
        return
    default = app.property(_DEFAULT_FONT)
    if not isinstance(default, QFont):
        default = QFont(app.font())
        app.setProperty(_DEFAULT_FONT, default)
    font = QFont(default)
    if size:
        font.setPointSize(size)
    app.setFont(font)


def install_excepthook(log_file: Path | None) -> None:
    """Log any exception that reaches Qt's event loop and tell the user, instead of dying;
    ``log_file`` is where the details go (None: no log file could be kept)."""
    details = f"the details are in {log_file}" if log_file else "no log file keeps the details"

    def hook(kind: type[BaseException], value: BaseException, trace: TracebackType | None) -> None:
        log.critical("Unhandled exception", exc_info=(kind, value, trace))
        app = QApplication.instance()
        if app is not None and QThread.currentThread() is app.thread():
            QMessageBox.critical(
                None,
                "Unexpected error",
                f"Something went wrong: {value}\n\nThe app keeps running; {details}.",
            )

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        """An exception that ends a thread of ours (the batch export) goes to the log too."""
        if args.exc_type is not SystemExit and args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
