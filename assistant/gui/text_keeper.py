"""Where the window's text is kept for the user: its history entry, and the draft that brings it
back at the next start; and, at close, whether some of it would be lost.

An analysed text goes into a history entry; edits of the same text update that entry until the
text is cleared, replaced as a whole (a paste over all of it) or another is opened. The draft,
saved at each pause in typing, names the entry, so a start after a crash reopens it instead of
analysing the text into a twin.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from assistant.gui.draft_slot import DraftSlot
from assistant.gui.widgets.status_line import StatusLine
from assistant.history import Draft, HistoryEntry, HistoryStore
from assistant.history.damage import is_locked

log = logging.getLogger(__name__)

DRAFT_SAVE_MS = 500  # a pause in typing this long saves the draft (a save per keystroke lags)

TextAndQuestion = tuple[str, str]


class TextKeeper(QObject):
    """The history entry and draft of one window.

    ``shown`` gives the editor's text and the question as typed (what the draft keeps);
    ``entry_written(entry_id)`` is called after each entry write (the history panel shows it).
    A failed write is told in ``status_line``, not in a dialog at every pause in typing.
    """

    def __init__(
        self,
        store: HistoryStore,
        shown: Callable[[], TextAndQuestion],
        status_line: StatusLine,
        entry_written: Callable[[int | None], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._shown = shown
        self._status_line = status_line
        self._entry_written = entry_written
        self.entry_id: int | None = None
        self.entry_holds: TextAndQuestion = ("", "")  # what this window last saw in its entry
        self._left: dict[bytes, int] = {}  # _entry_key -> entry of a text this window left
        self._entries_written: set[int] = set()  # entries this window wrote this session
        self._draft_unread = False  # the start could not read this slot's draft: keep it
        self._text_at_start: TextAndQuestion = ("", "")  # restored from the draft
        self._draft_written = False  # a draft of this session replaced the one read at start
        self._history_problem = ""  # the failed write last told in the status line
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_SAVE_MS)
        self.draft_timer.timeout.connect(self.save_draft)
        self.slot = DraftSlot(store.path.parent, self._draft_slots_newest_first())

    # --- the draft ---------------------------------------------------------------------------

    def _draft_slots_newest_first(self) -> list[int]:
        """The slots whose draft holds text, newest first; none when the history cannot be read
        just now: the window then takes the first free slot, and ``read_draft`` tells why."""
        try:
            return self.store.draft_slots_newest_first()
        except sqlite3.Error as exc:
            log.warning("Cannot read which draft is newest: %s", exc)
            return []

    def read_draft(self) -> tuple[Draft, HistoryEntry | None] | None:
        """This slot's draft from the last exit, and the entry it names when that entry holds
        it as it is; None when the history cannot be read just now (locked for longer than the
        wait): the window starts empty, and the draft is kept until something new is typed."""
        try:
            draft = self.store.load_draft(self.slot.number)
            entry = self.store.get(draft.entry) if draft.entry is not None else None
        except sqlite3.Error as exc:
            log.warning("Cannot read the draft: %s", exc)
            self._draft_unread = True
            self._status_line.show_problem(
                f"The text from the last session could not be read ({exc}); the history keeps"
                " it until you type something new."
            )
            return None
        if entry is not None and (entry.text, entry.question) != (
            draft.text,
            draft.question.strip(),
        ):
            entry = None
        return draft, entry

    def started(self) -> None:
        """The window shows what the start restored, which need not be written back."""
        self._text_at_start = self._shown()
        self.draft_timer.stop()

    def save_draft(self) -> sqlite3.Error | None:
        """Keep the editor's text and question for the next start; the error if that failed.
        An empty window does not overwrite a draft the start could not read."""
        draft = Draft(*self._shown(), self.entry_id)
        if self._draft_unread and not (draft.text or draft.question):
            return None
        error = self._write(lambda: self.store.save_draft(draft, self.slot.number))
        if error is None:
            self._draft_unread = False  # the new text took its place
            self._draft_written = True
        return error

    def _write(self, write: Callable[[], object]) -> sqlite3.Error | None:
        """Run a history write; a failure (disk full, file locked) is told in the status line
        and returned, for closing; the text stays in the window."""
        try:
            write()
        except sqlite3.Error as exc:
            log.warning("Cannot write the history: %s", exc)
            self._history_problem = f"The history could not be saved ({exc})."
            self._status_line.show_problem(self._history_problem)
            return exc
        self._status_line.withdraw_problem(self._history_problem)  # saving works again
        return None

    # --- the history entry -------------------------------------------------------------------

    def open_entry(self, entry: HistoryEntry) -> None:
        """The window shows ``entry``: later edits update it in place."""
        self.entry_id, self.entry_holds = entry.id, (entry.text, entry.question)

    def leave_entry(self, text: str, question: str) -> None:
        """The window's text was replaced as a whole: should ``text`` with ``question`` come
        back (the paste undone), the entry it was kept in is reused."""
        if self.entry_id is not None:
            self._left[_entry_key(text, question)] = self.entry_id
        self.entry_id = None

    def keep(self, text: str, question: str, results: dict[str, Any]) -> sqlite3.Error | None:
        """Keep ``text`` and ``question`` with ``results`` in this window's entry, or a new one;
        the error if that failed.

        A text this window kept before and has back (a paste undone, the same text pasted
        again) updates that entry, keeping the results it has, instead of adding a twin; an
        entry of another window, or one changed since this window last saw it (both had
        reopened it), is never overwritten: the text goes to a new entry.
        """
        kept_in = self.entry_id

        def write() -> None:
            nonlocal results
            if self.entry_id is None and (key := _entry_key(text, question)) in self._left:
                entry = self.store.get(self._left[key])
                if entry is not None and (entry.text, entry.question) == (text, question):
                    self.entry_id, results = entry.id, entry.results | results
                    self.entry_holds = (text, question)
            if self.entry_id is None or not self.store.update(
                self.entry_id, text, question, results, if_holds=self.entry_holds
            ):
                self.entry_id = self.store.add(text, question, results)
            self.entry_holds = (text, question)
            self._entries_written.add(self.entry_id)

        error = self._write(write)
        # The draft names the new entry at once, should the app be killed now; a save that
        # typing left waiting would write the same again.
        if error is None and self.entry_id != kept_in and self.save_draft() is None:
            self.draft_timer.stop()
        self._entry_written(self.entry_id)
        return error

    # --- closing -----------------------------------------------------------------------------

    def why_lost_after_saving(self, keep_edit: Callable[[], sqlite3.Error | None]) -> str | None:
        """Keep an unanalysed edit in its entry (``keep_edit``), then the draft, which names
        that entry; then why the window's text will not be there at the next start, or None.
        The draft is not tried when the edit met a lock: one wait for another program, not two.
        """
        error = keep_edit()
        if error is None or not is_locked(error):
            error = self.save_draft()  # the draft keeps the text even where its entry failed
        self.draft_timer.stop()  # just written, or it cannot be
        return self._why_text_is_lost(error)

    def _why_text_is_lost(self, save_error: sqlite3.Error | None) -> str | None:
        """Why the window's text will not be there at the next start, or None when it will be
        (or nothing typed this session would be lost). A history kept in memory takes the
        draft without an error, yet loses it at close."""
        file_keeps_start = self.store.unsaved_reason is not None or not self._draft_written
        if file_keeps_start and not self._changed_since_start():
            return None  # the draft the start showed is still in the history file
        if self.store.unsaved_reason is not None:
            if self._held_by_an_entry_of_the_file():
                return None
            return (
                f"{self.store.unsaved_reason} So the text in this window will not be there at"
                " the next start."
            )
        if save_error is not None and self._text_kept_nowhere():
            return f"The text in this window could not be saved for the next start ({save_error})."
        return None

    def _changed_since_start(self) -> bool:
        """Text or a question that differs from what the window restored at start."""
        text, question = self._shown()
        return not _is_blank(text, question) and (text, question) != self._text_at_start

    def _held_by_an_entry_of_the_file(self) -> bool:
        """The window shows an entry read from the history file (a session kept in memory)
        that it has not written to since, and the store still has: the file keeps it as it is
        (an entry lost with a damaged page is not kept anywhere)."""
        if self.entry_id is None or not self._entry_shows_as_it_is():
            return False
        if self.entry_id in self._entries_written:
            return False
        try:
            entry = self.store.get(self.entry_id)
        except sqlite3.Error:
            return False
        return entry is not None and (entry.text, entry.question) == self.entry_holds

    def _text_kept_nowhere(self) -> bool:
        """Text or a question in the window that no history entry holds as it is."""
        return not _is_blank(*self._shown()) and not self._entry_shows_as_it_is()

    def _entry_shows_as_it_is(self) -> bool:
        """The window's entry holds the text and question the window shows."""
        text, question = self._shown()
        return self.entry_id is not None and self.entry_holds == (text, question.strip())


def _is_blank(text: str, question: str) -> bool:
    """Nothing typed that closing could lose."""
    return not (text.strip() or question.strip())


def _entry_key(text: str, question: str) -> bytes:
    """A short stand-in for a (possibly 2,000,000-character) text and its question."""
    data = f"{question}\0{text}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()
