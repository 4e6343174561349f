"""Room for the text: the text box keeps a readable width, and the history gives way first.

At 640 px beside the history and the results the text box had shrunk to three letters a line.
Where the window is narrower than all three need, the history hides (with a word on how to show
it again); then the results shrink to their least width. Shown again, the history widens the
window where the screen has room, or floats over the text on a small screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QPlainTextEdit, QWidget

from assistant.gui.widgets.status_line import STATUS_MESSAGE_MS

TEXT_MIN_CHARS = 25
"""The text box keeps room for this many average characters of its font."""


class TextRoom(QObject):
    """Watches the window's width and font; ``central`` holds the text box and the results."""

    def __init__(
        self,
        window: QMainWindow,
        central: QWidget,
        editor: QPlainTextEdit,
        history: QDockWidget,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._central = central
        self._editor = editor
        self._history = history
        self._hidden_note = ""  # the status bar's word on a history that gave way
        history.visibilityChanged.connect(self._make_room_for_history)
        window.installEventFilter(self)

    def fit_widths(self) -> None:
        """The text box's least width in its font, and the window's: the text beside the
        results. The history is left out of it: where it does not fit, it hides."""
        editor, window = self._editor, self._window
        margins = 2 * (editor.frameWidth() + editor.document().documentMargin())
        chars = TEXT_MIN_CHARS * editor.fontMetrics().averageCharWidth()
        scroll_bar = editor.verticalScrollBar().sizeHint().width()
        editor.setMinimumWidth(round(chars + margins) + scroll_bar)
        parts = (self._central, window.menuBar(), window.statusBar())
        window.setMinimumWidth(max(part.minimumSizeHint().width() for part in parts))
        self._give_way_to_the_text()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A new font size: the least widths follow it, once every widget has it. Made
        narrower, the window hides the history."""
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self, self.fit_widths)
        elif isinstance(event, QResizeEvent) and event.size().width() < event.oldSize().width():
            self._give_way_to_the_text()
        return False

    def _history_squeezes_the_text(self) -> bool:
        """The history is docked in a window narrower than it, the text and the results need."""
        docked = self._history.isVisibleTo(self._window) and not self._history.isFloating()
        return docked and self._window.width() < self._needed_width()

    def _needed_width(self) -> int:
        """What the window's layout needs across, with the history where it is shown."""
        layout = self._window.layout()
        return layout.minimumSize().width() if layout is not None else 0

    def _give_way_to_the_text(self) -> None:
        """Hide the history from a window too narrow for it, and say how to show it again. Not
        before the window is shown: it may yet be widened."""
        if not self._window.isVisible() or not self._history_squeezes_the_text():
            return
        self._history.hide()
        keys = self._history.toggleViewAction().shortcut()
        again = keys.toString(QKeySequence.SequenceFormat.NativeText) or "View → History"
        self._hidden_note = f"The history is hidden to make room: {again} shows it."
        self._window.statusBar().showMessage(self._hidden_note, STATUS_MESSAGE_MS)

    def _make_room_for_history(self, visible: bool) -> None:
        """The history shown in a window too narrow for it: widen the window, now and again
        once the layout has taken in what changed with it (a notice makes the history wider)."""
        if not visible:
            return
        status_bar = self._window.statusBar()
        if status_bar.currentMessage() == self._hidden_note:
            status_bar.clearMessage()  # no longer true
        self._widen_for_history()
        QTimer.singleShot(0, self, self._widen_for_history)

    def _widen_for_history(self) -> None:
        if not self._history_squeezes_the_text():
            return
        needed = self._needed_width()
        window = self._window
        frame = window.frameGeometry().width() - window.width()
        if needed + frame <= window.screen().availableGeometry().width():
            window.resize(needed, window.height())
        else:  # a small screen: over the text, in a window of its own (Ctrl+H hides it)
            self._history.setFloating(True)
