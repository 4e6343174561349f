"""Model bundles: where they are found, what their config says, and whether their files are intact.

Format: docs/MODEL_BUNDLES.md. Nothing here touches the network; bundles are local folders only.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from assistant.locations import data_dir

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
"""The manifest layout this engine reads (docs/MODEL_BUNDLES.md); training writes it too."""
ENV_VAR = "SQUEEZE_ASSISTANT_MODELS"

FileState = Literal["ok", "mismatch", "missing", "unreadable"]
EntryKind = Literal["bundle", "manifest"]  # "manifest": an unreadable manifest.json, no bundle
REQUIRED_FILES = ("model.onnx", "tokenizer.json", "config.json")


@dataclass(frozen=True)
class ClassificationTask:
    """A classification head: which graph output holds its logits and what the labels are.
    ``temperature`` divides the logits before the softmax: fitted on val data so that the
    out-of-scope rule separates better (docs/MODEL_BUNDLES.md)."""

    output: str
    labels: tuple[str, ...]
    oos_label: str | None = None
    oos_threshold: float | None = None
    temperature: float = 1.0
    domains: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class QATask:
    """An extractive QA head with the windowing numbers it was trained with."""

    start_output: str
    end_output: str
    doc_stride: int
    max_question_len: int
    max_answer_len: int


TaskConfig = ClassificationTask | QATask


@dataclass(frozen=True)
class BundleConfig:
    """The parsed ``config.json`` of a bundle."""

    name: str
    version: str
    max_length: int
    tasks: Mapping[str, TaskConfig]
    metrics: Mapping[str, Any]


@dataclass(frozen=True)
class Bundle:
    """A bundle listed in a manifest; if its config is unreadable, ``problem`` says why.

    ``kind`` "manifest" stands for a folder whose manifest.json cannot be read: ``path`` is
    that folder and ``problem`` says why.
    """

    name: str
    version: str
    path: Path
    files: Mapping[str, tuple[str, int]]  # file name -> (sha256, size) from the manifest
    config: BundleConfig | None
    problem: str | None = None
    kind: EntryKind = "bundle"

    @property
    def tasks(self) -> tuple[str, ...]:
        return tuple(self.config.tasks) if self.config else ()


@dataclass(frozen=True)
class FileCheck:
    """One bundle file compared with its manifest entry."""

    name: str
    sha256: str
    size: int
    state: FileState
    actual_sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "state": self.state,
            "actual_sha256": self.actual_sha256,
        }


@dataclass(frozen=True)
class BundleInfo:
    """What ``Engine.bundles()`` reports about one installed bundle."""

    name: str
    version: str
    tasks: tuple[str, ...]
    path: Path
    size_bytes: int
    files: tuple[FileCheck, ...]
    metrics: Mapping[str, Any]
    model_card: str
    problem: str | None = None
    kind: EntryKind = "bundle"

    @property
    def ok(self) -> bool:
        return self.problem is None and all(f.state == "ok" for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "tasks": list(self.tasks),
            "path": str(self.path),
            "size_bytes": self.size_bytes,
            "ok": self.ok,
            "problem": self.problem,
            "kind": self.kind,
            "files": [f.to_dict() for f in self.files],
            "metrics": dict(self.metrics),
        }


def search_dirs(models_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Folders that may hold a ``manifest.json``, in the order they are searched.

    ``models_dir`` replaces the whole list. Otherwise: ``$SQUEEZE_ASSISTANT_MODELS``, the
    PyInstaller bundle, the installed package (the wheel force-includes the models), the source
    tree, then the per-user data folder.
    """
    if models_dir is not None:
        return [Path(models_dir)]
    dirs = []
    if os.environ.get(ENV_VAR):
        dirs.append(Path(os.environ[ENV_VAR]))
    frozen_root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen_root:
        dirs.append(Path(frozen_root) / "resources" / "models")
    package = Path(__file__).resolve().parents[1]
    dirs.append(package / "resources" / "models")
    dirs.append(package.parent / "resources" / "models")
    dirs.append(data_dir() / "models")
    return list(dict.fromkeys(dirs))


def where_looked(dirs: list[Path]) -> str:
    """The searched folders for a message, each saying why it gave nothing when it did not (a
    mistyped ``--models-dir`` or ``$SQUEEZE_ASSISTANT_MODELS`` shows here)."""

    def state(directory: Path) -> str:
        if not directory.is_dir():
            return f"{directory} (no such folder)"
        if not (directory / MANIFEST).is_file():
            return f"{directory} (no {MANIFEST})"
        return str(directory)

    return ", ".join(state(directory) for directory in dirs)


