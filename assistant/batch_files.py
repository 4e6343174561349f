"""Reading a batch file (.txt, .csv, .tsv, .jsonl) into items, one text each.

Qt-free and engine-free, so the command line and the GUI's batch mode share one implementation
and the batch window can read a file's columns before the models load (`batch_analysis` runs
the models, `batch_output` writes the rows). A bad line never stops a batch: it becomes an item
(and later a row) carrying an error; only a file that cannot be read at all raises
`BatchFileError`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from assistant.batch_columns import (
    SAMPLE_ROWS,
    Column,
    column_words,
    default_position,
    named_column,
    pick_column,
    repeated,
    words_per_cell,
)
from assistant.batch_csv import csv_items, csv_table
from assistant.batch_items import (
    BLANK_LINE,
    BatchFileError,
    BatchItem,
    not_valid_text,
    sharing_the_gil,
    text_or_error,
)
from assistant.text_files import check_readable, decoded_lines, not_a_file

INPUT_SUFFIXES = (".txt", ".csv", ".tsv", ".jsonl")
_TABLE_SUFFIXES = (".csv", ".tsv")

JSONL_SAMPLE_LINES = 1_000
"""Lines of a .jsonl file whose objects' fields are offered as columns: objects need not all
have the same fields (a first record of only an id is common)."""


def list_columns(path: Path) -> list[str]:
    """Column names a person may pick: the CSV header ("column 1", "column 2"... where the
    file has none), or the fields of the objects in the first JSONL_SAMPLE_LINES lines of a
    .jsonl file, in the order they first appear."""
    return _columns(path)[0]


class _Layout(NamedTuple):
    """What a file's first rows say of its columns, read once."""

    names: list[str]
    words: list[float] | None  # each column's words per cell, where that is known
    no_header: str | None = None  # why a .csv/.tsv file's first line is read as a row


def _columns(path: Path) -> _Layout:
    """The column names, each one's words per cell, and whether the first line is a row."""
    suffix = _input_suffix(path)
    if suffix in _TABLE_SUFFIXES:
        table = csv_table(path)
        return _Layout(table.names, table.words, table.no_header)
    if suffix == ".jsonl":
        return _Layout(*_json_fields(path))
    check_readable(path)  # a plain text file has no columns, but it must be text
    return _Layout([], None)


class ColumnChoice(NamedTuple):
    """What the batch window offers for a file, from one reading of its first rows."""

    names: list[str]  # the columns a person may pick
    read: int | None  # the one read when none is picked; None for a file without columns
    no_header: str | None  # the note for a .csv/.tsv file read from its first line


def column_choice(path: Path) -> ColumnChoice:
    """The columns, the one the command line reads without ``--column`` (by position: names
    may be empty or repeated) and the note on a missing header: the window read the file's
    first rows three times to tell them."""
    names, words, no_header = _columns(path)
    read = default_position(names, words) if names else None
    return ColumnChoice(names, read, no_header and _no_header_said(path, no_header))


def _json_fields(path: Path) -> tuple[list[str], list[float]]:
    """The fields of the objects in the first JSONL_SAMPLE_LINES lines, in the order they
    first appear, and each one's words per value in the first SAMPLE_ROWS objects: a field is
    picked by the rule a CSV file's column is."""
    lines = itertools.islice(decoded_lines(path), JSONL_SAMPLE_LINES)
    records = [r for r in (_parse_json(line) for line, _ in lines) if isinstance(r, dict)]
    fields = list(dict.fromkeys(field for record in records for field in record))
    values = ([_json_cell(record.get(f)) for f in fields] for record in records[:SAMPLE_ROWS])
    return fields, words_per_cell(values, len(fields))


def _json_cell(value: Any) -> str | None:
    """A JSON value as a cell: a string as itself, a missing field or null as a blank cell,
    another value (a number, true) as None, no text."""
    if value is None:
        return ""
    return value if isinstance(value, str) else None


def guessed_column(path: Path) -> str | None:
    """How a note names the column read when none is asked for, where it was a guess, so that
    the command line can say which it took; None where only one is named just like a text
    column, or there is no other to choose. Of two so named ("Comments" twice, "Text" and
    "text") the first is read: the note names it with its number."""
    names, words, _ = _columns(path)
    named = named_column(names)
    if len(names) < 2 or (named is not None and not repeated(names, named)):
        return None
    return column_words(names, default_position(names, words))


