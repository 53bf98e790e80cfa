"""What the shells (``cli``, ``tui``) use from the rooms below the service — room: service.

The shells import only :mod:`reviewer.service` (and :mod:`reviewer.i18n`); the data
classes, errors and small functions they need from ``ingest``, ``checks``, ``review``
and ``store`` are named here, so a change behind the service shows here first
(``tests/test_architecture.py`` holds the shells to it).  Each name is imported from its
room on first use (PEP 562), so ``from reviewer.service.api import ReviewError`` costs
only what ``ReviewError`` costs: a command never pays for the store or a check it does
not use.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

    from reviewer.checks.groups import group_id
    from reviewer.checks.lexicon import Lexicon, example_segment, run_embedded_tests
    from reviewer.checks.model import SEVERITY_ORDER, Finding, severity_counts, snippet
    from reviewer.checks.report import report_dict, sarif_dict
    from reviewer.checks.rulefile import RuleFileError
    from reviewer.ingest.encoding import DecodeError
    from reviewer.ingest.model import Locator
    from reviewer.review.errors import ChecklistError, ReviewError
    from reviewer.review.model import (
        ANSWER_LABELS, DECISION_LABELS, DISPOSITION_LABELS, group_blockers,
    )
    from reviewer.signing.keys import KeyFileError, load_public
    from reviewer.signing.trust import parse_time
    from reviewer.store import StoreError, open_db

#: name → the module it lives in.
_WHERE = {
    "group_id": "reviewer.checks.groups",
    "Lexicon": "reviewer.checks.lexicon",
    "example_segment": "reviewer.checks.lexicon",
    "run_embedded_tests": "reviewer.checks.lexicon",
    "SEVERITY_ORDER": "reviewer.checks.model",
    "Finding": "reviewer.checks.model",
    "severity_counts": "reviewer.checks.model",
    "snippet": "reviewer.checks.model",
    "report_dict": "reviewer.checks.report",
    "sarif_dict": "reviewer.checks.report",
    "RuleFileError": "reviewer.checks.rulefile",
    "DecodeError": "reviewer.ingest.encoding",
    "Locator": "reviewer.ingest.model",
    "ChecklistError": "reviewer.review.errors",
    "ReviewError": "reviewer.review.errors",
    "ANSWER_LABELS": "reviewer.review.model",
    "DECISION_LABELS": "reviewer.review.model",
    "DISPOSITION_LABELS": "reviewer.review.model",
    "group_blockers": "reviewer.review.model",
    "KeyFileError": "reviewer.signing.keys",
    "load_public": "reviewer.signing.keys",
    "parse_time": "reviewer.signing.trust",
    "StoreError": "reviewer.store",
    "open_db": "reviewer.store",
}

__all__ = [*_WHERE, "open_store"]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value


def open_store(path: str | Path | None = None) -> "sqlite_utils.Database":
    """The state database at ``path`` (default: ``$REVIEWER_DB`` or the user's data
    folder), created and migrated as needed."""
    from reviewer.store import open_db

    if path is None:
        from reviewer.paths import default_db

        path = default_db()
    return open_db(path)
