"""The review team: several reviewers answer independently; the chair consolidates.

A team is opt-in (:func:`add_member`).  Without one, a review is a team of one:
the single reviewer's answers are the consolidated answers, exactly as before
teams existed.  With one:

* each member answers under their own name (``actor``: ``--actor``,
  ``$REVIEWER_NAME`` or the profile); someone outside the team is refused
  (``not-a-member``);
* an item every member answered alike (none of them due for a recheck) gets
  that answer as the consolidated one (``source: agreement``; the comments
  joined, each with its author's name);
* an item on which members differ is *disputed*: a consolidated answer reached by
  agreement is withdrawn, and the chair resolves it with :func:`resolve`
  (``source: chair``; it stands until the chair resolves again);
* only the chair decides (:func:`reviewer.service.review.decide`) and changes the
  team once it has a chair.

Blockers and the recommendation read the consolidated answers, so an item not
yet agreed or resolved counts as unanswered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from reviewer.i18n import t
from reviewer.review.checklist import ChecklistSet
from reviewer.review.errors import ReviewError
from reviewer.review.model import AnswerState, Member, check_answer, check_open_errors
from reviewer.service.audit import audit
from reviewer.store import reviews as rstore
from reviewer.store.db import transaction

ROLES = ("reviewer", "chair")


def _error(code: str, *, usage: bool = False, **values: Any) -> ReviewError:
    return ReviewError(code, {lang: t(f"team.error.{code}", lang, **values)
                              for lang in ("zh", "en")}, usage=usage)


@dataclass(slots=True)
class MemberAnswer:
    """One member's answer to one item, as the chair sees it."""

    member: str
    role: str
    answer: str | None
    comment: str | None
    needs_recheck: bool = False
    updated_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"member": self.member, "role": self.role, "answer": self.answer,
                "comment": self.comment, "needs_recheck": self.needs_recheck,
                "updated_at": self.updated_at}


@dataclass(slots=True)
class Disagreement:
    """An item the members answered differently, with each one's answer and comment."""

    item: str
    checklist: str
    question: dict[str, str]
    blocking: bool
    answers: list[MemberAnswer]
    resolved: AnswerState | None = None  # the chair's consolidated answer, if any

    def to_dict(self) -> dict[str, Any]:
        r = self.resolved
        return {"item": self.item, "checklist": self.checklist, "question": self.question,
                "blocking": self.blocking, "answers": [a.to_dict() for a in self.answers],
                "resolved": ({"answer": r.answer, "comment": r.comment, "by": r.actor,
                              "at": r.updated_at} if r else None)}


@dataclass(slots=True)
class TeamAnswers:
    """What :func:`member_view` gives for one item: each member's answer and the agreement."""

    answers: list[MemberAnswer] = field(default_factory=list)
    agreement: str | None = None  # agreed | disputed | pending | resolved (None: no team)


def agreement_of(team: list[Member], mine: dict[str, AnswerState],
                 consolidated: AnswerState | None) -> str:
    """``resolved`` (the chair's word), ``disputed`` (members differ), ``agreed`` (all
    answered alike) or ``pending`` (members yet to answer, or to recheck)."""
    if consolidated is not None and consolidated.source == "chair":
        return "resolved"
    given = [mine[m.name] for m in team if m.name in mine]
    if len({a.answer for a in given}) > 1:
        return "disputed"
    if len(given) == len(team) and given and not any(a.needs_recheck for a in given):
        return "agreed"
    return "pending"


def member_view(team: list[Member], mine: dict[str, AnswerState],
                consolidated: AnswerState | None) -> TeamAnswers:
    rows = []
    for m in team:
        a = mine.get(m.name)
        rows.append(MemberAnswer(m.name, m.role, a.answer if a else None, a.comment if a else None,
                                 bool(a and a.needs_recheck), a.updated_at if a else None))
    return TeamAnswers(rows, agreement_of(team, mine, consolidated))


# ---------------------------------------------------------------- the team itself

def _state(db, path, cls, actor):
    from reviewer.service.review import load_checklists, open_review

    cls = cls or load_checklists()
    return open_review(db, path, checklists=cls, actor=actor), cls


def _chair(team: list[Member]) -> Member | None:
    return next((m for m in team if m.chair), None)


def _member_named(team: list[Member], name: str) -> Member:
    wanted = str(name or "").strip()
    hit = next((m for m in team if m.name == wanted), None)
    if hit is None:
        raise _error("unknown-member", usage=True, name=wanted,
                     known="、".join(m.name for m in team) or "—")
    return hit


