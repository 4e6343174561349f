"""Keyboard-only and screen-reader use: shortcuts in text boxes, where focus goes, what is said."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QLayout, QMessageBox, QWidget

from assistant.gui.application import apply_font_size
from assistant.gui.main_window import MainWindow
from assistant.gui.widgets.confidence_bar import ConfidenceBar
from assistant.gui.wording import speakable

from .fake_engine import FakeEngine

TEXT = "The weather in Lisbon is lovely. The traffic was awful!"
TIMEOUT_MS = 5000


class Spoken(list):
    """What the window announced to a screen reader: (text, urgent) pairs."""

    def __call__(self, _source, text: str, urgent: bool = False) -> None:
        self.append((speakable(text), urgent))  # as ``announce`` has it said


@pytest.fixture
def spoken(monkeypatch) -> Spoken:
    said = Spoken()
    for module in (
        "analysis_flow",
        "widgets.status_line",
        "widgets.batch_dialog",
        "widgets.sentiment_panel",
    ):
        monkeypatch.setattr(f"assistant.gui.{module}.announce", said)
    return said


def test_the_menus_keys_win_over_the_text_boxes_own(qtbot, window: MainWindow) -> None:
    """Linux line edits take Ctrl+E (end of line) for themselves; every platform's take Ctrl+A
    (select all), which stands in for it here, where the offscreen platform has no Linux keys."""
    fired: list[str] = []
    stand_in = QAction("Stand-in", window)
    stand_in.setShortcut("Ctrl+A")
    stand_in.triggered.connect(lambda: fired.append("menu"))
    window.menuBar().actions()[1].menu().addAction(stand_in)
    window.activateWindow()
    for box in (window.qa_panel.question, window.history_panel.search):
        box.setText("some words")
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        assert fired == ["menu"] and not box.hasSelectedText()
        fired.clear()
    stand_in.setEnabled(False)  # a disabled action leaves the key to the box
    qtbot.keyClick(window.history_panel.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert window.history_panel.search.hasSelectedText()


def test_finished_results_and_problems_are_announced(
    qtbot, window: MainWindow, spoken: Spoken
) -> None:
    window.qa_panel.question.setText("Where is the weather lovely?")
    window.editor.setPlainText(TEXT)
    window.analyse_now()
    qtbot.waitUntil(lambda: bool(spoken), timeout=TIMEOUT_MS)
    ((text, urgent),) = spoken
    assert not urgent
    assert text.startswith("Sentiment: Positive, ") and "% confident. Intent: " in text
    assert f". Question: {speakable(window.qa_panel.best.text())}" in text  # with its score

    spoken.clear()
    window.status_line.show_problem("The history could not be saved (disk full).")
    assert spoken == [("The history could not be saved (disk full).", True)]


def test_the_results_are_said_without_the_marks_and_gaps_laid_out_for_the_eye(
    qtbot, window: MainWindow, spoken: Spoken
) -> None:
    """The answer was said as "Question: \u200e\u2068lovely\u2069  (90%)": the direction
    marks that keep a right-to-left answer in place, and the gap before its score."""
    window.qa_panel.question.setText("Where is the weather lovely?")
    window.editor.setPlainText(TEXT)
    window.analyse_now()
    qtbot.waitUntil(lambda: bool(spoken), timeout=TIMEOUT_MS)
    assert "\u2068lovely\u2069  (90%)" in window.qa_panel.best.text()  # as shown
    assert spoken == [
        (
            "Sentiment: Positive, 80% confident."
            " Intent: Weather, asks for the weather forecast, 93% confident."
            " Question: lovely (90%)",
            False,
        )
    ]


def test_a_model_error_is_announced_urgently_once(qtbot, make_window, spoken: Spoken) -> None:
    """Once, when the models load: said again with the results at every pause in typing, its
    63 words cut into each of them."""
    window = make_window(engine=FakeEngine(broken={"qa"}))
    qtbot.waitUntil(lambda: bool(spoken), timeout=TIMEOUT_MS)
    ((text, urgent),) = spoken
    assert urgent and "model cannot be used" in text
    window.qa_panel.question.setText("Where?")
    window.editor.setPlainText(TEXT)
    window.analyse_now()
    qtbot.waitUntil(lambda: len(spoken) == 2, timeout=TIMEOUT_MS)
    text, urgent = spoken[1]
    assert not urgent and "Sentiment: Positive" in text and "cannot be used" not in text


def write_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["text"])
        writer.writerows([TEXT] for _ in range(rows))
    return path


def test_batch_focus_goes_to_cancel_then_export_and_tab_leaves_the_table(
    qtbot, window: MainWindow, tmp_path: Path, spoken: Spoken, monkeypatch
) -> None:
    discard = QMessageBox.StandardButton.Discard  # closing asks about the unexported rows
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: discard)
    dialog = window.open_batch()
    dialog.set_file(write_csv(tmp_path / "in.csv", 5))
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT_MS)
    dialog.run_button.setFocus()
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        qtbot.keyClick(dialog.run_button, Qt.Key.Key_Space)
        assert QApplication.focusWidget() in (dialog.cancel_button, dialog.export_csv_button)
    qtbot.waitUntil(dialog.export_csv_button.hasFocus, timeout=TIMEOUT_MS)
    assert spoken[-1] == (dialog.status.text(), False) and spoken[-1][0].startswith("Done: 5")

    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
    assert not dialog.table.hasFocus()


def test_a_large_font_keeps_the_batch_buttons_on_a_small_screen(qtbot, window) -> None:
    """At 24 pt the dialog's least height was more than a 1080p screen at 200% has (540):
    its page now scrolls and the buttons stay under it."""
    apply_font_size(QApplication.instance(), 24)
    try:
        dialog = window.open_batch()
        assert dialog.minimumSizeHint().height() < 400
    finally:
        apply_font_size(QApplication.instance(), None)


def test_a_confidence_bar_is_grey_whatever_the_highlight(qtbot) -> None:
    """The highlight colour (often blue) beside "Negative" read as the positive tint."""
    bar = ConfidenceBar("Sentiment confidence")
    qtbot.addWidget(bar)
    fill = bar.bar.palette().color(QPalette.ColorRole.Highlight)
    assert fill.saturation() == 0


def test_the_sentence_at_the_cursor_shows_its_score(qtbot, window: MainWindow) -> None:
    """The tint is colour and its tooltip needs a mouse: the panel says it in words too."""
    window.editor.setPlainText("Lovely day. Awful queue.")
    qtbot.waitUntil(lambda: window.editor.tint_count() == 2, timeout=TIMEOUT_MS)
    cursor = window.editor.textCursor()
    cursor.setPosition(15)
    window.editor.setTextCursor(cursor)
    assert window.sentiment_panel.at_cursor.text() == "Sentence at the cursor: Negative (90%)"
    cursor.setPosition(2)
    window.editor.setTextCursor(cursor)
    assert window.sentiment_panel.at_cursor.text().endswith(": Positive (90%)")
    window.editor.clear()
    qtbot.waitUntil(window.sentiment_panel.at_cursor.isHidden, timeout=TIMEOUT_MS)


def test_the_history_close_button_grows_with_a_large_font(qtbot, window: MainWindow) -> None:
    button = window.history_dock.titleBarWidget().close_button
    small = button.iconSize().width()
    apply_font_size(QApplication.instance(), 24)
    try:
        qtbot.waitUntil(lambda: button.iconSize().width() >= 2 * small, timeout=TIMEOUT_MS)
    finally:
        apply_font_size(QApplication.instance(), None)


def test_the_same_results_and_problems_are_not_said_again(
    qtbot, window: MainWindow, spoken: Spoken
) -> None:
    """Each pause in typing re-analyses; a screen reader must not hear unchanged results, nor
    a failing autosave's problem, again at every pause."""
    window.editor.setPlainText(TEXT)
    qtbot.waitUntil(lambda: len(spoken) == 1, timeout=TIMEOUT_MS)
    window.analysis._dirty.update({"sentiment", "intent"})
    window.analyse_changed()  # what a pause in typing does: the same results again
    qtbot.waitUntil(lambda: not window.analysis._pending, timeout=TIMEOUT_MS)
    assert len(spoken) == 1
    window.analyse_now()  # asked for: said again
    qtbot.waitUntil(lambda: len(spoken) == 2, timeout=TIMEOUT_MS)
    assert spoken[1] == spoken[0]
    spoken.pop()
    for _ in range(2):
        window.status_line.show_problem("The history could not be saved (disk full).")
    assert spoken[1:] == [("The history could not be saved (disk full).", True)]


