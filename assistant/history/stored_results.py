"""How an analysis's results are kept: engine results to JSON-ready data and back.

Both directions live here so that a reopened analysis is shown from exactly what was stored. The
engine's result types are imported on use: importing the engine package loads onnxruntime, which
must not slow the window's start.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)


def to_stored(task: str, payload: Any) -> Any:
    """One task's result as JSON-ready data (the engine's ``to_dict`` shapes)."""
    if task == "qa":
        return [answer.to_dict() for answer in payload]
    return payload.to_dict()


def from_stored(results: Mapping[str, Any]) -> dict[str, Any]:
    """The engine results of every task that can be read back.

    A task whose data cannot be read (an older or damaged entry) is left out and logged, so the
    caller treats it as never analysed instead of failing to reopen the entry.
    """
    restored = {}
    for task, data in results.items():
        try:
            restored[task] = _restore(task, data)
        except (KeyError, TypeError, ValueError):
            log.warning("Stored %s result cannot be read; it will be analysed again", task)
    return restored


def _restore(task: str, data: Any) -> Any:
    from assistant.engine import Answer, Intent, SentenceSentiment, Sentiment

    if task == "sentiment":
        return Sentiment(
            label=data["label"],
            score=data["score"],
            sentences=tuple(SentenceSentiment(**sentence) for sentence in data["sentences"]),
            truncated=data["truncated"],
            note=data["note"],
            probabilities=_ranking(data["probabilities"]),
        )
    if task == "intent":
        oos = {"oos_label": data["label"]} if data["is_oos"] else {}
        return Intent(
            label=data["label"],
            score=data["score"],
            domain=data["domain"],
            alternatives=_ranking(data["alternatives"]),
            truncated=data.get("truncated", False),  # entries kept before it was recorded
            description=data.get("description"),  # entries kept before bundles had them
            **oos,
        )
    if task == "qa":
        return [Answer(**answer) for answer in data]
    raise ValueError(f"unknown task {task!r}")


def _ranking(pairs: list[dict[str, Any]]) -> tuple[tuple[str, float], ...]:
    return tuple((pair["label"], pair["score"]) for pair in pairs)
