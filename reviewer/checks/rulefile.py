"""Rule files (``lexicons/*.yaml``): parsing and validation, dispatched on ``kind``.

Every rule file is a YAML mapping with an ``id`` and a ``kind`` (default
``terms``).  Each kind registers a parser with :func:`register_kind`; the
parser receives the loaded mapping and the source name and returns the parsed
rule set object, or raises :class:`RuleFileError` naming the file and line.

This module only parses text it is given: reading files from disk is the
service layer's job (checks do no I/O).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class RuleFileError(ValueError):
    """A rule file that can't be used; the message names the file and line."""

    def __init__(self, source: str, message: str, line: int | None = None):
        self.source = source
        self.line = line
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


KindParser = Callable[[dict[str, Any], str], Any]
_KINDS: dict[str, KindParser] = {}


def register_kind(kind: str) -> Callable[[KindParser], KindParser]:
    def deco(fn: KindParser) -> KindParser:
        _KINDS[kind] = fn
        return fn

    return deco


def kinds() -> dict[str, KindParser]:
    return dict(_KINDS)


@dataclass(slots=True)
class ParsedRuleFile:
    id: str
    kind: str
    source: str
    rules: Any  # what the kind's parser returned