def test_an_answer_chosen_after_an_edit_is_not_said_to_be_marked(
    qtbot, window: MainWindow, spoken: Spoken
) -> None:
    window.qa_panel.question.setText("Where is the weather lovely?")
    window.editor.setPlainText(TEXT)
    qtbot.waitUntil(lambda: window.qa_panel.answers.count() > 1, timeout=TIMEOUT_MS)
    window.editor.appendPlainText("More.")  # not analysed yet: the offsets no longer hold
    spoken.clear()
    window.qa_panel.answers.itemActivated.emit(window.qa_panel.answers.item(1))
    assert spoken == []


def put_cursor(window: MainWindow, position: int) -> None:
    cursor = window.editor.textCursor()
    cursor.setPosition(position)
    window.editor.setTextCursor(cursor)


def test_the_sentence_at_the_cursor_follows_edits_and_errors(
    qtbot, window: MainWindow, engine: FakeEngine
) -> None:
    window.editor.setPlainText("Lovely day. Awful queue.")
    qtbot.waitUntil(lambda: window.editor.tint_count() == 2, timeout=TIMEOUT_MS)
    put_cursor(window, 0)
    window.editor.textCursor().insertText("Really ")  # the tints move, and so does their text
    put_cursor(window, 15)
    assert window.sentiment_panel.at_cursor.text().endswith(": Positive (90%)")
    engine.broken.add("sentiment")
    window.analyse_now()
    qtbot.waitUntil(lambda: window.sentiment_panel.error is not None, timeout=TIMEOUT_MS)
    put_cursor(window, 25)
    assert window.sentiment_panel.at_cursor.isHidden() and window.editor.tint_count() == 0
    engine.broken.discard("sentiment")
    window.analyse_now()  # the same result as before the error: the line comes back
    qtbot.waitUntil(lambda: window.editor.tint_count() == 2, timeout=TIMEOUT_MS)
    assert window.sentiment_panel.at_cursor.text().endswith(": Negative (90%)")


