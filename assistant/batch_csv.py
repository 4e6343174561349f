"""Tolerant CSV and TSV reading for batch files.

Spreadsheets export files Python's csv module would read wrongly without a word: a ``sep=;``
first line, blank rows of delimiters, a quote left open that swallows the rest of the file, two
stray quotes that make one cell of the rows between them (told from a quoted cell across lines,
CSV's own way to hold line breaks, by ids counting on across it), a tab-separated text holding a
stray quote, a list of texts saved as .csv without a header. Each broken record becomes an item
carrying an error in words, and the batch goes on.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from assistant.batch_columns import (
    SAMPLE_ROWS,
    Column,
    column_number,
    is_number_or_date,
    named_column,
    words_per_cell,
)
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


class CsvTable(NamedTuple):
    """How a CSV or TSV file is laid out, as its first rows show."""

    names: list[str]  # the header's, or "column 1", "column 2"... where it has none
    delimiter: str
    no_header: str | None  # why the first line is read as a row, else None
    words: list[float]  # each column's words per cell (`words_per_cell`)

    @property
    def width(self) -> int:
        return len(self.names)


def csv_table(path: Path, column: Column = None) -> CsvTable:
    """The file's layout. The header is the first record with a non-empty cell (leading blank
    or comma-only lines, as spreadsheets export, are skipped), read the way `csv_items` reads
    it, so that the two always agree; that record is a row where it is clearly not a header
    (`_headerless`; ``column`` is the one asked for, which a header names)."""
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _csv_delimiter(path)
    records = _csv_records(path, delimiter)
    first = _header_record(records, path)
    rows = [r.cells for r in itertools.islice(records, SAMPLE_ROWS) if _has_content(r.cells)]
    headerless = _headerless(first, rows, column)
    if headerless is None:
        names = [cell.strip() for cell in first]
        return CsvTable(names, delimiter, None, words_per_cell(rows, len(names)))
    width, why = headerless
    names = [f"column {number}" for number in range(1, width + 1)]
    return CsvTable(names, delimiter, why, words_per_cell([first, *rows], width))


def _header_record(records: Iterator[_Record], path: Path) -> list[str]:
    """The cells of the first record with content, refused in words where it cannot be read."""
    for record in records:
        if record.problem:
            raise BatchFileError(f"The header of {path.name} cannot be read: {record.problem}.")
        if _has_content(record.cells):
            if record.damaged:
                raise BatchFileError(
                    f"The header of {path.name} is {not_valid_text(record.damaged)}."
                )
            return record.cells
    raise BatchFileError(f"{path.name} is empty: a CSV file needs a header line.")


def _headerless(first: list[str], rows: list[list[str]], column: Column) -> tuple[int, str] | None:
    """The number of columns, and why, where the first line is clearly a row and not a header:
    it holds several cells where most rows below hold one (a list of texts saved as .csv whose
    first holds a comma: its item then says it has a cell too many, as any such row's does, not
    cut short by a width of two); or it holds a number or a date, which names are not. It is a
    header wherever it names a text column or the one asked for: no text is just that. Names
    are not otherwise told from texts by their words: a survey's columns are whole questions."""
    if _names_a_column(first, column):
        return None
    single = sum(len(cells) == 1 for cells in rows)
    if _has_content(first[1:]) and single > len(rows) / 2:
        return 1, "most lines below it hold a single text"
    if any(is_number_or_date(cell) for cell in first) and not _names_years(first, rows):
        return len(first), "it holds a number or a date"
    return None


_YEAR = re.compile(r"(19|20)\d\d")


def _names_years(first: list[str], rows: list[list[str]]) -> bool:
    """Whether the line's numbers are years naming columns of other values, as a table by year
    ("Name,2023,2024" over "Alice,5,3"): two years at least, each one after (or before) the
    last, or three or more evenly spaced ("Country,2000,2005,2010"), over cells holding
    something below, none of them a year. A row's years stand over other years (a column of
    dates), where there are rows to tell; a lone one, or two apart ("Great lamp,1999,2049"),
    may be prices: the line stays a row then, and the note says so, where a row taken for a
    header would be lost without a word."""
    numbers = [position for position, cell in enumerate(first) if is_number_or_date(cell)]
    years = [first[p].strip() for p in numbers]
    below = [cells[p].strip() for cells in rows for p in numbers if p < len(cells)]
    return (
        len(years) > 1
        and all(_YEAR.fullmatch(year) for year in years)
        and _evenly_spaced([int(year) for year in years])
        and any(below)
        and not any(_YEAR.fullmatch(cell) for cell in below)
    )


