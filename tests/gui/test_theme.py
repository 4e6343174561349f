"""The sentiment colours stay apart for people with red-green colour blindness, and what has
keyboard focus stands out in a dark palette."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assistant.batch_items import BatchRow
from assistant.gui import focus_rings, theme
from assistant.gui.main_window import MainWindow
from assistant.gui.widgets.about_dialog import AboutDialog

# Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
DEFICIENCIES = {
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _seen(label: str, matrix) -> tuple[float, ...]:
    color = theme.sentiment_color(label)
    rgb = [_linear(c) for c in (color.red(), color.green(), color.blue())]
    return tuple(sum(w * c for w, c in zip(row, rgb, strict=True)) for row in matrix)


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_positive_and_negative_differ_without_red_green_vision(deficiency: str) -> None:
    matrix = DEFICIENCIES[deficiency]
    positive, negative = _seen("positive", matrix), _seen("negative", matrix)
    distance = sum((p - n) ** 2 for p, n in zip(positive, negative, strict=True)) ** 0.5
    assert distance > 0.3  # blue and vermilion: 0.49-0.55; the green and red before: 0.05-0.28


def fusion_dark_palette() -> QPalette:
    """Qt's Fusion palette for a dark desktop (``qt_fusionPalette`` in qplatformtheme.cpp),
    which the offscreen platform never picks by itself."""
    role = QPalette.ColorRole
    text, window = QColor(240, 240, 240), QColor(50, 50, 50)
    dark, mid, base = window.darker(150), window.darker(130), window.darker(140)
    palette = QPalette(text, window, window.lighter(150), dark, mid, text, base)
    palette.setColor(role.Shadow, dark.darker(135))
    palette.setColor(role.Highlight, QColor(48, 140, 198))
    palette.setColor(role.HighlightedText, text)
    for disabled in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, disabled, QColor(130, 130, 130))
    return palette


@pytest.fixture
def fusion_dark(qapp) -> Iterator[QPalette]:
    """The app turned dark: its palette, put back afterwards."""
    light = QPalette(qapp.palette())
    dark = fusion_dark_palette()
    qapp.setPalette(dark)
    yield dark
    qapp.setPalette(light)


def pixel(widget: QWidget, x: int, y: int) -> QColor:
    return widget.grab().toImage().pixelColor(x, y)


def test_the_focused_text_box_is_ringed_at_3_to_1_in_the_dark(
    qtbot, window: MainWindow, fusion_dark: QPalette
) -> None:
    """Fusion draws no ring round a text box: its frame was the same focused or not."""
    window.activateWindow()
    editor = window.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    middle = editor.height() // 2
    outer, inner, inside = (pixel(editor, x, middle) for x in (0, 1, 3))

    assert focus_rings.contrast(outer, fusion_dark.color(QPalette.ColorRole.Window)) >= 3
    assert focus_rings.contrast(inner, inside) >= 3  # inside: the box's own colour


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("box", ["question", "search"])
def test_the_focused_line_edit_is_ringed_at_3_to_1_without_moving_its_text(
    qtbot, window: MainWindow, request: pytest.FixtureRequest, box: str, dark: bool
) -> None:
    """Fusion's focus line round a line edit measured 2.4:1 on its dark window, and its focus
    changed a light one's frame by 2.35:1."""
    palette = request.getfixturevalue("fusion_dark") if dark else window.palette()
    QApplication.processEvents()  # the palette reaches the widgets shown in an event
    line_edit = window.qa_panel.question if box == "question" else window.history_panel.search
    assert line_edit.palette().color(QPalette.ColorRole.Window) == palette.color(
        QPalette.ColorRole.Window
    )
    line_edit.setText("Text")
    window.history_dock.show()  # hidden until asked for
    qtbot.waitUntil(line_edit.isVisible)
    window.activateWindow()
    window.editor.setFocus()
    qtbot.waitUntil(window.editor.hasFocus)
    line_edit.grab()  # lays its text out, as showing it does
    unfocused = line_edit.cursorRect()
    line_edit.setFocus()
    qtbot.waitUntil(line_edit.hasFocus)
    middle = line_edit.height() // 2
    outer, inner = (pixel(line_edit, x, middle) for x in (0, 1))

    assert focus_rings.contrast(outer, palette.color(QPalette.ColorRole.Window)) >= 3
    assert focus_rings.contrast(inner, palette.color(QPalette.ColorRole.Base)) >= 3
    assert line_edit.cursorRect() == unfocused


def _combo_box() -> QComboBox:
    combo = QComboBox()
    combo.addItems(["text", "label"])
    return combo


