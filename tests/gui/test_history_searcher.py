"""The history search runs off the GUI thread: the window goes on while it reads, only the
newest search is shown, a stale one stops within a few rows, and a history kept in memory or
found damaged is searched where the store is."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import delete

from assistant.gui.widgets import history_panel
from assistant.gui.widgets.history_panel import SEARCHING, HistoryPanel
from assistant.history import HistoryStore, search
from assistant.history.reader import open_reader, select_entries

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


def _search_for(panel: HistoryPanel, query: str) -> None:
    panel.search.setText(query)
    panel.search.returnPressed.emit()  # Enter: at once


def _all_ended(panel: HistoryPanel) -> None:
    """Every search thread has ended, and what it reported has arrived."""
    for thread in panel._searcher._threads:
        thread.join(TIMEOUT_MS / 1000)
        assert not thread.is_alive()
    QApplication.processEvents()


def test_the_window_goes_on_while_a_search_reads_and_says_so_when_it_is_slow(
    qtbot, store, monkeypatch
) -> None:
    """A search read every text on the GUI thread: 0.9 s frozen for 5,000 long entries."""
    monkeypatch.setattr(history_panel, "SEARCHING_NOTE_MS", 50)
    panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")
    gates = _held_searches(monkeypatch)
    started = time.monotonic()
    _search_for(panel, "porto")
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
    _search_for(panel, "porto")
    qtbot.waitUntil(lambda: "porto" in gates, timeout=TIMEOUT_MS)  # its thread is reading
    gates.setdefault("faro", threading.Event()).set()
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        _search_for(panel, "faro")
    gates["porto"].set()  # the older one ends last, and is not shown
    _all_ended(panel)
    assert _texts(panel) == ["Sun in Faro."]


def test_emptying_the_box_lists_every_entry_at_once_and_drops_a_search_still_running(
    qtbot, store, monkeypatch
) -> None:
    panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")
    gates = _held_searches(monkeypatch)
    _search_for(panel, "porto")
    qtbot.waitUntil(lambda: "porto" in gates, timeout=TIMEOUT_MS)
    _search_for(panel, "")  # no words: listed at once, on this thread
    assert len(_texts(panel)) == 2
    gates["porto"].set()
    _all_ended(panel)
    assert len(_texts(panel)) == 2


def test_a_stale_search_stops_reading_within_a_few_rows(qtbot, store, monkeypatch) -> None:
    """Its thread read on to the end (a second over 5,000 long texts) beside the newer one."""
    panel = _panel(qtbot, store, *[f"Parcel {n} came late." for n in range(400)])
    reading = threading.Event()

    def slow(*args: object) -> bool:  # 5 ms a row: two seconds to read them all
        reading.set()
        time.sleep(0.005)
        return search.contains_every_folded(*args)  # type: ignore[arg-type]

    monkeypatch.setattr("assistant.history.reader.contains_every_folded", slow)
    _search_for(panel, "parcel nowhere")
    assert reading.wait(TIMEOUT_MS / 1000)
    stopped = time.monotonic()
    _search_for(panel, "")
    (thread,) = panel._searcher._threads
    thread.join(TIMEOUT_MS / 1000)
    assert time.monotonic() - stopped < 1.0
    assert len(_texts(panel)) == 400


def test_closing_during_a_search_ends_it_and_says_nothing(qtbot, store, monkeypatch) -> None:
    """The interrupted search was told as "The history cannot be used just now (interrupted)"
    and emptied the list."""
    panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")
    gates = _held_searches(monkeypatch)
    _search_for(panel, "porto")
    qtbot.waitUntil(lambda: "porto" in gates, timeout=TIMEOUT_MS)
    gates["porto"].set()  # it ends during the wait at closing
    panel.stop_searching()
    _all_ended(panel)
    assert panel.notice.text() == "" and len(_texts(panel)) == 2


def test_a_search_failing_outside_sqlite_still_ends_the_wait(qtbot, store, monkeypatch) -> None:
    """Only SQLite's errors were reported: "Searching…" stayed and every pick waited forever."""
    panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")

    def broken(*args: object) -> list:
        raise ValueError("a bug")

    monkeypatch.setattr("assistant.gui.history_searcher.select_entries", broken)
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        _search_for(panel, "faro")
    assert "cannot be used just now (a bug)" in panel.notice.text()
    assert panel._waiting is None


def test_a_history_kept_in_memory_is_searched_in_a_copy_on_the_thread(
    qtbot, tmp_path, monkeypatch
) -> None:
    """Searched on the GUI thread, 5,000 salvaged long texts froze it 0.4 s a search; another
    connection to the memory database would hold the store's writes for a whole search."""
    with closing(
        HistoryStore(tmp_path / "history.sqlite3", unsaved_reason="The disk is full.")
    ) as store:
        panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")
        gates = _held_searches(monkeypatch)
        _search_for(panel, "faro")
        qtbot.waitUntil(lambda: "faro" in gates, timeout=TIMEOUT_MS)  # on its thread
        started = time.monotonic()
        store.add("Faro again.", "", {})  # written while the search reads
        assert time.monotonic() - started < 0.5
        with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
            gates["faro"].set()
        assert _texts(panel) == ["Sun in Faro."]  # the copy taken when it began
        with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
            panel.search.returnPressed.emit()
        assert _texts(panel) == ["Faro again.", "Sun in Faro."]  # a new copy, each search


