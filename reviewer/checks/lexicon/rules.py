"""Parsing a ``kind: terms`` rule file into a :class:`~reviewer.checks.lexicon.engine.Lexicon`
(room: checks), and running its embedded tests (examples that must and must not match).
"""

from __future__ import annotations

import re
from typing import Any


from reviewer.checks.normalize import SEPARATOR, NormalizeOptions, normalizer
from reviewer.checks.rulefields import LazyPattern, lazy_regex, run_examples
from reviewer.checks.rulefile import RuleFileError, line_of, register_kind, validate_schema
from reviewer.ingest.model import Locator, Segment
from reviewer.checks.lexicon.model import (
    ContextRule,
    DEFAULT_MAX_GAP,
    DEFAULT_WINDOW,
    PatternEntry,
    TermEntry,
    _NO_MSG,
    _msg,
)
from reviewer.checks.lexicon.engine import Lexicon


def _compile_regex(pattern: str, source: str, line: int | None) -> LazyPattern:
    try:
        return lazy_regex(pattern, re.IGNORECASE)
    except re.error as exc:
        raise RuleFileError(source, f"bad regular expression {pattern!r}: {exc}", line) from None


@register_kind("terms")
def parse_terms(data: dict[str, Any], source: str, *, run_tests: bool = True,
                segmenter_mode: str = "suggest") -> Lexicon:
    """Validate a ``terms`` rule file against its schema and compile it."""
    validate_schema(data, "lexicon", source, plain_strings="terms")
    options = NormalizeOptions.from_dict(data.get("normalize"))
    norm = normalizer(options)
    boundary = data.get("boundary") or {}
    file_latin, file_cjk = boundary.get("latin", "word"), boundary.get("cjk", "segment")
    severity, category = data["severity"], data["category"]

    def strip(text: str, path: list[Any]) -> str:
        out = norm.strip(text)
        if not out:
            raise RuleFileError(source, f"{text!r} is empty once normalised (only spaces, "
                                f"punctuation or symbols)", line_of(data, path))
        if SEPARATOR in out:
            raise RuleFileError(source, f"{text!r} contains U+FFFF", line_of(data, path))
        return out

    terms: list[TermEntry] = []
    term_allows: dict[int, list[str]] = {}
    items = data.get("terms") or []
    item_lines = getattr(items, "item_lines", None)
    for i, item in enumerate(items):
        line = item_lines[i] if item_lines else None
        if isinstance(item, str):  # the common case, kept cheap for 50,000-term lists
            terms.append(TermEntry(item, strip(item, ["terms", i]), severity, category, file_latin,
                                   file_cjk, _NO_MSG, None, None, _breaks(item, norm), line))
            continue
        text = item["term"]
        path = ["terms", i]
        entry_boundary = item.get("boundary") or {}
        terms.append(TermEntry(
            term=text, norm=strip(text, path),
            severity=item.get("severity", severity), category=item.get("category", category),
            latin=entry_boundary.get("latin", file_latin), cjk=entry_boundary.get("cjk", file_cjk),
            note=_msg(item.get("note")), replacement=item.get("replacement"),
            since=item.get("since"), breaks=_breaks(text, norm), line=line,
            needs_context=bool(item.get("needs_context", False)),
        ))
        if item.get("allow"):
            term_allows[i] = [strip(p, path + ["allow", j]) for j, p in enumerate(item["allow"])]

    patterns: list[PatternEntry] = []
    for i, item in enumerate(data.get("patterns") or []):
        spec = {"pattern": item} if isinstance(item, str) else item
        line = line_of(data, ["patterns", i])
        patterns.append(PatternEntry(
            pattern=spec["pattern"], regex=_compile_regex(spec["pattern"], source, line),
            name=spec.get("name") or spec["pattern"], severity=spec.get("severity", severity),
            category=spec.get("category", category), note=_msg(spec.get("note")), line=line))
        if spec.get("allow"):
            term_allows[-2 - i] = [strip(p, ["patterns", i, "allow", j])
                                   for j, p in enumerate(spec["allow"])]

    context: list[ContextRule] = []
    lures: list[tuple[str, int]] = []
    for i, item in enumerate(data.get("context") or []):
        path = ["context", i]
        raise_to = item.get("raise_to")
        only = item.get("terms")
        rule = ContextRule(
            action="raise" if raise_to else "lower",
            severity=raise_to or item["lower_to"],
            window=int(item.get("window", DEFAULT_WINDOW)),
            near_patterns=tuple(_compile_regex(p, source, line_of(data, path + ["near_patterns", j]))
                                for j, p in enumerate(item.get("near_patterns") or [])),
            terms=frozenset(strip(t, path + ["terms", j]) for j, t in enumerate(only))
            if only else None,
            when_alone=bool(item.get("when_alone", False)),
        )
        context.append(rule)
        for j, phrase in enumerate(item.get("near") or []):
            lures.append((strip(phrase, path + ["near", j]), i))

    lexicon = Lexicon(
        id=data["id"], source=source, name=_msg(data["name"]), category=category,
        severity=severity, message=_msg(data["message"]), check=data.get("check", "lexicon"),
        version=str(data["version"]) if data.get("version") is not None else None,
        description=_msg(data.get("description")), starter=bool(data.get("starter", False)),
        options=options, max_gap=int(data.get("max_gap", DEFAULT_MAX_GAP)), terms=terms,
        patterns=patterns, allow=[strip(p, ["allow", j]) for j, p in
                                  enumerate(data.get("allow") or [])],
        term_allows=term_allows, context=context, lures=lures, segmenter_mode=segmenter_mode,
    )
    tests = data.get("tests") or {}
    for kind in ("match", "no_match"):
        for j, example in enumerate(tests.get(kind) or []):
            lexicon.tests[kind].append((example, line_of(data, ["tests", kind, j])))
    if run_tests:
        failures = run_embedded_tests(lexicon)
        if failures:
            raise RuleFileError(source, "embedded tests failed:\n  " + "\n  ".join(failures),
                                line_of(data, ["tests"]))
    return lexicon


