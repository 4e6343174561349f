"""Where a command's texts come from: its arguments, a file, or standard input, read by the
rules the window uses for a file it opens (``text_files.decode_text``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.errors import EXIT_INPUT, CliError
from assistant.limits import MAX_INPUT_CHARS, MAX_TEXT_FILE_BYTES
from assistant.text_files import cannot_read, decode_text, legacy_note


def given_texts(args: argparse.Namespace) -> list[str]:
    """The TEXT arguments, a '-' among them replaced by what standard input holds."""
    if args.texts.count("-") > 1:
        raise CliError("Standard input can be read only once: give '-' once.", EXIT_INPUT)
    return [read_source("-") if text == "-" else text for text in args.texts]


def read_source(spec: str) -> str:
    """The text of a file, or of standard input for '-', read by ``text_files.decode_text``
    (UTF-8, UTF-16, Windows-1252 line by line); a binary or damaged input is refused in words.
    Standard input loses its final line breaks, as in the shell's ``$(...)``: ``echo`` adds one
    that the JSON ``text`` would otherwise carry."""
    name = "standard input" if spec == "-" else spec
    try:
        data = _first_bytes(spec)
    except OSError as exc:
        raise CliError(cannot_read(name, exc), EXIT_INPUT) from None
    if len(data) > MAX_TEXT_FILE_BYTES:
        raise CliError(
            f"{name} is longer than the limit of {MAX_INPUT_CHARS:,} characters"
            f" (it holds more than {MAX_TEXT_FILE_BYTES:,} bytes).",
            EXIT_INPUT,
        )
    try:
        decoded = decode_text(data, name)
    except ValueError as exc:
        raise CliError(str(exc), EXIT_INPUT) from None
    if decoded.damaged:
        raise CliError(
            f"Some bytes of {name} cannot be read as text: save it as UTF-8.", EXIT_INPUT
        )
    note = legacy_note(name, decoded)
    if note:
        print(f"note: {note}", file=sys.stderr)
    return decoded.text.rstrip("\r\n") if spec == "-" else decoded.text


def _first_bytes(spec: str) -> bytes:
    """One byte more than an input may hold, of the file or of standard input for '-': an
    endless pipe must not fill memory."""
    if spec != "-":
        with Path(spec).open("rb") as source:
            return source.read(MAX_TEXT_FILE_BYTES + 1)
    stdin = getattr(sys.stdin, "buffer", None)
    if stdin is None:
        raise CliError("There is no standard input to read.", EXIT_INPUT)
    if sys.stdin.isatty():
        print(
            "Type or paste the text, then press Ctrl+D on a line of its own"
            " (Ctrl+Z, then Enter, on Windows).",
            file=sys.stderr,
        )
    return stdin.read(MAX_TEXT_FILE_BYTES + 1)
