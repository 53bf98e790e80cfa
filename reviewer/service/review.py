"""The review use cases: checklists, answers, dispositions, decisions, carry-over.

The CLI (``reviewer review …``) and the TUI both call these functions.  Each
takes ``db`` (a :class:`sqlite_utils.Database` from :func:`reviewer.store.open_db`)
and the package path as the user gave it; each reviewer action is committed,
with its audit row, in one transaction the moment it is made.  A refused
action raises :class:`ReviewError` (``.code``, bilingual ``.message``,
``.usage`` true for unknown ids and malformed values); a malformed checklist
file raises :class:`ChecklistError` naming file and line.

Every call first brings the package's review up to date with its latest scan
(:func:`open_review`): a new package version gets a new review that carries
the previous one over (see :mod:`reviewer.review.carry`).

Optional keyword arguments on every call: ``checklists`` (a
:class:`ChecklistSet`, default :func:`load_checklists`) and ``actor`` (default
``$REVIEWER_NAME`` or the reviewer's profile, :mod:`reviewer.service.profile`;
never the OS user).
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from reviewer.checks.groups import group_findings, group_id
from reviewer.checks.model import Finding
from reviewer.i18n import bilingual
from reviewer.ingest.model import Msg
from reviewer.review.carry import (
    Fact, FindingIndex, SyncPlan, describe_change, fingerprint, item_facts, item_finding_ids,
    plan_sync,
)
from reviewer.review.checklist import ChecklistSet, Item, combine, parse_checklist
from reviewer.review.errors import ChecklistError, ChecklistProblem, ReviewError
from reviewer.review.model import (
    AnswerState, Blocker, Decision, DispositionState, FindingRef, Member, check_answer,
    check_decision, check_disposition, check_open_errors, compute_blockers, group_blockers,
)
from reviewer.service.audit import audit
from reviewer.service.profile import opener_name
from reviewer.store import packages as pstore
from reviewer.store import reviews as rstore
from reviewer.store.db import transaction

__all__ = [
    "ReviewError", "ChecklistError", "ReviewState", "ReviewStatus", "ItemStatus",
    "FindingStatus", "GroupStatus", "GroupDisposition", "Progress", "ItemEvidence", "ImportReport", "AuditEntry",
    "load_checklists", "open_review", "review_status", "answer_item", "clear_answer",
    "dispose_finding", "dispose_group", "clear_disposition", "decide", "add_note", "export_answers",
    "import_answers", "audit_log", "evidence_for", "item_evidence", "actor_name",
    "dispositions_for",
]

EXPORT_FORMAT = "reviewer-answers/1"


# ---------------------------------------------------------------- checklists

_CACHE: dict[tuple, ChecklistSet] = {}


def _checklist_files(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        d = Path(d)
        if d.is_file():
            files.append(d)
        elif d.is_dir():
            files.extend(sorted(p for p in d.iterdir()
                                if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            raise ChecklistError([ChecklistProblem(str(d), None, "no such file or directory")])
    return files


def load_checklists(dirs: list[Path] | None = None) -> ChecklistSet:
    """Read and validate the checklists in force.

    ``dirs`` (directories or single files) default to ``$REVIEWER_CHECKLISTS``
    (paths separated by ``os.pathsep``) or the shipped ``checklists/``.
    Raises :class:`ChecklistError` listing every problem as ``file:line: message``.
    Results are cached until a file changes: in memory, and parsed in the cache folder
    (a new process then needs neither YAML parsing nor jsonschema).
    """
    if dirs is None:
        env = os.environ.get("REVIEWER_CHECKLISTS")
        if env:
            dirs = [Path(p) for p in env.split(os.pathsep) if p]
        else:
            from reviewer.paths import checklists_dir

            dirs = [checklists_dir()]
    files = _checklist_files(dirs)
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    if key in _CACHE:
        return _CACHE[key]
    raw: list[bytes | OSError] = []
    for path in files:
        try:
            raw.append(path.read_bytes())
        except OSError as exc:
            raw.append(exc)
    stored = _stored_checklists(files, raw)
    result = stored.get() if stored is not None else None
    if result is None:
        result = _parse_checklists(files, raw)
        if stored is not None:
            stored.put(result)
    _CACHE.clear()
    _CACHE[key] = result
    return result


#: Part of the on-disk cache key of parsed checklists; raise it when their pickled form changes.
CHECKLIST_CACHE_FORMAT = 1


class _StoredChecklists:
    """The parsed checklists kept in the cache folder, keyed by the files' names and bytes,
    the checklist schema, the parsing code and the tool's version: unpickled in under a
    millisecond instead of parsed and validated (YAML + jsonschema, ~0.1 s).  A cache that
    can't be read or written only costs the parse."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self) -> ChecklistSet | None:
        import pickle

        try:
            found = pickle.loads(self.path.read_bytes())
        except Exception:  # noqa: BLE001 - missing, truncated or from another version: parsed
            return None
        return found if isinstance(found, ChecklistSet) else None

    def put(self, checklists: ChecklistSet) -> None:
        import pickle

        from reviewer.files import write_atomic

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, pickle.dumps(checklists, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass


def _stored_checklists(files: list[Path], raw: list[bytes | OSError]) -> _StoredChecklists | None:
    """Where the parse of these checklist files is cached (None: a file is unreadable, or
    there is no cache folder)."""
    import hashlib
    import sys

    import reviewer
    from reviewer.paths import cache_dir, schemas_dir

    if any(isinstance(data, OSError) for data in raw):
        return None  # parsed, to say which file and why
    h = hashlib.sha256(f"{reviewer.__version__}\x1f{CHECKLIST_CACHE_FORMAT}\x1f"
                       f"{sys.version_info[:2]}".encode())
    for code in (Path(reviewer.__file__).parent / "review" / "checklist.py",
                 schemas_dir() / "checklist.schema.json"):
        try:
            h.update(code.read_bytes())
        except OSError:
            return None
    for path, data in zip(files, raw):
        h.update(f"\x1f{path}\x1f{len(data)}\x1f".encode())
        h.update(data)
    try:
        return _StoredChecklists(cache_dir() / "checklists" / f"{h.hexdigest()[:32]}.pickle")
    except OSError:
        return None


def _parse_checklists(files: list[Path], raw: list[bytes | OSError]) -> ChecklistSet:
    """Parse and validate the checklist files (raises :class:`ChecklistError`)."""
    parsed, problems = [], []
    for path, data in zip(files, raw):
        if isinstance(data, OSError):
            problems.append(ChecklistProblem(str(path), None, f"cannot read: {data}"))
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(ChecklistProblem(str(path), None, f"not UTF-8 text: {exc}"))
            continue
        try:
            parsed.append(parse_checklist(text, str(path)))
        except ChecklistError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ChecklistError(problems)
    return combine(parsed)


def actor_name(actor: str | None = None) -> str:
    """Who is acting: ``actor``, ``$REVIEWER_NAME`` or the reviewer's profile.

    Never the OS user: with none of them, ``no-identity`` is raised, saying how
    to set the profile (:mod:`reviewer.service.profile`).
    """
    from reviewer.service.profile import require_identity

    return require_identity(actor)


# ---------------------------------------------------------------- results

@dataclass(slots=True)
class ReviewState:
    """The review of the package's latest scanned version (what :func:`open_review` returns)."""

    review_id: int
    package_id: int
    path: str  # the package key (resolved path)
    digest: str
    scan_id: int
    created: bool  # a new review was created by this call
    carried_from: int | None
    synced: SyncPlan | None  # what the sync/carry-over of this call changed (None: nothing to do)
    #: The review history started at another path that this package continues (None: its own).
    continued: Any = None  # reviewer.service.continuity.Continuation


@dataclass(slots=True)
class ItemStatus:
    id: str
    checklist: str
    question: Msg
    guidance: Msg
    blocking: bool
    answer: str | None
    comment: str | None
    needs_recheck: bool
    evidence: list[str]  # finding ids
    facts: list[Fact] = field(default_factory=list)
    comment_required: list[str] = field(default_factory=list)
    regulation: dict[str, Any] = field(default_factory=dict)
    updated_at: str | None = None
    actor: str | None = None
    carried: bool = False  # the answer was carried over from an earlier version
    changes: list[dict[str, Any]] = field(default_factory=list)
    #: With a review team: each member's own answer (``answer`` above is the consolidated
    #: one), the agreement (agreed | disputed | pending | resolved) and how the consolidated
    #: answer came about (agreement | chair).
    members: list[Any] = field(default_factory=list)  # reviewer.service.team.MemberAnswer
    agreement: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "checklist": self.checklist, "blocking": self.blocking,
            "answer": self.answer, "comment": self.comment, "needs_recheck": self.needs_recheck,
            "question": self.question, "guidance": self.guidance, "evidence": self.evidence,
            "facts": [f.to_dict() for f in self.facts],
            "comment_required": self.comment_required, "regulation": self.regulation,
            "updated_at": self.updated_at, "actor": self.actor, "carried": self.carried,
            "changes": [dict(c, message=describe_change(c)) for c in self.changes],
            "members": [m.to_dict() for m in self.members], "agreement": self.agreement,
            "source": self.source,
        }


