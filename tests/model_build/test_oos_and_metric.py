"""The out-of-scope rule, its threshold choice and the SQuAD metric (numpy only, no torch)."""

import numpy as np

from benchmarks.squad_metric import normalize_answer, score
from training.oos import choose_rule, choose_threshold, oos_predictions

OOS = 2


def test_low_confidence_in_scope_becomes_oos_and_argmax_oos_stays_oos() -> None:
    probs = np.array([[0.9, 0.05, 0.05], [0.45, 0.35, 0.2], [0.3, 0.2, 0.5]])
    assert list(oos_predictions(probs, OOS, threshold=0.5)) == [0, OOS, OOS]
    assert list(oos_predictions(probs, OOS, threshold=0.0)) == [0, 0, OOS]


def test_threshold_raises_oos_recall_within_the_allowed_in_scope_drop() -> None:
    probs = np.array(
        [
            [0.9, 0.05, 0.05],
            [0.05, 0.9, 0.05],
            [0.6, 0.3, 0.1],
            [0.4, 0.35, 0.25],
            [0.42, 0.3, 0.28],
        ]
    )
    labels = np.array([0, 1, 0, OOS, OOS])
    strict = choose_threshold(probs, labels, OOS, max_inscope_drop=0.0)
    assert strict["val_inscope_accuracy"] == 1.0
    assert strict["val_oos_recall"] == 1.0
    assert 0.42 < strict["threshold"] <= 0.6


def test_a_temperature_is_chosen_when_it_separates_what_the_plain_softmax_cannot() -> None:
    # Both saturate at T=1 (p > 0.99), but the out-of-scope row's logits are smaller.
    logits = np.array([[12.0, 4.0, 0.0], [0.0, 12.0, 4.0], [6.0, 0.0, 0.0]])
    labels = np.array([0, 1, OOS])
    plain = choose_rule(logits, labels, OOS, max_inscope_drop=0.0, temperatures=[1.0])
    assert plain["val_oos_recall"] == 0.0
    softened = choose_rule(logits, labels, OOS, max_inscope_drop=0.0, temperatures=[1.0, 4.0])
    assert softened["temperature"] == 4.0
    assert (softened["val_oos_recall"], softened["val_inscope_accuracy"]) == (1.0, 1.0)


def test_squad_metric_uses_the_official_normalisation() -> None:
    assert normalize_answer("The  Eiffel Tower!") == "eiffel tower"
    result = score(["the Eiffel tower", "Paris France"], [["Eiffel Tower"], ["Paris"]])
    assert result["exact_match"] == 50.0
    assert round(result["f1"], 2) == round(100 * (1 + 2 / 3) / 2, 2)
