"""Small read-only helpers the terminal UI needs on top of the scan and review services.

Room: service.  No Textual here: plain functions over the store, so they can
be tested without a UI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlite_utils

#: Package states, in the order a package goes through them.
STATES = ("not_scanned", "in_review", "decided", "signed")


def display_path(path: str) -> str:
    """``path`` with the home directory shown as ``~``."""
    try:
        home = str(Path.home())
    except RuntimeError:
        return path
    if path == home or path.startswith(home + "/"):
        return "~" + path[len(home):]
    return path


def has_scan(db: sqlite_utils.Database, path: str | Path) -> bool:
    """Whether ``path`` has a finished scan recorded."""
    from reviewer.service.scan import package_key
    from reviewer.store import packages as store

    row = store.package_row(db, package_key(path))
    return row is not None and store.latest_scan(db, row["id"]) is not None


def package_state(db: sqlite_utils.Database, row: dict[str, Any],
                  signed: set[tuple[str, str]] | None = None) -> str:
    """``not_scanned`` | ``in_review`` | ``decided`` | ``signed`` for a library row.

    ``signed`` is :func:`signed_versions`, read once for a whole library.
    """
    if row.get("scan_id") is None or row.get("finished") is None:
        return "not_scanned"
    if signed is None:
        signed = signed_versions(db)
    if (row["path"], row.get("digest")) in signed:
        return "signed"
    from reviewer.store import reviews as rstore

    review = rstore.find_review(db, row["id"], row.get("digest") or "")
    if review is not None and rstore.latest_decision(db, review["id"]) is not None:
        return "decided"
    return "in_review"


def signed_versions(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    """``(package path, digest)`` of every package version a recommendation was issued for."""
    from reviewer.store import platform

    return {(r["package_path"], r["package_digest"]) for r in platform.issued_list(db)}


def is_signed(db: sqlite_utils.Database, path: str, digest: str | None) -> bool:
    """Whether a recommendation was issued for this package version (read only)."""
    return (path, digest) in signed_versions(db)


def library_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every known package with its state and last scan's counts, for the library table."""
    from reviewer.service.scan import library

    out = []
    signed = signed_versions(db)
    for row in library(db):
        item = dict(row)
        item["state"] = package_state(db, row, signed)
        item["display_path"] = display_path(row["path"])
        out.append(item)
    return out


def current_digest(path: str | Path) -> str | None:
    """The package digest of ``path`` as it is on disk now (hashes every file; no extraction).

    ``None`` when the path is gone or is not a package.  Compared with the
    digest of the last scan it tells whether the package changed since.
    """
    from reviewer.ingest.digest import package_digest, stream_sha256
    from reviewer.ingest.package import Limits
    from reviewer.ingest.sources import PackageError, open_source

    try:
        source = open_source(path, Limits())
    except (PackageError, OSError):
        return None
    import zipfile

    try:
        pairs = []
        for entry in source.entries:
            with entry.open() as stream:
                pairs.append((entry.path, stream_sha256(stream)[0]))
        return package_digest(pairs)
    except (OSError, zipfile.BadZipFile):  # BadZipFile: an entry failing its CRC check
        return None
    finally:
        source.close()

