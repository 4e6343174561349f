"""Guards against a Qt binding that breaks long sessions.

PySide6/shiboken6 6.12.0 on Python 3.11 drops one reference to ``None`` on every call of a
method that returns nothing (``setText``, ``update``, ``processEvents`` ...). ``None`` is not
immortal before Python 3.12, so after some ten thousand such calls (about one per keystroke in
the app) the interpreter aborts with "none_dealloc". 6.11.3 is fine; pyproject must exclude 6.12.0.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtWidgets import QLabel

CALLS = 1000


def test_void_qt_calls_keep_the_reference_count_of_none(qapp) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("x")
    lost = before - sys.getrefcount(None)
    assert lost < CALLS // 2, (
        f"PySide6 {PySide6.__version__} loses a reference to None per call ({lost} in {CALLS});"
        " the app would abort after a while. Use a PySide6-Essentials version without this bug."
    )
