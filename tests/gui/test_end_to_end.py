"""The real app on the bundled models: paste, then all three results (skips without models)."""

from __future__ import annotations

import json
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


def installed_tasks() -> set[str]:
    """Tasks served by the bundles in resources/models (a bundle may still be training)."""
    manifest = json.loads((MODELS / "manifest.json").read_text(encoding="utf-8"))
    tasks: set[str] = set()
    for name in manifest["bundles"]:
        config = json.loads((MODELS / name / "config.json").read_text(encoding="utf-8"))
        tasks |= set(config["tasks"])
    return tasks


def test_real_models_answer_every_installed_task(qtbot, settings, store) -> None:
    window = MainWindow(settings, store, create_engine)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.service.ready, timeout=120_000) as ready:
        window.show()
    installed = installed_tasks()
    errors = ready.args[0].errors
    assert {task for task, error in errors.items() if error is None} == installed

    window.qa_panel.question.setText("When was the Eiffel Tower completed?")
    window.editor.setPlainText(CONTEXT)
    qtbot.waitUntil(
        lambda: not window.analysis._pending and installed <= window.analysis._results.keys(),
        timeout=60_000,
    )

    for task in {"sentiment", "intent", "qa"} - installed:
        assert window.panels[task].error, f"{task} has no bundle, so its panel must say so"
    if "sentiment" in installed:
        assert window.sentiment_panel.label.text() in ("Positive", "Negative")
        assert window.editor.tint_count() == 3
    if "intent" in installed:
        assert window.intent_panel.label.text()
        assert "_" not in window.intent_panel.label.text()
    if "qa" in installed:
        best = window.analysis._results["qa"][0]
        assert (
            CONTEXT[best["start"] : best["end"]] == best["answer"] == window.editor.answer_text()
        )
        assert "1889" in best["answer"]
