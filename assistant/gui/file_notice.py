"""The status bar's word on the file the text came from: opened, empty, or read with a problem
(bytes that could not be read, lines read as Windows-1252). A problem stays while the file's text
does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from assistant.gui.widgets.status_line import StatusLine
from assistant.gui.widgets.text_editor import TextEditor
from assistant.text_files import Decoded, legacy_note


class FileNotice(QObject):
    """Says what ``editor`` opened on ``status_line``; the path goes in the tooltip, since the
    status bar cuts a long message short."""

    def __init__(self, editor: TextEditor, status_line: StatusLine) -> None:
        super().__init__(editor)
        self._status_line = status_line
        self._problem = ""  # how the file in the editor was read, while its text is there
        editor.file_loaded.connect(self._opened)
        editor.text_replaced.connect(self._withdraw)

    def _opened(self, path: str, decoded: Decoded) -> None:
        name = Path(path).name
        if decoded.damaged:
            self._problem = (
                f"Some characters of {name} could not be read and show as \ufffd:"
                " save it as UTF-8 to keep them."
            )
        else:
            self._problem = legacy_note(name, decoded) or ""
        if self._problem:
            self._status_line.show_problem(self._problem, f"Opened {path}")
        elif not decoded.text.strip():  # a blank box alone did not say the file was read
            self._status_line.show_message(f"Opened {name}: it holds no text to analyse.")
        else:
            self._status_line.show_message(f"Opened {path}")

    def _withdraw(self) -> None:
        """A file's warning goes with its text: once all of it is replaced (another file, a
        paste over it, a new analysis, Ctrl+Z) or deleted. Edits within it keep the warning."""
        if self._problem:
            self._status_line.withdraw_problem(self._problem)
            self._problem = ""
