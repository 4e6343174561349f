"""What a batch run has given so far: its rows in a table, and their totals in a chart above it,
which the person can make taller or shorter (a large font on a small screen leaves little room)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

from assistant.batch_items import BatchRow
from assistant.batch_summary import BatchSummary
from assistant.gui.widgets.batch_chart import BatchChart
from assistant.gui.widgets.batch_table import BatchTableModel, BatchTableView


class BatchResults(QSplitter):
    """The chart is hidden while it has nothing to draw: titles over nothing read as a fault."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.summary = BatchSummary()
        self.chart = BatchChart()
        self.chart.setVisible(False)
        self.model = BatchTableModel()
        self.table = BatchTableView()
        self.table.setModel(self.model)
        self.table.fit_columns()
        self.setChildrenCollapsible(False)
        self.addWidget(self.chart)
        self.addWidget(self.table)
        self.setStretchFactor(1, 1)

    def clear(self) -> None:
        """Forget the rows of an earlier run."""
        self.model.clear()
        self.summary = BatchSummary()
        self.table.show_problems(False)
        self.chart.show_summary(self.summary)
        self.chart.setVisible(False)

    def add_rows(self, rows: Sequence[BatchRow]) -> None:
        """Show and count the next rows of the run."""
        had_problems = bool(self.summary.errors)
        self.model.add_rows(rows)
        for row in rows:
            self.summary.add(row)
        if self.summary.errors and not had_problems:  # once: a width set by hand then stands
            self.table.show_problems(True)
        self.chart.show_summary(self.summary)
        self.chart.setVisible(self.chart.has_counts())