@dataclass(slots=True)
class FindingStatus:
    id: str
    severity: str
    check: str
    category: str
    rule: str
    file: str | None
    location: dict[str, Any]
    match: str
    message: Msg
    disposition: str | None
    reason: str | None
    new: bool
    needs_recheck: bool = False
    carried: bool = False
    context: str = ""
    group: str = ""  # the id of its group (reviewer.checks.groups); set by review_status
    group_size: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "severity": self.severity, "disposition": self.disposition,
            "reason": self.reason, "check": self.check, "category": self.category,
            "rule": self.rule, "file": self.file, "location": self.location,
            "match": self.match, "message": self.message, "new": self.new,
            "needs_recheck": self.needs_recheck, "carried": self.carried,
            "group": self.group, "group_size": self.group_size,
        }


@dataclass(slots=True)
class GroupStatus:
    """One problem: the findings of one rule and text (see :mod:`reviewer.checks.groups`)."""

    id: str
    findings: list[FindingStatus]

    @property
    def first(self) -> FindingStatus:
        return self.findings[0]

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def severity(self) -> str:
        """The most severe member's severity."""
        order = {"error": 0, "warning": 1, "info": 2}
        return min((f.severity for f in self.findings), key=lambda s: order.get(s, 9))

    @property
    def open(self) -> int:
        """Members with no disposition (new occurrences of a disposed group among them)."""
        return sum(1 for f in self.findings if f.disposition is None)

    @property
    def disposition(self) -> str | None:
        """The members' disposition when they all share one, else ``None``."""
        values = {f.disposition for f in self.findings}
        return values.pop() if len(values) == 1 else None

    def to_dict(self) -> dict[str, Any]:
        f = self.first
        tally: dict[str, int] = {}
        for m in self.findings:
            key = m.disposition or "none"
            tally[key] = tally.get(key, 0) + 1
        return {
            "id": self.id, "check": f.check, "rule": f.rule, "category": f.category,
            "severity": self.severity, "match": f.match, "count": self.count,
            "files": len({m.file for m in self.findings}),
            "disposition": self.disposition, "open": self.open, "dispositions": tally,
            "findings": [m.id for m in self.findings],
        }


@dataclass(slots=True)
class GroupDisposition:
    """What :func:`dispose_group` recorded: the group, the value, each member's state."""

    group: str
    disposition: str
    reason: str | None
    members: list[DispositionState]
    changed: int  # members whose disposition this call changed (the rest had it already)


@dataclass(slots=True)
class Progress:
    checklist: str
    name: Msg
    answered: int
    total: int
    recheck: int = 0
    failed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"checklist": self.checklist, "name": self.name, "answered": self.answered,
                "total": self.total, "recheck": self.recheck, "failed": self.failed}


