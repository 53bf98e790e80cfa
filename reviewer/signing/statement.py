"""The signed content: an in-toto Statement v1 with our predicate (signing room).

::

    {"_type": "https://in-toto.io/Statement/v1",
     "subject": [{"name": "week1/slides.pdf",
                  "digest": {"sha256": "…", "sm3": "…"},
                  "annotations": {"size": 12345}}, …],
     "predicateType": "https://reviewer.example/course-recommendation/v1",
     "predicate": {…}}

A send-back — a signed ``revise`` or ``reject`` — is the same statement with
the predicate type :data:`SEND_BACK_PREDICATE_TYPE` and the open blockers in
``predicate.blockers``.  ``subject`` lists every file of the package (sorted by path).  The predicate
fields are described in ``docs/signing.md`` and checked by
``reviewer/schemas/recommendation-statement.schema.json``.  The payload bytes
are this JSON with sorted keys and no insignificant whitespace — but a
verifier never re-serialises: DSSE signs the bytes as they are.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from reviewer.signing.digests import FileDigest
from reviewer.signing.mask import Masker, pii_secrets

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://reviewer.example/course-recommendation/v1"
#: A signed ``revise`` or ``reject``: the formal record of a send-back.  Its own
#: predicate type, so that a platform that only looks at the type (as in-toto
#: consumers do) can never take it for a recommendation.
SEND_BACK_PREDICATE_TYPE = "https://reviewer.example/course-send-back/v1"
PREDICATE_TYPES = (PREDICATE_TYPE, SEND_BACK_PREDICATE_TYPE)
DECISIONS = ("recommend", "revise", "reject")
SEND_BACK_DECISIONS = ("revise", "reject")
DEFAULT_VALID_DAYS = 365


def is_send_back(decision: Any) -> bool:
    """Whether a decision value (``revise``, ``reject``) sends the course back."""
    return decision in SEND_BACK_DECISIONS


def predicate_type(decision: Any) -> str:
    """The predicate type of a statement carrying this decision."""
    return SEND_BACK_PREDICATE_TYPE if is_send_back(decision) else PREDICATE_TYPE


def iso_utc(dt: datetime) -> str:
    """``2026-11-26T01:02:03Z`` (UTC, seconds)."""
    return dt.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class RecommendationInput:
    """Everything the signer asserts, gathered by the service layer."""

    files: list[FileDigest]
    package_digest: str
    course: dict[str, Any]
    decision: dict[str, Any]  # {value, comment, decided_at, decided_by}
    checklist: dict[str, Any]  # {id, version, digest, answers: [...]}
    findings: list[dict[str, Any]]  # {id, check, rule, severity, file, location, disposition, reason, group,
    #                                   and optionally match, context, message}
    tooling: dict[str, Any]  # {tool, version, lexicons_digest, checklists_digest}
    reviewer: dict[str, Any]  # {name, institution, keyid, role, public_key}
    sequence: int = 1
    supersedes: str | None = None
    audience: str | None = None
    issued_at: datetime | None = None
    valid_days: int = DEFAULT_VALID_DAYS
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    #: A review team: [{name, role, institution, keyid, answers: {item: {answer, comment}}}]
    #: (None: one reviewer; the predicate then has no ``team``, as before teams existed).
    team: list[dict[str, Any]] | None = None
    #: The review's open blockers ``{kind, id, message}``: why a send-back sends the
    #: course back.  Only a send-back carries them; a recommendation has none.
    blockers: list[dict[str, Any]] = field(default_factory=list)


def _item(f: dict[str, Any], masker: Masker) -> dict[str, Any]:
    """One listed finding; its text (match, context, message, reason) with personal data masked.
    ``match``, ``context`` and ``message`` are carried only when the finding has them (they
    came after v1 began: a recommendation without them is as valid as before)."""
    item = {"id": f["id"], "check": f["check"], "rule": f["rule"], "severity": f["severity"],
            "file": f.get("file"), "location": f.get("location") or {},
            "disposition": f.get("disposition"),
            "reason": masker.text(f.get("reason") or ""),
            "group": f.get("group") or f["id"]}
    match = f.get("match")
    if isinstance(match, str) and match:
        item["match"] = masker.match(match, f["check"])
    context = f.get("context")
    if isinstance(context, str) and context:
        item["context"] = masker.text(context)
    message = f.get("message")
    if isinstance(message, dict) and any(isinstance(v, str) and v for v in message.values()):
        item["message"] = {k: masker.text(v) for k, v in message.items()
                           if k in ("zh", "en") and isinstance(v, str) and v}
    elif isinstance(message, str) and message:
        item["message"] = masker.text(message)
    return item


def findings_summary(findings: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts by check and severity, plus every finding with its disposition.

    ``items`` lists the errors and warnings, ``info_items`` (present when there
    are any) the info findings; each carries, when the finding has them, its
    matched text, the text around it and its message, with personal data
    masked (:mod:`reviewer.signing.mask`).

    ``groups`` counts the problems beside the findings: findings sharing a
    ``group`` id (one rule and text, see :mod:`reviewer.checks.groups`) are one
    group, counted under its most severe member's severity; a finding without
    a ``group`` is a group of one.  Each listed item names its group.
    """
    by_check: dict[str, Counter] = {}
    totals: Counter = Counter()
    sev = ("error", "warning", "info")
    worst: dict[str, str] = {}
    group_check: dict[str, str] = {}
    for f in findings:
        by_check.setdefault(f["check"], Counter())[f["severity"]] += 1
        totals[f["severity"]] += 1
        gid = f.get("group") or f["id"]
        seen = worst.get(gid)
        if seen is None or (sev.index(f["severity"]) if f["severity"] in sev else 9) < \
                (sev.index(seen) if seen in sev else 9):
            worst[gid] = f["severity"]
        group_check.setdefault(gid, f["check"])
    group_totals = Counter(worst.values())
    group_by_check: dict[str, Counter] = {}
    for gid, severity in worst.items():
        group_by_check.setdefault(group_check[gid], Counter())[severity] += 1
    masker = Masker(pii_secrets(findings))
    ordered = sorted(findings, key=lambda f: (sev.index(f["severity"]) if f["severity"] in sev else 9,
                                              f["check"], f.get("file") or "", f["id"]))
    items = [_item(f, masker) for f in ordered if f["severity"] in ("error", "warning")]
    info_items = [_item(f, masker) for f in ordered if f["severity"] == "info"]
    out = {
        "total": {s: totals.get(s, 0) for s in sev},
        "by_check": {c: {s: n.get(s, 0) for s in sev} for c, n in sorted(by_check.items())},
        "groups": {
            "total": {s: group_totals.get(s, 0) for s in sev},
            "by_check": {c: {s: n.get(s, 0) for s in sev} for c, n in sorted(group_by_check.items())},
        },
        "items": items,
    }
    if info_items:
        out["info_items"] = info_items
    return out