def _steps(numbers: list[int]) -> set[int]:
    """The differences between each number and the next."""
    return {after - before for before, after in itertools.pairwise(numbers)}


def _evenly_spaced(years: list[int]) -> bool:
    """Years a table's columns are named by: one after another, or three or more a few years
    apart each."""
    (step, *others) = _steps(years) or {0}
    return not others and (abs(step) == 1 or (len(years) > 2 and 1 < abs(step) <= 10))


def _names_a_column(first: list[str], column: Column) -> bool:
    """Whether a cell of the line is named like a text column ("text", "Comments"), or is the
    column asked for (`_names_asked`)."""
    names = [cell.strip() for cell in first]
    return _names_asked(names, column) or named_column(names) is not None


def _names_asked(names: list[str], column: Column) -> bool:
    """Whether one of the names is the column asked for, in any case, as `pick_column` finds
    it; not a number of one of the line's columns, which asks for that column: "2" asks for
    the second of a row "2,Crashes when I open the camera", not for a header naming "2"."""
    if not isinstance(column, str):
        return False
    asked = column.strip()
    number = column_number(asked)
    numbered = number is not None and 0 < number <= len(names)
    return not numbered and asked.casefold() in {name.casefold() for name in names}


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


_UNCLOSED = "a quote opened here is never closed"
_RAN_ON = f"{_UNCLOSED}, so the rest of the file ran into this row"


class _Record(NamedTuple):
    """A CSV record as read, with the physical lines it was read from."""

    cells: list[str]
    problem: str | None  # what is wrong with it as CSV, where
    lines: list[tuple[int, str, str | None]]  # each line's number, text, invalid encoding
    unclosed: bool = False  # a quote opened in it is never closed

    @property
    def damaged(self) -> str | None:
        """The encoding some of the record's lines were not valid in, else None."""
        return next((damaged for _, _, damaged in self.lines if damaged), None)


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
        yield _Record(cells, problem and f"{where}: {problem}", read.copy(), problem == _RAN_ON)
        read.clear()


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint in a user's words."""
    if "end of data" in str(exc):
        return _RAN_ON
    if "expected after" in str(exc):
        return 'text follows a closing quote (a quote inside a quoted cell is written "")'
    return f"not valid CSV ({exc})"


def csv_items(path: Path, position: int, table: CsvTable) -> Iterator[BatchItem]:
    """The column's cell of each row after the header (from the first line where the file has
    none); a row touching an undecodable line, not valid as CSV, or with more cells than the
    header becomes an error (an unquoted delimiter inside the text would otherwise cut it
    short without a word)."""
    records = _csv_records(path, table.delimiter)
    for record in records:
        if _has_content(record.cells):  # the header, as csv_table found it
            break
    else:
        return
    if table.no_header:
        records = itertools.chain([record], records)
    for number, row in enumerate(_rows(records, table), start=1):
        yield _item(number, row, position, table)


def _rows(records: Iterator[_Record], table: CsvTable) -> Iterator[_Record]:
    """The records' rows, each record as written (`_as_written`): whether its lines are rows
    or a quoted cell's is told by the rows around it, so each is read with the row before it
    (the last of its lines, where it was split) and the record after it."""
    current, ahead = itertools.tee(records)
    next(ahead, None)
    before: list[str] | None = None
    # strict=False: where there is no record, the None after the last one is left unpaired
    for record, after in zip(current, itertools.chain(ahead, [None]), strict=False):
        rows = _as_written(record, table, before, _neighbour(after)) or [record]
        yield from rows
        before = _neighbour(rows[-1])


def _neighbour(row: _Record | None) -> list[str] | None:
    """The cells of a row beside a record, None where there is none to go by: no row, a blank
    one, or one CSV cannot read."""
    if row is None or row.problem or not _has_content(row.cells):
        return None
    return row.cells


def _item(number: int, row: _Record, position: int, table: CsvTable) -> BatchItem:
    """The item of one row: its text, or what is wrong with it."""
    cells, width = row.cells, table.width
    if row.problem:
        return BatchItem(number, None, row.problem)
    if row.damaged:
        return BatchItem(number, None, not_valid_text(row.damaged))
    if not _has_content(cells):
        return BatchItem(number, None, BLANK_LINE)
    if _has_content(cells[width:]):  # the row as written says which one it was
        return BatchItem(number, table.delimiter.join(cells), _too_many_cells(len(cells), table))
    if position >= len(cells):
        return BatchItem(number, None, "missing value")
    return BatchItem(number, *text_or_error(cells[position]))