@dataclass(slots=True)
class ReviewStatus:
    """Everything about one review: items, findings, decision, blockers, progress."""

    review_id: int
    package_id: int
    path: str
    course_id: str | None
    title: str | None
    digest: str
    scan_id: int
    items: list[ItemStatus]
    findings: list[FindingStatus]
    decision: Decision | None
    decision_outdated: bool  # answers/dispositions/findings changed after the decision
    blockers: list[Blocker]
    progress: list[Progress]
    notes: list[dict[str, Any]]
    carried_from: int | None
    checklists_digest: str
    #: ``{"path", "by"}`` when the package continues a review started at another path.
    continues: dict[str, Any] | None = None
    #: The review team (empty: one reviewer, whose answers are the consolidated ones).
    team: list[Member] = field(default_factory=list)

    @property
    def can_recommend(self) -> bool:
        return not self.blockers

    @property
    def blocker_groups(self) -> list[tuple[str, list[Blocker]]]:
        """The blockers grouped as a reviewer works through them (see ``group_blockers``)."""
        return group_blockers(self.blockers)

    def item(self, item_id: str) -> ItemStatus | None:
        return next((i for i in self.items if i.id == item_id), None)

    def finding(self, finding_id: str) -> FindingStatus | None:
        return next((f for f in self.findings if f.id == finding_id), None)

    @property
    def groups(self) -> list[GroupStatus]:
        """The findings as problems: one group per rule and normalised text, in finding order."""
        out: dict[str, list[FindingStatus]] = {}
        for f in self.findings:
            out.setdefault(f.group or group_id(f), []).append(f)
        return [GroupStatus(gid, members) for gid, members in out.items()]

    def group(self, gid: str) -> GroupStatus | None:
        return next((g for g in self.groups if g.id == gid), None)

    def summary(self) -> dict[str, int]:
        """Findings and groups, all and not yet disposed of (a group is open while any
        member is)."""
        groups = self.groups
        return {"findings": len(self.findings),
                "open_findings": sum(1 for f in self.findings if f.disposition is None),
                "groups": len(groups), "open_groups": sum(1 for g in groups if g.open)}

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``reviewer review status --format json``)."""
        d = self.decision
        return {
            "package": {"path": self.path, "id": self.course_id, "title": self.title,
                        "digest": self.digest, "scan_id": self.scan_id},
            "review_id": self.review_id,
            "carried_from": self.carried_from,
            "continues": self.continues,
            "team": [m.to_dict() for m in self.team] or None,
            "checklists_digest": self.checklists_digest,
            "items": [i.to_dict() for i in self.items],
            "findings": [f.to_dict() for f in self.findings],
            "groups": [g.to_dict() for g in self.groups],
            "summary": self.summary(),
            "decision": d.decision if d else None,
            "decision_detail": ({"decision": d.decision, "comment": d.comment,
                                 "decided_at": d.decided_at, "actor": d.actor,
                                 "outdated": self.decision_outdated} if d else None),
            "blockers": [b.to_dict() for b in self.blockers],
            "can_recommend": self.can_recommend,
            "progress": [p.to_dict() for p in self.progress],
            "notes": [{"id": n["id"], "at": n["at"], "actor": n["actor"], "target": n["target"],
                       "text": n["text"]} for n in self.notes],
        }


@dataclass(slots=True)
class ItemEvidence:
    """An item's evidence for display: the findings and the other facts."""

    item: Item
    findings: list[Finding]
    facts: list[Fact]


@dataclass(slots=True)
class ImportReport:
    """What :func:`import_answers` did: applied, unchanged, and the entries it refused."""

    applied: list[str] = field(default_factory=list)  # "answer:P1", "disposition:<id>", "note"
    unchanged: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # {entry, code, message}
    warnings: list[Msg] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"applied": self.applied, "unchanged": self.unchanged, "errors": self.errors,
                "warnings": self.warnings}


@dataclass(slots=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    target: str | None
    old: Any
    new: Any
    review_id: int | None
    digest: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "actor": self.actor, "action": self.action,
                "target": self.target, "old": self.old, "new": self.new,
                "review_id": self.review_id, "digest": self.digest}


# ---------------------------------------------------------------- opening

def _package_key(path: str | Path) -> str:
    from reviewer.service.scan import package_key

    return package_key(path)


def _not_scanned(path: str | Path) -> ReviewError:
    return ReviewError.of("not-scanned", usage=True, path=path)


def _latest(db: sqlite_utils.Database, path: str | Path) -> tuple[dict, dict]:
    row = pstore.package_row(db, _package_key(path))
    if row is None:
        raise _not_scanned(path)
    scan = pstore.latest_scan(db, row["id"])
    if scan is None:
        raise _not_scanned(path)
    return row, scan


def _prints(cls: ChecklistSet, refs: list[FindingRef], manifest: Any, coverage: Any,
            files: list[dict], facts: Any = None) -> dict[str, dict[str, Any]]:
    index = FindingIndex(refs)
    return {item.id: fingerprint(item, item_finding_ids(item, index), manifest, coverage, files,
                                 facts)
            for item in cls.items()}


def _json_or_none(text: str | None) -> Any:
    return json.loads(text) if text else None


def open_review(db: sqlite_utils.Database, path: str | Path, *,
                checklists: ChecklistSet | None = None, actor: str | None = None) -> ReviewState:
    """The review of the package's latest scanned version, created or synced as needed.

    * No review for this digest yet: one is created; if an earlier version of
      the package was reviewed, its answers, dispositions (for findings that
      still exist) and notes are carried over, answered items whose evidence
      changed are marked ``needs_recheck``, and findings that are new are marked new.
    * A review exists but a newer scan of the same version (e.g. other rules)
      or changed checklists: the same marking happens in place.
    * A package at a path never reviewed continues the history of the same course
      (manifest id) or the same files found at another path
      (:mod:`reviewer.service.continuity`; ``ReviewState.continued`` says where).
    Raises :class:`ReviewError` ``not-scanned`` (usage) when the package was never scanned.
    """
    from reviewer.service.continuity import continue_review

    cls = checklists or load_checklists()
    pkg, scan = _latest(db, path)
    link = continue_review(db, pkg, opener_name(actor))
    state = _open_review(db, pkg, scan, cls, actor)
    state.continued = link
    return state


