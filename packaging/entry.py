"""PyInstaller entry point of the frozen app: the same `main` as the `assistant` console script."""

import multiprocessing
import sys

from assistant.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
