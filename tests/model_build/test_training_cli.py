"""`python -m training`'s arguments (no torch: nothing trains here)."""

import pytest

from training.__main__ import main


@pytest.mark.parametrize("stage", ["qa", "export", "all"])
def test_task_is_refused_outside_the_classify_stages(
    stage: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", ["training", stage, "--task", "sentiment"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert "--task goes with classify-dense or classify" in capsys.readouterr().err


def test_unknown_task_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["training", "classify", "--task", "qa"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
