"""GUI fixtures: our Application, isolated settings and data folders per test, a fake engine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from assistant.gui.application import Application
from assistant.gui.main_window import MainWindow
from assistant.gui.settings import Settings
from assistant.history import HistoryStore

from .fake_engine import FakeEngine

READY_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def qapp_cls() -> type[Application]:
    return Application


@pytest.fixture(autouse=True)
def data_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every path the app writes to points into this test's tmp folder."""
    monkeypatch.setenv("SQUEEZE_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SQUEEZE_ASSISTANT_LOG_DIR", str(tmp_path / "logs"))
    return tmp_path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """QSettings under a random name in an ini file of this test's own folder."""
    name = f"squeeze-test-{uuid.uuid4().hex}"
    return Settings(QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def history_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(history_path: Path) -> Iterator[HistoryStore]:
    history = HistoryStore(history_path)
    yield history
    history.close()


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def make_window(
    qtbot, settings: Settings, store: HistoryStore, engine: FakeEngine
) -> WindowFactory:
    """Build a shown main window on the fake engine and wait until its models are 'loaded'."""

    def build(
        store: HistoryStore = store,
        engine: object = engine,
        wait_ready: bool = True,
        settings: Settings = settings,
    ) -> MainWindow:
        window = MainWindow(settings, store, lambda threads: engine)
        qtbot.addWidget(window)
        if wait_ready:
            with qtbot.waitSignal(window.service.ready, timeout=READY_TIMEOUT_MS):
                window.show()
        else:
            window.show()
        return window

    return build


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    return make_window()


class UnsavedTextQuestions(list):
    """The problems a closing window asked about, for text it could not keep for the next
    start; each is answered with the next of ``answers``, Discard once they run out."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[QMessageBox.StandardButton] = []

    def __call__(self, problem: str, can_retry: bool) -> QMessageBox.StandardButton:  # no window
        self.append(problem)
        return self.answers.pop(0) if self.answers else QMessageBox.StandardButton.Discard


@pytest.fixture(autouse=True)
def unsaved_text_questions(monkeypatch: pytest.MonkeyPatch) -> UnsavedTextQuestions:
    """A modal question at close would hang the test that closes the window."""
    asked = UnsavedTextQuestions()
    monkeypatch.setattr(MainWindow, "_ask_about_unsaved_text", asked)
    return asked
