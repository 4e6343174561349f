"""Which column of a batch file holds the texts: the one asked for, else one named like text,
else the first holding prose.

Works on the header's names and which columns hold prose (`batch_csv.CsvTable.prose`), so that
the command line and the batch window (which preselects the column the command line would
read) choose by one rule.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from pathlib import Path

from assistant.batch_items import BatchFileError

TEXT_COLUMNS = (
    "text",
    "sentence",
    "utterance",
    "review",
    "comment",
    "message",
    "content",
    "body",
    "tweet",
)
"""Column names taken for the text, in this order (any case), when none is asked for."""

Column = str | int | None
"""A column by name, by position in the header (what the batch window's list picks: names may
be empty or repeated), or None for ``default_column``."""


def pick_column(
    names: Sequence[str], column: Column, path: Path, prose: Container[int] | None = None
) -> int:
    """The position of the column asked for (by position, by name, or by name in any case
    where only one matches), else of ``default_column``."""
    if isinstance(column, int) and 0 <= column < len(names):
        return column
    if isinstance(column, str) and column in names:
        return names.index(column)
    if isinstance(column, str):  # --column reviews for a header "Reviews"
        folded = [name.casefold() for name in names]
        matches = folded.count(column.casefold())
        if matches == 1:
            return folded.index(column.casefold())
        if matches > 1:
            raise BatchFileError(
                f"{path.name} has several columns named {column!r} in different cases"
                f" (columns: {', '.join(names)}): give the exact one."
            )
    if column is not None:
        available = ", ".join(names) or "none"
        asked = f"number {column + 1}" if isinstance(column, int) else repr(column)
        raise BatchFileError(f"{path.name} has no column {asked} (columns: {available}).")
    if not names:
        raise BatchFileError(f"{path.name} has no columns.")
    return default_position(names, prose)


def default_column(names: Sequence[str], prose: Container[int] | None = None) -> str:
    """The name of the column at ``default_position``."""
    return names[default_position(names, prose)]


def default_position(names: Sequence[str], prose: Container[int] | None = None) -> int:
    """The column named like a text column, else the first whose name ends in a text word
    ("review_text", "reviewBody"), else the first of those in ``prose`` (all where None), else
    the first one: the batch window preselects what the CLI reads without ``--column``. Only
    the last word counts, and a column of numbers, dates or IDs is passed over: "ID",
    "review_date" and "comment_count" would be analysed as texts without an error."""
    named = named_column(names) or _worded_column(names)
    if named is not None:
        return names.index(named)
    return next((i for i in range(len(names)) if prose is None or i in prose), 0)


def named_column(names: Sequence[str]) -> str | None:
    """The first of TEXT_COLUMNS (any case, with or without a final "s") a column is named."""
    named = [(name, _words(name)) for name in names]
    for wanted in TEXT_COLUMNS:
        for name, words in named:
            if words == [wanted]:
                return name
    return None


_NOT_TEXT_WORDS = frozenset({"id", "is", "has", "num", "n", "nb", "count", "total"})
"""Words of a name that make its column ids, flags or counts ("is_review", "num_comments")."""


def _worded_column(names: Sequence[str]) -> str | None:
    """The first column whose name's last word is one of TEXT_COLUMNS, singular
    ("review_text", "reviewBody", "last_message"; not "num_reviews" or "is_review")."""
    for name in names:
        words = _words(name)
        if len(words) > 1 and words[-1] in TEXT_COLUMNS and not _NOT_TEXT_WORDS & set(words):
            return name
    return None


def _words(name: str) -> list[str]:
    """A column name's words, lower case, split at non-letters and camelCase humps:
    "review_text" and "reviewText" read as ["review", "text"], "reviewerID" as ["reviewer",
    "id"]. A one-word name loses a final "s" where that leaves a text word ("Reviews" reads
    as ["review"]); in a longer name a plural counts ("num_reviews")."""
    words = [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)]
    if len(words) == 1 and words[0].endswith("s") and words[0][:-1] in TEXT_COLUMNS:
        return [words[0][:-1]]
    return words
