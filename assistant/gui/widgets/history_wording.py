"""How the history panel words its rows and the note above them."""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from assistant.gui.wording import isolated
from assistant.history import HistoryEntry
from assistant.history.search import SEARCH_WORDS, search_words
from assistant.wording import shortened

PREVIEW_CHARS = 80
QUOTED_SEARCH_CHARS = 60


def history_item(entry: HistoryEntry, now: datetime) -> QListWidgetItem:
    """An entry's row: its time and text's beginning, the entry's id kept in it."""
    updated = _local(entry.updated)  # local time: once a row, a search runs per key
    item = QListWidgetItem(_title(entry, updated, now))
    item.setData(Qt.ItemDataRole.UserRole, entry.id)
    item.setToolTip(_tooltip(entry, updated))
    return item


def list_note(query: str, found: int | None, total: int | None, shown: int) -> str:
    """What the list leaves out, ``found`` (None: unknown) being how many the search returned,
    ``total`` how many analyses there are (counted only without a query) and ``shown`` the most
    it holds: older entries past the limit would be silently out of reach, and a search that
    finds nothing would look like a lost history. A search's matches are not counted: that
    reads every text again (a second for 5,000 long ones), where the list stops one past."""
    searched, left_out = search_words(query)
    words = " ".join(query.split())
    if found is not None and found > shown:
        newest = f"Showing the newest {shown:,}"
        note = (
            f"{newest} matches: add words to narrow it."
            if searched
            else f"{newest} of {total or 0:,}: search to find older ones."
        )
    elif found == 0 and searched:
        note = f"No analyses match “{isolated(shortened(words, QUOTED_SEARCH_CHARS))}”."
    else:
        note = ""
    if left_out:  # a pasted paragraph: say that its last words were not looked for
        only = f"Only the first {SEARCH_WORDS} different words are searched for."
        note = f"{note} {only}".strip()
    return note


def _local(moment: datetime) -> datetime:
    try:
        return moment.astimezone()
    except (ValueError, OverflowError, OSError):  # year 1 or 9999 from another program; OSError:
        return moment  # Windows before 1970


def _when(moment: datetime, now: datetime) -> str:
    """As short as it can be and still tell entries apart: the time today, the day this year,
    else the date; the row is narrow, and the text beside it is what a person looks for."""
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    if moment.year == now.year:
        return f"{moment.day} {moment:%b}"
    return f"{moment.day} {moment:%b %Y}"


_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
"""The control characters that are not whitespace, which ``str.split`` leaves in a title: Qt
ends a row's or a tooltip's text at a NUL, and none of them is anything a person can read."""


def _shown(text: str) -> str:
    """User text as a row or tooltip can show it: each control character a space."""
    return _CONTROLS.sub(" ", text)


def _title(entry: HistoryEntry, updated: datetime, now: datetime) -> str:
    first_line = shortened(" ".join(_shown(entry.text).split()), PREVIEW_CHARS)
    return f"{_when(updated, now)}  {isolated(first_line)}"


def _tooltip(entry: HistoryEntry, updated: datetime) -> str:
    """The full time, the text's beginning (the store cuts it) and the question."""
    question = f"\n\nQuestion: {entry.question}" if entry.question else ""
    return _shown(f"{updated:%Y-%m-%d %H:%M}\n\n{entry.text}{question}")
