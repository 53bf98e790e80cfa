"""The package manifest ``course.yaml`` (room: ingest).

:func:`parse_manifest` reads the YAML, converts dates to ISO strings and
validates the result against ``reviewer/schemas/manifest.schema.json``
(JSON Schema 2020-12).  Problems never raise: they come back as
:class:`~reviewer.ingest.model.IngestIssue` objects with rule
``manifest-invalid`` (severity error) located by line in ``course.yaml``, and
``manifest-unknown-field`` (warning) for keys the schema does not name.
:func:`parse_manifest_located` also gives the line of each top-level field (ingest
keeps it in the manifest record's ``meta["key_lines"]``, so a finding about a
field can point at its line).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from collections.abc import Callable
from typing import Any

import yaml

from reviewer.ingest.encoding import DecodeError, decode_text
from reviewer.ingest.formats.base import issue
from reviewer.ingest.model import IngestIssue, Locator

MANIFEST_NAMES = ("course.yaml", "course.yml")
#: A manifest larger than this is refused (it is a short file by nature).
MAX_MANIFEST_BYTES = 1 << 20
#: Nodes a manifest may hold with its YAML aliases expanded (a real one has a few thousand).
MAX_MANIFEST_NODES = 100_000
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "manifest.schema.json"
_UNSAFE = re.compile(r"(^|/)\.\.(/|$)|^/|^[A-Za-z]:|\\")


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as text: ``2025-13-45`` must be a schema
    error, not a crash, and dates are compared as ISO strings anyway."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@lru_cache(maxsize=1)
def manifest_schema() -> dict[str, Any]:
    """The manifest JSON Schema as a dict."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _expanded_size(root: Any) -> int:
    """How many nodes ``root`` holds once YAML aliases are expanded (as the manifest
    dict, its validation and its JSON copy will hold them), counted up to just above
    :data:`MAX_MANIFEST_NODES`; a node that contains itself counts as too many."""
    too_many = MAX_MANIFEST_NODES + 1
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Any) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            return too_many
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        open_nodes.add(key)
        total = 1
        for child in children:
            total += size(child)
            if total >= too_many:
                break
        open_nodes.discard(key)
        sizes[key] = min(total, too_many)
        return sizes[key]

    try:
        return size(root)
    except RecursionError:
        return too_many


def _isoify(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k) if isinstance(k, date) else k: _isoify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_isoify(v) for v in value]
    return value


def _node_line(root: Any, path: list[Any]) -> int | None:
    """1-based line of the YAML node at ``path`` (keys and list indices)."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if getattr(key, "value", None) == part:
                    node = value
                    line = key.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _dotted(path: list[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def _invalid(zh: str, en: str, file: str, line: int | None) -> IngestIssue:
    return issue("manifest-invalid", "error", zh, en, file=file,
                 locator=Locator(line=line) if line else None)


def parse_manifest(data: bytes, file: str = "course.yaml") -> tuple[dict[str, Any] | None, list[IngestIssue]]:
    """Parse and validate ``course.yaml``: ``(manifest dict or None, issues)``.

    The dict is returned even when it breaks the schema (checks use what is
    there); it is ``None`` only when the file is not a YAML mapping at all.
    """
    manifest, issues, _ = parse_manifest_located(data, file)
    return manifest, issues


def parse_manifest_located(data: bytes, file: str = "course.yaml"
                           ) -> tuple[dict[str, Any] | None, list[IngestIssue], dict[str, int]]:
    """:func:`parse_manifest` plus the 1-based line of each top-level key (``{"platform": 7}``),
    so a check can point at the field it is about (empty when the file did not parse)."""
    manifest, issues, root = _parse(data, file)
    lines: dict[str, int] = {}
    if manifest is not None and isinstance(root, yaml.MappingNode):
        for key, _value in root.value:
            if isinstance(key, yaml.ScalarNode):
                lines.setdefault(str(key.value), key.start_mark.line + 1)
    return manifest, issues, lines


def _parse(data: bytes, file: str) -> tuple[dict[str, Any] | None, list[IngestIssue], Any]:
    if len(data) > MAX_MANIFEST_BYTES:
        return None, [_invalid("清单文件过大（超过 1 MB）", "manifest larger than 1 MB", file, None)], None
    try:
        text, _ = decode_text(data)
    except DecodeError as exc:
        return None, [_invalid("清单文件无法解码（应为 UTF-8）", f"manifest: {exc}", file, None)], None
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            if root is not None and _expanded_size(root) > MAX_MANIFEST_NODES:
                return None, [_invalid(
                    f"清单过于复杂：YAML 别名展开后超过 {MAX_MANIFEST_NODES} 个节点，或引用自身",
                    f"manifest too complex: its YAML aliases expand to more than {MAX_MANIFEST_NODES} "
                    "nodes or refer to themselves", file, root.start_mark.line + 1)], None
            loaded = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        where = f"{file}:{line}" if line else file
        return None, [_invalid(f"清单 YAML 语法错误（{where}）：{problem}",
                               f"manifest YAML syntax error at {where}: {problem}", file, line)], None
    except (ValueError, RecursionError) as exc:
        return None, [_invalid(f"清单无法解析：{exc}", f"manifest cannot be parsed: {exc}", file, None)], None
    if not isinstance(loaded, dict):
        kind = "empty" if loaded is None else type(loaded).__name__
        return None, [_invalid(f"清单内容应为键值映射，实际为 {kind}",
                               f"manifest must be a mapping of fields, got {kind}", file, 1)], None
    manifest = _isoify(loaded)
    return manifest, validate_manifest(manifest, file, root), root


#: ``(get, put)`` of a cache of schema errors by key (installed by the service; ingest
#: itself does no I/O beyond the package): see :func:`install_validation_cache`.
_validation_cache: tuple[Callable[[str], Any], Callable[[str, Any], None]] | None = None


def install_validation_cache(get: Callable[[str], Any] | None,
                             put: Callable[[str, Any], None] | None = None) -> None:
    """Keep the schema errors of each manifest seen (``get(key)`` returns what ``put(key,
    value)`` stored, or None): an unchanged manifest then needs no jsonschema, whose
    import is most of an unchanged re-scan's ingest.  ``None`` removes the cache."""
    global _validation_cache
    _validation_cache = (get, put) if get is not None and put is not None else None


