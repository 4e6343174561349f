"""Command line on the same engine as the GUI: one-off analyses, batch files, models, self-test.

Exit codes: 0 ok, 1 the window cannot open or standard output cannot be written, 2 bad input
(empty text, unreadable file, bad option, no text of a batch analysed), 3 model problem
(missing, corrupt or failing model), 130 interrupted (Ctrl+C), 143 terminated (SIGTERM), 129
its terminal closed (SIGHUP).
Expected errors print one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from assistant import __version__
from assistant.answers import ANSWERS_CONSIDERED, distinct, unsure_note
from assistant.batch_analysis import BATCH_TASKS, analyse_items
from assistant.batch_files import (
    TEXT_COLUMNS,
    BatchFileError,
    BatchRow,
    count_items,
    guessed_column,
    output_format,
    read_items,
    same_file,
    write_results,
    write_rows,
)
from assistant.batch_summary import BatchSummary
from assistant.bundle_report import flat_metrics, human_size
from assistant.engine import MAX_INPUT_CHARS, Engine, InputError, ModelError
from assistant.engine.bundles import search_dirs, where_looked
from assistant.limits import MAX_THREADS
from assistant.script_check import script_caveat
from assistant.self_test import run_self_test
from assistant.text_files import decode_line, decode_text, legacy_note

EXIT_OK, EXIT_OUTPUT, EXIT_INPUT, EXIT_MODEL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
NO_MODELS = (
    "No model bundle is installed, so nothing can be analysed (looked in {looked}). Bundles live"
    " in resources/models (or pass --models-dir PATH, or set SQUEEZE_ASSISTANT_MODELS)."
)


class CliError(Exception):
    """An expected failure: a message for a person and the exit code that goes with it."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def make_engine(models_dir: Path | None, threads: int | None) -> Engine:
    """Build the engine; the one place tests replace to run the CLI on a fake engine."""
    return Engine(models_dir=models_dir, threads=threads)


# --- parsing -------------------------------------------------------------------------------------


def _positive_int(value: str, most: int | None = None) -> int:
    number = int(value) if value.isascii() and value.isdigit() else 0  # not "²": int() fails
    if number < 1 or (most is not None and number > most):
        wanted = f"from 1 to {most}" if most is not None else "of at least 1"
        raise argparse.ArgumentTypeError(f"expected a whole number {wanted}, got {value!r}")
    return number


def _thread_count(value: str) -> int:
    return _positive_int(value, MAX_THREADS)


def _task_list(value: str) -> tuple[str, ...]:
    tasks = tuple(dict.fromkeys(t.strip() for t in value.split(",") if t.strip()))
    unknown = [t for t in tasks if t not in BATCH_TASKS]
    if unknown or not tasks:
        raise argparse.ArgumentTypeError(f"choose from {','.join(BATCH_TASKS)}, got {value!r}")
    return tasks


