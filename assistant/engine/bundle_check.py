"""Whether a bundle's files are intact (size and SHA-256 against its manifest), and the report
on each installed bundle that ``Engine.bundles()`` gives."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from assistant.engine.manifest import Bundle, EntryKind

FileState = Literal["ok", "mismatch", "missing", "unreadable"]
REQUIRED_FILES = ("model.onnx", "tokenizer.json", "config.json")


@dataclass(frozen=True)
class FileCheck:
    """One bundle file compared with its manifest entry."""

    name: str
    sha256: str
    size: int
    state: FileState
    actual_sha256: str | None = None
    actual_size: int | None = None  # None where the file is missing

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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


def sha256_of(path: Path) -> str:
    """The file's SHA-256 in hex, read in 1 MiB chunks so a large model is never held whole."""
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
        actual_size = path.stat().st_size
        try:
            actual = sha256_of(path)
        except OSError:  # no permission to read, a failing disk
            checks.append(FileCheck(name, expected, size, "unreadable", None, actual_size))
            continue
        state: FileState = "ok" if actual_size == size and actual == expected else "mismatch"
        checks.append(FileCheck(name, expected, size, state, actual, actual_size))
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
        if check.state == "mismatch" and check.actual_size is not None:
            if check.actual_size < check.size:  # a copy or download cut short
                return (
                    f"file {check.name} is incomplete: it has {check.actual_size:,} bytes, and"
                    f" manifest.json lists {check.size:,}"
                )
            if check.actual_size > check.size:
                return (
                    f"file {check.name} has {check.actual_size:,} bytes, where manifest.json"
                    f" lists {check.size:,}"
                )
        if check.state == "mismatch":
            return (
                f"file {check.name} fails its SHA-256 check (manifest {check.sha256[:12]}..., "
                f"file {check.actual_sha256[:12] if check.actual_sha256 else '?'}...)"
            )
    return None


def _model_card(path: Path) -> str:
    """The card's text; none when it is missing or cannot be read (the card is documentation,
    not in the manifest: the report shows "No model card." and must not fail over it)."""
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
        size_bytes=sum(c.actual_size or 0 for c in checks),
        files=checks,
        metrics=bundle.config.metrics if bundle.config else MappingProxyType({}),
        model_card=_model_card(bundle.path / "MODEL_CARD.md"),
        problem=bundle.problem or listing_problem(bundle) or file_problem(checks),
        kind=bundle.kind,
    )