CONTROLS = {"button": lambda: QPushButton("Run"), "combo box": _combo_box, "spin box": QSpinBox}


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("kind", CONTROLS)
def test_the_keyboards_button_combo_or_spin_box_is_ringed_at_3_to_1(
    qtbot, qapp, request: pytest.FixtureRequest, kind: str, dark: bool
) -> None:
    """Fusion's focus line round them measured 2.38:1 on its dark window, and its focus changed
    a light one's frame by 2.35:1; its 4.69:1 on the light window may not fade."""
    palette = request.getfixturevalue("fusion_dark") if dark else qapp.palette()
    panel = QWidget()  # not a dialog, whose default button Fusion outlines as if focused
    qtbot.addWidget(panel)
    first, control = QLineEdit(), CONTROLS[kind]()
    layout = QVBoxLayout(panel)
    layout.addWidget(first)
    layout.addWidget(control)
    panel.show()
    qtbot.waitActive(panel)
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    before = control.grab().toImage()
    control.setFocus(Qt.FocusReason.ShortcutFocusReason)  # Fusion marks the keyboard's focus
    qtbot.waitUntil(control.hasFocus)
    after = control.grab().toImage()
    middle = control.height() // 2
    (outer, inner), (was_outer, was_inner) = (
        [image.pixelColor(x, middle) for x in (0, 1)] for image in (after, before)
    )
    window = palette.color(QPalette.ColorRole.Window)
    fusions = palette.color(QPalette.ColorRole.Highlight).darker(125)  # its focus line

    assert focus_rings.contrast(outer, window) >= max(3, focus_rings.contrast(fusions, window))
    assert max(focus_rings.contrast(outer, was_outer), focus_rings.contrast(inner, was_inner)) >= 3


@pytest.mark.parametrize("selected", [False, True])
def test_the_batch_tables_current_cell_is_ringed_at_3_to_1_in_the_dark(
    qtbot, window: MainWindow, fusion_dark: QPalette, selected: bool
) -> None:
    """Fusion ringed it in the selection colour at a third of its strength: 1.2 to 1.3:1."""
    dialog = window.open_batch()
    dialog.model.add_rows([BatchRow(number, f"text {number}") for number in (1, 2, 3)])
    table = dialog.table
    cell = dialog.model.index(1, 1)
    table.setCurrentIndex(cell)
    if not selected:
        table.clearSelection()
    dialog.activateWindow()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    area = table.visualRect(cell)
    ring = pixel(table.viewport(), area.left(), area.center().y())
    fill = pixel(table.viewport(), area.center().x(), area.top() + 3)

    assert focus_rings.contrast(ring, fill) >= 3
    dialog.close()


def _empty_batch_table(window: MainWindow) -> QAbstractItemView:
    return window.open_batch().table


def _history_list(window: MainWindow) -> QAbstractItemView:
    window.history_dock.show()  # hidden until asked for
    return window.history_panel.list


VIEWS = {"empty batch table": _empty_batch_table, "history list": _history_list}


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("view", VIEWS)
def test_a_focused_list_or_table_is_ringed_at_3_to_1_even_with_no_item(
    qtbot, qapp, window: MainWindow, request: pytest.FixtureRequest, view: str, dark: bool
) -> None:
    """Only a view's current item was ringed: the batch table, empty before a run, was a Tab
    stop that showed nothing, and Fusion's frame round a view was the same focused or not."""
    palette = request.getfixturevalue("fusion_dark") if dark else window.palette()
    qapp.processEvents()  # the window, made before, gets the palette in an event
    items = VIEWS[view](window)
    assert items.palette().color(QPalette.ColorRole.Base) == palette.color(QPalette.ColorRole.Base)
    items.window().activateWindow()
    qtbot.waitUntil(items.isVisible)
    unfocused = items.viewport().geometry()
    items.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(items.hasFocus)
    middle = items.height() // 2
    outer, inner = (pixel(items, x, middle) for x in (0, 1))

    assert focus_rings.contrast(outer, palette.color(QPalette.ColorRole.Window)) >= 3
    assert focus_rings.contrast(inner, palette.color(QPalette.ColorRole.Base)) >= 3
    assert items.viewport().geometry() == unfocused  # the ring has its room: nothing moves


@pytest.mark.parametrize("dark", [False, True])
def test_the_about_text_is_ringed_at_3_to_1_when_tab_reaches_it(
    qtbot, qapp, request: pytest.FixtureRequest, dark: bool
) -> None:
    """It is a Tab stop, frameless before: Tab from Close reached it and nothing changed."""
    palette = request.getfixturevalue("fusion_dark") if dark else qapp.palette()
    about = AboutDialog()
    qtbot.addWidget(about)
    with qtbot.waitActive(about):
        about.show()
    qtbot.keyClick(about.focusWidget(), Qt.Key.Key_Tab)
    page = about.findChild(QScrollArea)
    qtbot.waitUntil(page.hasFocus)
    middle = page.height() // 2
    outer, inner, inside = (pixel(page, x, middle) for x in (0, 1, 3))

    assert focus_rings.contrast(outer, palette.color(QPalette.ColorRole.Window)) >= 3
    assert focus_rings.contrast(inner, inside) >= 3  # inside: the window's colour, behind the text


def test_a_pale_highlight_leaves_the_text_box_ring_to_the_text_colour() -> None:
    palette = QPalette(QColor(240, 240, 240))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(200, 220, 240))
    palette.setColor(QPalette.ColorRole.Text, QColor(20, 20, 20))

    assert focus_rings.text_box_ring(palette) == QColor(20, 20, 20)
    assert focus_rings.text_box_ring(fusion_dark_palette()) == QColor(48, 140, 198)


def test_other_styles_keep_their_own_rings(qapp) -> None:
    try:
        qapp.setStyle("Windows")
        focus_rings.ring_focus(qapp)
        assert qapp.style().name() == "windows"
    finally:
        qapp.setStyle("Fusion")
        focus_rings.ring_focus(qapp)
    assert isinstance(qapp.style(), focus_rings.FocusRingStyle)
