"""Alternatives are other places in the text, never a better answer give or take a word; a long
one keeps its score in view: elided in the middle, whole in its tooltip, and the list never
scrolls sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt

from assistant.engine.results import Answer
from assistant.gui.widgets.qa_panel import QaPanel

LONG = "the Ferreira family and still belongs to them, as the guests were told at breakfast"


def shown_panel(qtbot) -> QaPanel:
    """A question panel on screen, as narrow as the results column can be."""
    panel = QaPanel()
    qtbot.addWidget(panel)
    panel.resize(290, 400)
    panel.show()
    return panel


def test_a_long_alternative_is_elided_in_the_middle_with_its_full_text_in_a_tooltip(qtbot) -> None:
    panel = shown_panel(qtbot)
    panel.show_answers(
        [Answer("the Ferreira family", 0, 19, 0.52), Answer(LONG, 100, 100 + len(LONG), 0.01)]
    )

    long_item = panel.answers.item(1)
    assert long_item.text().endswith("1%")
    assert long_item.toolTip() == long_item.text()
    assert panel.answers.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert not panel.answers.horizontalScrollBar().isVisible()


def test_answers_that_overlap_a_better_one_are_not_listed(qtbot) -> None:
    panel = QaPanel()
    qtbot.addWidget(panel)
    best = Answer("the Ferreira family", 40, 59, 0.51)
    elsewhere = [Answer(f"answer {i}", 100 + 20 * i, 108 + 20 * i, 0.01) for i in range(6)]
    panel.show_answers(
        [
            best,
            Answer("Ferreira family", 44, 59, 0.40),
            Answer("by the Ferreira family", 37, 59, 0.03),
            Answer("family and still", 50, 66, 0.02),
            Answer("1998", 30, 34, 0.02),  # touches no better answer
            *elsewhere,
        ]
    )

    listed = [
        panel.answers.item(i).data(Qt.ItemDataRole.UserRole).answer
        for i in range(panel.answers.count())
    ]
    assert listed == ["the Ferreira family", "1998", "answer 0", "answer 1", "answer 2"]


def test_a_best_answer_with_a_low_score_says_the_text_may_not_hold_the_answer(qtbot) -> None:
    panel = QaPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_answers([Answer("wrought-iron lattice tower", 20, 46, 0.03)])
    assert panel.caveat.isVisible() and "may not hold the answer" in panel.caveat.text()
    panel.show_answers([Answer("Gustave Eiffel", 20, 34, 0.48)])
    assert not panel.caveat.isVisible()


def test_the_list_shows_every_answer_even_one_across_a_line_break(qtbot) -> None:
    panel = shown_panel(qtbot)
    panel.show_answers(
        [Answer("Paris", 0, 5, 0.6), Answer("two\nlines", 10, 19, 0.2), Answer("x", 30, 31, 0.1)]
    )
    rows = [panel.answers.visualItemRect(panel.answers.item(i)) for i in range(3)]
    assert rows[1].height() > rows[0].height()  # the answer across a line break takes two
    assert all(panel.answers.viewport().rect().contains(row) for row in rows)
