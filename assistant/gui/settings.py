"""Typed access to the user's preferences in QSettings; tests pass their own QSettings."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QByteArray, QSettings

from assistant.limits import MAX_THREADS

ORGANIZATION = "Squeeze Assistant"
APPLICATION = "Squeeze Assistant"

MIN_FONT_SIZE = 8
MAX_FONT_SIZE = 32


class Settings:
    """Every stored preference goes through a :class:`Settings.Key`, so names cannot drift."""

    class Key(str, Enum):
        THREADS = "engine/threads"
        OOS_THRESHOLD = "engine/oos_threshold"
        FONT_SIZE = "appearance/font_size"
        WINDOW_GEOMETRY = "window/geometry"
        WINDOW_STATE = "window/state"
        SPLITTER_STATE = "window/splitter"  # the text's width beside the results
        LAST_FOLDER = "files/last_folder"

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._qsettings = qsettings or QSettings(ORGANIZATION, APPLICATION)

    def _get(self, key: Key) -> object:
        return self._qsettings.value(key.value)

    def set_value(self, key: Key, value: object) -> None:
        """Store ``value``; None removes the key so the default applies again."""
        if value is None:
            self._qsettings.remove(key.value)
        else:
            self._qsettings.setValue(key.value, value)
        self._qsettings.sync()

    def write_problem(self) -> str | None:
        """Why changes did not reach the settings file (they still hold until the app closes),
        naming the file; None when they did. Qt keeps the first error it met, so once a write
        failed this says so for the rest of the session. A file found damaged when read (a
        FormatError) is no such problem: Qt writes it anew with the settings it holds."""
        if self._qsettings.status() != QSettings.Status.AccessError:
            return None
        return f"{self._qsettings.fileName()} cannot be written"

    def threads(self) -> int | None:
        """Inference threads; None lets the engine choose (the CPUs it may use, up to 4)."""
        value = _as_int(self._get(self.Key.THREADS))
        return value if value and 0 < value <= MAX_THREADS else None

    def oos_threshold(self) -> float | None:
        """Out-of-scope threshold; None keeps the value calibrated in the model bundle."""
        value = _as_float(self._get(self.Key.OOS_THRESHOLD))
        return value if value is not None and 0.0 <= value <= 1.0 else None

    def font_size(self) -> int | None:
        """Point size for the whole app; None keeps the system font."""
        value = _as_int(self._get(self.Key.FONT_SIZE))
        return value if value and MIN_FONT_SIZE <= value <= MAX_FONT_SIZE else None

    def last_folder(self) -> str:
        value = self._get(self.Key.LAST_FOLDER)
        return value if isinstance(value, str) else ""

    def window_bytes(self, key: Key) -> QByteArray | None:
        value = self._get(key)
        return value if isinstance(value, QByteArray) else None


def _as_int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _as_float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
