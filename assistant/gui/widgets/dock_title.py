"""A dock's title bar whose text follows the app's font size: Qt's own dock title keeps the font
it was created with (QDockWidget copies it once), so after a font change in the settings the
"History" title stayed small until a restart."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget


class DockTitle(QWidget):
    """The dock's title and a close button; dragging or double-clicking the title still moves
    or floats the dock (the label leaves those mouse events to it)."""

    def __init__(self, dock: QDockWidget, close_tip: str) -> None:
        super().__init__(dock)
        self.label = QLabel(dock.windowTitle())
        self.close_button = close = QToolButton()
        close.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self._fit_button()
        close.setAutoRaise(True)
        close.setToolTip(close_tip)
        close.setAccessibleName(close_tip)
        close.clicked.connect(dock.close)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.addWidget(self.label)
        layout.addStretch()
        layout.addWidget(close)

    def _fit_button(self) -> None:
        """As small as Qt's own dock buttons, but growing with a large font: at 24 pt a 10-pixel
        target was hard to hit."""
        small = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) * 5 // 8
        side = max(small, self.fontMetrics().height() * 2 // 3)
        self.close_button.setIconSize(QSize(side, side))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_button()
        super().changeEvent(event)