def _guard_team_change(team: list[Member], who: str) -> None:
    chair = _chair(team)
    if chair is not None and who != chair.name:
        raise _error("not-chair", name=who, chair=chair.name)


def team(db: sqlite_utils.Database, path: str | Path, *,
         checklists: ChecklistSet | None = None, actor: str | None = None) -> list[Member]:
    """The review team of the package's current version (empty: a single reviewer)."""
    state, _ = _state(db, path, checklists, actor)
    return rstore.members(db, state.review_id)


def add_member(db: sqlite_utils.Database, path: str | Path, name: str, *, chair: bool = False,
               institution: str | None = None, keyid: str | None = None,
               checklists: ChecklistSet | None = None, actor: str | None = None) -> Member:
    """Add ``name`` to the review team (``chair``: as its chair; a team has one).

    Once the team has a chair, only the chair changes it (``not-chair``).  Answers
    ``name`` gave before the team existed become their own answers.
    """
    from reviewer.service.review import actor_name

    state, _ = _state(db, path, checklists, actor)
    who = actor_name(actor)
    member_name = str(name or "").strip()
    if not member_name:
        raise _error("empty-name", usage=True)
    with transaction(db):
        current = rstore.members(db, state.review_id)
        _guard_team_change(current, who)
        if any(m.name == member_name for m in current):
            raise _error("member-exists", name=member_name)
        if chair and _chair(current) is not None:
            raise _error("one-chair", chair=_chair(current).name)
        member = Member(member_name, "chair" if chair else "reviewer", institution or "", keyid,
                        rstore.now())
        rstore.put_member(db, state.review_id, member, who)
        # what the member answered alone, before the team, becomes their own answer
        for item_id, a in rstore.answers(db, state.review_id).items():
            if a.actor == member_name and a.source is None:
                rstore.put_member_answer(db, state.review_id, AnswerState(
                    item_id, a.answer, a.comment, a.updated_at, member_name, a.needs_recheck,
                    a.carried_from, list(a.changes)))
        audit(db, state, who, "team-add", member_name, None, member.to_dict())
    return member


def remove_member(db: sqlite_utils.Database, path: str | Path, name: str, *,
                  checklists: ChecklistSet | None = None, actor: str | None = None) -> bool:
    """Remove a member and their answers (the consolidated answers are kept)."""
    from reviewer.service.review import actor_name

    state, cls = _state(db, path, checklists, actor)
    who = actor_name(actor)
    with transaction(db):
        current = rstore.members(db, state.review_id)
        member = _member_named(current, name)
        _guard_team_change(current, who)
        rstore.delete_member(db, state.review_id, member.name)
        audit(db, state, who, "team-remove", member.name, member.to_dict())
        rest = [m for m in current if m.name != member.name]
        for item in cls.items():
            _consolidate(db, state, rest, item.id, who)
    return True


# ---------------------------------------------------------------- answers in a team

def _joined(team: list[Member], mine: dict[str, AnswerState]) -> str | None:
    parts = [f"{m.name}：{mine[m.name].comment}" for m in team
             if m.name in mine and mine[m.name].comment]
    return "；".join(parts) or None


def _consolidate(db, state, team: list[Member], item_id: str, who: str) -> None:
    """Bring the consolidated answer to ``item_id`` in line with the members' (inside the
    caller's transaction)."""
    current = rstore.get_answer(db, state.review_id, item_id)
    if current is not None and current.source == "chair" or not team:
        return
    mine = rstore.member_answers(db, state.review_id).get(item_id, {})
    verdict = agreement_of(team, mine, current)
    if verdict == "agreed":
        value = mine[team[0].name].answer
        comment = _joined(team, mine)
        if current and current.answer == value and current.comment == comment \
                and not current.needs_recheck and current.source == "agreement":
            return
        names = "、".join(m.name for m in team)
        rstore.put_answer(db, state.review_id, AnswerState(
            item_id, value, comment, rstore.now(), names, source="agreement"))
        audit(db, state, who, "consolidate", item_id, current,
              {"answer": value, "comment": comment, "via": "agreement"}, fields=("answer", "comment"))
    elif verdict == "disputed" and current is not None:
        rstore.delete_answer(db, state.review_id, item_id)
        audit(db, state, who, "clear-answer", item_id, current, {"via": "disagreement"},
              fields=("answer", "comment"))


def _require_member(team: list[Member], who: str) -> None:
    if not any(m.name == who for m in team):
        raise _error("not-a-member", name=who, known="、".join(m.name for m in team))


