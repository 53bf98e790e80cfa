"""A platform's import rules for recommendations (signing room; pure logic).

Given a verified recommendation and what the platform already holds for that
course, decide the outcome.  The store (``reviewer/store/platform.py``) keeps
the records; the service glues the two.

Outcomes:

``accepted``    first valid recommendation for the course
``superseded``  valid and newer (higher sequence): replaces the current one
``unchanged``   the same recommendation again (same id, same payload): nothing changes
``rejected``    with reasons: verification failed, addressed to another
                platform, an older sequence (replay), the same sequence with
                another id, or a known id with different content
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer.signing.reasons import Reason, reason
from reviewer.signing.verify import Verification

OUTCOMES = ("accepted", "superseded", "unchanged", "rejected")


@dataclass(slots=True)
class Held:
    """A recommendation the platform already accepted (current or superseded)."""

    id: str
    sequence: int
    payload_sha256: str
    status: str  # current | superseded


@dataclass(slots=True)
class ImportDecision:
    outcome: str
    reasons: list[Reason] = field(default_factory=list)
    replaces: str | None = None  # id of the recommendation this one supersedes

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "replaces": self.replaces,
                "reasons": [r.to_dict() for r in self.reasons]}


def course_key(predicate: dict[str, Any]) -> tuple[str, str]:
    """A course on a platform: (institution, course id)."""
    return predicate["course"]["institution"], predicate["course"]["id"]


def decide(verification: Verification, *, platform: str | None, current: Held | None,
           same_id: Held | None) -> ImportDecision:
    """The import outcome for one verified recommendation.

    ``current``: the course's current recommendation on this platform (if any);
    ``same_id``: an earlier accepted recommendation with the same id (if any).
    """
    if not verification.ok:
        return ImportDecision("rejected", list(verification.reasons))
    pred = verification.predicate or {}
    audience = pred.get("audience")
    if audience:
        if not platform:
            return ImportDecision("rejected", [reason("audience.platform_unnamed", audience=audience)])
        if audience != platform:
            return ImportDecision("rejected", [reason("audience.other_platform", audience=audience,
                                                      platform=platform)])
    if same_id is not None:
        if same_id.payload_sha256 != verification.payload_sha256:
            return ImportDecision("rejected", [reason("replay.id_conflict", id=pred["id"])])
        if same_id.status == "current":
            return ImportDecision("unchanged")
        return ImportDecision("rejected", [reason(
            "replay.older", sequence=pred["sequence"],
            current=current.sequence if current else "?")])
    if current is None:
        return ImportDecision("accepted")
    if pred["sequence"] < current.sequence:
        return ImportDecision("rejected", [reason("replay.older", sequence=pred["sequence"],
                                                  current=current.sequence)])
    if pred["sequence"] == current.sequence:
        return ImportDecision("rejected", [reason("replay.same_sequence", sequence=pred["sequence"],
                                                  current_id=current.id)])
    return ImportDecision("superseded", replaces=current.id)