def _open_review(db, pkg, scan, cls: ChecklistSet, actor: str | None) -> ReviewState:
    review = rstore.find_review(db, pkg["id"], scan["digest"])
    if review and review.get("scan_id") == scan["id"] \
            and review["checklists_digest"] == cls.digest:
        return ReviewState(review["id"], pkg["id"], pkg["path"], scan["digest"], scan["id"],
                           False, review["carried_from"], None)
    who = opener_name(actor)
    with transaction(db):
        review = rstore.find_review(db, pkg["id"], scan["digest"])  # again, under the lock
        if review and review.get("scan_id") == scan["id"] \
                and review["checklists_digest"] == cls.digest:
            return ReviewState(review["id"], pkg["id"], pkg["path"], scan["digest"], scan["id"],
                               False, review["carried_from"], None)
        refs = rstore.finding_refs(db, scan["id"])
        current = {r.id: r for r in refs}
        new_prints = _prints(cls, refs, _json_or_none(pkg["manifest"]),
                             _json_or_none(scan["coverage"]), pstore.file_rows(db, pkg["id"]),
                             pstore.scan_facts(scan))
        if review is None:
            state = _create_review(db, pkg, scan, cls, who, current, new_prints)
        else:
            state = _resync_review(db, review, pkg, scan, who, current, new_prints)
        rstore.replace_item_prints(db, state.review_id, new_prints)
        rstore.set_review_sync(db, state.review_id, scan["id"], cls.digests, cls.digest)
    return state


def _create_review(db, pkg, scan, cls: ChecklistSet, who: str, current: dict[str, FindingRef],
                   new_prints: dict) -> ReviewState:
    prev = rstore.previous_review(db, pkg["id"], scan["digest"])
    review_id = rstore.create_review(db, pkg["id"], scan["digest"], cls.digests, cls.digest,
                                     who, prev["id"] if prev else None)
    if prev is None:
        plan = plan_sync({}, {}, new_prints, {}, None, current)
        rstore.replace_review_findings(db, review_id, [(r.id, r.sig, False)
                                                       for r in current.values()])
        rstore.audit(db, review_id, pkg["id"], who, "open", scan["digest"], None,
                     {"digest": scan["digest"], "scan_id": scan["id"],
                      "checklists_digest": cls.digest})
        return ReviewState(review_id, pkg["id"], pkg["path"], scan["digest"], scan["id"],
                           True, None, plan)
    old_answers = rstore.answers(db, prev["id"])
    old_disps = rstore.dispositions(db, prev["id"])
    known = rstore.known_findings(db, prev["id"])
    plan = plan_sync(_answered(db, prev["id"], old_answers), rstore.item_prints(db, prev["id"]),
                     new_prints, old_disps, known, current)
    for item_id, old in old_answers.items():
        changes = plan.recheck_items.get(item_id)
        rstore.put_answer(db, review_id, AnswerState(
            item_id, old.answer, old.comment, old.updated_at, old.actor,
            needs_recheck=old.needs_recheck or bool(changes), carried_from=prev["id"],
            changes=(changes or []) + (old.changes if old.needs_recheck else []),
            source=old.source))
    # the review team and each member's own answers go along, marked alike
    for member in rstore.members(db, prev["id"]):
        rstore.put_member(db, review_id, member, who)
    for item_id, by_member in rstore.member_answers(db, prev["id"]).items():
        changes = plan.recheck_items.get(item_id)
        for old in by_member.values():
            rstore.put_member_answer(db, review_id, AnswerState(
                item_id, old.answer, old.comment, old.updated_at, old.actor,
                needs_recheck=old.needs_recheck or bool(changes), carried_from=prev["id"],
                changes=(changes or []) + (old.changes if old.needs_recheck else [])))
    recheck = set(plan.recheck_findings)
    for fid in plan.carried:
        old = old_disps[fid]
        rstore.put_disposition(db, review_id, DispositionState(
            fid, old.disposition, old.reason, old.updated_at, old.actor,
            needs_recheck=old.needs_recheck or fid in recheck, carried_from=prev["id"],
            finding_sig=old.finding_sig or known.get(fid, "")))
    new = set(plan.new_findings)
    rstore.replace_review_findings(db, review_id, [(r.id, r.sig, r.id in new)
                                                   for r in current.values()])
    for note in rstore.notes(db, prev["id"]):
        rstore.add_note(db, review_id, note["actor"], note["text"], note["target"],
                        carried_from=prev["id"], at=note["at"])
    rstore.audit(db, review_id, pkg["id"], who, "carry-over", scan["digest"],
                 {"review_id": prev["id"], "digest": prev["digest"]},
                 dict(plan.summary(), digest=scan["digest"], scan_id=scan["id"]))
    return ReviewState(review_id, pkg["id"], pkg["path"], scan["digest"], scan["id"], True,
                       prev["id"], plan)


def _answered(db, review_id: int, answers: dict[str, AnswerState]) -> dict[str, AnswerState]:
    """The items answered in a review: consolidated answers, and items only team members
    answered so far (their evidence is watched for a recheck too)."""
    out = dict(answers)
    for item_id, by_member in rstore.member_answers(db, review_id).items():
        if by_member:
            out.setdefault(item_id, next(iter(by_member.values())))
    return out


def _resync_review(db, review, pkg, scan, who: str, current: dict[str, FindingRef],
                   new_prints: dict) -> ReviewState:
    review_id = review["id"]
    answers = rstore.answers(db, review_id)
    disps = rstore.dispositions(db, review_id)
    known = rstore.known_findings(db, review_id)
    still_new = rstore.new_findings(db, review_id)
    plan = plan_sync(_answered(db, review_id, answers), rstore.item_prints(db, review_id),
                     new_prints, disps, known, current)
    for item_id, changes in plan.recheck_items.items():
        old = answers.get(item_id)
        if old is not None:  # else only team members answered it (flagged below)
            rstore.flag_answer(db, review_id, item_id,
                               changes + (old.changes if old.needs_recheck else []))
    for item_id, changes in plan.recheck_items.items():
        rstore.flag_member_answers(db, review_id, item_id, changes)
    for fid in plan.recheck_findings:
        rstore.flag_disposition(db, review_id, fid)
    new = set(plan.new_findings) | still_new
    rstore.replace_review_findings(db, review_id, [(r.id, r.sig, r.id in new)
                                                   for r in current.values()])
    if plan.changed:  # a re-scan that changed nothing is not a change to the review
        rstore.audit(db, review_id, pkg["id"], who, "sync", scan["digest"],
                     {"scan_id": review.get("scan_id")},
                     dict(plan.summary(), scan_id=scan["id"]))
    return ReviewState(review_id, pkg["id"], pkg["path"], scan["digest"], scan["id"], False,
                       review["carried_from"], plan)


# ---------------------------------------------------------------- status

