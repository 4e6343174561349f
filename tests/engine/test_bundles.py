"""Bundle discovery, manifest checks and the errors a broken or missing bundle gives."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.engine import Engine, ModelError, bundle_check
from assistant.engine.manifest import named_dir, search_dirs
from assistant.locations import MODELS_DIR_ENV
from assistant.tasks import TASKS

from .conftest import write_manifest


def test_bundles_report(engine: Engine) -> None:
    infos = {info.name: info for info in engine.bundles()}
    assert set(infos) == {"tiny-classify", "tiny-qa"}
    classify = infos["tiny-classify"]
    assert classify.version == "0.0.1"
    assert classify.tasks == ("sentiment", "intent")
    assert classify.ok
    assert {f.name for f in classify.files} == {
        "model.onnx",
        "tokenizer.json",
        "config.json",
        "MODEL_CARD.md",
    }
    assert all(f.state == "ok" and f.actual_sha256 == f.sha256 for f in classify.files)
    assert classify.size_bytes == sum(f.size for f in classify.files)
    assert classify.metrics["sentiment"]["sst2_dev_accuracy"] == 0.5
    assert classify.model_card.startswith("# tiny-classify")
    assert json.dumps(classify.to_dict())


def test_tampered_model_names_task_and_file_while_other_bundle_works(models_copy: Path) -> None:
    model = models_copy / "tiny-classify" / "model.onnx"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model.write_bytes(bytes(data))
    engine = Engine(models_dir=models_copy)
    for task, call in [("sentiment", engine.sentiment), ("intent", engine.intent)]:
        with pytest.raises(ModelError, match=r"model\.onnx") as caught:
            call("hello")
        assert caught.value.task == task
        assert task in str(caught.value) and "SHA-256" in str(caught.value)
    assert engine.answer("what?", "zebra yak")[0].answer == "zebra yak"
    assert engine.task_error("qa") is None
    assert "SHA-256" in str(engine.task_error("sentiment") or "")
    states = {
        f.name: f.state for b in engine.bundles() for f in b.files if b.name == "tiny-classify"
    }
    assert states["model.onnx"] == "mismatch"


def test_missing_file(models_copy: Path) -> None:
    (models_copy / "tiny-qa" / "tokenizer.json").unlink()
    engine = Engine(models_dir=models_copy)
    with pytest.raises(
        ModelError, match=r"^The question answering model .*tokenizer\.json is missing"
    ):
        engine.answer("what?", "zebra yak")
    assert engine.sentiment("good").label == "positive"


def test_file_without_read_permission(models_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_hash = bundle_check.sha256_of

    def no_permission(path: Path) -> str:
        if path.name == "model.onnx" and path.parent.name == "tiny-qa":
            raise PermissionError(13, "Permission denied", str(path))
        return real_hash(path)

    monkeypatch.setattr(bundle_check, "sha256_of", no_permission)
    engine = Engine(models_dir=models_copy)
    with pytest.raises(ModelError, match=r"qa.*model\.onnx is unreadable"):
        engine.answer("what?", "zebra yak")
    assert engine.sentiment("good").label == "positive"
    info = {b.name: b for b in engine.bundles()}["tiny-qa"]
    assert not info.ok and info.problem == "file model.onnx is unreadable"


def test_unreadable_onnx_with_matching_manifest(models_copy: Path) -> None:
    (models_copy / "tiny-qa" / "model.onnx").write_bytes(b"not a protobuf at all")
    write_manifest(models_copy)
    error = str(Engine(models_dir=models_copy).task_error("qa"))
    assert "qa" in error and "not a readable ONNX model" in error


def test_missing_output_is_reported(models_copy: Path) -> None:
    config_path = models_copy / "tiny-classify" / "config.json"
    config = json.loads(config_path.read_text())
    config["tasks"]["intent"]["output"] = "nope_logits"
    config_path.write_text(json.dumps(config))
    write_manifest(models_copy)
    assert "nope_logits" in str(Engine(models_dir=models_copy).task_error("intent") or "")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"oos_label": "out_of_scope"}, "oos_label 'out_of_scope' must be one of"),
        ({"oos_threshold": 1.5}, "oos_threshold must be between 0 and 1"),
        ({"domains": {"nowhere": "Travel"}}, "domains name labels that do not exist"),
        ({"labels": ["a", "a", "b"]}, "without repeats"),
        ({"labels": "np"}, "labels must be a list of names, not 'np'"),
        ({"domains": ["Travel"]}, "domains must map label names to words"),
        ({"descriptions": {"nowhere": "Goes nowhere"}}, "descriptions name labels that do not"),
        ({"descriptions": {"a": 3}}, "descriptions must map label names to words"),
    ],
)
def test_inconsistent_intent_config_is_reported(
    models_copy: Path, change: dict, message: str
) -> None:
    config_path = models_copy / "tiny-classify" / "config.json"
    config = json.loads(config_path.read_text())
    config["tasks"]["intent"].update(change)
    config_path.write_text(json.dumps(config))
    write_manifest(models_copy)
    assert message in str(Engine(models_dir=models_copy).task_error("intent") or "")


@pytest.mark.parametrize("tasks", [[], "sentiment", {"intent": ["classification"]}])
def test_config_of_the_wrong_shape_is_reported_and_other_bundles_work(
    models_copy: Path, tasks: object
) -> None:
    config_path = models_copy / "tiny-classify" / "config.json"
    config = json.loads(config_path.read_text())
    config["tasks"] = tasks
    config_path.write_text(json.dumps(config))
    write_manifest(models_copy)
    engine = Engine(models_dir=models_copy)
    assert "config.json is unreadable" in str(engine.task_error("sentiment") or "")
    assert engine.task_error("qa") is None


def test_labels_that_do_not_match_the_graphs_scores_are_reported(models_copy: Path) -> None:
    config_path = models_copy / "tiny-classify" / "config.json"
    config = json.loads(config_path.read_text())
    labels = config["tasks"]["intent"]["labels"]
    config["tasks"]["intent"]["labels"] = labels[:-1] if labels[-1] != "oos" else labels[1:]
    config["tasks"]["intent"]["domains"] = {}
    config_path.write_text(json.dumps(config))
    write_manifest(models_copy)
    error = str(Engine(models_dir=models_copy).task_error("intent") or "")
    assert f"has {len(labels)} scores but config.json names {len(labels) - 1} labels" in error


def test_no_bundle_message(tmp_path: Path) -> None:
    engine = Engine(models_dir=tmp_path)
    with pytest.raises(ModelError, match="No model bundle for sentiment is installed") as caught:
        engine.sentiment("good")
    assert f"{tmp_path} (no manifest.json)" in str(caught.value)
    with pytest.raises(ModelError, match=r"typo \(no such folder\)"):
        Engine(models_dir=tmp_path / "typo").intent("hello")
    assert engine.bundles() == []
    warm = engine.warm_up()
    assert {t: str(warm[t]) for t in warm} == {t: str(engine.task_error(t)) for t in TASKS}
    assert engine.oos_threshold == 0.5


@pytest.mark.parametrize(
    "manifest",
    [
        "not json",
        "[]",
        '{"bundles": []}',
        '{"bundles": {"tiny-qa": {"files": []}}}',
        '{"bundles": {"tiny-qa": {"files": {"model.onnx": {"sha256": "ab"}}}}}',
        '{"bundles": {"tiny-qa": {"files": {"model.onnx": {"sha256": "ab", "size": "x"}}}}}',
    ],
)
def test_malformed_manifest_is_a_model_error(models_copy: Path, manifest: str) -> None:
    (models_copy / "manifest.json").write_text(manifest)
    engine = Engine(models_dir=models_copy)
    problem = r"manifest\.json is (unreadable|not valid JSON \(.+ at line 1, column 1\))"
    with pytest.raises(
        ModelError, match=f"No usable model bundle for question answering .*unusable: .*{problem}"
    ):
        engine.answer("what?", "zebra yak")
    assert re.search(problem, str(engine.task_error("sentiment") or ""))
    (info,) = engine.bundles()
    assert not info.ok and re.search(problem, info.problem or "")
    assert "indices" not in (info.problem or "")  # Python's words for a list used as a dict


def test_malformed_manifest_leaves_other_folders_working(
    models_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("not json")
    monkeypatch.setattr(
        "assistant.engine.engine.search_dirs", lambda models_dir: [broken, models_copy]
    )
    engine = Engine()
    assert engine.sentiment("good").label in {"positive", "negative"}
    assert engine.answer("what?", "zebra yak")
    infos = {info.name: info for info in engine.bundles()}
    assert infos["tiny-classify"].ok and infos["tiny-qa"].ok
    assert "not valid JSON" in (infos[f"manifest.json in {broken}"].problem or "")


def test_task_kinds_and_unknown_task(engine: Engine) -> None:
    assert engine.warm_up() == {"sentiment": None, "intent": None, "qa": None}
    with pytest.raises(ValueError, match="unknown task"):
        engine.task_error("translation")
    with pytest.raises(ValueError, match="threads"):
        Engine(threads=0)
    with pytest.raises(ValueError, match="at most 256"):
        Engine(threads=100_000)


def test_search_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path / "env"))
    dirs = search_dirs()
    assert dirs[0] == tmp_path / "env"
    assert dirs[-1].name == "models" and "squeeze-assistant" in str(dirs[-1])
    assert Path(__file__).resolve().parents[2] / "resources" / "models" in dirs
    assert search_dirs(tmp_path) == [tmp_path]
    monkeypatch.setenv("SQUEEZE_ASSISTANT_DATA_DIR", str(tmp_path / "portable"))
    assert search_dirs()[-1] == tmp_path / "portable" / "models"  # beside the history


def test_env_var_finds_bundles(monkeypatch: pytest.MonkeyPatch, tiny_models: Path) -> None:
    monkeypatch.setenv(MODELS_DIR_ENV, str(tiny_models))
    assert Engine().intent("hello").label == "greeting"


def test_a_model_card_that_cannot_be_read_leaves_the_report_standing(models_copy: Path) -> None:
    card = models_copy / "tiny-classify" / "MODEL_CARD.md"
    card.unlink()
    card.mkdir()  # read_text raises IsADirectoryError, as an unreadable file raises OSError
    infos = {info.name: info for info in Engine(models_dir=models_copy).bundles()}
    assert infos["tiny-classify"].model_card == ""
    assert not infos["tiny-classify"].ok  # the checked file is not what the manifest says


def test_a_manifest_of_a_newer_format_is_refused_not_misread(models_copy: Path) -> None:
    manifest = json.loads((models_copy / "manifest.json").read_text())
    (models_copy / "manifest.json").write_text(json.dumps(manifest | {"format": 2}))
    problem = str(Engine(models_dir=models_copy).task_error("sentiment") or "")
    assert "format 2; this version of the app reads format 1" in problem


@pytest.mark.parametrize(
    ("key", "value"),
    [("doc_stride", -1), ("max_answer_len", 0), ("max_length", 128.9), ("max_length", 10**30)],
)
def test_a_count_that_is_no_count_is_named(models_copy: Path, key: str, value: object) -> None:
    config_path = models_copy / "tiny-qa" / "config.json"
    config = json.loads(config_path.read_text())
    (config if key == "max_length" else config["tasks"]["qa"])[key] = value
    config_path.write_text(json.dumps(config))
    write_manifest(models_copy)
    problem = str(Engine(models_dir=models_copy).task_error("qa") or "")
    assert f"{key} must be a whole number from " in problem and f"not {value!r:.30}" in problem


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ({"temperature": 1e400}, "temperature must be a positive number, not inf"),
        ({"oos_threshold": float("nan")}, "oos_threshold must be between 0 and 1, not nan"),
    ],
)
def test_a_number_out_of_range_is_named(models_copy: Path, setting: dict, words: str) -> None:
    config_path = models_copy / "tiny-classify" / "config.json"
    config = json.loads(config_path.read_text())
    config["tasks"]["intent"] |= setting
    config_path.write_text(json.dumps(config))
    write_manifest(models_copy)
    assert words in str(Engine(models_dir=models_copy).task_error("intent") or "")


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: re.sub(r'"size": \d+', '"size": 1e400', text, count=1),
        lambda text: "[" * 100_000 + "]" * 100_000,
        lambda text: text.replace('"tiny-qa"', '"../tiny-qa"', 1),
        lambda text: text.replace('"config.json"', '"../../config.json"', 1),
    ],
    ids=["infinite size", "nested too deep", "a path for a name", "a path for a file"],
)
def test_a_hostile_manifest_is_one_problem_not_a_crash(models_copy: Path, damage) -> None:
    manifest = models_copy / "manifest.json"
    manifest.write_text(damage(manifest.read_text()))
    engine = Engine(models_dir=models_copy)
    assert [bundle.kind for bundle in engine.bundles()] == ["manifest"]
    assert "manifest.json" in str(engine.task_error("qa") or "")


def test_a_size_that_differs_from_the_manifest_is_said_as_such(models_copy: Path) -> None:
    manifest = json.loads((models_copy / "manifest.json").read_text())
    manifest["bundles"]["tiny-qa"]["files"]["config.json"]["size"] += 1
    (models_copy / "manifest.json").write_text(json.dumps(manifest))
    problem = str(Engine(models_dir=models_copy).task_error("qa") or "")
    assert "config.json is incomplete: it has " in problem and "manifest.json lists" in problem


def test_a_model_cut_short_is_told_as_incomplete_with_its_real_size(models_copy: Path) -> None:
    """A copy cut short read as a SHA-256 riddle, and the Models window gave it the full size."""
    model = models_copy / "tiny-qa" / "model.onnx"
    expected = model.stat().st_size
    model.write_bytes(model.read_bytes()[:1000])
    (info,) = [b for b in Engine(models_dir=models_copy).bundles() if b.name == "tiny-qa"]
    assert info.problem == (
        f"file model.onnx is incomplete: it has 1,000 bytes, and manifest.json lists {expected:,}"
    )
    (check,) = [f for f in info.files if f.name == "model.onnx"]
    assert (check.state, check.actual_size, check.size) == ("mismatch", 1000, expected)
    assert info.size_bytes == sum(f.actual_size or 0 for f in info.files)


def test_broken_json_says_where_in_words(models_copy: Path) -> None:
    """Python's message for a cut string ends in "at", which read "(…: Unterminated string
    starting at)" before the position was put after it."""
    (models_copy / "tiny-qa" / "config.json").write_text('{"name": "tiny')
    error = str(Engine(models_dir=models_copy).task_error("qa") or "")
    assert "config.json is not valid JSON (Unterminated string starting at line 1, column 10)" in (
        error
    )


