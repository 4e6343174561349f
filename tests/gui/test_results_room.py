"""The results column at a large font and in a small window: every line wraps, nothing is cut
off on the right, the text keeps a usable width, and an answer that comes in is shown; nothing
moves while results are refreshed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from assistant.gui.application import apply_font_size
from assistant.gui.main_window import MainWindow
from assistant.gui.text_room import TEXT_MIN_CHARS

from .fake_engine import FakeEngine

THREE = "The soup was lovely. The waiter was awful. The bill was fair and the room was quiet."
TIMEOUT_MS = 5000
LONG_REQUEST = "Will the weather in Lisbon be fine " + "for a walk by the river " * 6
"""Over 30 words: the intent comes with a note on a line of its own."""


def test_at_a_large_font_no_result_line_pushes_the_results_sideways(qtbot, window) -> None:
    app = QApplication.instance()
    try:
        apply_font_size(app, 16)
        window.resize(1152, 720)
        window.qa_panel.question.setText("Was the room quiet and the bill fair?")
        window.editor.setPlainText(THREE)
        qtbot.waitUntil(lambda: window.editor.tint_count() == 3, timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: window.qa_panel.answers.count() > 1, timeout=TIMEOUT_MS)
        cursor = window.editor.textCursor()
        cursor.setPosition(2)  # in a tinted sentence: "Sentence at the cursor: …"
        window.editor.setTextCursor(cursor)
        at_cursor = window.sentiment_panel.at_cursor
        qtbot.waitUntil(at_cursor.isVisible, timeout=TIMEOUT_MS)

        scroll = window.results_column
        results = scroll.widget()
        labels = [label for label in results.findChildren(QLabel) if label.isVisibleTo(results)]
        assert at_cursor in labels
        assert [label.accessibleDescription() for label in labels if not label.wordWrap()] == []
        assert results.minimumSizeHint().width() <= scroll.minimumWidth()
        qtbot.waitUntil(lambda: not scroll.horizontalScrollBar().isVisible(), timeout=TIMEOUT_MS)
    finally:
        apply_font_size(app, None)


def least_text_width(window: MainWindow) -> int:
    return TEXT_MIN_CHARS * window.editor.fontMetrics().averageCharWidth()


def test_a_window_made_narrow_hides_the_history_before_the_text_gets_squeezed(
    qtbot, window: MainWindow
) -> None:
    window.resize(1000, 600)
    window.history_dock.show()
    qtbot.waitUntil(lambda: window.history_dock.width() > 0)

    window.resize(640, 480)
    qtbot.waitUntil(lambda: not window.history_dock.isVisible(), timeout=TIMEOUT_MS)
    assert window.width() == 640  # not held wider by the history
    assert window.editor.width() >= least_text_width(window)
    assert "Ctrl+H shows it" in window.statusBar().currentMessage()

    window.history_dock.toggleViewAction().trigger()  # Ctrl+H: the window widens for it
    assert window.history_dock.isVisible()
    assert not window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.editor.width() >= least_text_width(window))
    assert window.width() <= window.screen().availableGeometry().width()


def test_the_text_keeps_its_least_width_at_a_large_font(qtbot, window: MainWindow) -> None:
    app = QApplication.instance()
    try:
        apply_font_size(app, 20)
        window.resize(400, 480)  # narrower than the text and the results need
        qtbot.waitUntil(lambda: window.editor.width() >= least_text_width(window))
        assert window.width() >= window.editor.width() + window.results_column.minimumWidth()
    finally:
        apply_font_size(app, None)


def test_an_answer_below_the_visible_results_scrolls_into_view(qtbot, window) -> None:
    app = QApplication.instance()
    try:
        apply_font_size(app, 16)
        window.resize(900, 420)  # the question sits below the visible part of the results
        window.editor.setPlainText(THREE)
        qtbot.waitUntil(lambda: window.editor.tint_count() == 3, timeout=TIMEOUT_MS)
        window.focus_question()
        question, best = window.qa_panel.question, window.qa_panel.best
        qtbot.waitUntil(question.hasFocus)
        viewport = window.results_column.viewport()

        def shown(widget: QWidget) -> bool:
            top = widget.mapTo(viewport, widget.rect().topLeft()).y()
            return top >= 0 and top + widget.height() <= viewport.height()

        qtbot.waitUntil(lambda: shown(question))
        window.results_column.verticalScrollBar().setValue(0)  # the user reads the sentiment
        assert not shown(best)
        qtbot.keyClicks(question, "Was the room quiet?")
        qtbot.waitUntil(lambda: "quiet" in best.text(), timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: shown(best), timeout=TIMEOUT_MS)
        assert question.hasFocus()
    finally:
        apply_font_size(app, None)


def test_on_a_screen_too_small_for_all_three_the_history_shows_in_its_own_window(
    qtbot, window: MainWindow
) -> None:
    app = QApplication.instance()
    try:
        apply_font_size(app, 20)  # the text, the results and the history outgrow the screen
        qtbot.waitUntil(lambda: window.editor.minimumWidth() > least_text_width(window))
        window.history_dock.hide()
        window.history_dock.toggleViewAction().trigger()  # Ctrl+H
        qtbot.waitUntil(window.history_dock.isFloating, timeout=TIMEOUT_MS)
        assert window.history_dock.isVisible()
        assert window.width() <= window.screen().availableGeometry().width()
        # The layout settles after the dock floats: on a busy machine, a moment later.
        qtbot.waitUntil(
            lambda: window.editor.width() >= least_text_width(window), timeout=TIMEOUT_MS
        )
    finally:
        apply_font_size(app, None)


@pytest.mark.parametrize("font_size", [None, 24])
def test_results_being_refreshed_say_so_in_their_titles_and_nothing_moves(
    qtbot, window: MainWindow, engine: FakeEngine, font_size: int | None
) -> None:
    """At every pause in typing an "Analysing…" line came under Sentiment and Intent and went
    with their results: the question box jumped down 40 px and back (76 px at 24 pt), for the
    whole inference on a slow laptop. The title says it, as far as the column's width goes."""
    app = QApplication.instance()
    apply_font_size(app, font_size)
    try:
        refresh_and_watch_the_question(qtbot, window, engine)
    finally:
        apply_font_size(app, None)


def refresh_and_watch_the_question(qtbot, window: MainWindow, engine: FakeEngine) -> None:
    panels = (window.sentiment_panel, window.intent_panel)
    scroll = window.results_column
    window.editor.setPlainText(LONG_REQUEST)
    qtbot.waitUntil(lambda: window.intent_panel.state_label.isVisible(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not window.analysis._pending, timeout=TIMEOUT_MS)
    note = window.intent_panel.state_label.text()

    def question_top() -> int:
        qtbot.wait(100)  # the layouts settle: a confidence bar's words may move under it
        return window.qa_panel.question.mapTo(window, QPoint(0, 0)).y()

    top = question_top()
    engine.gate.clear()
    window.editor.appendPlainText("Thanks.")
    qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT_MS)
    for panel in panels:  # cut short where the column is too narrow for all of it
        assert panel.title().startswith(f"{panel.name} — a") and panel.title().endswith("…")
        assert panel.fontMetrics().horizontalAdvance(panel.title()) <= panel.width()
    assert window.intent_panel.accessibleName() == "Intent results, analysing…"
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
    assert window.intent_panel.state_label.text() == note  # the result stays, with its note
    assert question_top() == top

    engine.gate.set()
    qtbot.waitUntil(lambda: not window.analysis._pending, timeout=TIMEOUT_MS)
    assert [panel.title() for panel in panels] == ["Sentiment", "Intent"]
    assert question_top() == top