def discover(dirs: list[Path]) -> list[Bundle]:
    """Read every manifest in ``dirs``; a bundle name seen earlier shadows later ones.

    An unreadable manifest becomes one unusable entry named after it, so that it is reported
    while the bundles of the other folders still serve their tasks.
    """
    found: dict[str, Bundle] = {}
    for directory in dirs:
        manifest = directory / MANIFEST
        if not manifest.is_file():
            continue
        try:
            raw = json.loads(manifest.read_text(encoding="utf-8"))
            _check_format(raw.get("format"))
            listed = {name: _manifest_entry(entry) for name, entry in raw["bundles"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            name = f"{MANIFEST} in {directory}"
            problem = _unreadable(manifest, exc)
            found[name] = Bundle(name, "", directory, {}, None, problem, kind="manifest")
            continue
        for name, (version, files) in listed.items():
            if name not in found:
                found[name] = _bundle(directory / name, name, version, files)
    return list(found.values())


def _check_format(found: object) -> None:
    """A manifest of another format (a newer app's bundles) is refused, not misread."""
    if found != MANIFEST_FORMAT:
        raise ValueError(
            f"it is in format {found!r}; this version of the app reads format {MANIFEST_FORMAT}"
        )


def _manifest_entry(entry: Mapping[str, Any]) -> tuple[str, dict[str, tuple[str, int]]]:
    """A bundle's version and {file: (sha256, size)}; KeyError/TypeError when malformed."""
    files = {f: (str(meta["sha256"]), int(meta["size"])) for f, meta in entry["files"].items()}
    return str(entry.get("version", "?")), files


def _bundle(path: Path, name: str, version: str, files: dict[str, tuple[str, int]]) -> Bundle:
    try:
        config = parse_config(json.loads((path / "config.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # AttributeError: a list or string where config.json's structure needs an object
        return Bundle(name, version, path, files, None, _unreadable(Path("config.json"), exc))
    return Bundle(name, version, path, files, config)


def _unreadable(path: Path, exc: Exception) -> str:
    """Why a JSON file cannot be used, for a person: where the JSON breaks, which entry is
    missing, or what the reader said."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    if isinstance(exc, KeyError):
        return f"{path} is unreadable: it lacks the entry {exc}"
    if isinstance(exc, TypeError | AttributeError):  # Python's words here name its internals
        return f"{path} is unreadable: a value in it is of the wrong kind"
    return f"{path} is unreadable ({exc})"


def parse_config(raw: Mapping[str, Any]) -> BundleConfig:
    """Turn ``config.json`` into frozen dataclasses; KeyError/ValueError on a malformed file."""
    max_length = _count(raw, "max_length")
    tasks = {name: _task(spec, max_length) for name, spec in raw["tasks"].items()}
    return BundleConfig(
        name=str(raw["name"]),
        version=str(raw["version"]),
        max_length=max_length,
        tasks=MappingProxyType(tasks),
        metrics=MappingProxyType(dict(raw.get("metrics", {}))),
    )


def _task(spec: Mapping[str, Any], max_length: int) -> TaskConfig:
    kind = spec["kind"]
    if kind == "classification":
        threshold = spec.get("oos_threshold")
        temperature = float(spec.get("temperature", 1.0))
        if not temperature > 0:
            raise ValueError(f"temperature must be positive, not {temperature}")
        task = ClassificationTask(
            output=spec["output"],
            labels=_labels(spec),
            oos_label=spec.get("oos_label"),
            oos_threshold=None if threshold is None else float(threshold),
            temperature=temperature,
            domains=MappingProxyType(_domains(spec)),
        )
        _check_labels(task)
        return task
    if kind == "extractive_qa":
        task = QATask(
            start_output=spec["start_output"],
            end_output=spec["end_output"],
            doc_stride=_count(spec, "doc_stride", least=0),  # 0: windows do not overlap
            max_question_len=_count(spec, "max_question_len"),
            max_answer_len=_count(spec, "max_answer_len"),
        )
        # [CLS] question [SEP] context [SEP]: windows must advance past the stride.
        if max_length - task.max_question_len - 3 <= task.doc_stride:
            raise ValueError("max_length leaves no room for a context window beyond doc_stride")
        return task
    raise ValueError(f"unknown task kind {kind!r}")


def _labels(spec: Mapping[str, Any]) -> tuple[str, ...]:
    """The label names: a string here would pass as a list of its letters."""
    labels = spec["labels"]
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ValueError(f"labels must be a list of names, not {labels!r:.60}")
    return tuple(labels)


def _domains(spec: Mapping[str, Any]) -> dict[str, str]:
    domains = spec.get("domains", {})
    if not isinstance(domains, dict) or not all(isinstance(d, str) for d in domains.values()):
        raise ValueError(f"domains must map intent names to domain names, not {domains!r:.60}")
    return dict(domains)


def _count(spec: Mapping[str, Any], key: str, least: int = 1) -> int:
    """A setting that counts tokens: a whole number, at least ``least`` (a typo must not reach
    the tokenizer, whose own complaint would blame tokenizer.json)."""
    value = spec[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise ValueError(f"{key} must be a whole number of at least {least}, not {value!r}")
    return value


def _check_labels(task: ClassificationTask) -> None:
    """Catch a config whose labels would misname results (a misspelt oos_label, say)."""
    if len(set(task.labels)) != len(task.labels) or not task.labels:
        raise ValueError("labels must be a non-empty list without repeats")
    if task.oos_label is not None and (task.oos_label not in task.labels or len(task.labels) < 2):
        raise ValueError(f"oos_label {task.oos_label!r} must be one of several labels")
    if task.oos_threshold is not None and not 0 <= task.oos_threshold <= 1:
        raise ValueError(f"oos_threshold must be between 0 and 1, not {task.oos_threshold}")
    unknown = set(task.domains) - set(task.labels)
    if unknown:
        raise ValueError(f"domains name labels that do not exist: {sorted(unknown)[:3]}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_files(bundle: Bundle) -> tuple[FileCheck, ...]:
    """Compare each file of the bundle with the manifest (size and SHA-256)."""
    checks = []
    for name, (expected, size) in bundle.files.items():
        path = bundle.path / name
        if not path.is_file():
            checks.append(FileCheck(name, expected, size, "missing"))
            continue
        try:
            actual = sha256_of(path)
        except OSError:  # no permission to read, a failing disk
            checks.append(FileCheck(name, expected, size, "unreadable"))
            continue
        ok = path.stat().st_size == size and actual == expected
        checks.append(FileCheck(name, expected, size, "ok" if ok else "mismatch", actual))
    return tuple(checks)


def listing_problem(bundle: Bundle) -> str | None:
    """A sentence naming a file the engine needs that the manifest does not list, or None."""
    unlisted = [name for name in REQUIRED_FILES if name not in bundle.files]
    return f"file {unlisted[0]} is not listed in manifest.json" if unlisted else None


def file_problem(checks: tuple[FileCheck, ...]) -> str | None:
    """A sentence naming the first bad file, or None when all files match the manifest."""
    for check in checks:
        if check.state in ("missing", "unreadable"):
            return f"file {check.name} is {check.state}"
        if check.state == "mismatch" and check.actual_sha256 == check.sha256:
            return f"file {check.name} is not the size manifest.json gives ({check.size:,} bytes)"
        if check.state == "mismatch":
            return (
                f"file {check.name} fails its SHA-256 check (manifest {check.sha256[:12]}..., "
                f"file {check.actual_sha256[:12] if check.actual_sha256 else '?'}...)"
            )
    return None


def _model_card(path: Path) -> str:
    """The card's text; none when it is missing or cannot be read (the file check says so; the
    report must not fail over it)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def describe(bundle: Bundle) -> BundleInfo:
    """Full report on a bundle, hashing every file."""
    checks = check_files(bundle)
    return BundleInfo(
        name=bundle.name,
        version=bundle.version,
        tasks=bundle.tasks,
        path=bundle.path,
        size_bytes=sum(
            (bundle.path / c.name).stat().st_size for c in checks if c.state != "missing"
        ),
        files=checks,
        metrics=bundle.config.metrics if bundle.config else MappingProxyType({}),
        model_card=_model_card(bundle.path / "MODEL_CARD.md"),
        problem=bundle.problem or listing_problem(bundle) or file_problem(checks),
        kind=bundle.kind,
    )
