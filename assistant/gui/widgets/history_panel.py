"""Past analyses: search, reopen, delete one, delete all."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, time, timedelta

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.gui.history_searcher import HistorySearcher, SearchRequest
from assistant.gui.widgets.history_wording import history_item, list_note
from assistant.gui.widgets.notice_banner import NoticeBanner
from assistant.history import HistoryEntry, HistoryStore
from assistant.history.damage import is_damage
from assistant.history.search import contains_every_folded, search_words

log = logging.getLogger(__name__)

TOOLTIP_CHARS = 500
SHOWN_ENTRIES = 500
"""The most rows the list holds: a longer list only slows every search, and a search finds older
entries."""


SEARCH_PAUSE_MS = 150
"""Typing in the search box pauses this long before the history is searched."""
SEARCHING_NOTE_MS = 300
"""A search still running after this long says so: the list shown is the last one."""
SEARCHING = "Searching…"
STOP_TIMEOUT_S = 1.0
"""How long closing waits for a search's thread: a stale search ends within milliseconds."""


class HistoryPanel(QWidget):
    """Lists the store's newest entries, or those a search finds (on a thread of its own);
    ``open_requested(entry)`` to reopen one, ``listed`` each time the list is shown anew."""

    open_requested = Signal(object)
    listed = Signal()

    def __init__(self, store: HistoryStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search history")
        self.search.setAccessibleName("Search history")
        self.search.setClearButtonEnabled(True)
        # A search reads every entry (0.4 s for five words over 5,000 entries of 18,000
        # characters, 0.9 s where they are Arabic, Chinese or Russian), so it runs once typing
        # pauses, or at once on Enter, not once per key, and off this thread.
        self._searcher = HistorySearcher()
        self._searcher.found.connect(self._found)
        self._searcher.failed.connect(self._search_failed)
        self._waiting: tuple[int, str] | None = None  # the search the list waits for, its query
        self._pick: tuple[int, Callable[[int], None]] | None = None  # acted on once listed
        self._searching_note = QTimer(self)
        self._searching_note.setSingleShot(True)
        self._searching_note.setInterval(SEARCHING_NOTE_MS)
        self._searching_note.timeout.connect(self._say_searching)
        self._shown_all: bool | None = None  # the list holds every match; None: no result
        self._written_meanwhile: list[int] = []  # entries kept while a search ran
        self._selected_left: int | None = None  # the selected entry, out while it lacks words
        self._search_pause = QTimer(self)
        self._search_pause.setSingleShot(True)
        self._search_pause.setInterval(SEARCH_PAUSE_MS)
        self._search_pause.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_pause.start)
        self.search.returnPressed.connect(self.refresh)  # also a manual re-read of the list
        self.search.editingFinished.connect(self._search_if_typed)  # Tab away
        self.search.installEventFilter(self)  # Escape empties it
        self.list = QListWidget()
        self.list.setAccessibleName("Past analyses, newest first")
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemActivated.connect(self.open_selected)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_selected)
        self.list.currentItemChanged.connect(self._update_buttons)
        self.list_note = QLabel()  # what the list leaves out; hidden when it shows all
        self.list_note.setAccessibleDescription("History list note")
        self.list_note.setWordWrap(True)
        self.list_note.setVisible(False)
        self.open_button = QPushButton("&Open")
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setAccessibleName("Delete the selected analysis")
        self.delete_button.clicked.connect(self.delete_selected)
        self.clear_button = QPushButton("Delete a&ll…")
        self.clear_button.setAccessibleName("Delete all analyses")
        self.clear_button.clicked.connect(self.confirm_delete_all)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.delete_button, self.clear_button):
            buttons.addWidget(button)
        self.notice = NoticeBanner("History warning")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.notice)
        layout.addWidget(self.search)
        layout.addWidget(self.list_note)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._midnight = QTimer(self)  # today's rows show a time only: at midnight, the day
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self.refresh)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Escape empties the search box, as in most search boxes, and the whole list shows at
        once. In an empty box it is left to the window (while an answer is read, the menus'
        Escape stops it before the box sees the key)."""
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
            and self.search.text()
        ):
            self.search.clear()
            self.refresh()
            return True
        return super().eventFilter(watched, event)

    def _search_if_typed(self) -> None:
        """Tab away from the box: what was typed is searched for at once, not after the pause."""
        if self._search_pause.isActive():
            self.refresh()

    def refresh(self) -> None:
        """Show the list for the search box's words: without words at once (the newest entries,
        read through the index in milliseconds), else once the search thread has read them."""
        self._search_pause.stop()
        self._written_meanwhile = []  # this reading holds them
        query = self.search.text()
        words, _left_out = search_words(query)
        if words:
            source = self._store.reading_source()
            request = SearchRequest(source, query, SHOWN_ENTRIES + 1, TOOLTIP_CHARS)
            self._waiting = (self._searcher.search(request), query)
            self._searching_note.start()
            return
        self._searcher.stop()
        self._waiting = None
        self._fill(query, *self._search_here(query))

    def stop_searching(self) -> None:
        """End a search still running, waiting a moment for its thread (the window closes: it
        must not report to a window gone), and forget a pick waiting for it."""
        self._searcher.stop(timeout_s=STOP_TIMEOUT_S)
        self._waiting = self._pick = None
        self._searching_note.stop()

    def _search_here(self, query: str) -> tuple[list[HistoryEntry] | None, int | None]:
        """The store's search on this thread, which sets a damaged file aside and goes on in
        a new one; with the count of all entries when no words leave some out (read in the
        index alone). None and None if the history cannot be read just now (said in the panel)."""
        try:  # one more than shown says whether some are left out
            entries = self._store.search(query, limit=SHOWN_ENTRIES + 1, text_chars=TOOLTIP_CHARS)
            total = (
                self._store.count()
                if len(entries) > SHOWN_ENTRIES and not search_words(query)[0]
                else None
            )
        except sqlite3.Error as exc:  # the search may have worked and the count not
            self._tell_problem(exc)
            return None, None
        self._show_store_notice()
        return entries, total

    # Slots, so that Qt drops a search's outcome queued for a panel deleted meanwhile.
    @Slot(int, object)
    def _found(self, search_id: int, entries: list[HistoryEntry]) -> None:
        if self._waiting is None or self._waiting[0] != search_id:
            return  # a newer search (or none) is wanted now
        _search_id, query = self._waiting
        self._waiting = None
        self._show_store_notice()
        self._fill(query, entries, None)
        written, self._written_meanwhile = self._written_meanwhile, []
        for entry_id in dict.fromkeys(written):  # read as they were when the search began
            self.entry_written(entry_id)

    @Slot(int, object)
    def _search_failed(self, search_id: int, exc: Exception) -> None:
        """A damaged file is searched again here, where the store sets it aside; any other
        problem is said in the panel."""
        if self._waiting is None or self._waiting[0] != search_id:
            return  # a newer search (or none) is wanted now
        _search_id, query = self._waiting
        self._waiting, self._written_meanwhile = None, []  # read anew, or not shown
        if isinstance(exc, sqlite3.Error) and is_damage(exc):
            self._fill(query, *self._search_here(query))
            return
        if not isinstance(exc, sqlite3.Error):
            log.error("The history search failed", exc_info=exc)
        self._tell_problem(exc)
        self._fill(query, None, None)

    def _say_searching(self) -> None:
        if self._waiting is not None:
            self.list_note.setText(SEARCHING)
            self.list_note.setVisible(True)

    def _fill(self, query: str, entries: list[HistoryEntry] | None, total: int | None) -> None:
        """Show ``entries`` (None: the history could not be read) found for ``query``, keeping
        the selected entry selected, then act on a pick made while they were searched for."""
        self._searching_note.stop()
        current = self.selected()
        self._selected_left = None
        self.list.clear()
        self._show_list_note(query, None if entries is None else len(entries), total)
        now = datetime.now().astimezone()
        tomorrow = datetime.combine(now.date() + timedelta(days=1), time(), now.tzinfo)
        self._midnight.start(int((tomorrow - now).total_seconds() * 1000) + 1000)
        for entry in (entries or [])[:SHOWN_ENTRIES]:
            self.list.addItem(history_item(entry, now))
            if current is not None and entry.id == current:
                self.list.setCurrentRow(self.list.count() - 1)
        self._shown_all = None if entries is None else len(entries) <= SHOWN_ENTRIES
        self._update_buttons()
        self.listed.emit()
        self._settle_pick()

    def entry_written(self, entry_id: int | None) -> None:
        """An analysis was kept (added, or its entry changed). Without words in the search box
        the list is read again (milliseconds); with words, only that entry's row is put right,
        at the top where it holds them, else taken out: a search of every text at each pause
        in typing was a second's work beside the analysis on a 2-core laptop. A list that is
        not a search's whole result (it failed, or one left the newest 500) is searched again."""
        words, _left_out = search_words(self.search.text())
        if self._search_pause.isActive():
            return  # the search typing left waiting reads it
        if self._waiting is not None and entry_id is not None and words:
            self._written_meanwhile.append(entry_id)  # put right once it is shown: restarted
            return  # at each pause in typing, the search never ended while a person typed
        if entry_id is None or not words or self._shown_all is None:
            self.refresh()
            return
        try:
            entry = self._store.get(entry_id)
        except sqlite3.Error as exc:
            self._tell_problem(exc)
            return
        current = self.selected()
        left = self._take_row(entry_id)
        if entry is not None and contains_every_folded(
            entry.text.encode(), entry.question.encode(), words
        ):
            shown = dataclasses.replace(entry, text=entry.text[:TOOLTIP_CHARS])  # as listed
            self.list.insertItem(0, history_item(shown, datetime.now().astimezone()))
            if current == entry_id or (current is None and self._selected_left == entry_id):
                self.list.setCurrentRow(0)  # selected again as it comes back
            if self.list.count() > SHOWN_ENTRIES:
                self.list.takeItem(SHOWN_ENTRIES)
                self._shown_all = False
        elif left is not None and not self._shown_all:
            self.refresh()  # a row left the newest 500 matches: the next one comes in
            return
        elif current == entry_id:  # not its neighbour instead, for Open or Delete to act on
            self.list.setCurrentRow(-1)
            self._selected_left = entry_id
        self._show_list_note(self.search.text(), self._matches_told(), None)
        self._update_buttons()

    def _matches_told(self) -> int:
        """How many matches the list's note is to go by: those shown, and one more where it
        shows only the newest."""
        return self.list.count() + (0 if self._shown_all else 1)

    def _take_row(self, entry_id: int) -> int | None:
        """Take the entry's row out of the list; where it was, or None if it was not there."""
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == entry_id:
                self.list.takeItem(row)
                return row
        return None

    def _when_listed(self, action: Callable[[int], None]) -> None:
        """Run ``action`` on the selected entry once the list shows what the search box asks
        for: a search that typing left waiting runs first, and a pick the search takes away is
        not acted on (picked from the old list, it was not what the person saw). So a pick made
        while a long search runs (a second over 5,000 long texts) is acted on when it ends."""
        picked = self.selected()
        if picked is None:
            return
        if self._search_pause.isActive():
            self.refresh()
        self._pick = (picked, action)
        if self._waiting is None:
            self._settle_pick()

    def _settle_pick(self) -> None:
        if self._pick is None:
            return
        (picked, action), self._pick = self._pick, None
        if self.selected() == picked:
            action(picked)
        elif self.list.hasFocus() and self.list.count():
            self.list.setCurrentRow(0)  # Down, Enter on the old list: Enter again opens a match

    def _show_list_note(self, query: str, found: int | None, total: int | None) -> None:
        note = list_note(query, found, total, SHOWN_ENTRIES)
        self.list_note.setText(note)
        self.list_note.setVisible(bool(note))

    def _show_store_notice(self) -> None:
        """Why the history is not kept, or where a damaged file went (at start or later)."""
        if self._store.unsaved_reason:
            self.notice.show_notice(
                f"{self._store.unsaved_reason} This session's analyses and text are kept only"
                " until the app closes."
            )
        else:
            self.notice.show_notice(self._store.set_aside_note)

    def _tell_problem(self, exc: Exception) -> None:
        """In the panel, not in an error dialog: the file locked by another program for longer
        than the wait, say."""
        log.warning("Cannot use the history: %s", exc)
        self.notice.show_notice(f"The history cannot be used just now ({exc}).")

    def selected(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def delete_selected(self) -> None:
        """After asking: the Delete key acts on the entry that Tab made current, unseen."""
        self._when_listed(self._confirm_delete)

    def _confirm_delete(self, entry_id: int) -> None:
        answer = QMessageBox.question(
            self,
            "Delete from history",
            f"Delete this analysis from the history?\n\n{self.list.currentItem().text()}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            try:
                self._store.delete(entry_id)
            except sqlite3.Error as exc:
                self._tell_problem(exc)
                return
            row = self._take_row(entry_id)  # at once, by its id: the box let the list change
            if row is not None:
                self.list.setCurrentRow(min(row, self.list.count() - 1))
            if search_words(self.search.text())[0] and self._shown_all and self._waiting is None:
                self._show_list_note(self.search.text(), self._matches_told(), None)
                self._update_buttons()
            else:  # the newest, or the newest 500 matches: one more may now show
                self.refresh()

    def confirm_delete_all(self) -> None:
        answer = QMessageBox.question(
            self,
            "Delete all history",
            "Delete every kept analysis? This cannot be undone. The current text stays.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            try:
                self._store.clear()
            except sqlite3.Error as exc:
                self._tell_problem(exc)
                return
            self.refresh()

    def open_selected(self) -> None:
        """Enter, a double click or Open: the selected entry opens in the window."""
        self._when_listed(self._open)

    def _open(self, entry_id: int) -> None:
        try:
            entry = self._store.get(entry_id)
        except sqlite3.Error as exc:
            self._tell_problem(exc)
            return
        if entry is not None:
            self.open_requested.emit(entry)

    def _update_buttons(self) -> None:
        has_selection = self.list.currentItem() is not None
        self.open_button.setEnabled(has_selection)
        self.delete_button.setEnabled(has_selection)
        self.clear_button.setEnabled(self.list.count() > 0)
