"""The engine facade: validates input, finds and lazily loads bundles, dispatches to task code."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import overload

from assistant.engine.bundle_check import (
    BundleInfo,
    check_files,
    describe,
    file_problem,
    listing_problem,
)
from assistant.engine.bundle_config import ClassificationTask, QATask, TaskConfig
from assistant.engine.classification import Classifier
from assistant.engine.errors import ModelError
from assistant.engine.inputs import sanitize, validate
from assistant.engine.intent import analyse_intent
from assistant.engine.manifest import (
    Bundle,
    discover,
    named_dir,
    search_dirs,
    skipped_folders,
    where_looked,
)
from assistant.engine.qa import QuestionAnswerer
from assistant.engine.results import Answer, Intent, Sentiment
from assistant.engine.sentiment import analyse_sentiment
from assistant.engine.session import OnnxModel, default_threads
from assistant.limits import MAX_THREADS, MAX_TOP_K, is_positive_int
from assistant.tasks import TASK_WORDS, TASKS

DEFAULT_OOS_THRESHOLD = 0.5
"""Used only when no intent bundle states its own ``oos_threshold``."""

FED_INPUTS = frozenset({"input_ids", "attention_mask", "token_type_ids"})
TextInput = str | Sequence[str]


class _BundleProblem(Exception):
    """Why a bundle cannot be loaded; turned into a ModelError naming the task."""


@dataclass(frozen=True)
class _Loaded:
    classifier: Classifier | None
    answerer: QuestionAnswerer | None


class Engine:
    """Offline sentiment, intent and question answering on local ONNX model bundles.

    Construction is cheap: bundles are found on first use and each bundle's session loads the first
    time one of its tasks is used, under a lock, so one Engine can serve a worker thread while the
    GUI thread stays free.
    """

    def __init__(
        self, models_dir: str | os.PathLike[str] | None = None, threads: int | None = None
    ) -> None:
        if threads is not None:
            _check_positive("threads", threads, most=MAX_THREADS)
        self._dirs = search_dirs(models_dir)
        self._named = named_dir(models_dir)
        self._threads = threads
        self._load_lock = threading.Lock()  # held while a session loads (seconds)
        self._discovery_lock = threading.Lock()  # held only while manifests are read
        self._found: list[Bundle] | None = None
        self._loaded: dict[str, _Loaded] = {}
        self._failures: dict[str, str] = {}
        self._oos_threshold: float | None = None

    # -- tasks -------------------------------------------------------------------------------

    # A str is also a Sequence[str]; the first overload matching wins, so a str gets one result.
    @overload
    def sentiment(self, text: str) -> Sentiment: ...  # type: ignore[overload-overlap]
    @overload
    def sentiment(self, text: Sequence[str]) -> list[Sentiment]: ...
    def sentiment(self, text: TextInput) -> Sentiment | list[Sentiment]:
        """Sentiment of a text (with per-sentence results), or of each text in a list."""
        texts = _texts(text)
        results = (
            analyse_sentiment(*self._classifier("sentiment"), texts, _names(text)) if texts else []
        )
        return results[0] if isinstance(text, str) else results

    @overload
    def intent(self, text: str) -> Intent: ...  # type: ignore[overload-overlap]
    @overload
    def intent(self, text: Sequence[str]) -> list[Intent]: ...
    def intent(self, text: TextInput) -> Intent | list[Intent]:
        """Intent of a text, or of each text in a list, after the out-of-scope rule."""
        texts = _texts(text)
        results = (
            analyse_intent(*self._classifier("intent"), texts, _names(text), self.oos_threshold)
            if texts
            else []
        )
        return results[0] if isinstance(text, str) else results

    def answer(
        self,
        question: str,
        context: str,
        top_k: int = 1,
        max_answer_len: int | None = None,
        handle_impossible_answer: bool = False,
        should_stop: Callable[[], bool] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Answer]:
        """The ``top_k`` best answers to ``question`` found in ``context``, best first
        (``top_k`` from 1 to ``MAX_TOP_K``, 100: ValueError otherwise).

        ``max_answer_len`` (tokens) defaults to the bundle's; with ``handle_impossible_answer`` the
        empty answer ``("", 0, 0)`` competes with the spans, scored from each window's ``[CLS]``
        and weighted as the windows' spans are (it is also the answer when no span fits, a
        context of only spaces and marks, say).
        Time grows with the context (about 0.4 s per 2,000 words), so ``should_stop`` is asked
        every few windows; when it returns True the call ends early with ``[]`` (the GUI stops a
        question superseded by a newer one this way). ``progress(done, total)`` hears how many
        of the context's windows have been read, after each few.
        """
        validate(question, "question")
        validate(context, "text to search", needs_letter=False)
        _check_positive("top_k", top_k, most=MAX_TOP_K)
        if max_answer_len is not None:
            _check_positive("max_answer_len", max_answer_len)
        loaded, _ = self._load("qa")
        assert loaded.answerer is not None
        return loaded.answerer.answer(
            sanitize(question),
            sanitize(context),
            context,
            top_k,
            max_answer_len,
            handle_impossible_answer,
            should_stop,
            progress,
        )

    # -- settings and state ------------------------------------------------------------------

    @property
    def oos_threshold(self) -> float:
        """Below this in-scope probability an intent is out of scope: the one set, else the
        intent bundle's own (:attr:`bundle_oos_threshold`)."""
        return self.bundle_oos_threshold if self._oos_threshold is None else self._oos_threshold

    @oos_threshold.setter
    def oos_threshold(self, value: float | None) -> None:
        """``None`` goes back to the bundle's own, so callers never keep a copy of it."""
        if value is not None and not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"oos_threshold must be between 0 and 1, not {value!r}")
        self._oos_threshold = None if value is None else float(value)

    @property
    def bundle_oos_threshold(self) -> float:
        """The threshold the intent bundle was tuned with (``DEFAULT_OOS_THRESHOLD`` if it
        states none, or if there is no intent bundle: a setting still needs a value to show)."""
        try:
            config = self._bundle_for("intent").config
        except ModelError:
            return DEFAULT_OOS_THRESHOLD
        task = config.tasks["intent"] if config else None
        if isinstance(task, ClassificationTask) and task.oos_threshold is not None:
            return task.oos_threshold
        return DEFAULT_OOS_THRESHOLD

    def bundles(self) -> list[BundleInfo]:
        """Every installed bundle: version, size, checksums and metrics (hashes each file)."""
        return [describe(bundle) for bundle in self._discover()]

    def installed(self) -> list[Bundle]:
        """The installed bundles (name, tasks, a config problem), from the manifests and configs
        alone: ``bundles`` also hashes every file, which loading a task does again anyway."""
        return list(self._discover())

    def skipped_folders(self) -> list[str]:
        """A sentence for each folder whose bundles are all skipped (``manifest.skipped_folders``),
        to say before any result."""
        return skipped_folders(self._discover())

    def task_error(self, task: str) -> ModelError | None:
        """None when ``task`` can run, else the ModelError that stops it (its ``bundle_folder``
        tells what mends it); loads the task if needed."""
        try:
            self._load(task)
        except ModelError as exc:
            return exc
        return None

    def warm_up(self, tasks: Sequence[str] | None = None) -> dict[str, ModelError | None]:
        """Load and run each task once on a tiny input; returns ``task_error``'s answers."""
        runs = {
            "sentiment": lambda: self.sentiment("Hello."),
            "intent": lambda: self.intent("Hello."),
            "qa": lambda: self.answer("Who?", "Nobody."),
        }
        errors: dict[str, ModelError | None] = {}
        for task in tasks or TASKS:
            _check_task(task)
            try:
                runs[task]()
                errors[task] = None
            except ModelError as exc:
                errors[task] = exc
        return errors

    # -- loading -----------------------------------------------------------------------------

    def _classifier(self, task: str) -> tuple[Classifier, ClassificationTask]:
        loaded, config = self._load(task)
        assert loaded.classifier is not None and isinstance(config, ClassificationTask)
        return loaded.classifier, config

    def _load(self, task: str) -> tuple[_Loaded, TaskConfig]:
        _check_task(task)
        bundle = self._bundle_for(task)
        assert bundle.config is not None  # a bundle serves tasks only through its config
        with self._load_lock:
            if bundle.name not in self._loaded and bundle.name not in self._failures:
                try:
                    self._loaded[bundle.name] = _load_bundle(bundle, self._threads)
                except _BundleProblem as exc:
                    self._failures[bundle.name] = str(exc)
            if bundle.name in self._failures:
                raise ModelError(
                    task,
                    f"The {TASK_WORDS[task]} model cannot be used: bundle '{bundle.name}' "
                    f"({bundle.path}): {self._failures[bundle.name]}.",
                    bundle.path,
                )
            config = bundle.config.tasks[task]
            if not isinstance(config, QATask if task == "qa" else ClassificationTask):
                raise ModelError(
                    task,
                    f"The {TASK_WORDS[task]} model cannot be used: config.json of bundle "
                    f"'{bundle.name}' gives {task} the wrong kind.",
                    bundle.path,
                )
            return self._loaded[bundle.name], config

    def _bundle_for(self, task: str) -> Bundle:
        """The first bundle (in search order) whose config serves ``task``; else a ModelError
        that blames the first unusable one (its config, or a manifest.json, unreadable): the
        task's own bundle, as far as can be told."""
        found = self._discover()
        for bundle in found:
            if task in bundle.tasks:
                return bundle
        unusable = [b for b in found if b.problem]
        broken = "".join(
            f"; bundle '{b.name}' is unusable: {b.problem}"
            + (f" (it hides the one of that name in {b.hides})" if b.hides else "")
            for b in unusable
        )
        raise ModelError(
            task,
            f"{no_bundle_message(task, bool(broken))}"
            f" (looked in {where_looked(self._dirs)}{broken}).",
            unusable[0].path if unusable else None,
        )

    def _discover(self) -> list[Bundle]:
        with self._discovery_lock:
            if self._found is None:
                self._found = discover(self._dirs, self._named)
            return self._found


