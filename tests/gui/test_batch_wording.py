"""The batch window's words for a run's progress, its end and the question before its results
are lost."""

from __future__ import annotations

from assistant.gui.widgets.batch_wording import discard_question, ended_line, progress_line


def test_progress_says_the_time_left_once_it_is_a_second_or_more() -> None:
    assert progress_line(0, 1_000, 3.0) == "0 of 1,000 texts"
    assert progress_line(9, 10, 1.0) == "9 of 10 texts"  # a ninth of a second left
    assert progress_line(100, 1_000, 10.0) == "100 of 1,000 texts · about 1 min 30 s left"


def test_the_end_of_a_run_says_how_it_ended() -> None:
    assert ended_line(1, 0, 2.0, cancelled=False) == "Done: 1 text in 2 s."
    assert ended_line(5, 2, 2.0, cancelled=False).endswith(
        "; 2 could not be analysed (see Problem)."
    )
    assert ended_line(5, 2, 2.0, cancelled=True) == "Cancelled after 5 texts (2 s)."


def test_the_question_says_what_would_be_lost() -> None:
    assert discard_question(3, running=False) == (
        "Discard the results of 3 texts? They have not been exported."
    )
    assert discard_question(0, running=True) == "Stop the batch?"
    assert discard_question(1, running=True) == (
        "Stop the batch and discard the 1 text analysed so far?"
    )
