"""Table model and view of batch rows; the rows it holds are exactly the rows that get exported."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from assistant.batch_output import spreadsheet_safe
from assistant.gui.wording import percent, plain_label
from assistant.wording import shortened

Index = QModelIndex | QPersistentModelIndex


def _score(value: float | None) -> str:
    return percent(value) if value is not None else ""


TOOLTIP_CHARS = 1000
"""A tooltip holding a whole 50,000-character text was taller than the screen."""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# (header, row field, how the value reads in the table)
COLUMNS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("#", "index", _text),
    ("Text", "text", _text),
    ("Sentiment", "sentiment", plain_label),
    ("Confidence", "sentiment_score", _score),
    ("Intent", "intent", plain_label),
    ("Confidence", "intent_score", _score),
    ("Domain", "intent_domain", plain_label),
    ("Problem", "error", _text),
)


HEADER_TIPS = {
    "sentiment_score": "How sure the model is of the sentiment",
    "intent_score": "How sure the model is of the intent (or that it is out of scope)",
    "error": "Why a text got no result",
}
"""Header tooltips: the two Confidence columns read alike, so each says whose it is."""

_TIP_ROLES = (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole)
"""A header's tooltip goes to a screen reader too: a mouse shows it, a keyboard does not."""

TOOLTIP_FIELDS = {
    "text": ("text",),
    "error": ("error",),
    "intent": ("intent_description", "intent_note"),
}
"""A cell's tooltip, a line per field: a long text or problem in full, and what an intent's
name covers and what to read it with (the table has no room for columns of them; exports have
them)."""


def column_of(field: str) -> int:
    """The table column showing ``field`` of a row."""
    return [name for _header, name, _formatter in COLUMNS].index(field)


def display(field: str, value: Any) -> str:
    """How the table shows ``value`` of ``field``; tests use it to compare exports."""
    return COLUMNS[column_of(field)][2](value)


class BatchTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display_text(index.row(), index.column())
        field = COLUMNS[index.column()][1]
        if (role == Qt.ItemDataRole.ToolTipRole and field in TOOLTIP_FIELDS) or (
            role == Qt.ItemDataRole.AccessibleDescriptionRole and field == "intent"
        ):  # a long text or problem is already the cell's accessible name
            row = self.rows[index.row()]
            lines = [_text(getattr(row, name)) for name in TOOLTIP_FIELDS[field]]
            return shortened("\n".join(line for line in lines if line), TOOLTIP_CHARS) or None
        return None

    def display_text(self, row: int, column: int) -> str:
        """What the cell shows, without a QModelIndex: copying 100,000 rows through
        ``index(...).data()`` took 5 s, this 0.5 s."""
        _header, field, formatter = COLUMNS[column]
        return formatter(getattr(self.rows[row], field))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role in _TIP_ROLES:
            return HEADER_TIPS.get(COLUMNS[section][1])
        return None

    def add_rows(self, rows: Sequence[Any]) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.endResetModel()


_ONE_LINE = str.maketrans("\t\r\n", "   ")
"""A tab or line break inside a text would split its copied row into extra cells or lines."""


TEXT_CHARS = 40
"""The least room the Text column takes: a usual text, in characters."""
PROBLEM_CHARS = 24
"""The room the Problem column gets once a row has one; its tooltip shows a longer one whole."""


class BatchTableView(QTableView):
    """The results table; Copy (Ctrl+C, Command+C) copies whole rows, not one cell: Qt's own
    copied only the current cell ("2"), useless in a spreadsheet.

    The Text column takes the width the others leave: stretching the last column gave it to
    an empty Problem column while the texts were cut after 40 characters."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Batch results")
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setMinimumHeight(4 * rows.defaultSectionSize())  # a header and three rows
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.installEventFilter(self)
        header.sectionResized.connect(self._on_section_resized)

    def fit_columns(self) -> None:
        """Once a model is set: every header fits, at any font size, the columns of intents
        get room for a usual one, and the Text column the rest."""
        self.horizontalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        char = self.fontMetrics().averageCharWidth()
        for field, chars in (("intent", 18), ("intent_domain", 17)):
            self.setColumnWidth(column_of(field), chars * char)
        self.fill_with_text()

    def show_problems(self, shown: bool) -> None:
        """Room in the Problem column for a usual problem while a row has one; else no more
        than its header needs, the rest going to the texts."""
        column = column_of("error")
        narrow = self.horizontalHeader().sectionSizeHint(column)
        wide = PROBLEM_CHARS * self.fontMetrics().averageCharWidth()
        self.setColumnWidth(column, wide if shown else narrow)

    def fill_with_text(self) -> None:
        """Give the Text column the width the other columns leave, or room for a usual text
        where they leave less (the table then scrolls sideways)."""
        header = self.horizontalHeader()
        column = column_of("text")
        others = header.length() - header.sectionSize(column)
        least = TEXT_CHARS * self.fontMetrics().averageCharWidth()
        self.setColumnWidth(column, max(least, self.viewport().width() - others))

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        """Another column made wider or narrower by hand takes from or gives to the texts."""
        if column != column_of("text"):
            self.fill_with_text()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The header is resized with the table, and when a scroll bar comes or goes: the
        texts take or give the difference."""
        if watched is self.horizontalHeader() and event.type() == QEvent.Type.Resize:
            self.fill_with_text()
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        copied = self.selected_text() if event.matches(QKeySequence.StandardKey.Copy) else ""
        if copied:
            QGuiApplication.clipboard().setText(copied)
            event.accept()
            return
        super().keyPressEvent(event)

    def selected_text(self) -> str:
        """Every selected row, a line each with its visible columns' displayed values
        tab-separated, in the order the view shows them; "" when nothing is selected.

        Each cell is escaped as a CSV export's is (``spreadsheet_safe``): a spreadsheet
        evaluates a pasted "=HYPERLINK(...)" as it would a file's. The rows come from the
        selection's ranges, not its indexes: Ctrl+A over 100,000 rows made 800,000 of those,
        2 s before any text."""
        model = cast(BatchTableModel, self.model())  # the only model this view is given
        rows_header, columns_header = self.verticalHeader(), self.horizontalHeader()
        selection = self.selectionModel().selection()
        selected: set[int] = set()
        for number in range(selection.count()):  # the stubs know no iterating over it
            span = selection.at(number)
            selected.update(range(span.top(), span.bottom() + 1))
        rows = sorted(selected, key=rows_header.visualIndex)
        columns = [
            column
            for column in map(columns_header.logicalIndex, range(columns_header.count()))
            if not self.isColumnHidden(column)
        ]
        return "\n".join(
            "\t".join(
                spreadsheet_safe(model.display_text(row, column).translate(_ONE_LINE))
                for column in columns
            )
            for row in rows
        )
