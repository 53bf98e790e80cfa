"""When the reviewer may sign (signing room; pure).

:class:`ReviewSnapshot` is what the service gathers from the review state;
:func:`sign_refusals` lists every reason signing must not happen now, each as
a bilingual message.

Every decision can be signed, under its own rules:

* ``recommend`` — nothing may block it: no unanswered or failed blocking item,
  no error finding without a disposition (the review's blockers, each listed);
* ``revise`` / ``reject`` — a *send-back*, the formal record of why the course
  goes back to its team: the open blockers are its reasons, so they do not stop
  it (the statement carries them), but its decision comment must say why.

Verification and platform import accept only ``recommend``.  For every
decision: a reviewer key of the course's institution, a recorded decision not
outdated by later changes, and the package on disk still the one that was
reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer.i18n import bilingual, t
from reviewer.ingest.model import Msg
from reviewer.signing.statement import is_send_back


@dataclass(slots=True)
class ReviewSnapshot:
    """The review of one package, as far as signing is concerned."""

    package_path: str
    reviewed_digest: str | None  # the digest of the version the review is about
    blockers: list[dict[str, Any]] = field(default_factory=list)  # {kind, id, message} from the review
    decision: dict[str, Any] | None = None  # {value, comment, decided_at, decided_by}
    decision_outdated: bool = False  # answers or findings changed after the decision
    answers: list[dict[str, Any]] = field(default_factory=list)  # {item, title, blocking, answer, comment, answered_at, answered_by}
    findings: list[dict[str, Any]] = field(default_factory=list)  # {id, check, rule, severity, file, location, disposition, reason, group, match, context, message}
    checklist: dict[str, Any] = field(default_factory=dict)  # {id, version, digest}
    lexicons_digest: str | None = None
    checklists_digest: str | None = None
    team: list[dict[str, Any]] | None = None  # {name, role, institution, keyid, answers}


def sign_refusals(snap: ReviewSnapshot, *, current_digest: str | None, signer_role: str,
                  signer_institution: str, course_institution: str | None) -> list[Msg]:
    """Every reason the reviewer may not sign now (empty: go ahead)."""
    out: list[Msg] = []
    if signer_role != "reviewer":
        out.append(bilingual("signing.refuse.role", role=signer_role))
    if snap.reviewed_digest is None:
        out.append(bilingual("signing.refuse.not_reviewed"))
    elif current_digest is None:
        out.append(bilingual("signing.refuse.unreadable"))
    elif current_digest != snap.reviewed_digest:
        out.append(bilingual("signing.refuse.changed", reviewed=snap.reviewed_digest[:19],
                             now=current_digest[:19]))
    decision = (snap.decision or {}).get("value")
    if is_send_back(decision):
        # A send-back records why the course goes back: the blockers travel inside it.
        if not str((snap.decision or {}).get("comment") or "").strip():
            out.append(bilingual("signing.refusal.send_back_comment", decision=decision))
    else:
        out.extend(recommend_refusals(snap))
    if not decision:
        out.append(bilingual("signing.refuse.no_decision"))
    elif snap.decision_outdated:
        out.append(bilingual("signing.refuse.decision_outdated"))
    if course_institution and course_institution != signer_institution:
        out.append(bilingual("signing.refuse.institution", course=course_institution,
                             key=signer_institution))
    return out


def recommend_refusals(snap: ReviewSnapshot) -> list[Msg]:
    """What stands between the review and a recommendation: the review's blockers,
    and — never relying on them alone — every undisposed error finding and every
    blocking item unanswered or failed that they do not name."""
    out: list[Msg] = [b["message"] for b in snap.blockers]
    named = {b.get("id") for b in snap.blockers}
    for f in snap.findings:
        if f.get("severity") == "error" and not f.get("disposition") and f["id"] not in named:
            out.append(bilingual("signing.refuse.undisposed", id=f["id"], check=f["check"],
                                 rule=f["rule"], file=f.get("file") or {
                                     lang: t("review.open_findings.whole_package", lang)
                                     for lang in ("zh", "en")}))
    for a in snap.answers:
        if not a.get("blocking") or a["item"] in named:
            continue
        if not a.get("answer"):
            out.append(bilingual("signing.refuse.blocking_unanswered", item=a["item"]))
        elif a["answer"] == "fail":
            out.append(bilingual("signing.refuse.blocking_failed", item=a["item"]))
    return out
