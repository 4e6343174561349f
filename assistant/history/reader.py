"""The history's search, on whichever connection runs it: the store's own, or one opened on
another thread for it. A search reads every kept text (0.9 s for five words over 5,000 entries
of 18,000 characters), so the window runs it on a thread of its own, which needs a connection of
its own: a SQLite connection belongs to the thread that opened it. A history kept in memory is
searched in a copy: another connection to it would share its cache, whose lock a search holds
for its whole length while the store waits to write.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path

from assistant.history.rows import HistoryEntry, decoded, entry_from_row
from assistant.history.search import contains_every_folded, search_words

SCAN_BATCH = 16
"""Rows read from SQLite at a time while a search matches texts: few enough that a batch of
the longest texts (2,000,000 characters) is not gigabytes, and a stale search soon stops."""


def configured(db: sqlite3.Connection) -> sqlite3.Connection:
    """``db`` reading rows as the store does: by column name, any text (even not UTF-8)
    decoded."""
    db.row_factory = sqlite3.Row
    db.text_factory = decoded
    return db


def open_reader(source: Path | sqlite3.Connection) -> sqlite3.Connection:
    """A connection for reading a history (a store's ``reading_source``): its file, opened
    anew for each search, since it may have been set aside and begun again since (its WAL
    journal lets the store write meanwhile), or the copy of one kept in memory. A file gone
    (being set aside) is not made anew here, where an empty one would stand for the history;
    one set aside between the look and the opening is, and reads as no history."""
    if isinstance(source, sqlite3.Connection):
        db = source
    elif source.exists():
        db = sqlite3.connect(source)
    else:
        raise sqlite3.OperationalError(f"unable to open database file {source}")
    configured(db).execute("PRAGMA query_only = true")
    return db


def select_entries(
    db: sqlite3.Connection,
    query: str,
    limit: int,
    text_chars: int | None,
    wanted: Callable[[], bool] = lambda: True,
) -> list[HistoryEntry]:
    """See :meth:`assistant.history.store.HistoryStore.search`. A search no longer ``wanted``
    (asked between batches of rows) stops early, its list cut short: its caller drops it."""
    words, _left_out = search_words(query)
    if words:
        entries = _matching(db, words, limit, wanted)
    else:  # the newest, through the index; the query cuts the bytes (four hold any character)
        rows = db.execute(
            "SELECT id, created, updated, question, results,"
            " CASE WHEN ? IS NULL THEN text ELSE substr(CAST(text AS BLOB), 1, 4 * ?) END AS text"
            " FROM analyses ORDER BY updated DESC, id DESC LIMIT ?",
            (text_chars, text_chars, limit),
        ).fetchall()
        entries = [entry_from_row(row) for row in rows]
    if text_chars is None:
        return entries
    return [dataclasses.replace(entry, text=entry.text[:text_chars]) for entry in entries]


def _matching(
    db: sqlite3.Connection, words: list[str], limit: int, wanted: Callable[[], bool]
) -> list[HistoryEntry]:
    """The newest ``limit`` entries holding every word, in one reading of the rows (an entry
    edited meanwhile is listed as it was matched), a batch at a time, matched here. Not by a
    function SQLite calls for each row: on a search thread, each call took Python's lock back
    from the window's thread, which waited up to 0.4 s at a time; between batches it waits a
    few milliseconds."""
    cursor = db.execute(
        "SELECT id, created, updated, question, results, CAST(text AS BLOB) AS text,"
        " CAST(question AS BLOB) AS question_bytes FROM analyses ORDER BY updated DESC, id DESC"
    )
    found: list[HistoryEntry] = []
    while len(found) < limit and wanted() and (rows := cursor.fetchmany(SCAN_BATCH)):
        found += [
            entry_from_row(row)
            for row in rows
            if contains_every_folded(row["text"], row["question_bytes"], words)
        ]
    return found[:limit]
