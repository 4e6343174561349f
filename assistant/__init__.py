"""Squeeze Assistant: offline sentiment, intent and question answering on int8 SqueezeBERT."""

__version__ = "0.1.0"
