"""``assistant batch``: analyse every text of a file, writing a row per text to a file or to
standard output, with a summary a person can read at the end."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from assistant.batch_analysis import analyse_items
from assistant.batch_columns import TEXT_COLUMNS, named_column
from assistant.batch_files import (
    count_items,
    guessed_column,
    list_columns,
    no_header_note,
    read_items,
)
from assistant.batch_items import BatchRow
from assistant.batch_output import output_format, same_file, write_results, write_rows
from assistant.batch_summary import BatchSummary
from assistant.cli.errors import EXIT_INPUT, EXIT_OK, CliError
from assistant.cli.model_commands import require_models
from assistant.cli.output import emit_json
from assistant.cli.progress import ProgressBar
from assistant.engine import Engine


def batch(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    """Check the input, the output and the models before any work; then analyse, and fail
    (exit 2) when no text could be analysed, so that a script does not take it for a result."""
    if str(args.input) == "-":
        raise CliError(
            "batch reads a file, not standard input: save the texts in a .txt file, one per"
            " line, and name it.",
            EXIT_INPUT,
        )
    items = read_items(args.input, args.column)
    if unheaded := no_header_note(args.input, args.column):
        print(f"note: {unheaded}", file=sys.stderr)
    guessed = None if args.column else guessed_column(args.input)
    if guessed is not None:  # a file without a header has no names to say this of
        # Of two columns named "Comments" the first is read: no reason to give but its number.
        named = unheaded or named_column(list_columns(args.input))
        unnamed = "" if named else f"no column is named just {', '.join(TEXT_COLUMNS)}, so "
        print(f"note: {unnamed}{guessed} is read; choose another with --column.", file=sys.stderr)
    if args.output:
        _check_output(args.output, args.input)
    require_models(args, engine, args.tasks)
    summary = BatchSummary()
    rows: Iterable[BatchRow] = (
        summary.add(row) for row in analyse_items(engine, items, args.tasks)
    )
    if sys.stderr.isatty() and (args.output or not out.isatty()):  # not between result lines
        rows = ProgressBar(count_items(args.input, args.column), sys.stderr).track(rows)
    if args.output:
        earlier = args.output.exists()
        # An earlier file stays as it was unless some text was analysed.
        write_results(args.output, rows, replace_if=summary.any_analysed)
    else:
        write_rows(out, rows, ".jsonl")
    if summary.items == 0:
        raise CliError(f"{args.input} holds no texts to analyse.", EXIT_INPUT)
    analysed = summary.any_analysed()
    written = args.output if args.output and analysed else None
    report = out if args.output else sys.stderr
    if args.json and args.output:
        emit_json(report, {"output": written and str(written), **summary.to_dict()})
    else:
        lines = summary.describe()
        if written:
            lines.append(f"results written to {written}")
        report.write("\n".join(lines) + "\n")
    if not analysed:  # a script must not take this for a result
        hint = " Is the text in another column? Choose it with --column." if guessed else ""
        if args.output:
            hint += f" {args.output} was {'left as it was' if earlier else 'not written'}."
        raise CliError(f"No text of {args.input} could be analysed.{hint}", EXIT_INPUT)
    return EXIT_OK


def _check_output(output: Path, source: Path) -> None:
    """Refuse, before a long batch starts, an output of an unknown type or one that is the
    input itself."""
    output_format(output)
    if same_file(output, source):
        raise CliError(
            f"{output} is the input file: writing the results would erase the texts "
            "first. Name another file after -o.",
            EXIT_INPUT,
        )
