"""PySide6 desktop app on the engine; inference runs only on the worker thread (workers.py)."""
