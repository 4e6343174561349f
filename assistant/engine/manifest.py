"""Finding the installed bundles: the folders searched, and the ``manifest.json`` in each that
lists its bundles.

Format: docs/MODEL_BUNDLES.md. Nothing here touches the network; bundles are local folders only.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from assistant.engine.bundle_config import BundleConfig, is_whole_number, parse_config
from assistant.locations import MODELS_DIR_ENV, data_dir

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
"""The manifest layout this engine reads (docs/MODEL_BUNDLES.md); training writes it too."""

EntryKind = Literal["bundle", "manifest"]  # "manifest": a manifest.json unreadable or missing


@dataclass(frozen=True)
class Bundle:
    """A bundle listed in a manifest; if its config is unreadable, ``problem`` says why.

    ``kind`` "manifest" stands for a folder whose manifest.json cannot be read (or, in the one
    ``$SQUEEZE_ASSISTANT_MODELS`` names, is missing): ``path`` is that folder and ``problem``
    says why. ``hides`` is the first later folder listing a bundle of the same name, which this
    one shadows: a broken copy must say what it keeps from use.
    """

    name: str
    version: str
    path: Path
    files: Mapping[str, tuple[str, int]]  # file name -> (sha256, size) from the manifest
    config: BundleConfig | None
    problem: str | None = None
    kind: EntryKind = "bundle"
    hides: Path | None = None

    @property
    def tasks(self) -> tuple[str, ...]:
        return tuple(self.config.tasks) if self.config else ()


def search_dirs(models_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Folders that may hold a ``manifest.json``, in the order they are searched.

    ``models_dir`` replaces the whole list. Otherwise: ``$SQUEEZE_ASSISTANT_MODELS``, the
    PyInstaller bundle, the installed package (the wheel force-includes the models), the source
    tree, then the per-user data folder.
    """
    if models_dir is not None:
        return [Path(models_dir)]
    named = named_dir()
    dirs = [named] if named else []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen_root:
        dirs.append(Path(frozen_root) / "resources" / "models")
    package = Path(__file__).resolve().parents[1]
    dirs.append(package / "resources" / "models")
    dirs.append(package.parent / "resources" / "models")
    dirs.append(data_dir() / "models")
    return list(dict.fromkeys(dirs))


