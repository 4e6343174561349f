"""The inference worker without a thread (stale requests, errors in words, settings), then the
service that runs it on its thread (where results arrive, stopping)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from assistant.engine import ModelError
from assistant.gui.workers import InferenceService, InferenceWorker, QaRequest
from assistant.locations import MODELS_DIR_ENV, data_dir
from assistant.repair_hint import ADDED_HINT, REPAIR_HINT

from .fake_engine import FakeEngine


def started_worker(engine: object) -> tuple[InferenceWorker, list[tuple]]:
    worker = InferenceWorker(lambda threads: engine, None, None)
    events: list[tuple] = []
    worker.ready.connect(lambda state: events.append(("ready", state)))
    worker.result_ready.connect(
        lambda rid, task, payload: events.append(("result", rid, task, payload))
    )
    worker.failed.connect(lambda rid, task, message: events.append(("failed", rid, task, message)))
    worker.load_models()
    return worker, events


def test_ready_reports_each_task_and_the_threshold() -> None:
    _worker, events = started_worker(FakeEngine(broken={"qa"}))
    ((_kind, state),) = events
    assert state.errors["sentiment"] is None and state.errors["intent"] is None
    assert "SHA-256" in state.errors["qa"]
    assert state.oos_threshold == state.default_oos_threshold == 0.5


def test_superseded_requests_are_skipped() -> None:
    engine = FakeEngine()
    worker, events = started_worker(engine)
    worker.supersede("sentiment", 2)
    worker.handle(1, "sentiment", "old")
    worker.handle(2, "sentiment", "new")
    assert engine.texts("sentiment") == ["new"]
    assert [event[1] for event in events[1:]] == [2]


def test_a_question_superseded_while_it_runs_is_stopped(qtbot) -> None:
    engine = FakeEngine()
    service = InferenceService(lambda threads: engine)
    answers: list[object] = []
    service.result.connect(lambda task, payload: answers.append(payload))
    with qtbot.waitSignal(service.ready, timeout=5000):
        service.start()
    engine.gate.clear()
    service.submit("qa", QaRequest("Who?", "A long text."))
    qtbot.waitUntil(engine.waiting.is_set, timeout=5000)  # the first question is running

    with qtbot.waitSignal(service.result, timeout=5000):
        service.submit("qa", QaRequest("Which text?", "A long text."))
        engine.gate.set()

    assert engine.stopped == [("Who?", "A long text.")]
    assert [answer.answer for answer in answers[0]] == ["text"]
    service.stop()


def test_model_errors_are_passed_on_in_words_and_unexpected_ones_logged(caplog) -> None:
    engine = FakeEngine(broken={"qa"})
    worker, events = started_worker(engine)
    worker.handle(1, "qa", QaRequest("Who?", "Nobody."))

    def explode(text: str) -> None:
        raise ZeroDivisionError("division by zero")

    engine.intent = explode  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR):
        worker.handle(2, "intent", "text")

    assert events[1] == (
        "failed",
        1,
        "qa",
        "The qa model cannot be used: model.onnx does not match its SHA-256. " + REPAIR_HINT,
    )
    assert events[2][:3] == ("failed", 2, "intent")
    assert "division by zero" in events[2][3] and "log" in events[2][3]
    assert "Traceback" in caplog.text


def test_an_engine_failing_after_it_was_built_still_ends_the_loading(caplog) -> None:
    class Failing(FakeEngine):
        @property
        def oos_threshold(self) -> float:
            raise AttributeError("'list' object has no attribute 'items'")

        @oos_threshold.setter
        def oos_threshold(self, value: float) -> None:
            pass

    _worker, events = started_worker(Failing())
    ((_kind, state),) = events
    assert all("has no attribute 'items'" in error for error in state.errors.values())
    assert state.oos_threshold is None


def test_configure_sets_the_threshold_and_rebuilds_for_new_threads() -> None:
    built: list[int | None] = []

    def factory(threads: int | None) -> FakeEngine:
        built.append(threads)
        return FakeEngine()

    worker = InferenceWorker(factory, None, None)
    states: list = []
    worker.ready.connect(states.append)
    worker.load_models()
    worker.configure(None, 0.8)
    assert states[-1].oos_threshold == 0.8 and built == [None]
    worker.configure(None, None)  # back to the bundle's own without a new engine
    assert (states[-1].oos_threshold, states[-1].default_oos_threshold) == (0.5, 0.5)
    assert built == [None]
    worker.configure(None, 0.8)
    worker.configure(2, None)
    assert built == [None, 2]
    assert states[-1].oos_threshold == 0.5


def test_stop_waits_a_bounded_time_and_never_kills_a_busy_thread(qtbot) -> None:
    engine = FakeEngine()
    engine.gate.clear()
    service = InferenceService(lambda threads: engine)
    service.start()
    qtbot.waitUntil(engine.waiting.is_set, timeout=5000)

    assert service.stop(timeout_ms=50) is False
    assert service.is_running()
    engine.gate.set()
    assert service.stop() is True
    assert not service.is_running()


def test_results_arrive_on_the_gui_thread_and_stop_skips_queued_work(qtbot) -> None:
    engine = FakeEngine()
    service = InferenceService(lambda threads: engine)
    threads_seen: list[str] = []
    service.result.connect(
        lambda task, payload: threads_seen.append(threading.current_thread().name)
    )
    with qtbot.waitSignal(service.ready, timeout=5000):
        service.start()
    with qtbot.waitSignal(service.result, timeout=5000):
        service.submit("sentiment", "A fine day.")
    assert threads_seen == [threading.main_thread().name]

    engine.gate.clear()
    service.submit("intent", "first")
    qtbot.waitUntil(engine.waiting.is_set, timeout=5000)
    service.submit("qa", QaRequest("Who?", "Nobody."))  # queued behind the busy call
    service.configure(2, 0.4)  # a reload of the engine, queued too
    loads = len([call for call in engine.calls if call[0] == "warm_up"])
    assert service.stop(timeout_ms=50) is False
    engine.gate.set()
    qtbot.waitUntil(lambda: not service.is_running(), timeout=5000)
    assert engine.texts("qa") == []
    assert len([call for call in engine.calls if call[0] == "warm_up"]) == loads


class Blaming(FakeEngine):
    """Its broken tasks' ModelErrors name the folder of the bundle at fault, as the engine's."""

    def __init__(self, broken: set[str], folder: Path) -> None:
        super().__init__(broken)
        self.folder = folder

    def warm_up(self, tasks: list[str] | None = None) -> dict[str, ModelError | None]:
        return {task: self._error(task) if task in self.broken else None for task in tasks or ()}

    def answer(self, *args: object, **options: object) -> list:
        raise self._error("qa")

    def _error(self, task: str) -> ModelError:
        return ModelError(task, self._broken_message(task), self.folder)


def test_a_model_error_says_what_mends_the_bundle_at_fault(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A shipped bundle broken, SQUEEZE_ASSISTANT_MODELS naming a good folder: the window told
    to mend the bundles in that folder, which holds none of the broken one."""
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path))
    _worker, events = started_worker(Blaming({"qa"}, Path("/opt/squeeze/models/qa")))
    ((_kind, state),) = events
    assert state.errors["qa"] == (
        "The qa model cannot be used: model.onnx does not match its SHA-256. " + REPAIR_HINT
    )


def test_an_analysis_failing_on_a_model_says_what_mends_it() -> None:
    """The batch window and a panel heard only what was wrong (the hint was the panels')."""
    added = data_dir() / "models" / "my-qa"
    worker, events = started_worker(Blaming({"qa"}, added))
    worker.handle(1, "qa", QaRequest("Who?", "Nobody."))
    assert events[-1][3].endswith(ADDED_HINT.format(folder=data_dir() / "models"))


def test_ready_says_which_folders_are_skipped() -> None:
    """The command line noted a mistyped SQUEEZE_ASSISTANT_MODELS; the window said nothing."""
    engine = FakeEngine()
    engine.skipped = ["SQUEEZE_ASSISTANT_MODELS=/x is skipped: no such folder."]
    _worker, events = started_worker(engine)
    ((_kind, state),) = events
    assert state.skipped == ("SQUEEZE_ASSISTANT_MODELS=/x is skipped: no such folder.",)