def review_status(db: sqlite_utils.Database, path: str | Path, *,
                  checklists: ChecklistSet | None = None, actor: str | None = None
                  ) -> ReviewStatus:
    """The whole state of the package's review (opening/syncing it first)."""
    cls = checklists or load_checklists()
    state = open_review(db, path, checklists=cls, actor=actor)
    pkg = pstore.package_row(db, state.path)
    scan_row = pstore.latest_scan(db, state.package_id)
    refs = rstore.finding_refs(db, state.scan_id)
    answers = rstore.answers(db, state.review_id)
    disps = rstore.dispositions(db, state.review_id)
    new = rstore.new_findings(db, state.review_id)
    manifest = _json_or_none(pkg["manifest"])
    coverage = _json_or_none(scan_row["coverage"]) if scan_row else None
    scan_facts = pstore.scan_facts(scan_row)
    files = pstore.file_rows(db, state.package_id)
    review = rstore.review_row(db, state.review_id)
    members = rstore.members(db, state.review_id)
    mine = rstore.member_answers(db, state.review_id) if members else {}

    index = FindingIndex(refs)
    items: list[ItemStatus] = []
    for item in cls.items():
        a = answers.get(item.id)
        view = None
        if members:
            from reviewer.service.team import member_view

            view = member_view(members, mine.get(item.id, {}), a)
        items.append(ItemStatus(
            id=item.id, checklist=item.checklist, question=item.question,
            guidance=item.guidance, blocking=item.blocking,
            answer=a.answer if a else None, comment=a.comment if a else None,
            needs_recheck=bool(a and a.needs_recheck),
            evidence=item_finding_ids(item, index),
            facts=item_facts(item, manifest, coverage, files, scan_facts),
            comment_required=sorted(item.comment_required), regulation=item.regulation,
            updated_at=a.updated_at if a else None, actor=a.actor if a else None,
            carried=bool(a and a.carried_from), changes=list(a.changes) if a else [],
            members=view.answers if view else [], agreement=view.agreement if view else None,
            source=a.source if a else None,
        ))
    findings = []
    for r in refs:
        d = disps.get(r.id)
        findings.append(FindingStatus(
            id=r.id, severity=r.severity, check=r.check, category=r.category, rule=r.rule,
            file=r.file, location=r.location, match=r.match, message=r.message,
            disposition=d.disposition if d else None, reason=d.reason if d else None,
            new=r.id in new, needs_recheck=bool(d and d.needs_recheck),
            carried=bool(d and d.carried_from), context=r.context,
        ))
    for g in group_findings(findings):
        for f in g.members:
            f.group, f.group_size = g.id, g.count
    blockers = compute_blockers(((i, answers.get(i.id)) for i in cls.items()),
                                ((r, disps.get(r.id)) for r in refs))
    progress = []
    for cl in cls.checklists:
        states = [answers.get(i.id) for i in cl.items]
        progress.append(Progress(
            cl.id, cl.name, answered=sum(1 for s in states if s is not None),
            total=len(cl.items), recheck=sum(1 for s in states if s and s.needs_recheck),
            failed=sum(1 for s in states if s and s.answer == "fail")))
    return ReviewStatus(
        review_id=state.review_id, package_id=state.package_id, path=state.path,
        course_id=pkg.get("course_id"), title=pkg.get("title"), digest=state.digest,
        scan_id=state.scan_id, items=items, findings=findings,
        decision=rstore.latest_decision(db, state.review_id),
        decision_outdated=rstore.changed_since_decision(db, state.review_id),
        blockers=blockers, progress=progress, notes=rstore.notes(db, state.review_id),
        carried_from=review["carried_from"] if review else None,
        checklists_digest=cls.digest,
        continues=state.continued.to_dict() if state.continued else None,
        team=members,
    )


# ---------------------------------------------------------------- actions

def _item(cls: ChecklistSet, item_id: str) -> Item:
    item = cls.item(str(item_id).strip())
    if item is None:
        known = ", ".join(i.id for i in cls.items())
        raise ReviewError.of("unknown-item", usage=True, item=repr(item_id), known=known)
    return item


def _open_errors(db, state: ReviewState, item: Item) -> list[FindingRef]:
    """The item's evidence findings of severity error that nobody has disposed of."""
    if not item.finding_selectors():
        return []
    prints = rstore.item_print(db, state.review_id, item.id) or {}
    return rstore.open_errors(db, state.scan_id, state.review_id, prints.get("findings") or [])


def _answer(db, path, item_id, answer, comment, cls, actor, via: str | None = None,
            confirm_open_findings: bool | Collection[str] = False) -> tuple[AnswerState, bool]:
    """Record an answer; ``confirm_open_findings`` is True (every open error confirmed
    past), or the ids confirmed past — an imported answer: enough when they cover every
    error finding open now."""
    state = open_review(db, path, checklists=cls, actor=actor)
    item = _item(cls, item_id)
    value, text = check_answer(item, answer, comment)
    who = actor_name(actor)
    open_errors = _open_errors(db, state, item) if value == "pass" else []
    if not isinstance(confirm_open_findings, bool):  # the ids confirmed past (an import)
        listed = set(confirm_open_findings)
        confirm_open_findings = all(f.id in listed for f in open_errors)
    check_open_errors(item, value, text, open_errors, confirm_open_findings)
    confirmed = [f.id for f in open_errors]  # passed knowingly: the open errors confirmed past
    members = rstore.members(db, state.review_id)
    if members:  # a review team: the member's own answer, then the consolidated one
        from reviewer.service.team import record_member_answer

        return record_member_answer(db, state, members, item, value, text, who, via,
                                    confirmed_open_findings=confirmed)
    with transaction(db):
        old = rstore.get_answer(db, state.review_id, item.id)
        return write_answer(db, state, item.id, value, text, who, old, rstore.put_answer,
                            via=via, confirmed=confirmed)


