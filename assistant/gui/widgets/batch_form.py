"""What the batch window is asked to do: the file to analyse, the column holding its texts and
the tasks to run, each row of the form reached by an access key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from assistant.batch_columns import column_labels


class BatchForm(QWidget):
    """``tasks_changed`` when a task is ticked or unticked; ``choose_button`` is the caller's
    to connect (choosing a file takes the window's settings)."""

    tasks_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setAccessibleName("File to analyse")
        self.file_edit.setPlaceholderText(
            "Choose or drop a .txt file (one text per line), .csv, .tsv or .jsonl"
        )
        self.choose_button = QPushButton("&Choose file…")
        self.column_combo = QComboBox()
        self.column_combo.setAccessibleName("Column or field holding the text")
        self.column_combo.setEnabled(False)  # until a file with columns is chosen
        self.sentiment_box = QCheckBox("&Sentiment")
        self.intent_box = QCheckBox("&Intent")
        for box in (self.sentiment_box, self.intent_box):
            box.setChecked(True)
            box.toggled.connect(self.tasks_changed)

        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit)
        file_row.addWidget(self.choose_button)
        tasks_row = QHBoxLayout()
        tasks_row.addWidget(self.sentiment_box)
        tasks_row.addWidget(self.intent_box)
        tasks_row.addStretch()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        # Alt+letter reaches each row (the column box was only reachable by Tab); the letters
        # are none of the window's buttons': C, S, I, R, N, V, J.
        for text, buddy, row in (
            ("&File:", self.file_edit, file_row),
            ("C&olumn:", self.column_combo, self.column_combo),
            ("&Tasks:", self.sentiment_box, tasks_row),
        ):
            label = QLabel(text)
            label.setBuddy(buddy)
            form.addRow(label, row)

    def tasks(self) -> tuple[str, ...]:
        boxes = (("sentiment", self.sentiment_box), ("intent", self.intent_box))
        return tuple(task for task, box in boxes if box.isChecked())

    def column(self) -> int | None:
        """The column picked, by position (names may be empty or repeated); None for a file
        without columns."""
        return self.column_combo.currentIndex() if self.column_combo.count() else None

    def show_file(self, path: Path, columns: list[str], read: int | None) -> None:
        """Name the chosen file and offer its columns, the one the command line reads without
        --column selected: ``read``, a position, as names may be empty or repeated."""
        self.file_edit.setText(str(path))
        self.column_combo.clear()
        self.column_combo.addItems(column_labels(columns))
        if read is not None:
            self.column_combo.setCurrentIndex(read)
        self.column_combo.setEnabled(bool(columns))  # a header alone still names them

    def clear_file(self) -> None:
        """No file chosen: the name of one that cannot be read is not left to stand for it."""
        self.file_edit.clear()
        self.column_combo.clear()
        self.column_combo.setEnabled(False)
