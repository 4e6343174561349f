"""The command line end to end on a fake engine; exit codes also on a real engine, no models."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shlex
import subprocess
import sys
import types
from pathlib import Path

import pytest

from assistant import __main__ as entry
from assistant import __version__
from assistant.cli import main, sources
from assistant.engine import Sentiment
from assistant.wording import LONG_REQUEST_NOTE, LONG_REQUEST_WORDS, UNSURE_SENTIMENT_NOTE

from .conftest import FakeEngine, fake_bundle

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"assistant {__version__}\n"


def test_no_models_exits_3_and_says_so(
    capsys: pytest.CaptureFixture[str], empty_models: Path
) -> None:
    code, out, err = run(capsys, "--models-dir", str(empty_models), "sentiment", "I loved it")
    assert code == 3 and out == ""
    assert "No model bundle for sentiment is installed" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["models"], ["--self-test"], ["batch", "IN"]])
def test_no_models_other_commands_exit_3(
    capsys: pytest.CaptureFixture[str], empty_models: Path, tmp_path: Path, argv: list[str]
) -> None:
    (tmp_path / "in.txt").write_text("hello\n")
    argv = [str(tmp_path / "in.txt") if a == "IN" else a for a in argv]
    code, _, err = run(capsys, *argv, "--models-dir", str(empty_models))
    assert code == 3
    assert "No model bundle is installed" in err
    assert f"looked in {empty_models} (no manifest.json)" in err


def test_python_dash_m_without_models_prints_no_traceback(empty_models: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "--models-dir", str(empty_models), "intent", "hi"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 3
    assert "No model bundle" in done.stderr and "Traceback" not in done.stderr


def test_empty_text_exits_2(capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine) -> None:
    code, out, err = run(capsys, "sentiment", "   ")
    assert (code, out) == (2, "")
    assert "empty" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "Who?", "--context", "MISSING"],
        ["batch", "MISSING"],
        ["batch", "IN", "-o", "out.xlsx"],
        ["batch", "IN", "--column", "text"],
        ["--models-dir", "MISSING", "models"],
    ],
)
def test_bad_files_exit_2(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path, argv: list[str]
) -> None:
    (tmp_path / "in.txt").write_text("hello\n")
    names = {"MISSING": str(tmp_path / "missing.txt"), "IN": str(tmp_path / "in.txt")}
    code, out, err = run(capsys, *[names.get(a, a) for a in argv])
    assert (code, out) == (2, "")
    assert err.startswith("assistant: ") and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["batch", "x.txt", "--tasks", "qa"], "choose from"),
        (["sentiment"], "required"),
        (["--threads", "0", "models"], "from 1 to 256"),
        (["--threads", "100000", "models"], "from 1 to 256"),  # onnxruntime hung on it
        (["ask", "--top-k", "²", "q", "--context", "-"], "from 1 to 100, got '²'"),
        (["ask", "--top-k", "101", "q", "--context", "-"], "from 1 to 100, got '101'"),
        (["--models-dir", "", "models"], "expected a folder, got an empty path"),
        (["models", "--models-dir", ""], "expected a folder, got an empty path"),
        # An unset variable: "Cannot read : Is a directory", ". is a folder, not a file."
        (["ask", "q", "--context", ""], "--context: expected a file or -, got an empty path"),
        (["batch", ""], "INPUT: expected a file, got an empty path"),
        (["batch", "in.tsv", "-o", ""], "--output: expected a file, got an empty path"),
    ],
)
def test_bad_options_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    assert main(argv) == 2
    assert said in capsys.readouterr().err


def test_a_closed_standard_output_is_said_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout", None)  # what Python sets when started with `>&-`
    assert main(["sentiment", "I loved it"]) == 1
    assert "standard output is closed" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["sentiment", "--help"], ["--version"]])
def test_help_to_a_closed_standard_output_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    """argparse wrote it to stderr instead and exited 0, where the README says exit 1."""
    monkeypatch.setattr("sys.stdout", None)  # what Python sets when started with `>&-`
    assert main(argv) == 1
    assert capsys.readouterr().err == (
        "assistant: standard output is closed, so the help or version cannot be written.\n"
    )


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--json")
    assert code == 2 and "usage: assistant" in err


def test_sentiment_human_output_lists_sentences(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine
) -> None:
    code, out, _ = run(capsys, "sentiment", "I love it", "Great start. Awful end.")
    assert code == 0
    assert out.splitlines() == [
        "positive  0.90  I love it",
        "positive  0.90  Great start. Awful end.",
        "  positive  0.90  Great start",
        "  negative  0.90  Awful end.",
    ]
    assert fake_engine.calls == [("sentiment", 2)]


def test_an_unsure_sentiment_keeps_its_label_with_a_note_as_the_window_does(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neutral text got a flat verdict: "set an alarm for 7am", negative 0.68."""
    monkeypatch.setattr(fake_engine, "sentiment", lambda _text: Sentiment("negative", 0.68))
    code, out, _ = run(capsys, "sentiment", "set an alarm for 7am")
    assert code == 0
    assert out.splitlines() == [
        "negative  0.68  set an alarm for 7am",
        f"  note: {UNSURE_SENTIMENT_NOTE}",
    ]
    code, out, _ = run(capsys, "--json", "sentiment", "set an alarm for 7am")
    record = json.loads(out)
    assert (record["label"], record["score"]) == ("negative", 0.68)
    assert record["caveats"] == [UNSURE_SENTIMENT_NOTE]