def write_answer(db, state: ReviewState, item_id: str, value: str, text: str | None, who: str,
                 old: AnswerState | None, put: Any, *, via: str | None = None,
                 confirmed: list[str] | None = None,
                 member: str | None = None) -> tuple[AnswerState, bool]:
    """Store an answer with ``put`` (the review's own, or a team member's) and audit the
    change from ``old``; ``(old, False)`` when nothing changed.  Inside the caller's
    transaction."""
    if old and old.answer == value and old.comment == text and not old.needs_recheck:
        return old, False
    new = AnswerState(item_id, value, text, rstore.now(), who)
    put(db, state.review_id, new)
    record: dict[str, Any] = {"answer": value, "comment": text}
    if member:
        record["member"] = member
    if confirmed:
        record["confirmed_open_findings"] = confirmed
    if via:
        record["via"] = via
    audit(db, state, who, "answer", item_id, old, record,
          fields=("answer", "comment", "needs_recheck"))
    return new, True


def answer_item(db: sqlite_utils.Database, path: str | Path, item_id: str, answer: str,
                comment: str | None = None, *, checklists: ChecklistSet | None = None,
                actor: str | None = None, confirm_open_findings: bool = False) -> AnswerState:
    """Answer a checklist item (``pass`` | ``fail`` | ``na``), committed at once.

    ``fail`` and ``na`` need a comment (``comment-required``); an unknown item
    raises ``unknown-item`` (usage).  Answering again — even with the same
    answer — clears ``needs_recheck``.

    ``pass`` on an item whose own evidence holds error findings without a
    disposition raises ``open-findings`` (the findings in ``details``) unless
    ``confirm_open_findings`` — the reviewer has seen them and says the item
    passes anyway — and a comment is given (``comment-required`` without one).
    The audit row of such an answer lists the findings (``confirmed_open_findings``).
    """
    cls = checklists or load_checklists()
    return _answer(db, path, item_id, answer, comment, cls, actor,
                   confirm_open_findings=confirm_open_findings)[0]


def clear_answer(db: sqlite_utils.Database, path: str | Path, item_id: str, *,
                 checklists: ChecklistSet | None = None, actor: str | None = None) -> bool:
    """Remove the answer to an item (returns whether there was one)."""
    cls = checklists or load_checklists()
    state = open_review(db, path, checklists=cls, actor=actor)
    item = _item(cls, item_id)
    who = actor_name(actor)
    members = rstore.members(db, state.review_id)
    if members:
        from reviewer.service.team import clear_member_answer

        return clear_member_answer(db, state, members, item.id, who)
    return _clear(db, state, who, item.id, rstore.get_answer, rstore.delete_answer, "clear-answer",
                  ("answer", "comment"))


def _clear(db, state: ReviewState, who: str, target: str, get: Any, delete: Any, action: str,
           fields: Sequence[str]) -> bool:
    """Delete one stored answer or disposition and audit what it was (False: there was none)."""
    with transaction(db):
        old = get(db, state.review_id, target)
        if old is None:
            return False
        delete(db, state.review_id, target)
        audit(db, state, who, action, target, old, fields=fields)
    return True


def _finding(db, state: ReviewState, finding_id: str) -> FindingRef:
    wanted = str(finding_id or "").strip()
    ids = rstore.find_finding_ids(db, state.scan_id, wanted) if len(wanted) >= 4 else []
    if len(ids) == 1:
        ref = rstore.finding_ref(db, state.scan_id, ids[0])
        if ref is not None:
            return ref
    if len(ids) > 1:
        raise ReviewError.of("ambiguous-finding", usage=True, id=repr(wanted))
    if len(wanted) >= 4 and any(g.id.startswith(wanted.lower()) for g in
                                group_findings(rstore.finding_refs(db, state.scan_id))):
        raise ReviewError.of("unknown-finding", "finding-is-group", usage=True, id=repr(wanted))
    raise ReviewError.of("unknown-finding", usage=True, id=repr(wanted))


def _put_disposition(db, state: ReviewState, ref: FindingRef, value: str, text: str | None,
                     who: str, via: str | None = None, group: str | None = None
                     ) -> tuple[DispositionState, bool]:
    """Store one finding's disposition with its audit row (inside the caller's transaction)."""
    old = rstore.get_disposition(db, state.review_id, ref.id)
    if old and old.disposition == value and old.reason == text and not old.needs_recheck:
        return old, False
    new = DispositionState(ref.id, value, text, rstore.now(), who, finding_sig=ref.sig)
    rstore.put_disposition(db, state.review_id, new)
    rstore.clear_new(db, state.review_id, ref.id)
    record = {"disposition": value, "reason": text}
    if via:
        record["via"] = via
    if group:
        record["group"] = group
    audit(db, state, who, "dispose", ref.id, old, record,
          fields=("disposition", "reason", "needs_recheck"))
    return new, True


def _dispose(db, path, finding_id, disposition, reason, cls, actor, via: str | None = None
             ) -> tuple[DispositionState, bool]:
    state = open_review(db, path, checklists=cls, actor=actor)
    ref = _finding(db, state, finding_id)
    value, text = check_disposition(ref.id, disposition, reason)
    who = actor_name(actor)
    with transaction(db):
        return _put_disposition(db, state, ref, value, text, who, via)


def _group(db, state: ReviewState, wanted: str) -> tuple[str, list[FindingRef]]:
    """The group named by ``wanted``: a group id, a finding id of one of its members,
    or a unique prefix (4+ characters) of either."""
    wanted = str(wanted or "").strip().lower()
    groups: dict[str, list[FindingRef]] = {}
    for g in group_findings(rstore.finding_refs(db, state.scan_id)):
        groups[g.id] = g.members
    hits: set[str] = set()
    if len(wanted) >= 4:
        if wanted in groups:
            hits = {wanted}
        else:
            for gid, members in groups.items():
                if gid.startswith(wanted) or any(m.id.startswith(wanted) for m in members):
                    hits.add(gid)
                    if len(hits) > 1:
                        break
    if len(hits) == 1:
        gid = hits.pop()
        return gid, groups[gid]
    if len(hits) > 1:
        raise ReviewError.of("ambiguous-group", usage=True, id=repr(wanted))
    raise ReviewError.of("unknown-group", usage=True, id=repr(wanted))


