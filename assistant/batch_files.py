"""Batch files: read texts from .txt/.csv/.tsv/.jsonl, write result rows as .csv/.jsonl/.json.

Qt-free and engine-free, so the command line and the GUI's batch mode share one implementation
and the batch window can read a file's columns before the models load (`batch_analysis` runs
the models). A bad line never stops a batch: it becomes an item (and later a row) carrying an
error; only a file that cannot be read at all raises `BatchFileError`.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import glob
import itertools
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from assistant.text_files import SNIFF_BYTES, byte_kind, decode_line

INPUT_SUFFIXES = (".txt", ".csv", ".tsv", ".jsonl")
_TABLE_SUFFIXES = (".csv", ".tsv")
OUTPUT_SUFFIXES = (".csv", ".jsonl", ".json")
TEXT_COLUMNS = (
    "text",
    "sentence",
    "utterance",
    "review",
    "comment",
    "message",
    "content",
    "body",
    "tweet",
)
"""Column names taken for the text, in this order (any case), when none is asked for."""
_CSV_DELIMITERS = (",", ";", "\t", "|")
_CSV_BLANK = "".join(_CSV_DELIMITERS) + " \r\n"
# Python's csv module refuses a cell over 131,072 characters and stops the whole file there. A
# longer text is one item the engine refuses in its own row (MAX_INPUT_CHARS), so lift the cap
# to the largest value every platform's C long holds.
csv.field_size_limit(2**31 - 1)


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
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


ROW_FIELDS = tuple(f.name for f in dataclasses.fields(BatchRow))


def plural(number: int, noun: str) -> str:
    """``"1 text"``, ``"1,024 texts"``: a number with its noun, plural unless it is one (the
    batch summaries of the CLI and the window)."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


# --- reading -------------------------------------------------------------------------------------


JSONL_SAMPLE_LINES = 1_000
"""Lines of a .jsonl file whose objects' fields are offered as columns: objects need not all
have the same fields (a first record of only an id is common)."""


def list_columns(path: Path) -> list[str]:
    """Column names a person may pick: the CSV header, or the fields of the objects in the
    first JSONL_SAMPLE_LINES lines of a .jsonl file, in the order they first appear."""
    suffix = _input_suffix(path)
    if suffix in _TABLE_SUFFIXES:
        return _csv_header(path)[0]
    if suffix == ".jsonl":
        fields: dict[str, None] = {}
        for line, _ok in itertools.islice(_decoded_lines(path), JSONL_SAMPLE_LINES):
            record = _parse_json(line)
            if isinstance(record, dict):
                fields.update(dict.fromkeys(record))
        return list(fields)
    _check_readable(path)  # a plain text file has no columns, but it must be text
    return []


Column = str | int | None
"""A column by name, by position in the header (what the batch window's list picks: names may
be empty or repeated), or None for ``default_column``."""


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
        names, delimiter = _csv_header(path)
        items = _csv_items(path, _pick_column(names, column, path), delimiter)
    elif suffix == ".jsonl":
        names = list_columns(path)
        key = names[_pick_column(names, column, path)] if names or column is not None else None
        items = _line_items(path, lambda line: _json_text(_parse_json(line), key))
    elif column is not None:
        raise BatchFileError(
            f"{path.name} is a plain text file: it has no columns to choose from."
        )
    else:
        _check_readable(path)
        items = _line_items(path, _clean)
    return _without_trailing_blanks(items)


_BLANK = "empty line"
"""The error of a line (or CSV record) holding nothing but spaces, and delimiters in a CSV."""


def _without_trailing_blanks(items: Iterator[BatchItem]) -> Iterator[BatchItem]:
    """Hold blank items back until a non-blank one follows: the blank rows that editors and
    spreadsheets leave at the end of a file are not texts the person forgot to fill in."""
    held: list[BatchItem] = []
    for item in items:
        if item.error == _BLANK:
            held.append(item)
            continue
        yield from held
        held.clear()
        yield item