def _add_global_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """Options accepted before or after the command.

    The subcommands' copies default to SUPPRESS so they never overwrite a value given before
    the command name.
    """

    def default(value: Any) -> Any:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument(
        "--json", action="store_true", default=default(False), help="one JSON object per input"
    )
    parser.add_argument(
        "--threads",
        type=_thread_count,
        metavar="N",
        default=default(None),
        help="CPU threads per model (default: the engine's choice)",
    )
    parser.add_argument(
        "--models-dir",
        type=Path,
        metavar="PATH",
        default=default(None),
        help="folder with manifest.json and model bundles (default: the bundled models)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Offline sentiment, intent and question answering. "
        "Run without arguments to open the window.",
        epilog="Exit codes: 0 ok, 1 the window cannot open or standard output cannot be"
        " written, 2 bad input (or no text of a batch analysed), 3 model missing or broken,"
        " 130 interrupted, 143 terminated, 129 terminal closed.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help="check every model on fixed inputs"
    )
    _add_global_options(parser, defaults=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _add_global_options(sub, defaults=False)
        return sub

    text_help = (
        "text to analyse (several allowed); - reads all of standard input as one text (for"
        " a text per line, use batch on a file)"
    )
    command("sentiment", "Is the text positive or negative?").add_argument(
        "texts", nargs="+", type=_typed, metavar="TEXT", help=text_help
    )
    command("intent", "What does the text ask for?").add_argument(
        "texts", nargs="+", type=_typed, metavar="TEXT", help=text_help
    )
    ask = command("ask", "Answer a question from a text.")
    ask.add_argument("question", type=_typed, metavar="QUESTION", help="the question, in quotes")
    ask.add_argument(
        "--context",
        required=True,
        metavar="FILE",
        help="text file (UTF-8, UTF-16 or Windows-1252); - reads standard input",
    )
    ask.add_argument(
        "--top-k",
        type=_positive_int,
        default=1,
        metavar="K",
        help="answers to show (default 1); without --json, answers overlapping a better one"
        " are left out",
    )
    batch = command("batch", "Analyse every line of a .txt, .csv, .tsv or .jsonl file.")
    batch.add_argument(
        "input", type=Path, metavar="INPUT", help="a .txt (a text per line), .csv, .tsv or .jsonl"
    )
    batch.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUTPUT",
        help=".csv, .jsonl or .json (default: stdout)",
    )
    batch.add_argument(
        "--tasks",
        type=_task_list,
        default=BATCH_TASKS,
        metavar="LIST",
        help="comma-separated, from sentiment,intent (default: both)",
    )
    batch.add_argument(
        "--column", type=_typed, metavar="NAME", help="CSV column or JSONL field with the text"
    )
    command("models", "List the installed model bundles.")
    return parser


