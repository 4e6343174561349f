"""What to do about a model that cannot be used: said under the panels and in Tools → Models."""

from __future__ import annotations

import os

from assistant.locations import MODELS_DIR_ENV

SEE_MODELS = "; Tools → Models shows each file's check."
REPAIR_HINT = "Reinstalling Squeeze Assistant restores the models it came with" + SEE_MODELS
OVERRIDE_HINT = (
    "The models come first from {folder}, which {variable} names: mend the bundle there or"
    " unset {variable} to use the models Squeeze Assistant came with" + SEE_MODELS
)


def repair_hint(in_models_window: bool = False) -> str:
    """How to mend a model that cannot load: reinstalling, unless the user's own folder of
    bundles (``MODELS_DIR_ENV``) hides the shipped ones, where reinstalling changes nothing.
    Tools → Models itself does not send the user to Tools → Models."""
    folder = os.environ.get(MODELS_DIR_ENV)
    hint = OVERRIDE_HINT.format(folder=folder, variable=MODELS_DIR_ENV) if folder else REPAIR_HINT
    return hint.removesuffix(SEE_MODELS) + "." if in_models_window else hint
