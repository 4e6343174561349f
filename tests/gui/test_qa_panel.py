"""A long alternative answer keeps its score in view: elided in the middle, whole in its tooltip,
and the list never scrolls sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt

from assistant.engine.results import Answer
from assistant.gui.widgets.qa_panel import QaPanel

LONG = "the Ferreira family and still belongs to them, as the guests were told at breakfast"


def test_a_long_alternative_is_elided_in_the_middle_with_its_full_text_in_a_tooltip(qtbot) -> None:
    panel = QaPanel()
    qtbot.addWidget(panel)
    panel.resize(290, 300)
    panel.show()

    panel.show_answers(
        [Answer("the Ferreira family", 0, 19, 0.52), Answer(LONG, 0, len(LONG), 0.01)]
    )

    long_item = panel.answers.item(1)
    assert long_item.text().endswith("1%")
    assert long_item.toolTip() == long_item.text()
    assert panel.answers.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert not panel.answers.horizontalScrollBar().isVisible()
