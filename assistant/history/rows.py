"""What the history keeps (an analysis, a draft), and raw SQLite values turned into safe ones.

Another program's edit or a damaged page can leave a value the app cannot read; it reads as a
neutral one instead, so that one bad row never stops the start or hides the rest of the history.
"""

from __future__ import annotations

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
