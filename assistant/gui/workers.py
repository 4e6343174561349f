"""All inference off the GUI thread: one long-lived worker on one thread (after Buzz).

The GUI talks to :class:`InferenceService`, which owns the thread. Requests travel to the worker
through a queue, each with a request id; results come back as queued signals,
``result_ready(request_id, task, payload)`` or ``failed(request_id, task, message)``. Ids that
were superseded while the user kept typing are skipped by the worker before running and dropped
by the service on the way back, so only the newest answer per task reaches the window.

Why a Python thread reading a queue, not a QObject moved to a QThread: when Qt itself calls a
Python slot on another thread, PySide 6.11 reads the slot's metaobject without holding the GIL,
and the test suite crashed there in 2 of 3 fresh-clone runs (``MetaObjectBuilder::update``,
see PYSIDE-3124). Here the worker thread enters PySide only to emit, with the GIL held, and only
the GUI thread runs slots.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from assistant.answers import ANSWERS_CONSIDERED
from assistant.repair_hint import with_repair_hint
from assistant.tasks import TASK_WORDS, TASKS

if TYPE_CHECKING:
    from assistant.batch_columns import Column
    from assistant.engine import Engine

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.1
"""At most one progress signal (batch rows, how far an answer has read) per this many seconds."""
ANSWER_PROGRESS_S = 0.3
"""An answer taking longer than this (a book-length text) reports how far it has read."""
AFTER_THE_ANSWER = (
    "Waiting for the question in the main window to be answered first (its Stop button ends it)…"
)
STOP_TIMEOUT_MS = 3000

EngineFactory = Callable[[int | None], "Engine"]
Job = Callable[[], None]


class EngineUnavailable(RuntimeError):
    """The engine could not be built; the message already says why, in words."""


def create_engine(threads: int | None) -> Engine:
    """The real engine on the bundled models; imported here so the window opens before it loads."""
    from assistant.engine import Engine

    return Engine(models_dir=None, threads=threads)


@dataclass(frozen=True)
class QaRequest:
    """A question about a context (the editor's text)."""

    question: str
    context: str


@dataclass(frozen=True)
class BatchJob:
    """A file to analyse row by row; ``column`` picks the CSV column or JSONL field."""

    path: Path
    column: Column
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class EngineState:
    """What loading found: which tasks work (a task's error says what mends it), the
    out-of-scope threshold in force, the bundle's own (the settings dialog offers to go back
    to it), and a sentence for each folder whose bundles are skipped (``skipped_folders``)."""

    errors: dict[str, str | None] = field(default_factory=dict)
    oos_threshold: float | None = None
    default_oos_threshold: float | None = None
    skipped: tuple[str, ...] = ()


class InferenceWorker(QObject):
    """Every engine call happens in its methods, which only the inference thread calls.

    The object itself stays on the GUI thread, so that its signals arrive there queued.
    """

    status = Signal(str)
    ready = Signal(object)
    result_ready = Signal(int, str, object)
    failed = Signal(int, str, str)
    batch_progress = Signal(int, int, int)
    answer_progress = Signal(int, int, int)
    rows_ready = Signal(int, list)
    batch_finished = Signal(int, bool, str)
    bundles_ready = Signal(object)
    bundles_failed = Signal(str)

    def __init__(
        self, engine_factory: EngineFactory, threads: int | None, oos_threshold: float | None
    ) -> None:
        super().__init__()
        self._factory = engine_factory
        self._threads = threads
        self._oos_threshold = oos_threshold
        self._engine: Engine | None = None
        self._load_error: str | None = None
        self._thresholds: tuple[float | None, float | None] = (None, None)  # in force, bundle's
        self._expected: tuple[type[BaseException], ...] = ()
        self._model_errors: tuple[type[BaseException], ...] = ()  # worded with their repair
        self._skipped: tuple[str, ...] = ()
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()
        self._cancelled_batch = 0  # batches with this id or lower stop at their next row

    # Called from the GUI thread: plain thread-safe methods, not slots.
    def supersede(self, task: str, request_id: int) -> None:
        """Mark older requests of ``task`` as stale so they are skipped, not run."""
        with self._lock:
            self._latest[task] = max(request_id, self._latest.get(task, 0))

    def cancel_batch(self, request_id: int) -> None:
        """Stop batch ``request_id`` (and any older one); a batch started later is not touched."""
        with self._lock:
            self._cancelled_batch = max(request_id, self._cancelled_batch)

    def _is_stale(self, task: str, request_id: int) -> bool:
        with self._lock:
            return request_id < self._latest.get(task, 0)

    def _is_cancelled(self, request_id: int) -> bool:
        with self._lock:
            return request_id <= self._cancelled_batch

    def load_models(self) -> None:
        """Load and warm up the models, then report which tasks are usable."""
        try:
            from assistant.batch_items import BatchFileError
            from assistant.engine import InputError, ModelError

            self._expected = (InputError, ModelError, BatchFileError)
            self._model_errors = (ModelError,)
        except Exception:  # an unusable engine is reported per task by _load below
            log.exception("The engine package cannot be imported")
        self._load()

    def configure(self, threads: int | None, oos_threshold: float | None) -> None:
        """Apply new settings; a new thread count needs a new engine."""
        self._oos_threshold = oos_threshold
        if threads != self._threads or self._engine is None:
            self._threads = threads
            self._load()
            return
        self._apply_threshold()
        self.ready.emit(self._state({task: self._engine.task_error(task) for task in TASKS}))

    def _load(self) -> None:
        self.status.emit("Loading models…")
        self._engine, self._load_error, self._thresholds = None, None, (None, None)
        self._skipped = ()
        try:
            self._engine = self._factory(self._threads)
            self._apply_threshold()
            self._skipped = tuple(self._engine.skipped_folders())
        except Exception as exc:
            self._engine = None  # half-built: asking it for its state would fail again
            self._load_error = self._describe("the models", exc)
            self.ready.emit(self._state(dict.fromkeys(TASKS, self._load_error)))
            return
        errors: dict[str, Exception | str | None] = {}
        for task in TASKS:
            self.status.emit(f"Preparing {TASK_WORDS[task]}…")
            try:
                errors[task] = self._engine.warm_up([task]).get(task)
            except Exception as exc:  # warm_up returns its ModelErrors: this one is unforeseen
                errors[task] = self._describe(TASK_WORDS[task], exc)
        log.info("Engine ready; task errors: %s", errors)
        self.ready.emit(self._state(errors))

    def _apply_threshold(self) -> None:
        """Set the chosen threshold (``None``: the bundle's own) and read back both, here where
        an engine failing to answer is caught, not when the state is reported."""
        if self._engine is not None:
            self._engine.oos_threshold = self._oos_threshold
            self._thresholds = (self._engine.oos_threshold, self._engine.bundle_oos_threshold)

    def _state(self, problems: Mapping[str, Exception | str | None]) -> EngineState:
        """The state to report, each task's problem in words: a ModelError (what ``warm_up``
        returns) with what mends it, where the bundle it blames is (``repair_hint``); a message
        already worded by ``_describe`` as it is."""
        errors = {
            task: with_repair_hint(p) if isinstance(p, Exception) else p
            for task, p in problems.items()
        }
        return EngineState(errors, *self._thresholds, self._skipped)

    def handle(self, request_id: int, task: str, argument: object) -> None:
        """Run one request unless a newer one of the same task is already waiting."""
        if self._is_stale(task, request_id):
            return
        try:
            payload = self._run(task, argument, request_id)
        except Exception as exc:
            self.failed.emit(request_id, task, self._describe(TASK_WORDS.get(task, task), exc))
        else:
            self.result_ready.emit(request_id, task, payload)

    def _run(self, task: str, argument: Any, request_id: int) -> Any:
        engine = self._require_engine()
        if task == "sentiment":
            return engine.sentiment(argument)
        if task == "intent":
            return engine.intent(argument)
        if task == "qa":
            return engine.answer(
                argument.question,
                argument.context,
                top_k=ANSWERS_CONSIDERED,  # the panel shows the best that do not overlap
                should_stop=partial(self._is_stale, task, request_id),
                progress=self._answer_reporter(request_id),
            )
        raise ValueError(f"unknown task {task!r}")

    def _answer_reporter(self, request_id: int) -> Callable[[int, int], None]:
        """``progress`` for one answer: quiet for a short one, then a few reports a second."""
        started = time.monotonic()
        last = started - PROGRESS_INTERVAL_S  # the first report waits for ANSWER_PROGRESS_S only

        def report(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            long_enough = now - started >= ANSWER_PROGRESS_S
            if done < total and long_enough and now - last >= PROGRESS_INTERVAL_S:
                last = now
                self.answer_progress.emit(request_id, done, total)

        return report

    def _require_engine(self) -> Engine:
        if self._engine is None:
            raise EngineUnavailable(self._load_error or "The models are not loaded.")
        return self._engine

    def list_bundles(self) -> None:
        """The Models window's report: checking SHA-256 reads every model file."""
        try:
            self.bundles_ready.emit(self._require_engine().bundles())
        except Exception as exc:
            self.bundles_failed.emit(self._describe("the model check", exc))

    def run_batch(self, request_id: int, job: BatchJob) -> None:
        """Analyse a file, sending rows and progress about ten times a second; Cancel stops it."""
        from assistant import batch_files
        from assistant.batch_analysis import analyse_items

        error = ""
        try:
            engine = self._require_engine()
            total = batch_files.count_items(job.path, job.column)
            self.batch_progress.emit(request_id, 0, total)
            items = batch_files.read_items(job.path, job.column)
            pending: list[Any] = []
            done, last_emit = 0, time.monotonic()
            for row in analyse_items(engine, items, list(job.tasks)):
                pending.append(row)
                done += 1
                if self._is_cancelled(request_id):
                    break
                if time.monotonic() - last_emit >= PROGRESS_INTERVAL_S:
                    self._send_rows(request_id, pending, done, total)
                    pending, last_emit = [], time.monotonic()
            self._send_rows(request_id, pending, done, total)
        except Exception as exc:
            error = self._describe("the batch", exc)
        self.batch_finished.emit(request_id, self._is_cancelled(request_id), error)

    def _send_rows(self, request_id: int, rows: list[Any], done: int, total: int) -> None:
        if rows:
            self.rows_ready.emit(request_id, rows)
        self.batch_progress.emit(request_id, done, max(total, done))

    def _describe(self, what: str, exc: BaseException) -> str:
        """Words for the window (a model's error with what mends it); unexpected errors also go
        to the log with their traceback."""
        if isinstance(exc, self._model_errors):
            return with_repair_hint(exc)
        if isinstance(exc, (EngineUnavailable, *self._expected)):
            return str(exc)
        log.error("Unexpected error in %s", what, exc_info=exc)
        detail = str(exc).rstrip(".")
        return f"Something went wrong in {what}: {detail}. The log file has the details."


class InferenceService(QObject):
    """GUI-side owner of the worker thread: hands out request ids and drops stale answers."""

    status = Signal(str)
    ready = Signal(object)
    result = Signal(str, object)
    error = Signal(str, str)
    answer_progress = Signal(int, int)
    batch_progress = Signal(int, int)
    batch_rows = Signal(list)
    batch_finished = Signal(bool, str)
    bundles = Signal(object)
    bundles_failed = Signal(str)

    def __init__(
        self,
        engine_factory: EngineFactory = create_engine,
        threads: int | None = None,
        oos_threshold: float | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._current: dict[str, int] = {}
        self._in_flight: set[str] = set()  # tasks sent whose answer has not come back
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._stopping = threading.Event()  # set by ``stop``: queued jobs are skipped, not run
        self._thread = threading.Thread(target=self._serve, name="inference", daemon=True)
        self.worker = InferenceWorker(engine_factory, threads, oos_threshold)
        self.worker.status.connect(self.status)
        self.worker.ready.connect(self.ready)
        self.worker.result_ready.connect(self._on_result)
        self.worker.failed.connect(self._on_failed)
        self.worker.batch_progress.connect(self._on_batch_progress)
        self.worker.answer_progress.connect(self._on_answer_progress)
        self.worker.rows_ready.connect(self._on_rows)
        self.worker.batch_finished.connect(self._on_batch_finished)
        self.worker.bundles_ready.connect(self.bundles)
        self.worker.bundles_failed.connect(self.bundles_failed)

    def start(self) -> None:
        self._jobs.put(self.worker.load_models)
        self._thread.start()

    def _serve(self) -> None:
        """The inference thread: run jobs in order until ``stop`` sends None."""
        while (job := self._jobs.get()) is not None:
            if self._stopping.is_set():
                continue  # a queued reload of the engine would hold up closing the window
            try:
                job()
            except Exception:  # the worker reports expected errors itself; never lose the thread
                log.exception("Unexpected error on the inference thread")

    def submit(self, task: str, argument: object) -> int:
        """Queue a request; any older request of the same task becomes stale."""
        request_id = next(self._ids)
        self._current[task] = request_id
        self._in_flight.add(task)
        self.worker.supersede(task, request_id)
        self._jobs.put(partial(self.worker.handle, request_id, task, argument))
        return request_id

    def forget(self, task: str) -> None:
        """Drop whatever is in flight for ``task`` (its input was cleared)."""
        request_id = next(self._ids)
        self._current[task] = request_id
        self._in_flight.discard(task)
        self.worker.supersede(task, request_id)

    def waiting_note(self) -> str | None:
        """What new work waits for on the one worker: a question still being answered (a long
        text takes a minute), or None."""
        return AFTER_THE_ANSWER if "qa" in self._in_flight else None

    def is_current(self, task: str, request_id: int) -> bool:
        return self._current.get(task) == request_id

    def submit_batch(self, job: BatchJob) -> int:
        request_id = next(self._ids)
        self._current["batch"] = request_id
        self._jobs.put(partial(self.worker.run_batch, request_id, job))
        return request_id

    def request_bundles(self) -> None:
        """Ask for the installed bundles' report; ``bundles`` or ``bundles_failed`` answers."""
        self._jobs.put(self.worker.list_bundles)

    def cancel_batch(self) -> None:
        self.worker.cancel_batch(self._current.get("batch", 0))

    def configure(self, threads: int | None, oos_threshold: float | None) -> None:
        self._jobs.put(partial(self.worker.configure, threads, oos_threshold))

    def stop(self, timeout_ms: int = STOP_TIMEOUT_MS) -> bool:
        """Stop after the current engine call: skip what is queued, cancel any batch, wait a while.

        Returns False if the thread is still inside a native call (loading a model cannot be
        interrupted). It is never terminated: killing a thread inside onnxruntime aborts the
        process; the caller exits instead (see :func:`assistant.gui.main.main`).
        """
        if not self._thread.is_alive():
            return True
        self._stopping.set()  # what is still queued is skipped, not run
        self.cancel_batch()
        for task in list(self._current):
            self.forget(task)
        self._jobs.put(None)
        self._thread.join(timeout_ms / 1000)
        if not self._thread.is_alive():
            return True
        log.warning("Inference thread still busy after %d ms", timeout_ms)
        return False

    def is_running(self) -> bool:
        return self._thread.is_alive()

    @Slot(int, str, object)
    def _on_result(self, request_id: int, task: str, payload: object) -> None:
        if self.is_current(task, request_id):
            self._in_flight.discard(task)
            self.result.emit(task, payload)

    @Slot(int, str, str)
    def _on_failed(self, request_id: int, task: str, message: str) -> None:
        if self.is_current(task, request_id):
            self._in_flight.discard(task)
            self.error.emit(task, message)

    @Slot(int, int, int)
    def _on_batch_progress(self, request_id: int, done: int, total: int) -> None:
        if self.is_current("batch", request_id):
            self.batch_progress.emit(done, total)

    @Slot(int, int, int)
    def _on_answer_progress(self, request_id: int, done: int, total: int) -> None:
        if self.is_current("qa", request_id):
            self.answer_progress.emit(done, total)

    @Slot(int, list)
    def _on_rows(self, request_id: int, rows: list) -> None:
        if self.is_current("batch", request_id):
            self.batch_rows.emit(rows)

    @Slot(int, bool, str)
    def _on_batch_finished(self, request_id: int, cancelled: bool, error: str) -> None:
        if self.is_current("batch", request_id):
            self.batch_finished.emit(cancelled, error)