def test_a_search_ending_after_its_panel_was_deleted_reaches_nothing(
    qtbot, store, monkeypatch
) -> None:
    """Its outcome, queued for the deleted panel, raised "Internal C++ object already
    deleted" (an "Unexpected error" dialog in the app)."""
    panel = HistoryPanel(store)  # kept by this test, its C++ side deleted below
    gates = _held_searches(monkeypatch)
    _search_for(panel, "faro")
    qtbot.waitUntil(lambda: "faro" in gates, timeout=TIMEOUT_MS)
    threads = set(panel._searcher._threads)
    delete(panel)
    gates["faro"].set()
    for thread in threads:
        thread.join(TIMEOUT_MS / 1000)
    QApplication.processEvents()  # an exception in a slot fails the test here (pytest-qt)


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
    store_search: Callable[..., list] = store.search
    monkeypatch.setattr(
        store, "search", lambda query, **kw: here.append(query) or store_search(query, **kw)
    )
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        _search_for(panel, "faro")
    assert here == (["faro"] if searched_here else [])
    assert _texts(panel) == (["Sun in Faro."] if searched_here else [])
    assert ("database is locked" in panel.notice.text()) is not searched_here


def _searches_started(panel: HistoryPanel, monkeypatch) -> list[str]:
    started: list[str] = []
    search = panel._searcher.search
    monkeypatch.setattr(
        panel._searcher, "search", lambda request: started.append(request.query) or search(request)
    )
    return started


def test_an_analysis_kept_while_a_search_shows_puts_its_own_row_right_without_a_search(
    qtbot, store, monkeypatch
) -> None:
    """Each pause in typing kept the analysis and searched every text again: a second of a
    2-core laptop's work beside the analysis, and "Searching…" made the list jump."""
    panel = _panel(qtbot, store, "Rain in Porto.", "Sun in Faro.")
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        _search_for(panel, "faro")
    started = _searches_started(panel, monkeypatch)
    kept = store.add("Faro again, at last.", "", {})
    panel.entry_written(kept)
    assert _texts(panel) == ["Faro again, at last.", "Sun in Faro."]
    store.update(kept, "Lisbon now.", "", {}, if_holds=("Faro again, at last.", ""))
    panel.entry_written(kept)  # edited: it no longer holds the word
    assert _texts(panel) == ["Sun in Faro."]
    panel.entry_written(store.add("Rain again.", "", {}))
    assert _texts(panel) == ["Sun in Faro."] and started == []


def test_a_deleted_entry_leaves_a_searched_list_at_once(qtbot, store, monkeypatch) -> None:
    """It stayed listed, selected, for the second a new search took."""
    panel = _panel(qtbot, store, "Sun in Faro.", "Faro again.", "Faro at night.")
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        _search_for(panel, "faro")
    started = _searches_started(panel, monkeypatch)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    panel.list.setCurrentRow(1)
    panel.delete_selected()
    assert _texts(panel) == ["Faro at night.", "Sun in Faro."]
    assert panel.list.currentRow() == 1 and started == []


def test_a_pick_the_new_list_lacks_leaves_its_first_row_current_for_enter(
    qtbot, store, monkeypatch
) -> None:
    """Typed, then Tab, Down, Enter at once: Down picked a row of the old list, the new list
    lacked it, and nothing was current, so Enter again did nothing."""
    panel = _panel(qtbot, store, "Sun in Faro.", "Rain in Porto.")
    panel.show()
    qtbot.waitExposed(panel)
    opened: list[object] = []
    panel.open_requested.connect(opened.append)
    panel.search.setText("faro")  # the search waits for the pause in typing
    panel.list.setFocus()
    panel.list.setCurrentRow(0)  # Porto, which the search takes away
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        panel.open_selected()
    assert opened == [] and panel.list.currentRow() == 0
    panel.open_selected()
    assert [entry.text for entry in opened] == ["Sun in Faro."]


MORE = "Showing the newest 500 matches: add words to narrow it."


def _searched(qtbot, panel: HistoryPanel, query: str) -> None:
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        _search_for(panel, query)


def _yes_to_deleting(monkeypatch, meanwhile: Callable[[], None] = lambda: None) -> None:
    """Deletions confirmed, after ``meanwhile`` runs while the question is open."""

    def answered(*args: object) -> QMessageBox.StandardButton:
        meanwhile()
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answered)


