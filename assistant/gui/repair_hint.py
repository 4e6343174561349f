"""What to do about a model that cannot be used: said under the panels and in Tools → Models."""

from __future__ import annotations

import os

from assistant.locations import MODELS_DIR_ENV

REPAIR_HINT = (
    "Reinstalling Squeeze Assistant restores the models it came with; Tools → Models shows"
    " each file's check."
)
OVERRIDE_HINT = (
    "The models come first from {folder}, which {variable} names: mend the bundle there or"
    " unset {variable} to use the models Squeeze Assistant came with; Tools → Models shows"
    " each file's check."
)


def repair_hint() -> str:
    """How to mend a model that cannot load: reinstalling, unless the user's own folder of
    bundles (``MODELS_DIR_ENV``) hides the shipped ones, where reinstalling changes nothing."""
    folder = os.environ.get(MODELS_DIR_ENV)
    return OVERRIDE_HINT.format(folder=folder, variable=MODELS_DIR_ENV) if folder else REPAIR_HINT
