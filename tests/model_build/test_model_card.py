"""The model card's recipe says where each part of the student's training ran."""

import pytest

pytest.importorskip("torch")

from training.publish import _conversion_summary, _outside_teacher, _task_settings

REPORT = {
    "method": "Cut and refitted.",
    "kept_importance_plain_cut": 0.25,
    "kept_importance_permuted": 0.37,
    "steps": 4000,
    "minutes": 4.0,
    "device": "NVIDIA H100",
    "cosine_per_layer": {"squad_heldout_qa_windows": [1.0, 0.9]},
}


def test_a_continued_student_names_both_runs_and_a_first_run_only_its_own() -> None:
    first = _conversion_summary(REPORT)
    continued = _conversion_summary(
        REPORT | {"continued": {"steps": 1500, "minutes": 170.2, "device": "cpu"}}
    )
    assert "4000 training steps after the cut, 4.0 minutes on NVIDIA H100." in first
    assert "more steps" not in first
    assert "Then 1500 more steps from there" in " ".join(continued.split())
    assert "170.2 minutes on cpu." in " ".join(continued.split())


def test_an_outside_sentiment_teacher_and_its_new_texts_are_named_only_when_used() -> None:
    assert _outside_teacher({"lr": 1e-4}) == ""
    words = " ".join(
        _outside_teacher(
            {
                "sentiment_logits": "sentiment-teacher",
                "sentiment_augmented": "sentiment-augment",
                "augmented_per_epoch": 50000,
            }
        ).split()
    )
    assert "all-mpnet-base-v2 fine-tuned on SST-2" in words
    assert "50,000 new texts" in words and "python -m training sentiment-augment" in words


def test_a_continued_student_shows_its_first_runs_settings_before_the_continuations() -> None:
    assert _task_settings({"training_config": {"lr": 5e-5}}) == '`{"lr": 5e-05}`.'
    both = _task_settings(
        {
            "training_config": {"lr": 5e-5},
            "conversion": {"continued_from": {"steps": 12000, "config": {"lr": 1e-4}}},
        }
    )
    assert both == '`{"lr": 0.0001}`; then `python -m training qa-more`: `{"lr": 5e-05}`.'


def test_the_shipped_classifier_card_is_what_publish_writes_release_note_included() -> None:
    """A release that changed config.json only (1.4.1) still gets its card from `publish`."""
    import json

    from training.common import MODELS_DIR
    from training.publish import RESULTS, card

    bundle = MODELS_DIR / "squeezebert-classify"
    if not (bundle / "config.json").exists():
        pytest.skip("no shipped classifier")
    config = json.loads((bundle / "config.json").read_text(encoding="utf-8"))
    results = [
        json.loads((RESULTS / f"accuracy-{label}.json").read_text(encoding="utf-8"))
        for label in ("int8", "fp32", "dense-fp32")
    ]
    written = card(config, *results)
    assert written == (bundle / "MODEL_CARD.md").read_text(encoding="utf-8")
    note = config.get("release_note")
    if note:  # under the title, and only where config.json has one
        first_words = " ".join(note.split()[:6])
        assert first_words in " ".join(written.split()[:40])
        without = card({k: v for k, v in config.items() if k != "release_note"}, *results)
        assert first_words not in " ".join(without.split())
