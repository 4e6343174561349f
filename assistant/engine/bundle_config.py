"""A bundle's ``config.json``, checked and turned into frozen dataclasses.

The checks catch a malformed or mistyped config here, in words that name config.json, before it
could reach the tokenizer or misname results. Format: docs/MODEL_BUNDLES.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeGuard


@dataclass(frozen=True)
class ClassificationTask:
    """A classification head: which graph output holds its logits and what the labels are.
    ``temperature`` divides the logits before the softmax: fitted on val data so that the
    out-of-scope rule separates better (docs/MODEL_BUNDLES.md). ``descriptions`` say in a few
    words what each label covers: CLINC150's names alone mislead ("reminder" lists reminders)."""

    output: str
    labels: tuple[str, ...]
    oos_label: str | None = None
    oos_threshold: float | None = None
    temperature: float = 1.0
    domains: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    descriptions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class QATask:
    """An extractive QA head with the windowing numbers it was trained with."""

    start_output: str
    end_output: str
    doc_stride: int
    max_question_len: int
    max_answer_len: int


TaskConfig = ClassificationTask | QATask


@dataclass(frozen=True)
class BundleConfig:
    """The parsed ``config.json`` of a bundle.

    ``name`` and ``version`` are required although the engine takes both from the manifest:
    training writes them into every config.json and builds the manifest's version from it.
    """

    name: str
    version: str
    max_length: int
    tasks: Mapping[str, TaskConfig]
    metrics: Mapping[str, Any]


MOST_TOKENS = 65_536
"""More tokens than any model of this kind reads at once (BERT's read 512)."""


def parse_config(raw: Mapping[str, Any]) -> BundleConfig:
    """Turn ``config.json`` into frozen dataclasses; KeyError/ValueError on a malformed file."""
    max_length = _count(raw, "max_length")
    tasks = {name: _task(spec, max_length) for name, spec in raw["tasks"].items()}
    return BundleConfig(
        name=str(raw["name"]),
        version=str(raw["version"]),
        max_length=max_length,
        tasks=MappingProxyType(tasks),
        metrics=MappingProxyType(dict(raw.get("metrics", {}))),
    )


def _task(spec: Mapping[str, Any], max_length: int) -> TaskConfig:
    kind = spec["kind"]
    if kind == "classification":
        return _classification_task(spec)
    if kind == "extractive_qa":
        return _qa_task(spec, max_length)
    raise ValueError(f"unknown task kind {kind!r}")


def _classification_task(spec: Mapping[str, Any]) -> ClassificationTask:
    threshold = spec.get("oos_threshold")
    temperature = float(spec.get("temperature", 1.0))
    if not 0 < temperature < math.inf:
        raise ValueError(f"temperature must be a positive number, not {temperature}")
    task = ClassificationTask(
        output=spec["output"],
        labels=_labels(spec),
        oos_label=spec.get("oos_label"),
        oos_threshold=None if threshold is None else float(threshold),
        temperature=temperature,
        domains=MappingProxyType(_words_by_label(spec, "domains")),
        descriptions=MappingProxyType(_words_by_label(spec, "descriptions")),
    )
    _check_labels(task)
    return task


def _qa_task(spec: Mapping[str, Any], max_length: int) -> QATask:
    task = QATask(
        start_output=spec["start_output"],
        end_output=spec["end_output"],
        doc_stride=_count(spec, "doc_stride", least=0),  # 0: windows do not overlap
        max_question_len=_count(spec, "max_question_len"),
        max_answer_len=_count(spec, "max_answer_len"),
    )
    # [CLS] question [SEP] context [SEP]: windows must advance past the stride.
    if max_length - task.max_question_len - 3 <= task.doc_stride:
        raise ValueError("max_length leaves no room for a context window beyond doc_stride")
    return task


def _labels(spec: Mapping[str, Any]) -> tuple[str, ...]:
    """The label names: a string here would pass as a list of its letters."""
    labels = spec["labels"]
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ValueError(f"labels must be a list of names, not {labels!r:.60}")
    return tuple(labels)


def _words_by_label(spec: Mapping[str, Any], key: str) -> dict[str, str]:
    """An optional map from label names to words about them (``domains``, ``descriptions``)."""
    words = spec.get(key, {})
    if not isinstance(words, dict) or not all(isinstance(w, str) for w in words.values()):
        raise ValueError(f"{key} must map label names to words, not {words!r:.60}")
    return dict(words)


def is_whole_number(value: object, least: int, most: int) -> TypeGuard[int]:
    """A JSON whole number from ``least`` to ``most``: not ``true``, not 1e3, not 10**30."""
    return isinstance(value, int) and not isinstance(value, bool) and least <= value <= most


def _count(spec: Mapping[str, Any], key: str, least: int = 1) -> int:
    """A setting that counts tokens: a whole number from ``least`` to ``MOST_TOKENS`` (a typo
    must not reach the tokenizer, whose own complaint would blame tokenizer.json)."""
    value = spec[key]
    if not is_whole_number(value, least, MOST_TOKENS):
        raise ValueError(
            f"{key} must be a whole number from {least} to {MOST_TOKENS:,}, not {value!r:.30}"
        )
    return value


def _check_labels(task: ClassificationTask) -> None:
    """Catch a config whose labels would misname results (a misspelt oos_label, say)."""
    if len(set(task.labels)) != len(task.labels) or not task.labels:
        raise ValueError("labels must be a non-empty list without repeats")
    if task.oos_label is not None and (task.oos_label not in task.labels or len(task.labels) < 2):
        raise ValueError(f"oos_label {task.oos_label!r} must be one of several labels")
    if task.oos_threshold is not None and not 0 <= task.oos_threshold <= 1:
        raise ValueError(f"oos_threshold must be between 0 and 1, not {task.oos_threshold}")
    for key, words in (("domains", task.domains), ("descriptions", task.descriptions)):
        unknown = set(words) - set(task.labels)
        if unknown:
            raise ValueError(f"{key} name labels that do not exist: {sorted(unknown)[:3]}")
