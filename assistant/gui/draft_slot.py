"""Which autosaved draft a window owns, so that two open windows never overwrite each other's text.

A window holds a lock file for its slot (``draft-<n>.lock`` beside the history) while it is
open. It takes the free slot whose draft changed last, so the next window started alone finds
the text last worked on; the older drafts wait for the windows opened beside it.
Qt's QLockFile sees that the holder of a lock has died, so a crash frees its slot.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from itertools import count
from pathlib import Path

from PySide6.QtCore import QLockFile

log = logging.getLogger(__name__)


class DraftSlot:
    """The draft slot number of one window, held until ``release``."""

    def __init__(self, folder: Path, newest_first: Sequence[int] = ()) -> None:
        """``newest_first``: the slots whose draft holds text, the most recently saved first."""
        with contextlib.suppress(OSError):  # an unwritable folder: tryLock says so below
            folder.mkdir(parents=True, exist_ok=True)
        self._lock: QLockFile | None = None
        self.number = next(iter(newest_first), 1)
        for number in _slots_to_try(newest_first):
            lock = QLockFile(str(folder / f"draft-{number}.lock"))
            lock.setStaleLockTime(0)  # held for hours: stale only once its holder is gone
            if lock.tryLock(0):
                self._lock, self.number = lock, number
                return
            if lock.error() != QLockFile.LockError.LockFailedError:
                # The folder refuses lock files: every window shares the newest draft's slot.
                log.warning("Cannot lock a draft slot in %s (%s)", folder, lock.error())
                return

    def release(self) -> None:
        """Free the slot for the next window (closing the window does this)."""
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def _slots_to_try(newest_first: Sequence[int]) -> Iterator[int]:
    """The slots whose draft holds text, newest first, then every other slot from 1 up."""
    yield from newest_first
    yield from (number for number in count(1) if number not in newest_first)
