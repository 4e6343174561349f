"""The main window's menu bar: every command and its shortcuts, in one place to read; and the
filter that lets those shortcuts win over a text box's own keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from assistant.gui import paths
from assistant.gui.paths import open_folder
from assistant.gui.shortcuts import keys
from assistant.gui.widgets.about_dialog import show_about

if TYPE_CHECKING:
    from assistant.gui.main_window import MainWindow

Key = QKeySequence.StandardKey


def build_menus(window: MainWindow) -> None:
    shortcut = keys()

    def action(text: str, slot: Callable[[], object], *sequences: Key | str) -> QAction:
        made = QAction(text, window)
        # A platform's standard key may be none (Preferences on Linux): left first, it would
        # stand in the menu for the action's shortcut, and the menu would show none.
        made.setShortcuts([k for k in (QKeySequence(s) for s in sequences) if not k.isEmpty()])
        made.triggered.connect(slot)
        return made

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(action("&New analysis", window.new_analysis, Key.New))
    file_menu.addAction(action("&Open text file…", window.open_text_file, Key.Open))
    file_menu.addAction(action("&Batch analysis…", window.open_batch, *shortcut["batch"]))
    file_menu.addSeparator()
    file_menu.addAction(action("&Quit", window.close, Key.Quit))
    analyse_menu = bar.addMenu("&Analyse")
    analyse_menu.addAction(action("Analyse &now", window.analyse_now, *shortcut["analyse_now"]))
    analyse_menu.addAction(action("Ask a &question", window.focus_question, *shortcut["ask"]))
    analyse_menu.addAction(
        action("Edit the &text", window.editor.setFocus, *shortcut["edit_text"])
    )
    analyse_menu.addAction(
        action("&Copy the answer", window.copy_answer, *shortcut["copy_answer"])
    )
    stop = action("&Stop the answer", window.stop_answer, *shortcut["stop_answer"])
    stop.setEnabled(False)  # only while a long answer is read: Escape is free otherwise
    window.qa_panel.stoppable.connect(stop.setEnabled)
    analyse_menu.addAction(stop)
    view_menu = bar.addMenu("&View")
    toggle_history = window.history_dock.toggleViewAction()
    toggle_history.setText("&History")  # the dock's title, with an access key
    toggle_history.setShortcuts([QKeySequence(k) for k in shortcut["history"]])
    view_menu.addAction(toggle_history)
    view_menu.addAction(action("&Search history", window.focus_history, Key.Find))
    tools_menu = bar.addMenu("&Tools")
    tools_menu.addAction(action("&Models…", window.open_models, *shortcut["models"]))
    tools_menu.addAction(
        action("&Settings…", window.open_settings, Key.Preferences, *shortcut["settings"])
    )
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(action("Open &logs folder", lambda: open_folder(paths.log_dir())))
    help_menu.addAction(action("Open &models folder", lambda: open_folder(paths.models_dir())))
    help_menu.addAction(action("&About Squeeze Assistant", lambda: show_about(window)))
    keys_first = MenuKeysFirst(bar)
    for box in (window.qa_panel.question, window.history_panel.search):
        box.installEventFilter(keys_first)


class MenuKeysFirst(QObject):
    """Installed on a text box, gives the menus' enabled shortcuts precedence over its own key
    bindings: on Linux, Qt's line edits take Ctrl+E (end of line) before the menu sees it, so
    "Edit the text" did nothing from the question box or the history search."""

    def __init__(self, menu_bar: QMenuBar) -> None:
        super().__init__(menu_bar)
        self._menu_bar = menu_bar

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        pressed = QKeySequence(event.keyCombination())
        menus = [m for entry in self._menu_bar.actions() if isinstance(m := entry.menu(), QMenu)]
        return any(  # True: the box never claims the key, so the menu's shortcut fires
            action.isEnabled() and pressed in action.shortcuts()
            for menu in menus
            for action in menu.actions()
        )
