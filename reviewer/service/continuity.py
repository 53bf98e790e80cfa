"""Carry-over by course, not by path: which review history a package continues (room: service).

A review used to be found by the package's path, so the same course at another
path — a folder moved, a zip renamed, a copy on the committee's machine —
started afresh.  Now a package scanned at a new path continues the history of
an earlier package when

* its manifest names the same course ``id`` (reason ``course-id``), or, failing that,
* it holds the same files (the same SHA-256s, whatever their names: reason ``content``),

and that earlier package's history has a review.  The link is made once, for a
package with no review history of its own (histories are never merged), and
recorded in the store with an audit row (``continue``).  From then on the
store keeps the reviews of both paths together (``reviews.review_home``): the
same bytes are the same review (answers, dispositions, decisions); other bytes
are another version, carried over as before.  Two paths of one course may
exist side by side: each shows the review of its own version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer.store import reviews as rstore
from reviewer.store.db import transaction

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True, slots=True)
class Continuation:
    """The package continues the review history started at ``path`` (its home)."""

    home_id: int
    path: str
    by: str  # course-id | content
    linked_now: bool = False  # the link was made by this call

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "by": self.by}

    def text(self, lang: str | None = None) -> str:
        return continued_text(self.to_dict(), lang)


def continued_text(continues: dict[str, Any], lang: str | None = None) -> str:
    """"Continuing the review started at <path> (same course id)" in the user's language."""
    from reviewer.i18n import t

    by = t(f"review.continued_by.{continues.get('by')}", lang)
    return t("review.continued", lang, path=continues.get("path", ""), by=by)


def _course_id(package: dict[str, Any]) -> str | None:
    """The manifest's own ``id`` (not the folder-name fallback ``packages.course_id`` holds)."""
    import json

    try:
        manifest = json.loads(package.get("manifest") or "null")
    except ValueError:
        return None
    value = manifest.get("id") if isinstance(manifest, dict) else None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value)
    return text if text.strip() else None


def continuation(db: sqlite_utils.Database, package_id: int) -> Continuation | None:
    """The history the package continues, if it continues another's (read only)."""
    link = rstore.home_link(db, package_id)
    if link is None:
        return None
    return Continuation(link["home_id"], link["path"], link["reason"])


def continue_review(db: sqlite_utils.Database, package: dict[str, Any], actor: str) -> Continuation | None:
    """Link ``package`` (a ``packages`` row) to the history it continues, if it should and
    is not linked yet; returns the link in force (``linked_now`` when made by this call)."""
    found = continuation(db, package["id"])
    if found is not None or rstore.has_reviews(db, package["id"]):
        return found
    with transaction(db):
        found = continuation(db, package["id"])  # again, under the lock
        if found is not None or rstore.has_reviews(db, package["id"]):
            return found
        candidates = [c for c in rstore.home_candidates(db, package["id"], _course_id(package),
                                                        package.get("content_key"))
                      if c["last_review"] is not None]
        if not candidates:
            return None
        chosen = candidates[0]
        rstore.set_review_home(db, package["id"], chosen["home_id"], chosen["reason"], actor)
        rstore.audit(db, None, package["id"], actor, "continue", package["path"], None,
                     {"home": chosen["home_path"], "home_id": chosen["home_id"],
                      "by": chosen["reason"], "via": chosen["path"]})
    return Continuation(chosen["home_id"], chosen["home_path"], chosen["reason"], linked_now=True)