def dispose_group(db: sqlite_utils.Database, path: str | Path, group_or_finding: str,
                  disposition: str, reason: str | None = None, *,
                  checklists: ChecklistSet | None = None, actor: str | None = None
                  ) -> GroupDisposition:
    """Dispose of every finding of a group at once.

    ``group_or_finding`` is a group id or the id of any member (a unique prefix
    of 4+ characters will do); unknown ids raise ``unknown-group`` (usage).  Each
    member's disposition is stored and audited as if disposed of one by one
    (``group`` in the audit record), all in one transaction, so carry-over by
    finding id works as before.  The group is what the latest scan holds *now*:
    an occurrence a later scan finds is not covered and stays open.
    """
    cls = checklists or load_checklists()
    state = open_review(db, path, checklists=cls, actor=actor)
    gid, members = _group(db, state, group_or_finding)
    value, text = check_disposition(gid, disposition, reason)
    who = actor_name(actor)
    with transaction(db):
        done = [_put_disposition(db, state, ref, value, text, who, group=gid) for ref in members]
    return GroupDisposition(gid, value, text, [d for d, _ in done],
                            sum(1 for _, changed in done if changed))


def dispose_finding(db: sqlite_utils.Database, path: str | Path, finding_id: str,
                    disposition: str, reason: str | None = None, *,
                    checklists: ChecklistSet | None = None, actor: str | None = None
                    ) -> DispositionState:
    """Record what a finding is: ``confirmed``, ``false-alarm`` or ``accepted``.

    ``false-alarm`` needs a reason and ``accepted`` a justification
    (``reason-required``).  ``finding_id`` may be a unique prefix of at least
    4 characters; unknown ids raise ``unknown-finding`` (usage).
    """
    cls = checklists or load_checklists()
    return _dispose(db, path, finding_id, disposition, reason, cls, actor)[0]


def clear_disposition(db: sqlite_utils.Database, path: str | Path, finding_id: str, *,
                      checklists: ChecklistSet | None = None, actor: str | None = None) -> bool:
    """Remove the disposition of a finding (returns whether there was one)."""
    cls = checklists or load_checklists()
    state = open_review(db, path, checklists=cls, actor=actor)
    ref = _finding(db, state, finding_id)
    who = actor_name(actor)
    return _clear(db, state, who, ref.id, rstore.get_disposition, rstore.delete_disposition,
                  "clear-disposition", ("disposition", "reason"))


def decide(db: sqlite_utils.Database, path: str | Path, decision: str,
           comment: str | None = None, *, checklists: ChecklistSet | None = None,
           actor: str | None = None) -> Decision:
    """Record the decision: ``recommend``, ``revise`` or ``reject``.

    ``recommend`` is refused (code ``blockers``, the blockers in ``details``)
    while anything blocks; ``revise`` and ``reject`` need a comment and can be
    recorded at any time.  The latest decision is the one in force.
    """
    cls = checklists or load_checklists()
    who = actor_name(actor)
    open_review(db, path, checklists=cls, actor=actor)
    with transaction(db):
        status = review_status(db, path, checklists=cls, actor=actor)
        if status.team:  # a review team's decision is the chair's
            from reviewer.service.team import require_chair

            require_chair(db, status.review_id, who)
        value, text = check_decision(decision, comment, status.blockers)
        old = status.decision
        result = rstore.add_decision(db, status.review_id, value, text, who)
        audit(db, status, who, "decide", None, old, result, fields=("decision", "comment"))
    return result


def add_note(db: sqlite_utils.Database, path: str | Path, text: str,
             target: str | None = None, *, checklists: ChecklistSet | None = None,
             actor: str | None = None) -> int:
    """Add a free note to the review (optionally about an item or finding id)."""
    cls = checklists or load_checklists()
    state = open_review(db, path, checklists=cls, actor=actor)
    body = str(text or "").strip()
    if not body:
        raise ReviewError.of("empty-note", usage=True)
    who = actor_name(actor)
    with transaction(db):
        note_id = rstore.add_note(db, state.review_id, who, body, target)
        audit(db, state, who, "note", target, None, {"id": note_id, "text": body})
    return note_id


# ---------------------------------------------------------------- evidence

def item_evidence(db: sqlite_utils.Database, path: str | Path, item_id: str, *,
                  checklists: ChecklistSet | None = None) -> ItemEvidence:
    """An item's findings (full :class:`Finding` objects) and its other facts."""
    cls = checklists or load_checklists()
    state = open_review(db, path, checklists=cls)
    item = _item(cls, item_id)
    pkg = pstore.package_row(db, state.path)
    scan = pstore.latest_scan(db, state.package_id)
    findings = []
    selectors = item.finding_selectors()
    if selectors:
        findings = [f for f in pstore.scan_findings(db, state.scan_id)
                    if any(s.matches(f.check, f.category, f.rule, f.severity) for s in selectors)]
        findings.sort(key=lambda f: f.sort_key())
    facts = item_facts(item, _json_or_none(pkg["manifest"]),
                       _json_or_none(scan["coverage"]) if scan else None,
                       pstore.file_rows(db, state.package_id), pstore.scan_facts(scan))
    return ItemEvidence(item, findings, facts)


def evidence_for(db: sqlite_utils.Database, path: str | Path, item_id: str, *,
                 checklists: ChecklistSet | None = None) -> list[Finding]:
    """The findings that are evidence for one checklist item (for the TUI)."""
    return item_evidence(db, path, item_id, checklists=checklists).findings


# ---------------------------------------------------------------- export / import

def export_answers(db: sqlite_utils.Database, path: str | Path, *,
                   checklists: ChecklistSet | None = None, actor: str | None = None
                   ) -> dict[str, Any]:
    """The review's answers, dispositions and notes as plain data (written as YAML).

    Dispositions carry the finding's check, file and match for the reader;
    the decision is included for information and is never imported.
    """
    status = review_status(db, path, checklists=checklists, actor=actor)
    answers = {i.id: {"answer": i.answer, "comment": i.comment}
               for i in status.items if i.answer is not None}
    for value in answers.values():
        if value["comment"] is None:
            del value["comment"]
    # A pass given over open error findings carries the ones it was confirmed past (the
    # last recorded answer to the item says which), so that importing it is the same act.
    confirmed: dict[str, list[str]] = {}
    for entry in audit_log(db, path):
        if entry.review_id == status.review_id and entry.action in ("answer", "resolve") \
                and isinstance(entry.new, dict) and entry.target in answers:
            confirmed[entry.target] = list(entry.new.get("confirmed_open_findings") or [])
    for item_id, ids in confirmed.items():
        if ids and answers[item_id]["answer"] == "pass":
            answers[item_id]["confirmed_open_findings"] = ids
    disps = {}
    for f in status.findings:
        if f.disposition is None:
            continue
        entry: dict[str, Any] = {"disposition": f.disposition}
        if f.reason:
            entry["reason"] = f.reason
        entry.update({"check": f.check, "severity": f.severity, "file": f.file,
                      "match": f.match})
        disps[f.id] = entry
    d = status.decision
    return {
        "format": EXPORT_FORMAT,
        "package": {"path": status.path, "id": status.course_id, "title": status.title,
                    "digest": status.digest},
        "checklists_digest": status.checklists_digest,
        "exported_at": rstore.now(),
        "exported_by": opener_name(actor),
        "answers": answers,
        "dispositions": disps,
        "notes": [{"text": n["text"], **({"target": n["target"]} if n["target"] else {})}
                  for n in status.notes],
        "decision": {"decision": d.decision, "comment": d.comment} if d else None,
    }


