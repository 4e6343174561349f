"""``python -m benchmarks speed|accuracy|qa-long|probe|history [options]``: each owns its
options."""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "speed": "benchmarks.speed",
    "accuracy": "benchmarks.accuracy",
    "qa-long": "benchmarks.qa_long",
    "probe": "benchmarks.probe",
    "history": "benchmarks.history_search",
}
"""Each command's module, imported only when run: its own imports are heavy (torch, Qt)."""
USAGE = (
    f"usage: python -m benchmarks {{{','.join(COMMANDS)}}} [options]"
    "  (-h after a command for its options)"
)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in COMMANDS:
        print(USAGE, file=sys.stderr)
        return 0 if args and args[0] in ("-h", "--help") else 2
    command = importlib.import_module(COMMANDS[args[0]])
    return command.main(args[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
