"""History searches off the GUI thread: a search reads every kept text (0.9 s for five words over
5,000 entries of 18,000 characters, see assistant/history/reader.py), and the window must not
freeze while it does.

Each search runs on a short-lived thread with a connection of its own, and reports back with
queued signals, ``found(search_id, entries)`` or ``failed(search_id, error)``. A newer search,
or ``stop``, makes the others stale: a stale one stops within a batch of rows (16, a few
milliseconds), and it does not report (one made stale just as it reports may, so a receiver
keeps to the id it waits for). As in workers.py, the thread enters PySide only to
emit (PYSIDE-3124). This object belongs to the application, not to the window that searches:
a closing window would delete it while a thread emits, or a thread would delete it last.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from assistant.history import HistoryEntry
from assistant.history.reader import open_reader, select_entries


@dataclass(frozen=True)
class SearchRequest:
    """One search of a history (its store's ``reading_source``: a file, or a copy)."""

    source: Path | sqlite3.Connection
    query: str
    limit: int
    text_chars: int


class HistorySearcher(QObject):
    """Starts searches; only the newest one's outcome is reported."""

    found = Signal(int, object)  # search id, list[HistoryEntry]
    failed = Signal(int, object)  # search id, the exception

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self._ids = itertools.count(1)
        self._latest = 0  # the one search still wanted; 0: none
        self._threads: set[threading.Thread] = set()

    def search(self, request: SearchRequest) -> int:
        """Start a search and return its id; every older one becomes stale."""
        self._latest = search_id = next(self._ids)
        self._threads = {thread for thread in self._threads if thread.is_alive()}
        thread = threading.Thread(
            target=self._run, args=(search_id, request), name="history search", daemon=True
        )
        thread.start()
        self._threads.add(thread)  # once started: ``stop`` joins only those
        return search_id

    def stop(self, timeout_s: float = 0.0) -> bool:
        """Make every search stale; with ``timeout_s``, wait that long for their threads to end
        (the window closes: none may emit once it is gone). False if one is still running."""
        self._latest = 0
        for thread in self._threads:
            thread.join(timeout_s)
        return not any(thread.is_alive() for thread in self._threads)

    def _run(self, search_id: int, request: SearchRequest) -> None:
        """The search thread: search, close, then report, if still wanted. Closed first: on
        Windows the panel cannot set a damaged file aside while this holds it open."""

        def stale() -> bool:
            return search_id != self._latest

        outcome: list[HistoryEntry] | Exception
        try:
            outcome = _select(request, stale)
        except Exception as exc:  # any failure is reported: the panel waits for an outcome
            outcome = exc
        if stale():
            return
        if isinstance(outcome, Exception):
            self.failed.emit(search_id, outcome)
        else:
            self.found.emit(search_id, outcome)


def _select(request: SearchRequest, stale: Callable[[], bool]) -> list[HistoryEntry]:
    """The entries found, on a connection closed before they are reported; a search that
    turns ``stale`` stops within a batch of rows."""
    with contextlib.closing(open_reader(request.source)) as db:
        return select_entries(
            db, request.query, request.limit, request.text_chars, lambda: not stale()
        )
