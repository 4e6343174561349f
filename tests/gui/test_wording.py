"""Labels and numbers as a person reads them."""

from __future__ import annotations

import pytest

from assistant.gui.wording import duration, isolated, percent, plain_label


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("change_language", "Change language"),
        ("weather", "Weather"),
        ("oos", "Out of scope"),
        ("pto_request_status", "PTO request status"),
        ("rollover_401k", "Rollover 401(k)"),
        ("kitchen_and_dining", "Kitchen and dining"),
        ("", ""),
        (None, ""),
    ],
)
def test_plain_label(label: str | None, words: str) -> None:
    assert plain_label(label) == words


def test_percent_never_overstates() -> None:
    assert (percent(0.999), percent(1.0), percent(0.001), percent(0.0), percent(0.42)) == (
        ">99%",
        "100%",
        "<1%",
        "0%",
        "42%",
    )


def test_duration() -> None:
    assert (duration(4.4), duration(185), duration(3720), duration(-3)) == (
        "4 s",
        "3 min 05 s",
        "1 h 02 min",
        "under a second",
    )


def test_isolated_user_text_cannot_reorder_the_line_around_it() -> None:
    line = f"{isolated('مرح')}  —  2%"
    assert line == "\u200e\u2068مرح\u2069  —  2%"
    assert line.count("\u2068") == line.count("\u2069") == 1


def test_the_pronoun_i_is_a_capital_in_an_intent_name() -> None:
    assert plain_label("what_can_i_ask_you") == "What can I ask you"