def _input_suffix(path: Path) -> str:
    if path.is_dir():
        raise BatchFileError(f"{path} is a folder, not a file.")
    suffix = path.suffix.lower()
    if suffix not in INPUT_SUFFIXES:
        raise BatchFileError(
            f"Cannot read {path.name}: use a .txt (one text per line), .csv, .tsv or .jsonl file."
        )
    return suffix


def _check_readable(path: Path) -> None:
    """Fail early, in words, for a missing, unreadable, binary or UTF-16 file."""
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise BatchFileError(f"No such file: {path}") from None
    except IsADirectoryError:
        raise BatchFileError(f"{path} is a folder, not a file.") from None
    except OSError as exc:
        raise BatchFileError(f"Cannot read {path}: {exc.strerror or exc}") from None
    kind = byte_kind(head)
    if kind.startswith("utf-16"):
        raise BatchFileError(f"{path.name} is saved as UTF-16: save it as UTF-8 and try again.")
    if kind == "binary":
        raise BatchFileError(f"{path.name} looks like a binary file, not text.")


def _decoded_lines(path: Path) -> Iterator[tuple[str, bool]]:
    """Yield (line, ok) per physical line, UTF-8 or Windows-1252 (``text_files.decode_line``);
    a line with bytes neither reads comes with ok=False. A line ends at LF, CRLF or a lone CR
    (old Mac and Excel for Mac files)."""
    _check_readable(path)
    try:
        with path.open("rb") as stream:
            marked = False  # a UTF-8 byte order mark: every line is UTF-8, damaged or not
            for number, chunk in enumerate(stream):
                if number == 0 and chunk.startswith(b"\xef\xbb\xbf"):
                    chunk, marked = chunk[3:], True
                for raw in chunk.splitlines(keepends=True):
                    line = decode_line(raw, marked)
                    yield line.text, line.ok
    except OSError as exc:  # gone or unreadable since the check, a disk error mid-file
        raise BatchFileError(f"Cannot read {path}: {exc.strerror or exc}") from None


def _clean(text: str) -> tuple[str | None, str | None]:
    """Strip line endings; an empty text becomes an error rather than a silent skip."""
    text = text.rstrip("\r\n")
    if not text.strip():
        return None, "empty text"
    return text, None


_NOT_UTF8 = "not valid UTF-8 text"


def _line_items(
    path: Path, text_of: Callable[[str], tuple[str | None, str | None]]
) -> Iterator[BatchItem]:
    """An item per line of a .txt or .jsonl file; ``text_of`` reads a line that is not blank."""
    for number, (line, ok) in enumerate(_decoded_lines(path), start=1):
        if not ok:
            yield BatchItem(number, None, _NOT_UTF8)
        elif not line.strip():
            yield BatchItem(number, None, _BLANK)
        else:
            yield BatchItem(number, *text_of(line))


_NOT_JSON = object()  # a line json cannot read (``None`` is the JSON line "null")


def _parse_json(line: str) -> Any:
    try:
        return json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: arrays nested a thousand deep
        return _NOT_JSON


def _json_text(record: Any, key: str | None) -> tuple[str | None, str | None]:
    """A JSONL line is an object holding the text under `key`, or a bare JSON string."""
    if isinstance(record, str):
        return _clean(record)
    if record is _NOT_JSON:
        return None, "not valid JSON"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    if key is None or key not in record:
        return None, f"no field {key or 'text'!r}"
    value = record[key]
    if not isinstance(value, str):
        return None, f"field {key!r} is not text"
    return _clean(value)


def _csv_header(path: Path) -> tuple[list[str], str]:
    """The header's names and the delimiter. The header is the first record with a non-empty
    cell (leading blank or comma-only lines, as spreadsheets export, are skipped), read the
    way `_csv_items` reads it, so that the two always agree."""
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _csv_delimiter(path)
    for record in _csv_records(path, delimiter):
        if record.problem:
            raise BatchFileError(f"The header of {path.name} cannot be read: {record.problem}.")
        if _has_content(record.cells):
            if not record.ok:
                raise BatchFileError(f"The header of {path.name} is not valid UTF-8 text.")
            return [cell.strip() for cell in record.cells], delimiter
    raise BatchFileError(f"{path.name} is empty: a CSV file needs a header line.")


