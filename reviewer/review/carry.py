"""Evidence for checklist items, and carrying a review over to a changed package.

Pure.  For each item the review keeps an *evidence fingerprint*: the ids of
the findings its selectors match, the manifest values it looks at, the
coverage summary, the digests of the files of its roles and the digest of the
item's own definition.  When the package changes (a new digest after a
re-scan) or the same version is re-scanned with other rules, the fingerprints
are computed again; an answered item whose fingerprint differs is marked
``needs_recheck`` with the list of what changed.  Dispositions follow their
finding by its stable id; a disposition whose finding's signature (severity,
category, message, context) changed needs a recheck; findings that did not
exist before are marked new.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reviewer.i18n import bilingual
from reviewer.ingest.model import Msg
from reviewer.review.checklist import Evidence, Item
from reviewer.review.model import AnswerState, DispositionState, FindingRef

# ---------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class Fact:
    """A non-finding piece of evidence shown with an item.

    ``kind`` is ``manifest`` (``label`` = the field), ``coverage``, ``files``
    (``label`` = the roles) or ``fact`` (``label`` = the fact's name, ``value``
    what the check recorded).  ``met`` is whether the item's ``expect`` holds
    (None when the item expects nothing in particular) — a hint for the
    reviewer, never an answer.
    """

    kind: str
    label: str
    value: Any
    met: bool | None
    message: Msg

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "value": self.value, "met": self.met,
                "message": self.message}


def manifest_value(manifest: Mapping[str, Any] | None, path: str) -> Any:
    """The value of a (dotted) manifest field, or None when absent."""
    node: Any = manifest or {}
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def is_present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict, set)):
        return bool(value)
    return True


def expect_met(expect: Any, value: Any) -> bool | None:
    """Whether ``value`` satisfies an ``expect`` clause (None: nothing expected)."""
    if expect is None:
        return None
    if expect == "present":
        return is_present(value)
    if isinstance(expect, Mapping):
        if "equals" in expect:
            return value == expect["equals"]
        if "min" in expect:
            try:
                return value is not None and not isinstance(value, bool) \
                    and float(value) >= float(expect["min"])
            except (TypeError, ValueError):
                return False
        if "contains_any" in expect:
            values = value if isinstance(value, (list, tuple, set)) else [value]
            return any(str(v) in set(map(str, expect["contains_any"])) for v in values
                       if v is not None)
    return None


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value) or "—"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) or "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _manifest_fact(ev: Evidence, manifest: Mapping[str, Any] | None) -> Fact:
    value = manifest_value(manifest, ev.field or "")
    met = expect_met(ev.expect, value)
    if not is_present(value):
        msg = bilingual("review.fact.manifest_missing", field=ev.field)
    elif met is False:
        msg = bilingual("review.fact.manifest_unmet", field=ev.field, value=_show(value))
    else:
        msg = bilingual("review.fact.manifest", field=ev.field, value=_show(value))
    return Fact("manifest", ev.field or "", value, met, msg)


def _coverage_fact(ev: Evidence, coverage: Mapping[str, Any] | None) -> Fact:
    if not coverage:
        return Fact("coverage", "coverage", None, None if ev.min is None else False,
                    bilingual("review.fact.no_coverage"))
    topics = coverage.get("topics") or []
    covered = sum(1 for t in topics if t.get("covered"))
    ratio = float(coverage.get("ratio", covered / len(topics) if topics else 0.0))
    met = None if ev.min is None else ratio >= ev.min
    value = {"ratio": round(ratio, 4), "covered": covered, "total": len(topics),
             "uncovered": [t.get("title") for t in topics if not t.get("covered")]}
    return Fact("coverage", "coverage", value, met, bilingual(
        "review.fact.coverage", covered=covered, n=len(topics), ratio=f"{ratio:.0%}"))


def _role_files(ev: Evidence, files: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    every = "*" in ev.roles
    return sorted((f for f in files if every or f.get("role") in ev.roles),
                  key=lambda f: str(f.get("path")))


def _files_fact(ev: Evidence, files: Iterable[Mapping[str, Any]]) -> Fact:
    chosen = _role_files(ev, files)
    label = ",".join(ev.roles)
    return Fact("files", label, [f.get("path") for f in chosen], None,
                bilingual("review.fact.files", n=len(chosen), roles=label))


def _check_fact(ev: Evidence, facts: Mapping[str, Any] | None) -> Fact:
    value = (facts or {}).get(ev.field or "")
    if not isinstance(value, Mapping):
        from reviewer.i18n import t

        return Fact("fact", ev.field or "", None, None,
                    {"zh": t("review.fact_missing", "zh"), "en": t("review.fact_missing", "en")})
    met = value.get("met")
    message = value.get("message")
    if not isinstance(message, Mapping):
        message = {"zh": _show(value.get("status")), "en": _show(value.get("status"))}
    return Fact("fact", ev.field or "", dict(value), met if isinstance(met, bool) else None,
                dict(message))


def _fact_print(value: Any) -> Any:
    """What an answer rests on in a fact: all of it but its wording."""
    if not isinstance(value, Mapping):
        return None
    return {k: v for k, v in value.items() if k != "message"}


def item_facts(item: Item, manifest: Mapping[str, Any] | None,
               coverage: Mapping[str, Any] | None,
               files: Iterable[Mapping[str, Any]],
               facts: Mapping[str, Any] | None = None) -> list[Fact]:
    """The manifest, coverage, file and check facts an item points at (findings aside).

    ``facts`` are the scan's (``CheckResult.facts``; None for a scan that recorded none)."""
    files = list(files)
    out = []
    for ev in item.evidence:
        if ev.kind == "manifest":
            out.append(_manifest_fact(ev, manifest))
        elif ev.kind == "coverage":
            out.append(_coverage_fact(ev, coverage))
        elif ev.kind == "role":
            out.append(_files_fact(ev, files))
        elif ev.kind == "fact":
            out.append(_check_fact(ev, facts))
    return out


