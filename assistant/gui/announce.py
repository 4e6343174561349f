"""Spoken notices for screen-reader users.

Results, problems and a finished batch appear in labels that a screen reader reads only when the
user goes to them, so each is also announced (Qt's announcement event), politely unless urgent.
Notices made together are said together, once control is back in the event loop: a second
urgent one cut the first off (a broken model and a skipped models folder, told at once).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from assistant.gui.wording import speakable

_waiting: list[tuple[QObject, str, bool]] = []
"""The notices made since control was last in the event loop: source, text, urgent."""


def announce(source: QObject, text: str, urgent: bool = False) -> None:
    """Have an active screen reader say ``text`` (as ``speakable``: without the marks and gaps
    laid out for the eye); urgent interrupts what it is saying."""
    text = speakable(text)
    if not text or not QAccessible.isActive():
        return
    if not _waiting:
        QTimer.singleShot(0, _say_waiting)
    _waiting.append((source, text, urgent))


def _say_waiting() -> None:
    """Say the waiting notices as one (each text once, each ending a sentence), urgent if any
    of them is, from the first source still shown: a dialog that closed meanwhile is gone, or
    hidden, and readers often ignore what a hidden window says."""
    notices, _waiting[:] = list(_waiting), []
    sources = [source for source, _text, _urgent in notices if isValid(source)]
    shown = [s for s in sources if not isinstance(s, QWidget) or s.isVisible()]
    source = next(iter(shown), None) or QApplication.activeWindow() or next(iter(sources), None)
    if source is None:
        return
    texts = dict.fromkeys(_sentence(text) for _source, text, _urgent in notices)
    event = QAccessibleAnnouncementEvent(source, " ".join(texts))
    if any(urgent for _source, _text, urgent in notices):
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


def _sentence(text: str) -> str:
    """``text`` ending as a sentence does, so that the next one said after it reads apart
    ("Exported 3 rows" then "Saved")."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."
