"""Local history of analyses and the autosaved drafts (one per open window), kept in SQLite
under the user data folder."""

from assistant.history.results import from_stored, to_stored
from assistant.history.store import Draft, HistoryEntry, HistoryStore

__all__ = [
    "Draft",
    "HistoryEntry",
    "HistoryStore",
    "from_stored",
    "to_stored",
]
