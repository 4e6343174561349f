"""Counts and cut texts worded by one rule in the command line, the window and the files."""

from assistant.wording import plural, shortened


def test_plural_counts_with_thousands() -> None:
    assert (plural(1, "text"), plural(0, "text"), plural(1024, "row")) == (
        "1 text",
        "0 texts",
        "1,024 rows",
    )


def test_shortened_keeps_short_texts_and_cuts_long_ones_to_the_limit() -> None:
    assert shortened("abc", 3) == "abc"
    assert shortened("abcdef", 4) == "abc…"
    assert shortened("abcdef", 5, "...") == "ab..."
    assert len(shortened("x" * 10_000, 1000)) == 1000
    assert shortened("abcdef", 2, "...") == "ab"  # no room for the mark
