"""The classifier's training step loss (needs the [train] extra's torch): labels alone for the
dense model, labels plus the teacher's signals for a student (which owes nothing when it equals
the teacher), and outside soft labels in place of the teacher's logits."""

import pytest

torch = pytest.importorskip("torch")

from training.classify import step_loss  # noqa: E402
from training.model import Classifier, EncoderConfig  # noqa: E402

TINY = EncoderConfig(
    vocab_size=50, hidden=16, layers=2, heads=4, intermediate=32, max_positions=16, dropout=0.0
)
HEADS = {"sentiment": 2, "intent": 5}
CFG = {"kd_weight": 1.0, "hidden_weight": 1.0}


def inputs() -> tuple[torch.Tensor, torch.Tensor]:
    ids = torch.randint(1, 50, (3, 10))
    mask = torch.ones_like(ids)
    mask[0, 6:] = 0
    return ids, mask


def test_the_dense_model_learns_from_the_labels_alone() -> None:
    torch.manual_seed(0)
    loss, shown = step_loss(
        Classifier(TINY, HEADS), None, inputs(), "intent", torch.tensor([0, 3, 4]), None, CFG
    )
    assert set(shown) == {"intent"}
    assert loss.item() == pytest.approx(shown["intent"])


def test_a_student_adds_the_teachers_terms() -> None:
    torch.manual_seed(0)
    teacher, student = Classifier(TINY, HEADS).eval(), Classifier(TINY, HEADS).eval()
    labels = torch.tensor([1, 0, 1])
    loss, shown = step_loss(student, teacher, inputs(), "sentiment", labels, None, CFG)
    assert set(shown) == {"sentiment", "kd", "hidden", "attention"}
    assert shown["kd"] > 0 and shown["hidden"] > 0
    assert loss.item() == pytest.approx(sum(shown.values()), rel=1e-5)


def test_given_soft_labels_replace_the_teachers_logits() -> None:
    torch.manual_seed(0)
    teacher = Classifier(TINY, HEADS).eval()
    student = Classifier(TINY, HEADS).eval()
    student.load_state_dict(teacher.state_dict())
    batch = inputs()
    own = teacher(*batch)["sentiment"].detach()
    labels = torch.tensor([1, 0, 1])
    _, shown = step_loss(student, teacher, batch, "sentiment", labels, own, CFG)
    assert shown["kd"] == pytest.approx(0, abs=1e-6)
    assert shown["hidden"] == pytest.approx(0, abs=1e-6)
    _, shown = step_loss(student, teacher, batch, "sentiment", labels, own.flip(-1), CFG)
    assert shown["kd"] > 0
