"""The whole-sentence SST-2 tuning slice: made of sentences no other row holds, and train keeps
no phrase of them (no data sets; synthetic rows shaped like SST-2's parse-tree phrases)."""

import pytest

from training import sst2_tuning

SENTENCES = [
    "the film is a quiet and moving study of grief and the ways people survive it",
    "every scene drags on long after its point has been made and then some more",
    "a clever script that never talks down to its audience or to its young heroes",
    "it is hard to care about characters this thin even when the actors try hard",
]


def parse_tree_rows() -> list[tuple[str, int]]:
    """Each sentence with some of its phrases (as SST-2 train has them) and single words."""
    rows = []
    for k, sentence in enumerate(SENTENCES):
        words = sentence.split()
        rows += [(sentence, k % 2), (" ".join(words[:11]), k % 2), (" ".join(words[2:4]), 1)]
        rows += [(w, 0) for w in words[:2]]
    return [*rows, ("grief and the", 1)]


def test_whole_sentences_are_long_rows_that_no_other_row_holds() -> None:
    rows = parse_tree_rows()
    whole = {rows[i][0] for i in sst2_tuning.whole_sentences(rows)}
    assert whole == set(SENTENCES)  # their 11-word phrases sit inside them


def test_a_phrase_only_counts_as_inside_on_word_boundaries() -> None:
    sentence = "the movie was a fun ride from the start to the very last frame of it"
    rows = [(sentence, 1), ("he movie was a fun ride from the start to the very", 0)]
    assert [rows[i][0] for i in sst2_tuning.whole_sentences(rows)] == [sentence, rows[1][0]]


def test_train_keeps_no_phrase_of_a_tune_sentence_and_keeps_everything_else() -> None:
    rows = parse_tree_rows()
    train, tune = sst2_tuning.split(rows, size=2, seed=3)
    assert len(tune) == 2 and {text for text, _ in tune} <= set(SENTENCES)
    for text, _ in train:
        if len(text.split()) >= sst2_tuning.MIN_PHRASE_WORDS:
            assert not any(f" {text} " in f" {sentence} " for sentence, _ in tune)
    kept = {text for text, _ in train}
    assert set(SENTENCES) - {text for text, _ in tune} <= kept
    assert {text for text, _ in rows if len(text.split()) == 1} <= kept  # words are not leaks
    assert sst2_tuning.split(rows, size=2, seed=3) == (train, tune)


def test_the_classify_config_picks_the_slice(monkeypatch) -> None:
    pytest.importorskip("torch")
    from training import classify

    rows = parse_tree_rows()
    monkeypatch.setattr(classify.data, "sst2", lambda split: rows)
    monkeypatch.setattr(classify, "SST2_TUNE_SENTENCES", 2)
    monkeypatch.setattr(classify, "load_config", lambda name: {"sst2_tune": "whole-sentences"})
    assert classify.sst2_split(3) == sst2_tuning.split(rows, 2, 3)
