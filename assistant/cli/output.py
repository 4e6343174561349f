"""How the command line writes results: a JSON line per result for scripts; for people, one
short line per text with indented ``note:`` lines under it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

from assistant.wording import shortened


def emit_json(out: TextIO, record: dict[str, Any]) -> None:
    """One JSON object on a line of its own (JSON Lines), non-ASCII text kept as it is."""
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls, and the bidirectional embeddings, overrides and isolates: a right-to-left
override would show the rest of the line reversed."""


def short_line(text: str, width: int = 72) -> str:
    """One display line: whitespace runs collapsed, control characters shown as U+FFFD (an
    escape sequence in a text would retitle or recolour the terminal, a bidirectional override
    reverse what follows), long texts cut."""
    line = _CONTROL.sub("\ufffd", " ".join(text.split()))
    return shortened(line, width, "...")


def caveats(*notes: str | None) -> dict[str, list[str]]:
    """The ``note:`` lines the CLI adds under a text result, as a JSON field (the engine's own
    result fields stay as they are)."""
    return {"caveats": [note for note in notes if note]}


def write_notes(out: TextIO, *notes: str | None) -> None:
    """Indented ``note:`` lines under a result, for what the user should know about it."""
    for note in notes:
        if note:
            out.write(f"  note: {note}\n")


def ranking_line(pairs: Iterable[tuple[str, float]]) -> str:
    """Labels with their scores, in the order given: ``"date 0.10, balance 0.05"``."""
    return ", ".join(f"{label} {score:.2f}" for label, score in pairs)
