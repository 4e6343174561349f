"""Squeeze Assistant: offline sentiment, intent and question answering on int8 SqueezeBERT."""

from assistant.pipeline import pipeline

__version__ = "0.1.0"

__all__ = ["__version__", "pipeline"]