def test_a_broken_bundle_says_which_one_of_its_name_it_hides(
    models_copy: Path, tiny_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged copy in the user's own folder read "No usable model bundle … is installed"
    while a good one of that name sat in the next folder, unused."""
    import assistant.engine.engine as engine_module

    (models_copy / "tiny-qa" / "config.json").write_text("{")
    monkeypatch.setattr(engine_module, "search_dirs", lambda _dir: [models_copy, tiny_models])
    error = str(Engine().task_error("qa") or "")
    assert f"(it hides the one of that name in {tiny_models})" in error
    assert Engine().task_error("sentiment") is None  # the good copy of the other bundle serves


@pytest.mark.parametrize(("make", "why"), [(False, "no such folder"), (True, "no manifest.json")])
def test_a_models_variable_that_gives_no_bundles_is_an_entry_not_skipped_unsaid(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_models: Path, make: bool, why: str
) -> None:
    """A mistyped SQUEEZE_ASSISTANT_MODELS was skipped: the next folder's models answered as if
    they were its own, and the Models window listed nothing wrong."""
    import assistant.engine.engine as engine_module

    named = tmp_path / "my-modles"
    if make:
        named.mkdir()
    monkeypatch.setenv(MODELS_DIR_ENV, str(named))
    monkeypatch.setattr(engine_module, "search_dirs", lambda _dir: [named, tiny_models])
    engine = Engine()
    entry = engine.bundles()[0]
    assert (entry.name, entry.kind, entry.problem) == (
        f"{MODELS_DIR_ENV}={named}",
        "manifest",
        why,
    )
    assert entry.path == named and not entry.ok
    assert engine.task_error("sentiment") is None  # the other folders' bundles still serve
    assert named_dir() == named and named_dir(tiny_models) is None  # --models-dir replaces it


@pytest.mark.parametrize(
    ("damage", "at_fault"),
    [
        (lambda models: (models / "tiny-qa" / "model.onnx").write_bytes(b"cut"), "tiny-qa"),
        (lambda models: (models / "tiny-qa" / "config.json").write_text("{"), "tiny-qa"),
        (lambda models: (models / "manifest.json").write_text("{"), ""),
    ],
    ids=["a file", "its config", "the manifest"],
)
def test_a_model_error_names_the_folder_at_fault(models_copy: Path, damage, at_fault: str) -> None:
    """What mends it depends on where it is (reinstalling mends only a shipped bundle): the
    message alone left the command line and the window guessing."""
    damage(models_copy)
    error = Engine(models_dir=models_copy).task_error("qa")
    assert error is not None and error.bundle_folder == models_copy / at_fault


def test_a_task_no_bundle_serves_blames_no_folder(tmp_path: Path) -> None:
    error = Engine(models_dir=tmp_path).task_error("qa")
    assert error is not None and error.bundle_folder is None
