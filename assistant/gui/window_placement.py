"""Where the window was left: its size and place, the docks, and the text's width beside the
results, kept at the close and put back at the next start."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow, QSplitter

from assistant.gui.settings import Settings


def restore_placement(window: QMainWindow, splitter: QSplitter, settings: Settings) -> bool:
    """Put back what ``keep_placement`` kept; False where no docks were kept (a first start):
    they stay where the window put them."""
    geometry = settings.window_bytes(Settings.Key.WINDOW_GEOMETRY)
    if geometry is not None:
        window.restoreGeometry(geometry)
    widths = settings.window_bytes(Settings.Key.SPLITTER_STATE)
    if widths is not None:
        splitter.restoreState(widths)
    state = settings.window_bytes(Settings.Key.WINDOW_STATE)
    if state is None:
        return False
    window.restoreState(state)
    return True


def keep_placement(window: QMainWindow, splitter: QSplitter, settings: Settings) -> None:
    settings.set_value(Settings.Key.WINDOW_GEOMETRY, QByteArray(window.saveGeometry()))
    settings.set_value(Settings.Key.WINDOW_STATE, QByteArray(window.saveState()))
    settings.set_value(Settings.Key.SPLITTER_STATE, QByteArray(splitter.saveState()))
