"""How the batch window words a run: its progress, its end, and the question asked before its
results are lost (they are kept nowhere else until exported)."""

from __future__ import annotations

from assistant.gui.wording import duration
from assistant.wording import plural


def progress_line(done: int, total: int, seconds: float) -> str:
    """``done`` of ``total`` texts after ``seconds``, with the time left once it is a second
    or more."""
    text = f"{done:,} of {plural(total, 'text')}"
    left = seconds / done * (total - done) if done else 0.0
    if left >= 1:
        text += f" · about {duration(left)} left"
    return text


def ended_line(rows: int, failed: int, seconds: float, cancelled: bool) -> str:
    """A run that ended with ``rows`` rows in ``seconds``, ``failed`` of them a problem."""
    elapsed = duration(seconds)
    if cancelled:
        return f"Cancelled after {plural(rows, 'text')} ({elapsed})."
    problems = f"; {failed:,} could not be analysed (see Problem)" if failed else ""
    return f"Done: {plural(rows, 'text')} in {elapsed}{problems}."


def discard_question(rows: int, running: bool) -> str:
    """Asked before a running batch, or ``rows`` results not exported, would be thrown away."""
    done = plural(rows, "text")
    if running:
        lost = f" and discard the {done} analysed so far" if rows else ""
        return f"Stop the batch{lost}?"
    return f"Discard the results of {done}? They have not been exported."
