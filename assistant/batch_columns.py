"""Which column of a batch file holds the texts: the one asked for, else one named like text,
else the one whose cells hold the most words.

Works on the header's names and each column's words per cell (`words_per_cell`), so that the
command line and the batch window (which preselects the column the command line would read)
choose by one rule, for a CSV file's columns and a JSONL file's fields alike.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from assistant.batch_items import BatchFileError

SAMPLE_ROWS = 50
"""Rows that say which columns hold prose (after a CSV file's first line, which they also say
is a header or a row; a JSONL file's first objects): enough to see past a few odd rows, few
enough to read when the batch window offers a file."""

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
"""A column by name (or by its number from 1, as the command line's --column gives it), by
position in the header (what the batch window's list picks: names may be empty or repeated),
or None for ``default_position``."""


def pick_column(
    names: Sequence[str], column: Column, path: Path, words: Sequence[float] | None = None
) -> int:
    """The position of the column asked for: by position; by name or number (`_asked`); else
    of ``default_position``."""
    if isinstance(column, str):
        return _asked(names, column.strip(), path)
    if isinstance(column, int):
        if 0 <= column < len(names):
            return column
        raise BatchFileError(_no_column(names, f"number {column + 1}", path))
    if not names:
        raise BatchFileError(f"{path.name} has no columns.")
    return default_position(names, words)


def _asked(names: Sequence[str], asked: str, path: Path) -> int:
    """The position of the one column named ``asked`` (`_named`), else of the column it
    numbers from 1 (a name comes first: a column may be named "2023"; a number tells apart
    columns of one name, even where that name is the number), else refused in words."""
    named = _named(names, asked)
    number = column_number(asked)
    if len(named) == 1:
        return named[0]
    if number is not None and 0 < number <= len(names):
        return number - 1
    if named:
        case = "" if all(names[p].strip() == asked for p in named) else " in some case"
        numbers = ", ".join(str(position + 1) for position in named[:-1])
        raise BatchFileError(
            f"{path.name} has {len(named)} columns named {asked!r}{case}, columns {numbers} and"
            f" {named[-1] + 1}: give the number of the one to read."
        )
    hint = ": numbers start at 1" if number == 0 else ""
    raise BatchFileError(_no_column(names, repr(asked), path, hint))


def _named(names: Sequence[str], asked: str) -> list[int]:
    """The positions of the columns named ``asked``, else of those named so in another case
    (--column reviews for a header "Reviews"); names and the ask are compared without the
    spaces around them, as a CSV header's names are read."""
    exact = [position for position, name in enumerate(names) if name.strip() == asked]
    folded = asked.casefold()
    return exact or [
        position for position, name in enumerate(names) if name.strip().casefold() == folded
    ]


def column_number(asked: str) -> int | None:
    """The number a column is asked for by (--column 2), else None: a name, or digits too
    many to number a column (int() refuses over 4,300)."""
    return int(asked) if asked.isdecimal() and len(asked) < 10 else None


def _no_column(names: Sequence[str], asked: str, path: Path, hint: str = "") -> str:
    """The refusal of a column the file lacks, naming those it has."""
    available = ", ".join(names) or "none"
    return f"{path.name} has no column {asked} (columns: {available}){hint}."


def default_position(names: Sequence[str], words: Sequence[float] | None = None) -> int:
    """The column named like a text column, else the first whose name ends in a text word
    ("review_text", "reviewBody"), else the one with the most ``words`` per cell (the first of
    equals: the first column where nothing is known of the cells): the batch window
    preselects what the CLI reads without ``--column``. Only the last word of a name counts:
    "ID", "review_date" and "comment_count" would be analysed as texts without an error."""
    named = named_column(names) or _worded_column(names)
    if named is not None:
        return names.index(named)
    known = words or ()
    return max(range(len(known)), key=known.__getitem__, default=0)


def column_words(names: Sequence[str], position: int) -> str:
    """How a note names a column: its name, quoted, with its number where the name is empty
    or repeated in any case (--column asks for such a column by its number)."""
    return _label(names[position], position, repeated(names, names[position]), quoted=True)


def column_labels(names: Sequence[str]) -> list[str]:
    """How the batch window's list names each column: as a note does (`column_words`),
    unquoted; two entries "Notes" could not be told apart. The repeats are counted once: a
    count per column took a second on the window's thread for 5,000 columns."""
    counts = Counter(name.casefold() for name in names)
    return [
        _label(name, position, counts[name.casefold()] > 1, quoted=False)
        for position, name in enumerate(names)
    ]


def _label(name: str, position: int, repeated: bool, quoted: bool) -> str:
    if not name:
        return f"column {position + 1} (unnamed)"
    shown = repr(name) if quoted else name
    return f"{shown} (column {position + 1})" if repeated else shown


def repeated(names: Sequence[str], name: str) -> bool:
    """Whether more than one column is named ``name``, in any case."""
    return [other.casefold() for other in names].count(name.casefold()) > 1


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


def words_per_cell(rows: Iterable[Sequence[str | None]], width: int) -> list[float]:
    """Each of ``width`` columns' words per cell, over the cells not blank (None: a value that
    is no text, a JSON number say). A number, date, ID, yes/no or N/A has none: the column
    with the most holds the texts, not names, timestamps or short answers."""
    counts: list[list[int]] = [[] for _ in range(width)]
    for cells in rows:
        for position, cell in enumerate(cells[:width]):
            if cell is None or cell.strip():
                counts[position].append(_prose_words(cell))
    return [sum(column) / len(column) if column else 0.0 for column in counts]


_NO_TEXT = frozenset(
    {"-", "--", "?", "n/a", "na", "none", "null", "nan", "yes", "no", "y", "n", "true", "false"}
)
"""Answers that hold no text to analyse, whatever the column."""


def _prose_words(cell: str | None) -> int:
    """The words of a cell, none where it holds a value and no text."""
    if cell is None or cell.strip().casefold() in _NO_TEXT:
        return 0
    words = cell.split()
    is_id = len(words) == 1 and any(c.isdigit() for c in cell)  # "A2SUAM1J3GNN3B"
    return 0 if is_id or is_number_or_date(cell) else len(words)


_CLOCK_WORDS = frozenset({"am", "pm", "gmt", "utc", "t", "z"})  # "2024-01-05T10:00Z"
_CALENDAR = (
    " january february march april may june july august september october november december"
    " monday tuesday wednesday thursday friday saturday sunday"
)


def is_number_or_date(cell: str) -> bool:
    """Digits with no word but those of dates and times: "4.5", "2024-01-05", "Jan 5 2024",
    "3/5/2024 10:12 AM", "2024/03/05 10:12:33 AM GMT+1" (what Google Forms exports)."""
    words = re.findall(r"[^\W\d_]+", cell.lower())
    return any(c.isdigit() for c in cell) and all(_is_date_word(word) for word in words)


def _is_date_word(word: str) -> bool:
    """AM, PM, a time zone, or a month's or weekday's name or its start ("Sept", "Thu")."""
    return word in _CLOCK_WORDS or (len(word) >= 3 and f" {word}" in _CALENDAR)
