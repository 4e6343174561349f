"""The big text area: paste, type or drop a .txt file; shows sentence tints and the answer.

Engine offsets count Python characters, Qt positions count UTF-16 units; :class:`Utf16Positions`
converts, so highlights land on ``context[start:end]`` even after emoji.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMimeData, QPoint, QTimer, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from assistant.gui import theme
from assistant.gui.file_drops import FileDrops
from assistant.gui.shortcuts import analyse_now_hint
from assistant.gui.wording import percent, plain_label
from assistant.limits import MAX_INPUT_CHARS, MAX_TEXT_FILE_BYTES
from assistant.text_files import Decoded, decode_text
from assistant.wording import hedged_sentiment

if TYPE_CHECKING:
    from assistant.engine import SentenceSentiment

SPLIT_HINT = "split it, or open it in an editor and paste a part."
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_HIGH, _LOW, _LAST = "\ud800", "\udc00", "\udfff"  # surrogates: the halves of an emoji
# Qt's default wrap looks for a word boundary on every line of a paragraph before it breaks
# anywhere, so a run without spaces costs time in the square of its length: 24 ms a keystroke
# at 30,000 characters, 1.8 s at 300,000 (a hex dump, a long token). Such a text wraps anywhere.
LONG_RUN = 10_000
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LONG_RUN}}}")  # anchored at a run's start: linear time


class Utf16Positions:
    """Maps indices of a Python str to positions in a QTextDocument holding the same text."""

    def __init__(self, text: str) -> None:
        self._astral = [match.start() for match in _ASTRAL.finditer(text)]

    def __call__(self, index: int) -> int:
        return index + bisect_left(self._astral, index)


def read_text_file(path: Path) -> Decoded:
    """A dropped or opened file as text (``text_files.decode_text``), whether some of its bytes
    could not be read and show as U+FFFD, and how many lines were read as Windows-1252;
    OSError/ValueError carry a message for a person. A text longer than the engine takes is
    refused here: opened, it could never be analysed."""
    size = path.stat().st_size
    if size > MAX_TEXT_FILE_BYTES:
        raise ValueError(
            f"{path.name} is longer than the limit of {MAX_INPUT_CHARS:,} characters"
            f" (it is {size / 1e6:.1f} MB): {SPLIT_HINT}"
        )
    decoded = decode_text(path.read_bytes(), path.name)
    length = len(decoded.text) - decoded.text.count("\r\n")  # the editor keeps one "\n"
    if length > MAX_INPUT_CHARS:
        raise ValueError(
            f"{path.name} has {length:,} characters; the limit is {MAX_INPUT_CHARS:,}:"
            f" {SPLIT_HINT}"
        )
    return decoded


class TextEditor(QPlainTextEdit):
    """Plain-text editor that also paints analysis results onto the text."""

    file_loaded = Signal(str, object)  # path, text_files.Decoded
    file_failed = Signal(str)
    # "Negative (91%)" for the tinted sentence, or ""; and whether the caret was moved into it
    # (not typed along, nor given new tints): that is worth saying to a screen reader.
    sentence_at_cursor = Signal(str, bool)
    text_arrived = Signal()  # pasted, dropped or opened: no typing pause to wait for
    text_replaced = Signal()  # all of the text replaced or deleted, not an edit within it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("textEditor")
        self.setAccessibleName("Text to analyse")
        self.setAccessibleDescription(
            "Results for sentiment, intent and your question appear as you type."
        )
        self.setPlaceholderText(
            "Paste or type text here, or drop a .txt file. Results appear as you type;"
            f" {analyse_now_hint()} analyses at once."
        )
        self.setTabChangesFocus(True)
        self._tint_tips: list[str] = []  # "Negative (90%)", one per tinted sentence
        self._tint_selections: list[QTextEdit.ExtraSelection] = []
        self._answer: QTextEdit.ExtraSelection | None = None
        self._said_at_cursor: str | None = None  # None: not said since the tints changed
        self._text = ""  # as it was after the latest change, to tell an edit from a new text
        self._replacing = False  # inside replace_text
        self._undo_steps = 0  # the document's available undo steps after the latest change
        self._replacements: list[tuple[int, int]] = []  # replace_text's spans of those steps
        self.document().contentsChange.connect(self._tell_replacement)
        self.document().contentsChange.connect(self._fit_wrap_mode)
        self._revision = self.document().revision()  # an edit changes it, a caret move not
        self.cursorPositionChanged.connect(self._caret_moved)
        self._drops = FileDrops(self)
        self._drops.dropped.connect(self.load_file)
        self._drops.refused.connect(self.file_failed)
        self.take_file_drops_on(self, self.viewport())  # the frame and scroll bars too

    # --- results painted on the text ---------------------------------------------------------

    def show_sentences(self, sentences: Sequence[SentenceSentiment]) -> None:
        """Tint each sentence by its sentiment; a single sentence needs no tint."""
        self._tint_tips, self._tint_selections, self._said_at_cursor = [], [], None
        if len(sentences) > 1:
            to_qt = Utf16Positions(self.toPlainText())
            for sentence in sentences:
                start, end = to_qt(sentence.start), to_qt(sentence.end)
                label, score = sentence.label, sentence.score
                said = hedged_sentiment(plain_label(label), score)  # as the panel says it
                self._tint_tips.append(f"{said} ({percent(score)})")
                self._tint_selections.append(
                    self._selection(start, end, theme.sentiment_tint(label, score))
                )
        self._refresh()

    def highlight_answer(self, start: int, end: int) -> None:
        """Mark ``text[start:end]`` (Python offsets) and scroll it into view."""
        to_qt = Utf16Positions(self.toPlainText())
        background, text = theme.answer_colors()
        selection = self._selection(to_qt(start), to_qt(end), background)
        selection.format.setForeground(text)
        selection.format.setFontUnderline(True)
        self._answer = selection
        self._refresh()
        self._scroll_to(selection.cursor)

    def clear_results(self) -> None:
        self._tint_tips, self._tint_selections, self._answer = [], [], None
        self._said_at_cursor = None
        self._refresh()

    def clear_answer(self) -> None:
        self._answer = None
        self._refresh()

    def answer_text(self) -> str | None:
        """The highlighted answer as it stands in the document (None if nothing is marked)."""
        return self._answer.cursor.selectedText() if self._answer else None

    def tint_count(self) -> int:
        return len(self._tint_selections)

    def _selection(self, start: int, end: int, color: object) -> QTextEdit.ExtraSelection:
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        char_format = QTextCharFormat()
        char_format.setBackground(color)  # type: ignore[arg-type]
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = char_format
        return selection

    def _tint_at(self, position: int) -> str | None:
        """What the tint holding ``position`` says, if one does. The tints' cursors move with
        edits, as their colour does (tints are in text order)."""
        tints = self._tint_selections
        index = bisect_right(tints, position, key=lambda tint: tint.cursor.selectionStart()) - 1
        if index >= 0 and position < tints[index].cursor.selectionEnd():
            return self._tint_tips[index]
        return None

    def _caret_moved(self) -> None:
        revision = self.document().revision()
        self._tell_sentence_at_cursor(moved=revision == self._revision)
        self._revision = revision

    def _tell_sentence_at_cursor(self, moved: bool = False) -> None:
        """A sentence's score for the keyboard, as the tooltip gives it to the mouse."""
        said = self._tint_at(self.textCursor().position()) or ""
        if said != self._said_at_cursor:
            self._said_at_cursor = said
            self.sentence_at_cursor.emit(said, moved)

    def _refresh(self) -> None:
        self._tell_sentence_at_cursor()
        extra = list(self._tint_selections)
        if self._answer is not None:
            extra.append(self._answer)
        self.setExtraSelections(extra)

    def _scroll_to(self, cursor: QTextCursor) -> None:
        """Bring the start of ``cursor`` into view without moving the user's caret."""
        if self.viewport().rect().contains(self.cursorRect(cursor)):
            return
        block = self.document().findBlock(cursor.selectionStart())
        layout = block.layout()
        line = layout.lineForTextPosition(cursor.selectionStart() - block.position())
        first_line = block.firstLineNumber() + (line.lineNumber() if line.isValid() else 0)
        self.verticalScrollBar().setValue(max(0, first_line - 2))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._show_tint_tooltip(event.pos(), event.globalPos())
            return True
        return super().viewportEvent(event)

    def _show_tint_tooltip(self, pos: QPoint, global_pos: QPoint) -> None:
        said = self._tint_at(self.cursorForPosition(pos).position())
        if said is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(global_pos, said, self.viewport())

    # --- wrapping -----------------------------------------------------------------------------

    def _fit_wrap_mode(self, position: int, removed: int, added: int) -> None:
        """Wrap anywhere while the text holds a run of ``LONG_RUN`` characters without a space.
        Runs before Qt lays the change out, so a pasted run never meets the slow wrap."""
        anywhere = QTextOption.WrapMode.WrapAnywhere
        if self.wordWrapMode() == anywhere:
            block = self.document().findBlock(position)
            last = self.document().findBlock(position + added)
            if (removed or self._inserts_a_break(block, last, position, added)) and not (
                _LONG_RUN.search(self.toPlainText())  # the whole text: ~30 ms at 2 MB
            ):
                self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            return
        # A new long run holds a changed character or the place of a removal: look around the
        # change only (2 x LONG_RUN UTF-16 units each side: enough for LONG_RUN characters),
        # not at the whole paragraph (35 ms a keystroke in a 2,000,000-character one).
        cursor = QTextCursor(self.document())
        cursor.setPosition(max(0, position - 2 * LONG_RUN))
        end = min(self.document().characterCount() - 1, position + added + 2 * LONG_RUN)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        if _LONG_RUN.search(cursor.selectedText()):
            self.setWordWrapMode(anywhere)

    def _inserts_a_break(
        self, block: QTextBlock, last: QTextBlock, position: int, added: int
    ) -> bool:
        """Whether an insertion could have ended the long run: a space or line break typed
        into blocks long enough to hold one (typing letters cannot; nor can a removal be
        judged this cheaply, so the caller rescans after every removal)."""
        if last.position() + last.length() - block.position() <= LONG_RUN:  # a split block too
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.setPosition(position + added, QTextCursor.MoveMode.KeepAnchor)
        return any(char.isspace() for char in cursor.selectedText())

    # --- files -------------------------------------------------------------------------------

    def load_file(self, path: Path) -> bool:
        """Replace the text with a file's content (undoable); reports failure in words."""
        try:
            decoded = read_text_file(path)
        except (OSError, ValueError) as exc:
            said = str(getattr(exc, "strerror", None) or exc)
            # "Cannot open big.txt: big.txt has 2,000,050 characters" named the file twice.
            named = isinstance(exc, ValueError) and said.startswith(f"{path.name} ")
            self.file_failed.emit(said if named else f"Cannot open {path.name}: {said}")
            return False
        self.replace_text(decoded.text)
        self.file_loaded.emit(str(path), decoded)
        self.text_arrived.emit()
        return True

    def insertFromMimeData(self, source: QMimeData) -> None:
        """A paste or a dropped piece of text; told once the change is through (a drop tells
        of it only after this returns)."""
        start = self.textCursor().selectionStart()
        super().insertFromMimeData(source)
        self._mend_lone_surrogates(start, self.textCursor().position())
        QTimer.singleShot(0, self, self.text_arrived.emit)

    def _mend_lone_surrogates(self, start: int, end: int) -> None:
        """Put U+FFFD in place of each lone surrogate (half an emoji, which a Windows clipboard
        can hand over) between two positions, within the paste's undo step. The document keeps
        one and ``toPlainText`` drops it, so offsets after it would land one character off."""
        document = self.document()
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        seen = cursor.selectedText()  # without them: short by one unit for each
        if Utf16Positions(seen)(len(seen)) == end - start:
            return
        cursor.joinPreviousEditBlock()
        position = start
        while position < end:
            char = document.characterAt(position)
            if _HIGH <= char < _LOW and _LOW <= document.characterAt(position + 1) <= _LAST:
                position += 2  # both halves of an emoji
                continue
            if _HIGH <= char <= _LAST:
                cursor.setPosition(position)
                cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText("\ufffd")
            position += 1
        cursor.endEditBlock()

    def _tell_replacement(self, position: int, removed: int, added: int) -> None:
        """Emit ``text_replaced`` when all of the text gave way: always for ``replace_text``
        and for Undo or Redo across one; for a change Qt reports from the first character over
        all of it, unless old and new are mostly alike at one end. Qt reports an edit at the
        start (a paste, a word typed there, its undo) as everything up to the end of the
        paragraph removed and written anew."""
        before, self._text = self._text, self.toPlainText()
        length = self.document().characterCount() - 1  # it counts a final separator
        old_length = length - added + removed
        whole = position == 0 and 0 < old_length <= removed
        undid = self._undid_a_replacement()  # also keeps count of the undo steps: each change
        if self._replacing or undid or (whole and not (length and _an_edit(before, self._text))):
            self._replacing = False  # once per replacement
            self.text_replaced.emit()

    def _undid_a_replacement(self) -> bool:
        """Whether this change went back or forth across a ``replace_text`` step of the undo
        stack (a reopened entry undone: the text it replaced may end just like it)."""
        document = self.document()
        before, self._undo_steps = self._undo_steps, document.availableUndoSteps()
        low, high = sorted((before, self._undo_steps))
        crossed = any(low <= start and end <= high for start, end in self._replacements)
        if not document.availableRedoSteps():  # a new edit: the steps past it are gone
            self._replacements = [(s, e) for s, e in self._replacements if e <= self._undo_steps]
        return before != self._undo_steps and crossed

    def replace_text(self, text: str) -> None:
        """Replace all the text as one step that Ctrl+Z takes back (``clear`` and
        ``setPlainText`` would also wipe the undo history, and with it what was there)."""
        cursor = self.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        start = self.document().availableUndoSteps()
        self._replacing = True
        try:
            cursor.insertText(text)
        finally:
            self._replacing = False
        self._undo_steps = self.document().availableUndoSteps()
        if self._undo_steps > start:
            self._replacements.append((start, self._undo_steps))
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def take_file_drops_on(self, *widgets: QWidget) -> None:
        """A file dropped on any of ``widgets`` opens as one dropped here (``FileDrops``): the
        question and search boxes took its address as their text, and it was asked."""
        self._drops.take_drops_on(*widgets)


def _an_edit(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` edited at one end rather than a new text: it holds all of
    the old one where it starts or ends ("Note: " put before it), or they are alike over two
    thirds of the longer one there (its first word changed). Another email with the same
    signature, or a text typed over all of the old one, is new."""
    if new.endswith(old) or new.startswith(old):
        return True
    alike = -(-2 * max(len(old), len(new)) // 3)  # two thirds, rounded up
    if min(len(old), len(new)) < alike:
        return False
    return old[-alike:] == new[-alike:] or old[:alike] == new[:alike]
