"""A question about the text; the best answer and the alternatives, each clickable to highlight."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from assistant.answers import found_answers, is_unsure, unsure_note
from assistant.gui.widgets.result_panel import NO_RESULT, ResultPanel, show_text
from assistant.gui.wording import isolated, one_line, percent

if TYPE_CHECKING:
    from assistant.engine import Answer

SHOWN = 5
QA_HINT = "Answers come word for word from the text."


class QaPanel(ResultPanel):
    """``question_changed`` when the question is edited; ``answer_chosen(answer)`` on a click;
    ``stop_requested`` from the Stop button a long answer shows, ``stoppable(bool)`` as it
    comes and goes."""

    question_changed = Signal(str)
    answer_chosen = Signal(object)
    stop_requested = Signal()
    stoppable = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Question", QA_HINT, parent)
        self.question = QLineEdit()
        self.question.setObjectName("question")
        self.question.setPlaceholderText("Ask a question about the text")  # fits a narrow box
        self.question.setAccessibleName("Question about the text")
        self.question.setClearButtonEnabled(True)
        self.question.textChanged.connect(self.question_changed)
        self.best = self.headline("Best answer")
        self.best.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caveat = QLabel()  # right under the answer, where the eye is: "Unsure: …"
        self.caveat.setWordWrap(True)
        self.caveat.setAccessibleDescription("About the best answer")
        self.answers = QListWidget()
        self.answers.setAccessibleName("Answers, best first; choose one to highlight it")
        # A long alternative loses its middle, not its score, and the list never scrolls sideways.
        self.answers.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.answers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Not "expanding" (a list's default): that made the whole panel take a share of the
        # results column's spare height and hand it out between the answer and its note.
        self.answers.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.answers.itemActivated.connect(self._choose)
        self.answers.itemClicked.connect(self._choose)
        self.stop_button = QPushButton("&Stop")
        self.stop_button.setAccessibleName("Stop answering")
        self.stop_button.setToolTip("Stop reading the text for this question")
        self.stop_button.clicked.connect(self.stop_requested)
        self.fill(self.question, self.best, self.caveat, self.answers)
        self.spoken.append(self.caveat)
        self.column.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.clear()

    def show_progress(self, done: int, total: int) -> None:
        """How much of a long text has been read, with the Stop button."""
        super().show_state(f"Reading the text for the answer: {done / total:.0%}")
        self.stop_button.setVisible(True)
        self.stoppable.emit(True)

    def show_analysing(self) -> None:
        """A new question's answer is on its way: the last one's reading progress goes, with
        its Stop button, though the answer stays."""
        if self.stop_button.isVisible():
            self.show_state("")
        super().show_analysing()

    def show_state(self, text: str) -> None:
        super().show_state(text)
        if self.window().focusWidget() is self.stop_button:  # hidden, it would pass focus on
            self.question.setFocus()  # to the history search (the window may be inactive)
        self.stop_button.setVisible(False)
        self.stoppable.emit(False)

    def show_answers(self, answers: Sequence[Answer]) -> None:
        """Best first, at most ``SHOWN`` that do not overlap; an empty list or empty answer says
        that the text holds no answer, and a low-scored best answer reads as a guess."""
        self.answers.clear()
        found = found_answers(answers)[:SHOWN]
        if not found:
            self.best.setText("No answer found in the text.")
            self.answers.setVisible(False)
            show_text(self.caveat, "")
            self.show_state("")
            return
        guess = "Best guess: " if is_unsure(found[0]) else ""
        self.best.setText(f"{guess}{_shown(found[0])}  ({percent(found[0].score)})")
        for answer in found:
            item = QListWidgetItem(f"{_shown(answer)}  —  {percent(answer.score)}")
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.UserRole, answer)
            self.answers.addItem(item)
        self.answers.setCurrentRow(-1 if guess else 0)  # a guess is not the chosen answer
        rows = sum(self.answers.sizeHintForRow(row) for row in range(len(found)))
        self.answers.setFixedHeight(rows + 2 * self.answers.frameWidth())  # no blank under 2
        self.answers.setVisible(len(found) > 1 or bool(guess))  # a guess is highlighted on a click
        show_text(self.caveat, unsure_note(found[0]) or "")
        self.show_state("")

    def _choose(self, item: QListWidgetItem) -> None:
        self.answer_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def clear(self) -> None:
        self.best.setText(NO_RESULT)
        show_text(self.caveat, "")
        self.answers.clear()
        self.answers.setVisible(False)
        super().clear()


def _shown(answer: Answer) -> str:
    """An answer as the panel shows it: on one line, isolated from the line's direction."""
    return isolated(one_line(answer.answer))
