"""The command line on the real engine with the tiny hand-made bundles the engine tests build.

The fake-engine tests pin the CLI's own behaviour; these prove it fits the real engine's results,
bundle reports and errors (the tiny models follow keywords: good/bad, hello/bye/weather, and
QA answers "zebra ... yak").
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from engine.conftest import build_tiny_models

from assistant.cli import main
from assistant.engine import bundle_check
from assistant.wording import UNSURE_SENTIMENT_NOTE


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_models(tmp_path_factory.mktemp("cli-models"))


@pytest.fixture
def models(tiny_dir: Path, tmp_path: Path) -> Path:
    """A copy of the tiny models for a test to damage."""
    return Path(shutil.copytree(tiny_dir, tmp_path / "models"))


def run(capsys: pytest.CaptureFixture[str], models: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--models-dir", str(models), "--threads", "1", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_sentiment_and_intent(capsys: pytest.CaptureFixture[str], tiny_dir: Path) -> None:
    code, out, _ = run(capsys, tiny_dir, "sentiment", "good and great. bad and awful.")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4
    assert lines[1].split()[0] == "positive" and lines[2].split()[0] == "negative"
    assert lines[3] == f"  note: {UNSURE_SENTIMENT_NOTE}"  # mixed: 0.50 overall
    code, out, _ = run(capsys, tiny_dir, "--json", "intent", "weather rain", "zebra yak")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert (records[0]["label"], records[0]["domain"]) == ("weather", "utility")
    assert records[1]["is_oos"] is True


def test_ask(capsys: pytest.CaptureFixture[str], tiny_dir: Path, tmp_path: Path) -> None:
    context = "the zebra is a yak and it is good"
    (tmp_path / "context.txt").write_text(context, encoding="utf-8")
    code, out, _ = run(
        capsys, tiny_dir, "--json", "ask", "what is it", "--context", str(tmp_path / "context.txt")
    )
    best = json.loads(out)["answers"][0]
    assert code == 0 and best["answer"] == "zebra is a yak"
    assert context[best["start"] : best["end"]] == best["answer"]


def test_batch_and_models(
    capsys: pytest.CaptureFixture[str], tiny_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "in.txt").write_bytes(b"hello good\n\x81\nbye bad\n")
    code, out, err = run(capsys, tiny_dir, "batch", str(tmp_path / "in.txt"))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and "3 items" in err
    assert [(r["sentiment"], r["intent"]) for r in rows] == [
        ("positive", "greeting"),
        (None, None),
        ("negative", "goodbye"),
    ]
    code, out, _ = run(capsys, tiny_dir, "models")
    assert code == 0 and "tiny-classify 0.0.1  sentiment, intent" in out
    assert "tiny-qa 0.0.2  qa" in out and "SHA-256 ok" in out


def test_self_test_reports_each_check(
    capsys: pytest.CaptureFixture[str], tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    sha256_of = bundle_check.sha256_of
    monkeypatch.setattr(
        bundle_check, "sha256_of", lambda path: (hashed.append(path), sha256_of(path))[1]
    )
    code, out, _ = run(capsys, tiny_dir, "--self-test")
    verdicts = [line.split()[0] for line in out.splitlines()[:-1]]
    assert len(verdicts) == 6 and set(verdicts) <= {"PASS", "FAIL"}
    assert code == (0 if "FAIL" not in verdicts else 3)
    listed = json.loads((tiny_dir / "manifest.json").read_text())["bundles"].values()
    # Each listed file is hashed once, when its bundle loads.
    assert len(hashed) == len(set(hashed)) == sum(len(entry["files"]) for entry in listed)


@pytest.fixture
def unreadable_config(models: Path, tmp_path: Path) -> Path:
    """A copy of the tiny models whose tiny-classify config.json is not JSON."""
    (models / "tiny-classify" / "config.json").write_text("x")
    return models


def test_self_test_fails_on_a_bundle_whose_config_is_unreadable(
    capsys: pytest.CaptureFixture[str], unreadable_config: Path
) -> None:
    code, out, _ = run(capsys, unreadable_config, "--self-test")
    assert code == 3
    assert "FAIL  bundle     tiny-classify: config.json is not valid JSON (" in out
    assert "at line 1, column 1)" in out
    assert (
        "FAIL  sentiment  model bundle: No usable model bundle for sentiment is installed." in out
    )
    assert "FAIL  intent     model bundle: No usable model bundle for intent is installed." in out
    assert len([line for line in out.splitlines() if " qa " in line]) == 2  # QA's still run


def test_self_test_fails_on_a_bundle_left_out_of_the_manifest(
    capsys: pytest.CaptureFixture[str], models: Path, tmp_path: Path
) -> None:
    manifest = json.loads((models / "manifest.json").read_text())
    del manifest["bundles"]["tiny-qa"]
    (models / "manifest.json").write_text(json.dumps(manifest))
    code, out, _ = run(capsys, models, "--self-test")
    assert code == 3 and "SKIP" not in out and "all checks passed" not in out
    qa = [line for line in out.splitlines() if " qa " in line]
    assert qa == [
        "FAIL  qa         model bundle: No model bundle for question answering is installed."
    ]
    code, out, _ = run(capsys, models, "--self-test", "--json")
    checks = [json.loads(line) for line in out.splitlines()]
    assert code == 3 and [c for c in checks if c["task"] == "qa"] == [
        {
            "task": "qa",
            "name": "model bundle",
            "passed": False,
            "detail": "No model bundle for question answering is installed.",
        }
    ]


def test_tampered_model_exits_3(
    capsys: pytest.CaptureFixture[str],
    models: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with (models / "tiny-classify" / "model.onnx").open("ab") as stream:
        stream.write(b"tampered")
    code, _, err = run(capsys, models, "sentiment", "good")
    assert code == 3 and "bytes, where manifest.json lists" in err and "Traceback" not in err
    code, out, _ = run(capsys, models, "models")
    assert code == 3 and "PROBLEM" in out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"the zebra is a yak")))
    code, out, _ = run(capsys, models, "--json", "ask", "what", "--context", "-")
    assert code == 0 and json.loads(out)["answers"]  # the QA bundle is intact and still works


def test_models_names_an_unreadable_manifest_in_one_line_and_how_to_mend_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """As Tools → Models does: the problem alone left the person stuck; reinstalling would not
    mend a folder --models-dir names."""
    (tmp_path / "manifest.json").write_text("not json", encoding="utf-8")
    code, out, _ = run(capsys, tmp_path, "models")
    assert code == 3
    assert out == (
        f"manifest.json in {tmp_path}  PROBLEM: {tmp_path / 'manifest.json'} is not valid JSON"
        " (Expecting value at line 1, column 1)\n"
        f"  The models come from {tmp_path} alone, which --models-dir names: mend the bundles"
        " there or name another folder, or leave out --models-dir to use the models Squeeze"
        " Assistant came with.\n"
    )


def test_models_fails_a_bundle_whose_manifest_lists_no_files(
    capsys: pytest.CaptureFixture[str], models: Path, tmp_path: Path
) -> None:
    manifest = json.loads((models / "manifest.json").read_text())
    manifest["bundles"]["tiny-qa"]["files"] = {}
    (models / "manifest.json").write_text(json.dumps(manifest))
    code, out, _ = run(capsys, models, "models")
    assert code == 3
    assert "tiny-qa 0.0.2  qa" in out and "PROBLEM: file model.onnx is not listed" in out


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGTERM or SIGHUP to send")
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_terminated_batch_leaves_no_unfinished_file(
    tiny_dir: Path, tmp_path: Path, name: str
) -> None:
    (tmp_path / "in.txt").write_text("hello good\n" * 200_000, encoding="utf-8")
    batch = subprocess.Popen(
        [sys.executable, "-m", "assistant", "--models-dir", str(tiny_dir), "--threads", "2",
         "batch", str(tmp_path / "in.txt"), "-o", str(tmp_path / "out.csv")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.csv.*.partial")) and time.monotonic() < deadline:
        time.sleep(0.05)
    number = getattr(signal, name)
    batch.send_signal(number)
    batch.send_signal(number)  # as `timeout` does: one to the process, one to its group
    _, err = batch.communicate(timeout=60)
    assert batch.returncode == 128 + number, err
    assert [p.name for p in tmp_path.iterdir()] == ["in.txt"]


def test_models_calls_a_broken_config_no_checksum_problem(
    capsys: pytest.CaptureFixture[str], unreadable_config: Path
) -> None:
    """It read "tiny-classify 0.0.1    … SHA-256 PROBLEM: config.json is not valid JSON"."""
    code, out, _ = run(capsys, unreadable_config, "models")
    line = next(line for line in out.splitlines() if line.startswith("tiny-classify"))
    assert code == 3 and "  no tasks  " in line
    assert "  PROBLEM: config.json is not valid JSON" in line and "SHA-256" not in line


def test_one_text_that_cannot_be_analysed_costs_only_its_own_result(
    capsys: pytest.CaptureFixture[str], tiny_dir: Path
) -> None:
    """`intent hello ""` printed only "The text #2 is empty" and no result for "hello"."""
    code, out, err = run(capsys, tiny_dir, "intent", "hello", "", "weather")
    assert code == 2
    assert [line.split()[0] for line in out.splitlines() if not line.startswith(" ")] == [
        "greeting",
        "weather",
    ]
    assert err == "assistant: text #2: The text is empty; there is nothing to analyse.\n"
    code, out, _ = run(capsys, tiny_dir, "--json", "sentiment", "good", " ")
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 2 and first["label"] == "positive"
    assert second == {
        "text": " ",
        "error": "The text is empty; there is nothing to analyse.",
        "caveats": [],
    }


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "argv", [["sentiment", "good"], ["sentiment", "good", ""], ["--help"], ["--version"]]
)
def test_a_full_disk_under_standard_output_ends_in_exit_1_and_one_line(
    tiny_dir: Path, argv: list[str]
) -> None:
    """The result (or, after an error, the results before it) waited in the buffer until the
    interpreter's exit, whose failed flush printed "Exception ignored" and exited 120; help
    and the version, whose failure argparse drops, exited 0."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "assistant", "--models-dir", str(tiny_dir), *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
        )
    assert done.returncode == 1, done.stderr
    assert "cannot write standard output: No space left on device" in done.stderr
    assert "Exception ignored" not in done.stderr


