"""The shared learning-rate schedule: warm-up, linear decay, and restarts that extend a run."""

import itertools

import pytest

pytest.importorskip("torch")

from training.loop import warmup_linear


def test_warms_up_then_decays_to_zero_at_the_last_step() -> None:
    factors = [warmup_linear(step, 100, 0.1) for step in range(101)]
    assert factors[0] == pytest.approx(0.1)
    assert factors[9] == pytest.approx(1.0)
    assert factors[10] == pytest.approx(1.0)
    assert factors[55] == pytest.approx(0.5)
    assert factors[100] == 0.0
    assert all(a >= b for a, b in itertools.pairwise(factors[10:]))


def test_a_restart_keeps_the_first_run_and_schedules_the_extension_anew() -> None:
    extended = [warmup_linear(step, 300, 0.1, restart_at=[100]) for step in range(300)]
    assert extended[:100] == [warmup_linear(step, 100, 0.1) for step in range(100)]
    assert extended[100:] == pytest.approx([warmup_linear(step, 200, 0.1) for step in range(200)])
