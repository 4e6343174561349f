"""About box: version, what the app does offline, and the licenses of what it ships.

Licenses are read from the installed packages' metadata, so the list cannot go stale.
"""

from __future__ import annotations

import html
from importlib import metadata

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QDialog,
    QDialogButtonBox,
    QFrame,
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
_TEXT_MARGIN = 4
"""Between the text and its frame, as a text box's (``QTextDocument.documentMargin``): the
letters touched the focus ring."""
_ENDS: dict[int, QAbstractSlider.SliderAction] = {  # Qt.Key is an int: key() matches it
    Qt.Key.Key_Home: QAbstractSlider.SliderAction.SliderToMinimum,
    Qt.Key.Key_End: QAbstractSlider.SliderAction.SliderToMaximum,
}
"""Where Home and End scroll the text to."""


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


class AboutPage(ScrollingPage):
    """The text, a Tab stop unlike Settings' page: nothing on it takes focus to scroll it into
    view, and from here the keys scroll it. Framed, for the focus ring goes round the frame:
    frameless, Tab reached it and nothing on screen changed."""

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Home and End go to the top and the end, as in a read-only text box: a scroll area
        maps only the arrows and Page Up and Down."""
        end = _ENDS.get(event.key())
        if end is None or event.modifiers() != Qt.KeyboardModifier.NoModifier:
            super().keyPressEvent(event)
            return
        self.verticalScrollBar().triggerAction(end)


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
        text.setMargin(_TEXT_MARGIN)
        scroll = AboutPage(text)
        scroll.setAccessibleName("About Squeeze Assistant and the licenses of its parts")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        # Focus starts on Close, where Enter closes as Escape does. Its ring shows only once the
        # keyboard moves focus, as Fusion's: the outline it opens with marks the default button,
        # focused or not.
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        scroll.fit_window(self, layout, 60 * self.fontMetrics().averageCharWidth())


def show_about(parent: QWidget | None) -> None:
    AboutDialog(parent).exec()
