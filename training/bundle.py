"""Write model bundles in the format of docs/MODEL_BUNDLES.md: files, config.json, manifest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from assistant.engine.bundle_check import sha256_of
from assistant.engine.manifest import MANIFEST_FORMAT
from training.teacher import load_tokenizer

BUNDLE_FILES = ("model.onnx", "tokenizer.json", "config.json")
"""The files the engine verifies; MODEL_CARD.md is documentation and stays editable."""


def write_bundle(
    bundle_dir: Path, onnx_path: Path, config: dict[str, Any], card: str | None = None
) -> None:
    """Copy the graph, write the tokenizer (no padding/truncation inside) and config.json."""
    bundle_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(onnx_path, bundle_dir / "model.onnx")
    load_tokenizer().save(str(bundle_dir / "tokenizer.json"))
    (bundle_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    if card is not None:
        (bundle_dir / "MODEL_CARD.md").write_text(card)


def write_manifest(models_dir: Path) -> dict[str, Any]:
    """List every file of every bundle folder with its SHA-256 and size."""
    bundles = {}
    for bundle_dir in sorted(p for p in models_dir.iterdir() if (p / "config.json").exists()):
        config = json.loads((bundle_dir / "config.json").read_text())
        files = {
            name: {
                "sha256": sha256_of(bundle_dir / name),
                "size": (bundle_dir / name).stat().st_size,
            }
            for name in BUNDLE_FILES
            if (bundle_dir / name).exists()
        }
        bundles[bundle_dir.name] = {"version": config["version"], "files": files}
    manifest = {"format": MANIFEST_FORMAT, "bundles": bundles}
    (models_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
