"""What the history keeps (an analysis, a draft), and raw SQLite values turned into safe ones.

Another program's edit or a damaged page can leave a value the app cannot read; it reads as a
neutral one instead, so that one bad row never stops the start or hides the rest of the history.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any


@dataclass(frozen=True)
class HistoryEntry:
    """One kept analysis: the text, the question asked of it and the results as JSON-ready data."""

    id: int
    created: datetime
    updated: datetime
    text: str
    question: str
    results: dict[str, Any]


@dataclass(frozen=True)
class Draft:
    """What was in the editor when the app last saw it."""

    text: str = ""
    question: str = ""
    entry: int | None = None
    """The analysis this text is kept in, so the next start reopens it instead of adding a twin."""


def timestamp_now() -> str:
    """The current UTC time as the history stores it (ISO 8601, to the millisecond)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def decoded(value: bytes) -> str:
    """Text as the app reads it: bytes that are not UTF-8 (another program's edit) read as
    U+FFFD, so that one such row never stops the start or hides the rest of the history."""
    return value.decode("utf-8", errors="replace")


SEARCH_WORD_SEPARATOR = "\n"
"""Joins a search's words into one SQL parameter: ``str.split`` never leaves one in a word."""


@functools.lru_cache(maxsize=8)
def _words(folded_words: str) -> tuple[str, ...]:
    """The words of one search, split once, not once per row it reads."""
    return tuple(folded_words.split(SEARCH_WORD_SEPARATOR))


def _folded(value: bytes | None) -> str:
    """Casefolded for every alphabet ("CAFÉ" is "café", "ß" is "ss"): SQLite's LIKE folds ASCII
    only."""
    return "" if value is None else decoded(value).casefold()


def contains_every_folded(text: bytes | None, question: bytes | None, folded_words: str) -> bool:
    """Whether each of the casefolded words (joined by ``SEARCH_WORD_SEPARATOR``) is in the text
    or the question. One call a row, so a row is decoded and casefolded once, not once per word
    (five words read 84 MB of text five times), and a long query is one expression, not one per
    word (SQLite refuses an expression tree over 1,000 deep). The values come as bytes: Python
    would fail the whole search on one that is not UTF-8."""
    folded_text = _folded(text)
    folded_question: str | None = None  # read only when a word is not in the text
    for word in _words(folded_words):
        if word in folded_text:
            continue
        if folded_question is None:
            folded_question = _folded(question)
        if word not in folded_question:
            return False  # most rows stop at the first word: it is looked for in them once
    return True


def entry_from_row(row: sqlite3.Row) -> HistoryEntry:
    """A row as the app reads it. A value it cannot read (another program's edit, a damaged
    page) becomes a neutral one, so that one bad row never hides the rest of the history."""
    return HistoryEntry(
        id=row["id"],
        created=_time(row["created"]),
        updated=_time(row["updated"]),
        text=_text(row["text"]),
        question=_text(row["question"]),
        results=_results(row["results"]),
    )


_UNKNOWN_TIME = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _time(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return _UNKNOWN_TIME


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return decoded(value)
    return value if isinstance(value, str) else str(value)


def _results(value: Any) -> dict[str, Any]:
    """Results that are not a JSON object read as none: reopening the entry analyses again."""
    try:
        results = json.loads(value)
    except (TypeError, ValueError, RecursionError):
        return {}
    return results if isinstance(results, dict) else {}
