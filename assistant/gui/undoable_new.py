"""New analysis as one step that Undo takes back whole: the text and the question it cleared,
so the analysis is its history entry again."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLineEdit

from assistant.gui.widgets.text_editor import TextEditor


class UndoableNew(QObject):
    """``clear`` empties the editor (undoably) and the question; the editor's Undo right after
    brings the text back, and with it the question (unless another was typed since). After any
    other change the question stays cleared."""

    def __init__(self, editor: TextEditor, question: QLineEdit) -> None:
        super().__init__(editor)
        self._editor = editor
        self._question = question
        self._cleared: tuple[str, str] | None = None  # the text and question, should Undo come
        editor.document().contentsChange.connect(self._bring_back_question)

    def clear(self) -> None:
        shown = self._editor.toPlainText(), self._question.text()
        self._editor.replace_text("")
        self._question.clear()
        self._cleared = shown if all(shown) else None  # watched from the next change on

    def forget(self) -> None:
        """Another text came (a history entry reopened): Undo now brings back no question."""
        self._cleared = None

    def _bring_back_question(self, position: int, _removed: int, added: int) -> None:
        if self._cleared is None:
            return
        text, question = self._cleared
        self._cleared = None
        document = self._editor.document()
        whole = position == 0 and added >= document.characterCount() - 1
        if whole and self._editor.toPlainText() == text and not self._question.text():
            self._question.setText(question)