def test_reopening_and_copying_are_said(qtbot, window: MainWindow, spoken: Spoken) -> None:
    """Each changed only a label: opening a history entry, Ctrl+Shift+C."""
    window.qa_panel.question.setText("Where is the weather lovely?")
    window.editor.setPlainText(TEXT)
    window.analyse_now()
    qtbot.waitUntil(lambda: bool(spoken), timeout=TIMEOUT_MS)
    (entry,) = window.store.search()
    window.new_analysis()
    spoken.clear()
    window.reopen(entry)
    qtbot.waitUntil(lambda: bool(spoken), timeout=TIMEOUT_MS)
    assert "Sentiment: Positive" in spoken[-1][0]
    window.copy_answer()
    assert spoken[-1][0].startswith("Copied the answer: ")


def test_an_entry_without_a_question_is_said_when_reopened_with_its_own_note(
    qtbot, window: MainWindow, spoken: Spoken
) -> None:
    """Its question panel stays idle: nothing was said; and the note was the last text's."""
    window.editor.setPlainText(TEXT)
    window.analyse_now()
    qtbot.waitUntil(lambda: bool(spoken), timeout=TIMEOUT_MS)
    (entry,) = window.store.search()
    window.editor.setPlainText("Это очень хороший продукт, спасибо большое")
    window.analyse_now()
    qtbot.waitUntil(lambda: "Latin alphabet" in spoken[-1][0], timeout=TIMEOUT_MS)
    spoken.clear()
    window.reopen(entry)
    qtbot.waitUntil(lambda: bool(spoken), timeout=TIMEOUT_MS)
    assert "Sentiment: Positive" in spoken[-1][0] and "Latin alphabet" not in spoken[-1][0]


def test_one_problem_under_three_panels_is_said_once_then_pointed_to(
    window: MainWindow, spoken: Spoken
) -> None:
    message = "The text holds no word the models know."
    flow = window.analysis
    flow._pending |= {"sentiment", "intent", "qa"}
    flow._on_error("sentiment", message)
    flow._on_error("intent", message)
    flow._on_error("qa", "The text to search holds no word the models know.")
    ((text, urgent),) = spoken
    assert urgent and text.count("holds no word") == 1
    assert "Intent: The same problem as under Sentiment" in text


