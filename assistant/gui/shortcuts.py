"""The window's keyboard shortcuts in one place, per platform.

Qt reads "Ctrl" as Command on macOS, where Command+H (hide the app) and Command+M (minimise) are
the system's: there the history and the models take the Mac's own keys instead.
"""

from __future__ import annotations

import sys

_EVERYWHERE = {
    "batch": ("Ctrl+B",),
    "analyse_now": ("Ctrl+Return", "Ctrl+Enter"),
    "ask": ("Ctrl+L",),
    "edit_text": ("Ctrl+E",),
    "copy_answer": ("Ctrl+Shift+C",),
    "stop_answer": ("Esc",),  # also Alt+S, the Stop button's own, but not on macOS
    "history": ("Ctrl+H",),
    "models": ("Ctrl+M",),
    "settings": ("Ctrl+,",),
}
_MAC = {
    "history": ("Meta+Ctrl+S",),  # Control+Command+S: Show Sidebar in Apple's apps
    "models": ("Ctrl+Shift+M",),
}


def keys(platform: str = sys.platform) -> dict[str, tuple[str, ...]]:
    """Each action's key sequences, in Qt's portable text."""
    return _EVERYWHERE | _MAC if platform == "darwin" else dict(_EVERYWHERE)


def analyse_now_hint(platform: str = sys.platform) -> str:
    """How the key that analyses at once is named in the window's own sentences."""
    return "Command+Return" if platform == "darwin" else "Ctrl+Enter"