def no_bundle_message(task: str, any_unusable: bool) -> str:
    """The wording for a task no bundle serves, shared with the self-test; with
    ``any_unusable`` it says "usable": a damaged bundle is there, not missing."""
    usable = "usable " if any_unusable else ""
    return f"No {usable}model bundle for {TASK_WORDS[task]} is installed"


def _check_task(task: str) -> None:
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; tasks are {', '.join(TASKS)}")


def _check_positive(name: str, value: object, most: int | None = None) -> None:
    """A count a caller passed in: a whole number from 1 to ``most`` (limits.py says why)."""
    if not is_positive_int(value):
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    if most is not None and int(value) > most:  # type: ignore[call-overload]
        raise ValueError(f"{name} must be at most {most}, not {value}")


def _texts(value: TextInput) -> list[tuple[str, str]]:
    """``(original, sanitised)`` pairs for a str or a sequence of str (a list, a tuple, a
    UserList...); InputError otherwise."""
    if not isinstance(value, str | Sequence) or isinstance(value, bytes | bytearray):
        validate(value)  # raises the "must be text" InputError
    items = [value] if isinstance(value, str) else value
    return [
        (validate(item, name), sanitize(item))
        for item, name in zip(items, _names(value), strict=True)
    ]


def _names(value: str | Sequence[object]) -> Sequence[str]:
    """How errors name the texts of a call: "text" alone, "text #2" in a list."""
    if isinstance(value, str):
        return ("text",)
    return [f"text #{n}" for n in range(1, len(value) + 1)]