def test_a_list_of_the_newest_500_matches_still_says_so_after_a_write(
    qtbot, store, monkeypatch
) -> None:
    """The note went after any analysis kept, and a deleted row left 499 with no 501st."""
    with store._db:  # 600 rows at once, oldest first
        store._db.executemany(
            "INSERT INTO analyses (created, updated, text, question, results)"
            " VALUES (?1, ?1, ?2, '', '{}')",
            [(f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}", f"Faro {n}.") for n in range(600)],
        )
    panel = _panel(qtbot, store)
    _searched(qtbot, panel, "faro")
    assert panel.list_note.text() == MORE
    panel.entry_written(store.add("Rain in Porto.", "", {}))
    assert panel.list_note.text() == MORE and panel.list.count() == 500
    _yes_to_deleting(monkeypatch)
    panel.list.setCurrentRow(0)
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        panel.delete_selected()
    assert _texts(panel)[0] == "Faro 598." and _texts(panel)[-1] == "Faro 99."  # one more in
    assert panel.list_note.text() == MORE


def test_a_row_kept_while_a_search_shows_lists_its_text_cut_as_the_others(qtbot, store) -> None:
    """Its tooltip held all 20,000 characters, built on the window's thread at each pause."""
    panel = _panel(qtbot, store, "Sun in Faro.")
    _searched(qtbot, panel, "faro")
    panel.entry_written(store.add("Faro " + "and more " * 2500, "", {}))
    assert len(panel.list.item(0).toolTip()) < history_panel.TOOLTIP_CHARS + 50


def test_a_delete_takes_out_the_row_of_its_entry_though_the_list_changed_meanwhile(
    qtbot, store, monkeypatch
) -> None:
    """An analysis kept while the question was open moved the current row: its neighbour
    left the list, though it was still kept."""
    panel = _panel(qtbot, store, "Sun in Faro.", "Faro again.", "Faro at night.")
    _searched(qtbot, panel, "faro")
    again = store.search("again")[0].id

    def kept_meanwhile() -> None:
        store.update(again, "Lisbon now.", "", {}, if_holds=("Faro again.", ""))
        panel.entry_written(again)

    _yes_to_deleting(monkeypatch, kept_meanwhile)
    panel.list.setCurrentRow(1)  # "Faro again.": edited while asked, then deleted
    panel.delete_selected()
    assert _texts(panel) == ["Faro at night.", "Sun in Faro."]


def test_a_search_lists_an_entry_as_it_read_it_though_it_is_edited_meanwhile(store) -> None:
    """The ids were matched in one reading and their entries fetched in another: an entry
    edited in between was listed with a text that did not hold the words."""
    for text in ("Sun in Faro.", "Faro again.", "Faro at night."):
        store.add(text, "", {})
    again = store.search("again")[0].id
    asked: list[int] = []

    def edit_once() -> bool:  # asked before each batch: the second time, the rows were read
        asked.append(again)
        if len(asked) == 2:
            store.update(again, "Lisbon now.", "", {}, if_holds=("Faro again.", ""))
        return True

    with closing(open_reader(store.path)) as db:
        found = select_entries(db, "faro", 10, None, edit_once)
    assert len(asked) > 1 and [entry.text for entry in found] == [
        "Faro at night.", "Faro again.", "Sun in Faro."
    ]  # fmt: skip


def test_analyses_kept_while_a_search_runs_are_put_right_once_it_is_shown(
    qtbot, store, monkeypatch
) -> None:
    """Each kept analysis restarted the search: while a person typed, the list never came."""
    panel = _panel(qtbot, store, "Sun in Faro.")
    gates = _held_searches(monkeypatch)
    _search_for(panel, "faro")
    qtbot.waitUntil(lambda: "faro" in gates, timeout=TIMEOUT_MS)
    started = _searches_started(panel, monkeypatch)
    kept = store.add("Faro again.", "", {})
    panel.entry_written(kept)
    panel.entry_written(store.add("Rain in Porto.", "", {}))
    assert started == []  # the search under way goes on
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        gates["faro"].set()
    assert _texts(panel) == ["Faro again.", "Sun in Faro."] and started == []


def test_the_selected_entry_leaving_the_list_selects_no_other_and_is_selected_back(
    qtbot, store
) -> None:
    """Its neighbour was selected instead, for Open or Delete to act on unseen."""
    panel = _panel(qtbot, store, "Sun in Faro.", "Faro again.", "Faro at night.")
    _searched(qtbot, panel, "faro")
    again = store.search("again")[0].id
    panel.list.setCurrentRow(1)
    store.update(again, "Lisbon now.", "", {}, if_holds=("Faro again.", ""))
    panel.entry_written(again)
    assert panel.selected() is None and not panel.open_button.isEnabled()
    store.update(again, "Faro again.", "", {}, if_holds=("Lisbon now.", ""))
    panel.entry_written(again)
    assert panel.selected() == again and _texts(panel)[0] == "Faro again."
