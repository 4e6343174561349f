"""Batch analysis: run sentiment and/or intent over the items of a batch file, a few dozen
texts per model call, and total the rows for the summary line."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from assistant.batch_files import BatchItem, BatchRow, count
from assistant.engine import Engine, InputError, ModelError
from assistant.script_check import batch_caveat, script_caveat

TOP_INTENTS = 5
"""Intents named in a batch summary, most common first."""
SHOWN_ERRORS = 5
"""Errors quoted in a batch summary; the rest are counted."""

BATCH_TASKS = ("sentiment", "intent")


def analyse_items(
    engine: Engine, items: Iterable[BatchItem], tasks: Sequence[str], batch_size: int = 32
) -> Iterator[BatchRow]:
    """Yield one row per item, in order, running each task on `batch_size` texts at a time.

    A text the engine refuses costs only its own row. A `ModelError` is not about one item, so
    it propagates: the caller reports the broken model instead of a file full of copies of it.
    """
    unknown = [task for task in tasks if task not in BATCH_TASKS]
    if unknown or not tasks:
        raise ValueError(f"batch tasks must be among {', '.join(BATCH_TASKS)}, got {list(tasks)}")
    iterator = iter(items)
    while chunk := list(islice(iterator, batch_size)):
        yield from _analyse_chunk(engine, chunk, tasks)


def _analyse_chunk(
    engine: Engine, chunk: list[BatchItem], tasks: Sequence[str]
) -> Iterator[BatchRow]:
    texts = [item.text for item in chunk if item.error is None and item.text is not None]
    outcomes = {task: iter(_run_task(getattr(engine, task), texts)) for task in tasks}
    for item in chunk:
        if item.error is not None or item.text is None:
            yield BatchRow(item.index, item.text, error=item.error or "empty text")
            continue
        fields: dict[str, Any] = {}
        errors = []
        for task, results in outcomes.items():
            outcome = next(results)
            if isinstance(outcome, str):
                errors.append(f"{task}: {outcome}")
            else:
                fields.update(_row_fields(task, outcome))
        yield BatchRow(item.index, item.text, **fields, error="; ".join(errors) or None)


def _run_task(analyse: Any, texts: list[str]) -> list[Any]:
    """Results for all texts in one call; if that call fails, text by text (errors as str)."""
    if not texts:
        return []
    try:
        return list(analyse(texts))
    except ModelError:
        raise
    except Exception:
        return [_run_one(analyse, text) for text in texts]


def _run_one(analyse: Any, text: str) -> Any:
    try:
        return analyse(text)
    except ModelError:
        raise
    except InputError as exc:
        return str(exc)
    except Exception as exc:
        return f"unexpected {type(exc).__name__}: {exc}"


def _row_fields(task: str, result: Any) -> dict[str, Any]:
    score = round(float(result.score), 4)
    if task == "sentiment":
        return {"sentiment": result.label, "sentiment_score": score}
    return {"intent": result.label, "intent_score": score, "intent_domain": result.domain}


@dataclass
class BatchSummary:
    """Running totals over a batch's rows, for the line a person reads at the end."""

    items: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    sentiments: Counter[str] = field(default_factory=Counter)
    intents: Counter[str] = field(default_factory=Counter)
    other_script: int = 0
    seconds: float = 0.0
    _started: float = field(default_factory=time.monotonic, repr=False)

    def add(self, row: BatchRow) -> BatchRow:
        """Count `row` and hand it back, so a summary can sit inside a row stream."""
        self.items += 1
        if row.error:
            self.errors.append((row.index, row.error))
        if row.sentiment:
            self.sentiments[row.sentiment] += 1
        if row.intent:
            self.intents[row.intent] += 1
        if row.text and script_caveat(row.text):
            self.other_script += 1
        self.seconds = time.monotonic() - self._started
        return row

    def describe(self) -> list[str]:
        """A few human lines: counts, speed, sentiment split, top intents, first errors."""
        rate = self.items / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"{count(self.items, 'item')} in {self.seconds:.1f} s ({rate:.0f}/s), "
            f"{count(len(self.errors), 'error')}"
        ]
        if self.sentiments:
            total = sum(self.sentiments.values())
            split = ", ".join(
                f"{label} {count} ({count / total:.0%})"
                for label, count in self.sentiments.most_common()
            )
            lines.append(f"sentiment: {split}")
        if self.intents:
            common = ", ".join(
                f"{label} {n}" for label, n in self.intents.most_common(TOP_INTENTS)
            )
            lines.append(f"top intents: {common}")
        if caveat := batch_caveat(self.other_script):
            lines.append(f"note: {caveat}")
        for index, error in self.errors[:SHOWN_ERRORS]:
            lines.append(f"  item {index}: {error}")
        if len(self.errors) > SHOWN_ERRORS:
            lines.append(f"  ... and {count(len(self.errors) - SHOWN_ERRORS, 'more error')}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "errors": len(self.errors),
            "sentiment": dict(self.sentiments),
            "intents": dict(self.intents.most_common()),
            "other_script": self.other_script,
            "seconds": round(self.seconds, 3),
        }