# --- entry point ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None and not args.self_test:
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    if args.command is not None and args.self_test:
        parser.error(f"--self-test runs on its own: leave out {args.command!r}")
    if sys.stderr is None:  # started with it closed (`2>&-`): messages go nowhere, as asked
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (open for the process's life)
    if sys.stdout is None:  # started with it closed (`>&-`): a result would be lost unseen
        return _fail("standard output is closed, so results cannot be written.", EXIT_OUTPUT)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # lone surrogates from argv or files
    if _writes_json(args) and hasattr(sys.stdout, "reconfigure"):
        # JSON is UTF-8 (RFC 8259): in a Windows code page an emoji became "\U0001f60d",
        # which no JSON reader accepts.
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
    if args.models_dir is not None and not args.models_dir.is_dir():
        return _fail(f"--models-dir {args.models_dir} is not a folder.", EXIT_INPUT)
    try:
        engine = make_engine(args.models_dir, args.threads)
        handler = _self_test if args.self_test else COMMANDS[args.command]
        return handler(args, engine, sys.stdout)
    except CliError as exc:
        return _fail(str(exc), exc.code)
    except (InputError, BatchFileError) as exc:
        return _fail(str(exc), EXIT_INPUT)
    except ModelError as exc:
        return _fail(str(exc), EXIT_MODEL)
    except KeyboardInterrupt:
        if sys.stderr.isatty():
            print(file=sys.stderr)  # below a progress bar cut short, not after it
        return _fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        # The reader (say `head`) has gone: stop quietly, but not as a success (a script under
        # `set -o pipefail` must see that the results were not all written).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OUTPUT
    except OSError as exc:  # the user's files are read and written in words above
        where = f"cannot use {exc.filename}" if exc.filename else "cannot write standard output"
        return _fail(f"{where}: {exc.strerror or exc}", EXIT_OUTPUT)  # (a full disk, say)


def _writes_json(args: argparse.Namespace) -> bool:
    return args.json or (args.command == "batch" and args.output is None)


def _fail(message: str, code: int) -> int:
    print(f"assistant: {message}", file=sys.stderr)
    return code


def _no_models(args: argparse.Namespace) -> CliError:
    looked = where_looked(search_dirs(args.models_dir))
    return CliError(NO_MODELS.format(looked=looked), EXIT_MODEL)


def _require_models(args: argparse.Namespace, engine: Engine, tasks: Iterable[str] = ()) -> None:
    """Stop before any work when no bundle is installed or a needed task cannot run."""
    if not engine.installed():
        raise _no_models(args)
    for task in tasks:
        problem = engine.task_error(task)
        if problem:
            raise CliError(problem, EXIT_MODEL)


# --- input ---------------------------------------------------------------------------------------


_ESCAPED_BYTES = re.compile("[\udc80-\udcff]")


def _typed(argument: str) -> str:
    """A text argument as typed: on POSIX, bytes the locale could not decode (``LC_ALL=C``, a
    Latin-1 byte in a UTF-8 terminal) arrive as escapes and are read as a file's lines would
    be (UTF-8, else Windows-1252); bytes neither reads stay as they came (Windows passes
    arguments as text, never as bytes)."""
    if os.name != "posix" or not _ESCAPED_BYTES.search(argument):
        return argument
    lines = [decode_line(raw) for raw in os.fsencode(argument).splitlines(keepends=True)]
    return "".join(line.text for line in lines) if all(line.ok for line in lines) else argument


_MOST_BYTES = 4 * MAX_INPUT_CHARS + 4
"""Read no further: more bytes hold more characters than the engine takes, in any encoding
(UTF-8's longest characters, and a byte order mark). An endless pipe must not fill memory."""


def _read_source(spec: str) -> str:
    """The text of a file, or of standard input for '-', read by ``text_files.decode_text``
    (UTF-8, UTF-16, Windows-1252 line by line); a binary or damaged input is refused in words.
    Standard input loses its final line breaks, as in the shell's ``$(...)``: ``echo`` adds one
    that the JSON ``text`` would otherwise carry."""
    name = "standard input" if spec == "-" else spec
    stdin = getattr(sys.stdin, "buffer", None)
    if spec == "-" and stdin is None:
        raise CliError("There is no standard input to read.", EXIT_INPUT)
    if spec == "-" and sys.stdin.isatty():
        print(
            "Type or paste the text, then press Ctrl+D on a line of its own"
            " (Ctrl+Z, then Enter, on Windows).",
            file=sys.stderr,
        )
    try:
        with contextlib.nullcontext(stdin) if spec == "-" else Path(spec).open("rb") as source:
            data = source.read(_MOST_BYTES + 1)
    except OSError as exc:
        raise CliError(f"Cannot read {name}: {exc.strerror or exc}", EXIT_INPUT) from None
    if len(data) > _MOST_BYTES:
        raise CliError(
            f"{name} is longer than the limit of {MAX_INPUT_CHARS:,} characters"
            f" (it holds more than {_MOST_BYTES:,} bytes).",
            EXIT_INPUT,
        )
    try:
        decoded = decode_text(data, name)
    except ValueError as exc:
        raise CliError(str(exc), EXIT_INPUT) from None
    if decoded.damaged:
        raise CliError(
            f"Some bytes of {name} cannot be read as text: save it as UTF-8.", EXIT_INPUT
        )
    note = legacy_note(name, decoded)
    if note:
        print(f"note: {note}", file=sys.stderr)
    return decoded.text.rstrip("\r\n") if spec == "-" else decoded.text


def _texts(args: argparse.Namespace) -> list[str]:
    if args.texts.count("-") > 1:
        raise CliError("Standard input can be read only once: give '-' once.", EXIT_INPUT)
    return [_read_source("-") if text == "-" else text for text in args.texts]


def _each(analyse: Any, texts: list[str]) -> list[Any]:
    """One batched call for several texts; a single text alone, so errors don't say "text #1"."""
    return analyse(texts) if len(texts) > 1 else [analyse(texts[0])]


# --- output --------------------------------------------------------------------------------------


def _emit_json(out: TextIO, record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _short(text: str, width: int = 72) -> str:
    """One display line: whitespace runs collapsed, control characters shown as U+FFFD (an
    escape sequence in a text would retitle or recolour the terminal), long texts cut."""
    line = _CONTROL.sub("\ufffd", " ".join(text.split()))
    return line if len(line) <= width else line[: width - 3] + "..."


def _caveats(*notes: str | None) -> dict[str, list[str]]:
    """The ``note:`` lines the CLI adds under a text result, as a JSON field (the engine's own
    result fields stay as they are)."""
    return {"caveats": [note for note in notes if note]}


def _notes(out: TextIO, *notes: str | None) -> None:
    """Indented ``note:`` lines under a result, for what the user should know about it."""
    for note in notes:
        if note:
            out.write(f"  note: {note}\n")


def _ranking(pairs: Iterable[tuple[str, float]]) -> str:
    return ", ".join(f"{label} {score:.2f}" for label, score in pairs)


# --- commands ------------------------------------------------------------------------------------


def _sentiment(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    texts = _texts(args)
    results = _each(engine.sentiment, texts)
    for text, result in zip(texts, results, strict=True):
        if args.json:
            _emit_json(out, {"text": text, **result.to_dict(), **_caveats(script_caveat(text))})
            continue
        out.write(f"{result.label:<8}  {result.score:.2f}  {_short(text)}\n")
        if len(result.sentences) > 1:
            for sentence in result.sentences:
                out.write(
                    f"  {sentence.label:<8}  {sentence.score:.2f}  {_short(sentence.text)}\n"
                )
        _notes(out, result.note, script_caveat(text))
    return EXIT_OK


def _intent(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    texts = _texts(args)
    results = _each(engine.intent, texts)
    width = max(len(result.label) for result in results)
    for text, result in zip(texts, results, strict=True):
        if args.json:
            _emit_json(out, {"text": text, **result.to_dict(), **_caveats(script_caveat(text))})
            continue
        out.write(f"{result.label:<{width}}  {result.score:.2f}  {_short(text)}\n")
        where = "out of scope" if result.is_oos else f"domain {result.domain or '-'}"
        nearest = "nearest" if result.is_oos else "next"
        out.write(f"  {where}; {nearest}: {_ranking(result.alternatives[:3]) or '-'}\n")
        _notes(out, script_caveat(text))
    return EXIT_OK


def _ask(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    """The best answers; the text output leaves out overlapping variants (as the window does)
    and says when the model is unsure. A long text shows a progress bar in a terminal."""
    context = _read_source(args.context)
    progress = _Progress(0, sys.stderr, delay_s=0.5) if sys.stderr.isatty() else None
    answers = engine.answer(
        args.question,
        context,
        top_k=args.top_k if args.json else max(args.top_k, ANSWERS_CONSIDERED),
        progress=progress.update if progress else None,
    )
    if progress:
        progress.finish()
    found = [a for a in answers if a.answer]
    notes = (unsure_note(found[0]) if found else None, script_caveat(context))
    if args.json:
        record = {"question": args.question, "answers": [a.to_dict() for a in answers]}
        _emit_json(out, record | _caveats(*notes))
        return EXIT_OK
    shown = distinct(found)[: args.top_k]
    if not shown:
        out.write("No answer found in the text.\n")
    for answer in shown:
        span = f"characters {answer.start}-{answer.end}"
        out.write(f"{answer.score:.2f}  {_short(answer.answer)}  ({span})\n")
    _notes(out, *notes)
    return EXIT_OK


class _Progress:
    """A one-line bar on stderr, redrawn at most ten times a second, and only once the work
    has taken ``delay_s`` (a quick answer needs no bar)."""

    def __init__(self, total: int, stream: TextIO, delay_s: float = 0.0) -> None:
        self.total, self.stream, self.delay_s = total, stream, delay_s
        self.done = 0
        self.started = self.drawn = time.monotonic()
        self.shown = False

    def track(self, rows: Iterable[BatchRow]) -> Iterator[BatchRow]:
        for row in rows:
            self.update(self.done + 1, self.total)
            yield row
        self.finish()

    def update(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self.started < self.delay_s:
            return
        if now - self.drawn >= 0.1 or done == total or not self.shown:
            self.drawn, self.shown = now, True
            self._draw(now - self.started)

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")

    def _draw(self, elapsed: float) -> None:
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * 30)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        self.stream.write(
            f"\r[{bar:<30}] {share:4.0%}  {self.done}/{self.total}  {rate:.0f}/s  ETA {eta:.0f} s "
        )
        self.stream.flush()


def _batch(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    if str(args.input) == "-":
        raise CliError(
            "batch reads a file, not standard input: save the texts in a .txt file, one per"
            " line, and name it.",
            EXIT_INPUT,
        )
    items = read_items(args.input, args.column)
    guessed = None if args.column else guessed_column(args.input)
    if guessed is not None:
        print(
            f"note: no column is named just {', '.join(TEXT_COLUMNS)}, so {guessed!r} is read;"
            " choose another with --column.",
            file=sys.stderr,
        )
    if args.output:
        output_format(args.output)
        if same_file(args.output, args.input):
            raise CliError(
                f"{args.output} is the input file: writing the results would erase the texts "
                "first. Name another file after -o.",
                EXIT_INPUT,
            )
    _require_models(args, engine, args.tasks)
    summary = BatchSummary()
    rows: Iterable[BatchRow] = (
        summary.add(row) for row in analyse_items(engine, items, args.tasks)
    )
    if sys.stderr.isatty() and (args.output or not out.isatty()):  # not between result lines
        rows = _Progress(count_items(args.input, args.column), sys.stderr).track(rows)
    if args.output:
        earlier = args.output.exists()
        # An earlier file stays as it was unless some text was analysed.
        write_results(args.output, rows, replace_if=summary.any_analysed)
    else:
        write_rows(out, rows, ".jsonl")
    if summary.items == 0:
        raise CliError(f"{args.input} holds no texts to analyse.", EXIT_INPUT)
    analysed = summary.any_analysed()
    written = args.output if args.output and analysed else None
    report = out if args.output else sys.stderr
    if args.json and args.output:
        _emit_json(report, {"output": written and str(written), **summary.to_dict()})
    else:
        lines = summary.describe()
        if written:
            lines.append(f"results written to {written}")
        report.write("\n".join(lines) + "\n")
    if not analysed:  # a script must not take this for a result
        hint = " Is the text in another column? Choose it with --column." if guessed else ""
        if args.output:
            hint += f" {args.output} was {'left as it was' if earlier else 'not written'}."
        raise CliError(f"No text of {args.input} could be analysed.{hint}", EXIT_INPUT)
    return EXIT_OK


def _models(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    bundles = engine.bundles()
    if not bundles:
        raise _no_models(args)
    for info in bundles:
        if args.json:
            _emit_json(out, info.to_dict())
            continue
        if info.kind == "manifest":  # an unreadable manifest: nothing more is known
            out.write(f"{info.name}  PROBLEM: {info.problem}\n")
            continue
        state = "ok" if info.ok else f"PROBLEM: {info.problem}"
        out.write(f"{info.name} {info.version}  {', '.join(info.tasks)}  ")
        out.write(f"{human_size(info.size_bytes)}  SHA-256 {state}\n  {info.path}\n")
        for name, value in flat_metrics(info.metrics):
            out.write(f"  {name}: {value}\n")
    return EXIT_OK if all(info.ok for info in bundles) else EXIT_MODEL


def _self_test(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    _require_models(args, engine)
    results = run_self_test(engine)
    for result in results:
        if args.json:
            _emit_json(out, result.to_dict())
        else:
            verdict = "SKIP" if result.skipped else "PASS" if result.passed else "FAIL"
            out.write(f"{verdict}  {result.task:<9}  {result.name}: {result.detail}\n")
    failed = sum(not result.passed for result in results)
    if not args.json:
        verdict = (
            "all checks passed" if not failed else f"{failed} of {len(results)} checks failed"
        )
        out.write(f"Self-test: {verdict}.\n")
    return EXIT_MODEL if failed else EXIT_OK


COMMANDS = {
    "sentiment": _sentiment,
    "intent": _intent,
    "ask": _ask,
    "batch": _batch,
    "models": _models,
}
