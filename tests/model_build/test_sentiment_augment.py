"""New sentiment texts: rows with words swapped for their neighbours, never a row itself."""

import pytest

pytest.importorskip("torch")

from training.classify import augmented_slice
from training.sentiment_augment import augment

ROWS = ["a good movie", "a bad film", "good", "the plot is dull"]
TABLE = {"good": ["great", "fine"], "bad": ["awful"], "movie": ["film"], "dull": ["boring"]}


def test_new_texts_are_distinct_swaps_of_long_enough_rows() -> None:
    texts = augment(ROWS, 5, TABLE, rate=0.5, min_words=3, seed=0)
    assert len(texts) == len(set(texts)) == 5
    assert not set(texts) & set(ROWS)
    for text in texts:
        assert any(_is_swap_of(text, row) for row in ROWS if len(row.split()) >= 3)


def _is_swap_of(text: str, row: str) -> bool:
    new, old = text.split(), row.split()
    return len(new) == len(old) and all(
        n == o or n in TABLE.get(o, []) for n, o in zip(new, old, strict=True)
    )


def test_the_same_seed_gives_the_same_texts() -> None:
    first = augment(ROWS, 5, TABLE, rate=0.5, min_words=3, seed=3)
    assert first == augment(ROWS, 5, TABLE, rate=0.5, min_words=3, seed=3)


def test_asking_for_more_texts_keeps_the_first_ones() -> None:
    """A larger run reuses a smaller one's labelled chunks, which relies on this."""
    fewer = augment(ROWS, 3, TABLE, rate=0.5, min_words=3, seed=3)
    assert augment(ROWS, 6, TABLE, rate=0.5, min_words=3, seed=3)[:3] == fewer


def test_rows_that_run_out_of_new_swaps_give_fewer_texts() -> None:
    texts = augment(ROWS, 20, TABLE, rate=0.5, min_words=3, seed=0)
    assert len(texts) == 7  # 5 swaps of "a good movie", 1 of "a bad film", 1 of the plot row


def test_each_epoch_trains_on_new_augmented_texts_until_they_run_out() -> None:
    epochs = [augmented_slice(10, 4, epoch) for epoch in range(3)]
    assert epochs[0] == [0, 1, 2, 3] and epochs[1] == [4, 5, 6, 7]
    assert epochs[2] == [8, 9, 0, 1]  # wraps around once all were seen
