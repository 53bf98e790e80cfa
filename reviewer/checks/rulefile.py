"""Rule files (``lexicons/*.yaml``): parsing and validation, dispatched on ``kind`` (room: checks).

Every rule file is a YAML mapping with an ``id`` and a ``kind`` (default
``terms``).  Each kind registers a parser with :func:`register_kind`; the
parser receives the loaded mapping and the source name and returns the parsed
rule set object, or raises :class:`RuleFileError` naming the file and line.

The mapping a parser receives is a :class:`LineDict` (a ``dict`` that also
remembers the line of each key); lists are :class:`LineList`.  So a parser can
say *where* a problem is: :func:`line_of` finds the line of any path, and
:func:`validate_schema` turns the first JSON Schema violation into a
:class:`RuleFileError` with the line of the offending node.

This module only parses text it is given: reading files from disk is the
service layer's job (checks do no I/O beyond the JSON Schemas shipped inside
the package).
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml


class RuleFileError(ValueError):
    """A rule file that can't be used; the message names the file and line."""

    def __init__(self, source: str, message: str, line: int | None = None):
        self.source = source
        self.line = line
        self.problem = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


KindParser = Callable[[dict[str, Any], str], Any]
_KINDS: dict[str, KindParser] = {}


def register_kind(kind: str) -> Callable[[KindParser], KindParser]:
    """Register the parser for rule files of ``kind``."""

    def deco(fn: KindParser) -> KindParser:
        _KINDS[kind] = fn
        return fn

    return deco


def kinds() -> dict[str, KindParser]:
    """Every registered kind (the check modules that define kinds are imported first)."""
    _import_kind_modules()
    return dict(_KINDS)


def _import_kind_modules() -> None:
    from reviewer.checks.registry import CHECK_MODULES

    for module in CHECK_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:  # listed but not written yet: its kind is unknown
            if exc.name != module:
                raise


@dataclass(slots=True)
class ParsedRuleFile:
    id: str
    kind: str
    source: str
    rules: Any  # what the kind's parser returned
    sha256: str = ""  # digest of the file's bytes (set by the service layer)


# -- YAML with line numbers ----------------------------------------------------


class LineDict(dict):
    """A mapping from YAML that remembers where it and each of its keys are (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    """A sequence from YAML that remembers where it and each item are (1-based)."""

    line: int = 0
    item_lines: list[int]


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark) from None
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
# Dates stay strings: the schema says what a date looks like, JSON has no dates.
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp",
                            lambda loader, node: loader.construct_scalar(node))


def load_yaml(text: str, source: str) -> Any:
    """Parse YAML into :class:`LineDict`/:class:`LineList`; syntax errors name the line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{exc.context}: {problem}"
        raise RuleFileError(source, f"YAML syntax: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise RuleFileError(source, f"YAML: {exc}") from None
    except RecursionError:  # the constructors recurse per nesting level (libyaml stops at 1000)
        raise RuleFileError(source, "YAML nested too deeply") from None


def line_of(data: Any, path: Iterable[Any]) -> int | None:
    """The line of the node at ``path`` (keys and indexes), or of its nearest ancestor."""
    line = getattr(data, "line", None)
    node = data
    for step in path:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line


def line_for(data: Any, where: str) -> int | None:
    """The YAML line of a dotted path such as ``contact_ids.kinds[0].words`` (when known)."""
    if not isinstance(data, dict):
        return None
    path: list[Any] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", where):
        path.append(int(part[1:-1]) if part.startswith("[") else part)
    return line_of(data, path)


def located(exc: RuleFileError, data: Any) -> RuleFileError:
    """``exc`` with the line of the key its message starts with."""
    if exc.line is not None:
        return exc
    where = exc.problem.split(":", 1)[0].split(" ", 1)[0]
    return RuleFileError(exc.source, exc.problem, line_for(data, where))


# -- JSON Schema ---------------------------------------------------------------


@lru_cache(maxsize=16)
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``reviewer/schemas`` (``lexicon`` → lexicon.schema.json)."""
    from reviewer.paths import schemas_dir

    return json.loads((schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=16)
def _validator(name: str):
    import jsonschema

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_schema(data: Any, schema_name: str, source: str, *,
                    plain_strings: str | None = None) -> None:
    """Raise :class:`RuleFileError` (with the line) for the first schema violation.

    ``plain_strings`` names a top-level list (``terms``) whose non-empty string
    items are valid by the schema anyway: they are skipped, which makes a
    50,000-term file validate in milliseconds instead of seconds.
    """
    import jsonschema

    validator = _validator(schema_name)
    checked, index = data, None
    items = data.get(plain_strings) if plain_strings and isinstance(data, dict) else None
    if isinstance(items, LineList) and len(items) > 1:
        index = [i for i, item in enumerate(items) if not (isinstance(item, str) and item)] or [0]
        slim = LineList(items[i] for i in index)
        slim.line, slim.item_lines = items.line, [items.item_lines[i] for i in index]
        checked = LineDict(data)
        checked.line, checked.key_lines = data.line, data.key_lines
        checked[plain_strings] = slim
    errors = list(validator.iter_errors(checked))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    # Descend into oneOf/anyOf to the most specific explanation.
    while error.context:
        error = jsonschema.exceptions.best_match(error.context)
    path = list(error.absolute_path)
    if index is not None and len(path) > 1 and path[0] == plain_strings and isinstance(path[1], int):
        path[1] = index[path[1]]
    where = "/".join(str(p) for p in path) or "(top level)"
    raise RuleFileError(source, f"{where}: {error.message}", line_of(data, path))


# -- dispatch ------------------------------------------------------------------


def parse_rule_text(text: str, source: str, **options: Any) -> ParsedRuleFile:
    """Parse one rule file's text: YAML, then the parser of its ``kind``.

    ``options`` are passed to parsers that accept keyword arguments (the
    ``terms`` parser takes ``run_tests=False`` so ``reviewer lexicon test``
    can report failing examples itself).
    """
    data = load_yaml(text, source)
    if not isinstance(data, dict):
        raise RuleFileError(source, "a rule file must be a YAML mapping with an 'id'", 1)
    kind = data.get("kind", "terms")
    if not isinstance(kind, str):
        raise RuleFileError(source, "'kind' must be a string", line_of(data, ["kind"]))
    parsers = kinds()
    if kind not in parsers:
        known = ", ".join(sorted(parsers)) or "none"
        raise RuleFileError(source, f"unknown kind {kind!r} (known: {known})",
                            line_of(data, ["kind"]))
    rule_id = data.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleFileError(source, "missing 'id' (a non-empty string)",
                            line_of(data, ["id"]) or 1)
    parser = parsers[kind]
    try:
        rules = parser(data, source, **options) if options and _accepts_options(parser) \
            else parser(data, source)
    except RuleFileError as exc:
        # Kind parsers name the key; the line is found here, once for every kind.
        raise located(exc, data) from None
    return ParsedRuleFile(id=rule_id, kind=kind, source=source, rules=rules)


def _accepts_options(fn: Callable[..., Any]) -> bool:
    import inspect

    params = inspect.signature(fn).parameters.values()
    return any(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in params)