@pytest.mark.parametrize("where", ["before", "after"])
def test_json_gives_one_object_per_input(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, where: str
) -> None:
    argv = ["intent", "weather tomorrow?", "hello"]
    argv = ["--json", *argv] if where == "before" else [*argv, "--json"]
    code, out, _ = run(capsys, *argv)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(records) == 2
    assert records[0]["text"] == "weather tomorrow?"
    assert (records[0]["label"], records[0]["domain"]) == ("weather", "utility")
    assert records[1]["is_oos"] is True
    assert {"label", "score", "alternatives"} <= set(records[1])


def test_intent_human_output(capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine) -> None:
    code, out, _ = run(capsys, "intent", "weather tomorrow?", "hello")
    assert code == 0
    assert out.splitlines() == [
        "weather  0.80  weather tomorrow?",
        "  Asks for the weather; domain utility; next: date 0.10",
        "oos      0.60  hello",
        "  out of scope; nearest: greeting 0.20",
    ]


def test_text_in_another_script_gets_a_note_but_json_keeps_its_shape(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine
) -> None:
    code, out, _ = run(capsys, "intent", "مرحبا كيف حالك", "hello")
    assert code == 0
    assert out.count("note: Most of this text is not written in the Latin alphabet") == 1
    assert out.splitlines()[2].startswith("  note: ")  # under the Arabic text, not under "hello"
    code, out, _ = run(capsys, "--json", "sentiment", "مرحبا كيف حالك")
    assert code == 0 and json.loads(out)["note"] is None


def test_sentiment_reads_stdin(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"so good\r\n\n")))
    code, out, _ = run(capsys, "--json", "sentiment", "-")
    record = json.loads(out)
    assert code == 0 and record["label"] == "positive"
    assert record["text"] == "so good"  # echo's line break is not part of the text


def test_standard_input_named_twice_exits_2(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine
) -> None:
    code, _, err = run(capsys, "sentiment", "-", "-")
    assert code == 2 and "read only once" in err


