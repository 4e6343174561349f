"""The status bar's word on the file the text came from: opened, empty, or read with a problem
(bytes that could not be read, lines read as Windows-1252), or a table read as one text. A
problem or a table's hint stays while the file's text does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from assistant.batch_files import INPUT_SUFFIXES
from assistant.gui.widgets.status_line import StatusLine
from assistant.gui.widgets.text_editor import TextEditor
from assistant.text_files import Decoded, legacy_note

_ROWS_SUFFIXES = tuple(suffix for suffix in INPUT_SUFFIXES if suffix != ".txt")
"""Files of rows, each a text of its own to the batch window (a .txt file is mostly prose)."""


class FileNotice(QObject):
    """Says what ``editor`` opened on ``status_line``; the path goes in the tooltip, since the
    status bar cuts a long message short. ``table_file`` is a file of rows whose text the
    editor shows, for the batch window to start from."""

    def __init__(self, editor: TextEditor, status_line: StatusLine) -> None:
        super().__init__(editor)
        self._status_line = status_line
        self._problem = ""  # how the file in the editor was read, while its text is there
        self.table_file: Path | None = None
        editor.file_loaded.connect(self._opened)
        editor.text_replaced.connect(self._withdraw)

    def _opened(self, path: str, decoded: Decoded) -> None:
        name = Path(path).name
        hint = _rows_hint(name, decoded)
        self.table_file = Path(path) if hint else None
        problem = _reading_problem(name, decoded)
        self._problem = " ".join(line for line in (problem, hint) if line)
        if self._problem:
            self._status_line.show_problem(self._problem, f"Opened {path}", advice=not problem)
        elif not decoded.text.strip():  # a blank box alone did not say the file was read
            self._status_line.show_message(f"Opened {name}: it holds no text to analyse.")
        else:
            self._status_line.show_message(f"Opened {path}")

    def _withdraw(self) -> None:
        """A file's warning goes with its text: once all of it is replaced (another file, a
        paste over it, a new analysis, Ctrl+Z) or deleted. Edits within it keep the warning."""
        self.table_file = None
        if self._problem:
            self._status_line.withdraw_problem(self._problem)
            self._problem = ""


def _reading_problem(name: str, decoded: Decoded) -> str:
    """What was lost or guessed in reading the file, or ""."""
    if decoded.damaged:
        return (
            f"Some characters of {name} could not be read and show as \ufffd:"
            " save it as UTF-8 to keep them."
        )
    return legacy_note(name, decoded) or ""


def _rows_hint(name: str, decoded: Decoded) -> str:
    """Where a file of rows is better read, or "": here its rows, ids and header too, make one
    text with one result. It opens all the same: a person may want it so."""
    if Path(name).suffix.lower() not in _ROWS_SUFFIXES or not decoded.text.strip():
        return ""
    return (
        f"{name} is analysed as one text: File → Batch analysis… opens it and reads each row"
        " as a text of its own."
    )