def test_the_sentence_the_caret_is_moved_into_is_said_and_typing_says_nothing(
    qtbot, window: MainWindow, spoken: Spoken
) -> None:
    """The panel asks keyboard users to put the cursor in a sentence for its score; a screen
    reader heard nothing of it."""
    window.editor.setPlainText(TEXT)
    window.analyse_now()
    qtbot.waitUntil(lambda: window.editor.tint_count() == 2, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: bool(spoken), timeout=TIMEOUT_MS)
    said = len(spoken)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.moveCursor(QTextCursor.MoveOperation.Left)  # into "The traffic was awful!"
    assert spoken[-1][0].startswith("Sentence at the cursor: Negative")
    window.editor.moveCursor(QTextCursor.MoveOperation.Start)
    assert spoken[-1][0].startswith("Sentence at the cursor: Positive")
    assert len(spoken) == said + 2
    window.editor.insertPlainText("Oh. ")  # typing: nothing more is said
    assert len(spoken) == said + 2


def laid_out(layout: QLayout) -> list[QWidget]:
    """The widgets of a layout and of the layouts in it, top to bottom."""
    widgets: list[QWidget] = []
    for item in (layout.itemAt(i) for i in range(layout.count())):
        if item.widget() is not None:
            widgets.append(item.widget())
        elif item.layout() is not None:
            widgets += laid_out(item.layout())
    return widgets


@pytest.mark.parametrize(
    ("name", "headline"),
    [("sentiment_panel", "label"), ("intent_panel", "label"), ("qa_panel", "best")],
)
def test_a_screen_reader_meets_a_panels_lines_in_their_order_on_screen(
    window: MainWindow, name: str, headline: str
) -> None:
    """The state line and the hint, made first, were listed before the headline."""
    panel = getattr(window, name)
    accessible = QAccessible.queryAccessibleInterface(panel)
    listed = [accessible.child(i).object() for i in range(accessible.childCount())]

    assert listed == laid_out(panel.layout())
    assert listed.index(getattr(panel, headline)) < listed.index(panel.state_label)


def test_an_answer_across_a_line_break_is_said_on_one_line(
    qtbot, window: MainWindow, spoken: Spoken
) -> None:
    """Marking and copying said the answer with the text's line break and indentation; the
    clipboard keeps the answer as it is in the text."""
    from assistant.engine import Answer

    text = "It was free at no\n    charge today."
    window.qa_panel.question.setText("Was it free?")
    window.editor.setPlainText(text)
    window.analyse_now()
    qtbot.waitUntil(lambda: bool(spoken), timeout=TIMEOUT_MS)
    answer = "at no\n    charge"
    start = text.index(answer)
    window.analysis.choose_answer(Answer(answer, start, start + len(answer), 0.9))
    assert spoken[-1][0] == "Marked in the text: at no charge"
    window.copy_answer()
    assert spoken[-1][0] == "Copied the answer: at no charge"
    assert QApplication.clipboard().text() == answer


def test_an_unsure_sentence_reads_as_a_lean_at_the_cursor(qtbot, window: MainWindow) -> None:
    """The panel said "Leans negative" of a text at 68%; a sentence at 68% read "Negative"."""
    from assistant.engine import SentenceSentiment

    window.editor.setPlainText("Fine. Meh.")
    window.editor.show_sentences(
        [
            SentenceSentiment("Fine.", 0, 5, "positive", 0.95),
            SentenceSentiment("Meh.", 6, 10, "negative", 0.68),
        ]
    )
    cursor = window.editor.textCursor()
    cursor.setPosition(8)
    window.editor.setTextCursor(cursor)
    qtbot.waitUntil(
        lambda: window.sentiment_panel.at_cursor.text().endswith(": Leans negative (68%)"),
        timeout=TIMEOUT_MS,
    )


def test_a_file_of_rows_is_pointed_to_the_batch_window_politely(
    window: MainWindow, tmp_path: Path, spoken: Spoken
) -> None:
    """Advice, not a problem: it was said urgently, cutting off what the reader was saying."""
    path = tmp_path / "reviews.csv"
    path.write_text("id,review\n1,The room was lovely.\n", encoding="utf-8")
    assert window.editor.load_file(path)
    assert [urgent for text, urgent in spoken if "Batch analysis" in text] == [False]
