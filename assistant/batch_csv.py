"""Tolerant CSV and TSV reading for batch files.

Spreadsheets export files Python's csv module would read wrongly without a word: a ``sep=;``
first line, blank rows of delimiters, a quote left open that swallows the rest of the file, a
tab-separated text holding a stray quote. Each such record becomes an item carrying an error in
words, and the batch goes on.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from assistant.batch_items import (
    BLANK_LINE,
    BatchFileError,
    BatchItem,
    not_valid_text,
    text_or_error,
)
from assistant.text_files import decoded_lines

_CSV_DELIMITERS = (",", ";", "\t", "|")
_CSV_BLANK = "".join(_CSV_DELIMITERS) + " \r\n"
# Python's csv module refuses a cell over 131,072 characters and stops the whole file there. A
# longer text is one item the engine refuses in its own row (MAX_INPUT_CHARS), so lift the cap
# to the largest value every platform's C long holds.
csv.field_size_limit(2**31 - 1)


def csv_header(path: Path) -> tuple[list[str], str]:
    """The header's names and the delimiter. The header is the first record with a non-empty
    cell (leading blank or comma-only lines, as spreadsheets export, are skipped), read the
    way `csv_items` reads it, so that the two always agree."""
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _csv_delimiter(path)
    for record in _csv_records(path, delimiter):
        if record.problem:
            raise BatchFileError(f"The header of {path.name} cannot be read: {record.problem}.")
        if _has_content(record.cells):
            if record.damaged:
                raise BatchFileError(
                    f"The header of {path.name} is {not_valid_text(record.damaged)}."
                )
            return [cell.strip() for cell in record.cells], delimiter
    raise BatchFileError(f"{path.name} is empty: a CSV file needs a header line.")


def _csv_delimiter(path: Path) -> str:
    """The one Excel's ``sep=;`` first line names, else the most frequent of , ; tab | on the
    first line holding anything else (else ",")."""
    for number, (line, _damaged) in enumerate(decoded_lines(path), start=1):
        hint = _sep_hint(line) if number == 1 else None
        if hint:
            return hint
        if _has_content([line]):
            delimiter = max(_CSV_DELIMITERS, key=line.count)
            return delimiter if line.count(delimiter) else ","
    return ","


_SEP_HINT = re.compile(r"sep=(.)")


def _sep_hint(line: str) -> str | None:
    """The delimiter a first line such as ``sep=;`` names (Excel writes and reads it)."""
    match = _SEP_HINT.fullmatch(line.rstrip("\r\n"))
    return match and match.group(1)


def _has_content(cells: Iterable[str]) -> bool:
    """Whether any cell holds more than spaces and delimiters (a blank line of a spreadsheet
    export is ",,," or, read with another delimiter, one cell of commas)."""
    return any(cell.strip(_CSV_BLANK) for cell in cells)


class _Record(NamedTuple):
    """A CSV record as read, with the physical lines it was read from."""

    cells: list[str]
    problem: str | None  # what is wrong with it as CSV, where
    lines: list[tuple[str, str | None]]  # each line, and the encoding it is not valid in

    @property
    def damaged(self) -> str | None:
        """The encoding some of the record's lines were not valid in, else None."""
        return next((damaged for _, damaged in self.lines if damaged), None)


def _csv_records(path: Path, delimiter: str) -> Iterator[_Record]:
    """Each CSV record, which may span lines. Strict parsing: a quote left open would otherwise
    swallow every later line into one cell without a word. An Excel ``sep=`` first line is
    not a record."""
    read: list[tuple[int, str, str | None]] = []  # (number, line, damaged) of the record

    def lines() -> Iterator[str]:
        for number, (line, damaged) in enumerate(decoded_lines(path), start=1):
            if number > 1 or not _sep_hint(line):
                read.append((number, line, damaged))
                yield line

    reader = csv.reader(lines(), delimiter=delimiter, strict=True)
    while True:
        try:
            cells, problem = next(reader), None
        except StopIteration:
            return
        except csv.Error as exc:
            cells, problem = [], _csv_problem(exc)
        first, last = read[0][0], read[-1][0]
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        lines_read = [(line, damaged) for _, line, damaged in read]
        yield _Record(cells, problem and f"{where}: {problem}", lines_read)
        read.clear()


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint in a user's words."""
    if "end of data" in str(exc):
        return "a quote opened here is never closed, so the rest of the file ran into this row"
    if "expected after" in str(exc):
        return 'text follows a closing quote (a quote inside a quoted cell is written "")'
    return f"not valid CSV ({exc})"


def csv_items(path: Path, position: int, delimiter: str) -> Iterator[BatchItem]:
    """The column's cell of each row after the header; a row touching an undecodable line,
    not valid as CSV, or with more cells than the header becomes an error (an unquoted
    delimiter inside the text would otherwise cut it short without a word)."""
    records = _csv_records(path, delimiter)
    for record in records:
        if _has_content(record.cells):  # the header, as csv_header found it
            width = len(record.cells)
            break
    else:
        return
    number = 0
    for record in records:
        rows = _as_written(record, width, delimiter)
        problem = None if rows else record.problem
        for cells, damaged in rows or [(record.cells, record.damaged)]:
            number += 1
            if problem:
                yield BatchItem(number, None, problem)
            elif damaged:
                yield BatchItem(number, None, not_valid_text(damaged))
            elif not _has_content(cells):
                yield BatchItem(number, None, BLANK_LINE)
            elif _has_content(cells[width:]):  # the row as written says which one it was
                yield BatchItem(
                    number, delimiter.join(cells), _too_many_cells(len(cells), width, delimiter)
                )
            elif position >= len(cells):
                yield BatchItem(number, None, "missing value")
            else:
                yield BatchItem(number, *text_or_error(cells[position]))


def _as_written(
    record: _Record, width: int, delimiter: str
) -> list[tuple[list[str], str | None]] | None:
    """The record's lines as rows of their own (with the encoding each is not valid in), where a
    stray quote joined or broke them: each line (blank ones aside) then holds a row's cells, or
    in a record CSV cannot read, more where it reads as CSV on its own (a row with a cell too
    many, said in its own item: one lost three good rows with it). Only for a record CSV cannot
    read (a quote never closed, text after a closing quote), or one spanning lines in a
    tab-separated file, where no prose holds a row's tabs on every line; a comma-separated cell
    spanning lines is CSV's own way to hold line breaks, and a line of fewer cells, or of more
    that CSV cannot read, is prose."""
    if not record.problem and (len(record.lines) == 1 or delimiter != "\t" or width < 2):
        return None
    read = [(*_line_cells(line, delimiter), damaged) for line, damaged in record.lines]
    if all(
        len(cells) == width or (len(cells) > width and is_csv and record.problem)
        for cells, is_csv, _ in read
        if _has_content(cells)
    ):
        return [(cells, damaged) for cells, _, damaged in read]
    return None


def _line_cells(line: str, delimiter: str) -> tuple[list[str], bool]:
    """A line's cells, and whether they were read as CSV: on its own where it can be (a split
    row's quoted text loses its quotes), else split at every delimiter, a stray quote kept as a
    character."""
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True), []), True
    except csv.Error:
        return line.rstrip("\r\n").split(delimiter), False


def _too_many_cells(cells: int, width: int, delimiter: str) -> str:
    """The error of a row with more cells than the header, naming the delimiter to quote."""
    shown = "tab" if delimiter == "\t" else f"'{delimiter}'"
    return f"{cells} cells where the header has {width}: put a text holding {shown} in quotes"