def named_dir(models_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The folder ``$SQUEEZE_ASSISTANT_MODELS`` names, searched first unless ``models_dir``
    replaces the search; None where it is not searched."""
    named = os.environ.get(MODELS_DIR_ENV)
    return Path(named) if named and models_dir is None else None


def where_looked(dirs: list[Path]) -> str:
    """The searched folders for a message, each saying why it gave nothing when it did not (a
    mistyped ``--models-dir`` or ``$SQUEEZE_ASSISTANT_MODELS`` shows here)."""

    def state(directory: Path) -> str:
        why = _why_empty(directory)
        return f"{directory} ({why})" if why else str(directory)

    return ", ".join(state(directory) for directory in dirs)


def _why_empty(directory: Path) -> str | None:
    """Why a folder gives no bundles, or None where it holds a manifest to read."""
    if not directory.is_dir():
        return "no such folder"
    if not (directory / MANIFEST).is_file():
        return f"no {MANIFEST}"
    return None


# What a hand-edited or damaged JSON file raises when read as a manifest or config: a list or
# string where an object belongs (AttributeError), 1e400 as a count (OverflowError), brackets
# nested a hundred thousand deep (RecursionError).
_MALFORMED = (
    OSError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    OverflowError,
    RecursionError,
)
_MOST_BYTES = (1 << 40) - 1
"""A file size past this (1 TiB) in a manifest is a typo or damage, not a model."""


def discover(dirs: list[Path], named: Path | None = None) -> list[Bundle]:
    """Read every manifest in ``dirs``; a bundle name seen earlier shadows later ones.

    An unreadable manifest becomes one unusable entry named after it, so that it is reported
    while the bundles of the other folders still serve their tasks. So does the folder the user
    named (``named_dir``) when it holds no manifest (mistyped, say): the other folders hold none
    by design (the data folder, until a bundle is added), but this one was named to be used:
    skipped unsaid, it let the shipped models answer as if they were its own.
    """
    found: dict[str, Bundle] = {}
    for directory in dirs:
        manifest = directory / MANIFEST
        if not manifest.is_file():
            if directory == named:
                name = f"{MODELS_DIR_ENV}={directory}"
                found[name] = _unusable_folder(name, directory, _why_empty(directory))
            continue
        try:
            raw = json.loads(manifest.read_text(encoding="utf-8"))
            _check_format(raw.get("format"))
            listed = {
                _plain_name(name): _manifest_entry(entry) for name, entry in raw["bundles"].items()
            }
        except _MALFORMED as exc:
            name = f"{MANIFEST} in {directory}"
            found[name] = _unusable_folder(name, directory, _unreadable(manifest, exc))
            continue
        for name, (version, files) in listed.items():
            if name not in found:
                found[name] = _bundle(directory / name, name, version, files)
            elif found[name].hides is None:
                found[name] = replace(found[name], hides=directory)
    return list(found.values())


def skipped_folders(entries: Iterable[Bundle]) -> list[str]:
    """A sentence for each folder whose bundles are all skipped (a mistyped
    ``$SQUEEZE_ASSISTANT_MODELS``, an unreadable manifest.json), for the command line and the
    window to say before any result: the other folders' models answer in their stead, which
    unsaid reads as the named folder's answer."""
    return [
        f"{entry.name} is skipped: {entry.problem}."
        for entry in entries
        if entry.kind == "manifest"
    ]


def _unusable_folder(name: str, directory: Path, problem: str | None) -> Bundle:
    """The entry for a folder none of whose bundles can be read: all there is to say is why."""
    return Bundle(name, "", directory, {}, None, problem, kind="manifest")


def _check_format(found: object) -> None:
    """A manifest of another format (a newer app's bundles) is refused, not misread."""
    if found != MANIFEST_FORMAT:
        raise ValueError(
            f"it is in format {found!r}; this version of the app reads format {MANIFEST_FORMAT}"
        )


def _plain_name(name: object, what: str = "bundle") -> str:
    """A bundle's name (its folder's) or a file's: a path would send the checks elsewhere."""
    if not isinstance(name, str) or name in ("", ".", "..") or any(c in name for c in "/\\:"):
        raise ValueError(f"the {what} name {name!r:.60} is not a plain name")
    return name


def _manifest_entry(entry: Mapping[str, Any]) -> tuple[str, dict[str, tuple[str, int]]]:
    """A bundle's version and {file: (sha256, size)}; KeyError/TypeError when malformed."""
    files = {
        _plain_name(f, "file"): (str(meta["sha256"]), _size(meta["size"]))
        for f, meta in entry["files"].items()
    }
    return str(entry.get("version", "?")), files


def _size(value: object) -> int:
    if not is_whole_number(value, 0, _MOST_BYTES):
        raise ValueError(f"a file size must be a whole number of bytes, not {value!r:.30}")
    return value


def _bundle(path: Path, name: str, version: str, files: dict[str, tuple[str, int]]) -> Bundle:
    """The bundle with its parsed config.json, or with the reason that config is unusable."""
    try:
        config = parse_config(json.loads((path / "config.json").read_text(encoding="utf-8")))
    except _MALFORMED as exc:
        return Bundle(name, version, path, files, None, _unreadable(Path("config.json"), exc))
    return Bundle(name, version, path, files, config)


def _unreadable(path: Path, exc: Exception) -> str:
    """Why a JSON file cannot be used, for a person: where the JSON breaks, which entry is
    missing, or what the reader said."""
    if isinstance(exc, json.JSONDecodeError):  # "Unterminated string starting at" ends in "at"
        what = exc.msg.removesuffix(" at")
        return f"{path} is not valid JSON ({what} at line {exc.lineno}, column {exc.colno})"
    if isinstance(exc, KeyError):
        return f"{path} is unreadable: it lacks the entry {exc}"
    if isinstance(exc, TypeError | AttributeError):  # Python's words here name its internals
        return f"{path} is unreadable: a value in it is of the wrong kind"
    return f"{path} is unreadable ({exc})"
