"""A one-paragraph notice above the results, for what the user should know before reading them."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QWidget


class NoticeBanner(QLabel):
    """Hidden until there is something to say; ``show_notice(None)`` hides it again."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleDescription(name)
        self.setWordWrap(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMargin(6)
        self.setVisible(False)

    def show_notice(self, message: str | None) -> None:
        self.setText(f"Note: {message}" if message else "")
        self.setVisible(bool(message))
