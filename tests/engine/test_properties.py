"""Property tests: any text at all (lone surrogates included) gets an answer or a message for a
person (unreadable text, a question longer than the model reads), never a crash."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import pipeline
from assistant.engine import Answer, Engine, InputError, Intent, Sentiment
from assistant.engine.inputs import sanitize

from .conftest import QA_MAX_QUESTION, VOCAB, build_tokenizer

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
texts = st.text(st.characters(codec=None), max_size=300)  # every code point, surrogates too
words = st.lists(st.sampled_from(["zebra", "yak", "good", "😀", "\r\n", "é", "مرحبا"]))


def _unreadable(*texts: str) -> bool:
    """Whether some text is nothing the tokenizer keeps, holds no letter, or only words the
    vocabulary lacks."""
    tokenizer, unknown = build_tokenizer(), VOCAB.index("[UNK]")
    return any(
        _blank(text)
        or not any(char.isalpha() for char in text)
        or set(tokenizer.encode(sanitize(text)).ids[1:-1]) <= {unknown}
        for text in texts
    )


def _too_long(question: str) -> bool:
    """A question of more word pieces than the model reads (the engine refuses, not cuts it)."""
    pieces = build_tokenizer().encode(sanitize(question), add_special_tokens=False).ids
    return len(pieces) > QA_MAX_QUESTION


def _blank(text: str) -> bool:
    """Nothing the tokenizer keeps: spaces, control and zero-width characters, accents, U+FFFD."""
    return all(
        char.isspace()
        or not char.isprintable()
        or char == "\ufffd"
        or unicodedata.category(char).startswith("M")
        for char in text
    )


@SETTINGS
@given(text=texts)
def test_sentiment_and_intent_answer_any_text(engine: Engine, text: str) -> None:
    try:
        sentiment = engine.sentiment(text)
        intent = engine.intent(text)
    except InputError:
        assert _unreadable(text)
        return
    assert isinstance(sentiment, Sentiment) and isinstance(intent, Intent)
    assert 0.0 <= sentiment.score <= 1.0 and 0.0 <= intent.score <= 1.0
    for sentence in sentiment.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text


@SETTINGS
@given(question=texts, context=texts, noise=words)
def test_answer_is_always_a_slice(
    engine: Engine, question: str, context: str, noise: list[str]
) -> None:
    context = context + " ".join(noise)
    try:
        answers = engine.answer(question, context, top_k=3, handle_impossible_answer=True)
    except InputError:
        assert _unreadable(question, context) or _too_long(question)
        return
    assert 1 <= len(answers) <= 3
    for answer in answers:
        assert isinstance(answer, Answer)
        assert context[answer.start : answer.end] == answer.answer
        assert 0.0 <= answer.score <= 1.0


@SETTINGS
@given(text=texts)
def test_pipelines_answer_any_text(engine: Engine, text: str) -> None:
    try:
        sentiment = pipeline("sentiment-analysis", engine)([text], top_k=None)[0]
        intent = pipeline("intent", engine)(text)[0]
        answer = pipeline("question-answering", engine)(question=text, context=text + " zebra")
    except InputError:
        assert _unreadable(text) or _too_long(text)
        return
    assert abs(sum(row["score"] for row in sentiment) - 1.0) < 1e-9
    assert set(intent) == {"label", "score"}
    assert (text + " zebra")[answer["start"] : answer["end"]] == answer["answer"]
