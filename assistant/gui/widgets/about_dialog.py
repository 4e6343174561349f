"""About box: version, what the app does offline, and the licenses of what it ships.

Licenses are read from the installed packages' metadata, so the list cannot go stale.
"""

from __future__ import annotations

import html
from importlib import metadata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

import assistant
from assistant.gui.screen_fit import ScrollingPage

APP_LICENSE = "Apache-2.0"
COMPONENTS = (
    ("Qt for Python (PySide6)", "PySide6-Essentials"),
    ("Shiboken", "shiboken6"),
    ("ONNX Runtime", "onnxruntime"),
    ("Hugging Face Tokenizers", "tokenizers"),
    ("NumPy", "numpy"),
    ("platformdirs", "platformdirs"),
    ("sentencex", "sentencex"),
)
_SHORT_LICENSE = 60


def package_license(distribution: str) -> str:
    """The license a package declares: its SPDX expression, short License field or classifier."""
    try:
        meta = metadata.metadata(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"
    expression = (meta.get_all("License-Expression") or [""])[0]
    if expression:
        return expression
    declared = (meta.get_all("License") or [""])[0].strip()
    if declared and len(declared) <= _SHORT_LICENSE and "\n" not in declared:
        return declared
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return classifiers[0].split("::")[-1].strip()
    return "see the package"


def about_html() -> str:
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(package_license(dist))}</td></tr>"
        for name, dist in COMPONENTS
    )
    return (
        f"<h3>Squeeze Assistant {html.escape(assistant.__version__)}</h3>"
        "<p>Sentiment, intent and question answering with small int8 SqueezeBERT models."
        " Everything runs on this computer; the app never connects to the network.</p>"
        f"<p>Licensed under {APP_LICENSE}.</p>"
        "<p><b>Components</b></p>"
        f"<table cellspacing='6'>{rows}</table>"
        "<p>The models, and the data they were trained on, have their own licenses and"
        " attributions: see <i>Tools → Models</i>, where each model card lists them.</p>"
    )


class AboutDialog(QDialog):
    """A dialog of its own rather than ``QMessageBox.about``: the message box keeps to a narrow
    column that wraps every license onto three lines and grew to 808 px at 14 pt, past the
    bottom of a 720 px screen. This one is wide, fits the screen and scrolls."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Squeeze Assistant")
        text = QLabel(about_html())
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = ScrollingPage(text)
        # Still a Tab stop, unlike Settings' page: nothing on this one takes focus to scroll
        # it into view, and from here the arrow keys scroll it.
        scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        scroll.setAccessibleName("About Squeeze Assistant and the licenses of its parts")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        # Focus on Close, which shows it: it began on the text's scroll area, unmarked.
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        scroll.fit_window(self, layout, 60 * self.fontMetrics().averageCharWidth())


def show_about(parent: QWidget | None) -> None:
    AboutDialog(parent).exec()
