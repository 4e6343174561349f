"""Question answering: offsets into the original context, long contexts, n-best and no-answer."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.engine import Engine, InputError
from assistant.limits import MAX_TOP_K
from tests.engine.conftest import QA_MAX_QUESTION

QUESTION = "What is it?"


def fullwidth(text: str) -> str:
    """ASCII letters as their fullwidth forms, which NFKC folds back (offsets must survive it)."""
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


TRICKY_CONTEXTS = {
    "emoji": "I saw 😀👍🏽 zebra 🦓 and yak 😀 too.",
    "combining marks": "Cafe\u0301 zebra e\u0301\u0302 yak n\u0303o",
    "crlf and tabs": "line one\r\n\tzebra\r\n\t\tyak\r\nend",
    "rtl": "مرحبا zebra שלום עולם yak بالعالم",
    "lone surrogates": "a \ud800 zebra \udfff yak \ud83d end",
    "nfkc fullwidth": fullwidth("the ZEBRA is a YAK"),
    "control chars": "\x00\x07 zebra\x1b yak \x7f",
    "mixed scripts": "日本語 zebra Ελληνικά кириллица yak 한국어",
}


@pytest.mark.parametrize("context", TRICKY_CONTEXTS.values(), ids=TRICKY_CONTEXTS.keys())
def test_answer_is_a_slice_of_the_original_context(engine: Engine, context: str) -> None:
    answers = engine.answer(QUESTION, context, top_k=5)
    assert answers
    for answer in answers:
        assert context[answer.start : answer.end] == answer.answer
    best = answers[0].answer
    assert best.lower().startswith(("zebra", fullwidth("zebra"))), best
    assert best.lower().endswith(("yak", fullwidth("yak"))), best


def test_answer_after_5000_words_is_found(engine: Engine) -> None:
    context = "the a it is " * 1250 + "zebra and the yak " + "the " * 300
    (answer,) = engine.answer(QUESTION, context)
    assert answer.answer == "zebra and the yak"
    assert answer.start == len("the a it is " * 1250)
    assert answer.score > 0.9


def test_top_k_is_sorted_and_distinct(engine: Engine) -> None:
    answers = engine.answer(QUESTION, "zebra one yak two zebra three yak", top_k=4)
    assert len(answers) == 4
    scores = [a.score for a in answers]
    assert scores == sorted(scores, reverse=True)
    assert len({(a.start, a.end) for a in answers}) == 4


def test_max_answer_len_limits_spans(engine: Engine) -> None:
    context = "zebra " + "the " * 10 + "yak"
    long = engine.answer(QUESTION, context)[0]
    short = engine.answer(QUESTION, context, max_answer_len=3)[0]
    assert long.answer == context
    assert short.answer != context
    assert len(short.answer.split()) <= 3


def test_impossible_answer_competes_when_asked(engine: Engine) -> None:
    context = "the cat sat on the mat"  # no zebra, no yak: every span is weak
    answers = engine.answer(QUESTION, context, top_k=3, handle_impossible_answer=True)
    assert any(a.answer == "" and (a.start, a.end) == (0, 0) for a in answers)
    assert all(a.answer for a in engine.answer(QUESTION, context, top_k=3))


def test_a_question_longer_than_the_model_reads_is_refused_not_cut(engine: Engine) -> None:
    """Cut to its first tokens, a question that came after a long lead-in lost its point and
    got a confident wrong answer, with nothing to say so."""
    longest = " ".join(["zebra"] * QA_MAX_QUESTION)  # one word piece each
    assert engine.answer(longest, "zebra yak")[0].answer
    with pytest.raises(
        InputError, match=r"model reads \(17 word pieces, the parts it reads words in; 16 fit\)"
    ):
        engine.answer(longest + " yak", "zebra yak")


def test_answers_are_deterministic(engine: Engine) -> None:
    context = TRICKY_CONTEXTS["emoji"] * 20
    assert engine.answer(QUESTION, context, top_k=3) == engine.answer(QUESTION, context, top_k=3)


@pytest.mark.parametrize("value", [0, -1, 1.5, True])
@pytest.mark.parametrize("name", ["top_k", "max_answer_len"])
def test_bad_numbers(engine: Engine, name: str, value: object) -> None:
    with pytest.raises(ValueError, match=name):
        engine.answer(QUESTION, "zebra yak", **{name: value})  # type: ignore[arg-type]


def test_top_k_is_at_most_max_top_k(engine: Engine) -> None:
    """Each window keeps top_k spans: a million took minutes and gigabytes on an article."""
    assert engine.answer(QUESTION, "zebra one yak two", top_k=MAX_TOP_K)
    with pytest.raises(ValueError, match=f"top_k must be at most {MAX_TOP_K}, not 1000000"):
        engine.answer(QUESTION, "zebra yak", top_k=1_000_000)


def test_should_stop_ends_a_long_answer_between_window_batches(engine: Engine) -> None:
    context = " ".join(["filler words here"] * 2_000) + " the zebra lives here"
    asked: list[int] = []

    def stop_on_second_ask() -> bool:
        asked.append(1)
        return len(asked) == 2

    assert engine.answer("Who lives here?", context, should_stop=stop_on_second_ask) == []
    assert len(asked) == 2
    assert engine.answer("Who lives here?", context, should_stop=lambda: False)


def test_progress_counts_the_windows_read_up_to_all_of_them(engine: Engine) -> None:
    context = " ".join(["filler words here"] * 2_000) + " the zebra lives here"
    heard: list[tuple[int, int]] = []
    engine.answer(
        "Who lives here?", context, progress=lambda done, total: heard.append((done, total))
    )
    done = [d for d, _ in heard]
    assert len(heard) > 2 and done == sorted(set(done))
    assert {total for _, total in heard} == {done[-1]}  # the last report: every window read


def test_windows_run_in_equal_length_batches_and_none_is_lost() -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers

    from assistant.engine.qa import equal_length_batches

    tokenizer = Tokenizer(models.WordLevel({"[UNK]": 0, "w": 1}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.enable_truncation(8, stride=2)
    first = tokenizer.encode("w " * 40)
    windows = [first, *first.overflowing]
    assert len({len(w.ids) for w in windows}) == 2  # the last window is the short one
    batches = equal_length_batches(windows, 4)
    assert sorted(id(w) for b in batches for w in b) == sorted(id(w) for w in windows)
    for batch in batches:
        assert 1 <= len(batch) <= 4
        assert len({len(w.ids) for w in batch}) == 1


def test_windows_count_by_their_odds_of_holding_an_answer() -> None:
    from assistant.engine.qa import window_weights

    assert window_weights(np.array([0.3])).tolist() == [1.0]  # one window keeps its scores
    weights = window_weights(np.array([0.5, 0.001, 0.0]))  # a null of 0: sure of an answer
    assert weights.sum() == pytest.approx(1.0) and weights[2] > weights[1] > weights[0]
    assert weights[1] / weights[0] == pytest.approx(500)  # odds 1 / null: 1,000 against 2


def test_scores_over_many_windows_add_up_to_at_most_one(engine: Engine) -> None:
    context = " ".join(["zebra and the yak went by the river"] * 300)
    answers = engine.answer(QUESTION, context, top_k=MAX_TOP_K, handle_impossible_answer=True)
    assert sum(a.score for a in answers) <= 1.0 + 1e-6
    assert all(type(a.score) is float for a in answers)  # not numpy's: JSON and repr read it
