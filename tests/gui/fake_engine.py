"""A deterministic stand-in for ``assistant.engine.Engine`` with the same shape and result types.

Rules: sentences containing "bad"/"awful"/"hate" are negative, the rest positive; "weather" means
the ``weather`` intent, "language" ``change_language``, anything else is out of scope; the
answer to a question is its last word found in the context. ``gate`` can hold calls so tests
control timing without sleeping.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

from assistant.engine import Answer, Intent, ModelError, SentenceSentiment, Sentiment

_NEGATIVE = re.compile(r"\b(bad|awful|hate)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")
GATE_TIMEOUT_S = 2  # a failed test must not leave the worker stuck past the window's stop()


class FakeEngine:
    bundle_oos_threshold = 0.5

    def __init__(self, broken: Iterable[str] = ()) -> None:
        self.broken = set(broken)
        self.chosen_oos_threshold: float | None = None
        self.skipped: list[str] = []  # what skipped_folders says
        self.calls: list[tuple[str, object]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.gated_tasks: set[str] | None = None  # None: a closed gate holds every task
        self.waiting = threading.Event()
        self.stopped: list[tuple[str, str]] = []  # answers cut short by should_stop
        self._lock = threading.Lock()

    def skipped_folders(self) -> list[str]:
        return self.skipped

    @property
    def oos_threshold(self) -> float:
        chosen = self.chosen_oos_threshold
        return self.bundle_oos_threshold if chosen is None else chosen

    @oos_threshold.setter
    def oos_threshold(self, value: float | None) -> None:
        self.chosen_oos_threshold = value

    def _enter(self, task: str, argument: object) -> None:
        with self._lock:
            self.calls.append((task, argument))
        if not self.gate.is_set() and (self.gated_tasks is None or task in self.gated_tasks):
            self.waiting.set()
            self.gate.wait(GATE_TIMEOUT_S)
        if task in self.broken:
            raise ModelError(task, self._broken_message(task))

    def texts(self, task: str) -> list[object]:
        with self._lock:
            return [argument for name, argument in self.calls if name == task]

    def sentiment(self, text: str | list[str]) -> Sentiment | list[Sentiment]:
        self._enter("sentiment", text)
        return (
            [self._sentiment(t) for t in text] if isinstance(text, list) else self._sentiment(text)
        )

    def intent(self, text: str | list[str]) -> Intent | list[Intent]:
        self._enter("intent", text)
        return [self._intent(t) for t in text] if isinstance(text, list) else self._intent(text)

    def answer(
        self,
        question: str,
        context: str,
        top_k: int = 1,
        should_stop: Callable[[], bool] | None = None,
        progress: Callable[[int, int], None] | None = None,
        **_options: object,
    ) -> list[Answer]:
        if progress is not None:
            progress(1, 4)  # a quarter read, then (with the gate closed) the rest takes long
        self._enter("qa", (question, context))
        if should_stop is not None and should_stop():
            self.stopped.append((question, context))
            return []
        answers = []
        for word in reversed(re.findall(r"\w+", question)):
            match = re.search(rf"\b{re.escape(word)}\b", context, re.IGNORECASE)
            if match:
                answers.append(
                    Answer(match.group(), match.start(), match.end(), 0.9 / (len(answers) + 1))
                )
        return answers[:top_k]

    def warm_up(self, tasks: list[str] | None = None) -> dict[str, ModelError | None]:
        self._enter("warm_up", tasks)
        return {task: self.task_error(task) for task in tasks or ("sentiment", "intent", "qa")}

    def task_error(self, task: str) -> ModelError | None:
        return ModelError(task, self._broken_message(task)) if task in self.broken else None

    @staticmethod
    def _broken_message(task: str) -> str:
        return f"The {task} model cannot be used: model.onnx does not match its SHA-256."

    def bundles(self) -> list[object]:
        self._enter("bundles", None)
        return []

    @staticmethod
    def _sentiment(text: str) -> Sentiment:
        sentences = []
        for match in _SENTENCE.finditer(text):
            if match.group().strip():
                start = match.start() + len(match.group()) - len(match.group().lstrip())
                end = match.end()
                label = "negative" if _NEGATIVE.search(match.group()) else "positive"
                sentences.append(SentenceSentiment(text[start:end], start, end, label, 0.9))
        negatives = sum(1 for s in sentences if s.label == "negative")
        label = "negative" if negatives * 2 > len(sentences) else "positive"
        return Sentiment(label, 0.8, tuple(sentences))

    def _intent(self, text: str) -> Intent:
        lowered = text.lower()
        if "weather" in lowered:
            alternatives = (("timezone", 0.03), ("time", 0.02))
            return Intent(
                "weather",
                0.93,
                "utility",
                alternatives,
                truncated=len(text) > 1000,
                description="Asks for the weather forecast",
            )
        if "language" in lowered:
            return Intent("change_language", 0.88, "utility", (("translate", 0.05),))
        return Intent("oos", 0.7, None, (("fun_fact", 0.2), ("tell_joke", 0.1)))
