"""Warn when a text is mostly in a script the English models never learned.

The models read any script without failing (their vocabulary has Arabic letters and CJK
characters) and then answer with confidence about text they never learned, so the user should be
told. Kept out of the engine package so that the window can use it before the engine loads.
"""

from __future__ import annotations

import re

SAMPLE_CHARS = 20_000
"""Only the beginning is read: enough to tell, and cheap on every pause in typing."""

CAVEAT = (
    "Most of this text is not written in the Latin alphabet. The models learned English, so"
    " these results may not mean much."
)

_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")


def script_caveat(text: str) -> str | None:
    """:data:`CAVEAT` when most letters are outside the Latin alphabet, else None.

    Digits, punctuation and emoji count neither way.
    """
    sample = text[:SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    return CAVEAT if letters and latin < letters / 2 else None


def batch_caveat(count: int) -> str | None:
    """The batch summary's line for `count` such items, or None when there are none."""
    if not count:
        return None
    items = "1 item is" if count == 1 else f"{count:,} items are"
    return (
        f"{items} mostly not in the Latin alphabet; the models learned English,"
        " so their results may not mean much."
    )