def _csv_delimiter(path: Path) -> str:
    """The one Excel's ``sep=;`` first line names, else the most frequent of , ; tab | on the
    first line holding anything else (else ",")."""
    for number, (line, _ok) in enumerate(_decoded_lines(path), start=1):
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
    lines: list[tuple[str, bool]]  # each line, and whether it was valid UTF-8

    @property
    def ok(self) -> bool:
        return all(ok for _, ok in self.lines)


def _csv_records(path: Path, delimiter: str) -> Iterator[_Record]:
    """Each CSV record, which may span lines. Strict parsing: a quote left open would otherwise
    swallow every later line into one cell without a word. An Excel ``sep=`` first line is
    not a record."""
    read: list[tuple[int, str, bool]] = []  # (number, line, ok) of the record being read

    def lines() -> Iterator[str]:
        for number, (line, ok) in enumerate(_decoded_lines(path), start=1):
            if number > 1 or not _sep_hint(line):
                read.append((number, line, ok))
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
        lines_read = [(line, ok) for _, line, ok in read]
        yield _Record(cells, problem and f"{where}: {problem}", lines_read)
        read.clear()


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint in a user's words."""
    if "end of data" in str(exc):
        return "a quote opened here is never closed, so the rest of the file ran into this row"
    if "expected after" in str(exc):
        return 'text follows a closing quote (a quote inside a quoted cell is written "")'
    return f"not valid CSV ({exc})"


def _pick_column(names: Sequence[str], column: Column, path: Path) -> int:
    """The position of the column asked for (by position, by name, or by name in any case
    where only one matches), else of ``default_column``."""
    if isinstance(column, int) and 0 <= column < len(names):
        return column
    if isinstance(column, str) and column in names:
        return names.index(column)
    if isinstance(column, str):  # --column reviews for a header "Reviews"
        folded = [name.casefold() for name in names]
        matches = folded.count(column.casefold())
        if matches == 1:
            return folded.index(column.casefold())
        if matches > 1:
            raise BatchFileError(
                f"{path.name} has several columns named {column!r} in different cases"
                f" (columns: {', '.join(names)}): give the exact one."
            )
    if column is not None:
        available = ", ".join(names) or "none"
        asked = f"number {column + 1}" if isinstance(column, int) else repr(column)
        raise BatchFileError(f"{path.name} has no column {asked} (columns: {available}).")
    if not names:
        raise BatchFileError(f"{path.name} has no columns.")
    return names.index(default_column(names))


def guessed_column(path: Path) -> str | None:
    """The column read when none is asked for and none is named just like a text column, so
    that the command line can say which it took; None when one is, or there are no columns."""
    names = list_columns(path)
    if not names or _named_column(names) is not None:
        return None
    return default_column(names)


def default_column(names: Sequence[str]) -> str:
    """The column named like a text column, else the first whose name ends in a text word
    ("review_text", "reviewBody"), else the first one: the batch window preselects what the
    CLI reads without ``--column``. Only the last word counts: "review_date" and
    "comment_count" hold dates and numbers, which would be analysed as texts without an error."""
    return _named_column(names) or _worded_column(names) or names[0]


def _named_column(names: Sequence[str]) -> str | None:
    """The first of TEXT_COLUMNS (any case, with or without a final "s") a column is named."""
    named = [(name, _words(name)) for name in names]
    for wanted in TEXT_COLUMNS:
        for name, words in named:
            if words == [wanted]:
                return name
    return None


_NOT_TEXT_WORDS = frozenset({"id", "is", "has", "num", "n", "nb", "count", "total"})
"""Words of a name that make its column ids, flags or counts ("is_review", "num_comments")."""


