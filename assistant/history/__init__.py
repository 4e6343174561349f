"""Local history of analyses and the autosaved drafts (one per open window), kept in SQLite
under the user data folder."""

from assistant.history.rows import Draft, HistoryEntry
from assistant.history.store import HistoryStore
from assistant.history.stored_results import from_stored, to_stored

__all__ = [
    "Draft",
    "HistoryEntry",
    "HistoryStore",
    "from_stored",
    "to_stored",
]