def test_ask_from_file_and_stdin(
    capsys: pytest.CaptureFixture[str],
    fake_engine: FakeEngine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context = "The tower was finished in 1889 by Gustave Eiffel."
    (tmp_path / "c.txt").write_text(context, encoding="utf-8")
    code, out, _ = run(capsys, "ask", "When was it done?", "--context", str(tmp_path / "c.txt"))
    assert code == 0 and out == "0.75  1889  (characters 26-30)\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(context.encode())))
    code, out, _ = run(capsys, "ask", "Who built it?", "--context", "-", "--top-k", "2", "--json")
    record = json.loads(out)
    assert code == 0 and record["question"] == "Who built it?"
    best = {"score": 0.75, "start": 34, "end": 48, "answer": "Gustave Eiffel"}
    assert record["answers"] == [best]


def test_ask_leaves_out_overlapping_answers_and_says_when_unsure(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "c.txt").write_text("The tower was finished in 1889 by Gustave Eiffel.")
    code, out, _ = run(
        capsys, "ask", "Unsure?", "--context", str(tmp_path / "c.txt"), "--top-k", "3"
    )
    assert code == 0
    assert out.splitlines() == [
        "0.15  Gustave Eiffel  (characters 34-48)",
        "0.05  1889  (characters 26-30)",
        "  note: Unsure: the text may not hold the answer to this question.",
    ]
    code, out, _ = run(
        capsys, "ask", "Unsure?", "--context", str(tmp_path / "c.txt"), "--top-k", "3", "--json"
    )
    assert [a["answer"] for a in json.loads(out)["answers"]] == [
        "Gustave Eiffel",
        "by Gustave Eiffel",
        "1889",
    ]  # scripts get the engine's answers as they are


def test_self_test_with_a_command_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-test", "sentiment", "hi"]) == 2
    assert "runs on its own" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"caf\xc3\xa9 \xff", "cannot be read as text: save it as UTF-8"),
        (b"PK\x03\x04\x00\x00zebra yak", "not a text file"),
    ],
)
def test_ask_context_that_is_not_text_exits_2(
    capsys: pytest.CaptureFixture[str],
    fake_engine: FakeEngine,
    tmp_path: Path,
    data: bytes,
    message: str,
) -> None:
    (tmp_path / "c.txt").write_bytes(data)
    code, _, err = run(capsys, "ask", "What?", "--context", str(tmp_path / "c.txt"))
    assert code == 2 and message in err


def test_a_context_read_as_windows_1252_says_so(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "c.txt").write_bytes(b"Built in 1889 by Gustave Eiffel, caf\xe9 owner.\nnext\n")
    code, out, err = run(capsys, "ask", "When was it done?", "--context", str(tmp_path / "c.txt"))
    assert code == 0 and "1889" in out
    assert "note: 1 line of" in err and "read as Windows-1252" in err


def test_ask_context_in_utf16_is_read(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "c.txt").write_bytes("Built in 1889 by Gustave Eiffel.".encode("utf-16"))
    code, out, _ = run(capsys, "ask", "When was it done?", "--context", str(tmp_path / "c.txt"))
    assert code == 0 and "1889" in out


def test_batch_txt_to_stdout_goes_on_after_bad_lines(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "in.txt").write_bytes(b"I love it, caf\xc3\xa9\nbad \x81\n\nweather today?\n")
    code, out, err = run(capsys, "batch", str(tmp_path / "in.txt"))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [row["index"] for row in rows] == [1, 2, 3, 4]
    assert rows[0]["sentiment"] == "positive" and rows[3]["intent"] == "weather"
    assert rows[1]["error"] == "not valid UTF-8 text" and rows[2]["error"] == "empty line"
    assert "4 items" in err and "2 errors" in err and "top intents:" in err
    assert "\r" not in err  # no progress bar when stderr is not a terminal


@pytest.mark.parametrize("rows_on_the_terminal", [False, True])
def test_batch_progress_bar_on_a_terminal_but_not_between_rows(
    capsys: pytest.CaptureFixture[str],
    fake_engine: FakeEngine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows_on_the_terminal: bool,
) -> None:
    (tmp_path / "in.txt").write_text("good\nbad\nfine\n")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: rows_on_the_terminal)
    code, _, err = run(capsys, "batch", str(tmp_path / "in.txt"), "--tasks", "sentiment")
    assert code == 0
    assert ("\r[" + "#" * 30 + "] 100%  3/3" in err) is not rows_on_the_terminal


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_batch_refuses_a_named_pipe_instead_of_waiting_forever(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.txt")
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "batch", str(tmp_path / "f.txt")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        f"assistant: {tmp_path / 'f.txt'} is not a regular file (a named pipe or a device, say):"
        " save the texts in a file and name it.\n"
    )


