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
from assistant.batch_output import OutputFailed
from assistant.cli.arguments import dash_hint, parse_arguments
from assistant.cli.batch_command import batch
from assistant.cli.errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_MODEL, EXIT_OUTPUT, CliError
from assistant.cli.model_commands import models, note_skipped_folders, self_test
from assistant.cli.text_commands import ask, intent, sentiment
from assistant.engine import Engine, InputError, ModelError
from assistant.repair_hint import SEE_MODELS_COMMAND, with_repair_hint

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
    """Run the command line; returns the exit code, argparse's too (help, version, a usage
    error). Standard output is flushed here, not at exit, where a reader gone from the pipe or
    a full disk made Python print a traceback line and exit 120, after a result or after an
    error message alike."""
    if sys.stderr is None:  # started with it closed (`2>&-`): messages go nowhere, as asked
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (open for the process's life)
    try:
        code = _run(list(sys.argv[1:] if argv is None else argv))
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader (say `head`) has gone: stop quietly, but not as a success (a script under
        # `set -o pipefail` must see that the results were not all written).
        _stdout_to_nowhere()
        return EXIT_OUTPUT
    except OSError as exc:  # the user's files are read and written in words in the commands
        if not exc.filename:
            _stdout_to_nowhere()
        where = f"cannot use {exc.filename}" if exc.filename else "cannot write standard output"
        return _fail(f"{where}: {exc.strerror or exc}", EXIT_OUTPUT)  # (a full disk, say)
    return code


def _stdout_to_nowhere() -> None:
    """What is left in the buffer goes to the null device: written at exit, it would fail
    again. A stream without a file descriptor (a test's) has nowhere to be sent."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _run(argv: list[str]) -> int:
    """Parse the arguments, ready the standard streams, and run the command."""
    try:
        args = parse_arguments(argv)
    except SystemExit as exc:  # argparse has ended: help or version shown, or a usage error
        return _argparse_exit(exc, argv)
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
    return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    """Run the command; each expected failure becomes one line on stderr and its exit code."""
    try:
        engine = make_engine(args.models_dir, args.threads)
        handler = self_test if args.self_test else COMMANDS[args.command]
        if handler not in (models, self_test):  # those two list them, problems and all
            note_skipped_folders(engine)
        return handler(args, engine, sys.stdout)
    except CliError as exc:
        return _fail(str(exc), exc.code)
    except OutputFailed as exc:
        return _fail(str(exc), EXIT_OUTPUT)
    except (InputError, BatchFileError) as exc:
        return _fail(str(exc), EXIT_INPUT)
    except ModelError as exc:
        # What mends it depends on the bundle at fault, which the error names.
        return _fail(with_repair_hint(exc, SEE_MODELS_COMMAND, args.models_dir), EXIT_MODEL)
    except KeyboardInterrupt:
        if sys.stderr.isatty():
            print(file=sys.stderr)  # below a progress bar cut short, not after it
        return _fail("interrupted", EXIT_INTERRUPTED)


def _argparse_exit(exc: SystemExit, argv: list[str]) -> int:
    """argparse's exit code; after a usage error, how to give a text that starts with "-",
    which argparse took for an option (its own message never says)."""
    code = exc.code if isinstance(exc.code, int) else EXIT_INPUT
    hint = dash_hint(argv) if code == EXIT_INPUT else None
    return _fail(hint, code) if hint else code


def _writes_json(args: argparse.Namespace) -> bool:
    """Whether standard output gets JSON: with --json, and a batch's rows without -o."""
    return args.json or (args.command == "batch" and args.output is None)


def _fail(message: str, code: int) -> int:
    """Say what went wrong on one line of stderr; returns `code` for ``main`` to exit with."""
    print(f"assistant: {message}", file=sys.stderr)
    return code
