"""The warning for text that is not English, which the models never learned: another alphabet,
or another language in the Latin one."""

from __future__ import annotations

import pytest

from assistant.language_check import (
    NOT_ENGLISH,
    OTHER_SCRIPT,
    SAMPLE_CHARS,
    batch_caveat,
    language_caveat,
)


@pytest.mark.parametrize(
    "text",
    ["مرحبا كيف حالك 😀", "这是一个很好的产品", "Привет, мир!", "Ελληνικά κείμενα και test"],
)
def test_mostly_other_scripts_get_the_caveat(text: str) -> None:
    assert language_caveat(text) == OTHER_SCRIPT


@pytest.mark.parametrize(
    "text",
    [
        "Très déçu.",  # came out positive at 0.89
        "Muy malo.",
        "Sehr gut.",
        "Très bien, ça marche déjà à Zürich",
        "Le film était vraiment nul, je me suis ennuyé du début à la fin.",
        "Das Essen war kalt und der Kellner war unfreundlich.",
        "Quiero transferir cien euros a mi cuenta de ahorros.",
        "Il servizio era lento e il cibo freddo.",
        "Não gostei do atendimento, muito demorado.",
        "Ik wil graag een tafel reserveren voor vanavond.",
    ],
)
def test_other_languages_in_the_latin_alphabet_get_their_caveat(text: str) -> None:
    assert language_caveat(text) == NOT_ENGLISH


@pytest.mark.parametrize(
    "text",
    [
        "The battery died after two days.",
        "One star.",
        "Café au lait was great.",
        "How do you say buenos días in Spanish?",
        "Translate merci beaucoup into English",
        "Is La La Land worth watching?",
        "My name is José and I live in San José.",
        "Don't die hard",
        "Add a comment",
        "Price per night",
        "Hay fever remedies",
        "Dove soap review",
        "Des Moines weather",
        "Las Vegas trip",
        "Notre Dame score",
        "Con Edison bill",
        "Est. delivery 3 days",
        "Smith et al.",
        "Meeting Mon",
        "MIT admissions",
        "I met 王小明 in Beijing last week and we talked for hours",
        "😀😀 123 !!!",
        "",
    ],
)
def test_english_with_foreign_names_and_words_gets_none(text: str) -> None:
    assert language_caveat(text) is None


def test_only_the_beginning_is_read() -> None:
    assert language_caveat("a" * SAMPLE_CHARS + "中" * (2 * SAMPLE_CHARS)) is None
    english = "the film was good " * (SAMPLE_CHARS // 18 + 1)
    assert language_caveat(english + "et le " * SAMPLE_CHARS) is None


def test_the_batch_line_counts_items() -> None:
    assert batch_caveat(0) is None
    assert (batch_caveat(1) or "").startswith("1 item does not look like English")
    assert (batch_caveat(2_000) or "").startswith("2,000 items do not look like English")
