"""Qt-free inference engine: sentiment, intent and extractive QA on local ONNX model bundles.

Importing this package loads neither Qt nor torch; sessions load lazily on first use.
"""

from assistant.engine.bundle_check import BundleInfo, FileCheck
from assistant.engine.engine import Engine
from assistant.engine.errors import InputError, ModelError
from assistant.engine.results import Answer, Intent, SentenceSentiment, Sentiment
from assistant.limits import MAX_INPUT_CHARS  # the window checks it before the engine loads

__all__ = [
    "MAX_INPUT_CHARS",
    "Answer",
    "BundleInfo",
    "Engine",
    "FileCheck",
    "InputError",
    "Intent",
    "ModelError",
    "SentenceSentiment",
    "Sentiment",
]
