"""Sentiment split and top intents of a batch, drawn with QPainter (no plotting library)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from assistant.batch_summary import TOP_INTENTS, BatchSummary
from assistant.gui import theme
from assistant.gui.wording import plain_label

_GAP = 6


class BatchChart(QWidget):
    """Left: one stacked bar of positive vs negative. Right: bars of the most common intents."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Chart of the sentiment split and the top intents")
        # Shrinks (dropping its last intents) where a large font on a small screen leaves the
        # table no room; the batch window's splitter lets the person choose.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.summary = BatchSummary()

    def _row_height(self) -> int:
        """A text row: the font's line height with a little air (18 px at 10 pt)."""
        return self.fontMetrics().height() + 4

    def sizeHint(self) -> QSize:
        return QSize(480, (TOP_INTENTS + 1) * (self._row_height() + _GAP) + _GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 3 * (self._row_height() + _GAP) + _GAP)  # a title, the bar, one intent

    def show_summary(self, summary: BatchSummary) -> None:
        """Draw the totals of ``summary`` (the batch window's own, updated as rows arrive)."""
        self.summary = summary
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """The chart in words, for screen readers and tooltips."""
        counts = [
            *self.summary.sentiments.most_common(),
            *self.summary.intents.most_common(TOP_INTENTS),
        ]
        parts = [f"{plain_label(label)}: {n}" for label, n in counts]
        return "; ".join(parts)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        sections = [  # a task not run (or whose every text failed) leaves no empty title
            paint
            for paint, counts in (
                (self._paint_sentiment, self.summary.sentiments),
                (self._paint_intents, self.summary.intents),
            )
            if counts
        ]
        width = self.width() / max(len(sections), 1)
        for number, paint in enumerate(sections):
            area = QRectF(number * width + _GAP, _GAP, width - 2 * _GAP, self.height())
            paint(painter, area, text_color)
        painter.end()

    def has_counts(self) -> bool:
        """Whether there is anything to draw: rows that all failed give none."""
        return bool(self.summary.sentiments or self.summary.intents)

    def _paint_sentiment(self, painter: QPainter, area: QRectF, text_color: QColor) -> None:
        line = self._row_height()
        painter.setPen(text_color)
        total = sum(self.summary.sentiments.values())
        bar = QRectF(area.x(), area.y() + line + _GAP, area.width(), line * 1.5)
        legend_fits = bar.bottom() + _GAP + 2 * line + 2 <= self.height()
        title = "Sentiment"
        if total and not legend_fits:  # a large font: the shares, not colour alone, in words
            positive = self.summary.sentiments["positive"] / total
            title += f": {positive:.0%} positive, {1 - positive:.0%} negative"
        title = self.fontMetrics().elidedText(
            title, Qt.TextElideMode.ElideRight, int(area.width())
        )
        painter.drawText(QRectF(area.x(), area.y(), area.width(), line), title)
        if not total:
            return
        x = bar.x()
        for label in ("positive", "negative"):
            share = self.summary.sentiments[label] / total
            segment = QRectF(x, bar.y(), bar.width() * share, bar.height())
            painter.fillRect(segment, theme.sentiment_color(label))
            x += segment.width()
        legend_y = bar.bottom() + _GAP
        swatch = line - 8
        for number, label in enumerate(("positive", "negative")):
            count = self.summary.sentiments[label]
            text = f"{plain_label(label)} {count} ({count / total:.0%})"
            row = QRectF(area.x() + swatch + 6, legend_y + number * (line + 2), area.width(), line)
            if row.bottom() > self.height():
                break
            painter.fillRect(
                QRectF(area.x(), row.y() + 4, swatch, swatch), theme.sentiment_color(label)
            )
            painter.drawText(row, Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_intents(self, painter: QPainter, area: QRectF, text_color: QColor) -> None:
        line = self._row_height()
        painter.setPen(text_color)
        painter.drawText(QRectF(area.x(), area.y(), area.width(), line), "Top intents")
        top = self.summary.intents.most_common(TOP_INTENTS)
        if not top:
            return
        most = top[0][1]
        label_width = area.width() * 0.5
        number_width = self.fontMetrics().horizontalAdvance(f"{most:,}") + 4
        # Grey, not the palette's highlight: a blue like it means "positive" beside it.
        bar_color = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        bar_color.setAlpha(110)
        for number, (label, count) in enumerate(top, start=1):
            y = area.y() + number * (line + _GAP)
            if y + line > self.height():  # the rest would be cut mid-row
                break
            name = QRectF(area.x(), y, label_width - _GAP, line)
            elided = self.fontMetrics().elidedText(
                plain_label(label), Qt.TextElideMode.ElideRight, int(name.width())
            )
            painter.drawText(name, Qt.AlignmentFlag.AlignVCenter, elided)
            width = (area.width() - label_width - number_width) * count / most
            painter.fillRect(QRectF(area.x() + label_width, y + 2, width, line - 4), bar_color)
            painter.drawText(
                QRectF(area.x() + label_width + width + 4, y, number_width, line),
                Qt.AlignmentFlag.AlignVCenter,
                f"{count:,}",
            )
