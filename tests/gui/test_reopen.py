"""Reopening a kept analysis shows its stored results as they were, without running the models."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from assistant.engine import Answer, Intent, SentenceSentiment, Sentiment
from assistant.gui.analysis_flow import DEBOUNCE_MS
from assistant.gui.main_window import MainWindow
from assistant.history import HistoryStore, from_stored, to_stored

from .fake_engine import FakeEngine

TEXT = "The weather in Lisbon is lovely. The traffic was awful!"
QUESTION = "Where is the weather lovely?"
TIMEOUT_MS = 5000


def shown(window: MainWindow) -> dict[str, object]:
    """Everything the results panels and the editor show of an analysis."""
    sentiment, intent, qa = window.sentiment_panel, window.intent_panel, window.qa_panel
    return {
        "sentiment": sentiment.label.text(),
        "sentiment confidence": sentiment.bar.label.text(),
        "breakdown": sentiment.detail.text(),
        "intent": intent.label.text(),
        "domain": intent.domain.text(),
        "description": intent.description.text(),
        "intent confidence": intent.bar.label.text(),
        "alternatives": intent.alternatives.text(),
        "best answer": qa.best.text(),
        "answers": [qa.answers.item(i).text() for i in range(qa.answers.count())],
        "tints": window.editor.tint_count(),
        "highlight": window.editor.answer_text(),
    }


def analyse(qtbot, window: MainWindow, text: str, question: str = "") -> None:
    count = window.history_panel.list.count()
    window.new_analysis()
    window.qa_panel.question.setText(question)
    window.editor.setPlainText(text)
    qtbot.waitUntil(lambda: window.history_panel.list.count() == count + 1, timeout=TIMEOUT_MS)


def open_entry(qtbot, window: MainWindow, search: str) -> None:
    with qtbot.waitSignal(window.history_panel.listed, timeout=TIMEOUT_MS):
        window.history_panel.search.setText(search)
        window.history_panel.search.returnPressed.emit()  # Enter: no wait for typing to pause
    window.history_panel.list.setCurrentRow(0)
    window.history_panel.open_button.click()


def test_reopening_shows_the_stored_results_without_inference(
    qtbot, window: MainWindow, engine: FakeEngine, store: HistoryStore
) -> None:
    analyse(qtbot, window, TEXT, QUESTION)
    first = shown(window)
    analyse(qtbot, window, "Change my language to French.")
    assert shown(window) != first
    calls = len(engine.calls)
    kept = store.search("Lisbon")[0]

    open_entry(qtbot, window, "Lisbon")

    assert window.editor.toPlainText() == TEXT
    assert window.qa_panel.question.text() == QUESTION
    assert shown(window) == first
    assert not window.analysis._pending and not window.analysis._debounce.isActive()
    qtbot.wait(DEBOUNCE_MS * 2)
    assert len(engine.calls) == calls
    assert store.get(kept.id) == kept  # nothing was analysed, so nothing was rewritten

    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, " I hate queues.")
    assert len(engine.calls) == calls  # edits wait for the debounce, as usual
    qtbot.waitUntil(
        lambda: "3 sentences" in window.sentiment_panel.detail.text(), timeout=TIMEOUT_MS
    )
    assert engine.texts("sentiment")[-1] == TEXT + " I hate queues."
    qtbot.waitUntil(lambda: store.get(kept.id).text.endswith("queues."), timeout=TIMEOUT_MS)
    assert len(store.search()) == 2  # the reopened entry was updated in place


def test_only_a_task_without_a_stored_result_is_analysed(
    qtbot, window: MainWindow, engine: FakeEngine, store: HistoryStore
) -> None:
    sentiment = Sentiment(
        "negative", 0.75, (SentenceSentiment(TEXT, 0, len(TEXT), "negative", 0.75),)
    )
    results = {"sentiment": to_stored("sentiment", sentiment), "intent": {"label": "weather"}}
    entry_id = store.add(TEXT, QUESTION, results)  # the intent result is damaged, QA is missing
    window.history_panel.refresh()

    open_entry(qtbot, window, "")

    assert window.sentiment_panel.label.text() == "Leans negative"  # under 80%, as stored
    assert window.sentiment_panel.bar.label.text() == "75% confident"
    qtbot.waitUntil(
        lambda: store.get(entry_id).results.keys() == {"sentiment", "intent", "qa"},
        timeout=TIMEOUT_MS,
    )
    assert engine.texts("sentiment") == []
    assert engine.texts("intent") == [TEXT]
    assert engine.texts("qa") == [(QUESTION, TEXT)]
    assert window.intent_panel.label.text() == "Weather"
    assert store.get(entry_id).results["sentiment"] == results["sentiment"]


def test_stored_results_read_back_as_the_engine_gave_them() -> None:
    results = {
        "sentiment": Sentiment(
            "positive",
            0.8,
            (SentenceSentiment("Good.", 0, 5, "positive", 0.8),),
            truncated=True,
            note="Only the start was read.",
            probabilities=(("positive", 0.8), ("negative", 0.2)),
        ),
        "intent": Intent("weather", 0.9, "utility", (("time", 0.05),)),
        "qa": [Answer("Porto", 3, 8, 0.7), Answer("", 0, 0, 0.1)],
    }
    stored = {task: to_stored(task, payload) for task, payload in results.items()}
    assert from_stored(stored) == results

    out_of_scope = Intent("none_of_these", 0.6, None, (("time", 0.3),), oos_label="none_of_these")
    assert from_stored({"intent": to_stored("intent", out_of_scope)})["intent"].is_oos
