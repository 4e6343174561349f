"""The QA training step's loss (needs the [train] extra's torch): labels alone for the dense
model, labels plus the teacher's signals for a student, and a student that copies its teacher
owes it nothing."""

import pytest

torch = pytest.importorskip("torch")

from training.model import EncoderConfig, QuestionAnswerer  # noqa: E402
from training.qa import step_loss  # noqa: E402

TINY = EncoderConfig(
    vocab_size=50, hidden=16, layers=2, heads=4, intermediate=32, max_positions=16, dropout=0.0
)
CFG = {"kd_weight": 1.0, "hidden_weight": 1.0}


def batch() -> tuple[tuple, tuple]:
    ids = torch.randint(1, 50, (3, 12))
    mask = torch.ones_like(ids)
    mask[0, 8:] = 0
    return (ids, mask, torch.zeros_like(ids)), (torch.tensor([1, 2, 3]), torch.tensor([2, 4, 3]))


def test_the_dense_model_learns_from_the_labels_alone() -> None:
    torch.manual_seed(0)
    inputs, labels = batch()
    loss, shown = step_loss(QuestionAnswerer(TINY), None, inputs, labels, CFG)
    assert set(shown) == {"loss"}
    assert loss.item() == pytest.approx(shown["loss"])
    loss.backward()


def test_a_student_adds_the_teachers_terms_which_vanish_when_it_equals_the_teacher() -> None:
    torch.manual_seed(0)
    inputs, labels = batch()
    teacher = QuestionAnswerer(TINY).eval()
    student = QuestionAnswerer(TINY).eval()
    loss, shown = step_loss(student, teacher, inputs, labels, CFG)
    assert set(shown) == {"loss", "kd", "hidden", "attention"}
    assert shown["kd"] > 0 and shown["hidden"] > 0
    assert loss.item() == pytest.approx(sum(shown.values()), rel=1e-5)

    student.load_state_dict(teacher.state_dict())
    loss, shown = step_loss(student, teacher, inputs, labels, CFG)
    assert shown["kd"] == pytest.approx(0, abs=1e-6)
    assert shown["hidden"] == pytest.approx(0, abs=1e-6)
    assert shown["attention"] == pytest.approx(0, abs=1e-6)
    assert loss.item() == pytest.approx(shown["loss"], rel=1e-5)
