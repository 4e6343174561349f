"""The history file's tables, and bringing a file of any earlier version up to them.

A file written by a newer version of the app is refused (``NewerVersion``), not migrated down; a
table of the right name but another layout is reported as damage.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from pathlib import Path

SCHEMA_VERSION = 3
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

# Version 1 kept a single draft; it becomes slot 1.
_MIGRATE_SINGLE_DRAFT = """
INSERT OR IGNORE INTO drafts (slot, text, question, updated)
    SELECT id, text, question, updated FROM draft;
DROP TABLE draft;
"""
# Version 3 remembers which analysis a draft's text is kept in.
_MIGRATE_DRAFT_ENTRY = "ALTER TABLE drafts ADD COLUMN entry INTEGER"


class NewerVersion(sqlite3.DatabaseError):
    """The file's schema is newer than this app's: neither damage nor to be migrated down."""


def prepare_connection(db: sqlite3.Connection, path: Path) -> None:
    """Make ``db`` ready for the store: WAL journal, the current tables (an older file
    migrated), and its layout checked. ``path`` names the file in the NewerVersion message.

    Raises NewerVersion, or another sqlite3.DatabaseError for a file that is damaged or cannot
    be written."""
    if db.execute("PRAGMA user_version").fetchone()[0] > SCHEMA_VERSION:
        raise NewerVersion(
            f"The history file {path} was written by a newer version of Squeeze"
            " Assistant, so this version leaves it as it is."
        )
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    with db:
        db.executescript(_SCHEMA)
        if _has_table(db, "draft"):
            _migrate(db, _MIGRATE_SINGLE_DRAFT, "no such table: draft")
        if "entry" not in _table_columns(db, "drafts"):
            _migrate(db, _MIGRATE_DRAFT_ENTRY, "duplicate column")
        _check_columns(db)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


@functools.cache
def schema_columns() -> dict[str, set[str]]:
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


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return db.execute(query, (name,)).fetchone() is not None


def _migrate(db: sqlite3.Connection, script: str, done_by_another: str) -> None:
    """Run a migration. Two windows opening an old history at once both look and both try;
    the second finding the work done (``done_by_another`` in its error) is no damage."""
    try:
        db.executescript(script)
    except sqlite3.OperationalError as exc:
        if done_by_another not in str(exc):
            raise


def _check_columns(db: sqlite3.Connection) -> None:
    """A table of the right name but another layout (not written by this app) is damage."""
    for table, columns in schema_columns().items():
        found = _table_columns(db, table)
        if not columns <= found:
            missing = ", ".join(sorted(columns - found))
            raise sqlite3.DatabaseError(f"table {table} lacks the columns {missing}")
