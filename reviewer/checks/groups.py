"""One finding per problem: findings of the same rule and text form a group.

A lecturer's e-mail address on twenty handouts is twenty findings (each with
its own place, id and disposition) but one problem: the reviewer looks at it
once.  This module says which findings belong together — pure functions over
anything with ``id``, ``check``, ``rule``, ``match`` and ``context``
attributes (:class:`~reviewer.checks.model.Finding`, the review's
``FindingRef`` and ``FindingStatus``) — and nothing else: no I/O, no storage.

**The rule.** A finding found *in text* (it has a context snippet: lexicon,
pii, outdated claims, a topic taught only in part) belongs to the group of its
check, its rule and its matched text normalised by :func:`normalise_match`
(NFKC, case folded, white space removed), across every file of the package.
A finding *about* a file or the package (no context: a missing file, a gap in
the subtitles, an uncovered topic, an old file date, an unreadable file) is a
group of one: its ``match`` is a timestamp, a count or a path, and two of them
that read alike are still two problems.

The group id is 16 hex digits like a finding id; a group of one has its
finding's id as group id, so an id from ``review status`` names a group too.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_SPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")


def normalise_match(text: str) -> str:
    """The matched text as groups compare it: NFKC, case folded, no white space.

    ``Zhang.Wei@PKU.edu.cn``, ``zhang.wei@pku.edu.cn`` and a full-width
    ``ｚｈａｎｇ．ｗｅｉ＠ｐｋｕ．ｅｄｕ．ｃｎ`` are one text; ``刷 课`` and ``刷课``
    too.
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "").casefold())


def groupable(finding: Any) -> bool:
    """Whether ``finding`` joins others with the same text (it was found in text)."""
    return bool(getattr(finding, "context", "")) and bool(normalise_match(finding.match))


def group_id(finding: Any) -> str:
    """The id of ``finding``'s group (computed here only: reports, review and UI use it)."""
    if not groupable(finding):
        return finding.id
    key = "\x1f".join(["group", finding.check, finding.rule, normalise_match(finding.match)])
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(slots=True)
class Group(Generic[T]):
    """Findings that are one problem, in the order they were given."""

    id: str
    members: list[T] = field(default_factory=list)

    @property
    def first(self) -> T:
        return self.members[0]

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def ids(self) -> list[str]:
        return [m.id for m in self.members]


def group_findings(findings: Iterable[T]) -> list[Group[T]]:
    """The groups of ``findings``, ordered by their first member; members keep their order."""
    groups: dict[str, Group[T]] = {}
    for f in findings:
        gid = group_id(f)
        g = groups.get(gid)
        if g is None:
            g = groups[gid] = Group(gid)
        g.members.append(f)
    return list(groups.values())


def group_ids(findings: Iterable[Any]) -> dict[str, str]:
    """Finding id → group id."""
    return {f.id: group_id(f) for f in findings}


def group_sizes(findings: Iterable[Any]) -> dict[str, int]:
    """Group id → number of findings in it."""
    out: dict[str, int] = {}
    for f in findings:
        gid = group_id(f)
        out[gid] = out.get(gid, 0) + 1
    return out


def severity_group_counts(findings: Iterable[Any]) -> dict[str, int]:
    """Groups counted by the severity of their most severe member (error, warning, info)."""
    order = {"error": 0, "warning": 1, "info": 2}
    worst: dict[str, str] = {}
    for f in findings:
        gid = group_id(f)
        seen = worst.get(gid)
        if seen is None or order.get(f.severity, 9) < order.get(seen, 9):
            worst[gid] = f.severity
    out = {"error": 0, "warning": 0, "info": 0}
    for sev in worst.values():
        out[sev] = out.get(sev, 0) + 1
    return out
