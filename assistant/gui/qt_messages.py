"""Qt's messages while the QApplication is built: a Qt that cannot open its display ends in one
line.

Where Qt cannot reach the display it is given (``DISPLAY=:99`` with no X server there, a Wayland
socket gone), it prints a page of text and aborts the process (exit 134). While the application
is being built its messages are held here: a fatal one ends the process with the one line and
exit 1 that the command line promises (the rest go to the log file); otherwise they go to the
log once the application exists, and Qt's own handler takes over again (a Python handler left
in place crashes the exit when Qt speaks after Python has shut down).
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from assistant.__main__ import NO_WINDOW

log = logging.getLogger("qt")
_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
}
_CAUSES = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg)
"""What can name the cause of a fatal start: not the debug lines of QT_DEBUG_PLUGINS."""


class StartupMessages:
    """The message handler while the QApplication is built; ``started`` once it exists."""

    def __init__(self) -> None:
        self._held: list[tuple[QtMsgType, str]] = []

    def __call__(self, kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if kind != QtMsgType.QtFatalMsg:
            self._held.append((kind, message))
            return
        log.info("Qt could not start: %s", " | ".join([m for _, m in self._held] + [message]))
        causes = [m for k, m in self._held if k in _CAUSES and m.strip()]
        reason = (causes[0] if causes else message).strip().splitlines()[0]
        print(f"assistant: {NO_WINDOW.format(reason)}", file=sys.stderr, flush=True)
        logging.shutdown()
        os._exit(1)

    def started(self) -> None:
        """The application exists: what Qt said meanwhile goes to the log, and Qt's own
        handler takes over."""
        qInstallMessageHandler(None)
        for kind, message in self._held:
            log.log(_LEVELS.get(kind, logging.WARNING), "%s", message)
        self._held = []


def hold_startup_messages() -> StartupMessages:
    """Install the handler; call just before the QApplication is built."""
    handler = StartupMessages()
    qInstallMessageHandler(handler)
    return handler
