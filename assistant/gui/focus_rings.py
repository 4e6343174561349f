"""Focus rings that stand out on light and dark palettes: where the keyboard is, seen at a
glance (Fusion's rings measured 1.2-1.3:1 on its dark palette, and none round a text box, a
list or a table)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRect, QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QLineEdit,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComboBox,
    QStyleOptionComplex,
    QStyleOptionSpinBox,
    QWidget,
)

NON_TEXT_CONTRAST = 3.0
"""WCAG 2's least contrast for what shows a state, such as the ring round what has focus."""


def contrast(one: QColor, other: QColor) -> float:
    """WCAG 2's contrast ratio of two opaque colours: 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in (color.redF(), color.greenF(), color.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def text_box_ring(palette: QPalette) -> QColor:
    """The ring round a focused text box, list, table or page that scrolls: the highlight
    colour where it stands out against the window and the box, else the text colour."""
    role = QPalette.ColorRole
    window, base, ring = (palette.color(r) for r in (role.Window, role.Base, role.Highlight))
    if min(contrast(ring, window), contrast(ring, base)) < NON_TEXT_CONTRAST:
        return palette.color(role.Text)
    return ring


def control_ring(palette: QPalette) -> QColor:
    """The ring round a focused button, combo box or spin box: ``text_box_ring``, or Fusion's
    own focus colour, the highlight darkened, where that stands out more against the window:
    4.69:1 on Fusion's light palette, whose highlight measures 3.21:1 there."""
    window = palette.color(QPalette.ColorRole.Window)
    fusions = palette.color(QPalette.ColorRole.Highlight).darker(125)
    return max(text_box_ring(palette), fusions, key=lambda ring: contrast(ring, window))


RING = 2
"""How wide a focus ring is, in pixels."""
_RINGED = (QAbstractScrollArea, QLineEdit)
"""What gets ``text_box_ring`` round its frame: a scroll area (a text box, list, table or page)
has no ring of its own, and an empty view no current item to ring; Fusion's focus line round a
line edit measured 2.4:1 on its dark palette's window, and its focus changed a light one's
frame by 2.35:1. A frameless scroll area (``QFrame.NoFrame``) has nothing to ring: one that
takes focus needs a frame."""


class FocusRingStyle(QProxyStyle):
    """Fusion with focus rings that stand out at ``NON_TEXT_CONTRAST``. Fusion draws none round
    a text box, a faint one round a line edit, and rings a view's current item (or a check box)
    in the selection colour at a third of its strength: 1.3:1 on its dark palette's base, 1.2:1
    on the selection; round a button, combo box or spin box, a line in the highlight darkened:
    2.38:1 on its dark window. Here a scroll area or line edit gets ``text_box_ring``; a button,
    combo box or spin box, ``control_ring`` over Fusion's line; the item, the text colour,
    which stands out against the box (it is text) and, on Fusion's palettes, against the
    selection too."""

    def __init__(self) -> None:
        super().__init__("fusion")

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        if metric == QStyle.PixelMetric.PM_DefaultFrameWidth and isinstance(widget, _RINGED):
            return RING  # room for the ring: the text must not move when focus comes and goes
        return super().pixelMetric(metric, option, widget)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        palette, state = option.palette, option.state
        if _is_frame(element, widget):
            if state & QStyle.StateFlag.State_HasFocus:
                _ring(painter, option.rect, text_box_ring(palette))
                return
            # Fusion's own 1 px line, and the box's colour in the pixel the ring makes room in
            room = option.rect.adjusted(1, 1, -1, -1)
            _ring(painter, room, palette.color(_inside(widget)), 1)
        elif element == QStyle.PrimitiveElement.PE_FrameFocusRect and (
            state & QStyle.StateFlag.State_KeyboardFocusChange  # as Fusion; a view sets it
        ):
            over_items = isinstance(widget, QAbstractItemView)
            role = QPalette.ColorRole.Text if over_items else QPalette.ColorRole.WindowText
            _ring(painter, option.rect, palette.color(role))
            return
        super().drawPrimitive(element, option, painter, widget)

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        if element == QStyle.ControlElement.CE_PushButtonBevel and _focus_shown(option):
            _ring(painter, option.rect, control_ring(option.palette))

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if isinstance(option, QStyleOptionComboBox) and _focus_shown(option, option.editable):
            _ring(painter, option.rect, control_ring(option.palette))
        elif isinstance(option, QStyleOptionSpinBox) and _focus_shown(option, typed_in=True):
            box = option.rect.adjusted(0, 1, 0, -1)  # Fusion's box: a pixel in from top and bottom
            _ring(painter, box, control_ring(option.palette))


def _is_frame(element: QStyle.PrimitiveElement, widget: QWidget | None) -> bool:
    """Whether this draws the frame of a box that ``text_box_ring`` rings when focused."""
    if isinstance(widget, QLineEdit):
        return element == QStyle.PrimitiveElement.PE_FrameLineEdit
    return element == QStyle.PrimitiveElement.PE_Frame and isinstance(widget, QAbstractScrollArea)


def _inside(widget: QWidget | None) -> QPalette.ColorRole:
    """The colour role of what a framed box shows inside: a text box's or view's base, or the
    window's behind a page (a ``QScrollArea``'s viewport takes its parent's)."""
    if isinstance(widget, QAbstractScrollArea):
        return widget.viewport().backgroundRole()
    return QPalette.ColorRole.Base


def _focus_shown(option: QStyleOption, typed_in: bool = False) -> bool:
    """Whether Fusion marks this control's focus: a box typed in, always; a button, only when
    the keyboard brought focus to it."""
    state = option.state
    keyboard = typed_in or state & QStyle.StateFlag.State_KeyboardFocusChange
    return bool(state & QStyle.StateFlag.State_HasFocus and keyboard)


def _ring(painter: QPainter, rect: QRect, color: QColor, width: int = RING) -> None:
    """A ring ``width`` pixels wide just inside ``rect``."""
    ring = QPainterPath()  # two rectangles, filled odd-even: the space between them
    ring.addRect(QRectF(rect))
    ring.addRect(QRectF(rect.adjusted(width, width, -width, -width)))
    painter.fillPath(ring, color)


def ring_focus(app: QCoreApplication | None) -> None:
    """Give the app ``FocusRingStyle`` where it runs Fusion (Linux's usual style), once: other
    styles draw rings of their own. App-wide, for the dialogs are windows of their own; when
    the app starts, before any widget is drawn."""
    if not isinstance(app, QApplication) or isinstance(app.style(), FocusRingStyle):
        return
    if app.style().name() == "fusion":
        app.setStyle(FocusRingStyle())
