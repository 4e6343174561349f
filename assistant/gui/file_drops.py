"""Files dropped on a window, taken wherever they land: one file on this computer opens as if
chosen in a file dialog; several files, or a file with links, open nothing and say so, since
opening one would leave the rest out unseen (a link cannot be fetched offline). The main window
and the batch window take drops alike through it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QWidget

LINKS_REFUSED = "Links cannot be opened offline: save the file first, then drop it."


class FileDrops(QObject):
    """``dropped(path)`` for one file dropped on a widget handed to ``take_drops_on``,
    ``refused(message)`` for another drop taken. A drop of web links alone is left to the widget
    under it (a text box takes their addresses as text), unless ``refuse_links``: where nothing
    would take it, it is refused in words."""

    dropped = Signal(object)  # pathlib.Path
    refused = Signal(str)

    def __init__(self, parent: QObject, refuse_links: bool = False) -> None:
        super().__init__(parent)
        self._refuse_links = refuse_links

    def take_drops_on(self, *widgets: QWidget) -> None:
        """Take a drop on any of ``widgets`` before the widget itself sees it: the question and
        search boxes took a file's address as their text, and it was asked. Other drags are
        left to the widget they are over."""
        for widget in widgets:
            widget.setAcceptDrops(True)
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A drag this takes is accepted wherever it is over one of the widgets, and told of
        once dropped."""
        if isinstance(event, QDropEvent) and (urls := self._addresses(event)):
            if event.type() == QEvent.Type.Drop:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                self._tell(urls)
            else:  # entering or moving
                event.acceptProposedAction()
            return True
        return super().eventFilter(watched, event)

    def _addresses(self, event: QDropEvent) -> list[QUrl]:
        """The addresses of a drop holding a file (or a link, where links are refused); none
        for text alone. A file with links in one drop is a file drop: its addresses as text
        would be no text to analyse."""
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        return urls if self._refuse_links or any(url.isLocalFile() for url in urls) else []

    def _tell(self, urls: Sequence[QUrl]) -> None:
        if len(urls) == 1 and urls[0].isLocalFile():
            self.dropped.emit(Path(urls[0].toLocalFile()))
        elif any(url.isLocalFile() for url in urls):
            self.refused.emit(f"Drop one file at a time: {_what_was_dropped(urls)}.")
        else:
            self.refused.emit(LINKS_REFUSED)


def _what_was_dropped(urls: Sequence[QUrl]) -> str:
    """How many files, and links where any came along: the message says why nothing opened."""
    files = sum(1 for url in urls if url.isLocalFile())
    links = len(urls) - files
    counted = _count(files, "file") + (f" and {_count(links, 'link')}" if links else "")
    return f"{counted} were dropped"


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"
