"""SQLite store for past analyses and the autosaved drafts (one per open window).

One file, WAL journal: every draft save is its own small transaction, so killing the app loses
only what was typed since the last save. A damaged file (found at start, or later when a query
reads a broken page) is set aside for rescue and a new one begun with what could still be read.
The store is used from the GUI thread only.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from assistant.history.damage import (
    aside_name,
    copy_rows,
    file_id,
    is_damage,
    is_unavailable,
    open_read_only,
)
from assistant.history.reader import configured, select_entries
from assistant.history.rows import Draft, HistoryEntry, entry_from_row, timestamp_now
from assistant.history.schema import NewerVersion, prepare_connection, schema_columns
from assistant.locations import data_dir

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

LOCK_WAIT_S = 5.0
"""How long to wait for another process's write lock before giving up (sqlite3's default)."""


def _recovering(
    operation: Callable[Concatenate[HistoryStore, P], R],
) -> Callable[Concatenate[HistoryStore, P], R]:
    """Run a store operation; when the file turns out damaged, set it aside as at start, go on
    in a new one holding what could be read of it, and run the operation again there."""

    @functools.wraps(operation)
    def run(store: HistoryStore, *args: P.args, **kwargs: P.kwargs) -> R:
        store._follow_replacement()
        try:
            return operation(store, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            store._replace_damaged()
        return operation(store, *args, **kwargs)

    return run


def default_database_path() -> Path:
    """The history database file inside the user's data folder."""
    return data_dir() / "history.sqlite3"


