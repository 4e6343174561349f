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
from assistant.gui.focus_rings import ring_focus
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
        ring_focus(self)


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


HEADLESS_PLATFORMS = ("offscreen", "minimal")
"""Qt platforms with no screen, where a dialog would wait for a click that never comes."""


def _where_details_are(log_file: Path | None) -> str:
    return f"the details are in {log_file}" if log_file else "no log file keeps the details"


def _headless() -> bool:
    return QApplication.platformName() in HEADLESS_PLATFORMS


def install_excepthook(log_file: Path | None) -> None:
    """Log any exception that reaches Qt (a slot's) and tell the user, instead of dying: the
    app keeps running. Offscreen and before the event loop runs (the installer's smoke test)
    it is one line on stderr: a modal dialog there would wait for a click that never comes.
    ``log_file`` is where the details go (None: no log file could be kept)."""
    details = _where_details_are(log_file)

    def hook(kind: type[BaseException], value: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in the terminal while it starts
            return
        log.critical("Unhandled exception", exc_info=(kind, value, trace))
        app = QApplication.instance()
        if app is not None and QThread.currentThread() is not app.thread():
            return  # another thread's: no dialog from there
        reason = str(value) or kind.__name__
        if app is None or (app.thread().loopLevel() == 0 and _headless()):
            print(f"assistant: unexpected error: {reason} ({details})", file=sys.stderr)
            return
        told = f"Something went wrong: {reason}\n\nThe app keeps running; {details}."
        QMessageBox.critical(None, "Unexpected error", told)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        """An exception that ends a thread of ours (the batch export) goes to the log too."""
        if args.exc_type is not SystemExit and args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def tell_the_end(what: str, error: Exception, log_file: Path | None) -> None:
    """The app ends here: ``what`` happened ("cannot run", "did not close cleanly"), said in
    one line for a terminal and, where there is a screen, a dialog (started from a menu, no
    terminal shows the line); the caller then exits."""
    # INFO: the log file gets the traceback, and stderr (warnings up) only the line below.
    log.info("Ending: %s", what, exc_info=error)
    reason = str(error) or type(error).__name__
    details = _where_details_are(log_file)
    print(f"assistant: {what}: {reason} ({details})", file=sys.stderr, flush=True)
    if QApplication.instance() is not None and not _headless():
        told = f"Squeeze Assistant {what}: {reason}\n\n{details[0].upper()}{details[1:]}."
        QMessageBox.critical(None, f"Squeeze Assistant {what}", told)
