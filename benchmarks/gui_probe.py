"""Child process for the GUI cold start: runs the app's real ``main()`` and reports three moments.

The window class is patched only to observe it: ``shown`` is printed at the first paint of the
main window, ``ready`` when the engine reports its models loaded; then a sentence is pasted and
``result`` is printed when its first result (sentiment) is on screen, and the app quits. The parent
(benchmarks.process) timestamps each line, from the moment it started this process. Run with
QT_QPA_PLATFORM=offscreen where there is no display.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from assistant.gui import main as gui_main
from assistant.gui import main_window

GIVE_UP_MS = 60_000
PASTED = "The battery lasts all day and the screen is lovely."


class _FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            print("shown", flush=True)
        return False


def _patch() -> None:
    window_class = main_window.MainWindow
    original_show, original_ready = window_class.show, window_class._on_ready
    spy = _FirstPaint()

    def show(self) -> None:
        self.installEventFilter(spy)
        original_show(self)
        QTimer.singleShot(GIVE_UP_MS, QApplication.quit)

    def on_ready(self, state) -> None:
        original_ready(self, state)
        print("ready", flush=True)
        self.service.result.connect(on_result)
        self.service.error.connect(lambda *_: QApplication.quit())
        self.editor.setPlainText(PASTED)
        self.analyse_now()

    def on_result(task: str, _payload) -> None:
        if task == "sentiment":
            print("result", flush=True)
            QTimer.singleShot(0, QApplication.quit)

    window_class.show = show  # type: ignore[method-assign]
    window_class._on_ready = on_ready  # type: ignore[method-assign]


if __name__ == "__main__":
    _patch()
    sys.argv = sys.argv[:1]
    sys.exit(gui_main.main())
