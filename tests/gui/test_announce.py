"""Notices made together reach a screen reader as one: a second urgent one cut the first off."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QLabel, QWidget
from shiboken6 import delete

from assistant.gui import announce as announcing
from assistant.gui.announce import announce


def _said(qtbot, monkeypatch) -> list[tuple[str, bool]]:
    said: list[tuple[str, bool]] = []

    def update(event: QAccessibleAnnouncementEvent) -> None:
        urgent = event.politeness() == QAccessible.AnnouncementPoliteness.Assertive
        said.append((event.message(), urgent))

    monkeypatch.setattr(QAccessible, "isActive", lambda: True)
    monkeypatch.setattr(QAccessible, "updateAccessibility", update)
    return said


def test_notices_made_together_are_said_once_as_one(qtbot, monkeypatch) -> None:
    said = _said(qtbot, monkeypatch)
    window = QWidget()
    qtbot.addWidget(window)
    announce(window, "Models in /tmp/mine were skipped.", urgent=True)
    announce(window, "The question model cannot be used.", urgent=True)
    announce(window, "The question model cannot be used.", urgent=True)  # once
    assert said == []  # not yet: others may follow in this turn
    qtbot.waitUntil(lambda: bool(said))
    assert said == [("Models in /tmp/mine were skipped. The question model cannot be used.", True)]
    announce(window, "Copied the answer.")
    qtbot.waitUntil(lambda: len(said) == 2)
    assert said[1] == ("Copied the answer.", False)


def test_a_notice_whose_source_closed_meanwhile_is_said_from_another(qtbot, monkeypatch) -> None:
    said = _said(qtbot, monkeypatch)
    window, dialog = QWidget(), QLabel()
    qtbot.addWidget(window)
    announce(dialog, "Batch finished.")
    announce(window, "Saved.")
    delete(dialog)  # its C++ object gone before the notices are said
    qtbot.waitUntil(lambda: bool(said))
    assert said == [("Batch finished. Saved.", False)]
    assert announcing._waiting == []


def test_notices_are_said_from_a_window_still_shown_each_as_a_sentence(qtbot, monkeypatch) -> None:
    """A batch window announced "Exported 3 rows" and closed in the same turn: the notice went
    out later from a hidden window, which readers often ignore, and ran into the next one."""
    sources: list[object] = []
    said = _said(qtbot, monkeypatch)
    monkeypatch.setattr(
        QAccessible,
        "updateAccessibility",
        lambda event: sources.append(event.object()) or said.append((event.message(), False)),
    )
    window, dialog = QWidget(), QWidget(None)
    qtbot.addWidget(window)
    qtbot.addWidget(dialog)
    window.show()
    announce(dialog, "Exported 3 rows")
    announce(window, "Saved")
    qtbot.waitUntil(lambda: bool(said))
    assert said == [("Exported 3 rows. Saved.", False)]
    assert sources == [window]


def test_notices_are_said_without_marks_and_gaps_laid_out_for_the_eye(qtbot, monkeypatch) -> None:
    """Every notice, not only the results: a batch window's or the status line's too."""
    said = _said(qtbot, monkeypatch)
    window = QWidget()
    qtbot.addWidget(window)
    announce(window, "Opened \u200e\u2068notes.txt\u2069  (2 KB)")
    announce(window, " \u200e ")  # nothing to say
    qtbot.waitUntil(lambda: bool(said))
    assert said == [("Opened notes.txt (2 KB).", False)]
