"""Drags and drops as a file manager or a mouse makes them, for the windows' drop tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from assistant.gui.widgets.text_editor import TextEditor


def drop(target: QWidget, given: QMimeData) -> bool:
    """Drag ``given`` onto ``target`` (a text editor: its text area) and drop it there, as a
    mouse would; False if the drag was refused, so nothing was dropped."""
    if isinstance(target, TextEditor):
        target = target.viewport()
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(2, 2), Qt.DropAction.CopyAction, given, buttons, keys)
    QApplication.sendEvent(target, enter)
    if enter.isAccepted():
        dropped = QDropEvent(QPointF(2, 2), Qt.DropAction.CopyAction, given, buttons, keys)
        QApplication.sendEvent(target, dropped)
    return enter.isAccepted()


def file_drop(*paths: Path) -> QMimeData:
    """What a file manager drags: the files' addresses, and the same as text."""
    urls = [QUrl.fromLocalFile(str(path)) for path in paths]
    given = QMimeData()
    given.setUrls(urls)
    given.setText("".join(f"{url.toString()}\r\n" for url in urls))
    return given
