"""The command line's exit codes and `CliError`, the expected failure that carries one.

Kept apart from the entry point so that every command can raise one without importing it. What
each code means is told to people in ``assistant --help`` (`arguments.build_parser`).
"""

from __future__ import annotations

EXIT_OK, EXIT_OUTPUT, EXIT_INPUT, EXIT_MODEL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class CliError(Exception):
    """An expected failure: a message for a person and the exit code that goes with it."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code
