"""The main window on a fake engine: results while typing, highlights, stale requests, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QAccessible, QAction, QColor, QTextOption
from PySide6.QtWidgets import QApplication, QToolButton

from assistant.gui.application import apply_font_size
from assistant.gui.main_window import WIDTH_FOR_HISTORY, MainWindow
from assistant.gui.widgets.text_editor import LONG_RUN, SPLIT_HINT
from assistant.history import HistoryStore
from assistant.limits import MAX_INPUT_CHARS, MAX_TEXT_FILE_BYTES
from assistant.locations import MODELS_DIR_ENV
from assistant.repair_hint import REPAIR_HINT

from .drops import drop, file_drop
from .fake_engine import FakeEngine

TEXT = "The weather in Lisbon is lovely. The traffic was awful!"
TIMEOUT_MS = 5000


def wait_for_results(
    qtbot, window: MainWindow, tasks: tuple[str, ...] = ("sentiment", "intent", "qa")
) -> None:
    qtbot.waitUntil(
        lambda: not window.analysis._pending and all(t in window.analysis._results for t in tasks),
        timeout=TIMEOUT_MS,
    )


def test_paste_shows_results_for_all_three_tasks(qtbot, window: MainWindow) -> None:
    window.qa_panel.question.setText("Where is the weather lovely?")
    QApplication.clipboard().setText(TEXT)
    window.editor.setFocus()
    window.editor.paste()

    wait_for_results(qtbot, window)

    assert window.sentiment_panel.label.text() == "Positive"
    assert (
        "2 sentences: 1 positive (blue), 1 negative (orange)"
        in window.sentiment_panel.detail.text()
    )
    assert "Most negative: “\u200e\u2068The traffic was awful!\u2069” (90%)" in (
        window.sentiment_panel.detail.text()
    )  # in words, not only the tint
    assert window.editor.tint_count() == 2
    assert window.intent_panel.label.text() == "Weather"
    assert window.intent_panel.domain.text() == "Domain: Utility"
    assert window.intent_panel.description.text() == "Asks for the weather forecast"
    assert "Timezone" in window.intent_panel.alternatives.text()
    assert window.qa_panel.best.text().startswith("\u200e\u2068lovely\u2069")  # isolated for RTL
    assert window.editor.answer_text() == "lovely"
    window.copy_answer()
    assert QApplication.clipboard().text() == "lovely"


def test_ctrl_enter_analyses_without_waiting(
    qtbot, window: MainWindow, engine: FakeEngine
) -> None:
    window.analysis._debounce.setInterval(60_000)
    window.editor.setPlainText("Change the language please.")
    assert engine.texts("intent") == []

    qtbot.keyClick(window.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(
        lambda: window.intent_panel.label.text() == "Change language", timeout=TIMEOUT_MS
    )


def test_answer_highlight_lands_on_the_context_slice(qtbot, window: MainWindow) -> None:
    context = "Emoji first 🎉🙂 then Porto and later Lisbon, both in Portugal."
    window.qa_panel.question.setText("Lisbon or Porto")
    window.editor.setPlainText(context)
    wait_for_results(qtbot, window)

    best, other = (window.qa_panel.answers.item(i).data(Qt.ItemDataRole.UserRole) for i in (0, 1))
    assert window.editor.answer_text() == context[best.start : best.end] == "Porto"

    window.qa_panel.answers.itemClicked.emit(window.qa_panel.answers.item(1))
    assert window.editor.answer_text() == context[other.start : other.end] == "Lisbon"


def test_answer_on_a_long_text_is_scrolled_into_view(qtbot, window: MainWindow) -> None:
    context = "Filler line.\n" * 400 + "The treasure is buried under the oak.\n" + "More.\n" * 50
    window.qa_panel.question.setText("Where is the oak")
    window.editor.setPlainText(context)
    wait_for_results(qtbot, window)

    assert window.editor.answer_text() == "oak"
    cursor = window.editor._answer.cursor
    assert window.editor.viewport().rect().contains(window.editor.cursorRect(cursor))


def test_fast_typing_sends_one_request_after_the_pause(
    qtbot, window: MainWindow, engine: FakeEngine
) -> None:
    qtbot.keyClicks(window.editor, "I hate this weather")
    wait_for_results(qtbot, window, ("sentiment", "intent"))

    assert engine.texts("sentiment") == ["I hate this weather"]
    assert window.sentiment_panel.label.text() == "Negative"


def test_stale_requests_are_skipped_and_their_answers_dropped(
    qtbot, window: MainWindow, engine: FakeEngine
) -> None:
    engine.gate.clear()
    window.editor.setPlainText("Awful first text.")
    window.analyse_now()
    qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT_MS)
    for text in ("Second text is bad.", "Third one.", "Lovely weather at last."):
        window.editor.setPlainText(text)
        window.analyse_now()
    shown: list[str] = []
    window.service.result.connect(lambda task, payload: shown.append(task))
    engine.gate.set()

    wait_for_results(qtbot, window, ("sentiment", "intent"))

    # The first call was already running; the two middle ones were skipped, never run.
    assert engine.texts("sentiment") == ["Awful first text.", "Lovely weather at last."]
    assert shown.count("sentiment") == 1
    assert window.sentiment_panel.label.text() == "Positive"
    assert window.intent_panel.label.text() == "Weather"


def test_broken_qa_model_shows_an_error_while_the_rest_works(qtbot, make_window) -> None:
    window = make_window(engine=FakeEngine(broken={"qa"}))
    assert "SHA-256" in window.qa_panel.state_label.text()
    assert window.qa_panel.state_label.text().endswith(REPAIR_HINT)

    window.qa_panel.question.setText("What is lovely?")
    window.editor.setPlainText(TEXT)
    qtbot.waitUntil(lambda: window.intent_panel.label.text() == "Weather", timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not window.analysis._pending, timeout=TIMEOUT_MS)

    assert window.sentiment_panel.label.text() == "Positive"
    assert window.sentiment_panel.error is None
    assert "SHA-256" in window.qa_panel.error
    assert window.qa_panel.state_label.isVisibleTo(window)
    assert window.editor.answer_text() is None


def test_an_engine_that_cannot_load_is_explained_and_typing_still_works(
    qtbot, make_window, settings, store
) -> None:
    def failing_factory(threads: int | None) -> object:
        raise RuntimeError("no model bundles found")

    window = MainWindow(settings, store, failing_factory)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.service.ready, timeout=TIMEOUT_MS):
        window.show()
    window.editor.setPlainText("Still typing.")
    window.analyse_now()

    qtbot.waitUntil(lambda: not window.analysis._pending, timeout=TIMEOUT_MS)
    assert "no model bundles found" in (window.sentiment_panel.error or "")
    for panel in (window.intent_panel, window.qa_panel):  # the same words once is enough
        assert panel.state_label.text() == "⚠ The same problem as under Sentiment."
        assert "no model bundles found" in panel.summary()  # what a screen reader is told
    from assistant.engine import Sentiment

    window.analysis._pending.discard("sentiment")
    window.analysis._on_result("sentiment", Sentiment("positive", 0.9))  # from the history, say
    window.analysis._on_error("qa", window.analysis._model_error("qa") or "")
    assert "no model bundles found" in (window.qa_panel.error or "")  # no pointer to a result


def test_out_of_scope_keeps_the_nearest_intents_visible(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText("Sing me something.")
    qtbot.waitUntil(lambda: window.intent_panel.label.text() == "Out of scope", timeout=TIMEOUT_MS)

    assert (
        window.intent_panel.alternatives.text() == "Nearest intents: Fun fact 20%, Tell joke 10%"
    )
    assert window.intent_panel.description.text() == "None of the known intents fits this text."
    assert window.intent_panel.domain.isHidden()


def test_text_in_another_script_shows_a_warning_until_english_returns(
    qtbot, window: MainWindow
) -> None:
    window.editor.setPlainText("这是一个很好的产品")
    wait_for_results(qtbot, window, ("sentiment", "intent"))
    assert not window.language_notice.isHidden()
    assert "not written in the Latin alphabet" in window.language_notice.text()

    window.editor.setPlainText(TEXT)
    qtbot.waitUntil(window.language_notice.isHidden, timeout=TIMEOUT_MS)
    window.editor.setPlainText("مرحبا كيف حالك")
    qtbot.waitUntil(lambda: not window.language_notice.isHidden(), timeout=TIMEOUT_MS)
    window.editor.clear()
    qtbot.waitUntil(window.language_notice.isHidden, timeout=TIMEOUT_MS)
    window.editor.setPlainText("Très déçu.")  # positive at 0.89, and nothing said
    qtbot.waitUntil(lambda: not window.language_notice.isHidden(), timeout=TIMEOUT_MS)
    assert window.language_notice.text().startswith("Note: This text does not look like English.")


def test_clearing_the_text_clears_the_results(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText(TEXT)
    wait_for_results(qtbot, window, ("sentiment", "intent"))
    intent = window.intent_panel
    lines = (window.sentiment_panel.detail, intent.description, intent.domain)
    assert not any(line.isHidden() for line in lines)
    window.editor.clear()
    qtbot.waitUntil(lambda: window.sentiment_panel.label.text() == "—", timeout=TIMEOUT_MS)

    assert window.editor.tint_count() == 0
    assert all(line.isHidden() for line in lines)  # no gaps left by empty lines


def test_new_analysis_can_be_undone(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.editor, "Words typed a moment ago")
    window.new_analysis()
    assert window.editor.toPlainText() == ""
    window.editor.undo()
    assert window.editor.toPlainText() == "Words typed a moment ago"


def test_a_long_run_without_spaces_wraps_anywhere_until_it_is_gone(window: MainWindow) -> None:
    """Qt's default wrap takes seconds a keystroke on such a run (text_editor.LONG_RUN)."""
    editor, anywhere = window.editor, QTextOption.WrapMode.WrapAnywhere
    editor.replace_text("A normal sentence.\n" + "f0" * LONG_RUN + "\nAnother one.")
    assert editor.wordWrapMode() == anywhere
    editor.undo()
    assert editor.wordWrapMode() != anywhere
    editor.replace_text("word " * LONG_RUN)
    assert editor.wordWrapMode() != anywhere
    editor.replace_text("x" * LONG_RUN)
    cursor = editor.textCursor()
    cursor.setPosition(LONG_RUN // 2)
    cursor.insertText(" ")  # a space typed into the run ends it
    assert editor.wordWrapMode() != anywhere
    editor.replace_text("x" * (LONG_RUN + 2))
    cursor = editor.textCursor()
    cursor.setPosition(LONG_RUN // 2)
    cursor.insertText("\n")  # and so does a line break
    assert editor.wordWrapMode() != anywhere
    words = "word " * (LONG_RUN // 2)  # the paragraph's start lies far from the change
    half = "x" * (LONG_RUN // 2 + 1)
    editor.replace_text(words + half + " " + half)
    cursor = editor.textCursor()
    cursor.setPosition(len(words) + len(half))
    cursor.deleteChar()  # removing the space joins two halves into one run
    assert editor.wordWrapMode() == anywhere
    editor.replace_text(words + "x" * (LONG_RUN - 1) + " end")
    assert editor.wordWrapMode() != anywhere
    cursor = editor.textCursor()
    cursor.setPosition(len(words) + LONG_RUN - 1)
    cursor.insertText("y")  # one more letter makes the run long
    assert editor.wordWrapMode() == anywhere


@pytest.mark.parametrize(
    ("data", "shown", "message"),
    [
        ("Grüße, 😀 مرحبا".encode("utf-16"), "Grüße, 😀 مرحبا", "Opened"),
        ("Notepad without a mark".encode("utf-16-le"), "Notepad without a mark", "Opened"),
        (("A table ─ " + "row " * 30).encode("utf-16-le"), "A table ─ " + "row " * 30, "Opened"),
        ("Name ─ value".encode("utf-16-le"), "Name ─ value", "Opened"),
        ("Big-endian, no mark".encode("utf-16-be"), "Big-endian, no mark", "Opened"),
        (
            "北京是中国的首都。\n一个人 2024。\n".encode("utf-16-le"),
            "北京是中国的首都。\n一个人 2024。\n",
            "Opened",
        ),
        ("안녕하세요 😀\n".encode("utf-16-be"), "안녕하세요 😀\n", "Opened"),  # no mark, few NULs
        ("\u3000吾輩は猫である。\n".encode("utf-16-le"), "\u3000吾輩は猫である。\n", "Opened"),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "café", "Opened"),
        (
            b"caf\xe9 cr\xe8me \x80",
            "café crème €",
            "1 line of file.txt was not UTF-8 and was read",
        ),
        (b"caf\xc3\xa9 \xff", "café \ufffd", "could not be read and show as"),  # UTF-8, damaged
        (b"%PDF-1.4\n\x00\x01binary", None, "not a text file"),
        (b"\x00\x00a\x00" + b"a\x00" * 50, None, "not a text file"),  # a NUL pair
        (b"Text, one stray\x00 NUL\nread in pairs\n", None, "not a text file"),  # not Chinese
    ],
)
def test_opening_a_file_reads_utf16_warns_of_unreadable_bytes_and_refuses_binary(
    window: MainWindow, tmp_path, data: bytes, shown: str | None, message: str
) -> None:
    window.editor.setPlainText("kept")
    path = tmp_path / "file.txt"
    path.write_bytes(data)

    assert window.editor.load_file(path) is (shown is not None)
    assert window.editor.toPlainText() == (shown or "kept")
    shown = window.statusBar().currentMessage() or window.status_line.problem_label.text()
    assert message in shown
    if message != "Opened":  # a problem outlives a menu's empty status tip
        window.statusBar().showMessage("")
        assert message in window.status_line.problem_label.text()


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf \r\n\t\n"])  # empty; a BOM and blanks
def test_opening_an_empty_file_says_it_holds_no_text(window: MainWindow, tmp_path, data) -> None:
    """The status bar said "Opened /…/empty.txt" over a blank box, not that it held nothing."""
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    window.editor.setPlainText("kept")

    assert window.editor.load_file(path)
    assert not window.editor.toPlainText().strip()
    assert window.statusBar().currentMessage() == "Opened empty.txt: it holds no text to analyse."


def test_window_shows_and_accepts_typing_while_models_load(qtbot, make_window) -> None:
    slow = FakeEngine()
    slow.gate.clear()
    window = make_window(engine=slow, wait_ready=False)
    window.analyse_now()  # nothing typed yet: no request
    qtbot.keyClicks(window.editor, "Typing while loading")
    window.analyse_now()
    qtbot.waitUntil(slow.waiting.is_set, timeout=TIMEOUT_MS)

    assert window.isVisible() and window.status_line.busy.isVisible()
    assert window.editor.toPlainText() == "Typing while loading"
    assert window.sentiment_panel.state_label.text() == "Waiting for the models to load…"

    with qtbot.waitSignal(window.service.result, timeout=TIMEOUT_MS):
        slow.gate.set()
    qtbot.waitUntil(lambda: not window.analysis._pending, timeout=TIMEOUT_MS)
    assert not window.status_line.busy.isVisible()
    assert window.sentiment_panel.label.text() == "Positive"


def test_hovering_a_tinted_sentence_shows_its_score(qtbot, window: MainWindow) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    window.editor.setPlainText("Lovely day. Awful queue.")
    qtbot.waitUntil(lambda: window.editor.tint_count() == 2, timeout=TIMEOUT_MS)
    cursor = window.editor.textCursor()
    cursor.setPosition(15)
    point = window.editor.cursorRect(cursor).center()
    viewport = window.editor.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    window.editor.viewportEvent(event)

    assert QToolTip.text() == "Negative (90%)"
    window.editor.viewportEvent(QHelpEvent(QEvent.Type.ToolTip, QPoint(-5, -5), QPoint(0, 0)))


def test_interactive_widgets_have_accessible_names(window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QPlainTextEdit, QProgressBar

    kinds = (QLineEdit, QPlainTextEdit, QAbstractItemView, QProgressBar)
    unnamed = [
        type(widget).__name__
        for kind in kinds
        for widget in window.findChildren(kind)
        if not widget.accessibleName()
    ]
    assert unnamed == []


def test_a_copied_answer_keeps_its_line_break(window: MainWindow) -> None:
    window.editor.setPlainText("12 Rua Augusta\nLisbon")
    window.editor.highlight_answer(0, 21)
    window.copy_answer()
    assert QApplication.clipboard().text() == "12 Rua Augusta\nLisbon"


def test_the_results_scroll_to_the_question_when_it_takes_focus(qtbot, window) -> None:
    window.resize(900, 220)  # a short window: the question sits below the visible part
    window.show()
    qtbot.waitExposed(window)
    scroll, question = window.results_column, window.qa_panel.question

    def visible() -> bool:
        top = question.mapTo(scroll.viewport(), question.rect().topLeft()).y()
        return top >= 0 and top + question.height() <= scroll.viewport().height()

    assert not visible()
    window.focus_question()
    qtbot.waitUntil(question.hasFocus)
    assert visible()


def test_a_screen_reader_reads_the_results_themselves(qtbot, window: MainWindow) -> None:
    window.qa_panel.question.setText("Where is the weather lovely?")
    qtbot.keyClicks(window.editor, TEXT)
    wait_for_results(qtbot, window)
    labels = (
        window.sentiment_panel.label,
        window.intent_panel.label,
        window.intent_panel.description,
        window.intent_panel.domain,
        window.qa_panel.best,
        window.status_line.engine_label,
    )
    for label in labels:
        assert label.text()
        read = QAccessible.queryAccessibleInterface(label).text(QAccessible.Text.Name)
        assert read == label.text(), label.accessibleDescription()


def test_headlines_follow_the_font_size_setting(qtbot, window: MainWindow) -> None:
    app = QApplication.instance()
    try:
        apply_font_size(app, 16)
        qtbot.waitUntil(
            lambda: window.sentiment_panel.label.font().pointSizeF() == pytest.approx(16 * 1.3)
        )
        assert window.sentiment_panel.label.font().bold()
        title = window.history_dock.titleBarWidget().label  # Qt's own title kept its first font
        assert title.font().pointSizeF() == pytest.approx(16)
    finally:
        apply_font_size(app, None)


def test_the_history_title_s_button_hides_the_history(qtbot, window: MainWindow) -> None:
    window.history_dock.show()
    close = window.history_dock.titleBarWidget().findChild(QToolButton)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not window.history_dock.isVisible()
    assert not window.history_dock.toggleViewAction().isChecked()  # Ctrl+H brings it back


def test_the_answer_reads_dark_on_amber_in_any_theme(qtbot, window: MainWindow) -> None:
    window.qa_panel.question.setText("Lisbon or Porto")
    window.editor.setPlainText("Then Porto and later Lisbon.")
    wait_for_results(qtbot, window)
    (answer,) = [s for s in window.editor.extraSelections() if s.format.fontUnderline()]
    assert answer.format.foreground().color() == QColor(0, 0, 0)
    assert answer.format.background().color().alpha() == 255


def test_tab_walks_text_question_answers_history_then_its_buttons(window: MainWindow) -> None:
    window.store.add("kept", "", {})
    window.history_panel.refresh()
    window.history_panel.list.setCurrentRow(0)
    chain, widget = [], window.editor
    for _ in range(9):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled()):
            widget = widget.nextInFocusChain()
    assert chain == [
        window.editor,
        window.qa_panel.question,
        window.qa_panel.stop_button,  # shown only while a long answer is worked out
        window.qa_panel.answers,
        window.history_panel.search,
        window.history_panel.list,
        window.history_panel.open_button,
        window.history_panel.delete_button,
        window.history_panel.clear_button,
    ]  # and no stop on the frameless results area, which showed no focus


@pytest.mark.parametrize("stop_with", ["click", "space", "escape"])
def test_a_long_answer_shows_how_far_it_has_read_and_can_be_stopped(
    qtbot, window: MainWindow, engine: FakeEngine, monkeypatch, stop_with: str
) -> None:
    monkeypatch.setattr("assistant.gui.workers.ANSWER_PROGRESS_S", 0.0)
    engine.gated_tasks = {"qa"}
    engine.gate.clear()
    window.qa_panel.question.setText("Where is the weather lovely?")
    window.editor.setPlainText(TEXT)
    window.analyse_now()
    qtbot.waitUntil(window.qa_panel.stop_button.isVisible, timeout=TIMEOUT_MS)
    assert window.qa_panel.state_label.text() == "Reading the text for the answer: 25%"

    if stop_with == "click":
        qtbot.mouseClick(window.qa_panel.stop_button, Qt.MouseButton.LeftButton)
    elif stop_with == "space":  # the hidden button hands focus on: not to the history search
        window.activateWindow()
        window.qa_panel.stop_button.setFocus()
        qtbot.keyClick(window.qa_panel.stop_button, Qt.Key.Key_Space)
        assert QApplication.focusWidget() is window.qa_panel.question
    else:  # Escape from wherever the focus is in the window (macOS has no Alt+S)
        window.activateWindow()
        window.editor.setFocus()
        qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
    assert window.qa_panel.state_label.text().startswith("Stopped.")
    assert not window.qa_panel.stop_button.isVisible() and "qa" not in window.analysis._pending
    engine.gate.set()
    qtbot.waitUntil(lambda: engine.stopped != [], timeout=TIMEOUT_MS)  # it ended early
    qtbot.wait(100)
    assert window.qa_panel.best.text() == "—" and "qa" not in window.analysis._results
    (kept,) = window.store.search()
    assert kept.results.keys() == {"sentiment", "intent"}

    window.analyse_now()  # asked again
    wait_for_results(qtbot, window)
    assert "lovely" in window.qa_panel.best.text()


def test_a_new_text_pasted_during_a_long_answer_leaves_no_dead_stop(
    qtbot, window: MainWindow, engine: FakeEngine, monkeypatch
) -> None:
    monkeypatch.setattr("assistant.gui.workers.ANSWER_PROGRESS_S", 0.0)
    engine.gated_tasks = {"qa"}
    engine.gate.clear()
    window.analysis._debounce.setInterval(60_000)  # the person is still typing the new text
    window.qa_panel.question.setText("Where is the weather lovely?")
    window.editor.setPlainText(TEXT)
    window.analyse_now()
    qtbot.waitUntil(window.qa_panel.stop_button.isVisible, timeout=TIMEOUT_MS)
    (stop,) = [a for a in window.findChildren(QAction) if a.text() == "&Stop the answer"]
    assert stop.isEnabled()

    window.editor.selectAll()
    window.editor.insertPlainText("A different text altogether.")
    assert not window.qa_panel.stop_button.isVisible() and not stop.isEnabled()
    assert not window.qa_panel.state_label.text().startswith("Reading")
    engine.gate.set()


def test_intent_says_when_only_the_beginning_was_read(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText("What's the weather like? " * 100)
    window.analyse_now()
    wait_for_results(qtbot, window, ("sentiment", "intent"))
    note = "Only the beginning of this text was read for its intent."
    assert window.intent_panel.state_label.text() == note
    (entry,) = window.store.search()
    window.new_analysis()
    window.reopen(entry)  # the stored result keeps it
    assert window.intent_panel.state_label.text() == note


def test_intent_of_a_long_text_is_called_a_rough_guide(qtbot, window: MainWindow) -> None:
    """A whole email got "Card declined, 66%" with nothing to say intent is for one request."""
    window.editor.setPlainText("What's the weather like in Lisbon this week, and tomorrow? " * 4)
    window.analyse_now()
    wait_for_results(qtbot, window, ("sentiment", "intent"))
    assert window.intent_panel.state_label.text().startswith("A long text for a request")
    window.editor.setPlainText("Sing me something, anything at all. " * 8)  # out of scope
    window.analyse_now()
    qtbot.waitUntil(lambda: window.intent_panel.label.text() == "Out of scope", timeout=TIMEOUT_MS)
    assert not window.intent_panel.state_label.text()  # not a request: no caveat needed
    window.editor.setPlainText("What's the weather like in Lisbon this week?")
    window.analyse_now()
    qtbot.waitUntil(lambda: not window.intent_panel.state_label.text(), timeout=TIMEOUT_MS)


def test_stop_leaves_no_answer_to_an_earlier_question(
    qtbot, window: MainWindow, engine: FakeEngine, monkeypatch
) -> None:
    monkeypatch.setattr("assistant.gui.workers.ANSWER_PROGRESS_S", 0.0)
    window.qa_panel.question.setText("Where is the weather lovely?")
    window.editor.setPlainText(TEXT)
    wait_for_results(qtbot, window)
    engine.gated_tasks = {"qa"}
    engine.gate.clear()
    window.qa_panel.question.setText("What was awful?")
    window.analyse_now()
    qtbot.waitUntil(window.qa_panel.stop_button.isVisible, timeout=TIMEOUT_MS)
    window.qa_panel.stop_button.click()
    engine.gate.set()
    assert window.qa_panel.best.text() == "—" and window.qa_panel.answers.count() == 0


def test_models_from_the_users_own_folder_are_not_mended_by_reinstalling(
    make_window, monkeypatch
) -> None:
    """A bundle in the folder SQUEEZE_ASSISTANT_MODELS names hides the shipped one."""
    monkeypatch.setenv(MODELS_DIR_ENV, "/home/me/my-models")
    window = make_window(engine=FakeEngine(broken={"qa"}))
    said = window.qa_panel.state_label.text()
    assert "Reinstalling" not in said
    assert "from /home/me/my-models, which SQUEEZE_ASSISTANT_MODELS names" in said


def test_the_repair_hint_stays_after_an_edit(qtbot, make_window) -> None:
    window = make_window(engine=FakeEngine(broken={"qa", "sentiment"}))
    qtbot.keyClicks(window.editor, "Some text, no question.")
    window.analyse_now()
    assert window.qa_panel.state_label.text().endswith(REPAIR_HINT)
    qtbot.waitUntil(lambda: "sentiment" not in window.analysis._pending, timeout=TIMEOUT_MS)
    assert window.sentiment_panel.state_label.text().endswith(REPAIR_HINT)


def test_a_narrow_first_start_gives_the_text_the_room_of_the_history(
    qtbot, make_window, settings
) -> None:
    window = make_window()
    assert window.width() < WIDTH_FOR_HISTORY  # the offscreen screen is small
    assert not window.history_dock.isVisible()
    assert window.editor.width() > window.width() // 3
    window.history_dock.toggleViewAction().trigger()  # Ctrl+H
    assert window.history_dock.isVisible()
    window.close()
    again = make_window()  # the user's choice is kept
    assert again.history_dock.isVisible()


def test_no_gap_opens_between_the_answer_and_its_note(qtbot, window: MainWindow) -> None:
    window.resize(1280, 860)
    window.qa_panel.question.setText("Where is the weather lovely?")
    window.editor.setPlainText(TEXT)
    wait_for_results(qtbot, window)
    best = window.qa_panel.best
    qtbot.waitUntil(lambda: best.height() == best.heightForWidth(best.width()), timeout=TIMEOUT_MS)


def test_the_window_is_gone_before_closing_waits_for_the_worker(window: MainWindow) -> None:
    """Stopping waits up to seconds for a call it cannot cut short (the tokenizer on a
    2,000,000-character text): the window must not sit there frozen meanwhile."""
    stop = window.service.stop
    shown_while_stopping: list[bool] = []

    def watched_stop() -> None:
        shown_while_stopping.append(window.isVisible())
        stop()

    window.service.stop = watched_stop
    window.close()
    assert shown_while_stopping == [False]


@pytest.mark.parametrize("how", ["paste", "drop"])
def test_new_text_is_analysed_without_waiting_for_a_pause_in_typing(
    window: MainWindow, how: str
) -> None:
    """A drop tells of its change only after the drop: the request must see the new text."""

    window.editor.setPlainText("The soup was cold.")
    window.analyse_now()
    given = QMimeData()
    given.setText(" Awful.")
    if how == "paste":
        window.editor.insertFromMimeData(given)
    else:
        drop(window.editor, given)
    QApplication.processEvents()
    assert not window.analysis._debounce.isActive()
    assert "Awful" in window.analysis._analysed_text  # sent at once, not after DEBOUNCE_MS
    assert {"sentiment", "intent"} <= window.analysis._pending


def test_a_question_without_a_text_says_where_the_answer_comes_from(
    qtbot, window: MainWindow
) -> None:
    window.qa_panel.question.setText("Who built it?")
    qtbot.waitUntil(
        lambda: "paste or type it" in window.qa_panel.state_label.text(), timeout=TIMEOUT_MS
    )
    window.editor.setPlainText("Gustave Eiffel built the tower.")
    qtbot.waitUntil(lambda: window.qa_panel.best.text() != "—", timeout=TIMEOUT_MS)
    assert "paste or type it" not in window.qa_panel.state_label.text()


def test_the_texts_width_beside_the_results_comes_back_after_a_restart(
    make_window, history_path
) -> None:
    window = make_window()
    total = sum(window._splitter.sizes())
    window._splitter.setSizes([total // 4, total - total // 4])
    dragged = window._splitter.sizes()
    window.close()

    store = HistoryStore(history_path)
    again = make_window(store=store)
    assert again._splitter.sizes() == dragged
    again.close()
    store.close()


def test_a_note_on_what_was_read_comes_before_the_breakdown_and_is_said(qtbot) -> None:
    """It qualifies the headline: under the quote, a long text's "first 256 of 4,272 sentences"
    was the last thing read, and a screen reader never heard it (the intent's was heard)."""
    from assistant.engine import SentenceSentiment, Sentiment
    from assistant.gui.widgets.sentiment_panel import SentimentPanel

    sentences = (
        SentenceSentiment("It was a lovely day out.", 0, 24, "positive", 0.9),
        SentenceSentiment("The train was awful and late.", 25, 54, "negative", 0.8),
    )
    note = "Only the first 2 of 3 sentences were analysed; the overall sentiment is theirs."
    panel = SentimentPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_result(Sentiment("positive", 0.9, sentences, note=note))
    layout = panel.layout()
    assert layout.indexOf(panel.cut_note) < layout.indexOf(panel.detail)
    assert panel.cut_note.text() == note and "Most negative" in panel.detail.text()
    assert panel.summary() == (
        "Sentiment: Positive, 90% confident, only the first 2 of 3 sentences were analysed;"
        " the overall sentiment is theirs."
    )


def test_a_greeting_or_sign_off_is_not_quoted_as_the_most_telling_sentence() -> None:
    from assistant.engine import SentenceSentiment, Sentiment
    from assistant.gui.widgets.sentiment_panel import SentimentPanel

    text = "The delivery was late again. Support never answered. Best, Laura"
    parts = [
        ("The delivery was late again.", "negative", 0.9),
        ("Support never answered.", "negative", 0.8),
        ("Best, Laura", "positive", 0.99),
    ]
    sentences = tuple(
        SentenceSentiment(part, text.index(part), text.index(part) + len(part), label, score)
        for part, label, score in parts
    )
    said = SentimentPanel._breakdown(Sentiment("negative", 0.8, sentences))
    assert "1 positive" in said and "Most positive" not in said  # "Hi team," was quoted too
    sentences += (SentenceSentiment("I did like the box it came in.", 64, 94, "positive", 0.7),)
    said = SentimentPanel._breakdown(Sentiment("negative", 0.8, sentences))
    assert "Most positive: “\u200e\u2068I did like the box it came in.\u2069” (70%)" in said


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            b"a" * (MAX_INPUT_CHARS + 1),
            f"has 2,000,001 characters; the limit is {MAX_INPUT_CHARS:,}",
        ),
        (b"a" * (MAX_TEXT_FILE_BYTES + 1), "is longer than the limit of 2,000,000 characters"),
        (b"a" * (MAX_INPUT_CHARS - 1) + b"\r\n", None),  # one character in the editor
    ],
    ids=["characters", "bytes", "a Windows line break"],
)
def test_a_file_longer_than_the_engine_takes_is_refused_when_opened(
    window: MainWindow, tmp_path, data: bytes, said: str | None
) -> None:
    """Opened, it could never be analysed: say so at once, and what to do."""
    window.editor.setPlainText("kept")
    path = tmp_path / "long.txt"
    path.write_bytes(data)

    assert window.editor.load_file(path) is (said is None)
    if said is None:
        assert len(window.editor.toPlainText()) == MAX_INPUT_CHARS
        return
    assert window.editor.toPlainText() == "kept"
    shown = window.status_line.problem_label.text()
    assert said in shown and shown.endswith(SPLIT_HINT)
    assert shown.count("long.txt") == 1  # "Cannot open long.txt: long.txt has …" named it twice


def test_a_file_dropped_with_a_web_link_opens_nothing_and_says_so(
    window: MainWindow, tmp_path
) -> None:
    """A file with a link is a drop of two things, not a text: the file's address went in."""
    window.editor.setPlainText("kept")
    (tmp_path / "one.txt").write_text("The weather is bad today.", encoding="utf-8")
    urls = [QUrl.fromLocalFile(str(tmp_path / "one.txt")), QUrl("https://example.org/page")]
    given = QMimeData()
    given.setUrls(urls)
    drop(window.editor, given)

    assert window.editor.toPlainText() == "kept"
    said = window.status_line.problem_label.text()
    assert "Drop one file at a time: 1 file and 1 link were dropped." in said


@pytest.mark.parametrize("where", ["editor", "question", "search", "window", "dock"])
def test_a_file_dropped_anywhere_on_the_window_opens_as_on_the_text(
    qtbot, window: MainWindow, tmp_path, where: str
) -> None:
    """The question box took "file:///…/note.txt" as the question and asked it; the search
    box searched for it. "window" is where Qt takes a drop over the results, the lists or the
    status bar; "dock" a drop on the history once it floats in its own window. Several files
    open none, and their addresses, also given as text, do not become the text."""
    target = {
        "editor": window.editor,
        "question": window.qa_panel.question,
        "search": window.history_panel.search,
        "window": window,
        "dock": window.history_dock,
    }[where]
    (tmp_path / "note.txt").write_text("The weather is bad today.", encoding="utf-8")
    window.qa_panel.question.setText("Is it bad?")

    assert drop(target, file_drop(tmp_path / "note.txt"))
    assert window.editor.toPlainText() == "The weather is bad today."
    assert window.qa_panel.question.text() == "Is it bad?"
    assert window.history_panel.search.text() == ""
    qtbot.waitUntil(lambda: window.qa_panel.best.text() != "—", timeout=TIMEOUT_MS)

    (tmp_path / "two.txt").write_text("More weather.", encoding="utf-8")
    drop(target, file_drop(tmp_path / "note.txt", tmp_path / "two.txt"))
    assert window.editor.toPlainText() == "The weather is bad today."
    said = window.status_line.problem_label.text()
    assert "Drop one file at a time: 2 files were dropped." in said
    assert window.qa_panel.question.text() == "Is it bad?"


def test_text_dropped_on_the_question_box_still_goes_in(window: MainWindow) -> None:
    given = QMimeData()
    given.setText("Why?")
    drop(window.qa_panel.question, given)
    assert window.qa_panel.question.text() == "Why?"


def test_a_web_link_dropped_alone_goes_in_as_text(window: MainWindow) -> None:
    given = QMimeData()
    given.setUrls([QUrl("https://example.org/page")])
    given.setText("https://example.org/page")
    drop(window.editor, given)

    assert window.editor.toPlainText() == "https://example.org/page"


def test_a_lone_surrogate_pasted_leaves_the_highlights_in_place(window: MainWindow) -> None:
    """A Windows clipboard can hold half an emoji: Qt kept it and Python's copy of the text
    did not, so every highlight after it landed one character early."""
    editor = window.editor
    editor.setPlainText("Before.")
    given = QMimeData()
    given.setText("Note \ud800 here. The museum was founded by Anna Berg.")
    editor.selectAll()
    editor.insertFromMimeData(given)

    text = editor.toPlainText()
    assert text == "Note \ufffd here. The museum was founded by Anna Berg."
    assert len(text) == editor.document().characterCount() - 1
    start = text.index("Anna Berg")
    editor.highlight_answer(start, start + len("Anna Berg"))
    assert editor.answer_text() == "Anna Berg"
    editor.undo()  # the paste and its mending are one step
    assert editor.toPlainText() == "Before."


def test_an_error_two_panels_share_is_written_out_once(window: MainWindow) -> None:
    """An emoji-only text put the same 40 words in red under Sentiment and Intent."""
    message = "The text holds no word the models know: they read English, and emoji, …"
    window.analysis._on_error("sentiment", message)
    window.analysis._on_error("intent", message)
    window.analysis._on_error("qa", "The question is empty; there is nothing to analyse.")
    assert window.sentiment_panel.state_label.text() == f"⚠ {message}"
    assert window.intent_panel.state_label.text() == "⚠ The same problem as under Sentiment."
    assert "question is empty" in window.qa_panel.state_label.text()


def test_the_same_problem_in_each_panel_s_words_is_written_out_once(window: MainWindow) -> None:
    """A damaged classifier said "The sentiment model cannot be used: …" and "The intent model
    …" in full; an emoji text "The text …" and, for the question, "The text to search …"."""
    cause = "cannot be used: bundle 'classify' (file model.onnx is incomplete)."
    window.analysis._on_error("sentiment", f"The sentiment model {cause}")
    window.analysis._on_error("intent", f"The intent model {cause}")
    assert window.intent_panel.state_label.text() == "⚠ The same problem as under Sentiment."
    window.analysis._on_error("sentiment", "The text holds no word the models know.")
    window.analysis._on_error("qa", "The text to search holds no word the models know.")
    assert window.qa_panel.state_label.text() == "⚠ The same problem as under Sentiment."
    window.analysis._on_error("qa", "The question holds no word the models know.")
    assert window.qa_panel.error == "The question holds no word the models know."


def test_the_intent_panel_lists_no_alternative_under_1_percent(qtbot) -> None:
    from assistant.engine import Intent
    from assistant.gui.widgets.intent_panel import IntentPanel

    panel = IntentPanel()
    qtbot.addWidget(panel)
    panel.show_result(Intent("weather", 0.9, "utility", (("time", 0.05), ("date", 0.004))))
    assert panel.alternatives.text() == "Next: Time 5%"
    panel.show_result(Intent("weather", 0.9, "utility", (("date", 0.004),)))
    assert panel.alternatives.isHidden()


def test_a_weak_intent_is_described_as_the_closest_match(qtbot) -> None:
    """ "Asks how to jump-start a dead car battery" at 47% read as what a phone review does."""
    from assistant.engine import Intent
    from assistant.gui.widgets.intent_panel import IntentPanel

    panel = IntentPanel()
    qtbot.addWidget(panel)
    said = "Asks how to jump-start a dead car battery"
    panel.show_result(Intent("jump_start", 0.47, "auto_and_commute", description=said))
    assert panel.description.text() == "Closest match: asks how to jump-start a dead car battery"
    panel.show_result(Intent("jump_start", 0.9, "auto_and_commute", description=said))
    assert panel.description.text() == said


def test_a_screen_reader_hears_what_the_intent_covers_and_its_caveat(qtbot) -> None:
    """It heard "Intent: Smart home, 50% confident" where the screen said "Closest match: …",
    and none of "None of the known intents fits" or the long-text caveat."""
    from assistant.engine import Intent
    from assistant.gui.widgets.intent_panel import IntentPanel

    panel = IntentPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_result(Intent("smart_home", 0.5, "home", description="Controls lights"), "a " * 40)
    said = panel.summary()
    assert said.startswith("Intent: Smart home, controls lights, 50% confident")
    assert said.endswith(
        "50% confident, a long text for a request: the model learned from requests of under"
        " 30 words, so take this as a rough guide."
    )
    panel.show_result(Intent("pto_request", 0.9, "work", description="PTO days left"))
    assert panel.summary().startswith("Intent: PTO request, PTO days left, 90% confident")
    panel.show_result(Intent("oos", 0.8, None, (("time", 0.1),)))
    said = panel.summary()  # no period before the comma: "fits this text., 80%" was heard
    assert "Out of scope, none of the known intents fits this text, 80% confident" in said


def test_a_skipped_models_folder_is_said_once_the_models_load(
    make_window, engine: FakeEngine
) -> None:
    """The command line noted a mistyped SQUEEZE_ASSISTANT_MODELS before each analysis; the
    window said nothing, and its results read as the named folder's."""
    note = f"{MODELS_DIR_ENV}=/home/me/my-modles is skipped: no such folder."
    engine.skipped = [note]
    window = make_window()
    assert window.status_line.problem_label.text() == f"⚠ {note}"
    assert window.status_line.engine_label.text() == "Models ready"


def test_a_broken_shipped_bundle_is_mended_by_reinstalling_whatever_the_variable_names(
    qtbot, make_window, monkeypatch, tmp_path
) -> None:
    """With SQUEEZE_ASSISTANT_MODELS naming a good folder, a broken shipped bundle was to be
    mended in that folder, which does not hold it; one problem is still written out once."""

    from assistant.engine import ModelError

    class Blaming(FakeEngine):
        def warm_up(self, tasks: list[str] | None = None) -> dict[str, ModelError | None]:
            shipped = Path("/opt/squeeze/models/classify")
            return {t: ModelError(t, self._broken_message(t), shipped) for t in tasks or ()}

    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path))
    window = make_window(engine=Blaming())
    assert window.sentiment_panel.state_label.text().endswith(REPAIR_HINT)
    assert window.intent_panel.state_label.text() == "⚠ The same problem as under Sentiment."


def test_a_sentence_quoted_across_a_line_break_shows_on_one_line(
    qtbot, window: MainWindow
) -> None:
    """The quote kept the text's line break and indentation, as answers did."""
    window.editor.setPlainText("The park was lovely today.\nThe traffic was\n    awful and slow!")
    wait_for_results(qtbot, window, ("sentiment", "intent"))
    assert "“\u200e\u2068The traffic was awful and slow!\u2069”" in (
        window.sentiment_panel.detail.text()
    )


def test_a_results_note_stays_when_the_models_are_ready_again(window: MainWindow) -> None:
    """A new threshold or thread count reloads the models; their "ready" wiped every panel's
    state line, and with it the note a result is to be read with ("Leans negative")."""
    from assistant.engine import SentenceSentiment, Sentiment
    from assistant.wording import UNSURE_SENTIMENT_NOTE

    sentence = SentenceSentiment("set an alarm for 7am", 0, 20, "negative", 0.68)
    window.sentiment_panel.show_result(Sentiment("negative", 0.68, (sentence,)))
    assert window.analysis.engine_state is not None
    window.analysis.models_ready(window.analysis.engine_state)
    assert window.sentiment_panel.state_label.text() == UNSURE_SENTIMENT_NOTE
