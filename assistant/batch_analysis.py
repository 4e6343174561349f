"""Batch analysis: run sentiment and/or intent over the items of a batch file, a few dozen
texts per engine call (`batch_summary` totals the rows)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from assistant.batch_items import EMPTY_TEXT, BatchItem, BatchRow
from assistant.engine import Engine, InputError, ModelError
from assistant.wording import intent_note

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
    """The chunk's rows: each task runs once over its readable texts; an item that carries an
    error keeps it, and a text a task refuses gets that task's error in its row."""
    texts = [item.text for item in chunk if item.error is None and item.text is not None]
    outcomes = {task: iter(_run_task(getattr(engine, task), texts)) for task in tasks}
    for item in chunk:
        if item.error is not None or item.text is None:
            yield BatchRow(item.index, item.text, error=item.error or EMPTY_TEXT)
            continue
        fields: dict[str, Any] = {}
        refused: dict[str, list[str]] = {}  # message -> the tasks that gave it
        for task, results in outcomes.items():
            outcome = next(results)
            if isinstance(outcome, str):
                refused.setdefault(outcome, []).append(task)
            else:
                fields.update(_row_fields(task, outcome, item.text))
        errors = [f"{' and '.join(names)}: {message}" for message, names in refused.items()]
        yield BatchRow(item.index, item.text, **fields, error="; ".join(errors) or None)


def _run_task(analyse: Callable[[Any], Any], texts: list[str]) -> list[Any]:
    """Results for all texts in one call; if that call fails, text by text (errors as str)."""
    if not texts:
        return []
    try:
        return list(analyse(texts))
    except ModelError:
        raise
    except Exception:
        return [_run_one(analyse, text) for text in texts]


def _run_one(analyse: Callable[[Any], Any], text: str) -> Any:
    """One text's result, or why it has none, in words (a model failure still propagates)."""
    try:
        return analyse(text)
    except ModelError:
        raise
    except InputError as exc:
        return str(exc)
    except Exception as exc:
        return f"unexpected {type(exc).__name__}: {exc}"


def _row_fields(task: str, result: Any, text: str) -> dict[str, Any]:
    """The `BatchRow` fields that hold one task's result for ``text``."""
    score = round(float(result.score), 4)
    if task == "sentiment":
        return {"sentiment": result.label, "sentiment_score": score}
    return {
        "intent": result.label,
        "intent_score": score,
        "intent_domain": result.domain,
        "intent_description": result.description,
        "intent_note": intent_note(result, text),
    }
