"""Start the desktop app: safe streams, logging, the application, the window, the event loop."""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import sys

log = logging.getLogger(__name__)


def _patch_std_streams() -> None:
    """A windowed (no console) frozen app has None streams; writing to them would crash."""
    if sys.stdout is None:
        sys.stdout = io.StringIO()
    if sys.stderr is None:
        sys.stderr = io.StringIO()


def main() -> int:
    multiprocessing.freeze_support()
    _patch_std_streams()

    from assistant.gui import paths
    from assistant.gui.application import Application, apply_font_size, install_excepthook
    from assistant.gui.logging_setup import setup_logging
    from assistant.gui.main_window import MainWindow
    from assistant.gui.settings import Settings
    from assistant.history import HistoryStore

    log_file = setup_logging(paths.log_dir())
    install_excepthook()
    app = Application(sys.argv)
    settings = Settings()
    apply_font_size(app, settings.font_size())
    store = HistoryStore.open_or_recover()
    log.info("Starting; log file %s, history %s", log_file, store.path)
    window = MainWindow(settings, store)
    window.show()
    code = app.exec()
    store.close()
    if window.service.is_running():
        # Still inside an uninterruptible model load; everything is saved, so leave now rather
        # than let Qt abort on a running thread at teardown.
        log.warning("Exiting while the inference thread is busy")
        logging.shutdown()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
