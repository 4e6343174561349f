"""Colours that read well on light and dark palettes; everything else comes from the system
(focus rings: ``focus_rings.py``)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# Okabe and Ito's blue and vermilion: told apart with every common colour-vision deficiency,
# where green and red tints both read as beige to one man in twelve.
_POSITIVE = QColor(0, 114, 178)
_NEGATIVE = QColor(213, 94, 0)
_ANSWER = QColor(255, 190, 0)


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def sentiment_color(label: str) -> QColor:
    """Solid colour of a sentiment label (charts, dots)."""
    return QColor(_POSITIVE if label == "positive" else _NEGATIVE)


def sentiment_color_name(label: str) -> str:
    """The colour in words, for the line that says what the tints mean."""
    return "blue" if label == "positive" else "orange"


def sentiment_tint(label: str, score: float) -> QColor:
    """Translucent background for a sentence: stronger when the model is surer."""
    color = sentiment_color(label)
    confidence = max(0.0, min(1.0, (score - 0.5) * 2))
    color.setAlpha(round(35 + 75 * confidence))
    return color


def answer_colors() -> tuple[QColor, QColor]:
    """Background and text of the highlighted answer: opaque amber under black text reads at
    about 12:1 on both palettes (a translucent tint under a dark theme's light text: 2.5:1)."""
    return QColor(_ANSWER), QColor(0, 0, 0)


def error_color(palette: QPalette) -> QColor:
    """A red that stays legible on both palettes, for error text."""
    return QColor(255, 123, 114) if _is_dark(palette) else QColor(190, 30, 40)


def neutral_fill(palette: QPalette) -> QColor:
    """A confidence bar's fill: grey, since the highlight colour (often blue) beside a
    "Negative" read as the blue that tints positive sentences."""
    return QColor(150, 150, 150) if _is_dark(palette) else QColor(105, 105, 105)