def _worded_column(names: Sequence[str]) -> str | None:
    """The first column whose name's last word is one of TEXT_COLUMNS, singular
    ("review_text", "reviewBody", "last_message"; not "num_reviews" or "is_review")."""
    for name in names:
        words = _words(name)
        if len(words) > 1 and words[-1] in TEXT_COLUMNS and not _NOT_TEXT_WORDS & set(words):
            return name
    return None


def _words(name: str) -> list[str]:
    """A column name's words, lower case, split at non-letters and camelCase humps:
    "review_text" and "reviewText" read as ["review", "text"], "reviewerID" as ["reviewer",
    "id"]. A one-word name loses a final "s" where that leaves a text word ("Reviews" reads
    as ["review"]); in a longer name a plural counts ("num_reviews")."""
    words = [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)]
    if len(words) == 1 and words[0].endswith("s") and words[0][:-1] in TEXT_COLUMNS:
        return [words[0][:-1]]
    return words


def _csv_items(path: Path, position: int, delimiter: str) -> Iterator[BatchItem]:
    """The column's cell of each row after the header; a row touching an undecodable line,
    not valid as CSV, or with more cells than the header becomes an error (an unquoted
    delimiter inside the text would otherwise cut it short without a word)."""
    records = _csv_records(path, delimiter)
    for record in records:
        if _has_content(record.cells):  # the header, as _csv_header found it
            width = len(record.cells)
            break
    else:
        return
    number = 0
    for record in records:
        rows = _as_written(record, width, delimiter)
        problem = None if rows else record.problem
        for cells, ok in rows or [(record.cells, record.ok)]:
            number += 1
            if problem:
                yield BatchItem(number, None, problem)
            elif not ok:
                yield BatchItem(number, None, _NOT_UTF8)
            elif not _has_content(cells):
                yield BatchItem(number, None, _BLANK)
            elif _has_content(cells[width:]):
                yield BatchItem(number, None, _too_many_cells(len(cells), width, delimiter))
            elif position >= len(cells):
                yield BatchItem(number, None, "missing value")
            else:
                yield BatchItem(number, *_clean(cells[position]))


def _as_written(
    record: _Record, width: int, delimiter: str
) -> list[tuple[list[str], bool]] | None:
    """The record's lines as rows of their own (with whether each was valid UTF-8), quotes
    read as plain characters, where a stray quote joined or broke them: each line (blank ones
    aside) then holds exactly a row's cells. Only for a record CSV cannot read (a quote never
    closed, text after a closing quote), or one spanning lines in a tab-separated file, where
    no prose holds a row's tabs on every line; a comma-separated cell spanning lines is CSV's
    own way to hold line breaks."""
    if not record.problem and (len(record.lines) == 1 or delimiter != "\t" or width < 2):
        return None
    rows = [(line.rstrip("\r\n").split(delimiter), ok) for line, ok in record.lines]
    whole = all(len(cells) == width for cells, _ in rows if _has_content(cells))
    return rows if whole else None


def _too_many_cells(cells: int, width: int, delimiter: str) -> str:
    shown = "tab" if delimiter == "\t" else f"'{delimiter}'"
    return f"{cells} cells where the header has {width}: put a text holding {shown} in quotes"