def _as_written(
    record: _Record, table: CsvTable, before: list[str] | None, after: list[str] | None
) -> list[_Record] | None:
    """The record's lines as rows of their own, where stray quotes joined or broke them: each
    line after the first (blank ones aside) then holds a row's cells, or in a record CSV cannot
    read, more where it reads as CSV on its own (a row with a cell too many, said in its own
    item: one lost three good rows with it). The first line holds a row's cells too, or opened
    a quote that is never closed: nothing closes it, so it starts no cell across lines and is a
    row whose item says so. For a record CSV cannot read (a quote never closed, text after a
    closing quote), and for one it reads as a quoted cell across lines, CSV's own way to hold
    line breaks, where `_like_rows` finds the lines rows between the cells of the row
    ``before`` and the record ``after`` (None where there is none to go by): a quote opening
    one row's text and another ending a later one's (12") make such a cell of the rows
    between, read without a word."""
    if not record.problem and (len(record.lines) == 1 or table.width < 2):
        return None
    lines = [(line, *_line_cells(line[1], table.delimiter)) for line in record.lines]
    rows = [_Record(cells, None, [line]) for line, cells, _ in lines]
    fits = [
        _holds_a_row(cells, table.width, longer=is_csv and record.problem is not None)
        for _, cells, is_csv in lines
    ]
    if not all(fits[1:]):
        return None
    if fits[0] and (
        record.problem or _like_rows([row.cells for row in rows], table, before, after)
    ):
        return rows
    if record.unclosed:
        return [rows[0]._replace(problem=f"line {record.lines[0][0]}: {_UNCLOSED}"), *rows[1:]]
    return None


def _like_rows(
    lines: list[list[str]], table: CsvTable, before: list[str] | None, after: list[str] | None
) -> bool:
    """Whether lines that each hold a row's cells are rows, not a quoted cell's lines: in a
    tab-separated file, always (no prose holds a row's tabs on every line); else where some
    column holds ids in order (`_ids_in_order`) from the row ``before`` through the lines
    (blank ones aside) to the record ``after``: counting on by one, up or down, from one of
    them at least (2, 3, 4 between 1 and 5), or in steps of any size one way, between both
    (104, 109 between 101 and 112: a filtered export). A quoted cell's lines often hold a
    row's commas ("10:30, asked for a refund", "12, MG Road") and may start with the numbers
    after its row's ("Items:" then "2, both broken"), but seldom with the ids that the next
    row goes on from."""
    if table.delimiter == "\t":
        return True
    rows = [cells for cells in lines if _has_content(cells)]
    counted = [cells for cells in (before, *rows, after) if cells is not None]
    gaps = before is not None and after is not None
    return (
        len(rows) > 1
        and len(counted) > len(rows)
        and any(_ids_in_order(counted, position, gaps) for position in range(table.width))
    )


_ID = re.compile(r"[0-9]{1,9}")


def _ids_in_order(rows: list[list[str]], position: int, gaps: bool) -> bool:
    """Whether the rows' cells in the column are ids in order: digits alone (not times,
    amounts or numbers of ten digits or more), each the last one's next or, with ``gaps``,
    each after the last by any step, all up or all down."""
    cells = [cells[position].strip() if position < len(cells) else "" for cells in rows]
    if not all(_ID.fullmatch(cell) for cell in cells):
        return False
    steps = _steps([int(cell) for cell in cells])
    if gaps:
        return all(step > 0 for step in steps) or all(step < 0 for step in steps)
    return steps in ({1}, {-1})


def _holds_a_row(cells: list[str], width: int, longer: bool) -> bool:
    """Whether a line's cells are a row's (or those of a row with cells too many, where
    ``longer`` may be), a blank line being no row's and none that stops the others."""
    return not _has_content(cells) or len(cells) == width or (longer and len(cells) > width)


def _line_cells(line: str, delimiter: str) -> tuple[list[str], bool]:
    """A line's cells, and whether they were read as CSV: on its own where it can be (a split
    row's quoted text loses its quotes), else split at every delimiter, a stray quote kept as a
    character."""
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True), []), True
    except csv.Error:
        return line.rstrip("\r\n").split(delimiter), False


def _too_many_cells(cells: int, table: CsvTable) -> str:
    """The error of a row with more cells than the header, naming the delimiter to quote."""
    shown = "tab" if table.delimiter == "\t" else f"'{table.delimiter}'"
    has = "the other rows have" if table.no_header else "the header has"
    return f"{cells} cells where {has} {table.width}: put a text holding {shown} in quotes"
