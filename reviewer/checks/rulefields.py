"""Pieces the rule-file parsers of the pii, outdated and coverage checks share.

Reading typed fields out of a parsed YAML mapping with errors that name the
file and line, and running an Aho-Corasick automaton over text that may hold
lone surrogates.  Pure functions; no I/O.
"""

from __future__ import annotations

import re
from typing import Any

from reviewer.checks.rulefile import RuleFileError
from reviewer.ingest.model import Msg

_SURROGATE = re.compile("[\ud800-\udfff]")


class WordGate:
    """An Aho-Corasick automaton over a fixed list of lower-case words that pickles (as
    its words; the automaton is rebuilt on first use, well under a millisecond for a
    rule file's few hundred words), so a rule file holding one is cached compiled like
    any other.  Used wherever :func:`ac_matches` takes an automaton."""

    __slots__ = ("keys", "_automaton")

    def __init__(self, keys: Any):
        self.keys = tuple(keys)
        self._automaton: Any = None

    def __reduce__(self):
        return (WordGate, (self.keys,))

    def __bool__(self) -> bool:
        return bool(self.keys)

    def find_matches_as_indexes(self, text: str, overlapping: bool = True) -> list[tuple[int, int, int]]:
        if self._automaton is None:
            import ahocorasick_rs

            self._automaton = ahocorasick_rs.AhoCorasick(list(self.keys))
        return self._automaton.find_matches_as_indexes(text, overlapping=overlapping)


def ac_matches(automaton: Any, text: str, overlapping: bool = True) -> list[tuple[int, int, int]]:
    """Aho-Corasick matches; lone surrogates (broken PDF text layers) become U+FFFD first,
    one for one, so offsets stay right (the automaton only takes valid UTF-8)."""
    try:
        return automaton.find_matches_as_indexes(text, overlapping=overlapping)
    except UnicodeEncodeError:
        return automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text),
                                                 overlapping=overlapping)


def fail(source: str, message: str) -> RuleFileError:
    return RuleFileError(source, message)


def message(value: Any, source: str, where: str) -> Msg:
    """A bilingual message: ``{zh, en}`` (either may stand for both) or one string."""
    if isinstance(value, str):
        return {"zh": value, "en": value}
    if isinstance(value, dict) and (value.get("zh") or value.get("en")):
        zh = str(value.get("zh") or value.get("en"))
        return {"zh": zh, "en": str(value.get("en") or zh)}
    raise fail(source, f"{where}: a message needs zh and/or en text")


def strings(value: Any, source: str, where: str) -> list[str]:
    """A list of non-blank strings (numbers are taken as their text)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise fail(source, f"{where}: a list of strings is required")
    return [str(v) for v in value if str(v).strip()]


def regex(value: Any, source: str, where: str, flags: int = 0, *,
          optional: bool = False) -> re.Pattern[str] | None:
    """A compiled regular expression; with ``optional``, ``None`` or ``""`` give ``None``."""
    if optional and value in (None, ""):
        return None
    if not isinstance(value, str) or not value:
        raise fail(source, f"{where}: a regular expression (string) is required")
    try:
        return re.compile(value, flags)
    except re.error as exc:
        raise fail(source, f"{where}: invalid regular expression {value!r}: {exc}") from exc


def whole_number(value: Any, source: str, where: str, default: int | None = None) -> int:
    """A non-negative integer (``default`` when the key is absent and a default is given)."""
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail(source, f"{where}: a non-negative whole number is required")
    return value


def severity(value: Any, source: str, where: str, default: str) -> str:
    """``error``, ``warning`` or ``info`` (``default`` when absent)."""
    value = default if value is None else str(value)
    if value not in ("error", "warning", "info"):
        raise fail(source, f"{where}: {value!r} is not error, warning or info")
    return value


def flag(value: Any, source: str, where: str) -> bool:
    """``true`` or ``false`` (YAML booleans only: ``"no"`` in quotes is a mistake)."""
    if not isinstance(value, bool):
        raise fail(source, f"{where}: true or false is required")
    return value
