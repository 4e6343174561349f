"""``python -m benchmarks speed|accuracy|qa-long|probe [options]``: each owns its options."""

from __future__ import annotations

import sys

USAGE = (
    "usage: python -m benchmarks {speed,accuracy,qa-long,probe} [options]"
    "  (-h after a command for its options)"
)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in ("speed", "accuracy", "qa-long", "probe"):
        print(USAGE, file=sys.stderr)
        return 0 if args and args[0] in ("-h", "--help") else 2
    if args[0] == "speed":
        from benchmarks.speed import main as speed_main

        return speed_main(args[1:]) or 0
    if args[0] == "qa-long":
        from benchmarks.qa_long import main as qa_long_main

        return qa_long_main(args[1:])
    if args[0] == "probe":
        from benchmarks.probe import main as probe_main

        return probe_main(args[1:])
    from benchmarks.accuracy import main as accuracy_main  # written by the accuracy benchmark

    return accuracy_main(args[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
