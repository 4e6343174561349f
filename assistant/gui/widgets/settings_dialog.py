"""Threads, out-of-scope threshold and font size; the window applies them on accept."""

from __future__ import annotations

import os

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assistant.gui.screen_fit import ScrollingPage
from assistant.gui.settings import MAX_FONT_SIZE, MIN_FONT_SIZE, Settings
from assistant.limits import MAX_THREADS

THREADS_HELP = (
    "How many of the processor's cores the models may use at once. Automatic suits most"
    " computers; fewer leaves more for other programs."
)
OOS_HELP = (
    "How sure the assistant must be of an intent to name it: below this, a text reads as"
    " \u201cOut of scope\u201d. Higher names fewer wrong intents and leaves more requests"
    " unnamed."
)


def _add_explanation(form: QFormLayout, text: str, control: QWidget) -> None:
    """A row under a setting that says what it does, on screen rather than in a tooltip; a
    screen reader hears it as the control's description."""
    label = QLabel(text)
    label.setWordWrap(True)  # full contrast: a greyed hint is hard to read
    control.setAccessibleDescription(text)
    # An empty label, not "": a row without one kept the height of the text's narrowest
    # wrapping, a line too many around it once wider (Qt's QFormLayout).
    form.addRow(QLabel(), label)


class FontSizeBox(QSpinBox):
    """Font sizes in points, below them "System default": one step up from it goes to the
    size above the system's, not to the smallest (8 pt, smaller than the default it left).
    A size typed in is taken as typed."""

    def stepBy(self, steps: int) -> None:
        if self.value() == self.minimum() and steps > 0:
            system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).pointSize()
            self.setValue(min(max(system + steps, self.minimum() + 1), self.maximum()))
            return
        super().stepBy(steps)


class SettingsDialog(QDialog):
    """Edits a :class:`Settings`; ``default_oos`` is the threshold calibrated in the bundle."""

    def __init__(
        self, settings: Settings, default_oos: float | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings

        self.threads = QSpinBox()
        self.threads.setRange(0, min(max(os.cpu_count() or 1, 1), MAX_THREADS))
        self.threads.setSpecialValueText("Automatic")
        self.threads.setValue(settings.threads() or 0)
        self.threads.setAccessibleName("Inference threads")

        calibrated = (
            "known once the models have loaded" if default_oos is None else f"{default_oos:.2f}"
        )
        # Its own access key: Alt+S reaches the threshold box, which is off while this is ticked.
        self.oos_default = QCheckBox(f"&Use the calibrated value ({calibrated})")
        self.oos_default.setAccessibleName("Use the calibrated out-of-scope threshold")
        self.oos = QDoubleSpinBox()
        self.oos.setRange(0.0, 1.0)
        self.oos.setSingleStep(0.05)
        self.oos.setDecimals(2)
        self.oos.setAccessibleName("Out-of-scope threshold")
        stored = settings.oos_threshold()
        initial = stored if stored is not None else default_oos
        if initial is not None:
            self.oos.setValue(initial)
        self.oos_default.setChecked(stored is None)
        # Before the models load there is no calibrated value to start a custom one from.
        self.oos_default.setEnabled(initial is not None)
        self.oos.setEnabled(stored is not None)
        self.oos_default.toggled.connect(lambda checked: self.oos.setEnabled(not checked))

        self.font_size = FontSizeBox()
        self.font_size.setRange(MIN_FONT_SIZE - 1, MAX_FONT_SIZE)
        self.font_size.setSpecialValueText("System default")
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(settings.font_size() or MIN_FONT_SIZE - 1)
        self.font_size.setAccessibleName("Font size")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        # A field with no room beside its label (24 pt, 1024 px) goes below it: no sideways scroll.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("&Threads:", self.threads)
        _add_explanation(form, THREADS_HELP, self.threads)
        form.addRow("Out-of-&scope threshold:", self.oos)
        form.addRow("", self.oos_default)
        _add_explanation(form, OOS_HELP, self.oos)
        form.addRow("&Font size:", self.font_size)
        theme = QLabel("The colours follow the system theme (light or dark).")
        theme.setWordWrap(True)  # one line was wider than a small screen at 20 pt
        form.addRow(theme)
        scroll = ScrollingPage(page)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        # Wide enough for the help in few lines; at a large font on a small screen it scrolls.
        scroll.fit_window(self, layout, 75 * self.fontMetrics().averageCharWidth())

    def accept(self) -> None:
        """Store the choices; the special values store nothing, so defaults apply."""
        self._settings.set_value(Settings.Key.THREADS, self.threads.value() or None)
        oos = None if self.oos_default.isChecked() else round(self.oos.value(), 2)
        self._settings.set_value(Settings.Key.OOS_THRESHOLD, oos)
        size = self.font_size.value()
        self._settings.set_value(Settings.Key.FONT_SIZE, size if size >= MIN_FONT_SIZE else None)
        super().accept()