def run_searching(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    dirs: list[Path],
    *argv: str,
) -> tuple[int, str, str]:
    """`run` without --models-dir, the engine searching ``dirs`` (SQUEEZE_ASSISTANT_MODELS's
    folder first, when set) instead of the installed folders."""
    import assistant.engine.engine as engine_module

    monkeypatch.setattr(engine_module, "search_dirs", lambda _dir: dirs)
    code = main(["--threads", "1", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_mistyped_models_variable_is_said_by_every_command(
    capsys: pytest.CaptureFixture[str],
    tiny_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It was skipped unsaid: `models` listed the shipped bundles (exit 0), the self-test
    passed, and an analysis answered from the shipped models as if from the named folder."""
    named = tmp_path / "my-modles"
    monkeypatch.setenv("SQUEEZE_ASSISTANT_MODELS", str(named))
    code, out, err = run_searching(capsys, monkeypatch, [named, tiny_dir], "sentiment", "good")
    assert code == 0 and out.startswith("positive")
    assert err == f"note: SQUEEZE_ASSISTANT_MODELS={named} is skipped: no such folder.\n"
    code, out, _ = run_searching(capsys, monkeypatch, [named, tiny_dir], "models")
    assert code == 3 and out.startswith(
        f"SQUEEZE_ASSISTANT_MODELS={named}  PROBLEM: no such folder\n"
        f"  The models come first from {named}, which SQUEEZE_ASSISTANT_MODELS names, but there"
        " is no such folder: correct SQUEEZE_ASSISTANT_MODELS, or unset it to use the models"
        " Squeeze Assistant came with.\n"  # not "mend the bundles there": there are none
    )
    code, out, _ = run_searching(capsys, monkeypatch, [named, tiny_dir], "--self-test")
    assert code == 3
    assert f"FAIL  bundle     SQUEEZE_ASSISTANT_MODELS={named}: no such folder\n" in out


def test_a_model_error_says_how_to_mend_the_bundle_where_it_is(
    capsys: pytest.CaptureFixture[str],
    models: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Exit 3 said what was wrong and not what to do, which the window's hint says."""
    model = models / "tiny-classify" / "model.onnx"
    model.write_bytes(model.read_bytes()[:1000])
    code, _, err = run(capsys, models, "sentiment", "good")
    assert code == 3 and err.endswith(
        f" The models come from {models} alone, which --models-dir names: mend the bundles"
        " there or name another folder, or leave out --models-dir to use the models Squeeze"
        " Assistant came with; 'assistant models' shows each file's check.\n"
    )
    (tmp_path / "in.txt").write_text("hello\n", encoding="utf-8")
    monkeypatch.setenv("SQUEEZE_ASSISTANT_MODELS", str(models))
    code, _, err = run_searching(capsys, monkeypatch, [models], "batch", str(tmp_path / "in.txt"))
    assert code == 3 and err.endswith(
        f" The models come first from {models}, which SQUEEZE_ASSISTANT_MODELS names: mend the"
        " bundles there or correct SQUEEZE_ASSISTANT_MODELS, or unset it to use the models"
        " Squeeze Assistant came with; 'assistant models' shows each file's check.\n"
    )
    monkeypatch.delenv("SQUEEZE_ASSISTANT_MODELS")
    code, _, err = run_searching(capsys, monkeypatch, [models], "intent", "hello")
    assert code == 3 and err.endswith(
        " Reinstalling Squeeze Assistant restores the models it came with; 'assistant models'"
        " shows each file's check.\n"
    )


def _one_bundle(tiny_dir: Path, name: str, folder: Path) -> Path:
    """A copy of the tiny bundle ``name`` alone in ``folder``, with its manifest."""
    shutil.copytree(tiny_dir / name, folder / name)
    manifest = json.loads((tiny_dir / "manifest.json").read_text())
    manifest["bundles"] = {name: manifest["bundles"][name]}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_a_model_error_is_mended_where_the_failing_bundle_is(
    capsys: pytest.CaptureFixture[str],
    tiny_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A shipped bundle broken, SQUEEZE_ASSISTANT_MODELS naming a good folder: `ask` said to
    mend the bundles in that folder, while `models` said reinstalling, under the same bundle;
    one added to the data folder was told reinstalling too."""
    named = _one_bundle(tiny_dir, "tiny-classify", tmp_path / "mine")
    shipped = Path(shutil.copytree(tiny_dir, tmp_path / "shipped"))
    (shipped / "tiny-qa" / "model.onnx").write_bytes(b"cut")
    (tmp_path / "context.txt").write_text("the zebra is a yak", encoding="utf-8")
    monkeypatch.setenv("SQUEEZE_ASSISTANT_MODELS", str(named))
    asked = ("ask", "what", "--context", str(tmp_path / "context.txt"))
    code, _, err = run_searching(capsys, monkeypatch, [named, shipped], *asked)
    assert code == 3 and err.endswith(
        " Reinstalling Squeeze Assistant restores the models it came with; 'assistant models'"
        " shows each file's check.\n"
    )
    monkeypatch.setenv("SQUEEZE_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    added = Path(shutil.copytree(shipped, tmp_path / "data" / "models"))
    code, _, err = run_searching(capsys, monkeypatch, [named, added], *asked)
    assert code == 3 and f" It is a bundle added to {added}, which reinstalling" in err


def test_models_says_what_mends_an_unreadable_manifest_of_the_data_folder(
    capsys: pytest.CaptureFixture[str],
    tiny_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It said "It is a bundle added to…" of a manifest.json."""
    monkeypatch.setenv("SQUEEZE_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    added = tmp_path / "data" / "models"
    added.mkdir(parents=True)
    (added / "manifest.json").write_text("{", encoding="utf-8")
    code, out, _ = run_searching(capsys, monkeypatch, [tiny_dir, added], "models")
    assert code == 3
    assert (
        f"\nmanifest.json in {added}  PROBLEM: {added / 'manifest.json'} is not valid JSON"
        " (Expecting property name enclosed in double quotes at line 1, column 2)\n"
        f"  {added / 'manifest.json'} lists the bundles added to {added}, which reinstalling"
        " leaves alone: correct it or remove it.\n"
    ) in out