def test_a_batch_of_no_texts_leaves_an_earlier_output_alone(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "empty.csv").write_text("text\n", encoding="utf-8")
    (tmp_path / "prev.csv").write_text("yesterday\n", encoding="utf-8")
    code, _, err = run(
        capsys, "batch", str(tmp_path / "empty.csv"), "-o", str(tmp_path / "prev.csv")
    )
    assert code == 2 and "holds no texts" in err
    assert (tmp_path / "prev.csv").read_text(encoding="utf-8") == "yesterday\n"


def test_batch_says_which_column_it_guessed(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "in.csv").write_text("Nr;Kommentar\n1;Sehr gut\n", encoding="utf-8")
    code, _, err = run(capsys, "batch", str(tmp_path / "in.csv"), "--tasks", "sentiment")
    assert code == 0 and "so 'Kommentar' is read; choose another with --column" in err


def test_batch_csv_to_csv_with_summary(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "in.csv").write_text("id,review\n1,great film\n2,dull film\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    code, out, _ = run(
        capsys,
        "batch",
        str(tmp_path / "in.csv"),
        "--column",
        "review",
        "-o",
        str(output),
        "--tasks",
        "sentiment",
    )
    assert code == 0
    lines = output.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("index,text,sentiment,sentiment_score,intent")
    assert lines[1:] == ["1,great film,positive,0.9,,,,,,", "2,dull film,negative,0.9,,,,,,"]
    assert "sentiment: positive 1 (50%), negative 1 (50%)" in out
    assert f"results written to {output}" in out


def test_batch_jsonl_with_json_summary(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "in.jsonl").write_text('{"text": "transfer money"}\n', encoding="utf-8")
    output = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, "--json", "batch", str(tmp_path / "in.jsonl"), "-o", str(output))
    summary = json.loads(out)
    assert code == 0 and summary["items"] == 1 and summary["intents"] == {"transfer": 1}
    assert json.loads(output.read_text())["intent_domain"] == "banking"


