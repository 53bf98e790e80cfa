"""Check ``outdated`` (parts b and c): old "current" claims and old files — room ``checks``.

Article 2 of 教高〔2022〕1号 rules out outdated content and article 5 asks for
content updated in time.  Two signals live here (the lexicon of superseded
laws, standards and software — part a — is a ``terms`` rule file with
``check: outdated``, run by the lexicon engine):

(b) **currency claims with old years** — a currency word (最新, 目前, 截至,
    latest, as of …) and a year in the same clause, close together, where the
    most recent such year is more than *N* years (default 5) before the term
    date.  Plain historical statements carry no currency word and are left
    alone; a year that belongs to another event (1969年ARPANET诞生，目前…) or
    that starts a period still running (自2010年以来, since 2010) is skipped.
(c) **file metadata dates** — a file whose newest ``created``/``modified``
    date is more than *N* years before the term: one finding per file.
(d) **year-less version claims** — "Python 的最新版本是 3.6", "the latest version of
    Node is 8": a newness word (or a current word with a version noun), a product
    and a version tied by filler words only, where a newer release of the product
    (``versions.products``) came out more than ``versions.grace_years`` before the
    term date.

Words, markers and thresholds come from the ``kind: currency`` rule file
(``lexicons/currency.yaml``); options ``outdated_years`` and
``outdated_file_years`` override the thresholds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reviewer.checks.literals import LiteralGate
from reviewer.checks.model import (
    CheckContext, CheckResult, Finding, file_finding, finding_at,
)
from reviewer.checks.registry import register
from reviewer.checks.rulefile import register_kind
from reviewer.checks.rulefields import (
    LazyPattern, WordGate, ac_matches, examples_failed, fail, lazy_regex, message, regex,
    run_examples, severity, strings, whole_number,
)
from reviewer.ingest.model import Msg, Segment

CHECK = "outdated"


_CN_DIGITS = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0", "○": "0"}
_YEAR_RE = LazyPattern(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])|[〇○零一二三四五六七八九]{4}(?=\s*年)")


@dataclass(slots=True)
class CurrencyRules:
    """A parsed ``kind: currency`` rule file."""

    id: str
    source: str
    category: str
    severity: str
    message: Msg
    max_age_years: int
    window: int
    window_latin: int
    adjacent: int
    marker_window: int
    marker_window_latin: int
    words: re.Pattern[str]
    historical: re.Pattern[str] | None
    since_before: re.Pattern[str] | None
    since_after: re.Pattern[str] | None
    not_year_after: re.Pattern[str] | None
    not_year_before: re.Pattern[str] | None
    citation_verbs: re.Pattern[str] | None
    past_before: re.Pattern[str] | None
    newness_words: re.Pattern[str] | None
    release_markers: re.Pattern[str] | None
    #: A currency word right before one of these labels a dated record (Latest commit …,
    #: 最新提交：2017-09-30), not a claim about now.
    record_nouns: re.Pattern[str] | None
    clause_break: re.Pattern[str]
    file_max_age_years: int
    file_severity: str
    file_message: Msg
    tests: dict[str, Any] = field(default_factory=dict)
    gate_words: Any = None  # Aho-Corasick over the lower-cased currency and version words
    versions: "VersionRules | None" = None

    def matches(self, text: str, term: date | None = None) -> list[tuple[int, int, str, str]]:
        """``(start, end, "currency-claim", matched text)`` for a course dated ``term``
        (default: today) — for tools that try rules out."""
        from reviewer.ingest.textnorm import fold_compat

        term = term or date.today()
        folded = fold_compat(text)
        found = [(c.start, c.end, "currency-claim", text[c.start:c.end])
                 for c in claims(folded, self, term.year)]
        if self.versions is not None:
            found += [(c.start, c.end, "version-claim", text[c.start:c.end])
                      for c in version_claims(folded, self, term)]
        return sorted(found)


def _alternatives(words: Iterable[str]) -> list[str]:
    """Escaped alternatives, longest first; Latin words match whole."""
    parts = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        esc = re.escape(word)
        if word[:1].isascii() and word[:1].isalnum():
            esc = r"(?<![A-Za-z0-9])" + esc
        if word[-1:].isascii() and word[-1:].isalnum():
            esc += r"(?![A-Za-z0-9])"
        parts.append(esc)
    return parts


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    """Case-insensitive alternation, longest first; Latin words match whole.

    A lookahead on the words' first characters lets the engine skip every other
    position quickly (about 3x on lecture text): the ``(?<!…)`` guard at the start
    of the Latin alternatives otherwise keeps it from skipping ahead."""
    words = {w for w in words if w}
    parts = _alternatives(words)
    if not parts:
        return None
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    return lazy_regex(f"(?=[{first}])(?:{'|'.join(parts)})", re.IGNORECASE)


def _record_nouns(words: Iterable[str]) -> re.Pattern[str] | None:
    """Anchored (``match`` at the currency word's end): spaces or a colon, then a noun."""
    parts = _alternatives(words)
    if not parts:
        return None
    return lazy_regex(rf"[\s:：]*(?:{'|'.join(parts)})", re.IGNORECASE)


@register_kind("currency")
def parse_currency(data: dict[str, Any], source: str) -> CurrencyRules:
    """Parse and validate a ``kind: currency`` rule file; run its embedded tests.

    Problems raise :class:`RuleFileError` naming the file and key; loaded through
    :func:`reviewer.checks.rulefile.parse_rule_text` they also carry the line.
    """
    if not isinstance(data, dict):
        raise fail(source, "a currency rule file must be a mapping")
    words = _alternation(strings(data.get("words"), source, "words"))
    if words is None:
        raise fail(source, "words: at least one currency word is required")
    file_sec = data.get("file") or {}
    if not isinstance(file_sec, dict):
        raise fail(source, "file: a mapping is required")
    max_age = whole_number(data.get("max_age_years"), source, "max_age_years", 5)
    rules = CurrencyRules(
        id=str(data.get("id", "currency")), source=source,
        category=str(data.get("category", "outdated")),
        severity=severity(data.get("severity"), source, "severity", "warning"),
        message=message(data.get("message"), source, "message"),
        max_age_years=max_age,
        window=whole_number(data.get("window"), source, "window", 16),
        window_latin=whole_number(data.get("window_latin"), source, "window_latin", 30),
        adjacent=whole_number(data.get("adjacent"), source, "adjacent", 3),
        marker_window=whole_number(data.get("marker_window"), source, "marker_window", 8),
        marker_window_latin=whole_number(data.get("marker_window_latin"), source,
                                 "marker_window_latin", 24),
        words=words,
        historical=_alternation(strings(data.get("historical_markers"), source,
                                         "historical_markers")),
        since_before=_alternation(strings(data.get("since_before"), source, "since_before")),
        since_after=_alternation(strings(data.get("since_after"), source, "since_after")),
        not_year_after=regex(data.get("not_year_after"), source, "not_year_after",
                             optional=True),
        not_year_before=regex(data.get("not_year_before"), source, "not_year_before",
                              optional=True),
        citation_verbs=_alternation(strings(data.get("citation_verbs"), source,
                                            "citation_verbs")),
        past_before=_alternation(strings(data.get("past_before"), source, "past_before")),
        newness_words=_alternation(strings(data.get("newness_words"), source,
                                           "newness_words")),
        release_markers=_alternation(strings(data.get("release_markers"), source,
                                             "release_markers")),
        record_nouns=_record_nouns(strings(data.get("record_nouns"), source, "record_nouns")),
        clause_break=regex(data.get("clause_break") or r"[。！？；!?;\n]|\.\s", source,
                           "clause_break"),  # type: ignore[arg-type]
        file_max_age_years=whole_number(file_sec.get("max_age_years"), source, "file.max_age_years",
                                max_age),
        file_severity=severity(file_sec.get("severity"), source, "file.severity", "info"),
        file_message=message(file_sec.get("message"), source, "file.message"),
        tests=_tests(data.get("tests"), source),
    )
    gate = set(strings(data.get("words"), source, "words"))
    if data.get("versions") is not None:
        rules.versions = _parse_versions(data["versions"], source, data.get("severity"),
                                         strings(data.get("newness_words"), source,
                                                 "newness_words"))
        gate |= rules.versions.words_list
    rules.gate_words = WordGate(sorted({w.lower() for w in gate}))
    _run_embedded_tests(rules)
    return rules


def _tests(value: Any, source: str) -> dict[str, Any]:
    """``tests: {term_date, match: [text], no_match: [text]}``."""
    value = value or {}
    if not isinstance(value, dict):
        raise fail(source, "tests: a mapping with match and no_match lists is required")
    out: dict[str, Any] = {}
    for key in ("match", "no_match"):
        items = value.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise fail(source, f"tests.{key}: a list of example texts is required")
        out[key] = items
    try:
        out["term_date"] = date.fromisoformat(str(value.get("term_date", "2025-09-01")))
    except ValueError:
        raise fail(source, "tests.term_date: an ISO date (YYYY-MM-DD) is required") from None
    return out


def _run_embedded_tests(rules: CurrencyRules) -> None:
    """Examples are judged against ``tests.term_date`` (default 2025-09-01); a currency
    claim or a version claim counts as a match."""
    term = rules.tests["term_date"]

    def judge(kind: str, text: Any) -> str | None:
        wanted = kind == "match"
        if bool(rules.matches(str(text), term)) == wanted:
            return None
        return f"should {'match' if wanted else 'not match'}: {text!r}"

    failures = run_examples([("match", rules.tests.get("match") or []),
                             ("no_match", rules.tests.get("no_match") or [])], judge)
    if failures:
        raise examples_failed(rules.source, failures)


# ------------------------------------------------------------------ (b) claims

@dataclass(frozen=True, slots=True)
class Claim:
    """A currency word tied to an old year."""

    start: int
    end: int
    word: str
    year: int


def _year_value(token: str) -> int:
    if token.isdigit():
        return int(token)
    return int("".join(_CN_DIGITS[c] for c in token))


def _breaks(text: str, brk: re.Pattern[str]) -> tuple[list[int], list[int]]:
    """Starts and ends of the clause breaks of ``text`` (computed once per text)."""
    spans = [m.span() for m in brk.finditer(text)]
    return [s for s, _ in spans], [e for _, e in spans]


def _clause(text: str, pos: int, breaks: tuple[list[int], list[int]]) -> tuple[int, int]:
    """The clause around ``pos``: from the end of the break before it to the next break."""
    starts, ends = breaks
    i = bisect_right(starts, pos)
    lo = ends[i - 1] if i > 0 and ends[i - 1] <= pos else (ends[i - 2] if i > 1 else 0)
    hi = starts[i] if i < len(starts) else len(text)
    return lo, hi


def _years(text: str, lo: int, hi: int, rules: CurrencyRules) -> list[tuple[int, int, int]]:
    out = []
    for m in _YEAR_RE.finditer(text, lo, hi):
        if rules.not_year_after is not None and rules.not_year_after.match(text, m.end()):
            continue
        if rules.not_year_before is not None and rules.not_year_before.search(
                text, max(0, m.start() - 16), m.start()):
            continue
        out.append((m.start(), m.end(), _year_value(m.group())))
    return out


def _split_by_comma(text: str, word: tuple[int, int], year: tuple[int, int, int]) -> bool:
    """In Chinese text, a comma between the word and the year: they belong to different
    statements (1990年到2010年的增长趋势，目前的情况…).  ``text`` is folded, so the
    full-width comma is ``,`` here; English commas don't split (*Currently, in 2016, …*)."""
    if _latin_at(text, *word):
        return False
    lo, hi = (year[1], word[0]) if year[1] <= word[0] else (word[1], year[0])
    return "," in text[lo:hi] or "，" in text[lo:hi]


_FINAL_PAREN = LazyPattern(r"[（(]([^（）()]*)[）)][\s.。,，;；:：!！?？]*$")


def _clause_final_years(text: str, c_lo: int, c_hi: int,
                        rules: CurrencyRules) -> list[tuple[int, int, int]]:
    """Years in a parenthesis that closes the clause — 目前最常用的是 X（2013年统计）,
    the best-selling phone is X (2015 sales data) — date the whole statement, however far
    from the currency word (and across commas)."""
    m = _FINAL_PAREN.search(text, c_lo, c_hi)
    if m is None:
        return []
    return _years(text, m.start(1), m.end(1), rules)


def _period_start(text: str, ys: int, ye: int, rules: CurrencyRules) -> bool:
    """``自2010年`` / ``since 2010`` / ``2010年以来``: a period that runs until now."""
    if rules.since_before is not None:
        before = text[max(0, ys - 6):ys]
        if any(m.end() >= len(before) - 1 for m in rules.since_before.finditer(before)):
            return True
    if rules.since_after is not None:
        after = re.match(r"\s*年?(?:[0-9]{1,2}月)?(?:[0-9]{1,2}日)?\s*", text[ye:ye + 12])
        pos = ye + (after.end() if after else 0)
        if rules.since_after.match(text, pos):
            return True
    return False


# Module patterns are LazyPattern, compiled on first use: this one (a Han range) takes
# ~5 ms to compile and is needed only beside a year and a currency word.
_CITE_NAME = LazyPattern(
    r"(?:(?<![A-Za-z])[A-Z][A-Za-z'’-]+(?:\s+et\s+al\.?)?|[\u4e00-\u9fff]{2,5})\s*[(（]\s*$")
_CITE_CLOSE = LazyPattern(r"[a-z]?\s*[)）]")


def _citation(text: str, ys: int, ye: int, rules: CurrencyRules) -> bool:
    """*Smith (2015) argues …*, *王明（2014）指出…*: a bare year in brackets after a name and
    before a reporting verb (``citation_verbs``) dates a cited work, not a claim.  Not when
    a currency word is part of the name (*最新研究（2014）表明*)."""
    if rules.citation_verbs is None:
        return False
    name = _CITE_NAME.search(text, max(0, ys - 40), ys)
    close = _CITE_CLOSE.match(text, ye)
    if name is None or close is None or rules.words.search(text, name.start(), ys):
        return False
    return rules.citation_verbs.search(text, close.end(), close.end() + 12) is not None


def _past_time(text: str, word: tuple[int, int], ys: int, ye: int,
               rules: CurrencyRules) -> bool:
    """*In 2016 the latest model sold out*, *From 2008 to 2012 the latest phones …*: in
    Latin text a year before the word, not beside it, after a time preposition
    (``past_before``) or at either end of a year range dates a past event."""
    if rules.past_before is None or ye > word[0]:
        return False
    if word[0] - ye <= rules.adjacent and not re.search(r"[,，、]", text[ye:word[0]]):
        return False
    if not text[ye:word[1]].replace("–", "-").replace("—", "-").isascii():
        return False
    before = text[max(0, ys - 10):ys]
    if any(m.end() >= len(before) - 1 for m in rules.past_before.finditer(before)):
        return True
    return bool(_RANGE_END.search(text, max(0, ys - 12), ys) or _RANGE_START.match(text, ye))


_RANGE_END = LazyPattern(r"(?:19|20)[0-9]{2}\s*(?:[-–—~]|to|until|till|and)\s*$")
_RANGE_START = LazyPattern(r"\s*(?:[-–—~]|to|until|till|and)\s*(?:19|20)[0-9]{2}(?![0-9])")


def _released_newest(text: str, word: re.Match[str], ys: int, ye: int,
                     rules: CurrencyRules) -> bool:
    """*The latest version of the standard, published in 2011*, *目前最新的版本是2011年发布的*:
    a release marker (``release_markers``) after a newness word (``newness_words``), by
    the year, describes the newest thing, so its year is the claim's, however far along
    the clause.  Not when another historical marker narrates a past event instead
    (*最新的…纲要于2010年印发*, *the latest version was published in 2011*)."""
    if rules.newness_words is None or rules.release_markers is None or ys < word.end():
        return False
    if not rules.newness_words.fullmatch(word.group()):
        return False
    spans = [m.span() for m in rules.release_markers.finditer(text, word.end(),
                                                               min(len(text), ye + 4))]
    if not spans:
        return False
    if rules.historical is not None:
        for m in rules.historical.finditer(text, word.end(), ys):
            if not any(s <= m.start() and m.end() <= e for s, e in spans):
                return False
    return True


def _latin_at(text: str, start: int, end: int) -> bool:
    """Whether the characters on both sides of ``text[start:end]`` are Latin script."""
    near = text[max(0, start - 3):start] + text[end:end + 3]
    return bool(near) and all(c.isascii() for c in near)


def _historical(text: str, word: tuple[int, int], ys: int, ye: int,
                rules: CurrencyRules) -> bool:
    """A year that belongs to another event: a marker between it and the word, or —
    unless the year is right beside the word — a marker near the year."""
    if rules.historical is None:
        return False
    ws, we = word
    lo, hi = (ye, ws) if ye <= ws else (we, ys)
    if rules.historical.search(text, lo, hi):
        return True
    if hi - lo <= rules.adjacent and not re.search(r"[,，、]", text[lo:hi]):
        return False
    reach = rules.marker_window_latin if _latin_at(text, ys, ye) else rules.marker_window
    around_lo = max(0, ys - reach)
    around_hi = min(len(text), ye + reach)
    for m in rules.historical.finditer(text, around_lo, around_hi):
        if m.end() <= ws or m.start() >= we:
            return True
    return False


def claims(text: str, rules: CurrencyRules, term_year: int,
           max_age: int | None = None) -> list[Claim]:
    """Currency claims in ``text`` whose year is more than ``max_age`` years before ``term_year``."""
    limit = rules.max_age_years if max_age is None else max_age
    out: list[Claim] = []
    breaks: tuple[list[int], list[int]] | None = None
    for w in rules.words.finditer(text):
        ws, we = w.span()
        if rules.record_nouns is not None and rules.record_nouns.match(text, we):
            continue  # Latest commit 2f97358 on 28 May 2019: a record of when, not a claim
        if breaks is None:
            breaks = _breaks(text, rules.clause_break)
        c_lo, c_hi = _clause(text, ws, breaks)
        reach = rules.window_latin if _latin_at(text, ws, we) else rules.window
        lo, hi = max(c_lo, ws - reach), min(c_hi, we + reach)
        kept: list[tuple[int, int, int]] = []
        final = _clause_final_years(text, c_lo, c_hi, rules)
        window_years = [y for y in _years(text, lo, hi, rules)
                        if y not in final and not _split_by_comma(text, (ws, we), y)]
        released = [y for y in (_years(text, hi, c_hi, rules) if hi < c_hi else [])
                    if y not in final and not _split_by_comma(text, (ws, we), y)
                    and _released_newest(text, w, y[0], y[1], rules)]
        for ys, ye, year in window_years + final + released:
            gap = ws - ye if ye <= ws else ys - we
            if gap < 0:
                continue
            if _released_newest(text, w, ys, ye, rules):
                kept.append((ys, ye, year))
                continue
            if _historical(text, (ws, we), ys, ye, rules):
                continue
            if _period_start(text, ys, ye, rules) or _past_time(text, (ws, we), ys, ye, rules):
                continue
            if _citation(text, ys, ye, rules):
                continue
            kept.append((ys, ye, year))
        if not kept:
            continue
        ys, ye, year = max(kept, key=lambda k: k[2])
        if term_year - year > limit:
            out.append(Claim(min(ws, ys), max(we, ye), w.group(), year))
    return _merge(out)


def _merge(found: list[Claim]) -> list[Claim]:
    """Two currency words tied to the same year (目前最新…2014年) make one claim."""
    merged: list[Claim] = []
    for claim in sorted(found, key=lambda c: (c.start, c.end)):
        last = merged[-1] if merged else None
        if last is not None and claim.start < last.end and claim.year == last.year:
            merged[-1] = Claim(last.start, max(last.end, claim.end), last.word, last.year)
        else:
            merged.append(claim)
    return merged


# ------------------------------------------------------------------ (d) version claims

_VERSION_RE = LazyPattern(r"(?<![0-9.])v?([0-9]{1,4}(?:\.[0-9]{1,4}){0,3})(?:\.x)?(?![0-9]|\.[0-9])",
                           re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Release:
    """One release of a product: its spellings as number tuples (canonical first)."""

    label: str
    spellings: tuple[tuple[int, ...], ...]
    released: date
    lts: date | None  # the date it became a long-term-support release, if it is one


@dataclass(slots=True)
class Product:
    name: str
    releases: list[Release]
    by_release_order: bool  # order: release — C++98 is older than C++11


@dataclass(slots=True)
class VersionRules:
    """The ``versions`` section of a ``kind: currency`` rule file."""

    severity: str
    message: Msg
    grace_days: int
    gap: int
    gap_latin: int
    newness: re.Pattern[str]
    current: re.Pattern[str] | None
    nouns: re.Pattern[str] | None
    filler: re.Pattern[str]
    copulas: re.Pattern[str] | None
    history: re.Pattern[str] | None
    range_after: re.Pattern[str] | None
    lts_words: re.Pattern[str] | None
    aliases: re.Pattern[str]
    product_of: dict[str, Product]
    words_list: set[str] = field(default_factory=set)


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def _parse_release(value: Any, source: str, where: str) -> Release:
    """``"3.6 2016-12-23"``, ``"8|1.8 2014-03-18 lts"``, ``"20 2023-04-18 lts 2023-10-24"``."""
    parts = value.split() if isinstance(value, str) else []
    ok = len(parts) in (2, 3, 4) and (len(parts) == 2 or parts[2] == "lts")
    try:
        spellings = tuple(_version_tuple(v) for v in parts[0].split("|")) if ok else ()
        released = date.fromisoformat(parts[1]) if ok else None
        lts = None if len(parts) < 3 else (
            date.fromisoformat(parts[3]) if len(parts) == 4 else released)
    except ValueError:
        ok = False
    if not ok or not spellings or released is None:
        raise fail(source, f"{where}: {value!r} is not 'VERSION YYYY-MM-DD [lts [YYYY-MM-DD]]'")
    return Release(parts[0].split("|")[0], spellings, released, lts)


def _alias_regex(aliases: dict[str, bool]) -> re.Pattern[str]:
    """Product names (alias → whether its case matters): whole words at the start; at the
    end not followed by a letter, so the version may be joined on (Python3, C++14)."""
    parts = []
    for alias in sorted(aliases, key=len, reverse=True):
        esc = re.escape(alias) if not aliases[alias] else f"(?-i:{re.escape(alias)})"
        if alias[:1].isascii() and alias[:1].isalnum():
            esc = r"(?<![A-Za-z0-9])" + esc
        if alias[-1:].isascii() and alias[-1:].isalpha():
            esc += r"(?![A-Za-z])"
        parts.append(esc)
    return lazy_regex("|".join(parts), re.IGNORECASE)


def _filler_regex(words: Iterable[str]) -> re.Pattern[str]:
    """Spaces and filler words only (fullmatch it)."""
    parts = _alternatives(words) or ["(?!)"]
    return lazy_regex(rf"(?:\s+|{'|'.join(parts)})*", re.IGNORECASE)


def _parse_products(value: Any, source: str) -> tuple[re.Pattern[str], dict[str, Product]]:
    if not isinstance(value, list) or not value:
        raise fail(source, "versions.products: a list of products is required")
    product_of: dict[str, Product] = {}
    cased: dict[str, bool] = {}
    for i, item in enumerate(value):
        where = f"versions.products[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise fail(source, f"{where}: a mapping with name, aliases and releases is required")
        aliases = strings(item.get("aliases"), source, f"{where}.aliases") or [item["name"]]
        raw = item.get("releases")
        if not isinstance(raw, list) or not raw:
            raise fail(source, f"{where}.releases: a list of releases is required")
        order = item.get("order", "number")
        if order not in ("number", "release"):
            raise fail(source, f"{where}.order: 'number' or 'release' is required")
        releases = [_parse_release(r, source, f"{where}.releases[{j}]") for j, r in enumerate(raw)]
        if order == "release" and [r.released for r in releases] != sorted(
                r.released for r in releases):
            raise fail(source, f"{where}.releases: with order: release, list them by date")
        match_case = item.get("match_case", False)
        if not isinstance(match_case, bool):
            raise fail(source, f"{where}.match_case: true or false is required")
        product = Product(item["name"], releases, order == "release")
        for alias in aliases:
            if alias.lower() in product_of:
                raise fail(source, f"{where}.aliases: {alias!r} names two products")
            product_of[alias.lower()] = product
            cased[alias] = match_case
    return _alias_regex(cased), product_of


def _parse_versions(data: Any, source: str, file_severity: Any,
                    newness_words: list[str]) -> VersionRules:
    if not isinstance(data, dict):
        raise fail(source, "versions: a mapping is required")
    newness = _alternation(newness_words)
    if newness is None:
        raise fail(source, "versions: newness_words are required for version claims")
    current_list = strings(data.get("current_words"), source, "versions.current_words")
    filler_list = strings(data.get("filler"), source, "versions.filler")
    aliases, product_of = _parse_products(data.get("products"), source)
    grace = whole_number(data.get("grace_years"), source, "versions.grace_years", 1)
    return VersionRules(
        severity=severity(data.get("severity", file_severity), source, "versions.severity",
                          "warning"),
        message=message(data.get("message"), source, "versions.message"),
        grace_days=round(grace * 365.25),
        gap=whole_number(data.get("gap"), source, "versions.gap", 12),
        gap_latin=whole_number(data.get("gap_latin"), source, "versions.gap_latin", 40),
        newness=newness,
        current=_alternation(current_list),
        nouns=_alternation(strings(data.get("version_nouns"), source, "versions.version_nouns")),
        filler=_filler_regex(filler_list + newness_words + current_list),
        copulas=_alternation(strings(data.get("copulas"), source, "versions.copulas")),
        history=_alternation(strings(data.get("history_markers"), source,
                                     "versions.history_markers")),
        range_after=_alternation(strings(data.get("range_after"), source,
                                         "versions.range_after")),
        lts_words=_alternation(strings(data.get("lts_words"), source, "versions.lts_words")),
        aliases=aliases, product_of=product_of,
        words_list=set(newness_words) | set(current_list),
    )


@dataclass(frozen=True, slots=True)
class VersionClaim:
    """"The latest X is V" where a newer release of X came out long before the term."""

    start: int
    end: int
    product: str
    version: str
    newer: Release
    current: Release


_SPACES = LazyPattern(r"\s*")
_VERSION_WORD = LazyPattern(r"\s*(?:version\s+|版本\s*)?", re.IGNORECASE)


def _version_after(text: str, pos: int, hi: int, v: VersionRules) -> re.Match[str] | None:
    """The version that follows a product name ending at ``pos``: joined on or after a
    space (Python 3.6, C++14, version 8), or after filler and a copula, the name possibly
    repeated (的最新版本是 3.6, version of Node is 8, 系统是 Android 9)."""
    m = _VERSION_RE.match(text, _VERSION_WORD.match(text, pos, hi).end(), hi)
    if m is not None:
        return m
    if v.copulas is None:
        return None
    reach = min(hi, pos + max(v.gap, v.gap_latin))
    for cop in v.copulas.finditer(text, pos, reach):
        if not v.filler.fullmatch(text, pos, cop.start()):
            continue
        at = _SPACES.match(text, cop.end(), hi).end()
        again = v.aliases.match(text, at, hi)
        at = _VERSION_WORD.match(text, again.end() if again else at, hi).end()
        return _VERSION_RE.match(text, at, hi)
    return None


def _word_tied(text: str, lo: int, hi: int, c_lo: int, c_hi: int, v: VersionRules,
               ) -> re.Match[str] | None:
    """A newness or current word inside ``text[lo:hi]`` or joined to it by filler only,
    within ``gap`` characters on either side."""
    latin = _latin_at(text, lo, hi)
    gap = v.gap_latin if latin else v.gap
    for pattern in (v.newness, v.current):
        if pattern is None:
            continue
        # 20: room for the word itself beyond the gap
        for w in pattern.finditer(text, max(c_lo, lo - gap - 20), min(c_hi, hi + gap + 20)):
            if lo <= w.start() and w.end() <= hi:
                return w
            if w.end() <= lo and lo - w.end() <= gap and v.filler.fullmatch(text, w.end(), lo):
                return w
            if w.start() >= hi and w.start() - hi <= gap and \
                    v.filler.fullmatch(text, hi, w.start()):
                return w
    return None


def _newer_release(product: Product, found: str, term: date, lts: bool, grace_days: int
                   ) -> tuple[Release, Release] | None:
    """The first release newer than ``found`` out more than the grace before ``term``, and
    the newest release by ``term`` (long-term-support ones only when ``lts``)."""
    x = _version_tuple(found)
    pool = [r for r in product.releases if not lts or r.lts is not None]
    when = (lambda r: r.lts) if lts else (lambda r: r.released)
    place, spelled = None, None
    for i, r in enumerate(product.releases):
        for s in r.spellings:
            if x[:len(s)] == s and (spelled is None or len(s) > len(spelled)):
                place, spelled = i, s
    if product.by_release_order:
        if place is None:
            return None
        newer = [r for r in pool if product.releases.index(r) > place]
    else:
        canon = x if place is None else product.releases[place].spellings[0] + x[len(spelled):]
        newer = [r for r in pool if r.spellings[0] > canon
                 and r.spellings[0][:len(canon)] != canon]
    cutoff = date.fromordinal(term.toordinal() - grace_days)
    stale = sorted((r for r in newer if when(r) <= cutoff), key=when)
    known = [r for r in pool if when(r) <= term]
    if not stale or not known:
        return None
    newest = max(known, key=(lambda r: product.releases.index(r)) if product.by_release_order
                 else (lambda r: r.spellings[0]))
    return stale[0], newest


def version_claims(text: str, rules: CurrencyRules, term: date) -> list[VersionClaim]:
    """Year-less "latest / current version" claims in ``text`` (folded) that the term
    date has overtaken."""
    v = rules.versions
    if v is None:
        return []
    out: list[VersionClaim] = []
    if not LiteralGate(text).may_match(v.aliases.pattern, v.aliases.flags):
        return out  # no product's name: the alternation of names need not walk the text
    breaks: tuple[list[int], list[int]] | None = None
    for a in v.aliases.finditer(text):
        if breaks is None:
            breaks = _breaks(text, rules.clause_break)
        c_lo, c_hi = _clause(text, a.start(), breaks)
        ver = _version_after(text, a.end(), c_hi, v)
        if ver is None:
            continue
        lo, hi = a.start(), ver.end()
        word = _word_tied(text, lo, hi, c_lo, c_hi, v)
        if word is None:
            continue
        span_lo, span_hi = min(lo, word.start()), max(hi, word.end())
        if v.newness.fullmatch(word.group()) is None and (
                v.nouns is None or not v.nouns.search(text, span_lo, span_hi)):
            continue  # "the current assignment uses Node 20" is not about a version
        if v.history is not None and v.history.search(text, c_lo, c_hi):
            continue  # 当时最新的…, the latest version was …
        if v.range_after is not None and v.range_after.match(
                text, _SPACES.match(text, ver.end()).end()):
            continue  # Python 3.8 及以上, Node 18 or later
        if rules.not_year_after is not None and rules.not_year_after.match(text, ver.end()):
            continue  # a quantity: 8 个实验
        if any(not (ys >= lo and ye <= hi) for ys, ye, _ in _years(text, c_lo, c_hi, rules)):
            continue  # a dated clause is the currency claims' business
        product = v.product_of[a.group().lower()]
        lts = v.lts_words is not None and v.lts_words.search(text, c_lo, c_hi) is not None
        judged = _newer_release(product, ver.group(1), term, lts, v.grace_days)
        if judged is None:
            continue
        if out and out[-1].start <= span_lo < out[-1].end:
            continue  # the product named twice in one claim (Java 的最新版本是 Java 8)
        out.append(VersionClaim(span_lo, span_hi, product.name, ver.group(1), *judged))
    return out


# ------------------------------------------------------------------ (c) file dates

def parse_meta_date(value: Any) -> date | None:
    """ISO 8601 (or PDF ``D:YYYYMMDD…``) → date; anything else → None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    raw = value.strip()
    if raw.startswith("D:"):
        raw = raw[2:]
        m = re.match(r"(\d{4})(\d{2})?(\d{2})?", raw)
        if not m:
            return None
        raw = f"{m.group(1)}-{m.group(2) or '01'}-{m.group(3) or '01'}"
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return None


def _years_before(old: date, new: date) -> float:
    return (new - old).days / 365.25


# ------------------------------------------------------------------ the check

def _term(ctx: CheckContext) -> date:
    return ctx.term_date or ctx.today or date.today()


def _option_int(ctx: CheckContext, name: str) -> int | None:
    value = ctx.options.get(name)
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _gated_segments(segments: list[Segment], rules: CurrencyRules,
                    cache: dict[tuple[int, int], list[Segment]] | None = None) -> list[Segment]:
    """Segments holding a currency word, found by one Aho-Corasick scan of their joined text
    (``cache``: kept per segment list and rule set, for the claims and versions alike)."""
    if rules.gate_words is None or not segments:
        return list(segments)
    key = (id(segments), id(rules))
    if cache is not None and key in cache:
        return cache[key]
    raw = "\x00".join(s.norm for s in segments)
    joined = raw.lower()
    # lower() never shortens a character: the same length means every segment kept its own.
    same = len(joined) == len(raw)
    starts, pos = [], 0
    for seg in segments:
        starts.append(pos)
        pos += (len(seg.norm) if same else len(seg.norm.lower())) + 1
    hit = {bisect_right(starts, start) - 1
           for _, start, _ in ac_matches(rules.gate_words, joined)}
    out = [segments[i] for i in sorted(hit)]
    if cache is not None:
        cache[key] = out
    return out


def _claim_findings(ctx: CheckContext, rules: CurrencyRules, term: date,
                    gated: dict[tuple[int, int], list[Segment]] | None = None) -> list[Finding]:
    limit = _option_int(ctx, "outdated_years")
    findings = []
    for record in ctx.package.files:
        for segment in _gated_segments(record.segments, rules, gated):
            seen: dict[str, int] = {}
            for claim in claims(segment.norm, rules, term.year, limit):
                match = segment.text[claim.start:claim.end]
                occ = seen.get(match, 0)
                seen[match] = occ + 1
                age = term.year - claim.year
                message = {k: v.format(year=claim.year, age=age, term=term.isoformat())
                           for k, v in rules.message.items()}
                findings.append(finding_at(
                    segment, claim.start, claim.end, check=CHECK, rule="currency-claim",
                    category=rules.category, severity=rules.severity, message=message,
                    occurrence=occ, extra={"year": claim.year, "word": claim.word,
                                           "years_before_term": age, "ruleset": rules.id}))
    return findings


def _version_findings(ctx: CheckContext, rules: CurrencyRules, term: date,
                      gated: dict[tuple[int, int], list[Segment]] | None = None) -> list[Finding]:
    v = rules.versions
    if v is None:
        return []
    findings = []
    for record in ctx.package.files:
        for segment in _gated_segments(record.segments, rules, gated):
            seen: dict[str, int] = {}
            for claim in version_claims(segment.norm, rules, term):
                match = segment.text[claim.start:claim.end]
                occ = seen.get(match, 0)
                seen[match] = occ + 1
                values = {"match": match, "product": claim.product, "version": claim.version,
                          "newer": claim.newer.label,
                          "newer_date": claim.newer.released.isoformat(),
                          "current": claim.current.label, "term": term.isoformat()}
                findings.append(finding_at(
                    segment, claim.start, claim.end, check=CHECK, rule="version-claim",
                    category=rules.category, severity=v.severity,
                    message={k: t.format(**values) for k, t in v.message.items()},
                    occurrence=occ, extra={"product": claim.product, "version": claim.version,
                                           "replacement": f"{claim.product} {claim.current.label}",
                                           "newer": claim.newer.label,
                                           "since": claim.newer.released.isoformat(),
                                           "ruleset": rules.id}))
    return findings


def _file_findings(ctx: CheckContext, rules: CurrencyRules, term: date) -> list[Finding]:
    limit = _option_int(ctx, "outdated_file_years")
    if limit is None:
        limit = rules.file_max_age_years
    findings = []
    for record in ctx.package.files:
        dates = {k: parse_meta_date(record.meta.get(k)) for k in ("created", "modified")}
        known = {k: d for k, d in dates.items() if d is not None}
        if not known:
            continue
        newest_key, newest = max(known.items(), key=lambda kv: kv[1])
        age = _years_before(newest, term)
        if age <= limit:
            continue
        message = {k: v.format(date=newest.isoformat(), age=int(age), term=term.isoformat(),
                               field=newest_key) for k, v in rules.file_message.items()}
        findings.append(file_finding(
            record.path, check=CHECK, rule="file-date", category=rules.category,
            severity=rules.file_severity, message=message, match=newest.isoformat(),
            extra={"date": newest.isoformat(), "field": newest_key,
                   "years_before_term": round(age, 1), "ruleset": rules.id}))
    return findings


@register(CHECK)
def check_outdated(ctx: CheckContext) -> CheckResult:
    """Currency claims with old years, year-less claims of superseded versions, and files
    whose dates are far older than the term."""
    rulesets = [r for r in ctx.rules.get("currency", []) if isinstance(r, CurrencyRules)]
    findings: list[Finding] = []
    term = _term(ctx)
    seen: set[str] = set()
    for rules in rulesets:
        gated: dict[tuple[int, int], list[Segment]] = {}  # the same segments for both scans
        for finding in (_claim_findings(ctx, rules, term, gated)
                        + _version_findings(ctx, rules, term, gated)
                        + _file_findings(ctx, rules, term)):
            if finding.id not in seen:
                seen.add(finding.id)
                findings.append(finding)
    return CheckResult(findings)
