"""The accuracy benchmark's results file when only some tasks are re-scored (no data sets)."""

import json
from types import SimpleNamespace

from benchmarks import accuracy


def test_rescoring_one_task_keeps_the_others_numbers_and_their_bundle_versions(
    tmp_path, monkeypatch
) -> None:
    out = tmp_path / "accuracy-int8.json"
    out.write_text(
        json.dumps(
            {
                "label": "int8",
                "bundles": {"squeezebert-classify": "1.4.0", "squeezebert-qa": "0.2.0"},
                "sentiment": {"sst2_dev_accuracy": 90.8},
                "qa": {"squad_dev_f1": 65.6},
            }
        )
    )
    only_qa = SimpleNamespace(
        bundles=lambda: [SimpleNamespace(name="squeezebert-qa", version="0.3.0")]
    )
    monkeypatch.setattr(accuracy, "RESULTS", tmp_path)
    monkeypatch.setattr(accuracy, "Engine", lambda models_dir: only_qa)
    monkeypatch.setattr(
        accuracy, "evaluate", lambda engine, tasks, limit: {"qa": {"squad_dev_f1": 71.8}}
    )

    accuracy.main(["--tasks", "qa"])

    written = json.loads(out.read_text())
    assert written["bundles"] == {"squeezebert-classify": "1.4.0", "squeezebert-qa": "0.3.0"}
    assert written["sentiment"] == {"sst2_dev_accuracy": 90.8}
    assert written["qa"] == {"squad_dev_f1": 71.8}
