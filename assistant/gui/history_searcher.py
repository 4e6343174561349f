"""History searches off the GUI thread: a search reads every kept text (0.9 s for five words over
5,000 entries of 18,000 characters, see assistant/history/reader.py), and the window must not
freeze while it does.

Each search runs on a short-lived thread with a connection of its own, and reports back with
queued signals, ``found(search_id, entries)`` or ``failed(search_id, error)``. A newer search
interrupts the ones still running (``sqlite3.Connection.interrupt`` is safe from any thread); the
panel drops whatever arrives for a search it no longer waits for. As in workers.py, the thread
enters PySide only to emit (PYSIDE-3124).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import sqlite3
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from assistant.history import HistoryEntry
from assistant.history.reader import open_reader, select_entries

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchRequest:
    """One search of the history at ``address`` (its store's ``reader_address``)."""

    address: str
    query: str
    limit: int
    text_chars: int


class HistorySearcher(QObject):
    """Starts searches and interrupts the ones a newer search makes stale."""

    found = Signal(int, object)  # search id, list[HistoryEntry]
    failed = Signal(int, object)  # search id, sqlite3.Error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._latest = 0
        self._running: dict[int, sqlite3.Connection] = {}

    def search(self, request: SearchRequest) -> int:
        """Start a search and return its id; any search still running is interrupted."""
        search_id = next(self._ids)
        with self._lock:
            self._latest = search_id
        self.stop()
        threading.Thread(
            target=self._run, args=(search_id, request), name="history search", daemon=True
        ).start()
        return search_id

    def stop(self) -> None:
        """Interrupt every search still running (a newer one started, or the window closes)."""
        with self._lock:
            for db in self._running.values():
                db.interrupt()

    def _run(self, search_id: int, request: SearchRequest) -> None:
        """The search thread: open, search, report, close. A search made stale before it
        began is not begun: an interrupt reaches only a statement already running."""
        try:
            db = open_reader(request.address)
        except sqlite3.Error as exc:
            self._report(search_id, exc)
            return
        with self._lock:
            if search_id != self._latest:
                db.close()
                return
            self._running[search_id] = db
        try:
            self._report(
                search_id, select_entries(db, request.query, request.limit, request.text_chars)
            )
        except sqlite3.Error as exc:  # interrupted ones too: the panel no longer waits for them
            self._report(search_id, exc)
        finally:
            with self._lock:
                del self._running[search_id]
                db.close()

    def _report(self, search_id: int, outcome: list[HistoryEntry] | sqlite3.Error) -> None:
        """Emit, unless the window (and with it this object) is gone meanwhile."""
        with contextlib.suppress(RuntimeError):
            if isinstance(outcome, sqlite3.Error):
                self.failed.emit(search_id, outcome)
            else:
                self.found.emit(search_id, outcome)
