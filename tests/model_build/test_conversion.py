"""The conversion's invariants on a tiny random encoder (needs the [train] extra's torch)."""

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("scipy")

from training.data import Batch, bucketed_batches  # noqa: E402
from training.loop import Progress, train_loop  # noqa: E402
from training.model import Encoder, EncoderConfig, GroupedLinear  # noqa: E402
from training.permute import (  # noqa: E402
    apply_grouping,
    identity_grouping,
    input_second_moments,
    kept_fraction,
    layer_importances,
    search_grouping,
)
from training.reconstruct import reconstruct  # noqa: E402

TINY = EncoderConfig(
    vocab_size=50, hidden=16, layers=2, heads=4, intermediate=32, max_positions=16, dropout=0.0
)


def _inputs(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, TINY.vocab_size, (3, 10), generator=generator)
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0
    return ids, mask


def test_permutation_keeps_the_dense_function_and_never_keeps_less() -> None:
    torch.manual_seed(0)
    encoder = Encoder(TINY).eval()
    encoder.set_alpha(1.0)
    ids, mask = _inputs()
    before = encoder(ids, mask)[0][-1]
    moments = input_second_moments(encoder, [(ids, mask)])
    imps = layer_importances(encoder, moments)
    grouping = search_grouping(imps, TINY.q_groups, restarts=2, rounds=4)
    plain = kept_fraction(imps, identity_grouping(imps, TINY.q_groups), TINY.q_groups)
    assert kept_fraction(imps, grouping, TINY.q_groups) >= plain
    apply_grouping(encoder, grouping)
    after = encoder(ids, mask)[0][-1]
    order = torch.from_numpy(grouping.hidden.argsort(kind="stable"))
    torch.testing.assert_close(after, before[..., order], atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.0])
def test_grouped_linear_modes_agree(alpha: float) -> None:
    torch.manual_seed(1)
    layer = GroupedLinear(16, 32, groups=4)
    x = torch.randn(2, 5, 16)
    layer.alpha = alpha
    kept = layer.mask + alpha * (1 - layer.mask)
    expected = torch.nn.functional.linear(x, layer.weight * kept, layer.bias)
    torch.testing.assert_close(layer(x), expected)
    if alpha == 0.0:
        layer.freeze_for_export()
        torch.testing.assert_close(layer(x), expected)


def test_length_buckets_cover_every_index_once_within_the_token_budget() -> None:
    lengths = [3, 17, 5, 9, 30, 2, 2, 11, 8, 25]
    batches = bucketed_batches(lengths, max_tokens=40, max_batch=4, seed=3)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= 4
        assert len(batch) == 1 or max(lengths[i] for i in batch) * len(batch) <= 40


def test_a_resumed_loop_sees_the_batches_an_unbroken_one_would() -> None:
    def epoch_batches(epoch: int) -> list[tuple[int, int]]:
        return [(epoch, i) for i in range(3)]

    def run(progress: Progress, total: int, seen: list) -> Progress:
        def step(batch, _step):
            seen.append(batch)
            return {}

        saved: list[Progress] = []
        return train_loop(progress, total, epoch_batches, step, saved.append, _log(), 100, 1e9)

    unbroken: list = []
    run(Progress(), 7, unbroken)
    resumed: list = []
    halfway = run(Progress(), 4, resumed)
    run(Progress(**halfway.as_dict()), 7, resumed)
    assert resumed == unbroken


def _log():
    import logging

    return logging.getLogger("test")


def _batch(ids: torch.Tensor, mask: torch.Tensor) -> Batch:
    return Batch(ids, mask, torch.zeros_like(ids), list(range(len(ids))))


@torch.no_grad()
def _layer_cosine(student: Encoder, teacher: Encoder, ids, mask) -> float:
    tokens = mask.bool()
    s, t = student(ids, mask)[0][-1], teacher(ids, mask)[0][-1]
    return float(torch.nn.functional.cosine_similarity(s[tokens], t[tokens], dim=-1).mean())


def test_least_squares_recovers_a_teacher_that_is_already_block_diagonal() -> None:
    """If a grouped student can express the teacher exactly, the refit must find it again."""
    torch.manual_seed(0)
    teacher = Encoder(TINY).eval()
    with torch.no_grad():
        for module in teacher.grouped_linears():
            module.weight.mul_(module.mask)  # zero off-diagonal: the teacher is a SqueezeBERT
    teacher.set_alpha(1.0)
    student = Encoder(TINY).eval()
    student.load_state_dict(teacher.state_dict())
    with torch.no_grad():
        for module in student.grouped_linears():
            module.weight.add_(torch.randn_like(module.weight) * 0.5)
    student.set_alpha(0.0)
    batches = [_inputs(seed) for seed in range(8)]
    ids, mask = _inputs(99)
    assert _layer_cosine(student, teacher, ids, mask) < 0.99
    reconstruct(student, teacher, [_batch(ids, mask) for ids, mask in batches], ridge=1e-8)
    assert _layer_cosine(student, teacher, ids, mask) > 0.999