class HistoryStore:
    """Analyses (add, update, search, delete) and the autosaved drafts, one per slot (a slot is
    an open window's, see gui/draft_slot.py)."""

    def __init__(self, path: Path | None = None, *, unsaved_reason: str | None = None) -> None:
        """With ``unsaved_reason`` (why the file cannot be used) everything is kept in memory
        until ``close`` only; ``path`` still names the file and the folder the app would use."""
        self.path = path or default_database_path()
        self.unsaved_reason = unsaved_reason
        self.set_aside_note: str | None = None
        """Set when a damaged file was moved aside (at start or later): where it now is."""
        self.on_replaced: Callable[[], None] | None = None
        """Called after the file turned out damaged while in use and another took its place."""
        if unsaved_reason is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = configured(
            sqlite3.connect(
                self.path if unsaved_reason is None else ":memory:", timeout=LOCK_WAIT_S
            )
        )
        try:
            prepare_connection(self._db, self.path)
        except sqlite3.DatabaseError:
            self._db.close()  # Windows cannot move an open file aside
            raise
        self._file_id = file_id(self.path) if unsaved_reason is None else None

    @classmethod
    def open_or_recover(cls, path: Path | None = None, salvage: bool = True) -> HistoryStore:
        """Open the store; a damaged file is set aside (kept for rescue) and a new one begun.

        A file that cannot be written although it is intact (locked, read-only, disk full) or
        that a newer version of the app wrote is left alone, and this session's history is kept
        in memory, ``unsaved_reason`` saying why; what can be read of the first kind is copied
        there (unless ``salvage`` is False: a store only looked at), so its analyses and drafts
        still show. Either way the app starts.
        """
        path = path or default_database_path()
        try:
            return cls(path)
        except NewerVersion as exc:  # rewriting it for this version would spoil it for that one
            return cls(path, unsaved_reason=str(exc))
        except (sqlite3.DatabaseError, OSError) as exc:
            if isinstance(exc, sqlite3.DatabaseError) and not is_unavailable(exc):
                return cls._set_aside(path, salvage)
            log.warning("History %s cannot be written (%s); keeping it in memory", path, exc)
            store = cls(path, unsaved_reason=f"The history file {path} cannot be written ({exc}).")
            if salvage:
                store._salvage(path)
            return store

    @classmethod
    def _set_aside(cls, path: Path, salvage: bool = True) -> HistoryStore:
        """Move a damaged history aside, kept for rescue, and begin a new one with what can
        still be read of it; where no new file can be begun, in memory (``salvage`` False:
        without the copy, for a store only looked at)."""
        aside = aside_name(path)
        log.warning("History %s is unreadable; moving it to %s", path, aside)
        moved = False
        try:
            for suffix in ("", "-wal", "-shm"):  # its journal goes too: it holds the newest rows
                part = Path(f"{path}{suffix}")
                if not suffix or part.exists():
                    part.replace(f"{aside}{suffix}")
                    moved = True
            store = cls(path)
        except (OSError, sqlite3.DatabaseError) as exc:  # a read-only folder, a full disk
            reason = (
                f"The history file {path} was damaged and is kept as {aside}, but a new one"
                f" cannot be begun ({exc})."
                if moved
                else f"The history file {path} is damaged and cannot be moved aside ({exc})."
            )
            store = cls(path, unsaved_reason=reason)
            if salvage:
                store._salvage(aside if moved else path)  # what it still holds shows
            return store
        saved = store._salvage(aside)
        analyses = "the analysis" if saved == 1 else f"the {saved} analyses"
        kept = f" with {analyses} that could still be read" if saved else ""
        store.set_aside_note = (
            f"The history file was damaged, so a new one was begun{kept}; the old one is kept"
            f" as {aside}."
        )
        return store

    def _salvage(self, source: Path) -> int:
        """Copy what can still be read of another history (a damaged one, or one that cannot be
        written) into this one: its drafts (a slot another window saved into meanwhile keeps
        that newer draft) and its analyses. Returns how many analyses were kept."""
        try:
            old = open_read_only(source)
        except (sqlite3.Error, OSError, ValueError) as exc:
            log.warning("Cannot read the history %s to copy what it holds: %s", source, exc)
            return 0
        copied = {}
        with contextlib.closing(old):
            for table, key in (("drafts", "slot"), ("analyses", "id")):
                columns = [key, *sorted(schema_columns()[table] - {key})]
                try:  # a slot another window saved meanwhile keeps; an analysis gets a new id
                    copied[table] = copy_rows(old, self._db, table, columns, table == "analyses")
                except sqlite3.Error as exc:  # the disk full, say: the old file still has them
                    log.warning("Cannot copy the readable %s into the new history: %s", table, exc)
                    copied[table] = 0
        return copied["analyses"]

    def _follow_replacement(self) -> None:
        """The file was set aside by another window (or replaced by hand): go on in the new
        one, instead of writing into the old one (on Linux this connection still reaches it)."""
        if self.unsaved_reason is not None or file_id(self.path) in (self._file_id, None):
            return  # the same file, or none yet: a set-aside is under way
        fresh = self.open_or_recover(self.path, salvage=False)
        if fresh.unsaved_reason is not None:  # busy (the other window's salvage): next call
            fresh.close()
            return
        log.warning("History %s was replaced while in use; reopening it", self.path)
        self._db.close()
        fresh.set_aside_note = fresh.set_aside_note or (
            "The history file was replaced while this window was open (another window may have"
            " found it damaged and set it aside); this window now keeps its history in the new"
            " one."
        )
        self._adopt(fresh)

    def _replace_damaged(self) -> None:
        """Go on in a new file when this one turns out damaged while in use. If it cannot be
        moved (open in another window, on Windows), this session is kept in memory, as at start."""
        if file_id(self.path) != self._file_id:  # set aside by another window meanwhile
            self._follow_replacement()
            return
        log.warning("History %s turned out damaged while in use", self.path)
        self._db.close()
        self._adopt(self._set_aside(self.path))

    def _adopt(self, fresh: HistoryStore) -> None:
        """Go on with ``fresh``'s connection and notes, and tell the window."""
        self._db, self._file_id = fresh._db, fresh._file_id
        self.unsaved_reason, self.set_aside_note = fresh.unsaved_reason, fresh.set_aside_note
        if self.on_replaced is not None:
            self.on_replaced()

    def close(self) -> None:
        self._db.close()

    @_recovering
    def add(self, text: str, question: str, results: Mapping[str, Any]) -> int:
        """Keep a new analysis and return its id."""
        now = timestamp_now()
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO analyses (created, updated, text, question, results)"
                " VALUES (?, ?, ?, ?, ?)",
                (now, now, text, question, json.dumps(results, ensure_ascii=False)),
            )
        return int(cursor.lastrowid or 0)

    @_recovering
    def update(
        self,
        entry_id: int,
        text: str,
        question: str,
        results: Mapping[str, Any],
        *,
        if_holds: tuple[str, str],
    ) -> bool:
        """Replace an analysis that is still being edited, if it still holds ``if_holds`` (the
        text and question the caller last saw in it); False if it was deleted or another window
        changed it meanwhile, whose edits must not be overwritten."""
        with self._db:
            cursor = self._db.execute(
                "UPDATE analyses SET updated = ?, text = ?, question = ?, results = ?"
                " WHERE id = ? AND text = ? AND question = ?",
                (
                    timestamp_now(),
                    text,
                    question,
                    json.dumps(results, ensure_ascii=False),
                    entry_id,
                    *if_holds,
                ),
            )
        return cursor.rowcount > 0

    @_recovering
    def get(self, entry_id: int) -> HistoryEntry | None:
        row = self._db.execute("SELECT * FROM analyses WHERE id = ?", (entry_id,)).fetchone()
        return entry_from_row(row) if row else None

    @_recovering
    def search(
        self, query: str = "", limit: int = 500, text_chars: int | None = None
    ) -> list[HistoryEntry]:
        """Newest first; every word of a non-empty query (up to ``SEARCH_WORDS`` of them) must
        occur in the text or the question (any order), case-insensitively in any alphabet and
        with accents left out ("CAFE" finds "café"): a phrase's words are seldom next to each
        other in the text a person remembers.

        With ``text_chars`` each entry's text is cut to that many characters, so a list of 500
        long texts (searched per keystroke) does not read them all; ``get`` reads one. The query
        cuts the bytes (four hold any character), and Python the characters: SQLite's ``substr``
        ends a text at its first NUL, and the list showed only what came before it.
        """
        return select_entries(self._db, query, limit, text_chars)

    def reading_source(self) -> Path | sqlite3.Connection:
        """What a search thread reads this history from (``reader.open_reader``): its file, or
        for one kept in memory, which only this connection reaches, a copy of it in a
        connection of the thread's own (``backup``, which Python 3.10 has, unlike
        ``serialize``: milliseconds for this session's analyses)."""
        if self.unsaved_reason is None:
            return self.path
        copy = sqlite3.connect(":memory:", check_same_thread=False)  # the thread's to use
        self._db.backup(copy)
        return copy

    @_recovering
    def count(self) -> int:
        """How many analyses are kept, to say how many the list leaves out: the index alone is
        read. (A search's matches are not counted: that would read every text again, a second
        for 5,000 long ones.)"""
        return int(self._db.execute("SELECT count(*) FROM analyses").fetchone()[0])

    @_recovering
    def delete(self, entry_id: int) -> None:
        with self._db:
            self._db.execute("DELETE FROM analyses WHERE id = ?", (entry_id,))

    @_recovering
    def clear(self) -> None:
        """Delete every kept analysis (the draft stays)."""
        with self._db:
            self._db.execute("DELETE FROM analyses")

    @_recovering
    def save_draft(self, draft: Draft, slot: int = 1) -> None:
        """Keep ``draft`` in ``slot``. Its save time moves only when its text or question
        changed: a window closed unused, or one whose analysis merely named its entry, must not
        make its old text the one a lone start takes."""
        with self._db:
            self._db.execute(
                "INSERT INTO drafts (slot, text, question, updated, entry) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(slot) DO UPDATE SET text = excluded.text,"
                " question = excluded.question, entry = excluded.entry,"
                " updated = CASE WHEN text IS excluded.text AND question IS excluded.question"
                " THEN updated ELSE excluded.updated END",
                (slot, draft.text, draft.question, timestamp_now(), draft.entry),
            )

    @_recovering
    def draft_slots_newest_first(self) -> list[int]:
        """The slots whose draft holds text or a question, the most recently changed first: a
        window starting alone takes the text last worked on, not an older one. An empty draft
        (a window opened and closed unused) must not hide another's text."""
        rows = self._db.execute(
            "SELECT slot FROM drafts WHERE text != '' OR question != ''"
            " ORDER BY updated DESC, slot"
        ).fetchall()
        return [row["slot"] for row in rows]

    @_recovering
    def load_draft(self, slot: int = 1) -> Draft:
        row = self._db.execute(
            "SELECT text, question, entry FROM drafts WHERE slot = ?", (slot,)
        ).fetchone()
        return Draft(row["text"], row["question"], row["entry"]) if row else Draft()
