"""What the shells (``cli``, ``tui``) use from the rooms below the service — room: service.

The shells import only :mod:`reviewer.service` (and :mod:`reviewer.i18n`); the data
classes, errors and small functions they need from ``ingest``, ``checks``, ``review``
and ``store`` are re-exported here, so a change behind the service shows here first.
``tests/test_architecture.py`` holds the terminal UI to that rule.  Nothing heavy is
imported: the store (sqlite-utils) only when :func:`open_store` is called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.checks.groups import group_id
from reviewer.checks.model import SEVERITY_ORDER, Finding
from reviewer.ingest.model import Locator
from reviewer.review.errors import ReviewError

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["SEVERITY_ORDER", "Finding", "Locator", "ReviewError", "group_id", "open_store"]


def open_store(path: str | Path | None = None) -> "sqlite_utils.Database":
    """The state database at ``path`` (default: ``$REVIEWER_DB`` or the user's data
    folder), created and migrated as needed."""
    from reviewer.store import open_db

    if path is None:
        from reviewer.paths import default_db

        path = default_db()
    return open_db(path)