def _validation_key(manifest: dict[str, Any], schema_text: str) -> str | None:
    """What decides the schema errors: the manifest, the schema and the jsonschema installed."""
    import hashlib
    import importlib.util
    import os

    try:
        spec = importlib.util.find_spec("jsonschema")
        if spec is None or not spec.origin:
            return None
        code = os.stat(spec.origin)
        text = f"{manifest!r}\x1f{schema_text}\x1f{code.st_size}.{code.st_mtime_ns}"
    except (OSError, ValueError, RecursionError):
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _schema_errors(manifest: dict[str, Any], schema: dict[str, Any],
                   schema_text: str) -> list[tuple[list[Any], str]]:
    """``(path, message)`` of each schema error, in path order (from the cache when there)."""
    cache, key = _validation_cache, None
    if cache is not None:
        key = _validation_key(manifest, schema_text)
        if key is not None:
            try:
                hit = cache[0](key)
            except Exception:  # noqa: BLE001 - an unreadable cache only costs the validation
                hit = None
            if isinstance(hit, list):
                return [(list(path), str(message)) for path, message in hit]
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors = [(list(e.absolute_path), e.message) for e in
              sorted(validator.iter_errors(manifest), key=lambda e: list(map(str, e.absolute_path)))]
    if cache is not None and key is not None:
        try:
            cache[1](key, errors)
        except Exception:  # noqa: BLE001 - an unwritable cache only costs time
            pass
    return errors


def validate_manifest(manifest: dict[str, Any], file: str = "course.yaml",
                      root: Any = None) -> list[IngestIssue]:
    """Schema errors and unknown fields of an already parsed manifest."""
    schema_text = SCHEMA_PATH.read_text(encoding="utf-8")
    schema = json.loads(schema_text)
    issues: list[IngestIssue] = []
    for path, message in _schema_errors(manifest, schema, schema_text):
        line = _node_line(root, path) if root is not None else None
        where = _dotted(path)
        at = f" ({file}:{line})" if line else ""
        issues.append(_invalid(f"清单字段 {where} 不符合要求：{message}{at}",
                               f"manifest field {where}: {message}{at}", file, line))
    for index, entry in enumerate(manifest.get("files") or []):
        if isinstance(entry, dict) and isinstance(entry.get("path"), str) and _UNSAFE.search(entry["path"]):
            line = _node_line(root, ["files", index, "path"]) if root is not None else None
            issues.append(_invalid(f"清单 files[{index}].path 必须是包内相对路径（使用 / 分隔，不含 ..）：{entry['path']}",
                                   f"manifest files[{index}].path must be a relative '/'-separated path "
                                   f"inside the package: {entry['path']}", file, line))
    known = set(schema["properties"])
    for key in manifest:
        if key in known or str(key).startswith("x-"):
            continue
        line = _node_line(root, [key]) if root is not None else None
        issues.append(issue("manifest-unknown-field", "warning",
                            f"清单中有未定义的字段 “{key}”（拼写错误？）",
                            f"unknown manifest field '{key}' (a typo?)", file=file,
                            locator=Locator(line=line) if line else None))
    return issues
