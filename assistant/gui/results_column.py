"""The results column: the language notice and the three panels, one above the other, scrolled to
what the user is busy with. At a large font the panels run below the visible part, and the
question box or a new answer would be out of sight there."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QScrollArea, QVBoxLayout, QWidget

from assistant.gui.widgets.intent_panel import IntentPanel
from assistant.gui.widgets.notice_banner import NoticeBanner
from assistant.gui.widgets.qa_panel import QaPanel
from assistant.gui.widgets.sentiment_panel import SentimentPanel


class ResultsColumn(QScrollArea):
    """Scrolls to the result widget that takes focus, and to an answer given to the question
    being asked (``show_answer``)."""

    def __init__(
        self,
        notice: NoticeBanner,
        sentiment: SentimentPanel,
        intent: IntentPanel,
        qa: QaPanel,
    ) -> None:
        super().__init__()
        results = QWidget()
        column = QVBoxLayout(results)
        for widget in (notice, sentiment, intent, qa):
            column.addWidget(widget)
        column.addStretch()
        self.setWidget(results)
        self.setWidgetResizable(True)
        self.setMinimumWidth(320)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setAccessibleName("Results")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # an invisible Tab stop otherwise
        self._qa = qa
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._show_focused)

    def show_answer(self) -> None:
        """An answer to the question being asked scrolls into view under it; the focus stays
        where it is. Once laid out: the answer's height is not known before."""
        focused = self.window().focusWidget()
        if focused is not None and self._qa.isAncestorOf(focused):
            QTimer.singleShot(0, self, self._scroll_to_answer)

    def _scroll_to_answer(self) -> None:
        self.ensureWidgetVisible(self._qa.best)

    def _show_focused(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Ctrl+L would have the user type into a question box out of sight."""
        results = self.widget()
        if new is not None and results is not None and results.isAncestorOf(new):
            self.ensureWidgetVisible(new)