def no_header_note(path: Path, column: Column = None) -> str | None:
    """What to tell a person whose .csv or .tsv file is read from its first line, as one
    without a header (``column`` being the one asked for): that line is the first row, not
    lost as column names."""
    if _input_suffix(path) not in _TABLE_SUFFIXES:
        return None
    why = csv_table(path, column).no_header
    return why and _no_header_said(path, why)


def _no_header_said(path: Path, why: str) -> str:
    return f"the first line of {path.name} is read as the first row: {why}."


def count_items(path: Path, column: Column = None) -> int:
    """How many items `read_items` will yield (one pass over the file), for progress bars."""
    return sum(1 for _ in read_items(path, column))


def read_items(path: Path, column: Column = None) -> Iterator[BatchItem]:
    """Stream the items of a batch file.

    The file is checked now (type, readability, column), so a bad file fails before any work;
    the lines are read lazily, so a file of any size streams. A blank line inside the file is an
    item with an error (item numbers stay line numbers); blank lines at its end are not items.
    """
    suffix = _input_suffix(path)
    if suffix in _TABLE_SUFFIXES:
        table = csv_table(path, column)
        items = csv_items(path, pick_column(table.names, column, path, table.words), table)
    elif suffix == ".jsonl":
        names, words = _json_fields(path)
        known = bool(names) or column is not None
        key = names[pick_column(names, column, path, words)] if known else None
        items = _line_items(path, lambda line: _json_text(_parse_json(line), key))
    elif column is not None:
        raise BatchFileError(
            f"{path.name} is a plain text file: it has no columns to choose from."
        )
    else:
        check_readable(path)
        items = _line_items(path, text_or_error)
    return sharing_the_gil(_without_trailing_blanks(items))


def _without_trailing_blanks(items: Iterator[BatchItem]) -> Iterator[BatchItem]:
    """Hold blank items back until a non-blank one follows: the blank rows that editors and
    spreadsheets leave at the end of a file are not texts the person forgot to fill in."""
    held: list[BatchItem] = []
    for item in items:
        if item.error == BLANK_LINE:
            held.append(item)
            continue
        yield from held
        held.clear()
        yield item


def _input_suffix(path: Path) -> str:
    """The file's suffix, refused in words unless it is one a batch can read. Only a regular
    file is read: a batch reads its file more than once, and a named pipe's second reading
    waits forever for a writer that has gone."""
    if path.is_dir():
        raise BatchFileError(not_a_file(path))
    if path.exists() and not path.is_file():
        raise BatchFileError(
            f"{path} is not a regular file (a named pipe or a device, say): save the texts"
            " in a file and name it."
        )
    suffix = path.suffix.lower()
    if suffix not in INPUT_SUFFIXES:
        raise BatchFileError(
            f"Cannot read {path.name}: use a .txt (one text per line), .csv, .tsv or .jsonl file."
        )
    return suffix


def _line_items(
    path: Path, text_of: Callable[[str], tuple[str | None, str | None]]
) -> Iterator[BatchItem]:
    """An item per line of a .txt or .jsonl file; ``text_of`` reads a line that is not blank."""
    for number, (line, damaged) in enumerate(decoded_lines(path), start=1):
        if damaged:
            yield BatchItem(number, None, not_valid_text(damaged))
        elif not line.strip():
            yield BatchItem(number, None, BLANK_LINE)
        else:
            yield BatchItem(number, *text_of(line))


_NOT_JSON = object()  # a line json cannot read (``None`` is the JSON line "null")


def _parse_json(line: str) -> Any:
    """The line's JSON value, or _NOT_JSON where it holds none."""
    try:
        return json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: arrays nested a thousand deep
        return _NOT_JSON


def _json_text(record: Any, key: str | None) -> tuple[str | None, str | None]:
    """A JSONL line is an object holding the text under `key`, or a bare JSON string."""
    if isinstance(record, str):
        return text_or_error(record)
    if record is _NOT_JSON:
        return None, "not valid JSON"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    if key is None or key not in record:
        return None, f"no field {key or 'text'!r}"
    value = record[key]
    if not isinstance(value, str):
        return None, f"field {key!r} is not text"
    return text_or_error(value)
