"""The window's status bar: passing messages, a problem that stays, and the models' state."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from assistant.gui.announce import announce

STATUS_MESSAGE_MS = 8000


class StatusLine(QStatusBar):
    """A problem stays until the next message: gone after a few seconds or at the first menu
    tip, it could be missed by a user who looked away or reads with a screen reader."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.setAccessibleName("Models are loading")
        self.engine_label = QLabel("Loading models…")
        self.engine_label.setAccessibleDescription("Model status")
        self.addPermanentWidget(self.engine_label)
        self.addPermanentWidget(self.busy)
        self.problem_label = QLabel()  # under passing messages and menu tips, not wiped by them
        self.problem_label.setWordWrap(True)  # a long one takes a second line, not cut mid-word
        self.addWidget(self.problem_label, 1)
        self._problem = ""

    def show_models_loaded(self, broken: int, total: int) -> None:
        """How many of the ``total`` tasks' models failed to load, ``broken``."""
        self.busy.setVisible(False)
        if not broken:
            self.engine_label.setText("Models ready")  # not "Ready": an answer may be running
        elif broken < total:
            self.engine_label.setText(
                "Some models could not be loaded: see the messages on the right"
            )
        else:
            self.engine_label.setText("No model could be loaded: see the messages on the right")

    def show_message(self, message: str) -> None:
        """A passing message, said to a screen reader too ("Copied the answer: …" was only
        shown); it replaces a problem shown before."""
        self.clear_problem()
        self.showMessage(message, STATUS_MESSAGE_MS)
        announce(self, message)

    def show_problem(self, message: str, detail: str = "", advice: bool = False) -> None:
        """``detail`` (a file's path) goes in the tooltip only: in the line, a long path was
        broken across two lines at one of its slashes. ``advice`` (a better place for a file)
        stays as a problem does, but is no warning: said politely, without a ⚠."""
        self.clearMessage()
        if message != self._problem:  # once, not at every failed autosave
            announce(self, message, urgent=not advice)
        self._problem = message
        self.problem_label.setText(message if advice else f"⚠ {message}")
        # The whole of it, where the bar cuts it.
        self.problem_label.setToolTip(f"{message}\n{detail}" if detail else message)

    def withdraw_problem(self, message: str) -> None:
        """Clear a problem that is over, unless another one has been shown since: that one
        still stands."""
        if message and self._problem == message:
            self.clear_problem()

    def clear_problem(self) -> None:
        self._problem = ""
        self.problem_label.clear()
        self.problem_label.setToolTip("")