def test_least_squares_brings_a_cut_student_closer_to_its_dense_teacher() -> None:
    torch.manual_seed(1)
    teacher = Encoder(TINY).eval()
    teacher.set_alpha(1.0)
    student = Encoder(TINY).eval()
    student.load_state_dict(teacher.state_dict())
    student.set_alpha(0.0)
    ids, mask = _inputs(99)
    cut = _layer_cosine(student, teacher, ids, mask)
    reconstruct(student, teacher, [_batch(*_inputs(seed)) for seed in range(8)])
    assert _layer_cosine(student, teacher, ids, mask) > cut


def test_cutting_a_task_teacher_keeps_its_outputs_and_gives_a_refitted_student() -> None:
    """The permutation must reorder the heads too, or the teacher's logits would change."""
    import logging

    from training.model import Classifier
    from training.task_conversion import cut_teacher

    torch.manual_seed(2)
    heads = {"sentiment": 2, "intent": 5}
    teacher = Classifier(TINY, heads).eval()
    with torch.no_grad():  # weights large enough that the cut visibly changes the output
        for module in teacher.encoder.modules():
            if isinstance(module, GroupedLinear):
                module.weight.normal_(std=0.3)
    teacher.encoder.set_alpha(1.0)
    student = Classifier(TINY, heads)
    inputs = [
        ids[row][mask[row].bool()].tolist()
        for ids, mask in map(_inputs, range(6))
        for row in range(3)
    ]
    ids, mask = _inputs(99)
    before = teacher(ids, mask)
    cfg = {"seed": 0, "reconstruct_sequences": 12, "ridge": 1e-3}
    words = {"task": "t", "dense_stage": "d", "inputs": "i", "outputs": "o"}
    report = cut_teacher(
        teacher,
        student,
        list(teacher.heads.values()),
        (inputs, None),
        (inputs[:6], None),
        cfg,
        words,
        logging.getLogger("test"),
    )
    after = teacher(ids, mask)
    for name in heads:
        torch.testing.assert_close(after[name], before[name], atol=1e-5, rtol=1e-4)
    cosines = report["one_shot_cosine_per_layer_heldout"]
    assert cosines["least_squares"][-1] > cosines["cut"][-1]
    assert report["kept_importance_permuted"] >= report["kept_importance_plain_cut"]
    assert "12 i" in report["method"]
    assert all(m.alpha == 0.0 for m in student.encoder.grouped_linears())


def test_a_teacher_is_realigned_to_a_student_cut_in_a_lost_order() -> None:
    """qa-more continues a finished student whose cut order was not kept: the hidden order and
    every layer's head order must be found again from the weights and attention maps."""
    from training.permute import align_to_student, apply_orders

    torch.manual_seed(5)
    teacher = Encoder(TINY).eval()
    teacher.set_alpha(1.0)
    with torch.no_grad():  # distinct heads, so their attention maps tell them apart
        for module in teacher.modules():
            if isinstance(module, GroupedLinear):
                module.weight.normal_(std=0.5)
    student = Encoder(TINY).eval()
    student.load_state_dict(teacher.state_dict())
    student.set_alpha(1.0)
    hidden = torch.randperm(TINY.hidden)
    heads = [torch.randperm(TINY.heads) for _ in range(TINY.layers)]
    apply_orders(student, hidden, heads, [torch.randperm(TINY.intermediate)] * TINY.layers)
    cut = {k: v.clone() for k, v in student.state_dict().items()}
    with torch.no_grad():  # some training since the cut
        for param in student.parameters():
            param.add_(0.01 * torch.randn_like(param))

    found = align_to_student(teacher, student, [_inputs(seed) for seed in range(4)])

    assert torch.equal(found, hidden)
    aligned = teacher.state_dict()
    for name, value in cut.items():  # the FFN's inner order is free: hidden states ignore it
        if (".intermediate." not in name and ".output." not in name) or "attention" in name:
            assert torch.equal(aligned[name], value), name


def test_a_student_run_is_cut_once_and_resumed_from_its_checkpoint(tmp_path) -> None:
    from training.model import Classifier
    from training.task_conversion import resume_or_start

    torch.manual_seed(3)
    heads = {"sentiment": 2}
    teacher, student = Classifier(TINY, heads), Classifier(TINY, heads)
    path = tmp_path / "state.pt"
    cuts: list[int] = []

    def cut() -> dict:
        cuts.append(1)
        return {"method": "m"}

    state = resume_or_start(student, teacher, path, {"progress": {}}, cut)
    assert cuts == [1] and state["conversion"] == {"method": "m"} and path.exists()
    saved = {k: v.clone() for k, v in student.state_dict().items()}
    again = Classifier(TINY, heads)
    resumed = resume_or_start(again, Classifier(TINY, heads), path, {"progress": {}}, cut)
    assert cuts == [1] and resumed["conversion"] == {"method": "m"}
    for name, value in again.state_dict().items():
        torch.testing.assert_close(value, saved[name])
