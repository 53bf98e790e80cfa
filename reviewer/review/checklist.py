"""Checklists parsed from text: the political, academic and quality gates as data.

A checklist file is YAML (see ``checklists/*.yaml`` and
``reviewer/schemas/checklist.schema.json``).  :func:`parse_checklist` turns the
text of one file into a :class:`Checklist`, validating it against the JSON
Schema and reporting every problem with the file name and line (taken from
the YAML node marks); :func:`combine` joins several into a
:class:`ChecklistSet`, refusing duplicate checklist or item ids.

Pure: the caller reads the files (``reviewer.service.review.load_checklists``).
The code holds no checklist text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from reviewer.ingest.model import Msg
from reviewer.review.errors import ChecklistError, ChecklistProblem

ANSWERS = ("pass", "fail", "na")
#: Answers that always need a comment, whatever a checklist says.
ALWAYS_COMMENT = frozenset({"fail", "na"})

_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "checklist.schema.json"


@lru_cache(maxsize=1)
def checklist_schema() -> dict[str, Any]:
    """The published JSON Schema of a checklist file."""
    return json.loads(_SCHEMA_PATH.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- model

@dataclass(frozen=True, slots=True)
class Evidence:
    """One evidence selector of an item.

    ``kind`` is ``check`` (findings whose check — and, when given, category,
    rule and severity — match), ``manifest`` (a manifest field, dotted for
    nested ones, with an optional ``expect``), ``coverage`` (the syllabus
    coverage report, optional ``min`` ratio) or ``role`` (the files of some
    roles; ``"*"`` means every file: their digests are evidence that the
    material changed) or ``fact`` (``field`` names what a check established
    besides findings, e.g. ``platform``: the platform's whitelist match).
    """

    kind: str
    check: str | None = None
    categories: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    field: str | None = None
    expect: Any = None
    min: float | None = None
    roles: tuple[str, ...] = ()

    def matches(self, check: str, category: str, rule: str, severity: str) -> bool:
        """Whether a finding with these attributes is evidence under this selector."""
        if self.kind != "check" or check != self.check:
            return False
        if self.categories and category not in self.categories:
            return False
        if self.rules and rule not in self.rules:
            return False
        return not self.severities or severity in self.severities

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "check":
            out: dict[str, Any] = {"check": self.check}
            if self.categories:
                out["category"] = list(self.categories)
            if self.rules:
                out["rule"] = list(self.rules)
            if self.severities:
                out["severity"] = list(self.severities)
            return out
        if self.kind == "manifest":
            out = {"manifest": self.field}
            if self.expect is not None:
                out["expect"] = self.expect
            return out
        if self.kind == "coverage":
            return {"coverage": True, **({"min": self.min} if self.min is not None else {})}
        if self.kind == "fact":
            return {"fact": self.field}
        return {"role": list(self.roles)}


@dataclass(frozen=True, slots=True)
class Item:
    """One checklist question."""

    id: str
    checklist: str
    question: Msg
    guidance: Msg
    evidence: tuple[Evidence, ...]
    blocking: bool
    comment_required: frozenset[str]
    regulation: dict[str, Any]
    source: str = ""
    line: int | None = None
    digest: str = ""  # sha256 of the item's definition: a changed question means a recheck

    def needs_comment(self, answer: str) -> bool:
        return answer in self.comment_required

    def finding_selectors(self) -> list[Evidence]:
        return [e for e in self.evidence if e.kind == "check"]


@dataclass(frozen=True, slots=True)
class Checklist:
    id: str
    name: Msg
    description: Msg
    version: str
    order: int
    items: tuple[Item, ...]
    source: str
    digest: str  # sha256 of the file's bytes


@dataclass(frozen=True, slots=True)
class ChecklistSet:
    """The checklists in force, in order, with fast lookup of items by id."""

    checklists: tuple[Checklist, ...]
    _index: dict[str, Item] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        for cl in self.checklists:
            for item in cl.items:
                self._index[item.id] = item

    def items(self) -> Iterator[Item]:
        for cl in self.checklists:
            yield from cl.items

    def item(self, item_id: str) -> Item | None:
        return self._index.get(item_id)

    def checklist(self, checklist_id: str) -> Checklist | None:
        return next((c for c in self.checklists if c.id == checklist_id), None)

    @property
    def digests(self) -> dict[str, str]:
        """Checklist id → sha256 of its file (recorded with each review)."""
        return {c.id: c.digest for c in self.checklists}

    @property
    def digest(self) -> str:
        """One digest over every checklist in force (``sha256:<hex>``)."""
        text = "".join(f"{d}  {i}\n" for i, d in sorted(self.digests.items()))
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- parsing

def _compose(text: str, source: str) -> tuple[Any, yaml.Node]:
    """YAML text → (data, node tree); syntax errors and duplicate keys → ChecklistError."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ChecklistError([ChecklistProblem(source, 1, "the file is empty")])
        problems = list(_duplicate_keys(node, source))
        if problems:
            raise ChecklistError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(p for p in (exc.context, exc.problem) if p) or "YAML syntax error"
        raise ChecklistError([ChecklistProblem(source, line, f"YAML syntax error: {what}")]) from exc
    except yaml.YAMLError as exc:
        raise ChecklistError([ChecklistProblem(source, None, f"YAML error: {exc}")]) from exc
    except RecursionError as exc:  # the composer recurses per nesting level
        raise ChecklistError([ChecklistProblem(source, None, "YAML nested too deeply")]) from exc
    finally:
        loader.dispose()
    return data, node


def _duplicate_keys(node: yaml.Node, source: str) -> Iterator[ChecklistProblem]:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    yield ChecklistProblem(
                        source, key.start_mark.line + 1,
                        f"duplicate key {key.value!r} (first on line {seen[key.value]})")
                else:
                    seen[key.value] = key.start_mark.line + 1
            yield from _duplicate_keys(value, source)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _duplicate_keys(child, source)


def _node_at(node: yaml.Node, path: Iterable[Any]) -> yaml.Node:
    """The deepest node along a JSON path (for the line of a schema error)."""
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            nxt = next((v for k, v in node.value
                        if isinstance(k, yaml.ScalarNode) and k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) \
                and 0 <= step < len(node.value):
            nxt = node.value[step]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
    return node


def _schema_problems(data: Any, node: yaml.Node, source: str) -> list[ChecklistProblem]:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    validator = Draft202012Validator(checklist_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        if error.validator == "oneOf" and error.context:
            error = _pick_branch(error) or best_match(error.context)
        where = _node_at(node, error.absolute_path)
        path = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(ChecklistProblem(source, where.start_mark.line + 1,
                                         f"{path}: {error.message}"))
    return problems


def _pick_branch(error) -> Any:
    """For a oneOf over selectors, the sub-error of the branch the author meant (by its key)."""
    instance = error.instance
    if not isinstance(instance, dict):
        return None
    branches = error.schema.get("oneOf", [])
    for index, branch in enumerate(branches):
        required = branch.get("required", [])
        if required and all(k in instance for k in required):
            sub = [e for e in error.context if e.schema_path and e.schema_path[0] == index]
            if sub:
                return sub[0]
    if all(isinstance(b, dict) and b.get("required") for b in branches):
        keys = sorted({k for b in branches for k in b.get("required", [])})
        error.message = f"evidence selector needs one of the keys {keys}"
        return error
    return None


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _evidence(raw: dict[str, Any]) -> Evidence:
    if "check" in raw:
        return Evidence("check", check=raw["check"], categories=_names(raw.get("category")),
                        rules=_names(raw.get("rule")), severities=_names(raw.get("severity")))
    if "manifest" in raw:
        return Evidence("manifest", field=raw["manifest"], expect=raw.get("expect"))
    if "coverage" in raw:
        return Evidence("coverage", min=raw.get("min"))
    if "fact" in raw:
        return Evidence("fact", field=raw["fact"])
    return Evidence("role", roles=_names(raw["role"]))


def parse_checklist(text: str, source: str = "<checklist>") -> Checklist:
    """Parse and validate one checklist file's text.

    Raises :class:`ChecklistError` listing every problem as ``file:line: message``
    (YAML syntax, duplicate keys, schema violations, duplicate item ids).
    """
    data, node = _compose(text, source)
    problems = _schema_problems(data, node, source)
    if problems:
        raise ChecklistError(problems)
    items: list[Item] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data["items"]):
        line = _node_at(node, ["items", index]).start_mark.line + 1
        if raw["id"] in seen:
            problems.append(ChecklistProblem(
                source, _node_at(node, ["items", index, "id"]).start_mark.line + 1,
                f"duplicate item id {raw['id']!r} (first on line {seen[raw['id']]})"))
            continue
        seen[raw["id"]] = line
        definition = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
        items.append(Item(
            id=raw["id"], checklist=data["id"], question=dict(raw["question"]),
            guidance=dict(raw["guidance"]),
            evidence=tuple(_evidence(e) for e in raw["evidence"]),
            blocking=raw["blocking"],
            comment_required=ALWAYS_COMMENT | frozenset(raw.get("comment_required", [])),
            regulation=dict(raw["regulation"]), source=source, line=line,
            digest=hashlib.sha256(definition.encode("utf-8")).hexdigest(),
        ))
    if problems:
        raise ChecklistError(problems)
    return Checklist(
        id=data["id"], name=dict(data["name"]),
        description=dict(data.get("description") or data["name"]),
        version=str(data.get("version", "1")), order=int(data.get("order", 100)),
        items=tuple(items), source=source,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def combine(checklists: Iterable[Checklist]) -> ChecklistSet:
    """Join checklists into the set in force; ids must be unique across all of them."""
    problems: list[ChecklistProblem] = []
    lists: list[Checklist] = []
    list_ids: dict[str, str] = {}
    item_ids: dict[str, Item] = {}
    for cl in sorted(checklists, key=lambda c: (c.order, c.id)):
        if cl.id in list_ids:
            problems.append(ChecklistProblem(
                cl.source, None, f"checklist id {cl.id!r} is also used by {list_ids[cl.id]}"))
            continue
        list_ids[cl.id] = cl.source
        for item in cl.items:
            if item.id in item_ids:
                first = item_ids[item.id]
                problems.append(ChecklistProblem(
                    item.source, item.line,
                    f"item id {item.id!r} is also used in {first.source}:{first.line}"))
            else:
                item_ids[item.id] = item
        lists.append(cl)
    if problems:
        raise ChecklistError(problems)
    if not lists:
        raise ChecklistError([ChecklistProblem("checklists", None, "no checklist found")])
    return ChecklistSet(tuple(lists))
