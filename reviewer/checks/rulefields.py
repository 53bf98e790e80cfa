"""Pieces the rule-file parsers of the pii, outdated and coverage checks share.

Reading typed fields out of a parsed YAML mapping with errors that name the
file and line, and running an Aho-Corasick automaton over text that may hold
lone surrogates.  Pure functions; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
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


#: What a :class:`LazyPattern` hands on from its compiled pattern (bound once, on first use).
_DELEGATED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
              "scanner", "groupindex", "groups")


def _compile(pattern: str, flags: int) -> re.Pattern[str]:
    """Where every :class:`LazyPattern` is compiled (tests count compiles through it)."""
    return re.compile(pattern, flags)


class LazyPattern:
    """A rule file's regular expression, compiled on first use.

    It pickles as its source and flags, so loading a cached rule file compiles no
    pattern (``re.Pattern`` objects recompile on unpickling: about a hundred a scan,
    most of them never used where their gate words are absent).  The first use of
    ``search``/``match``/``finditer``… compiles it and puts the compiled pattern's
    bound methods on the instance, so later calls cost what they cost on the pattern.
    The parsers build it with :func:`lazy_regex`, which compiles at once: a malformed
    pattern is a rule-file error when the file is loaded or checked, never mid-scan
    (a cached file was parsed, so its patterns are known to compile)."""

    __slots__ = ("pattern", "flags", *_DELEGATED)

    def __init__(self, pattern: str, flags: int = 0, compiled: re.Pattern[str] | None = None):
        self.pattern = pattern
        self.flags = flags
        if compiled is not None:
            self._bind(compiled)

    def _bind(self, compiled: re.Pattern[str]) -> None:
        for name in _DELEGATED:
            setattr(self, name, getattr(compiled, name))

    def __getattr__(self, name: str) -> Any:  # only reached while a slot is still unset
        if name not in _DELEGATED:
            raise AttributeError(name)
        self._bind(_compile(self.pattern, self.flags))
        return object.__getattribute__(self, name)

    @property
    def compiled(self) -> re.Pattern[str]:
        return self.search.__self__

    @property
    def is_compiled(self) -> bool:
        try:
            object.__getattribute__(self, "search")
        except AttributeError:
            return False
        return True

    def __reduce__(self):
        return (LazyPattern, (self.pattern, self.flags))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyPattern) and (self.pattern, self.flags) == (other.pattern,
                                                                               other.flags)

    def __hash__(self) -> int:
        return hash((LazyPattern, self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"


def lazy_regex(pattern: str, flags: int = 0) -> LazyPattern:
    """``pattern`` compiled now (``re.error`` as ``re.compile`` raises it), kept as a
    :class:`LazyPattern` that pickles without its compiled form."""
    return LazyPattern(pattern, flags, _compile(pattern, flags))


def ac_matches(automaton: Any, text: str, overlapping: bool = True) -> list[tuple[int, int, int]]:
    """Aho-Corasick matches; lone surrogates (broken PDF text layers) become U+FFFD first,
    one for one, so offsets stay right (the automaton only takes valid UTF-8)."""
    try:
        return automaton.find_matches_as_indexes(text, overlapping=overlapping)
    except UnicodeEncodeError:
        return automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text),
                                                 overlapping=overlapping)


def fail(source: str, message: str, line: int | None = None) -> RuleFileError:
    return RuleFileError(source, message, line)


def message(value: Any, source: str, where: str, *, line: int | None = None) -> Msg:
    """A bilingual message: ``{zh, en}`` (either may stand for both) or one string."""
    if isinstance(value, str):
        return {"zh": value, "en": value}
    if isinstance(value, dict) and (value.get("zh") or value.get("en")):
        zh = str(value.get("zh") or value.get("en"))
        return {"zh": zh, "en": str(value.get("en") or zh)}
    raise fail(source, f"{where}: a message needs zh and/or en text", line)


def strings(value: Any, source: str, where: str, *, line: int | None = None) -> list[str]:
    """A list of non-blank strings (numbers are taken as their text)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise fail(source, f"{where}: a list of strings is required", line)
    return [str(v) for v in value if str(v).strip()]


def regex(value: Any, source: str, where: str, flags: int = 0, *,
          optional: bool = False, line: int | None = None) -> LazyPattern | None:
    """A regular expression, checked now and compiled again on first use after a cache
    load (:class:`LazyPattern`); with ``optional``, ``None`` or ``""`` give ``None``."""
    if optional and value in (None, ""):
        return None
    if not isinstance(value, str) or not value:
        raise fail(source, f"{where}: a regular expression (string) is required", line)
    try:
        return lazy_regex(value, flags)
    except re.error as exc:
        raise fail(source, f"{where}: invalid regular expression {value!r}: {exc}", line) from exc


def number(value: Any, source: str, where: str, *, lo: float = 0.0, hi: float | None = None,
           line: int | None = None) -> float:
    """A number in ``[lo, hi]`` (no upper bound when ``hi`` is None)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < lo or (
            hi is not None and value > hi):
        bound = f" between {lo:g} and {hi:g}" if hi is not None else f" ≥ {lo:g}"
        raise fail(source, f"{where}: a number{bound} is required", line)
    return float(value)


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


def run_examples(cases: Iterable[tuple[str, Iterable[Any]]],
                 judge: Callable[[str, Any], str | Sequence[str] | None]) -> list[str]:
    """A rule file's embedded examples, every rule kind through this one runner: each
    ``(kind, examples)`` case (``match``, ``no_match``, ``titles`` …) is put to
    ``judge(kind, example)``, which says what is wrong with it (a line, several, or None
    when it passes).  Returns the failure lines in file order (empty: all pass)."""
    failures: list[str] = []
    for kind, examples in cases:
        for example in examples:
            problem = judge(kind, example)
            if isinstance(problem, str):
                failures.append(problem)
            elif problem:
                failures.extend(problem)
    return failures


def examples_failed(source: str, failures: Sequence[str], line: int | None = None, *,
                    where: str = "tests") -> RuleFileError:
    """The error of a rule file whose embedded examples (at ``where``) fail: it does not load."""
    return fail(source, f"{where}: embedded examples failed: " + "; ".join(failures), line)
