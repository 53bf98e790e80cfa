"""The review's audit trail, written from the state objects — room: service.

Every change a reviewer makes is recorded with what it was and what it became.  The
review and team services record it through :func:`audit`, which takes the state
objects themselves (an ``AnswerState``, a ``DispositionState``, a ``Decision`` …) and
the fields to keep, so each kind of change is described one way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reviewer.store import reviews as rstore


def audit(db, state: Any, who: str, action: str, target: str | None, old: Any = None,
          new: Any = None, fields: Sequence[str] = ()) -> None:
    """Record one change of the review ``state`` (anything with ``review_id`` and
    ``package_id``): ``old`` and ``new`` are state objects whose ``fields`` are kept, or
    plain dicts kept as they are; None for nothing (before a first answer, after a
    removal).  Inside the caller's transaction."""
    def view(value: Any) -> dict[str, Any] | None:
        if value is None or isinstance(value, dict):
            return value
        return {name: getattr(value, name) for name in fields}

    rstore.audit(db, state.review_id, state.package_id, who, action, target, view(old), view(new))
