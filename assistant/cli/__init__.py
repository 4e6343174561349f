"""Command line on the same engine as the GUI: one-off analyses, batch files, models, self-test.

`main` parses the arguments, runs one command and turns each expected failure into one line on
stderr and an exit code (listed in ``assistant --help``), never a traceback. The commands live
in `text_commands`, `batch_command` and `model_commands`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from assistant.batch_items import BatchFileError
from assistant.cli.arguments import build_parser
from assistant.cli.batch_command import batch
from assistant.cli.errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_MODEL, EXIT_OUTPUT, CliError
from assistant.cli.model_commands import models, self_test
from assistant.cli.text_commands import ask, intent, sentiment
from assistant.engine import Engine, InputError, ModelError

Command = Callable[[argparse.Namespace, Engine, TextIO], int]
"""A command: its parsed arguments, the engine and standard output in; the exit code out."""

COMMANDS: dict[str, Command] = {
    "sentiment": sentiment,
    "intent": intent,
    "ask": ask,
    "batch": batch,
    "models": models,
}


def make_engine(models_dir: Path | None, threads: int | None) -> Engine:
    """Build the engine; the one place tests replace to run the CLI on a fake engine."""
    return Engine(models_dir=models_dir, threads=threads)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code. Standard output is flushed here, not at
    exit, where a reader gone from the pipe or a full disk made Python print a traceback line
    and exit 120, after a result or after an error message alike."""
    code = _run(argv)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _stdout_to_nowhere()
        return EXIT_OUTPUT
    except OSError as exc:
        _stdout_to_nowhere()
        return _fail(f"cannot write standard output: {exc.strerror or exc}", EXIT_OUTPUT)
    return code


def _stdout_to_nowhere() -> None:
    """What is left in the buffer goes to the null device: written at exit, it would fail
    again. A stream without a file descriptor (a test's) has nowhere to be sent."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None and not args.self_test:
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    if args.command is not None and args.self_test:
        parser.error(f"--self-test runs on its own: leave out {args.command!r}")
    if sys.stderr is None:  # started with it closed (`2>&-`): messages go nowhere, as asked
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (open for the process's life)
    if sys.stdout is None:  # started with it closed (`>&-`): a result would be lost unseen
        return _fail("standard output is closed, so results cannot be written.", EXIT_OUTPUT)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # lone surrogates from argv or files
    if _writes_json(args) and hasattr(sys.stdout, "reconfigure"):
        # JSON is UTF-8 (RFC 8259): in a Windows code page an emoji became "\U0001f60d",
        # which no JSON reader accepts.
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
    if args.models_dir is not None and not args.models_dir.is_dir():
        return _fail(f"--models-dir {args.models_dir} is not a folder.", EXIT_INPUT)
    try:
        engine = make_engine(args.models_dir, args.threads)
        handler = self_test if args.self_test else COMMANDS[args.command]
        return handler(args, engine, sys.stdout)
    except CliError as exc:
        return _fail(str(exc), exc.code)
    except (InputError, BatchFileError) as exc:
        return _fail(str(exc), EXIT_INPUT)
    except ModelError as exc:
        return _fail(str(exc), EXIT_MODEL)
    except KeyboardInterrupt:
        if sys.stderr.isatty():
            print(file=sys.stderr)  # below a progress bar cut short, not after it
        return _fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        # The reader (say `head`) has gone: stop quietly, but not as a success (a script under
        # `set -o pipefail` must see that the results were not all written).
        _stdout_to_nowhere()
        return EXIT_OUTPUT
    except OSError as exc:  # the user's files are read and written in words above
        if not exc.filename:
            _stdout_to_nowhere()
        where = f"cannot use {exc.filename}" if exc.filename else "cannot write standard output"
        return _fail(f"{where}: {exc.strerror or exc}", EXIT_OUTPUT)  # (a full disk, say)


def _writes_json(args: argparse.Namespace) -> bool:
    """Whether standard output gets JSON: with --json, and a batch's rows without -o."""
    return args.json or (args.command == "batch" and args.output is None)


def _fail(message: str, code: int) -> int:
    """Say what went wrong on one line of stderr; returns `code` for ``main`` to exit with."""
    print(f"assistant: {message}", file=sys.stderr)
    return code
