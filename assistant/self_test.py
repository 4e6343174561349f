"""Fixed checks that every installed model gives sensible answers (`assistant --self-test`).

The installer smoke test runs them on the frozen app, so they use nothing but the engine and
inputs whose right answer no reasonable model gets wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from assistant.engine import Engine, InputError, ModelError
from assistant.engine.engine import no_bundle_message

Outcome = tuple[bool, str]
Check = Callable[[Engine], Outcome]

_EIFFEL = (
    "The Eiffel Tower is a wrought-iron lattice tower in Paris. It was completed in 1889 as the "
    "entrance to the World's Fair, and it was designed by the company of the engineer Gustave "
    "Eiffel."
)


@dataclass(frozen=True)
class CheckResult:
    """One check: which task, what it checks, whether it passed and what the model said."""

    task: str
    name: str
    passed: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sentiment(text: str, expected: str) -> Check:
    def check(engine: Engine) -> Outcome:
        result = engine.sentiment(text)
        return result.label == expected, f"{result.label} {result.score:.2f}"

    return check


def _intent(text: str, domain: str) -> Check:
    def check(engine: Engine) -> Outcome:
        result = engine.intent(text)
        found = result.domain or "no domain"
        return result.domain == domain, f"{result.label} ({found}) {result.score:.2f}"

    return check


def _answer(question: str, context: str, expected: str) -> Check:
    def check(engine: Engine) -> Outcome:
        answers = engine.answer(question, context)
        if not answers:
            return False, "no answer"
        best = answers[0]
        span_ok = context[best.start : best.end] == best.answer
        detail = f"{best.answer!r} {best.score:.2f}" + ("" if span_ok else " (offsets wrong)")
        return span_ok and expected in best.answer, detail

    return check


CHECKS: tuple[tuple[str, str, Check], ...] = (
    (
        "sentiment",
        "praise is positive",
        _sentiment("I absolutely loved this film, it was wonderful.", "positive"),
    ),
    (
        "sentiment",
        "complaint is negative",
        _sentiment("This was a terrible, boring waste of two hours.", "negative"),
    ),
    ("intent", "weather question", _intent("What's the weather like tomorrow?", "utility")),
    (
        "intent",
        "money transfer",
        _intent("Please transfer 200 dollars from my checking to my savings account.", "banking"),
    ),
    ("qa", "year of completion", _answer("When was the Eiffel Tower completed?", _EIFFEL, "1889")),
    ("qa", "designer", _answer("Who designed the Eiffel Tower?", _EIFFEL, "Gustave Eiffel")),
)


def run_self_test(engine: Engine) -> list[CheckResult]:
    """Run every check; a broken model fails its checks, not the run. A bundle whose config
    cannot be read serves no task, so it fails a check of its own; a task that no bundle serves
    fails once, in one line (the app ships every model: one missing is a broken install)."""
    bundles = engine.installed()
    installed = {task for bundle in bundles for task in bundle.tasks}
    results = [
        CheckResult("bundle", bundle.name, False, bundle.problem)
        for bundle in bundles
        if bundle.problem
    ]
    for task, name, check in CHECKS:
        if task not in installed:
            unusable = any(bundle.problem for bundle in bundles)
            missing = f"{no_bundle_message(task, unusable)}."
            if not any(result.task == task for result in results):
                results.append(CheckResult(task, "model bundle", False, missing))
            continue
        try:
            passed, detail = check(engine)
        except (InputError, ModelError) as exc:
            passed, detail = False, str(exc)
        results.append(CheckResult(task, name, passed, detail))
    return results
