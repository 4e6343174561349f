"""What a batch is made of: the items read from a file, the rows written for them, and the error
for a file that cannot be used at all.

The smallest of the batch modules, imported by all the others (reading, CSV, columns, output,
analysis, summary), so that none of them needs another just for these names.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

ITEMS_BETWEEN_PAUSES = 500


class BatchFileError(ValueError):
    """A file that cannot be used at all; the message is written for a person."""


@dataclass(frozen=True)
class BatchItem:
    """One text of a batch file; `index` counts items from 1 (the line number for .txt/.jsonl)."""

    index: int
    text: str | None
    error: str | None = None


@dataclass(frozen=True)
class BatchRow:
    """The analysis of one item; fields of tasks not run stay None, `error` says what failed."""

    index: int
    text: str | None
    sentiment: str | None = None
    sentiment_score: float | None = None
    intent: str | None = None
    intent_score: float | None = None
    intent_domain: str | None = None
    intent_description: str | None = None
    intent_note: str | None = None  # what to read the intent with (``wording.intent_note``)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


ROW_FIELDS = tuple(f.name for f in dataclasses.fields(BatchRow))

BLANK_LINE = "empty line"
"""The error of a line (or CSV record) holding nothing but spaces, and delimiters in a CSV."""
EMPTY_TEXT = "empty text"
"""The error of a blank text on a line that is not blank (a CSV cell, a JSON Lines value)."""


def not_valid_text(encoding: str) -> str:
    """The error of a line (or CSV record) whose bytes could not all be read as text in the
    file's ``encoding`` (``text_files.decoded_lines``): a damaged line of a file Notepad saved
    as "Unicode" was said to be "not valid UTF-8 text", an encoding it was never read in."""
    return f"not valid {encoding} text"


def text_or_error(text: str) -> tuple[str | None, str | None]:
    """The text without its line ending, or the error ``EMPTY_TEXT``: a blank text is reported in
    its own row rather than skipped without a word."""
    text = text.rstrip("\r\n")
    if not text.strip():
        return None, EMPTY_TEXT
    return text, None


def sharing_the_gil(values: Iterable[T]) -> Iterator[T]:
    """``values``, letting other threads run every few hundred: reading a batch file (the csv
    reader pulling lines from a generator) or writing one kept the window's thread waiting for
    the GIL up to 0.8 s at a time, when the batch window's worker or export did it."""
    for number, value in enumerate(values):
        if number % ITEMS_BETWEEN_PAUSES == 0:
            time.sleep(0)  # lets go of the GIL
        yield value
