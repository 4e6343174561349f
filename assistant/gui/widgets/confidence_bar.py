"""A confidence bar whose percentage is written beside the fill, never over it.

Text drawn over a progress bar changes background part-way through, and on several styles and
dark palettes sits on a fill it barely contrasts with. Beside the bar, in an ordinary label, it
keeps the window's own text colour, so it reads on light and dark palettes alike.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QLayout, QProgressBar, QWidget

from assistant.gui import theme
from assistant.gui.wording import percent

# Scores giving the longest words, ">99%" and "100%"; which is wider depends on the font.
WIDEST_SCORES = (0.999, 1.0)


def _words(score: float) -> str:
    return f"{percent(score)} confident"


class ConfidenceBar(QWidget):
    """``name`` is the accessible name of the bar; the label beside it says the same in words.
    Where the two do not fit side by side (a large font), the words go under the bar and may
    wrap: held side by side, they pushed the results column into a sideways scroll."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(name)
        self.bar.setMaximumHeight(12)
        self.bar.setMinimumWidth(48)  # its own minimum (~120 px) widened the results column
        self.label = QLabel()
        self.label.setWordWrap(True)
        self._words_width = 0
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # see minimum
        self._layout.addWidget(self.bar, 1)
        self._layout.addWidget(self.label)
        self._paint_fill()

    def _paint_fill(self) -> None:
        palette = self.bar.palette()
        palette.setColor(QPalette.ColorRole.Highlight, theme.neutral_fill(self.palette()))
        self.bar.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        """A switch between light and dark palettes reaches the bar: grey for it again."""
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_fill()
        super().changeEvent(event)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.bar.minimumWidth(), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(event.size().width())
        super().resizeEvent(event)

    def set_score(self, score: float) -> None:
        self.bar.setValue(round(score * 100))
        self.label.setText(_words(score))
        metrics = self.label.fontMetrics()
        self._words_width = max(metrics.size(0, _words(s)).width() for s in WIDEST_SCORES)
        self._arrange(self.width())

    def _arrange(self, width: int) -> None:
        """Side by side, the words get room for the widest score, so the bar keeps its length
        as the score changes; stacked, they take what there is."""
        needed = self.bar.minimumWidth() + self._layout.spacing() + self._words_width
        side_by_side = width >= needed
        self._layout.setDirection(
            QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom
        )
        self.label.setMinimumWidth(self._words_width if side_by_side else 0)
