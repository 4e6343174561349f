"""A confidence bar whose percentage is written beside the fill, never over it.

Text drawn over a progress bar changes background part-way through, and on several styles and
dark palettes sits on a fill it barely contrasts with. Beside the bar, in an ordinary label, it
keeps the window's own text colour, so it reads on light and dark palettes alike.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from assistant.gui.wording import percent

# Scores giving the longest words, ">99%" and "100%"; which is wider depends on the font.
WIDEST_SCORES = (0.999, 1.0)


def _words(score: float) -> str:
    return f"{percent(score)} confident"


class ConfidenceBar(QWidget):
    """``name`` is the accessible name of the bar; the label beside it says the same in words."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(name)
        self.bar.setMaximumHeight(12)
        self.bar.setMinimumWidth(48)  # its own minimum (~120 px) widened the results column
        self.label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.label)

    def set_score(self, score: float) -> None:
        self.bar.setValue(round(score * 100))
        self.label.setText(_words(score))
        # Room for the widest words in the current font, so the bar keeps its length.
        metrics = self.label.fontMetrics()
        self.label.setMinimumWidth(max(metrics.size(0, _words(s)).width() for s in WIDEST_SCORES))
