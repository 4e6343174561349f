"""First sizes of windows that fit a small laptop screen (1366x768, 1280x720, 150% scaling)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.9
"""Of the screen's free area a new window may take: its title bar and frame need the rest."""


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to ``width`` x ``height``, or smaller where the screen is, so that no button starts
    below the screen's edge."""
    available = widget.screen().availableGeometry()
    widget.resize(
        min(width, int(available.width() * SCREEN_SHARE)),
        min(height, int(available.height() * SCREEN_SHARE)),
    )
