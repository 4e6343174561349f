"""Writing a batch's result rows as .csv, .jsonl or .json for the command line and the batch
window: a batch can run for hours, so one interrupted or failed never leaves half a file nor
spoils an earlier one (`write_results`)."""

from __future__ import annotations

import contextlib
import csv
import glob
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from assistant.batch_items import ROW_FIELDS, BatchFileError, BatchRow, sharing_the_gil
from assistant.text_files import not_a_file

OUTPUT_SUFFIXES = (".csv", ".jsonl", ".json")


class OutputFailed(BatchFileError):
    """The results could not be written once their file was begun (a full disk, a failing
    drive): the output, not the input, is at fault, so the command line exits 1, as for a full
    disk under standard output, not 2 as for a bad file name."""


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
    """The output suffix, checked before a long batch starts rather than after it ends. A
    folder is said to be one first: "-o results" named no file of a wrong type. A name the
    system refuses to look up (too long) is a bad name, said in words."""
    try:
        is_folder = path.is_dir()
    except OSError as exc:
        raise BatchFileError(_cannot_write(path, exc)) from None
    if is_folder:
        raise BatchFileError(not_a_file(path))
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
    if target.exists() and not os.access(target, os.W_OK):  # the rename below would bypass it
        raise BatchFileError(f"Cannot write {path}: it is read-only.")
    short = target.name[:140]  # a name holds 255 bytes, in whole characters
    while len(os.fsencode(short)) > 140:
        short = short[:-1]
    partial = target.with_name(f".{short}.{secrets.token_hex(4)}.partial")
    written = 0

    def counted() -> Iterator[BatchRow]:
        nonlocal written
        for row in sharing_the_gil(rows):
            written += 1
            yield row

    try:
        with _begin(partial, path, fmt) as stream:
            write_rows(stream, counted(), fmt)
        replace = replace_if is None or replace_if()
    except BaseException as exc:
        _remove(partial)
        if isinstance(exc, OSError):
            raise OutputFailed(_cannot_write(path, exc)) from None
        raise
    if not replace:
        _remove(partial)
        return written
    try:
        if target.exists():
            shutil.copymode(target, partial)
        os.replace(partial, target)
    except OSError as exc:
        raise OutputFailed(
            f"{_cannot_write(path, exc)}. The results are kept in {partial}."
        ) from None
    _remove_stale(target.parent.glob(f".{glob.escape(short)}.*.partial"))
    return written


def _begin(partial: Path, path: Path, fmt: str) -> TextIO:
    """The hidden file, new, for this run alone. Where it cannot be made (no such folder, no
    permission) the name is to be chosen again: a bad input (exit 2), where a failure once
    writing has begun is the output's (`OutputFailed`)."""
    try:
        return partial.open(
            "x",
            encoding="utf-8-sig" if fmt == ".csv" else "utf-8",
            errors="backslashreplace",  # a lone surrogate (JSON "\\ud800"), as on stdout
            newline="",
        )
    except OSError as exc:
        raise BatchFileError(_cannot_write(path, exc)) from None


def _cannot_write(path: Path, exc: OSError) -> str:
    return f"Cannot write {path}: {exc.strerror or exc}"


STALE_PARTIAL_S = 24 * 3600
"""A hidden partial file untouched this long was left by a batch that was killed (a running
one writes to its file all the time): it is removed when the next batch to that name ends."""


def _remove_stale(partials: Iterable[Path]) -> None:
    """Remove the partial files of killed batches (see STALE_PARTIAL_S)."""
    for partial in partials:
        with contextlib.suppress(OSError):
            if time.time() - partial.stat().st_mtime > STALE_PARTIAL_S:
                partial.unlink()


def _remove(path: Path) -> None:
    """Delete a partial file where the disk allows it: cleaning up must not raise an error of
    its own over the one being reported."""
    with contextlib.suppress(OSError):  # on a read-only disk even this fails
        path.unlink(missing_ok=True)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet shows as text: one starting like a formula (a text such as
    "=HYPERLINK(...)" or "-great") gets a leading apostrophe, as OWASP advises for CSV that
    Excel opens; the batch table's Copy uses it too, as pasted cells are evaluated alike.
    JSON output keeps every text as it was."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_rows(stream: TextIO, rows: Iterable[BatchRow], fmt: str = ".jsonl") -> None:
    """Write rows to an open text stream in format `fmt` (an output suffix)."""
    if fmt == ".csv":
        writer = csv.DictWriter(stream, fieldnames=ROW_FIELDS)
        writer.writeheader()
        writer.writerows(
            {key: spreadsheet_safe(value) for key, value in row.to_dict().items()} for row in rows
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
