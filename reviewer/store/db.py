"""Opening the one SQLite file and keeping its schema current.

The store is the only part of reviewer that speaks SQL.  Each store module
registers the migrations for its own tables with :func:`migration`; they run in
registration order, once each, recorded in ``_migrations``.  Every write is
committed when it is made (no Save button anywhere): the connection runs in
autocommit mode with WAL journaling and ``synchronous=FULL``, so neither a
killed process nor a power cut loses what a command reported as done.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from reviewer.i18n import CodedError


def _import_sqlite_utils():
    """sqlite-utils, imported without numpy and pandas.

    sqlite-utils imports both when installed, only to map their scalar types to
    column types — values the store never writes.  numpy alone is 0.13 s of every
    process (an unchanged re-scan needs nothing else of it), so while sqlite-utils
    loads, the two are marked absent (``None`` in ``sys.modules``), and unmarked
    after.  Only when no other thread runs (one might import numpy meanwhile) and
    sqlite-utils is not loaded yet; should the import fail, it is simply retried
    with them visible.
    """
    if "sqlite_utils" in sys.modules or threading.active_count() > 1:
        import sqlite_utils

        return sqlite_utils
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils
    except ImportError:
        sqlite_utils = None
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    if sqlite_utils is None:
        for name in [m for m in sys.modules if m == "sqlite_utils" or m.startswith("sqlite_utils.")]:
            del sys.modules[name]
        import sqlite_utils
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()

Migration = Callable[[sqlite_utils.Database], None]
_MIGRATIONS: list[tuple[str, Migration]] = []


def now() -> str:
    """The time stamp every table uses: UTC, ISO 8601, milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class StoreError(CodedError, RuntimeError):
    """The database can't be opened or used (the message says why; ``code`` names its
    ``errors.store.*`` entry when it has one)."""


def migration(name: str) -> Callable[[Migration], Migration]:
    """Register a schema step; ``name`` must be unique and never change once shipped."""

    def deco(fn: Migration) -> Migration:
        if any(n == name for n, _ in _MIGRATIONS):
            raise ValueError(f"duplicate migration {name}")
        _MIGRATIONS.append((name, fn))
        return fn

    return deco


def _load_store_modules() -> None:
    # Importing the modules registers their migrations.
    import reviewer.store.packages  # noqa: F401
    import reviewer.store.reviews  # noqa: F401
    import reviewer.store.platform  # noqa: F401


def open_db(path: str | Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    path = Path(path)
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                               timeout=30)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(None, "store.cannot-open", path=str(path), reason=exc) from exc
    # No sqlite-utils plugins: the store needs none, and finding them reads the
    # metadata of every installed distribution (0.05 s a process).
    db = sqlite_utils.Database(conn, execute_plugins=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit survives a power cut, not only a killed process.
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        if migrate:
            apply_migrations(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(None, "store.unusable", path=str(path), reason=exc) from exc
    return db


def open_memory() -> sqlite_utils.Database:
    """An in-memory database with the full schema (tests, dry runs)."""
    db = sqlite_utils.Database(sqlite3.connect(":memory:", isolation_level=None,
                                               check_same_thread=False), execute_plugins=False)
    db.execute("PRAGMA foreign_keys=ON")
    apply_migrations(db)
    return db


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Run every registered migration not yet applied; returns the names applied."""
    _load_store_modules()
    if "_migrations" not in db.table_names():
        db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for name, fn in _MIGRATIONS:
        if name in done:
            continue
        with transaction(db):
            fn(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", [name]
            )
        applied.append(name)
    return applied


class transaction:
    """``with transaction(db):`` — one atomic unit of work (nested use is flattened)."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.outer = False

    def __enter__(self) -> sqlite_utils.Database:
        if not self.db.conn.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")
            self.outer = True
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.outer:
            return
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
