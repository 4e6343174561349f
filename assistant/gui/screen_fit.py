"""First sizes of windows that fit a small laptop screen (1366x768, 1280x720, 150% scaling),
and the scroll area that keeps what they hold in reach where the screen is smaller still."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QScrollArea, QWidget

SCREEN_SHARE = 0.9
"""Of the screen's free area a new window may take: its title bar and frame need the rest."""


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to ``width`` x ``height``, or smaller where the screen is, so that no button starts
    below the screen's edge."""
    available = widget.screen().availableGeometry()
    widget.resize(
        min(width, _widest(widget)),
        min(height, int(available.height() * SCREEN_SHARE)),
    )


def _widest(widget: QWidget) -> int:
    """The widest a new window may open on ``widget``'s screen."""
    return int(widget.screen().availableGeometry().width() * SCREEN_SHARE)


class ScrollingPage(QScrollArea):
    """``page`` in a frameless scroll area as wide as its window: a large font on a small
    screen (24 pt at 200%) makes it taller than the screen, and the window's buttons, kept
    below the area, out of reach unless it scrolls."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self._page = page
        self.setWidget(page)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # an invisible Tab stop otherwise

    def fit_window(self, window: QWidget, layout: QLayout, width: int) -> None:
        """``fit_to_screen`` for ``window``, whose ``layout`` holds this area, at ``width`` and
        the height showing the page whole there: the area's size hint knows nothing of how
        tall wrapped text grows when narrowed, nor of a frame round it (one that takes focus)."""
        margins = layout.contentsMargins()
        width = min(width, _widest(window))  # as fit_to_screen will narrow it: text wraps more
        frame = 2 * self.frameWidth()
        page_height = self._page.heightForWidth(width - margins.left() - margins.right() - frame)
        around = layout.sizeHint().height() - self.sizeHint().height()
        fit_to_screen(window, width, around + page_height + frame)
