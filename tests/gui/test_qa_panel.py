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


def test_an_answer_across_a_line_break_shows_on_one_line(qtbot) -> None:
    """Word for word from the text, an answer kept its line break and indentation: "at no⏎
    charge" took two rows of the list."""
    panel = shown_panel(qtbot)
    panel.show_answers(
        [
            Answer("Paris", 0, 5, 0.6),
            Answer("at no\n    charge", 10, 26, 0.2),
            Answer("x", 30, 31, 0.1),
        ]
    )
    assert panel.answers.item(1).text() == "\u200e\u2068at no charge\u2069  —  20%"
    rows = [panel.answers.visualItemRect(panel.answers.item(i)) for i in range(3)]
    assert rows[1].height() == rows[0].height()
    assert all(panel.answers.viewport().rect().contains(row) for row in rows)
    panel.show_answers([Answer("two\r\n\tlines", 0, 11, 0.6)])
    assert panel.best.text() == "\u200e\u2068two lines\u2069  (60%)"


def test_a_new_answer_on_its_way_leaves_the_last_one_and_drops_its_progress(qtbot) -> None:
    """The title says it (a line of its own pushed what is below it down and back); the
    reading progress of a question no longer asked goes, with its Stop button."""
    panel = shown_panel(qtbot)
    panel.show_answers([Answer("Paris", 0, 5, 0.6)])
    panel.show_progress(1, 4)
    panel.show_analysing()
    assert panel.title() == "Question — analysing…"
    assert panel.accessibleName() == "Question results, analysing…"
    assert panel.best.text().startswith("\u200e\u2068Paris")
    assert not panel.state_label.isVisible() and not panel.stop_button.isVisible()
    panel.show_answers([Answer("Lisbon", 0, 6, 0.6)])
    assert (panel.title(), panel.accessibleName()) == ("Question", "Question results")


def test_a_state_without_a_result_ends_when_a_new_answer_is_on_its_way(qtbot) -> None:
    panel = shown_panel(qtbot)
    panel.show_state("Stopped. Edit the question or press Ctrl+Enter to ask again.")
    panel.show_analysing()
    assert not panel.state_label.isVisible() and panel.hint_label.isVisible()
