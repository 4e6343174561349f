"""Bad input gets an InputError a person can read; any other text gets an answer."""

from __future__ import annotations

from collections import UserList, deque
from collections.abc import Callable

import pytest

from assistant.engine import MAX_INPUT_CHARS, Engine, InputError
from assistant.engine.inputs import sanitize, validate

BAD = {
    "not text": (42, "must be text"),
    "bytes": (b"hello", "must be text"),
    "none": (None, "must be text"),
    "empty": ("", "empty"),
    "whitespace": (" \t\r\n\u3000", "empty"),
    "too long": ("a" * (MAX_INPUT_CHARS + 1), f"{MAX_INPUT_CHARS:,}: shorten it, or analyse"),
    "control characters": ("\x00\x01\x02", "no character the models can read"),
    "zero-width": ("\ufeff\u200b \u2060", "no character the models can read"),
    "lone surrogate": ("\ud800", "no character the models can read"),
    "accents alone": ("\u0301\u0308 \u0301", "no character the models can read"),
    "replacement characters": ("\ufffd\ufffd", "no character the models can read"),
    "emoji alone": ("😀😀 😀", "no word the models know"),
    "symbols alone": ("☃ ✈", "no word the models know"),
    "a word WordPiece gives up on": ("z" * 101, "words of over 100 letters"),
}
ODD = [
    "😀😀😀 good",
    "\x00ok\x01",
    "a\udfffb\ud83d",
    "مرحبا hi بالعالم",  # the tiny models' vocabulary has no Arabic or Hebrew word
    "שלום hi עולם",
    "Mixed 日本語 Ελληνικά кириллица",
    "\u202eevil\u202c text",
    "e\u0301\u0301\u0301",
    "\ufeff\u200bzero-width",
]

Call = Callable[[Engine, object], object]
ENTRY_POINTS: dict[str, Call] = {
    "sentiment": lambda e, text: e.sentiment(text),
    "intent": lambda e, text: e.intent(text),
    "sentiment list": lambda e, text: e.sentiment(["fine", text]),
    "intent list": lambda e, text: e.intent(["fine", text]),
    "question": lambda e, text: e.answer(text, "zebra yak"),
    "context": lambda e, text: e.answer("what?", text),
}


@pytest.mark.parametrize("call", ENTRY_POINTS.values(), ids=ENTRY_POINTS.keys())
@pytest.mark.parametrize(("value", "message"), BAD.values(), ids=BAD.keys())
def test_bad_input_raises_input_error(
    engine: Engine, call: Call, value: object, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        call(engine, value)


def test_input_error_comes_before_model_problems(tmp_path: object) -> None:
    with pytest.raises(InputError):
        Engine(models_dir=str(tmp_path)).sentiment("   ")


@pytest.mark.parametrize("call", ENTRY_POINTS.values(), ids=ENTRY_POINTS.keys())
@pytest.mark.parametrize("text", ODD)
def test_odd_text_gets_an_answer(engine: Engine, call: Call, text: str) -> None:
    assert call(engine, text) is not None


def test_any_sequence_of_texts_gives_a_list(engine: Engine) -> None:
    texts = UserList(["good", "bad"])
    assert engine.sentiment(texts) == engine.sentiment(list(texts))
    assert len(engine.intent(deque(texts))) == 2
    with pytest.raises(InputError, match="must be text"):
        engine.sentiment(bytearray(b"good"))


def test_empty_list_gives_empty_list(engine: Engine) -> None:
    assert engine.sentiment([]) == []
    assert engine.intent([]) == []


def test_sanitize_keeps_offsets() -> None:
    text = "a\ud800b\udfffc😀"
    clean = sanitize(text)
    assert len(clean) == len(text)
    assert clean == "a\ufffdb\ufffdc😀"
    clean.encode("utf-8")


@pytest.mark.parametrize("text", ["", "😀😀 😀"])
def test_a_bad_text_to_search_is_named_in_plain_words(engine: Engine, text: str) -> None:
    """The window has no "context", only the text the user pasted."""
    with pytest.raises(InputError, match=r"^The text to search "):
        engine.answer("what?", text)


LETTERED = {name: call for name, call in ENTRY_POINTS.items() if name != "context"}
"""Where a text needs a letter: a text to search may be a table of numbers."""


@pytest.mark.parametrize("call", LETTERED.values(), ids=LETTERED.keys())
def test_a_text_without_a_letter_is_refused_in_the_words_of_emoji_alone(
    engine: Engine, call: Call
) -> None:
    """Each task refused "😀😀" but read "!!!" as Positive 99% and "12345" as Calculator."""
    said = []
    for text in ("😀😀", "!!!", "..... !!!", "12345", "12345 3.14"):
        with pytest.raises(InputError) as refused:
            call(engine, text)
        said.append(str(refused.value))
    assert len(set(said)) == 1


def test_a_text_to_search_of_numbers_alone_is_searched() -> None:
    """ "1999 - 2004" can answer "When?": only the texts the classifiers read need a letter."""
    assert validate("1999 - 2004\n12 | 34", "text to search", needs_letter=False)
    with pytest.raises(InputError, match="no word the models know"):
        validate("1999 - 2004\n12 | 34", "question")


@pytest.mark.parametrize(
    "text", ["这个产品非常好", "مرحبا بالعالم", "שלום!", "Привет, мир", "नमस्ते दुनिया"]
)
def test_a_letter_of_any_alphabet_passes_the_check_for_one(text: str) -> None:
    """The letter check itself; the model may still find no word it knows in some of these."""
    assert validate(text) == text
