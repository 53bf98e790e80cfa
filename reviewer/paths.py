"""Every filesystem location the tool uses, in one place.

The tool writes only below its own data directory (or the ``--db`` file the
user names); shipped rule data is read-only.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "reviewer"

_PKG = Path(__file__).resolve().parent
_REPO = _PKG.parent


def data_dir() -> Path:
    """The user's data directory for reviewer (created on first use)."""
    override = os.environ.get("REVIEWER_HOME")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db() -> Path:
    """The SQLite file used when no ``--db`` is given: ``$REVIEWER_DB`` or the data dir."""
    env = os.environ.get("REVIEWER_DB")
    if env:
        return Path(env)
    return data_dir() / "reviewer.db"


def profile_file() -> Path:
    """The reviewer's own profile (name, institution, key): who records answers."""
    return data_dir() / "profile.yaml"


def cache_dir() -> Path:
    """Derived, disposable data (compiled lexicons)."""
    path = data_dir() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _shipped(name: str) -> Path:
    installed = _PKG / "_data" / name
    if installed.is_dir():
        return installed
    return _REPO / name


def lexicons_dir() -> Path:
    """The shipped lexicon rule files (``lexicons/`` in the source tree)."""
    return _shipped("lexicons")


def checklists_dir() -> Path:
    """The shipped checklists (``checklists/`` in the source tree)."""
    return _shipped("checklists")


def schemas_dir() -> Path:
    """Published JSON Schemas (report, manifest, lexicon, recommendation …)."""
    return _PKG / "schemas"
