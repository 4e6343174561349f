"""A dock's title bar whose text follows the app's font size: Qt's own dock title keeps the font
it was created with (QDockWidget copies it once), so after a font change in the settings the
"History" title stayed small until a restart."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget


class DockTitle(QWidget):
    """The dock's title and a close button; dragging or double-clicking the title still moves
    or floats the dock (the label leaves those mouse events to it)."""

    def __init__(self, dock: QDockWidget, close_tip: str) -> None:
        super().__init__(dock)
        self.label = QLabel(dock.windowTitle())
        close = QToolButton()
        close.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        side = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) * 5 // 8
        close.setIconSize(QSize(side, side))  # as small as Qt's own dock buttons
        close.setAutoRaise(True)
        close.setToolTip(close_tip)
        close.setAccessibleName(close_tip)
        close.clicked.connect(dock.close)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.addWidget(self.label)
        layout.addStretch()
        layout.addWidget(close)