_SPACE = re.compile(r"\s")


_NO_BREAKS: frozenset[int] = frozenset()


def _breaks(text: str, norm) -> frozenset[int]:
    """Normalised positions at which ``text`` has whitespace between characters."""
    if not _SPACE.search(text):
        return _NO_BREAKS
    out, pos, spaced = set(), 0, False
    for ch in text:
        if norm.is_noise(ch):
            spaced = spaced or ch.isspace()
            continue
        if spaced and pos:
            out.add(pos)
        spaced = False
        pos += len(norm.strip(ch))
    return frozenset(out)


def example_segment(text: str) -> Segment:
    return Segment(file="<test>", ordinal=0, locator=Locator(line=1), text=text)


def run_embedded_tests(lexicon: Lexicon) -> list[str]:
    """Run the file's ``tests``; return one line per failing example (empty: all pass)."""
    def judge(kind: str, case: tuple[Any, int | None]) -> list[str]:
        example, line = case
        where = f"line {line}: " if line else ""
        if kind == "no_match":
            hits = lexicon.find([example_segment(example)])
            got = ", ".join(f"{h.text!r} ({h.term})" for h in hits)
            return [f"{where}no_match {example!r}: matched {got}"] if hits else []
        spec = {"text": example} if isinstance(example, str) else example
        hits = lexicon.find([example_segment(spec["text"])])
        if not hits:
            return [f"{where}match {spec['text']!r}: found nothing"]
        out = []
        if spec.get("term") and not any(h.term == spec["term"] for h in hits):
            got = ", ".join(sorted({h.term for h in hits}))
            out.append(f"{where}match {spec['text']!r}: expected term {spec['term']!r}, "
                       f"found {got}")
        if spec.get("severity") and not any(h.severity == spec["severity"] for h in hits):
            got = ", ".join(sorted({h.severity for h in hits}))
            out.append(f"{where}match {spec['text']!r}: expected severity "
                       f"{spec['severity']}, got {got}")
        return out

    return run_examples([("match", lexicon.tests["match"]),
                         ("no_match", lexicon.tests["no_match"])], judge)
