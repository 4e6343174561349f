"""``assistant sentiment``, ``intent`` and ``ask``: one-off analyses of texts given on the
command line, in a file or on standard input."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from assistant.answers import ANSWERS_CONSIDERED, found_answers, unsure_note
from assistant.cli.errors import EXIT_INPUT, EXIT_OK
from assistant.cli.output import caveats, emit_json, ranking_line, short_line, write_notes
from assistant.cli.progress import ProgressBar
from assistant.cli.sources import given_texts, read_source
from assistant.engine import Engine, InputError
from assistant.language_check import language_caveat
from assistant.wording import hedged_description, intent_note, listed_alternatives, sentiment_note


def sentiment(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    """Each text's label and score, and each sentence's where the text has several; a note
    where the model is unsure (``wording.sentiment_note``), as in the window."""
    return _classify(args, out, engine.sentiment, _write_sentiments, _sentiment_note)


def intent(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    """Each text's intent and score, with what it covers, its domain and the next likeliest
    intents."""
    return _classify(args, out, engine.intent, _write_intents, intent_note)


def _analyse_each(analyse: Callable[[Any], Any], texts: list[str]) -> list[Any]:
    """Each text's result, or the InputError that says why it has none: all in one call where
    every text can be analysed, else each alone (one empty text among several cost the results
    of all). A single text's error is raised, as the only thing to say."""
    if len(texts) == 1:
        return [analyse(texts[0])]
    try:
        return list(analyse(texts))
    except InputError:
        return [_result_or_error(analyse, text) for text in texts]


def _result_or_error(analyse: Callable[[Any], Any], text: str) -> Any:
    try:
        return analyse(text)
    except InputError as exc:
        return exc


def _classify(
    args: argparse.Namespace,
    out: TextIO,
    analyse: Callable[[Any], Any],
    write_lines: Callable[[TextIO, Sequence[str], Sequence[Any]], None],
    note: Callable[[Any, str], str | None],
) -> int:
    """What ``sentiment`` and ``intent`` share: the texts, analysed together, written as JSON
    lines (with the CLI's caveats, ``note``'s among them) or, for people, by ``write_lines``.
    A text that cannot be analysed gets ``{"text", "error"}`` in JSON, else a line on stderr;
    the exit code is then 2."""
    texts = given_texts(args)
    results = _analyse_each(analyse, texts)
    analysed = [(t, r) for t, r in zip(texts, results, strict=True) if not _failed(r)]
    if args.json:
        for text, result in zip(texts, results, strict=True):
            record = {"error": str(result)} if _failed(result) else result.to_dict()
            said = None if _failed(result) else note(result, text)
            emit_json(out, {"text": text, **record, **caveats(said, language_caveat(text))})
    else:
        if analysed:
            write_lines(out, [text for text, _ in analysed], [result for _, result in analysed])
        for number, result in enumerate(results, start=1):
            if _failed(result):
                print(f"assistant: text #{number}: {result}", file=sys.stderr)
    return EXIT_INPUT if len(analysed) < len(texts) else EXIT_OK


def _failed(result: Any) -> bool:
    return isinstance(result, InputError)


def _sentiment_note(result: Any, _text: str) -> str | None:
    """``_classify``'s note for a sentiment, which needs only its score."""
    return sentiment_note(result.score)


def _write_sentiments(out: TextIO, texts: Sequence[str], results: Sequence[Any]) -> None:
    for text, result in zip(texts, results, strict=True):
        out.write(f"{result.label:<8}  {result.score:.2f}  {short_line(text)}\n")
        if len(result.sentences) > 1:
            for sentence in result.sentences:
                out.write(
                    f"  {sentence.label:<8}  {sentence.score:.2f}  {short_line(sentence.text)}\n"
                )
        write_notes(out, result.note, sentiment_note(result.score), language_caveat(text))


def _write_intents(out: TextIO, texts: Sequence[str], results: Sequence[Any]) -> None:
    width = max(len(result.label) for result in results)
    for text, result in zip(texts, results, strict=True):
        out.write(f"{result.label:<{width}}  {result.score:.2f}  {short_line(text)}\n")
        said = hedged_description(result.description, result.score)
        domain = f"domain {result.domain or '-'}"
        where = "out of scope" if result.is_oos else "; ".join(filter(None, (said, domain)))
        nearest = "nearest" if result.is_oos else "next"
        listed = ranking_line(listed_alternatives(result.alternatives)) or "-"
        out.write(f"  {where}; {nearest}: {listed}\n")
        write_notes(out, intent_note(result, text), language_caveat(text))


def ask(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    """The best answers; the text output leaves out overlapping variants (as the window does)
    and says when the model is unsure. A long text shows a progress bar in a terminal."""
    context = read_source(args.context)
    progress = ProgressBar(0, sys.stderr, delay_s=0.5) if sys.stderr.isatty() else None
    answers = engine.answer(
        args.question,
        context,
        top_k=args.top_k if args.json else max(args.top_k, ANSWERS_CONSIDERED),
        progress=progress.update if progress else None,
    )
    if progress:
        progress.finish()
    found = found_answers(answers)
    notes = (unsure_note(found[0]) if found else None, language_caveat(context))
    if args.json:
        record = {"question": args.question, "answers": [a.to_dict() for a in answers]}
        emit_json(out, record | caveats(*notes))
        return EXIT_OK
    shown = found[: args.top_k]
    if not shown:
        out.write("No answer found in the text.\n")
    for answer in shown:
        span = f"characters {answer.start}-{answer.end}"
        out.write(f"{answer.score:.2f}  {short_line(answer.answer)}  ({span})\n")
    write_notes(out, *notes)
    return EXIT_OK
