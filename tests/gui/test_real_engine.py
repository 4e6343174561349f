"""The window on the real Engine class with tiny generated bundles (tests/engine builds them).

This checks the GUI against the engine's actual API and errors, including a corrupted QA bundle,
without waiting for the trained models.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from assistant.engine import Engine
from assistant.gui.main_window import MainWindow

BUILDERS = Path(__file__).resolve().parents[1] / "engine" / "conftest.py"
CONTEXT = "I love the sunny weather. The rain is awful! The zebra and the yak are friends."
TIMEOUT_MS = 30_000
PLAIN_INTENTS = {"Greeting", "Goodbye", "Weather", "Out of scope"}


def _builders() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tiny_bundle_builders", BUILDERS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not BUILDERS.is_file():
        pytest.skip("tests/engine/conftest.py (the tiny bundle builders) is missing")
    builders = _builders()
    models = tmp_path_factory.mktemp("tiny-models")
    builders.write_bundle(models, builders.CLASSIFY_CONFIG, builders.build_classifier())
    builders.write_bundle(models, builders.QA_CONFIG, builders.build_qa())
    builders.write_manifest(models)
    return models


def open_window(qtbot, settings, store, models: Path) -> MainWindow:
    window = MainWindow(settings, store, lambda threads: Engine(models_dir=models, threads=1))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.service.ready, timeout=TIMEOUT_MS):
        window.show()
    return window


def test_real_engine_gives_all_three_results(qtbot, settings, store, tiny_models) -> None:
    window = open_window(qtbot, settings, store, tiny_models)
    assert window.engine_state.errors == {"sentiment": None, "intent": None, "qa": None}
    window.qa_panel.question.setText("what is the zebra")
    window.editor.setPlainText(CONTEXT)
    qtbot.waitUntil(
        lambda: len(window.analysis._results) == 3 and not window.analysis._pending,
        timeout=TIMEOUT_MS,
    )

    assert window.editor.tint_count() == 3
    assert window.sentiment_panel.label.text() in (
        "Positive",
        "Negative",
        "Leans positive",
        "Leans negative",
    )
    assert window.intent_panel.label.text() in PLAIN_INTENTS
    best = window.analysis._results["qa"][0]
    assert window.editor.answer_text() == CONTEXT[best["start"] : best["end"]] == best["answer"]
    assert best["answer"].startswith("zebra")


def test_corrupted_qa_bundle_shows_an_error_while_the_rest_works(
    qtbot, settings, store, tiny_models, tmp_path
) -> None:
    models = Path(shutil.copytree(tiny_models, tmp_path / "models"))
    (models / "tiny-qa" / "model.onnx").write_bytes(b"not an onnx graph")
    window = open_window(qtbot, settings, store, models)
    assert window.engine_state.errors["qa"]

    window.qa_panel.question.setText("what is the zebra")
    window.editor.setPlainText(CONTEXT)
    qtbot.waitUntil(
        lambda: not window.analysis._pending and "intent" in window.analysis._results,
        timeout=TIMEOUT_MS,
    )

    assert window.intent_panel.label.text() in PLAIN_INTENTS
    assert window.sentiment_panel.error is None and window.intent_panel.error is None
    assert "qa" not in window.analysis._results
    assert "SHA-256" in window.qa_panel.error or "qa" in window.qa_panel.error.lower()
    assert window.editor.answer_text() is None
