"""What a run on a lent GPU machine relies on: its own configs, the deadline stop and the transfer
back (needs the [train] extra's torch)."""

import logging
import time

import pytest

torch = pytest.importorskip("torch")

from training import device_transfer  # noqa: E402
from training.common import load_checkpoint, load_config, run_config, save_checkpoint  # noqa: E402
from training.loop import DEADLINE_ENV, Progress, train_loop  # noqa: E402
from training.model import Encoder, EncoderConfig, GroupedLinear  # noqa: E402

QUIET = logging.getLogger("test.device_runs")
TINY = EncoderConfig(
    vocab_size=50, hidden=16, layers=2, heads=4, intermediate=32, max_positions=16, dropout=0.0
)


@pytest.mark.parametrize("stage", ["qa", "classify"])
def test_a_gpu_run_reads_its_own_config_with_the_same_windows_and_seed(stage, monkeypatch) -> None:
    cpu = run_config(stage, dense=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    gpu = run_config(stage, dense=False)
    gpu_file = load_config(f"{stage}-gpu")
    assert gpu == {k: v for k, v in gpu_file.items() if k != "student"} | gpu_file["student"]
    for key in ("seed", "max_len", "stride"):  # export and the tuning split read the CPU file
        assert gpu.get(key) == cpu.get(key)


def test_a_run_past_its_deadline_stops_and_still_saves(monkeypatch) -> None:
    monkeypatch.setenv(DEADLINE_ENV, str(time.time() + 0.3))
    steps, saved = [], []

    def slow_step(_batch, step: int) -> dict[str, float]:
        time.sleep(0.1)
        steps.append(step)
        return {}

    progress = train_loop(
        Progress(), 1000, lambda _epoch: range(10), slow_step, saved.append, QUIET, 10, 60
    )
    assert 1 <= progress.step < 10
    assert steps == list(range(progress.step))
    assert saved[-1].step == progress.step


def test_pack_and_unpack_bring_a_student_back_in_fp16(tmp_path, monkeypatch) -> None:
    torch.manual_seed(0)
    minilm, student = Encoder(TINY), Encoder(TINY)
    model = {f"encoder.{k}": v for k, v in student.state_dict().items()}
    frozen = "encoder.word_embeddings.weight"
    model[frozen] = minilm.word_embeddings.weight.detach().clone()  # still MiniLM's: not sent
    monkeypatch.setattr(device_transfer, "EncoderConfig", lambda: TINY)
    monkeypatch.setattr(
        device_transfer,
        "_minilm",
        lambda: {f"encoder.{k}": v for k, v in minilm.state_dict().items()},
    )
    monkeypatch.setattr(device_transfer, "PART_BYTES", 2048)
    monkeypatch.setattr(device_transfer, "RUNS_DIR", tmp_path / "gpu")
    save_checkpoint(tmp_path / "gpu" / "qa" / "model.pt", {"model": model, "curve": [{"f1": 1}]})
    (tmp_path / "gpu" / "qa" / "train.log").write_text("trained\n")

    parts = device_transfer.pack("qa", tmp_path / "out")
    monkeypatch.setattr(device_transfer, "RUNS_DIR", tmp_path / "here")
    assert len(parts) > 1
    assert device_transfer.unpack(tmp_path / "out") == ["qa"]
    back = load_checkpoint(tmp_path / "here" / "qa" / "model.pt")
    assert back["curve"] == [{"f1": 1}]
    masks = {
        f"encoder.{name}.weight": module.mask
        for name, module in student.named_modules()
        if isinstance(module, GroupedLinear) and module.groups > 1
    }
    assert masks
    for key, value in model.items():  # unused off-diagonal blocks come back as zeros
        expected = (value * masks.get(key, 1.0)).half().float()
        torch.testing.assert_close(back["model"][key], expected, rtol=0, atol=0)
    assert (tmp_path / "out" / "qa.log").read_text() == "trained\n"
