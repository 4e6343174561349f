"""Keyboard shortcuts: one action per key sequence, and none of macOS's own keys taken."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QKeySequence

from assistant.gui.main_window import MainWindow
from assistant.gui.shortcuts import analyse_now_hint, keys


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_each_key_sequence_belongs_to_one_action(platform: str) -> None:
    sequences = [seq for action in keys(platform).values() for seq in action]
    assert len(sequences) == len(set(sequences))


def test_macos_keeps_command_h_and_command_m_for_the_system() -> None:
    # Qt reads "Ctrl" as Command on macOS: Command+H hides the app, Command+M minimises it.
    mac = [seq for action in keys("darwin").values() for seq in action]
    assert "Ctrl+H" not in mac and "Ctrl+M" not in mac
    assert keys("darwin")["history"] and keys("darwin")["models"]
    assert keys("linux")["history"] == ("Ctrl+H",)
    assert analyse_now_hint("darwin") == "Command+Return"
    assert analyse_now_hint("linux") == "Ctrl+Enter"


def test_the_window_has_no_ambiguous_shortcut(window: MainWindow) -> None:
    # Two actions on one key sequence make Qt run neither ("Ambiguous shortcut overload").
    taken: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            if sequence.isEmpty():  # a standard key this platform does not have
                continue
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            assert taken.setdefault(text, action.text()) == action.text(), text
    assert {"Ctrl+H", "Ctrl+M", "Ctrl+B", "Ctrl+L"} <= taken.keys()


def test_every_menu_entry_shows_its_shortcut_and_has_an_access_key(window: MainWindow) -> None:
    """Settings showed no shortcut on Linux (its first, the platform's Preferences key, is
    none there), and View → History had no underlined letter."""
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.isSeparator():
                continue
            assert "&" in action.text(), action.text()
            if action.shortcuts():
                assert not action.shortcut().isEmpty(), action.text()
    settings = next(a for a in window.findChildren(QAction) if a.text() == "&Settings…")
    assert settings.shortcut().toString() == "Ctrl+,"
