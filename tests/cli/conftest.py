"""A fake engine with the real engine's shape, so CLI and batch tests need no model files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from assistant import cli
from assistant.engine import InputError, ModelError
from assistant.engine.bundle_check import BundleInfo, FileCheck
from assistant.engine.manifest import skipped_folders
from assistant.engine.results import Answer, Intent, SentenceSentiment, Sentiment

POSITIVE_WORDS = ("love", "great", "good", "wonderful")
ANSWERS = {"when": "1889", "who": "Gustave Eiffel"}
UNSURE_SPANS = (("Gustave Eiffel", 0.15), ("by Gustave Eiffel", 0.1), ("1889", 0.05))


def _checked(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InputError("The text is empty; there is nothing to analyse.")
    if "REFUSE" in text:
        raise InputError("The text is refused by the fake engine.")
    return text


def _label(text: str) -> str:
    return "positive" if any(w in text.lower() for w in POSITIVE_WORDS) else "negative"


class FakeEngine:
    """Keyword rules instead of models; records calls so tests can see the batching."""

    def __init__(self, bundles: list[BundleInfo] | None = None) -> None:
        self._bundles = [fake_bundle()] if bundles is None else bundles
        self.calls: list[tuple[str, int]] = []

    def _many(self, task: str, texts: Any, one: Any) -> Any:
        if not self._bundles:
            raise ModelError(task, "no bundle serves this task")
        if isinstance(texts, list):
            self.calls.append((task, len(texts)))
            return [one(_checked(t)) for t in texts]
        self.calls.append((task, 1))
        return one(_checked(texts))

    def sentiment(self, texts: Any) -> Any:
        def one(text: str) -> Sentiment:
            parts = [p for p in text.split(". ") if p]
            sentences, start = [], 0
            for part in parts:
                start = text.index(part, start)
                sentences.append(
                    SentenceSentiment(part, start, start + len(part), _label(part), 0.9)
                )
                start += len(part)
            return Sentiment(_label(text), 0.9, tuple(sentences))

        return self._many("sentiment", texts, one)

    def intent(self, texts: Any) -> Any:
        def one(text: str) -> Intent:
            if "weather" in text.lower():
                return Intent(
                    "weather", 0.8, "utility", (("date", 0.1),), description="Asks for the weather"
                )
            if "transfer" in text.lower():
                return Intent("transfer", 0.7, "banking", (("balance", 0.1),))
            return Intent("oos", 0.6, None, (("greeting", 0.2),))

        return self._many("intent", texts, one)

    def answer(self, question: str, context: str, top_k: int = 1, **_: Any) -> list[Answer]:
        _checked(question)
        _checked(context)
        if not self._bundles:
            raise ModelError("qa", "no bundle serves this task")
        if question.startswith("Unsure"):  # overlapping spans, none scored high
            spans = [(context.find(s), s, score) for s, score in UNSURE_SPANS]
            return [Answer(s, i, i + len(s), score) for i, s, score in spans if i >= 0][:top_k]
        wanted = ANSWERS.get(question.split()[0].lower(), context.split()[0])
        start = context.find(wanted)
        if start < 0:
            return []
        return [Answer(wanted, start, start + len(wanted), 0.75)][:top_k]

    def bundles(self) -> list[BundleInfo]:
        return list(self._bundles)

    def installed(self) -> list[BundleInfo]:
        return list(self._bundles)

    def skipped_folders(self) -> list[str]:
        return skipped_folders(self._bundles)  # a BundleInfo has the fields it reads

    def task_error(self, task: str) -> ModelError | None:
        if self._bundles:
            return None
        return ModelError(task, f"The {task} model cannot be used: no bundle")


def fake_bundle(state: str = "ok") -> BundleInfo:
    digest = hashlib.sha256(b"fake").hexdigest()
    return BundleInfo(
        name="fake-classify",
        version="1.0.0",
        tasks=("sentiment", "intent", "qa"),
        path=Path("/nowhere/fake-classify"),
        size_bytes=2_500_000,
        files=(FileCheck("model.onnx", digest, 2_500_000, state),),  # type: ignore[arg-type]
        metrics=MappingProxyType({"sentiment": {"sst2_dev_accuracy": 90.5}}),
        model_card="",
        problem=None if state == "ok" else "file model.onnx fails its SHA-256 check",
    )


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    """Every `assistant.cli.main` call in the test runs on this engine."""
    engine = FakeEngine()
    monkeypatch.setattr(cli, "make_engine", lambda models_dir, threads: engine)
    return engine


@pytest.fixture
def empty_models(tmp_path: Path) -> Path:
    """A models folder with nothing in it (--models-dir replaces every other place)."""
    folder = tmp_path / "no-models"
    folder.mkdir()
    return folder