def test_batch_rows_say_what_an_intent_covers(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "in.txt").write_text("weather tomorrow?\ntransfer money\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    code, _, _ = run(capsys, "batch", str(tmp_path / "in.txt"), "-o", str(output))
    rows = list(csv.DictReader(output.open(encoding="utf-8-sig")))
    assert code == 0
    assert [row["intent_description"] for row in rows] == ["Asks for the weather", ""]


def test_batch_empty_file_exits_2(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "in.txt").write_text("")
    code, _, err = run(capsys, "batch", str(tmp_path / "in.txt"))
    assert code == 2 and "no texts" in err


def test_batch_refuses_to_write_over_its_input(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("text\nI want to transfer money\n")
    code, _, err = run(capsys, "batch", str(source), "-o", str(tmp_path / "." / "in.csv"))
    assert code == 2 and "is the input file" in err
    assert source.read_text() == "text\nI want to transfer money\n"


def test_batch_with_no_texts_leaves_no_output_file(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "in.csv").write_text("id,text\n")
    output = tmp_path / "out.csv"
    code, _, err = run(capsys, "batch", str(tmp_path / "in.csv"), "-o", str(output))
    assert code == 2 and "no texts" in err and not output.exists()


def test_models_lists_bundles(capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine) -> None:
    code, out, _ = run(capsys, "models")
    assert code == 0
    assert out.splitlines()[0] == "fake-classify 1.0.0  sentiment, intent, qa  2.5 MB  SHA-256 ok"
    assert "  sentiment: accuracy on SST-2 dev (movie-review sentences): 90.5%" in out
    code, out, _ = run(capsys, "models", "--json")
    assert json.loads(out)["files"][0]["state"] == "ok"


def test_models_exit_3_on_tampered_bundle(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = FakeEngine([fake_bundle(state="mismatch")])
    monkeypatch.setattr("assistant.cli.make_engine", lambda models_dir, threads: engine)
    code, out, _ = run(capsys, "models")
    assert code == 3 and "PROBLEM: file model.onnx fails its SHA-256 check" in out


def test_self_test_passes_on_sensible_answers(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine
) -> None:
    code, out, _ = run(capsys, "--self-test")
    assert code == 0
    assert out.count("PASS") == 6 and out.rstrip().endswith("Self-test: all checks passed.")


def test_self_test_fails_on_wrong_answers(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fake_engine, "sentiment", lambda text: FakeEngine().sentiment("meh"))
    monkeypatch.setattr(fake_engine, "intent", lambda text: FakeEngine().intent("hello"))
    code, out, _ = run(capsys, "--self-test", "--json")
    checks = [json.loads(line) for line in out.splitlines()]
    assert code == 3
    assert [c["passed"] for c in checks if c["task"] == "sentiment"] == [False, True]
    assert [c["passed"] for c in checks if c["task"] == "intent"] == [False, False]
    assert all(c["passed"] for c in checks if c["task"] == "qa")


def test_self_test_fails_on_a_task_no_installed_bundle_serves(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier_only = dataclasses.replace(fake_bundle(), tasks=("sentiment", "intent"))
    engine = FakeEngine([classifier_only])
    monkeypatch.setattr("assistant.cli.make_engine", lambda models_dir, threads: engine)
    code, out, _ = run(capsys, "--self-test")
    assert code == 3 and out.count("PASS") == 4 and "SKIP" not in out
    assert (
        "FAIL  qa         model bundle: No model bundle for question answering is installed.\n"
        in out
    )
    assert out.count("FAIL") == 1 and out.endswith(
        "Self-test: 1 of 5 checks failed. Reinstalling Squeeze Assistant restores the models it"
        " came with; 'assistant models' shows each file's check.\n"
    )


def test_entry_point_opens_the_gui_without_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    gui = types.ModuleType("assistant.gui.main")
    gui.main = lambda smoke=False: 8 if smoke else 7  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "assistant.gui.main", gui)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert entry.main([]) == 7
    assert entry.main(["--gui-smoke"]) == 8  # the installer's check of the real window


def test_entry_point_without_a_display_explains_instead_of_crashing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert entry.main([]) == 1
    assert "no display" in capsys.readouterr().err


def test_entry_point_runs_the_cli_with_arguments(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine
) -> None:
    assert entry.main(["sentiment", "good"]) == 0
    assert capsys.readouterr().out.startswith("positive")


@pytest.mark.skipif(
    not (REPO / "resources" / "models" / "manifest.json").is_file(),
    reason="no model bundles in resources/models yet",
)
def test_real_bundled_sentiment(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--json", "sentiment", "I absolutely loved this film.")
    assert code == 0, err
    assert json.loads(out)["label"] == "positive"


def test_batch_reads_a_column_whose_name_holds_a_text_word(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "in.csv").write_text(
        "review_id,review_date,reviewTitle,reviewText\n1,2024-01-02,Nice,great hotel\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "batch", str(tmp_path / "in.csv"), "--tasks", "sentiment")
    assert code == 0 and json.loads(out)["text"] == "great hotel"  # not the date, not the id
    assert "so 'reviewText' is read" in err  # not named just "text": it says which it took


def test_a_batch_in_which_no_text_could_be_analysed_exits_2(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    (tmp_path / "in.jsonl").write_text('{"id": 1, "r": "5"}\n{"id": 2, "r": "4"}\n')
    code, out, err = run(capsys, "batch", str(tmp_path / "in.jsonl"), "--tasks", "sentiment")
    assert code == 2 and len(out.splitlines()) == 2  # the rows still say what went wrong
    assert "No text of" in err and "Choose it with --column" in err
    code, _, _ = run(capsys, "batch", str(tmp_path / "in.jsonl"), "--column", "R")  # any case
    assert code == 0
    new = tmp_path / "new.csv"
    code, out, err = run(capsys, "--json", "batch", str(tmp_path / "in.jsonl"), "-o", str(new))
    assert code == 2 and f"{new} was not written" in err and not new.exists()
    assert json.loads(out)["output"] is None  # the summary does not claim a file
    earlier = tmp_path / "out.csv"
    earlier.write_text("yesterday's results\n", encoding="utf-8")
    code, _, err = run(capsys, "batch", str(tmp_path / "in.jsonl"), "-o", str(earlier))
    assert code == 2 and "was left as it was" in err and "results written" not in err
    assert earlier.read_text(encoding="utf-8") == "yesterday's results\n"


def test_json_is_utf_8_whatever_the_console_s_code_page(
    fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="cp1252"))
    assert main(["--json", "sentiment", "Great 😍 café", "odd \ud800 good"]) == 0
    sys.stdout.flush()
    records = [json.loads(line) for line in raw.getvalue().decode("utf-8").splitlines()]
    assert records[0]["text"] == "Great 😍 café"
    assert records[1]["text"] == "odd \ud800 good"  # a lone surrogate (Windows argv), escaped


@pytest.mark.skipif(os.name != "posix", reason="Windows passes arguments as text")
def test_argument_bytes_the_locale_could_not_decode_are_read_as_a_file_s(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine
) -> None:
    in_c_locale = "J'adore ça".encode().decode("ascii", "surrogateescape")  # LC_ALL=C's argv
    code, out, _ = run(capsys, "--json", "sentiment", in_c_locale, "caf\udce9 good")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["text"] for r in records] == ["J'adore ça", "café good"]


@pytest.mark.skipif(os.name != "posix", reason="Windows passes arguments as text")
@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["--json", "sentiment", "good", "DAMAGED"], "TEXT"),
        (["ask", "DAMAGED", "--context", "-"], "QUESTION"),
        (["batch", "in.txt", "--column", "DAMAGED"], "--column"),
    ],
)
def test_argument_bytes_no_encoding_reads_are_refused_like_standard_input_s(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, argv: list[str], name: str
) -> None:
    damaged = "caf\udcc3\udca9 \udce9 good"  # UTF-8 with a stray byte: lone surrogates in JSON
    code = main([damaged if a == "DAMAGED" else a for a in argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert f"argument {name}: some bytes of 'café \ufffd good' cannot be read as text" in err


def test_json_carries_the_notes_the_text_output_prints(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--json", "sentiment", "مرحبا كيف حالك")
    assert code == 0 and "Latin alphabet" in json.loads(out)["caveats"][0]
    code, out, _ = run(capsys, "--json", "intent", "hello")
    assert code == 0 and json.loads(out)["caveats"] == []
    email = "weather " * (LONG_REQUEST_WORDS + 1)  # the window calls its intent a rough guide
    code, out, _ = run(capsys, "--json", "intent", email)
    assert code == 0 and json.loads(out)["caveats"] == [LONG_REQUEST_NOTE]
    code, out, _ = run(capsys, "intent", email)
    assert code == 0 and out.splitlines()[2] == f"  note: {LONG_REQUEST_NOTE}"
    (tmp_path / "c.txt").write_text("Built in 1889 by Gustave Eiffel.", encoding="utf-8")
    code, out, _ = run(capsys, "--json", "ask", "Unsure?", "--context", str(tmp_path / "c.txt"))
    assert code == 0 and json.loads(out)["caveats"][0].startswith("Unsure")


def test_control_characters_in_a_text_do_not_reach_the_terminal(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine
) -> None:
    code, out, _ = run(capsys, "sentiment", "great \x1b]0;TITLE\x07 stuff")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "great \ufffd]0;TITLE\ufffd stuff" in out


def test_bidirectional_controls_do_not_reverse_the_terminal_line(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine
) -> None:
    text = "\u202eevil\u202a \u2066text\u2069 good"
    code, out, _ = run(capsys, "sentiment", text)
    assert code == 0 and out.startswith("positive  0.90  \ufffdevil\ufffd \ufffdtext\ufffd good")
    assert not set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") & set(out)
    code, out, _ = run(capsys, "--json", "sentiment", text)
    assert code == 0 and json.loads(out)["text"] == text  # JSON keeps the text as it is


def test_a_full_disk_under_standard_output_exits_1_and_says_where(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_text: str) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sys.stdout, "write", full)
    code = main(["sentiment", "good"])
    assert code == 1
    assert "cannot write standard output: No space left on device" in capsys.readouterr().err


def test_standard_input_is_read_no_further_than_the_limit(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_TEXT_FILE_BYTES", 100)
    stream = io.BytesIO(b"I love it. " * 1000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
    code, _, err = run(capsys, "sentiment", "-")
    assert code == 2 and "standard input is longer than the limit" in err
    assert stream.tell() <= 101 + io.DEFAULT_BUFFER_SIZE  # not the whole 11,000 bytes


def test_batch_says_it_needs_a_file_for_standard_input(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine
) -> None:
    code, _, err = run(capsys, "batch", "-")
    assert code == 2 and "batch reads a file, not standard input" in err


def test_a_reader_gone_from_the_pipe_is_not_a_success(
    fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    class GoneReader(io.TextIOWrapper):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", GoneReader((tmp_path / "out").open("wb")))
    assert main(["sentiment", "so good"]) == 1


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (BrokenPipeError(32, "Broken pipe"), ""),
        (OSError(28, "No space left on device"), "cannot write standard output: No space left"),
    ],
)
def test_output_that_fails_only_when_flushed_exits_1_with_one_line(
    capsys: pytest.CaptureFixture[str],
    fake_engine: FakeEngine,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    error: OSError,
    said: str,
) -> None:
    """A short result sits in the buffer until exit, where Python printed a traceback line and
    exited 120 (`| head -2`, `> /dev/full`)."""

    class FailingFlush(io.TextIOWrapper):
        written = False

        def write(self, text: str) -> int:
            self.written = True
            return len(text)  # kept in the buffer, as a short result is

        def flush(self) -> None:
            if self.written:
                raise error

    monkeypatch.setattr(sys, "stdout", FailingFlush((tmp_path / "out").open("wb")))
    assert main(["sentiment", "so good"]) == 1
    assert said in capsys.readouterr().err


def test_a_closed_standard_error_keeps_messages_out_of_the_results(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    code = main(["sentiment", " "])
    sys.stderr.close()  # the null device main opened in its place
    assert code == 2 and capsys.readouterr().out == ""


def test_intent_lines_say_when_the_text_was_cut_and_list_no_alternative_under_1_percent() -> None:
    """`--json` said "truncated": true where the lines said nothing; "maybe 0.00" was noise."""
    from assistant.cli.text_commands import _write_intents
    from assistant.engine import Intent

    out = io.StringIO()
    intent = Intent("weather", 0.9, "utility", (("date", 0.1), ("maybe", 0.004)), truncated=True)
    _write_intents(out, ["weather " * 300], [intent])
    lines = out.getvalue().splitlines()
    assert lines[1] == "  domain utility; next: date 0.10"
    assert lines[2] == "  note: Only the beginning of this text was read for its intent."


def test_a_weak_intent_is_described_as_the_closest_match_as_the_window_does() -> None:
    from assistant.cli.text_commands import _write_intents
    from assistant.engine import Intent

    out = io.StringIO()
    weak = Intent("jump_start", 0.47, "auto_and_commute", description="Asks how to jump-start")
    _write_intents(out, ["Great phone, the battery lasts two days."], [weak])
    assert out.getvalue().splitlines()[1].startswith("  Closest match: asks how to jump-start;")


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_missing_file_or_a_folder_is_said_in_the_same_words_by_batch_and_ask(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path, kind: str
) -> None:
    """`ask --context` said "Cannot read X: No such file or directory" where a batch said
    "No such file: X"."""
    path = tmp_path / "texts.txt"
    if kind == "folder":
        path.mkdir()
    said = {"file": f"No such file: {path}", "folder": f"{path} is a folder, not a file."}[kind]
    for argv in (["batch", str(path)], ["ask", "Who?", "--context", str(path)]):
        code, _, err = run(capsys, *argv)
        assert (code, err) == (2, f"assistant: {said}\n")


def test_a_full_disk_under_the_output_file_exits_1_as_under_standard_output(
    capsys: pytest.CaptureFixture[str],
    fake_engine: FakeEngine,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """It exited 2, bad input, though the input was fine and only the disk was full."""

    def full(stream: io.TextIOBase, rows: object, fmt: str) -> None:
        stream.write("index,text\n")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("assistant.batch_output.write_rows", full)
    (tmp_path / "in.txt").write_text("good\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("old\n", encoding="utf-8")
    code, _, err = run(capsys, "batch", str(tmp_path / "in.txt"), "-o", str(tmp_path / "r.csv"))
    assert (code, err) == (
        1,
        f"assistant: Cannot write {tmp_path / 'r.csv'}: No space left on device\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "r.csv"]
    assert (tmp_path / "r.csv").read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize("argv", [["--help"], ["sentiment", "--help"], ["--version"]])
def test_help_that_cannot_be_written_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    """argparse drops the error, so `assistant --help > /dev/full` exited 0."""

    def full(_text: str) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sys.stdout, "write", full)
    assert main(argv) == 1
    assert capsys.readouterr().err == (
        "assistant: cannot write standard output: No space left on device\n"
    )


@pytest.mark.parametrize(
    ("argv", "text", "fixed"),
    [
        (["sentiment", "-awful"], "-awful", "sentiment -- -awful"),
        (["sentiment", "great", "-terrible"], "-terrible", "sentiment great -- -terrible"),
        (["--json", "intent", "-bye", "--", "-hi"], "-bye", "--json intent -- -bye -hi"),
        (["ask", "-who?", "--context", "-"], "-who?", "ask --context - -- '-who?'"),
        (["sentiment", "-happy"], "-happy", "sentiment -- -happy"),  # not -h with "appy"
        (["--threads", "2", "intent", "-bye"], "-bye", "--threads 2 intent -- -bye"),
    ],
)
def test_a_text_taken_for_an_option_is_told_how_to_give_it(
    capsys: pytest.CaptureFixture[str],
    fake_engine: FakeEngine,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    text: str,
    fixed: str,
) -> None:
    """argparse said only "the following arguments are required: TEXT" or "unrecognized
    arguments: -terrible", never that -- makes the rest texts."""
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"assistant: {text!r} was taken for an option: a text that starts with '-' goes"
        f" after --, as in: assistant {fixed}"
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Gustave Eiffel")))
    assert main(shlex.split(fixed)) == 0  # the command as told works


@pytest.mark.parametrize(
    "argv",
    [
        ["sentiment", "--tread", "good"],
        ["--threads", "0", "models"],
        # Each was told to go after --: an option's value, options with one dash too few, and
        # words of a command that takes no texts ("-ores.csv" is "-o res.csv").
        ["sentiment", "--threads", "-25", "good"],
        ["sentiment", "-json", "good"],
        ["-help"],
        ["-version"],
        ["intent", "-top-k=3", "hi"],
        ["batch", "in.csv", "-ores.csv", "--tasks", "bogus"],
        ["batch", "in.csv", "-tasks", "sentiment"],
    ],
)
def test_a_mistyped_option_gets_no_hint_about_texts(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """The hint put options and their values after --, where they would be analysed as texts
    (or read as a file's name)."""
    assert main(argv) == 2
    assert "taken for an option" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "noted"),
    [
        (["sentiment", "good"], True),
        (["ask", "Who?", "--context", "IN"], True),
        (["batch", "IN"], True),
        (["models"], False),  # it lists the problem itself
    ],
)
def test_an_analysis_notes_a_folder_whose_bundles_are_skipped(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: list[str],
    noted: bool,
) -> None:
    """A broken manifest.json in SQUEEZE_ASSISTANT_MODELS's folder was passed over unsaid."""
    problem = f"{tmp_path / 'manifest.json'} is not valid JSON"
    skipped = dataclasses.replace(
        fake_bundle(), name=f"manifest.json in {tmp_path}", kind="manifest", problem=problem
    )
    engine = FakeEngine([skipped, fake_bundle()])
    monkeypatch.setattr("assistant.cli.make_engine", lambda models_dir, threads: engine)
    (tmp_path / "in.txt").write_text("Gustave Eiffel was good\n", encoding="utf-8")
    _, _, err = run(capsys, *[str(tmp_path / "in.txt") if a == "IN" else a for a in argv])
    note = f"note: manifest.json in {tmp_path} is skipped: {problem}.\n"
    assert (note in err) is noted
