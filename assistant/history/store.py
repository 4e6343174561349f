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
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from assistant.history.damage import (
    aside_name,
    copy_rows,
    file_id,
    is_damage,
    is_read_only,
    is_unavailable,
)
from assistant.locations import data_dir

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

_SCHEMA_VERSION = 3
LOCK_WAIT_S = 5.0
"""How long to wait for another process's write lock before giving up (sqlite3's default)."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    text TEXT NOT NULL,
    question TEXT NOT NULL DEFAULT '',
    results TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS analyses_updated ON analyses(updated);
CREATE TABLE IF NOT EXISTS drafts (
    slot INTEGER PRIMARY KEY CHECK (slot >= 1),
    text TEXT NOT NULL,
    question TEXT NOT NULL,
    updated TEXT NOT NULL,
    entry INTEGER
);
"""


@functools.cache
def _schema_columns() -> dict[str, set[str]]:
    """Each table's columns as ``_SCHEMA`` creates them, read from an empty in-memory copy."""
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        db.executescript(_SCHEMA)
        tables = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            table: _table_columns(db, table) for table in tables if not table.startswith("sqlite_")
        }


def _table_columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


# Version 1 kept a single draft; it becomes slot 1.
_MIGRATE_SINGLE_DRAFT = """
INSERT OR IGNORE INTO drafts (slot, text, question, updated)
    SELECT id, text, question, updated FROM draft;
DROP TABLE draft;
"""
# Version 3 remembers which analysis a draft's text is kept in.
_MIGRATE_DRAFT_ENTRY = "ALTER TABLE drafts ADD COLUMN entry INTEGER"


def _migrate(db: sqlite3.Connection, script: str, done_by_another: str) -> None:
    """Run a migration. Two windows opening an old history at once both look and both try;
    the second finding the work done (``done_by_another`` in its error) is no damage."""
    try:
        db.executescript(script)
    except sqlite3.OperationalError as exc:
        if done_by_another not in str(exc):
            raise


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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _decoded(value: bytes) -> str:
    """Text as the app reads it: bytes that are not UTF-8 (another program's edit) read as
    U+FFFD, so that one such row never stops the start or hides the rest of the history."""
    return value.decode("utf-8", errors="replace")


def _contains_folded(value: bytes | None, folded_query: str) -> bool:
    """Case-insensitive containment for every alphabet (SQLite's LIKE folds ASCII only). The
    value comes as bytes: Python would fail the whole search on one that is not UTF-8."""
    return value is not None and folded_query in _decoded(value).casefold()


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


class _NewerVersion(sqlite3.DatabaseError):
    """The file's schema is newer than this app's: neither damage nor to be migrated down."""


def _open_read_only(path: Path) -> sqlite3.Connection:
    """``path`` opened for reading only. SQLite reads a WAL file only with its -shm index, which
    it cannot make in a read-only folder or on a full disk: there the file is read as immutable
    (no one can write it either). Not when a -wal file holds rows the file itself lacks yet:
    an immutable read would show a stale history as if it were the whole of it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        db.close()
        if not is_read_only(exc) or _has_rows_in_wal(path):
            raise
        db = sqlite3.connect(f"{uri}&immutable=1", uri=True)
    db.text_factory = _decoded
    return db


def _has_rows_in_wal(path: Path) -> bool:
    """A non-empty -wal file beside ``path``: recent writes not yet copied into the file."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


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
        self._db = sqlite3.connect(
            self.path if unsaved_reason is None else ":memory:", timeout=LOCK_WAIT_S
        )
        self._db.row_factory = sqlite3.Row
        self._db.text_factory = _decoded
        self._db.create_function("contains_folded", 2, _contains_folded, deterministic=True)
        try:
            if self._db.execute("PRAGMA user_version").fetchone()[0] > _SCHEMA_VERSION:
                raise _NewerVersion(
                    f"The history file {self.path} was written by a newer version of Squeeze"
                    " Assistant, so this version leaves it as it is."
                )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._db:
                self._db.executescript(_SCHEMA)
                if self._has_table("draft"):
                    _migrate(self._db, _MIGRATE_SINGLE_DRAFT, "no such table: draft")
                if "entry" not in _table_columns(self._db, "drafts"):
                    _migrate(self._db, _MIGRATE_DRAFT_ENTRY, "duplicate column")
                self._check_columns()
                self._db.execute(f"PRAGMA user_version={_SCHEMA_VERSION}")
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
        except _NewerVersion as exc:  # rewriting it for this version would spoil it for that one
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
            old = _open_read_only(source)
        except (sqlite3.Error, OSError, ValueError) as exc:
            log.warning("Cannot read the history %s to copy what it holds: %s", source, exc)
            return 0
        copied = {}
        with contextlib.closing(old):
            for table, key in (("drafts", "slot"), ("analyses", "id")):
                columns = [key, *sorted(_schema_columns()[table] - {key})]
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

    def _check_columns(self) -> None:
        """A table of the right name but another layout (not written by this app) is damage."""
        for table, columns in _schema_columns().items():
            found = _table_columns(self._db, table)
            if not columns <= found:
                missing = ", ".join(sorted(columns - found))
                raise sqlite3.DatabaseError(f"table {table} lacks the columns {missing}")

    def _has_table(self, name: str) -> bool:
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return self._db.execute(query, (name,)).fetchone() is not None

    @_recovering
    def add(self, text: str, question: str, results: Mapping[str, Any]) -> int:
        """Keep a new analysis and return its id."""
        now = _now()
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
                    _now(),
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
        return _entry(row) if row else None

    @_recovering
    def search(
        self, query: str = "", limit: int = 500, text_chars: int | None = None
    ) -> list[HistoryEntry]:
        """Newest first; a non-empty query matches text or question, case-insensitively
        in any alphabet ("CAFÉ" finds "café").

        With ``text_chars`` each entry's text is cut to that many characters in the query, so a
        list of 500 long texts (searched per keystroke) does not read them all; ``get`` reads one.
        """
        rows = self._db.execute(
            "SELECT id, created, updated, question, results,"
            " CASE WHEN ?3 IS NULL THEN text ELSE substr(text, 1, ?3) END AS text"
            " FROM analyses WHERE contains_folded(CAST(text AS BLOB), ?1)"
            " OR contains_folded(CAST(question AS BLOB), ?1)"
            " ORDER BY updated DESC, id DESC LIMIT ?2",
            (query.strip().casefold(), limit, text_chars),
        ).fetchall()
        return [_entry(row) for row in rows]

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
                (slot, draft.text, draft.question, _now(), draft.entry),
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


def _entry(row: sqlite3.Row) -> HistoryEntry:
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
        return _decoded(value)
    return value if isinstance(value, str) else str(value)


def _results(value: Any) -> dict[str, Any]:
    """Results that are not a JSON object read as none: reopening the entry analyses again."""
    try:
        results = json.loads(value)
    except (TypeError, ValueError, RecursionError):
        return {}
    return results if isinstance(results, dict) else {}
