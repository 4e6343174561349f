"""The history search runs off the GUI thread: the window goes on while it reads, a newer
search wins, and a history kept in memory or found damaged is searched as well."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing

import pytest

from assistant.gui.widgets import history_panel
from assistant.gui.widgets.history_panel import SEARCHING, HistoryPanel
from assistant.history import HistoryStore
from assistant.history.reader import select_entries

TIMEOUT_MS = 5000


def _held_searches(monkeypatch) -> dict[str, threading.Event]:
    """Searches for a query wait on its event (created on demand) before reading."""
    gates: dict[str, threading.Event] = {}

    def held(db: sqlite3.Connection, query: str, *args: object) -> list:
        gate = gates.setdefault(query, threading.Event())
        assert gate.wait(TIMEOUT_MS / 1000), f"the search for {query!r} was never let go"
        return select_entries(db, query, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("assistant.gui.history_searcher.select_entries", held)
    return gates


def _panel(qtbot, store: HistoryStore, *texts: str) -> HistoryPanel:
    for text in texts:
        store.add(text, "", {})
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    return panel


def _texts(panel: HistoryPanel) -> list[str]:
    return [panel.list.item(row).toolTip().split("\n\n")[1] for row in range(panel.list.count())]


def test_the_window_goes_on_while_a_search_reads_and_says_so_when_it_is_slow(
    qtbot, store, monkeypatch
) -> None:
    """A search read every text on the GUI thread: 0.9 s frozen for 5,000 long entries."""
    monkeypatch.setattr(history_panel, "SEARCHING_NOTE_MS", 50)
    panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")
    gates = _held_searches(monkeypatch)
    started = time.monotonic()
    panel.search.setText("porto")
    panel.search.returnPressed.emit()
    assert time.monotonic() - started < 1.0  # back at once, the search still held
    assert _texts(panel) == ["Sun in Faro.", "Rain in Porto."]  # the last list, meanwhile
    qtbot.waitUntil(lambda: panel.list_note.text() == SEARCHING, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        gates["porto"].set()
    assert _texts(panel) == ["Rain in Porto."]
    assert panel.list_note.isHidden()


def test_a_newer_search_wins_over_one_that_ends_after_it(qtbot, store, monkeypatch) -> None:
    panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")
    gates = _held_searches(monkeypatch)
    panel.search.setText("porto")
    panel.search.returnPressed.emit()
    qtbot.waitUntil(lambda: "porto" in gates, timeout=TIMEOUT_MS)  # its thread is reading
    panel.search.setText("faro")
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        panel.search.returnPressed.emit()
        gates.setdefault("faro", threading.Event()).set()
    gates["porto"].set()  # the older one ends last, and is not shown
    qtbot.wait(200)
    assert _texts(panel) == ["Sun in Faro."]


def test_emptying_the_box_lists_every_entry_at_once_and_a_search_still_running_is_dropped(
    qtbot, store, monkeypatch
) -> None:
    panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")
    gates = _held_searches(monkeypatch)
    panel.search.setText("porto")
    panel.search.returnPressed.emit()
    qtbot.waitUntil(lambda: "porto" in gates, timeout=TIMEOUT_MS)
    panel.search.clear()
    panel.search.returnPressed.emit()  # no words: listed at once, on this thread
    assert len(_texts(panel)) == 2
    gates["porto"].set()
    qtbot.wait(200)
    assert len(_texts(panel)) == 2


def test_a_history_kept_in_memory_is_searched_on_the_thread_too(qtbot, tmp_path) -> None:
    with closing(
        HistoryStore(tmp_path / "history.sqlite3", unsaved_reason="The disk is full.")
    ) as store:
        panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")
        with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
            panel.search.setText("faro")
            panel.search.returnPressed.emit()
        assert _texts(panel) == ["Sun in Faro."]
        store.add("Faro again.", "", {})  # written while another connection reads it
        with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
            panel.search.returnPressed.emit()
        assert _texts(panel) == ["Faro again.", "Sun in Faro."]


@pytest.mark.parametrize(
    ("error", "searched_here"),
    [
        (sqlite3.DatabaseError("database disk image is malformed"), True),
        (sqlite3.OperationalError("database is locked"), False),
    ],
    ids=["damaged", "locked"],
)
def test_a_damaged_history_is_searched_again_where_the_store_sets_it_aside(
    qtbot, store, monkeypatch, error: sqlite3.Error, searched_here: bool
) -> None:
    panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")

    def failing(*args: object) -> list:
        raise error

    monkeypatch.setattr("assistant.gui.history_searcher.select_entries", failing)
    here: list[str] = []
    search: Callable[..., list] = store.search
    monkeypatch.setattr(
        store, "search", lambda query, **kw: here.append(query) or search(query, **kw)
    )
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        panel.search.setText("faro")
        panel.search.returnPressed.emit()
    assert here == (["faro"] if searched_here else [])
    assert _texts(panel) == (["Sun in Faro."] if searched_here else [])
    assert ("database is locked" in panel.notice.text()) is not searched_here
