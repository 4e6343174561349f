"""Spoken notices for screen-reader users.

Results, problems and a finished batch appear in labels that a screen reader reads only when the
user goes to them, so each is also announced (Qt's announcement event), politely unless urgent.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent


def announce(source: QObject, text: str, urgent: bool = False) -> None:
    """Have an active screen reader say ``text``; urgent interrupts what it is saying."""
    if not text or not QAccessible.isActive():
        return
    event = QAccessibleAnnouncementEvent(source, text)
    if urgent:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)
