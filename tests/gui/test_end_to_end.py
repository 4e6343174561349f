"""The real app on the bundled models: paste, then all three results (skips without models)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.gui.main_window import MainWindow
from assistant.gui.workers import create_engine

MODELS = Path(__file__).resolve().parents[2] / "resources" / "models"
CONTEXT = (
    "The Eiffel Tower was completed in 1889 for the World's Fair in Paris. "
    "Visitors love the view from the top. The queues, however, are terrible."
)

pytestmark = pytest.mark.skipif(
    not (MODELS / "manifest.json").is_file(),
    reason="no model bundles in resources/models (build them with training/)",
)


def test_real_models_answer_all_three_tasks(qtbot, settings, store) -> None:
    window = MainWindow(settings, store, create_engine)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.service.ready, timeout=120_000) as ready:
        window.show()
    assert ready.args[0].errors == {"sentiment": None, "intent": None, "qa": None}

    window.qa_panel.question.setText("When was the Eiffel Tower completed?")
    window.editor.setPlainText(CONTEXT)
    qtbot.waitUntil(
        lambda: not window._pending and {"sentiment", "intent", "qa"} <= window._results.keys(),
        timeout=60_000,
    )

    assert window.sentiment_panel.label.text() in ("Positive", "Negative")
    assert window.editor.tint_count() == 3
    assert window.intent_panel.label.text()
    best = window._results["qa"][0]
    assert CONTEXT[best["start"] : best["end"]] == best["answer"] == window.editor.answer_text()
    assert "1889" in best["answer"]
