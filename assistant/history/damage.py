"""What the history store does with a file that cannot be used: tell damage (set the file
aside) from a file only unavailable now (leave it alone), name where a damaged file goes, open
it for reading only, and copy what can still be read of it into a new one."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.history.rows import decoded

# SQLite result codes (the low byte of an extended code) of a file that is intact but cannot be
# used now: SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL,
# SQLITE_CANTOPEN.
_UNAVAILABLE_CODES = frozenset({3, 5, 6, 8, 10, 13, 14})
_UNAVAILABLE_WORDS = ("locked", "readonly", "unable to open", "is full", "disk I/O")


def is_unavailable(exc: sqlite3.Error) -> bool:
    """Locked, read-only, unopenable or full: leave the file alone. Anything else (not a
    database, malformed, a wrong schema) is damage."""
    return _is_one_of(exc, _UNAVAILABLE_CODES, _UNAVAILABLE_WORDS)


def is_locked(exc: sqlite3.Error) -> bool:
    """Another connection holds the file: a write waited the whole timeout before this."""
    return _is_one_of(exc, frozenset({5, 6}), ("locked",))  # SQLITE_BUSY, SQLITE_LOCKED


_READ_ONLY_CODES = frozenset({8, 14})  # SQLITE_READONLY, SQLITE_CANTOPEN
_SQLITE_IOERR_SHMSIZE = 4874  # no room for the -shm index of a WAL file (a full disk)


def is_read_only(exc: sqlite3.Error) -> bool:
    """The file, its folder or the disk cannot be written (not merely locked by another
    process). A full disk is told apart from other I/O errors by its extended code only."""
    no_room_for_index = getattr(exc, "sqlite_errorcode", None) == _SQLITE_IOERR_SHMSIZE
    return no_room_for_index or _is_one_of(exc, _READ_ONLY_CODES, ("readonly", "unable to open"))


_DAMAGE_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB


def is_damage(exc: sqlite3.Error) -> bool:
    """A broken page or header: SQLite finds one only when it reads it, often mid-session."""
    return _is_one_of(exc, _DAMAGE_CODES, ("malformed", "not a database"))


def _is_one_of(exc: sqlite3.Error, codes: frozenset[int], words: tuple[str, ...]) -> bool:
    """By SQLite's result code (the low byte of an extended code; Python 3.11 and later), else
    by the words of its message."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in codes
    return any(word in str(exc) for word in words)


def aside_name(path: Path) -> Path:
    """A name beside ``path`` that no earlier damaged file has: two windows may set one aside
    in the same second."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    names = (
        path.with_name(f"{path.name}.damaged-{stamp}{f'-{n}' if n > 1 else ''}")
        for n in itertools.count(1)
    )
    return next(
        name
        for name in names
        if not any(Path(f"{name}{suffix}").exists() for suffix in ("", "-wal", "-shm"))
    )


def file_id(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names now (device, inode): it changes when another window sets the
    file aside and begins a new one; None when there is no file."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def open_read_only(path: Path) -> sqlite3.Connection:
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
    db.text_factory = decoded
    return db


def _has_rows_in_wal(path: Path) -> bool:
    """A non-empty -wal file beside ``path``: recent writes not yet copied into the file."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


def readable_rows(db: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    """The rows of a damaged table that can still be read (its key first in ``columns``): in
    key order up to the first broken page, then from the end back to it."""
    rows: dict[Any, tuple[Any, ...]] = {}
    for order in ("ASC", "DESC"):
        with contextlib.suppress(sqlite3.DatabaseError):
            query = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {columns[0]} {order}"
            for row in db.execute(query):
                rows[row[0]] = tuple(row)
    return list(rows.values())


def copy_rows(
    old: sqlite3.Connection,
    new: sqlite3.Connection,
    table: str,
    columns: list[str],
    renumber: bool,
) -> int:
    """Insert the readable rows of ``table`` (its key first in ``columns``) into ``new`` under
    their own keys; with ``renumber``, a row whose key another window took meanwhile gets a new
    one. Returns how many were kept."""
    others = columns[1:]
    insert = "INSERT OR IGNORE INTO {} ({}) VALUES ({})"
    with new:
        before = new.total_changes
        for row in readable_rows(old, table, columns):
            cursor = new.execute(insert.format(table, ", ".join(columns), _marks(row)), row)
            if renumber and not cursor.rowcount:
                new.execute(insert.format(table, ", ".join(others), _marks(row[1:])), row[1:])
        return new.total_changes - before


def _marks(values: tuple[Any, ...]) -> str:
    return ", ".join("?" * len(values))
