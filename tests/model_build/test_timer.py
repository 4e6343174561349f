"""The training timer counts time the run worked, not time it sat stopped."""

import pytest

pytest.importorskip("torch")

from training import common


class FakeClocks:
    """Wall and process-CPU clocks the test moves by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.wall = self.cpu = 0.0
        monkeypatch.setattr(common.time, "monotonic", lambda: self.wall)
        monkeypatch.setattr(common.time, "process_time", lambda: self.cpu)

    def advance(self, wall: float, cpu: float) -> None:
        self.wall += wall
        self.cpu += cpu


def test_working_time_counts_as_wall_time(monkeypatch: pytest.MonkeyPatch) -> None:
    clocks = FakeClocks(monkeypatch)
    timer = common.Timer(already_spent=60.0)
    clocks.advance(wall=5.0, cpu=9.0)  # two threads busy
    assert timer.spent == pytest.approx(65.0)
    clocks.advance(wall=5.0, cpu=1.0)  # one core, partly waiting on data
    assert timer.spent == pytest.approx(70.0)


def test_a_stopped_stretch_counts_only_the_cpu_it_used(monkeypatch: pytest.MonkeyPatch) -> None:
    clocks = FakeClocks(monkeypatch)
    timer = common.Timer()
    clocks.advance(wall=5.0, cpu=9.0)
    assert timer.spent == pytest.approx(5.0)
    clocks.advance(wall=2 * 3600.0, cpu=4.0)  # SIGSTOP mid-step for two hours
    assert timer.spent == pytest.approx(9.0)
    clocks.advance(wall=5.0, cpu=9.0)
    assert timer.spent == pytest.approx(14.0)