class FindingIndex:
    """Findings grouped by check, so matching 24 items against 10,000 findings stays cheap."""

    def __init__(self, findings: Iterable[FindingRef]):
        self.by_check: dict[str, list[tuple[int, FindingRef]]] = {}
        for pos, ref in enumerate(findings):
            self.by_check.setdefault(ref.check, []).append((pos, ref))


def item_finding_ids(item: Item, findings: Iterable[FindingRef] | FindingIndex) -> list[str]:
    """Ids of the findings that are evidence for ``item`` (in the given order)."""
    selectors = item.finding_selectors()
    if not selectors:
        return []
    index = findings if isinstance(findings, FindingIndex) else FindingIndex(findings)
    hits: dict[int, str] = {}
    for sel in selectors:
        for pos, f in index.by_check.get(sel.check or "", ()):
            if pos not in hits and sel.matches(f.check, f.category, f.rule, f.severity):
                hits[pos] = f.id
    return [hits[pos] for pos in sorted(hits)]


# ---------------------------------------------------------------- fingerprints

def fingerprint(item: Item, finding_ids: Iterable[str], manifest: Mapping[str, Any] | None,
                coverage: Mapping[str, Any] | None,
                files: Iterable[Mapping[str, Any]],
                facts: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything an answer to ``item`` rests on, as JSON-ready data."""
    files = list(files)
    out: dict[str, Any] = {"item": item.digest, "findings": sorted(set(finding_ids))}
    manifest_part = {ev.field: manifest_value(manifest, ev.field or "")
                     for ev in item.evidence if ev.kind == "manifest"}
    if manifest_part:
        out["manifest"] = manifest_part
    if any(ev.kind == "coverage" for ev in item.evidence):
        topics = (coverage or {}).get("topics") or []
        out["coverage"] = {
            "ratio": round(float((coverage or {}).get("ratio", 0.0)), 4),
            "uncovered": sorted(str(t.get("title")) for t in topics if not t.get("covered")),
        }
    role_part: dict[str, str] = {}
    for ev in item.evidence:
        if ev.kind == "role":
            for f in _role_files(ev, files):
                role_part[str(f.get("path"))] = str(f.get("sha256"))
    if any(ev.kind == "role" for ev in item.evidence):
        out["files"] = dict(sorted(role_part.items()))
    fact_part = {ev.field: _fact_print((facts or {}).get(ev.field or ""))
                 for ev in item.evidence if ev.kind == "fact"}
    if fact_part:
        out["facts"] = fact_part
    return out


def diff_fingerprints(old: Mapping[str, Any] | None, new: Mapping[str, Any]
                      ) -> list[dict[str, Any]]:
    """What changed between two fingerprints of one item ([] when nothing did)."""
    if old is None:
        return [{"kind": "unknown"}]
    changes: list[dict[str, Any]] = []
    if old.get("item") != new.get("item"):
        changes.append({"kind": "item"})
    before, after = set(old.get("findings", [])), set(new.get("findings", []))
    if before != after:
        changes.append({"kind": "findings", "added": sorted(after - before),
                        "removed": sorted(before - after)})
    om, nm = old.get("manifest", {}), new.get("manifest", {})
    for key in sorted(set(om) | set(nm)):
        if om.get(key) != nm.get(key):
            changes.append({"kind": "manifest", "field": key, "old": om.get(key),
                            "new": nm.get(key)})
    if old.get("coverage") != new.get("coverage"):
        changes.append({"kind": "coverage", "old": old.get("coverage"),
                        "new": new.get("coverage")})
    of, nf = old.get("files", {}), new.get("files", {})
    if of != nf:
        changed = sorted(p for p in set(of) | set(nf) if of.get(p) != nf.get(p))
        changes.append({"kind": "files", "changed": changed})
    ofa, nfa = old.get("facts", {}), new.get("facts", {})
    for name in sorted(set(ofa) | set(nfa)):
        if ofa.get(name) != nfa.get(name):
            before, after = ofa.get(name) or {}, nfa.get(name) or {}
            changes.append({"kind": "fact", "fact": name, "old": before.get("status"),
                            "new": after.get("status")})
    return changes


def describe_change(change: Mapping[str, Any]) -> Msg:
    """A one-line bilingual description of one entry of :func:`diff_fingerprints`."""
    kind = change.get("kind")
    if kind == "item":
        return bilingual("review.change.item")
    if kind == "findings":
        a, r = len(change.get("added", [])), len(change.get("removed", []))
        return bilingual("review.change.findings", added=a, removed=r)
    if kind == "manifest":
        return bilingual("review.change.manifest", field=change.get("field"),
                         old=_show(change.get("old")), new=_show(change.get("new")))
    if kind == "coverage":
        return bilingual("review.change.coverage")
    if kind == "files":
        n = len(change.get("changed", []))
        return bilingual("review.change.files", n=n)
    if kind == "fact":
        name, old, new = change.get("fact"), _show(change.get("old")), _show(change.get("new"))
        if old == new:  # the same verdict on other grounds (another list, another spelling)
            return bilingual("review.change.fact_grounds", name=name, new=new)
        return bilingual("review.change.fact", name=name, old=old, new=new)
    return bilingual("review.change.unknown")


# ---------------------------------------------------------------- sync plan

@dataclass(slots=True)
class SyncPlan:
    """What carrying a review over to a new scan changes.

    ``recheck_items``: answered item id → list of changes (mark needs_recheck);
    ``carried``: finding ids whose disposition still applies (finding exists);
    ``recheck_findings``: of those, the ones whose finding changed;
    ``dropped``: disposed finding ids no longer found;
    ``new_findings``: finding ids not seen in the previous scan.
    """

    recheck_items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    carried: list[str] = field(default_factory=list)
    recheck_findings: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    new_findings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the move changes anything a reviewer should see."""
        return bool(self.recheck_items or self.recheck_findings or self.dropped
                    or self.new_findings)

    def summary(self) -> dict[str, Any]:
        return {"recheck_items": sorted(self.recheck_items), "carried": len(self.carried),
                "recheck_findings": len(self.recheck_findings), "dropped": len(self.dropped),
                "new_findings": len(self.new_findings)}


def plan_sync(answers: Mapping[str, AnswerState],
              old_prints: Mapping[str, Mapping[str, Any]],
              new_prints: Mapping[str, Mapping[str, Any]],
              dispositions: Mapping[str, DispositionState],
              known: Mapping[str, str] | None,
              current: Mapping[str, FindingRef]) -> SyncPlan:
    """Plan the move of a review's state onto a new scan.

    ``known`` maps the finding ids the review saw last time to their
    signatures (None for a brand-new review: nothing is "new" then);
    ``current`` maps the new scan's finding ids to their refs.
    """
    plan = SyncPlan()
    for item_id, state in answers.items():
        if item_id not in new_prints:
            continue  # item no longer in the checklists: kept, but not shown
        changes = diff_fingerprints(old_prints.get(item_id), new_prints[item_id])
        if changes:
            plan.recheck_items[item_id] = changes
    for finding_id, disp in dispositions.items():
        ref = current.get(finding_id)
        if ref is None:
            if known is None or finding_id in known:  # gone since last time (not before)
                plan.dropped.append(finding_id)
            continue
        plan.carried.append(finding_id)
        before = disp.finding_sig or (known or {}).get(finding_id)
        if before and before != ref.sig and not disp.needs_recheck:
            plan.recheck_findings.append(finding_id)
    if known is not None:
        plan.new_findings = [fid for fid in current if fid not in known]
    return plan