# --- writing -------------------------------------------------------------------------------------


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (results must never be written over their input):
    one file under two names, or one name spelt two ways (``x/../in.csv`` with no folder x,
    which the writer resolves to in.csv)."""
    try:
        return a.samefile(b)
    except OSError:
        try:
            return a.resolve() == b.resolve()
        except (OSError, RuntimeError):  # a loop of symbolic links
            return False


def output_format(path: Path) -> str:
    """The output suffix, checked before a long batch starts rather than after it ends."""
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise BatchFileError(f"Cannot write {path.name}: use a .csv, .jsonl or .json file name.")
    return suffix


def write_results(
    path: Path, rows: Iterable[BatchRow], *, replace_if: Callable[[], bool] | None = None
) -> int:
    """Write rows to `path` (through a symbolic link, keeping an earlier file's permissions);
    the format follows the suffix (.csv, .jsonl, .json). Returns how many rows were written.

    The rows go to a hidden file of this run's own beside it (two runs writing one name do not
    mix), which replaces `path` only once all are written, so an interrupted batch or a full
    disk leaves an earlier file whole, never half a file; with ``replace_if`` answering False
    once all are written (no rows, every row an error), it is left untouched too. If `path`
    cannot be replaced then (a file another program holds open, on Windows), the hidden file
    stays and the error names it: the work is not lost. CSV gets a UTF-8 byte order mark so
    that spreadsheet programs read accents and emoji right.
    """
    fmt = output_format(path)
    try:
        target = path.resolve()
    except (OSError, RuntimeError) as exc:  # a loop of symbolic links
        raise BatchFileError(f"Cannot write {path}: {exc}") from None
    if target.is_dir():
        raise BatchFileError(f"Cannot write {path}: it is a folder.")
    if target.exists() and not os.access(target, os.W_OK):  # the rename below would bypass it
        raise BatchFileError(f"Cannot write {path}: it is read-only.")
    short = target.name[:140]  # a name holds 255 bytes, in whole characters
    while len(os.fsencode(short)) > 140:
        short = short[:-1]
    partial = target.with_name(f".{short}.{secrets.token_hex(4)}.partial")
    written = 0

    def counted() -> Iterator[BatchRow]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    try:
        with partial.open(
            "x",
            encoding="utf-8-sig" if fmt == ".csv" else "utf-8",
            errors="backslashreplace",  # a lone surrogate (JSON "\\ud800"), as on stdout
            newline="",
        ) as stream:
            write_rows(stream, counted(), fmt)
        replace = replace_if is None or replace_if()
    except BaseException as exc:
        _remove(partial)
        if isinstance(exc, OSError):
            raise BatchFileError(f"Cannot write {path}: {exc.strerror or exc}") from None
        raise
    if not replace:
        _remove(partial)
        return written
    try:
        if target.exists():
            shutil.copymode(target, partial)
        os.replace(partial, target)
    except OSError as exc:
        raise BatchFileError(
            f"Cannot write {path}: {exc.strerror or exc}. The results are kept in {partial}."
        ) from None
    _remove_stale(target.parent.glob(f".{glob.escape(short)}.*.partial"))
    return written


STALE_PARTIAL_S = 24 * 3600
"""A hidden partial file untouched this long was left by a batch that was killed (a running
one writes to its file all the time): it is removed when the next batch to that name ends."""


def _remove_stale(partials: Iterable[Path]) -> None:
    for partial in partials:
        with contextlib.suppress(OSError):
            if time.time() - partial.stat().st_mtime > STALE_PARTIAL_S:
                partial.unlink()


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # on a read-only disk even this fails
        path.unlink(missing_ok=True)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: one starting like a formula (a text such as
    "=HYPERLINK(...)" or "-great") gets a leading apostrophe, as OWASP advises for CSV that
    Excel opens; JSON output keeps every text as it was."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_rows(stream: TextIO, rows: Iterable[BatchRow], fmt: str = ".jsonl") -> None:
    """Write rows to an open text stream in format `fmt` (an output suffix)."""
    if fmt == ".csv":
        writer = csv.DictWriter(stream, fieldnames=ROW_FIELDS)
        writer.writeheader()
        writer.writerows(
            {key: _inert(value) for key, value in row.to_dict().items()} for row in rows
        )
        return
    if fmt == ".jsonl":
        for row in rows:
            stream.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
        return
    stream.write("[")
    for number, row in enumerate(rows):
        stream.write(
            ("\n" if number == 0 else ",\n") + json.dumps(row.to_dict(), ensure_ascii=False)
        )
    stream.write("\n]\n")