def _entries(section: Any, key_name: str) -> list[tuple[str, Any]]:
    """A mapping ``{id: {...}}`` or a list ``[{key_name: id, ...}]`` → (id, entry) pairs."""
    if section is None:
        return []
    if isinstance(section, Mapping):
        return [(str(k), v) for k, v in section.items()]
    if isinstance(section, list):
        out = []
        for n, entry in enumerate(section):
            if isinstance(entry, Mapping) and entry.get(key_name) is not None:
                out.append((str(entry[key_name]), entry))
            else:
                out.append((f"#{n + 1}", entry))
        return out
    raise ReviewError.of("bad-import", "import-section", usage=True, section=key_name)


def import_answers(db: sqlite_utils.Database, path: str | Path, data: Any, *,
                   checklists: ChecklistSet | None = None, actor: str | None = None
                   ) -> ImportReport:
    """Apply answers, dispositions and notes prepared elsewhere (e.g. an exported file).

    Each entry is checked and applied on its own (committed at once, audited
    with ``via: import``); bad entries are listed in the report and the rest
    applied.  A decision in the data is never applied.
    """
    cls = checklists or load_checklists()
    if not isinstance(data, Mapping):
        raise ReviewError.of("bad-import", "import-not-mapping", usage=True)
    state = open_review(db, path, checklists=cls, actor=actor)
    report = ImportReport()
    digest = (data.get("package") or {}).get("digest") if isinstance(data.get("package"),
                                                                        Mapping) else None
    if digest and digest != state.digest:
        report.warnings.append(bilingual("review.error.import-other-version",
                                         theirs=digest[:19], ours=state.digest[:19]))
    if data.get("decision"):
        report.warnings.append(bilingual("review.error.import-decision"))

    def refuse(entry: str, exc: ReviewError) -> None:
        report.errors.append({"entry": entry, "code": exc.code, "message": exc.message})

    sections = (
        # (section, key name, label, the pair of fields, how to apply one entry).
        # Dispositions first: an answer rests on its evidence being looked at (a pass
        # over error findings left open is refused, see answer_item).
        ("dispositions", "finding", "disposition", ("disposition", "reason"), _dispose),
        ("answers", "item", "answer", ("answer", "comment"), _answer),
    )
    for section, key_name, prefix, (value_key, text_key), apply in sections:
        for key, entry in _entries(data.get(section), key_name):
            label = f"{prefix}:{key}"
            if isinstance(entry, str) and section == "answers":
                entry = {value_key: entry}  # "P1: pass" is short for {answer: pass}
            if not isinstance(entry, Mapping):
                shape = f"{{{value_key}, {text_key}}}"
                refuse(label, ReviewError.of("bad-value", "import-entry-shape", shape=shape))
                continue
            extra: dict[str, Any] = {}
            ids = entry.get("confirmed_open_findings") if section == "answers" else None
            if ids is not None:
                if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                    refuse(label, ReviewError.of("bad-value", "import-confirmed-ids"))
                    continue
                extra["confirm_open_findings"] = ids
            try:
                _, changed = apply(db, path, key, entry.get(value_key), entry.get(text_key),
                                   cls, actor, via="import", **extra)
            except ReviewError as exc:
                refuse(label, exc)
                continue
            (report.applied if changed else report.unchanged).append(label)

    notes = data.get("notes") or []
    if not isinstance(notes, list):
        refuse("notes", ReviewError.of("bad-value", "import-notes-list"))
        notes = []
    existing = {(n["text"], n["target"]) for n in rstore.notes(db, state.review_id)}
    for n, note in enumerate(notes):
        text = note.get("text") if isinstance(note, Mapping) else note
        target = note.get("target") if isinstance(note, Mapping) else None
        if not isinstance(text, str) or not text.strip():
            refuse(f"note:#{n + 1}", ReviewError.of("empty-note"))
            continue
        if isinstance(target, (int, float)) and not isinstance(target, bool):
            target = str(target)  # an id YAML read as a number, as the answer keys are
        if target is not None and not isinstance(target, str):
            refuse(f"note:#{n + 1}", ReviewError.of("bad-value", "import-note-target"))
            continue
        if (text.strip(), target) in existing:
            report.unchanged.append(f"note:#{n + 1}")
            continue
        add_note(db, path, text, target, checklists=cls, actor=actor)
        existing.add((text.strip(), target))
        report.applied.append(f"note:#{n + 1}")
    return report


# ---------------------------------------------------------------- audit

def audit_log(db: sqlite_utils.Database, path: str | Path) -> list[AuditEntry]:
    """Every recorded change to the package's reviews (all versions), oldest first."""
    row = pstore.package_row(db, _package_key(path))
    if row is None:
        raise _not_scanned(path)
    return [AuditEntry(r["id"], r["at"], r["actor"], r["action"], r["target"], r["old"],
                       r["new"], r["review_id"], r["digest"])
            for r in rstore.audit_rows(db, row["id"])]


def dispositions_for(db: sqlite_utils.Database, package_id: int, digest: str
                     ) -> dict[str, tuple[str, str]]:
    """Finding id → ``(disposition, reason)`` in the review of one package version.

    Empty when that version has no review yet (the SARIF report uses this for
    its suppressions).
    """
    review = rstore.find_review(db, package_id, digest)
    if review is None:
        return {}
    return {fid: (d.disposition, d.reason or "")
            for fid, d in rstore.dispositions(db, review["id"]).items()}