def blocker_groups(blockers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A send-back's ``blockers``: ``[{group, blockers: [{kind, id, message}]}]`` in the
    order a reviewer works through them (``unanswered``, ``items``, ``findings``;
    :func:`reviewer.review.model.group_blockers`)."""
    from reviewer.review.model import group_blockers

    return [{"group": key, "blockers": [{"kind": b["kind"], "id": b["id"],
                                         "message": dict(b["message"])} for b in members]}
            for key, members in group_blockers(blockers)]


def build_statement(inp: RecommendationInput) -> dict[str, Any]:
    """The in-toto Statement for ``inp`` (a plain dict, ready to serialise).

    A ``recommend`` gives a recommendation statement (exactly as before send-backs
    existed); a ``revise`` or ``reject`` gives a send-back statement
    (:data:`SEND_BACK_PREDICATE_TYPE`) whose predicate also holds the open
    blockers, grouped.
    """
    decision = inp.decision.get("value")
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    if inp.blockers and not is_send_back(decision):
        raise ValueError("a recommendation cannot be made while something blocks it")
    if inp.sequence < 1:
        raise ValueError("sequence starts at 1")
    if inp.valid_days < 1:
        raise ValueError("a recommendation must be valid for at least one day")
    issued = (inp.issued_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    files = sorted(inp.files, key=lambda f: f.path)
    predicate = {
        "id": inp.id,
        "sequence": inp.sequence,
        "supersedes": inp.supersedes,
        "audience": inp.audience,
        "course": inp.course,
        "package_digest": inp.package_digest,
        "file_count": len(files),
        "decision": inp.decision,
        "checklist": inp.checklist,
        "findings": findings_summary(inp.findings),
        "tooling": inp.tooling,
        "reviewer": inp.reviewer,
        "issued_at": iso_utc(issued),
        "valid_until": iso_utc(issued + timedelta(days=inp.valid_days)),
    }
    if inp.team:
        predicate["team"] = inp.team
    if is_send_back(decision):
        predicate["blockers"] = blocker_groups(inp.blockers)
    return {
        "_type": STATEMENT_TYPE,
        "subject": [f.subject() for f in files],
        "predicateType": predicate_type(decision),
        "predicate": predicate,
    }


def statement_bytes(statement: dict[str, Any]) -> bytes:
    """The payload bytes: UTF-8 JSON, sorted keys, compact."""
    return json.dumps(statement, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")
