"""The sentiment colours stay apart for people with red-green colour blindness."""

from __future__ import annotations

import pytest

from assistant.gui import theme

# Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
DEFICIENCIES = {
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _seen(label: str, matrix) -> tuple[float, ...]:
    color = theme.sentiment_color(label)
    rgb = [_linear(c) for c in (color.red(), color.green(), color.blue())]
    return tuple(sum(w * c for w, c in zip(row, rgb, strict=True)) for row in matrix)


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_positive_and_negative_differ_without_red_green_vision(deficiency: str) -> None:
    matrix = DEFICIENCIES[deficiency]
    positive, negative = _seen("positive", matrix), _seen("negative", matrix)
    distance = sum((p - n) ** 2 for p, n in zip(positive, negative, strict=True)) ** 0.5
    assert distance > 0.3  # blue and vermilion: 0.49-0.55; the green and red before: 0.05-0.28
