"""The command line's options and commands (``assistant --help``), each argument checked and
decoded here, so that a command starts only on arguments it can use."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import __version__
from assistant.batch_analysis import BATCH_TASKS
from assistant.cli.errors import EXIT_INPUT, EXIT_OUTPUT
from assistant.cli.output import short_line
from assistant.limits import MAX_THREADS, MAX_TOP_K
from assistant.text_files import decode_line

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


class _Parser(argparse.ArgumentParser):
    """argparse's parser, but one that lets a failure to write help or the version to
    standard output through: argparse drops it, and ``--help > /dev/full`` exited 0 with
    nothing written (``cli.main`` makes it exit 1, as for any result). With standard output
    closed (``>&-``) argparse wrote them to stderr and exited 0: they exit 1 too, as a result
    does, for a script must not take what it did not get for a success. Messages to stderr
    still go nowhere when stderr cannot be written: there is no one left to tell."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message and file is None:  # standard output, closed: Python set it to None
            self.exit(
                EXIT_OUTPUT,
                "assistant: standard output is closed, so the help or version cannot be"
                " written.\n",
            )
        if message and file is sys.stdout:
            file.write(message)
        else:
            super()._print_message(message, file)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The arguments, checked; argparse's SystemExit once it has shown help or the version,
    or said what is wrong (exit 2, as without a command)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None and not args.self_test:
        parser.print_help(sys.stderr)
        parser.exit(EXIT_INPUT)
    if args.command is not None and args.self_test:
        parser.error(f"--self-test runs on its own: leave out {args.command!r}")
    return args


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``assistant [options] COMMAND ...``; its epilog is where the exit codes
    are listed."""
    parser = _Parser(
        prog="assistant",
        description="Offline sentiment, intent and question answering. "
        "Run without arguments to open the window.",
        epilog="Exit codes: 0 ok, 1 the window cannot open, results cannot be written"
        " (standard output or -o) or something unexpected went wrong, 2 bad input (or no"
        " text of a batch analysed), 3 model missing or broken,"
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
        type=_file_or_stdin,
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
        "input", type=_file, metavar="INPUT", help="a .txt (a text per line), .csv, .tsv or .jsonl"
    )
    batch.add_argument(
        "-o",
        "--output",
        type=_file,
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
        help="CSV column or JSONL field with the text: its name, or its number from 1",
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


def _given(value: str, kind: str) -> str:
    """A path as given, refused when empty: an unset variable in ``--models-dir "$DIR"`` or
    ``-o "$OUT"`` would quietly mean the current folder, and be refused in puzzling words
    ("Cannot read : Is a directory")."""
    if not value:
        raise argparse.ArgumentTypeError(f"expected {kind}, got an empty path")
    return value


def _folder(value: str) -> Path:
    return Path(_given(value, "a folder"))


def _file(value: str) -> Path:
    return Path(_given(value, "a file"))


def _file_or_stdin(value: str) -> str:
    """A file's name, or '-', kept as typed: ``./-`` is a file, which ``Path`` would make '-'."""
    return _given(value, "a file or -")


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


TEXT_COMMANDS = ("sentiment", "intent", "ask")
"""The commands whose words are texts (ask's: its question), the only ones a word that starts
with "-" may be meant for."""
_DASH_TEXT = re.compile(r"-[^-\s]\S+")
"""A word that argparse takes for an option, though it may be a text: one dash, then two or
more characters ("-awful"), where this command line's short options have one letter (-o,
-h); a mistyped long option (``--tread``) has two dashes, and a text with a space argparse
reads as a text."""


def dash_hint(argv: Sequence[str]) -> str | None:
    """After a usage error, how to give the texts that start with "-" before any "--" (argparse
    took them for options): the same command with them after "--", quoted for a POSIX shell;
    None where there are none."""
    cut = argv.index("--") if "--" in argv else len(argv)
    texts = _dash_texts(argv[:cut], build_parser())
    if not texts:
        return None
    options = [arg for index, arg in enumerate(argv[:cut]) if index not in texts]
    given = [argv[index] for index in texts]
    fixed = shlex.join(["assistant", *options, "--", *given, *argv[cut + 1 :]])
    return (
        f"{given[0]!r} was taken for an option: a text that starts with '-' goes after --,"
        f" as in: {fixed}"
    )


def _dash_texts(words: Sequence[str], parser: argparse.ArgumentParser) -> list[int]:
    """Where ``words`` (those before any "--") hold a text that starts with "-": only after a
    command that takes texts, and never the value of an option (``--threads -25``) nor a
    word that names an option with one dash too few (``-json``, ``-help``, ``-tasks``)."""
    commands = _commands(parser)
    takes_value = _options(parser)  # the global options', then the command's
    command: str | None = None
    texts: list[int] = []
    after_option = False
    for index, word in enumerate(words):
        if after_option:
            after_option = False
        elif _takes_value(word, takes_value):
            after_option = True
        elif command is None and not word.startswith("-"):
            command = word
            if command not in TEXT_COMMANDS:
                return []
            takes_value = _options(commands[command])
        elif command and _DASH_TEXT.fullmatch(word) and not _names_an_option(word, parser):
            texts.append(index)
    return texts


def _takes_value(word: str, takes_value: dict[str, bool]) -> bool:
    """Whether ``word`` is an option whose value is the next word: as written, or a long one
    shortened (argparse reads ``--thr 4`` as ``--threads 4``)."""
    if "=" in word or not word.startswith("-"):
        return False
    if word in takes_value:
        return takes_value[word]
    return word.startswith("--") and any(
        value for option, value in takes_value.items() if option.startswith(word)
    )


def _names_an_option(word: str, parser: argparse.ArgumentParser) -> bool:
    """Whether ``word`` is the start of a long option of any command, written with one dash
    (``-json``, ``-help``, ``-top=3``): a mistyped option, which after "--" would be analysed
    as a text."""
    stem = word.lstrip("-").split("=")[0]
    parsers = [parser, *_commands(parser).values()]
    return any(option.startswith("--" + stem) for each in parsers for option in _options(each))


def _options(parser: argparse.ArgumentParser) -> dict[str, bool]:
    """Each option string of ``parser`` (a command's holds the global ones too) and whether it
    takes a value. argparse has no public list of them: its actions are read."""
    return {
        option: action.nargs != 0 for action in parser._actions for option in action.option_strings
    }


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser of each command (``sentiment``, ``batch``…), read from argparse's actions."""
    return next(
        dict(action.choices)
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
    )
