"""Which answers the window and the command line show."""

from assistant.answers import distinct, found_answers
from assistant.engine import Answer

TEXT = "Anna Berg built it. Later Anna Berg sold it to anna  berg's cousin, Tom."


def _answer(words: str, nth: int, score: float) -> Answer:
    start = -1
    for _ in range(nth):
        start = TEXT.index(words, start + 1)
    return Answer(TEXT[start : start + len(words)], start, start + len(words), score)


def test_distinct_drops_overlapping_and_repeated_answers_keeping_the_best() -> None:
    best = _answer("Anna Berg", 1, 0.5)
    answers = [
        best,
        _answer("Anna Berg built", 1, 0.2),  # overlaps the best
        _answer("Anna Berg", 2, 0.1),  # the same words elsewhere
        _answer("anna  berg", 1, 0.09),  # the same words, other case and spacing
        _answer("Tom", 1, 0.05),
    ]
    assert distinct(answers) == [best, answers[-1]]


def test_found_answers_leave_out_no_answer_and_overlaps() -> None:
    best, tom = _answer("Anna Berg", 1, 0.5), _answer("Tom", 1, 0.05)
    no_answer = Answer("", 0, 0, 0.3)
    assert found_answers([best, no_answer, _answer("Anna Berg built", 1, 0.2), tom]) == [best, tom]
    assert found_answers([no_answer]) == []


def test_found_answers_list_no_alternative_under_one_percent_but_keep_any_best() -> None:
    best, tom, it = _answer("Anna Berg", 1, 0.3), _answer("Tom", 1, 0.01), _answer("it", 1, 0.009)
    assert found_answers([best, tom, it]) == [best, tom]
    weak = _answer("Anna Berg", 1, 0.004)
    assert found_answers([weak, _answer("it", 1, 0.002)]) == [weak]  # a weak best still is
