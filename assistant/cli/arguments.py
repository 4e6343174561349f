"""The command line's options and commands (``assistant --help``), each argument checked and
decoded here, so that a command starts only on arguments it can use."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.batch_analysis import BATCH_TASKS
from assistant.cli.output import short_line
from assistant.limits import MAX_THREADS, MAX_TOP_K
from assistant.text_files import decode_line


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``assistant [options] COMMAND ...``; its epilog is where the exit codes
    are listed."""
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Offline sentiment, intent and question answering. "
        "Run without arguments to open the window.",
        epilog="Exit codes: 0 ok, 1 the window cannot open, standard output cannot be written"
        " or something unexpected went wrong, 2 bad input (or no text of a batch analysed),"
        " 3 model missing or broken,"
        " 130 interrupted, 143 terminated, 129 terminal closed.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help="check every model on fixed inputs"
    )
    _add_global_options(parser, defaults=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _add_global_options(sub, defaults=False)
        return sub

    text_help = (
        "text to analyse (several allowed); - reads all of standard input as one text (for"
        " a text per line, use batch on a file)"
    )
    command("sentiment", "Is the text positive or negative?").add_argument(
        "texts", nargs="+", type=_decoded_argument, metavar="TEXT", help=text_help
    )
    command("intent", "What does the text ask for?").add_argument(
        "texts", nargs="+", type=_decoded_argument, metavar="TEXT", help=text_help
    )
    ask = command("ask", "Answer a question from a text.")
    ask.add_argument(
        "question", type=_decoded_argument, metavar="QUESTION", help="the question, in quotes"
    )
    ask.add_argument(
        "--context",
        required=True,
        metavar="FILE",
        help="text file (UTF-8, UTF-16 or Windows-1252); - reads standard input",
    )
    ask.add_argument(
        "--top-k",
        type=_answer_count,
        default=1,
        metavar="K",
        help=f"answers to show (default 1, at most {MAX_TOP_K}); without --json, answers"
        " overlapping or repeating a better one, and any but the best under 1%%, are left out",
    )
    batch = command("batch", "Analyse every line of a .txt, .csv, .tsv or .jsonl file.")
    batch.add_argument(
        "input", type=Path, metavar="INPUT", help="a .txt (a text per line), .csv, .tsv or .jsonl"
    )
    batch.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUTPUT",
        help=".csv, .jsonl or .json (default: stdout)",
    )
    batch.add_argument(
        "--tasks",
        type=_task_list,
        default=BATCH_TASKS,
        metavar="LIST",
        help="comma-separated, from sentiment,intent (default: both)",
    )
    batch.add_argument(
        "--column",
        type=_decoded_argument,
        metavar="NAME",
        help="CSV column or JSONL field with the text",
    )
    command("models", "List the installed model bundles.")
    return parser


def _add_global_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """Options accepted before or after the command.

    The subcommands' copies default to SUPPRESS so they never overwrite a value given before
    the command name.
    """

    def default(value: Any) -> Any:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument(
        "--json",
        action="store_true",
        default=default(False),
        help="one JSON object per input (batch writes JSON lines anyway; with -o, --json makes"
        " its summary a JSON object)",
    )
    parser.add_argument(
        "--threads",
        type=_thread_count,
        metavar="N",
        default=default(None),
        help="CPU threads per model (default: the engine's choice)",
    )
    parser.add_argument(
        "--models-dir",
        type=_folder,
        metavar="PATH",
        default=default(None),
        help="folder with manifest.json and model bundles (default: the bundled models)",
    )


def _positive_int(value: str, most: int | None = None) -> int:
    """A whole number from 1 (to `most`), or argparse's error in words."""
    number = int(value) if value.isascii() and value.isdigit() else 0  # not "²": int() fails
    if number < 1 or (most is not None and number > most):
        wanted = f"from 1 to {most}" if most is not None else "of at least 1"
        raise argparse.ArgumentTypeError(f"expected a whole number {wanted}, got {value!r}")
    return number


def _thread_count(value: str) -> int:
    return _positive_int(value, MAX_THREADS)


def _answer_count(value: str) -> int:
    return _positive_int(value, MAX_TOP_K)


def _folder(value: str) -> Path:
    """A folder's path; an empty one (an unset variable in ``--models-dir "$DIR"``) would
    quietly mean the current folder."""
    if not value:
        raise argparse.ArgumentTypeError("expected a folder, got an empty path")
    return Path(value)


def _task_list(value: str) -> tuple[str, ...]:
    """``"intent, sentiment"``: the batch tasks named, each once, in the order given."""
    tasks = tuple(dict.fromkeys(t.strip() for t in value.split(",") if t.strip()))
    unknown = [t for t in tasks if t not in BATCH_TASKS]
    if unknown or not tasks:
        raise argparse.ArgumentTypeError(f"choose from {','.join(BATCH_TASKS)}, got {value!r}")
    return tasks


_ESCAPED_BYTES = re.compile("[\udc80-\udcff]")


def _decoded_argument(argument: str) -> str:
    """A text argument as typed: on POSIX, bytes the locale could not decode (``LC_ALL=C``, a
    Latin-1 byte in a UTF-8 terminal) arrive as escapes and are read as a file's lines would
    be (UTF-8, else Windows-1252). Bytes neither reads are refused, as on standard input: kept,
    they reached the JSON output as lone surrogates, which strict JSON readers reject (Windows
    passes arguments as text, never as bytes)."""
    if os.name != "posix" or not _ESCAPED_BYTES.search(argument):
        return argument
    lines = [decode_line(raw) for raw in os.fsencode(argument).splitlines(keepends=True)]
    text = "".join(line.text for line in lines)
    if not all(line.ok for line in lines):
        raise argparse.ArgumentTypeError(
            f"some bytes of {short_line(text, 40)!r} cannot be read as text (neither UTF-8"
            " nor Windows-1252)."
        )
    return text
