"""The local state: one SQLite file, spoken to only from this package.

:func:`open_db` opens it and applies migrations; the modules here hold the
queries for each stage (``packages`` for scans and findings, ``reviews`` for
review state).  Nothing outside ``reviewer.store`` writes SQL.
"""

from reviewer.store.db import StoreError, open_db, open_memory, transaction

__all__ = ["StoreError", "open_db", "open_memory", "transaction"]
