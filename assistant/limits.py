"""Limits that the window and the command line check before the engine loads: importing
``assistant.engine`` loads onnxruntime, which the window defers until after its first paint."""

from __future__ import annotations

from numbers import Integral

MAX_INPUT_CHARS = 2_000_000
"""Longest accepted input, in characters: a 1 MB paste fits with room to spare."""

MAX_TEXT_FILE_BYTES = 4 * MAX_INPUT_CHARS + 4
"""A user's text file with more bytes holds more characters than the engine takes, in any
encoding (UTF-8 and UTF-16 take at most 4 a character, a byte order mark 3): the window refuses
it unread, and the command line reads no further."""

MAX_THREADS = 256
"""More than a desktop has; a typo's 100,000 inference threads hang onnxruntime."""

MAX_TOP_K = 100
"""More answers than anyone reads; each window keeps ``top_k`` candidate spans, so a million
took minutes and gigabytes on an article."""


def is_positive_int(value: object) -> bool:
    """A whole number of at least 1 (numpy's integers too), not ``True``: a count of threads,
    answers or tokens that a caller passed in."""
    return isinstance(value, Integral) and not isinstance(value, bool) and int(value) >= 1
