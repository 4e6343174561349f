"""Retake docs/screenshot-main-window.png: the real window, the installed bundles, a real text.

Runs on throwaway settings and history, pastes TEXT, asks QUESTION, waits for all three results
and saves the window. Under Xvfb, or Qt's offscreen platform (session 10's picture):

    xvfb-run -s "-screen 0 1400x1000x24" python docs/screenshot.py
    QT_QPA_PLATFORM=offscreen python docs/screenshot.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

TEXT = (
    "We stayed at the Harbour Hotel in Lisbon for four nights in May. The room was spotless and "
    "the staff were wonderfully kind. Breakfast, however, was cold and overpriced. The hotel "
    "was opened in 1998 by the Ferreira family and still belongs to them."
)
QUESTION = "Who opened the hotel?"
OUT = Path(__file__).with_name("screenshot-main-window.png")
TASKS = {"sentiment", "intent", "qa"}


def main() -> int:
    scratch = tempfile.mkdtemp(prefix="squeeze-screenshot-")
    os.environ["SQUEEZE_ASSISTANT_DATA_DIR"] = os.path.join(scratch, "data")
    os.environ["SQUEEZE_ASSISTANT_LOG_DIR"] = os.path.join(scratch, "log")
    from PySide6.QtCore import QSettings, QTimer

    from assistant.gui.application import Application
    from assistant.gui.main_window import MainWindow
    from assistant.gui.settings import Settings
    from assistant.history import HistoryStore

    app = Application(sys.argv)
    settings = Settings(QSettings(os.path.join(scratch, "settings.ini"), QSettings.IniFormat))
    window = MainWindow(settings, HistoryStore.open_or_recover())
    window.resize(1280, 860)
    window.history_dock.show()  # a first start on a screen under 1,000 px (offscreen) hides it
    window.show()
    answered: set[str] = set()

    def on_answer(task: str, *_: object) -> None:
        answered.add(task)
        if answered >= TASKS:
            QTimer.singleShot(500, save)  # let the highlight and tints paint

    def save() -> None:
        window.grab().save(str(OUT))
        print(f"saved {OUT}")
        window.close()  # stops the inference thread before the application goes
        app.exit(0)

    window.service.result.connect(on_answer)
    window.service.error.connect(on_answer)
    QTimer.singleShot(120_000, lambda: app.exit(1))
    window.qa_panel.question.setText(QUESTION)
    window.editor.setPlainText(TEXT)
    window.analyse_now()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
