"""What to do about a model that cannot be used: one rule for the window (under the panels and
in Tools → Models) and the command line (its model errors, ``assistant models``)."""

from __future__ import annotations

import os
from pathlib import Path

from assistant.locations import MODELS_DIR_ENV, data_dir

SEE_MODELS = "; Tools → Models shows each file's check."
SEE_MODELS_COMMAND = "; 'assistant models' shows each file's check."
"""The command line's place for each file's check, in place of the window's ``SEE_MODELS``."""
REPAIR_HINT = "Reinstalling Squeeze Assistant restores the models it came with" + SEE_MODELS
OVERRIDE_HINT = (
    "The models come first from {folder}, which {variable} names: mend the bundles there or"
    " correct {variable}, or unset it to use the models Squeeze Assistant came with" + SEE_MODELS
)
MODELS_DIR_HINT = (
    "The models come from {folder} alone, which --models-dir names: mend the bundles there or"
    " name another folder, or leave out --models-dir to use the models Squeeze Assistant came"
    " with" + SEE_MODELS
)
"""The command line's: ``--models-dir`` replaces every other folder of bundles."""
OVERRIDE_MISSING_HINT = (
    "The models come first from {folder}, which {variable} names, but there is no such folder:"
    " correct {variable}, or unset it to use the models Squeeze Assistant came with" + SEE_MODELS
)
"""Where the folder the variable names is not there: there is nothing in it to mend."""
ADDED_HINT = (
    "It is a bundle added to {folder}, which reinstalling leaves alone: replace it with a good"
    " copy or remove it" + SEE_MODELS
)
ADDED_MANIFEST_HINT = (
    "{manifest} lists the bundles added to {folder}, which reinstalling leaves alone: correct"
    " it or remove it" + SEE_MODELS
)
"""For the data folder's own manifest.json, which the user wrote: no reinstall writes it."""


def repair_hint(
    bundle_folder: Path | None = None,
    in_models_window: bool = False,
    see: str = SEE_MODELS,
    models_dir: Path | None = None,
) -> str:
    """How to mend a model that cannot load: reinstalling, unless the bundle (or the
    manifest.json, in ``bundle_folder``) is not one the app came with (the user's own folder of
    bundles, ``models_dir`` or ``MODELS_DIR_ENV``, or one added to the data folder), where
    reinstalling changes nothing. Without ``bundle_folder`` (no bundle serves the task) a
    folder named by ``MODELS_DIR_ENV`` is taken to be the one that failed: its bundles come
    first. ``see`` sends the user where each file's check is shown (Tools → Models, or
    ``SEE_MODELS_COMMAND``), except from that very place (``in_models_window``)."""
    override = os.environ.get(MODELS_DIR_ENV)
    added = data_dir() / "models"
    if models_dir is not None:
        hint = MODELS_DIR_HINT.format(folder=models_dir)
    elif bundle_folder is not None and bundle_folder.is_relative_to(added):
        hint = _added_hint(bundle_folder, added)
    elif override and (bundle_folder is None or bundle_folder.is_relative_to(override)):
        named = OVERRIDE_HINT if Path(override).is_dir() else OVERRIDE_MISSING_HINT
        hint = named.format(folder=override, variable=MODELS_DIR_ENV)
    else:
        hint = REPAIR_HINT
    return hint.removesuffix(SEE_MODELS) + ("." if in_models_window else see)


def _added_hint(bundle_folder: Path, added: Path) -> str:
    """For a bundle added to the data folder's models/ (``added``), or for the manifest.json
    there (its folder is ``added`` itself)."""
    hint = ADDED_MANIFEST_HINT if bundle_folder == added else ADDED_HINT
    return hint.format(folder=added, manifest=added / "manifest.json")


def with_repair_hint(
    problem: BaseException | str, see: str = SEE_MODELS, models_dir: Path | None = None
) -> str:
    """``problem`` (a ModelError, or a message alone) and how to mend it: for the bundle a
    ModelError blames (its ``bundle_folder``), else by `repair_hint`'s rule without one. Read
    by name: this module must not load the engine, which the window loads after it opens."""
    folder = getattr(problem, "bundle_folder", None)
    return f"{problem} {repair_hint(folder, see=see, models_dir=models_dir)}"
