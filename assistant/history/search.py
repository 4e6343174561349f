"""How a history search matches: an entry matches when every word of the query (the first
``SEARCH_WORDS`` different ones) is in its text or its question, in any order, casefolded in
every alphabet ("CAFÉ" finds "café", "ss" finds "ß") and with accents left out on both sides
("cafe" finds "café", "naïve" finds "naive"): a person seldom types the accents of what they
remember. ``reader.select_entries`` runs the test, ``contains_every_folded``, on each row.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence

from assistant.history.rows import decoded

SEARCH_WORDS = 32
"""The most words a search looks for (the first ones, each once): a pasted paragraph would
otherwise look for hundreds in every row, and 32 words already narrow the list to the entry they
came from. More would narrow it no further that a person could see."""

_ACCENTS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # accents
    "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"  # Hebrew points
    "\u064b-\u065f\u0670]"  # Arabic vowel marks
)
"""The marks a reader may leave out. Marks that make another letter stay (Japanese voicing
marks, Indic viramas, Thai vowels). Ranges: the regex scans them at C speed, where
``unicodedata.combining`` would be a Python call per character."""


_LOOKALIKES = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b", "'"),  # curly apostrophes
    **dict.fromkeys("\u201c\u201d\u201e\u201f", '"'),
    **dict.fromkeys("łŁ", "l"),
    **dict.fromkeys("øØ", "o"),
    **dict.fromkeys("đĐðÐ", "d"),
    **dict.fromkeys("æÆ", "ae"),
    **dict.fromkeys("œŒ", "oe"),
    **dict.fromkeys("þÞ", "th"),
    "\u0131": "i",  # dotless i
}
"""Letters and quotes that carry no separable accent but are typed without one: "don't" with
a straight apostrophe missed "don\u2019t" as pasted from mail, "lodz" missed "Łódź"."""
_LOOKALIKE = re.compile(f"[{''.join(_LOOKALIKES)}]")
"""Found by one scan at C speed: ``str.translate`` took 0.8 ms for 18,000 characters."""


def _folded_slowly(text: str) -> str:
    """:func:`folded` for any text, every character of it: four passes over the text,
    each as slow as casefolding it."""
    # Decomposed first: "Ǿ" is "Ø" and an accent, and only then "o".
    decomposed = unicodedata.normalize("NFKD", text)
    plain = _LOOKALIKE.sub(lambda match: _LOOKALIKES[match.group()], decomposed)
    return _ACCENTS.sub("", plain).casefold()


@functools.cache
def _changing_runs() -> re.Pattern[str]:
    """Finds the runs of characters that folding changes: accents, lookalikes, capitals and
    whatever decomposes. Each other character is its own fold and a starter that decomposes to
    itself, so normalizing moves no accent across it: a text folds run by run as it folds
    whole. Worked out for the first 65,536 code points at the first search that needs it
    (50 ms); the rarer others (emoji, mathematical letters) all count as changing."""
    first_plane = [chr(code) for code in range(1, 0x10000)]
    joined = "\0".join(first_plane)  # NUL folds to itself, so each character folds alone
    folds = _folded_slowly(joined).split("\0")
    decompositions = unicodedata.normalize("NFKD", joined).split("\0")
    changing = "".join(
        re.escape(character)
        for character, fold, decomposition in zip(first_plane, folds, decompositions, strict=True)
        if fold != character or decomposition != character or unicodedata.combining(character)
    )
    one = f"[{changing}\U00010000-\U0010ffff]"
    return re.compile(f"({one}{one}*)")  # "+" would find where a run starts 3 times slower


_CHARACTERS_PER_RUN = 24
"""A text whose runs are closer together than this (Korean, Vietnamese, Polish: nearly every
word) folds whole: a run costs about as much as folding 18 characters whole."""
_PROBED = 480
"""How many characters of a text tell how close together its runs are: a text is seldom in two
languages."""


def _folded_in_runs(text: str) -> str:
    """:func:`folded` for any text, normalizing only the runs that folding changes, all in one
    call (joined by NULs, which fold to themselves): a long Chinese, Russian or Arabic text
    among English holds a few hundred, and folds twice as fast as whole."""
    runs = _changing_runs()
    probed = runs.finditer(text, 0, _PROBED)
    if next(itertools.islice(probed, _PROBED // _CHARACTERS_PER_RUN, None), None) is not None:
        return _folded_slowly(text)
    parts = runs.split(text)
    if len(parts) == 1:
        return text
    parts[1::2] = _folded_slowly("\0".join(parts[1::2])).split("\0")
    return "".join(parts)


_WESTERN = "cp1252"
"""The code page of nearly every text kept (the models learned English): Latin letters with
accents, and the quotes, dashes and ellipses of pasted text. A text in it folds by one table, as
fast as casefolding alone."""


def _western_tables() -> tuple[bytes, dict[bytes, bytes], bytes]:
    """How each character of :data:`_WESTERN` folds: to one character of it (the table), to
    several ("ß" to "ss", "…" to "..."), or out of it ("µ" to "μ": such a text folds in runs)."""
    table = bytearray(range(256))
    longer: dict[bytes, bytes] = {}
    outside = bytearray()
    for byte in range(256):
        try:
            character = bytes([byte]).decode(_WESTERN)
        except UnicodeDecodeError:
            continue  # no character: never in an encoded text
        try:
            into = _folded_slowly(character).encode(_WESTERN)
        except UnicodeEncodeError:
            outside.append(byte)
            continue
        if len(into) == 1:
            table[byte] = into[0]
        else:
            longer[bytes([byte])] = into
    return bytes(table), longer, bytes(outside)


_WESTERN_TABLE, _WESTERN_LONGER, _WESTERN_OUTSIDE = _western_tables()


def folded(text: str) -> str:
    """``text`` casefolded and without accents ("Le CAFÉ" is "le cafe", "Straße" "strasse",
    "Søren" "soren", a curly apostrophe a straight one), compatibility forms read as what they
    stand for ("ﬁ" is "fi", full-width letters ASCII)."""
    if text.isascii():
        return text.casefold()
    try:
        western = text.encode(_WESTERN)
    except UnicodeEncodeError:
        return _folded_in_runs(text)
    if any(byte in western for byte in _WESTERN_OUTSIDE):
        return _folded_in_runs(text)
    western = western.translate(_WESTERN_TABLE)
    for byte, into in _WESTERN_LONGER.items():
        western = western.replace(byte, into)
    return western.decode(_WESTERN)


def search_words(query: str) -> tuple[list[str], int]:
    """The words a search for ``query`` looks for (folded, each once, the first
    ``SEARCH_WORDS``, longest first: a long word is seldom a common one, so most rows stop at
    the first word), and how many more it leaves out, for the list to say so. Split once
    folded: a lone accent (U+00B4) folds to a space, not to a word that every text holds."""
    words = list(dict.fromkeys(folded(query).split()))
    kept = sorted(words[:SEARCH_WORDS], key=len, reverse=True)
    return kept, max(0, len(words) - SEARCH_WORDS)


def _folded(value: bytes | None) -> str:
    """A value folded. Its ASCII capitals are lowered while it is bytes, at C speed: each would
    be a run for :func:`_folded_in_runs` (a sentence's first letter, a name)."""
    return "" if value is None else folded(decoded(value.lower()))


def contains_every_folded(
    text: bytes | None, question: bytes | None, folded_words: Sequence[str]
) -> bool:
    """Whether each of the folded words is in the text or the question. A row is decoded and
    folded once, not once per word (five words read 84 MB of text five times). The values
    come as bytes: Python would fail the whole search on one that is not UTF-8."""
    folded_text = _folded(text)
    folded_question: str | None = None  # read only when a word is not in the text
    for word in folded_words:
        if word in folded_text:
            continue
        if folded_question is None:
            folded_question = _folded(question)
        if word not in folded_question:
            return False  # most rows stop at the first word: it is looked for in them once
    return True