def _load_bundle(bundle: Bundle, threads: int | None) -> _Loaded:
    """Verify the files against the manifest, then build the sessions and task runners."""
    assert bundle.config is not None
    problem = listing_problem(bundle) or file_problem(check_files(bundle))
    if problem:
        raise _BundleProblem(problem)
    tasks = bundle.config.tasks
    heads = tuple(t.output for t in tasks.values() if isinstance(t, ClassificationTask))
    qa = [t for t in tasks.values() if isinstance(t, QATask)]
    # A classifier runs texts side by side, each on one core; QA spreads one window batch over
    # all of them.
    workers = 1 if qa else threads or default_threads()
    try:
        model = OnnxModel(bundle.path / "model.onnx", 1 if workers > 1 else threads)
    except Exception as exc:  # onnxruntime raises its own exception types for bad graphs
        raise _BundleProblem(f"file model.onnx is not a readable ONNX model ({exc})") from exc
    unknown = set(model.input_names) - FED_INPUTS
    if unknown:
        raise _BundleProblem(f"file model.onnx expects unknown inputs {sorted(unknown)}")
    needed = set(heads).union(*((t.start_output, t.end_output) for t in qa))
    if needed - set(model.output_names):
        raise _BundleProblem(
            f"file model.onnx lacks outputs {sorted(needed - set(model.output_names))}"
        )
    for task in (t for t in tasks.values() if isinstance(t, ClassificationTask)):
        width = model.output_shapes[task.output][-1]  # a str when the graph leaves it open
        if isinstance(width, int) and width != len(task.labels):
            raise _BundleProblem(
                f"output {task.output} has {width} scores but config.json names "
                f"{len(task.labels)} labels"
            )
    tokenizer = bundle.path / "tokenizer.json"
    max_length = bundle.config.max_length
    try:
        return _Loaded(
            classifier=Classifier(tokenizer, model, heads, max_length, workers) if heads else None,
            answerer=QuestionAnswerer(tokenizer, model, qa[0], max_length) if qa else None,
        )
    except Exception as exc:  # tokenizers raises a bare Exception for a malformed file
        raise _BundleProblem(f"file tokenizer.json is unreadable ({exc})") from exc
