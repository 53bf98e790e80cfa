"""The review model: answers, dispositions, decisions, and what blocks a recommendation.

Pure functions and dataclasses (no I/O, no SQL).  The rules a reviewer meets:

* an answer is ``pass``, ``fail`` or ``na``; ``fail`` and ``na`` (and whatever
  else the item lists in ``comment_required``) need a comment;
* a finding's disposition is ``confirmed`` (a real problem), ``false-alarm``
  (needs a reason) or ``accepted`` (a real but acceptable use; needs a
  justification);
* a decision is ``recommend``, ``revise`` (revise and resubmit) or ``reject``;
  ``revise`` and ``reject`` need a comment and may be recorded at any time;
  ``recommend`` is refused while :func:`compute_blockers` lists anything.

The blockers play the role of Quality Matters' essential standards — see
:func:`compute_blockers` and docs/review.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from reviewer.i18n import bilingual
from reviewer.ingest.model import Msg
from reviewer.review.checklist import ANSWERS, Item
from reviewer.review.errors import ReviewError

DISPOSITIONS = ("confirmed", "false-alarm", "accepted")
DECISIONS = ("recommend", "revise", "reject")

ANSWER_LABELS: dict[str, Msg] = {
    "pass": {"zh": "通过", "en": "pass"},
    "fail": {"zh": "不通过", "en": "fail"},
    "na": {"zh": "不适用", "en": "not applicable"},
}
DISPOSITION_LABELS: dict[str, Msg] = {
    "confirmed": {"zh": "确认问题", "en": "confirmed"},
    "false-alarm": {"zh": "误报", "en": "false alarm"},
    "accepted": {"zh": "可接受", "en": "accepted"},
}
DECISION_LABELS: dict[str, Msg] = {
    "recommend": {"zh": "推荐", "en": "recommend"},
    "revise": {"zh": "修改后重新提交", "en": "revise and resubmit"},
    "reject": {"zh": "不推荐", "en": "reject"},
}


# ---------------------------------------------------------------- state

@dataclass(slots=True)
class AnswerState:
    """A reviewer's answer to one item, as stored."""

    item_id: str
    answer: str
    comment: str | None = None
    updated_at: str = ""
    actor: str = ""
    needs_recheck: bool = False
    carried_from: int | None = None  # the review it was carried over from
    changes: list[dict[str, Any]] = field(default_factory=list)  # why a recheck is needed
    #: How a review team's consolidated answer came about: ``agreement`` (every member
    #: answered alike) or ``chair`` (resolved by the chair); None: a reviewer's own answer.
    source: str | None = None


@dataclass(slots=True)
class Member:
    """A member of a review team: answers under their own name; the chair consolidates."""

    name: str
    role: str  # reviewer | chair
    institution: str = ""
    keyid: str | None = None
    added_at: str = ""

    @property
    def chair(self) -> bool:
        return self.role == "chair"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "institution": self.institution or None,
                "keyid": self.keyid}


@dataclass(slots=True)
class DispositionState:
    """A reviewer's disposition of one finding, as stored."""

    finding_id: str
    disposition: str
    reason: str | None = None
    updated_at: str = ""
    actor: str = ""
    needs_recheck: bool = False
    carried_from: int | None = None
    finding_sig: str = ""  # the finding's signature when it was disposed


@dataclass(frozen=True, slots=True)
class FindingRef:
    """What the review needs to know about a finding (a light view of a store row)."""

    id: str
    check: str
    rule: str
    category: str
    severity: str
    file: str | None = None
    location: dict[str, Any] = field(default_factory=dict)
    match: str = ""
    message: Msg = field(default_factory=dict)
    context: str = ""

    @property
    def sig(self) -> str:
        """Changes when the finding's severity, category, message or surrounding text change.

        A disposition carried over to a finding whose signature changed needs a
        second look (the text around a false alarm may now say something else).
        """
        key = "\x1f".join([self.severity, self.category, self.message.get("zh", ""),
                           self.context])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Blocker:
    """One thing that stands between the review and a recommendation."""

    kind: str  # item-unanswered | item-failed | item-recheck | finding-undisposed | ...
    id: str  # the item or finding id
    message: Msg

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: Blockers as a reviewer works through them: what to answer, what to look at again,
#: which findings to dispose of.  (group key, blocker kinds, in this order)
BLOCKER_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("unanswered", ("item-unanswered",)),
    ("items", ("item-failed", "item-recheck")),
    ("findings", ("finding-undisposed", "finding-confirmed", "finding-recheck")),
)


def group_blockers(blockers: Iterable[Any]) -> list[tuple[str, list[Any]]]:
    """``blockers`` (:class:`Blocker` or its dict) as ``[(group key, members)]`` in the
    order of :data:`BLOCKER_GROUPS`; a kind no group names goes to ``other``.  Empty
    groups are left out."""
    def kind(b: Any) -> str:
        return b["kind"] if isinstance(b, dict) else b.kind

    out: list[tuple[str, list[Any]]] = []
    items = list(blockers)
    named: set[str] = set()
    for key, kinds in BLOCKER_GROUPS:
        named.update(kinds)
        members = [b for b in items if kind(b) in kinds]
        if members:
            out.append((key, members))
    rest = [b for b in items if kind(b) not in named]
    if rest:
        out.append(("other", rest))
    return out


@dataclass(frozen=True, slots=True)
class Decision:
    decision: str
    comment: str | None
    decided_at: str
    actor: str


# ---------------------------------------------------------------- rules

def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = str(text).strip()
    return text or None


