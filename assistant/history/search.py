"""How a history search matches: an entry matches when every word of the query (the first
``SEARCH_WORDS`` different ones) is in its text or its question, in any order, casefolded in
every alphabet ("CAFÉ" finds "café", "ss" finds "ß"; accents still count: "cafe" does not find
"café"). SQLite runs the test as ``contains_every_folded``, registered where the store opens its
connection.
"""

from __future__ import annotations

import functools

from assistant.history.rows import decoded

SEARCH_WORDS = 32
"""The most words a search looks for (the first ones, each once): a pasted paragraph would
otherwise look for hundreds in every row, and 32 words already narrow the list to the entry they
came from. More would narrow it no further that a person could see."""

SEARCH_WORD_SEPARATOR = "\n"
"""Joins a search's words into one SQL parameter: ``str.split`` never leaves one in a word."""


def search_words(query: str) -> tuple[list[str], int]:
    """The words a search for ``query`` looks for (casefolded, each once, the first
    ``SEARCH_WORDS``), and how many more it leaves out, for the list to say so."""
    words = list(dict.fromkeys(word.casefold() for word in query.split()))
    return words[:SEARCH_WORDS], max(0, len(words) - SEARCH_WORDS)


def matching(query: str) -> tuple[str, list[str]]:
    """The WHERE clause of a search and its parameter: every word of ``query`` (casefolded, each
    once, the first ``SEARCH_WORDS``) in the text or the question, all in one call a row, which
    reads each row's text once. No words, no clause (both columns are NOT NULL): the newest rows
    are read through the index."""
    words, _left_out = search_words(query)
    if not words:
        return "", []
    # Longest first: a long word is seldom a common one, so most rows stop at the first word.
    words.sort(key=len, reverse=True)
    return (
        " WHERE contains_every_folded(CAST(text AS BLOB), CAST(question AS BLOB), ?)",
        [SEARCH_WORD_SEPARATOR.join(words)],
    )


@functools.lru_cache(maxsize=8)
def _words(folded_words: str) -> tuple[str, ...]:
    """The words of one search, split once, not once per row it reads."""
    return tuple(folded_words.split(SEARCH_WORD_SEPARATOR))


def _folded(value: bytes | None) -> str:
    """Casefolded for every alphabet ("CAFÉ" is "café", "ß" is "ss"): SQLite's LIKE folds ASCII
    only."""
    return "" if value is None else decoded(value).casefold()


def contains_every_folded(text: bytes | None, question: bytes | None, folded_words: str) -> bool:
    """Whether each of the casefolded words (joined by ``SEARCH_WORD_SEPARATOR``) is in the text
    or the question. One call a row, so a row is decoded and casefolded once, not once per word
    (five words read 84 MB of text five times), and a long query is one expression, not one per
    word (SQLite refuses an expression tree over 1,000 deep). The values come as bytes: Python
    would fail the whole search on one that is not UTF-8."""
    folded_text = _folded(text)
    folded_question: str | None = None  # read only when a word is not in the text
    for word in _words(folded_words):
        if word in folded_text:
            continue
        if folded_question is None:
            folded_question = _folded(question)
        if word not in folded_question:
            return False  # most rows stop at the first word: it is looked for in them once
    return True
