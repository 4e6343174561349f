"""Input checks and the one sanitising step every task applies before tokenising."""

from __future__ import annotations

import re
import unicodedata

from assistant.engine.errors import InputError
from assistant.limits import MAX_INPUT_CHARS

_SURROGATES = re.compile("[\ud800-\udfff]")


def validate(value: object, what: str = "text", needs_letter: bool = True) -> str:
    """Return ``value`` if it can be analysed, else raise InputError with a human message.
    Without ``needs_letter`` (a text to search) numbers alone are fine: a table of years and
    figures can answer "When?"."""
    if not isinstance(value, str):
        raise InputError(f"The {what} must be text (str), not {type(value).__name__}.")
    if not value.strip():
        raise InputError(f"The {what} is empty; there is nothing to analyse.")
    if len(value) > MAX_INPUT_CHARS:
        raise InputError(
            f"The {what} has {len(value):,} characters; the limit is {MAX_INPUT_CHARS:,}:"
            " shorten it, or analyse it a part at a time."
        )
    if not any(_readable(char) for char in value):
        raise InputError(
            f"The {what} holds no character the models can read (only invisible characters,"
            " accents without a letter, or U+FFFD replacement characters); there is nothing"
            " to analyse."
        )
    # Without a letter the models still answered: "!!!" Positive 99%, "12345" Calculator.
    if needs_letter and not any(char.isalpha() for char in value):
        raise unreadable_error(what)
    return value


def unreadable_error(what: str) -> InputError:
    """The error for a text without a letter (punctuation, numbers, emoji alone), or one the
    model would read as ``[UNK]`` only: most Chinese characters, a "word" of over 100 letters
    (WordPiece gives up on it). One message, so that each task refuses both alike."""
    return InputError(
        f"The {what} holds no word the models know: they read English words, not punctuation"
        " or numbers alone, emoji, most symbols, many scripts' characters or words of over 100"
        " letters; there is nothing to analyse."
    )


def _readable(char: str) -> bool:
    """False for what the tokenizer drops (zero-width and control characters, combining accents,
    U+FFFD): a text of only these would be analysed as if it were empty."""
    return (
        char.isprintable()
        and not char.isspace()
        and char != "\ufffd"
        and not unicodedata.category(char).startswith("M")
    )


def sanitize(text: str) -> str:
    """Replace lone surrogates (not encodable as UTF-8) by U+FFFD, one character for one.

    Keeping the length unchanged means every offset computed on the result also indexes the
    original string.
    """
    return _SURROGATES.sub("\ufffd", text)


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``text[start:end]`` so that it neither starts nor ends with whitespace."""
    segment = text[start:end]
    lead = len(segment) - len(segment.lstrip())
    return start + lead, start + lead + len(segment.strip())