def record_member_answer(db, state, team: list[Member], item, value: str, text: str | None,
                         who: str, via: str | None = None,
                         confirmed_open_findings: list[str] | None = None
                         ) -> tuple[AnswerState, bool]:
    """A member's own answer (called by :func:`reviewer.service.review.answer_item` when the
    review has a team), then the consolidated answer brought in line.
    ``confirmed_open_findings``: the open error findings a confirmed pass was given over
    (kept in the audit row)."""
    from reviewer.service.review import write_answer

    _require_member(team, who)
    with transaction(db):
        old = rstore.member_answers(db, state.review_id).get(item.id, {}).get(who)
        new, changed = write_answer(db, state, item.id, value, text, who, old,
                                    rstore.put_member_answer, via=via,
                                    confirmed=confirmed_open_findings, member=who)
        if changed:
            _consolidate(db, state, team, item.id, who)
    return new, changed


def clear_member_answer(db, state, team: list[Member], item_id: str, who: str) -> bool:
    _require_member(team, who)
    with transaction(db):
        old = rstore.member_answers(db, state.review_id).get(item_id, {}).get(who)
        if old is None:
            return False
        rstore.delete_member_answer(db, state.review_id, item_id, who)
        audit(db, state, who, "clear-answer", item_id,
              {"answer": old.answer, "comment": old.comment, "member": who})
        _consolidate(db, state, team, item_id, who)
    return True


def require_chair(db, review_id: int, who: str) -> None:
    """In a team, only the chair may act (decide, resolve); nothing to check without one."""
    current = rstore.members(db, review_id)
    if not current:
        return
    chair = _chair(current)
    if chair is None:
        raise _error("no-chair")
    if who != chair.name:
        raise _error("not-chair", name=who, chair=chair.name)


def resolve(db: sqlite_utils.Database, path: str | Path, item_id: str, answer: str,
            comment: str | None = None, *, checklists: ChecklistSet | None = None,
            actor: str | None = None, confirm_open_findings: bool = False) -> AnswerState:
    """The chair records the consolidated answer to an item (usually a disputed one).

    The usual answer rules hold (``fail``/``na`` need a comment; a pass over the item's
    undisposed error findings is refused with ``open-findings`` unless
    ``confirm_open_findings`` and a comment say the chair has seen them — the audit row
    lists them).  Refused when the review has no team (``no-team``) or the actor is not
    its chair (``not-chair``).
    """
    from reviewer.service.review import _item, _open_errors, actor_name

    state, cls = _state(db, path, checklists, actor)
    item = _item(cls, item_id)
    who = actor_name(actor)
    if not rstore.members(db, state.review_id):
        raise _error("no-team")
    require_chair(db, state.review_id, who)  # who may resolve, before what they resolve
    value, text = check_answer(item, answer, comment)
    open_errors = _open_errors(db, state, item) if value == "pass" else []
    check_open_errors(item, value, text, open_errors, confirm_open_findings)
    record: dict[str, Any] = {"answer": value, "comment": text}
    if open_errors:  # passed knowingly: the open errors the chair confirmed past
        record["confirmed_open_findings"] = [f.id for f in open_errors]
    with transaction(db):
        require_chair(db, state.review_id, who)
        old = rstore.get_answer(db, state.review_id, item.id)
        new = AnswerState(item.id, value, text, rstore.now(), who, source="chair")
        rstore.put_answer(db, state.review_id, new)
        audit(db, state, who, "resolve", item.id, old, record, fields=("answer", "comment", "source"))
    return new


def disagreements(db: sqlite_utils.Database, path: str | Path, *,
                  checklists: ChecklistSet | None = None, actor: str | None = None,
                  include_resolved: bool = True) -> list[Disagreement]:
    """The items the members answered differently, in checklist order, each with every
    member's answer and comment and the chair's resolution (if any)."""
    state, cls = _state(db, path, checklists, actor)
    current = rstore.members(db, state.review_id)
    if not current:
        return []
    mine = rstore.member_answers(db, state.review_id)
    consolidated = rstore.answers(db, state.review_id)
    out = []
    for item in cls.items():
        given = mine.get(item.id, {})
        if len({a.answer for a in given.values()}) < 2:
            continue
        done = consolidated.get(item.id)
        resolved = done if done is not None and done.source == "chair" else None
        if resolved is not None and not include_resolved:
            continue
        out.append(Disagreement(item.id, item.checklist, item.question, item.blocking,
                                member_view(current, given, done).answers, resolved))
    return out