def check_answer(item: Item, answer: str, comment: str | None) -> tuple[str, str | None]:
    """Validate an answer to ``item``; returns the normalised ``(answer, comment)``."""
    value = str(answer or "").strip().lower()
    if value not in ANSWERS:
        raise ReviewError.of("bad-value", "bad-answer", usage=True, answer=repr(answer))
    comment = _clean(comment)
    if comment is None and item.needs_comment(value):
        raise ReviewError.of("comment-required", "answer-comment", item=item.id,
                             label=ANSWER_LABELS[value])
    return value, comment


def _place(ref: FindingRef, lang: str) -> str:
    from reviewer.i18n import t

    return ref.file or t("review.open_findings.whole_package", lang)


def check_open_errors(item: Item, answer: str, comment: str | None,
                      open_errors: Sequence[FindingRef], confirmed: bool) -> None:
    """``pass`` on an item whose own evidence holds error findings nobody has disposed of.

    Not refused outright — the reviewer may have read them and judged them
    harmless for this item — but never silent: it needs ``confirmed`` (the
    reviewer said so) and a comment saying why.  Raises ``open-findings``
    (with the findings in ``details``) or ``comment-required``.
    ``open_errors`` are the item's evidence findings of severity ``error``
    without a disposition; ``comment`` is already cleaned (:func:`check_answer`).
    """
    if answer != "pass" or not open_errors:
        return
    from reviewer.i18n import LANGS, bilingual, t

    details = [{
        "kind": "finding-undisposed", "id": ref.id, "check": ref.check,
        "category": ref.category, "rule": ref.rule, "file": ref.file, "match": ref.match,
        "message": {lang: t("review.open_findings.finding", lang, check=ref.check,
                            category=ref.category, where=_place(ref, lang),
                            match=_short(ref.match, 20)) for lang in LANGS},
    } for ref in open_errors]
    if not confirmed:
        raise ReviewError("open-findings", bilingual(
            "review.open_findings.refused", item=item.id, n=len(open_errors)), details=details)
    if comment is None:
        raise ReviewError("comment-required", bilingual(
            "review.open_findings.comment_required", item=item.id, n=len(open_errors)),
            details=details)


def check_disposition(finding_id: str, disposition: str, reason: str | None
                      ) -> tuple[str, str | None]:
    """Validate a disposition; returns the normalised ``(disposition, reason)``."""
    value = str(disposition or "").strip().lower().replace("_", "-")
    if value == "false-positive":
        value = "false-alarm"
    if value not in DISPOSITIONS:
        raise ReviewError.of("bad-value", "bad-disposition", usage=True,
                             disposition=repr(disposition))
    reason = _clean(reason)
    if reason is None and value == "false-alarm":
        raise ReviewError.of("reason-required", "false-alarm-reason", id=finding_id)
    if reason is None and value == "accepted":
        raise ReviewError.of("reason-required", "accepted-reason", id=finding_id)
    return value, reason


def check_decision(decision: str, comment: str | None, blockers: Sequence[Blocker]
                   ) -> tuple[str, str | None]:
    """Validate a decision against the rules and the current blockers."""
    value = str(decision or "").strip().lower()
    if value not in DECISIONS:
        raise ReviewError.of("bad-value", "bad-decision", usage=True, decision=repr(decision))
    comment = _clean(comment)
    if value in ("revise", "reject") and comment is None:
        raise ReviewError.of("comment-required", "decision-comment", label=DECISION_LABELS[value])
    if value == "recommend" and blockers:
        raise ReviewError.of("blockers", n=len(blockers), details=[b.to_dict() for b in blockers])
    return value, comment


# ---------------------------------------------------------------- blockers

def _short(text: str, width: int = 36) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def compute_blockers(items: Iterable[tuple[Item, AnswerState | None]],
                     findings: Iterable[tuple[FindingRef, DispositionState | None]]
                     ) -> list[Blocker]:
    """Everything that stands between this review and a recommendation.

    Items (every item of every checklist in force):

    * ``item-unanswered`` — any item without an answer: a recommendation rests
      on a complete review;
    * ``item-failed`` — a *blocking* item answered ``fail`` (blocking items are
      the essential standards: each must pass, or be not applicable with a
      comment);
    * ``item-recheck`` — an answered item whose evidence changed since it was
      answered (carried over from an earlier version, or re-scanned): answer
      it again to confirm.

    Findings (of the latest scan of the reviewed version):

    * ``finding-undisposed`` — an ``error`` finding nobody has disposed of;
    * ``finding-confirmed`` — an ``error`` finding confirmed as a real problem:
      the course must be revised first (accept it with a justification if it
      is a real but acceptable use);
    * ``finding-recheck`` — an ``error`` finding whose disposition was carried
      over but whose text or severity has changed.

    A non-blocking item answered ``fail`` (with its comment) and warnings or
    infos do not block; they are reported in the recommendation.
    """
    out: list[Blocker] = []
    for item, state in items:
        q = item.question
        if state is None:
            out.append(Blocker("item-unanswered", item.id, bilingual(
                "review.blocker.item-unanswered", item=item.id,
                question={"zh": _short(q["zh"]), "en": _short(q["en"], 60)})))
        elif state.needs_recheck:
            out.append(Blocker("item-recheck", item.id,
                               bilingual("review.blocker.item-recheck", item=item.id)))
        elif item.blocking and state.answer == "fail":
            out.append(Blocker("item-failed", item.id,
                               bilingual("review.blocker.item-failed", item=item.id)))
    for ref, disp in findings:
        if ref.severity != "error":
            continue
        kind = ("finding-undisposed" if disp is None else "finding-recheck" if disp.needs_recheck
                else "finding-confirmed" if disp.disposition == "confirmed" else None)
        if kind is not None:
            out.append(Blocker(kind, ref.id, bilingual(
                f"review.blocker.{kind}", check=ref.check, category=ref.category,
                where={lang: _place(ref, lang) for lang in ("zh", "en")},
                match=_short(ref.match, 20))))
    return out
