"""Qt's own messages, routed to the log; a Qt that cannot open its display ends in one line.

Where Qt cannot reach the display it is given (``DISPLAY=:99`` with no X server there, a Wayland
socket gone), it prints a page of text and aborts the process (exit 134). Messages sent while
the QApplication is being built are held: a fatal one among them ends the process with the one
line and exit 1 that the command line promises, and the rest go to the log file only.
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
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class QtMessages:
    """The message handler; ``started`` once the QApplication exists."""

    def __init__(self) -> None:
        self._held: list[str] | None = []  # None once started

    def __call__(self, kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if self._held is None:
            log.log(_LEVELS.get(kind, logging.WARNING), "%s", message)
            return  # a fatal message after the start is a bug: Qt aborts, as it would
        if kind != QtMsgType.QtFatalMsg:
            self._held.append(message)
            return
        log.info("Qt could not start: %s", " | ".join([*self._held, message]))
        reason = (self._held[0] if self._held else message).strip().splitlines()[0]  # the cause
        print(f"assistant: {NO_WINDOW.format(reason)}", file=sys.stderr, flush=True)
        logging.shutdown()
        os._exit(1)

    def started(self) -> None:
        """The application exists: what Qt said while starting goes to the log, and from now
        on each message as it comes."""
        held, self._held = self._held or [], None
        for message in held:
            log.info("%s", message)


def route_qt_messages() -> QtMessages:
    """Install the handler; call before the QApplication is built."""
    handler = QtMessages()
    qInstallMessageHandler(handler)
    return handler
