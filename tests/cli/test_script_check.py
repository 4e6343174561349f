"""The warning for text mostly outside the Latin alphabet, which the models never learned."""

from __future__ import annotations

import pytest

from assistant.script_check import CAVEAT, SAMPLE_CHARS, script_caveat


@pytest.mark.parametrize(
    "text",
    ["مرحبا كيف حالك 😀", "这是一个很好的产品", "Привет, мир!", "Ελληνικά κείμενα και test"],
)
def test_mostly_other_scripts_get_the_caveat(text: str) -> None:
    assert script_caveat(text) == CAVEAT


@pytest.mark.parametrize(
    "text",
    [
        "The battery died after two days.",
        "Très bien, ça marche déjà à Zürich",
        "I met 王小明 in Beijing last week and we talked for hours",
        "😀😀 123 !!!",
        "",
    ],
)
def test_latin_text_and_text_without_letters_get_none(text: str) -> None:
    assert script_caveat(text) is None


def test_only_the_beginning_is_read() -> None:
    assert script_caveat("a" * SAMPLE_CHARS + "中" * (2 * SAMPLE_CHARS)) is None
