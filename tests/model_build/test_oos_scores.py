"""The out-of-scope score probe: embedding distances rank far text lower, thresholds keep the
in-scope budget."""

import numpy as np
import pytest

pytest.importorskip("torch")

from training.oos_scores import best_threshold, embedding_scores


def test_text_near_an_intents_train_texts_scores_higher_than_text_far_from_all() -> None:
    rng = np.random.default_rng(0)
    centers = np.array([[5.0, 0.0, 1.0], [0.0, 5.0, 1.0]])
    labels = np.repeat([0, 1], 50)
    train = centers[labels] + rng.normal(0, 0.3, (100, 3))
    rows = np.array([[5.0, 0.1, 1.0], [-4.0, -4.0, 1.0]])
    for name, score in embedding_scores(train, labels, rows).items():
        assert score[0] > score[1], name


def test_the_threshold_gives_the_best_recall_the_in_scope_budget_allows() -> None:
    score = np.linspace(0.0, 1.0, 101)

    def measure(threshold: float) -> tuple[float, float]:
        cut = max(threshold, 0.0)
        return 1.0 - cut / 10, cut  # a higher threshold finds more OOS and loses in-scope text

    assert best_threshold(measure, score, max_drop=0.02) == pytest.approx(0.2)
