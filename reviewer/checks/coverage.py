"""Check ``coverage``: does the teaching cover the syllabus? — room ``checks``.

Article 5 of 教高〔2022〕1号: teaching is completed according to the syllabus.
For each syllabus topic (see :mod:`reviewer.checks.coverage_topics`) the check
decides whether the transcripts and slides (notes count a little less) teach
it:

1. **Key terms** — the topic title (and its manifest ``keywords``) tokenised
   (jieba's dictionary route over its fast dictionary / a word pattern), stop words dropped, Latin
   words stemmed (:mod:`reviewer.checks.coverage_text`); the syllabus prose
   under the topic and a trailing parenthesis (the title in the other
   language) give extra terms that can only confirm the topic.
2. **Index first** — every key term of every topic goes into one Aho-Corasick
   automaton that scans all content once; the hits give an inverted index
   (term → segments) and document frequencies.
3. **Term weighting** — IDF over content segments, times ``generic_weight``
   for generic words (网络, learning …) and ``keyword_boost`` for keywords.
4. **Windows** — only segments holding a non-generic, not-too-frequent key
   term open candidate windows (frequent terms are looked up inside them by
   bisection); a window is the segment and its neighbours (a few cues, the
   slide and its notes), and each file is a candidate too, at a discount.
   Its key-term share is the weighted share of the topic's terms present.
5. **Fuzzy scoring on candidates only** — rapidfuzz ``partial_ratio`` of the
   title against the best few windows (never an all-pairs matrix).

A topic is covered when its best window scores at least the threshold and
holds a non-generic key term.  The result is a :class:`CoverageReport` and a
warning per uncovered topic, located where the syllabus states it; declared
class hours that the transcripts' total duration can't support give one
more finding.  All words, weights and thresholds are in
``lexicons/coverage.yaml`` (kind ``coverage``).
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from reviewer.checks.coverage_glossary import (
    Glossary, GlossaryEntry, Names, Translation, named_entries, rest_of, term_of_phrase,
    translated,
)
from reviewer.checks.coverage_semantic import SemanticRules
from reviewer.checks.coverage_text import (
    Stemmer, Term, fold_title, latin_hit, mostly_cjk, term_of, tokens,
)
from reviewer.checks.coverage_topics import (
    Topic, TopicRules, clean_title, manifest_topics, syllabus_topics,
)
from reviewer.checks.model import (
    CheckContext, CheckResult, CoverageReport, Finding, TopicCoverage, file_finding, finding_at,
)
from reviewer.checks.registry import register
from reviewer.checks.rulefile import RuleFileError, line_of, register_kind
from reviewer.checks import rulefields
from reviewer.checks.rulefields import LazyPattern, ac_matches
from reviewer.ingest.model import Msg, Package, Segment

CHECK = "coverage"


# ------------------------------------------------------------------ rule data

@dataclass(slots=True)
class HoursRules:
    minutes_per_class_hour: float = 45.0
    class_hours_per_credit: float = 16.0
    credits_max: float = 10.0
    min_ratio: float = 0.5
    severity: str = "warning"


@dataclass(slots=True)
class GlossaryRules:
    """The ``glossary`` section of a coverage rule file: how subject glossaries count."""

    enabled: bool = True
    #: distinct terms of an entry that one teaching window must hold to teach it
    min_terms: int = 1
    #: share of the entries a title names that must be taught (外部性与公共物品: one of two)
    entries_share: float = 0.5


@dataclass(slots=True)
class CoverageRules:
    """A parsed ``kind: coverage`` rule file."""

    id: str
    source: str
    category: str = "coverage"
    threshold: float = 0.5
    fuzzy_weight: float = 0.3
    generic_weight: float = 0.1
    keyword_boost: float = 2.0
    generic_fuzzy: float = 0.9
    description_weight: float = 0.5
    file_factor: float = 0.85
    role_weights: dict[str, float] = field(default_factory=lambda: {
        "transcript": 1.0, "slides": 1.0, "notes": 0.8})
    window: dict[str, int] = field(default_factory=lambda: {
        "cue": 3, "line": 2, "paragraph": 1, "page": 0, "slide": 1})
    candidates: int = 8
    evidence: int = 3
    hours: HoursRules = field(default_factory=HoursRules)
    messages: dict[str, Msg] = field(default_factory=dict)
    stopwords: set[str] = field(default_factory=set)
    generic: set[str] = field(default_factory=set)  # CJK words and Latin stems
    stemmer: Stemmer = field(default_factory=lambda: Stemmer(["s"]))
    topics: TopicRules = field(default_factory=TopicRules)
    semantic: SemanticRules = field(default_factory=SemanticRules)
    glossary: GlossaryRules = field(default_factory=GlossaryRules)


_DEFAULT_MESSAGES: dict[str, Msg] = {
    "uncovered": {"zh": "教学大纲主题“{title}”未被讲授（得分 {score:.2f}）。",
                  "en": "Syllabus topic “{title}” is not taught (score {score:.2f})."},
    "no_topics": {"zh": "未能从教学大纲中提取出教学主题。",
                  "en": "No topics could be extracted from the syllabus."},
    "hours": {"zh": "声明学时 {hours:g}，字幕总时长只有 {have_min:.0f} 分钟。",
              "en": "{hours:g} class hours declared; transcripts last {have_min:.0f} minutes."},
    "hours_unknown": {"zh": "字幕没有时间轴，无法核对学时。",
                      "en": "No transcript has timing; hours can't be checked."},
}


def _fail(source: str, message: str, data: Any = None, path: list[Any] | None = None
          ) -> RuleFileError:
    return rulefields.fail(source, message,
                           line_of(data, path or []) if isinstance(data, dict) else None)


def _where(path: list[Any]) -> str:
    return ".".join(map(str, path))


# The field readers are reviewer.checks.rulefields' (one set for every rule kind); these
# only name the field by its path in the file and find its line.
def _number(data: dict[str, Any], key: str, default: float, source: str, root: Any,
            path: list[Any], lo: float = 0.0, hi: float | None = None) -> float:
    return rulefields.number(data.get(key, default), source, _where(path + [key]), lo=lo, hi=hi,
                             line=line_of(root, path + [key]))


def _words(data: dict[str, Any], key: str, source: str, root: Any, path: list[Any]) -> list[str]:
    found = rulefields.strings(data.get(key) or [], source, _where(path + [key]),
                               line=line_of(root, path + [key]))
    return [w.strip().lower() for w in found]


def _regex(pattern: Any, source: str, root: Any, path: list[Any]) -> LazyPattern:
    return rulefields.regex(pattern, source, _where(path), line=line_of(root, path))


def _messages(data: Any, source: str) -> dict[str, Msg]:
    out = dict(_DEFAULT_MESSAGES)
    raw = data.get("messages") or {}
    if not isinstance(raw, dict):
        raise _fail(source, "messages: a mapping is required", data, ["messages"])
    for key, value in raw.items():
        if not isinstance(value, dict) or not (value.get("zh") or value.get("en")):
            raise _fail(source, f"messages.{key}: a message needs zh and/or en text",
                        data, ["messages", key])
        zh = str(value.get("zh") or value.get("en"))
        out[key] = {"zh": zh, "en": str(value.get("en") or zh)}
        for lang, template in out[key].items() if key in _TEMPLATE_SAMPLES else ():
            try:
                template.format(**_TEMPLATE_SAMPLES[key])
            except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
                raise _fail(source, f"messages.{key}.{lang}: unusable placeholder in "
                                    f"{template!r} ({type(exc).__name__}: {exc})",
                            data, ["messages", key]) from None
    return out


#: The values each message is formatted with (a rule file's template is tried on them when
#: it is parsed, so a placeholder typo fails the file, not every scan).
_TEMPLATE_SAMPLES: dict[str, dict[str, Any]] = {
    "uncovered": {"title": "t", "score": 0.5, "threshold": 0.5},
    "hours": {"hours": 48.0, "need_min": 2160.0, "have_min": 600.0, "ratio": 0.5},
}


def _topic_rules(data: Any, source: str) -> TopicRules:
    sec = data.get("topics") or {}
    if not isinstance(sec, dict):
        raise _fail(source, "topics: a mapping is required", data, ["topics"])
    numbered = []
    for key in ("numbered", "strip"):
        if not isinstance(sec.get(key) or [], list):
            raise _fail(source, f"topics.{key}: a list is required", data, ["topics", key])
    for i, item in enumerate(sec.get("numbered") or []):
        if not isinstance(item, dict) or "pattern" not in item:
            raise _fail(source, f"topics.numbered[{i}]: needs pattern and level",
                        data, ["topics", "numbered", i])
        level = item.get("level", 2)
        if not isinstance(level, int) or isinstance(level, bool) or level < 0:
            raise _fail(source, f"topics.numbered[{i}].level: a whole number is required",
                        data, ["topics", "numbered", i, "level"])
        numbered.append((_regex(item["pattern"], source, data,
                                ["topics", "numbered", i, "pattern"]), level))
    strip = [_regex(p, source, data, ["topics", "strip", i])
             for i, p in enumerate(sec.get("strip") or [])]
    if not isinstance(sec.get("not_topics") or [], list):
        raise _fail(source, "topics.not_topics: a list is required", data, ["topics", "not_topics"])
    not_topics = [_regex(p, source, data, ["topics", "not_topics", i])
                  for i, p in enumerate(sec.get("not_topics") or [])]
    path = ["topics"]
    return TopicRules(
        numbered=numbered,
        objectives=_words(sec, "objectives", source, data, path),
        admin=_words(sec, "admin", source, data, path),
        containers=_words(sec, "containers", source, data, path),
        skip=_words(sec, "skip", source, data, path),
        strip=strip,
        not_topics=not_topics,
        min_chars=int(_number(sec, "min_chars", 1, source, data, path)),
        max_chars=int(_number(sec, "max_chars", 60, source, data, path)),
        max_description=int(_number(sec, "max_description", 400, source, data, path)),
    )


def _semantic_rules(data: Any, source: str) -> SemanticRules:
    sec = data.get("semantic") or {}
    if not isinstance(sec, dict):
        raise _fail(source, "semantic: a mapping is required", data, ["semantic"])
    enabled = sec.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _fail(source, "semantic.enabled: true or false is required", data,
                    ["semantic", "enabled"])
    path = ["semantic"]
    return SemanticRules(
        enabled=enabled,
        cover=_number(sec, "cover", 0.40, source, data, path, 0, 1),
        course_margin=_number(sec, "course_margin", 0.05, source, data, path, 0, 1),
        course_min_topics=int(_number(sec, "course_min_topics", 5, source, data, path)),
        margin=_number(sec, "margin", 0.0, source, data, path, 0, 1),
        lexical_max=_number(sec, "lexical_max", 0.35, source, data, path, 0, 1),
        combined=_number(sec, "combined", 0.85, source, data, path, 0, 2),
        combined_min=_number(sec, "combined_min", 0.40, source, data, path, 0, 1),
        min_chars=int(_number(sec, "min_chars", 6, source, data, path)),
        max_chars=max(1, int(_number(sec, "max_chars", 300, source, data, path))),
        budget_chars=max(1, int(_number(sec, "budget_chars", 3000, source, data, path))),
        assign_lead=_number(sec, "assign_lead", 0.0, source, data, path, 0, 10),
        assign_floor=_number(sec, "assign_floor", 0.1, source, data, path, -1, 1),
        assign_lexical_max=_number(sec, "assign_lexical_max", 0.5, source, data, path, 0, 1),
    )


def _glossary_rules(data: Any, source: str) -> GlossaryRules:
    sec = data.get("glossary")
    if sec is None:
        return GlossaryRules()
    if not isinstance(sec, dict):
        raise _fail(source, "glossary: a mapping is required", data, ["glossary"])
    path = ["glossary"]
    return GlossaryRules(
        enabled=rulefields.flag(sec.get("enabled", True), source, "glossary.enabled"),
        min_terms=int(_number(sec, "min_terms", 1, source, data, path, 1, 20)),
        entries_share=_number(sec, "entries_share", 0.5, source, data, path, 0, 1),
    )


@register_kind("coverage")
def parse_coverage(data: dict[str, Any], source: str) -> CoverageRules:
    """Parse and validate a ``kind: coverage`` rule file; run its embedded tests."""
    if not isinstance(data, dict):
        raise _fail(source, "a coverage rule file must be a mapping")
    stemmer = Stemmer(_words(data, "en_suffixes", source, data, []) or ["s"])
    generic = set()
    for word in _words(data, "generic", source, data, []):
        generic.add(stemmer.stem(word) if word.isascii() else word)
    hours_sec = data.get("hours") or {}
    if not isinstance(hours_sec, dict):
        raise _fail(source, "hours: a mapping is required", data, ["hours"])
    severity = str(hours_sec.get("severity", "warning"))
    if severity not in ("error", "warning", "info"):
        raise _fail(source, f"hours.severity: {severity!r} is not error, warning or info",
                    data, ["hours", "severity"])
    weights = data.get("role_weights") or {}
    window = data.get("window") or {}
    if not isinstance(weights, dict) or not isinstance(window, dict):
        raise _fail(source, "role_weights and window: mappings are required", data,
                    ["role_weights" if not isinstance(weights, dict) else "window"])
    rules = CoverageRules(
        id=str(data.get("id", "coverage")), source=source,
        category=str(data.get("category", "coverage")),
        threshold=_number(data, "threshold", 0.5, source, data, [], 0, 1),
        fuzzy_weight=_number(data, "fuzzy_weight", 0.3, source, data, [], 0, 1),
        generic_weight=_number(data, "generic_weight", 0.1, source, data, [], 0, 1),
        keyword_boost=_number(data, "keyword_boost", 2.0, source, data, []),
        generic_fuzzy=_number(data, "generic_fuzzy", 0.9, source, data, [], 0, 1),
        description_weight=_number(data, "description_weight", 0.5, source, data, [], 0, 1),
        file_factor=_number(data, "file_factor", 0.85, source, data, [], 0, 1),
        role_weights={str(k): _number(weights, k, 1.0, source, data, ["role_weights"], 0, 1)
                      for k in weights},
        window={str(k): int(_number(window, k, 0, source, data, ["window"])) for k in window},
        candidates=max(1, int(_number(data, "candidates", 8, source, data, []))),
        evidence=int(_number(data, "evidence", 3, source, data, [])),
        hours=HoursRules(
            minutes_per_class_hour=_number(hours_sec, "minutes_per_class_hour", 45, source,
                                           data, ["hours"]),
            class_hours_per_credit=_number(hours_sec, "class_hours_per_credit", 16, source,
                                           data, ["hours"]),
            credits_max=_number(hours_sec, "credits_max", 10, source, data, ["hours"]),
            min_ratio=_number(hours_sec, "min_ratio", 0.5, source, data, ["hours"], 0, 1),
            severity=severity),
        messages=_messages(data, source),
        stopwords=set(_words(data, "stopwords", source, data, [])),
        generic=generic,
        stemmer=stemmer,
        topics=_topic_rules(data, source),
        semantic=_semantic_rules(data, source),
        glossary=_glossary_rules(data, source),
    )
    _run_embedded_tests(rules, data.get("tests") or {}, data)
    return rules


def _run_embedded_tests(rules: CoverageRules, tests: Any, data: Any) -> None:
    from reviewer.checks.coverage_topics import _starts_with_any, not_a_topic

    if not isinstance(tests, dict):
        raise _fail(rules.source, "tests: a mapping is required", data, ["tests"])
    titles = tests.get("titles") or []
    if not isinstance(titles, list) or not all(
            isinstance(i, list) and len(i) == 2 for i in titles):
        raise _fail(rules.source, "tests.titles: a list of [raw title, cleaned title] pairs "
                                  "is required", data, ["tests", "titles"])
    for key in ("admin", "not_admin", "not_topics", "topics_ok"):
        items = tests.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise _fail(rules.source, f"tests.{key}: a list of strings is required",
                        data, ["tests", key])
    def judge(kind: str, item: Any) -> str | None:
        if kind == "titles":
            raw, want = item[0], item[1]
            got = clean_title(str(raw), rules.topics)
            return None if got == str(want) else f"title {raw!r} → {got!r}, expected {want!r}"
        text = str(item)
        if kind in ("admin", "not_admin"):
            admin = _starts_with_any(text, rules.topics.admin)
            if admin == (kind == "admin"):
                return None
            return f"{item!r} should {'' if kind == 'admin' else 'not '}be an administrative section"
        cleaned = clean_title(text, rules.topics)  # empty: a bare 第二章, never a topic
        if kind == "not_topics":
            return f"{item!r} should not be a topic" if cleaned and not not_a_topic(
                cleaned, rules.topics) else None
        return f"{item!r} should be a topic" if not_a_topic(cleaned, rules.topics) else None

    failures = rulefields.run_examples(
        [(kind, titles if kind == "titles" else tests.get(kind) or [])
         for kind in ("titles", "admin", "not_admin", "not_topics", "topics_ok")], judge)
    if failures:
        raise rulefields.examples_failed(rules.source, failures, line_of(data, ["tests"]))


# ------------------------------------------------------------------ content index

class ContentIndex:
    """Content segments, scanned once for every key term (Aho-Corasick)."""

    def __init__(self, package: Package, rules: CoverageRules):
        self.rules = rules
        self.segments: list[Segment] = []
        # Per segment, in compact arrays (a 200,000-cue course: 2 MB, not 35 MB of
        # tuples and floats): its window [lo, hi), its role's weight, its file.
        self._lo, self._hi = array("i"), array("i")
        self.role_weight = array("d")
        self.file_of = array("i")
        file_no = 0
        for record in package.files:
            weight = rules.role_weights.get(record.role)
            if not weight or record.status != "ok" or not record.segments:
                continue
            first = len(self.segments)
            self.segments.extend(record.segments)
            last = len(self.segments)
            for i, seg in enumerate(record.segments, start=first):
                radius = rules.window.get(seg.locator.kind, 0)
                self._lo.append(max(first, i - radius))
                self._hi.append(min(last, i + radius + 1))
                self.role_weight.append(weight)
                self.file_of.append(file_no)
            file_no += 1
        #: term → the segments holding it, ascending (an ``array("i")``)
        self.postings: dict[Term, Sequence[int]] = {}
        self.file_terms: dict[int, set[Term]] = defaultdict(set)

    def window(self, center: int) -> tuple[int, int]:
        """The segments ``[lo, hi)`` read together with segment ``center``."""
        return self._lo[center], self._hi[center]

    @property
    def size(self) -> int:
        return len(self.segments)

    def scan(self, terms: set[Term]) -> None:
        """Find every term in every segment; fill :attr:`postings` and :attr:`file_terms`."""
        import ahocorasick_rs

        todo = sorted(t for t in terms if t not in self.postings)
        if not todo or not self.segments:
            for term in todo:
                self.postings[term] = array("i")
            return
        keys = sorted({t.key for t in todo})
        # Per automaton key, the terms it finds as (number in ``todo``, term): the hot
        # loop below indexes lists by those numbers instead of hashing terms.
        key_no = {key: k for k, key in enumerate(keys)}
        by_key: list[list[tuple[int, Term]]] = [[] for _ in keys]
        for n, term in enumerate(todo):
            by_key[key_no[term.key]].append((n, term))
        automaton = ahocorasick_rs.AhoCorasick(keys)
        # No match runs over the NUL between two segments, so a term's matches come
        # segment by segment in order: appending a new segment keeps its list sorted.
        found: list[array | None] = [None] * len(todo)
        stem = self.rules.stemmer
        for base, text, starts in self._chunks():
            for idx, start, end in ac_matches(automaton, text):
                seg = base + bisect_right(starts, start) - 1
                for n, term in by_key[idx]:
                    if term.latin and not latin_hit(text, start, end, term, stem):
                        continue
                    segs = found[n]
                    if segs is None:
                        found[n] = array("i", (seg,))
                    elif segs[-1] != seg:
                        segs.append(seg)
        file_of = self.file_of
        for n, term in enumerate(todo):
            segs = found[n]
            if segs is None:
                segs = array("i")
            self.postings[term] = segs
            for file_no in dict.fromkeys(file_of[seg] for seg in segs):  # in order of first use
                self.file_terms[file_no].add(term)

    #: Characters of content scanned at once: the segments are joined by NUL a run at
    #: a time, so neither the joined text nor the automaton's list of matches holds a
    #: whole large course (a 22 MB course's matches took ~200 MB at once).
    CHUNK_CHARS = 1_000_000

    def _chunks(self) -> Iterator[tuple[int, str, list[int]]]:
        """``(first segment, its run of lowered segments joined by NUL, where each
        starts)``, runs of about :attr:`CHUNK_CHARS` characters, cut between segments."""
        segments, n, i = self.segments, len(self.segments), 0
        while i < n:
            starts, parts, pos, j = [], [], 0, i
            while j < n and (j == i or pos + len(segments[j].norm) <= self.CHUNK_CHARS):
                part = segments[j].norm.lower()  # lowered per run, not kept: half the memory
                starts.append(pos)
                parts.append(part)
                pos += len(part) + 1
                j += 1
            yield i, "\x00".join(parts), starts
            i = j

    def idf(self, term: Term) -> float:
        n = self.size
        return math.log((n + 1) / (len(self.postings.get(term, ())) + 1)) + 1.0

    def window_text(self, center: int, limit: int = 1500) -> str:
        lo, hi = self.window(center)
        return " ".join(s.norm.lower() for s in self.segments[lo:hi])[:limit]


# ------------------------------------------------------------------ topics → terms

@dataclass(slots=True)
class KeyTerm:
    term: Term
    weight: float  # 0 for a part of a compound: only the whole compound counts
    generic: bool
    described: bool = False  # from the prose under the topic (or its alternative title)


@dataclass(slots=True)
class Compound:
    """A compound term the content never uses, found instead when all its parts are."""

    members: list[int]  # indexes of the parts in the topic's key-term list
    weight: float
    described: bool = False


def key_terms(topic: Topic, rules: CoverageRules) -> list[tuple[Term, bool, bool, bool]]:
    """``(term, generic, keyword, described)`` for a topic, de-duplicated (title first)."""
    out: dict[Term, tuple[bool, bool, bool]] = {}
    parts = [(topic.title, False, False)] + [(k, True, False) for k in topic.keywords]
    for extra in (topic.alt_title, topic.description):
        if extra:
            parts.append((extra, False, True))
    for text, is_keyword, described in parts:
        for low, term in _content_terms(text, rules):
            generic = not is_keyword and _is_generic(low, term, rules)
            prev = out.get(term)
            if prev is None:
                out[term] = (generic, is_keyword, described)
            elif prev[2] and not described:  # also in the title: a title term
                out[term] = (prev[0] and generic, prev[1] or is_keyword, False)
    if not any(not d for _, _, d in out.values()):  # a one-character title (图, 树) is its own term
        key = re.sub(r"\s+", "", topic.title.lower())
        if key:
            out[Term(key, key.isascii())] = (False, False, False)
    return [(t, g, k, d) for t, (g, k, d) in out.items()]


def _content_terms(text: str, rules: CoverageRules) -> Iterator[tuple[str, Term]]:
    """``(token lower-cased, term)`` for each word of ``text`` that is not a stop word
    and makes a term of at least two characters."""
    for tok in tokens(text):
        low = tok.lower()
        if low in rules.stopwords:
            continue
        term = term_of(tok, rules.stemmer)
        if term is not None and len(term.key) >= 2 and term.key not in rules.stopwords:
            yield low, term


def _is_generic(low: str, term: Term, rules: CoverageRules) -> bool:
    """Whether a word (lower-cased, and as a term) is one of the field's generic words."""
    return term.key in rules.generic or low in rules.generic


# ------------------------------------------------------------------ scoring

@dataclass(slots=True)
class Scored:
    score: float
    center: int
    strong: bool
    fuzzy: float = 0.0


class _Share:
    """Key-term share of a set of present terms (a bit mask), memoised."""

    def __init__(self, terms: list[KeyTerm], description_weight: float,
                 compounds: list[Compound] | None = None):
        self.terms = terms
        self.compounds = [(sum(1 << i for i in c.members), c) for c in compounds or []]
        self.title_total = sum(k.weight for k in terms if not k.described) + sum(
            c.weight for _, c in self.compounds if not c.described)
        self.desc_total = sum(k.weight for k in terms if k.described) + sum(
            c.weight for _, c in self.compounds if c.described)
        self.d = description_weight if self.desc_total > 0 else 0.0
        self.cache: dict[int, float] = {}

    def __call__(self, mask: int, compounds: bool = True) -> float:
        """The share for the terms in ``mask``; ``compounds=False`` for a whole file, where
        the parts of a compound may be far apart and so don't make it."""
        key = mask if compounds else ~mask
        value = self.cache.get(key)
        if value is None:
            title = desc = 0.0
            for i, k in enumerate(self.terms):
                if mask >> i & 1:
                    if k.described:
                        desc += k.weight
                    else:
                        title += k.weight
            for bits, compound in self.compounds if compounds else ():
                if mask & bits == bits:  # every part present
                    if compound.described:
                        desc += compound.weight
                    else:
                        title += compound.weight
            t_share = title / self.title_total if self.title_total else 0.0
            d_share = desc / self.desc_total if self.desc_total else 0.0
            # The description confirms a topic, it never counts against one: a
            # syllabus may describe a chapter in words the lectures don't use.
            value = max(t_share, (1 - self.d) * t_share + self.d * d_share)
            self.cache[key] = value
        return value


#: Terms found in more segments than this share (and at least FREQUENT_MIN) are
#: not used to enumerate candidate windows, only looked up inside them.
FREQUENT_SHARE = 0.02
FREQUENT_MIN = 200


def _enumerated(terms: list[KeyTerm], pool: list[int], index: ContentIndex) -> list[int]:
    """The terms whose postings give the candidate windows: the not-too-frequent ones.

    Frequent terms would make thousands of candidates that score low anyway;
    they are checked inside the windows the rarer terms open.  When every term
    is frequent, the rarest one opens the windows.
    """
    cap = max(FREQUENT_MIN, int(FREQUENT_SHARE * index.size))
    chosen = [i for i in pool if len(index.postings.get(terms[i].term, ())) <= cap]
    if chosen:
        return chosen
    return [min(pool, key=lambda i: len(index.postings.get(terms[i].term, ())))]


#: Candidate windows from which a topic's windows are masked with numpy (fewer: plain
#: Python).  The plain loop costs ~2 us a candidate, the arrays ~1 ms a topic however
#: many: they break even at about 500 (the large course: 33 topics of 500–2,000
#: candidates, 0.09 s in the loop).
VECTOR_MIN = 500


def _posting_in(plist: Sequence[int], lo: int, hi: int) -> bool:
    """Whether an ascending posting list holds a segment of the window ``[lo, hi)``."""
    k = bisect_left(plist, lo)
    return k < len(plist) and plist[k] < hi


def _windows(terms: list[KeyTerm], enum_idx: list[int], lazy: list[tuple[int, Sequence[int]]],
             share: _Share, index: ContentIndex
             ) -> tuple[list[tuple[float, int, int]], dict[int, tuple[float, int]]]:
    """Every candidate window's ``(value, center, terms present as a bit mask)``, and per
    file its best ``(value, center)`` — the first such window in candidate order."""
    masks: dict[int, int] = defaultdict(int)
    for i in enum_idx:
        bit = 1 << i
        for seg in index.postings.get(terms[i].term, ()):
            masks[seg] |= bit
    scored: list[tuple[float, int, int]] = []
    best_in_file: dict[int, tuple[float, int]] = {}
    for center in masks:
        lo, hi = index.window(center)
        wmask = 0
        for j in range(lo, hi):
            wmask |= masks.get(j, 0)
        for bit, plist in lazy:
            if _posting_in(plist, lo, hi):
                wmask |= bit
        value = share(wmask) * index.role_weight[center]
        scored.append((value, center, wmask))
        f = index.file_of[center]
        if value > best_in_file.get(f, (-1.0, 0))[0]:
            best_in_file[f] = (value, center)
    return scored, best_in_file


def _windows_numpy(terms: list[KeyTerm], enum_idx: list[int],
                   lazy: list[tuple[int, Sequence[int]]], share: _Share, index: ContentIndex,
                   keep: int) -> tuple[list[tuple[float, int, int]], dict[int, tuple[float, int]]]:
    """:func:`_windows` for many candidates, with arrays: the same windows, values and
    per-file choice, but only the ``keep`` best windows are listed (all that the caller
    reads of them)."""
    import numpy as np

    lo_all = np.frombuffer(index._lo, dtype=np.int32)
    hi_all = np.frombuffer(index._hi, dtype=np.int32)
    seg_mask = np.zeros(index.size, dtype=np.uint64)
    order_parts = []
    for i in enum_idx:
        segs = np.asarray(index.postings.get(terms[i].term, ()), dtype=np.int32)
        seg_mask[segs] |= np.uint64(1 << i)
        order_parts.append(segs)
    # the candidates in the order the plain version meets them: term by term, each first time
    joined = np.concatenate(order_parts)
    if not len(joined):
        return [], {}
    _, first = np.unique(joined, return_index=True)
    centers = joined[np.sort(first)]
    lo, hi = lo_all[centers], hi_all[centers]
    wmask = np.zeros(len(centers), dtype=np.uint64)
    for d in range(int((hi - lo).max())):  # OR the window [lo, hi) one offset at a time
        j = lo + d
        inside = j < hi
        wmask[inside] |= seg_mask[j[inside]]
    for bit, plist in lazy:
        postings = np.asarray(plist, dtype=np.int32)
        k = np.searchsorted(postings, lo)
        hit = postings[np.minimum(k, len(postings) - 1)]
        wmask[(k < len(postings)) & (hit < hi)] |= np.uint64(bit)
    uniq, inverse = np.unique(wmask, return_inverse=True)
    shares = np.array([share(int(m)) for m in uniq], dtype=np.float64)
    weights = np.frombuffer(index.role_weight, dtype=np.float64)[centers]
    values = shares[inverse.ravel()] * weights
    files = np.frombuffer(index.file_of, dtype=np.int32)[centers]
    best_in_file: dict[int, tuple[float, int]] = {}
    by_file = np.lexsort((np.arange(len(centers)), -values, files))  # best, then earliest
    firsts = by_file[np.r_[True, files[by_file][1:] != files[by_file][:-1]]]
    for pos in sorted(firsts.tolist(), key=lambda p: files[p]):
        best_in_file[int(files[pos])] = (float(values[pos]), int(centers[pos]))
    top = np.lexsort((wmask, centers, values))[::-1][:keep]  # as heapq.nlargest on the tuples
    scored = [(float(values[p]), int(centers[p]), int(wmask[p])) for p in top]
    return scored, best_in_file


def _score_topic(topic: Topic, terms: list[KeyTerm], index: ContentIndex,
                 rules: CoverageRules, compounds: list[Compound] | None = None) -> list[Scored]:
    """Candidate windows (and whole files) of one topic, best first, fuzzy-scored."""
    if not terms or not index.size:
        return []
    share = _Share(terms, rules.description_weight, compounds)
    strong_idx = [i for i, k in enumerate(terms) if not k.generic]
    enum_idx = _enumerated(terms, strong_idx or list(range(len(terms))), index)
    lazy_idx = [i for i in range(len(terms)) if i not in enum_idx]
    strong_bits = sum(1 << i for i in strong_idx)
    lazy = [(1 << i, index.postings.get(terms[i].term, [])) for i in lazy_idx]
    lazy = [(bit, plist) for bit, plist in lazy if plist]
    n_centers = sum(len(index.postings.get(terms[i].term, ())) for i in enum_idx)
    if len(terms) < 63 and n_centers >= VECTOR_MIN:
        scored, best_in_file = _windows_numpy(terms, enum_idx, lazy, share, index,
                                              rules.candidates * 4)
    else:
        scored, best_in_file = _windows(terms, enum_idx, lazy, share, index)
    for f, (_, center) in best_in_file.items():
        present = index.file_terms.get(f, set())
        fmask = sum(1 << i for i, k in enumerate(terms) if k.term in present)
        value = share(fmask, compounds=False) * rules.file_factor * index.role_weight[center]
        scored.append((value, center, fmask))
    best = heapq.nlargest(rules.candidates * 4, scored)
    from rapidfuzz import fuzz

    title = fold_title(topic.title)
    out: list[Scored] = []
    seen: set[int] = set()
    for value, center, wmask in best:
        if center in seen:
            continue
        seen.add(center)
        fuzzy = fuzz.partial_ratio(title, index.window_text(center)) / 100.0
        weight = index.role_weight[center]
        final = (1 - rules.fuzzy_weight) * value + rules.fuzzy_weight * fuzzy * weight
        out.append(Scored(final, center, bool(wmask & strong_bits), fuzzy))
        if len(out) >= rules.candidates:
            break
    out.sort(key=lambda x: -x.score)
    return out


def assess(topics: list[Topic], index: ContentIndex, rules: CoverageRules,
           threshold: float, names: Names | None = None
           ) -> list[tuple[Topic, TopicCoverage, list[KeyTerm]]]:
    """Score every topic against the content.

    With subject glossaries (``names``), a topic whose title names glossary entries is
    also scored under its title put in the other language, and is covered when its
    entries' terms are taught (:func:`_glossary_evidence`)."""
    links = [names.find(t.title) for t in topics] if names and rules.glossary.enabled else []
    variants: list[tuple[int, Translation]] = [
        (i, tr) for i, matches in enumerate(links) for tr in translated(topics[i].title, matches)]
    variant_topics = [Topic(tr.title, keywords=list(topics[i].keywords),
                            source=dict(topics[i].source)) for i, tr in variants]
    raw_terms = [key_terms(t, rules) for t in topics]
    raw_terms += [key_terms(Topic(tr.rest, keywords=list(topics[i].keywords)), rules)
                  for i, tr in variants]
    # Everything the glossaries may ask of the content goes into the same pass over it
    # as the titles' own terms: their entries' terms, what the titles say besides the
    # names, and the names put in the other language (a pass over a large course: ~0.15 s).
    entry_terms = _entry_terms([e for matches in links for e in named_entries(matches)], rules)
    teaching_cjk = _mostly_cjk(index) if links else False
    rests = [[t for t in _own_words(rest_of(topic.title, matches), rules)
              # what an English title says besides its names can't be heard in a Chinese
              # lecture (nor the reverse): only the named topics are looked for there
              if t.latin != teaching_cjk] for topic, matches in zip(topics, links)]
    names_put = [[term_of_phrase(name, rules.stemmer) for name in tr.names] for _, tr in variants]
    index.scan({term for terms in raw_terms for term, _, _, _ in terms}
               | {t for by_term in entry_terms.values() for t in by_term}
               | {t for rest in rests for t in rest}
               | {t for put in names_put for t in put if t is not None})
    split = [_split_absent_compounds(terms, index, rules) for terms in raw_terms]
    for put, (terms, _) in zip(names_put, split[len(topics):]):
        # a name put in the other language is a term of art: looked for whole, never in pieces
        have = {t for t, *_ in terms}
        for term in put:
            if term is not None and term not in have:
                terms.append((term, False, False, False, True))
                have.add(term)
    index.scan({term for terms, _ in split for term, *_ in terms})
    results = [_scored(topic, raw, groups, index, rules, threshold)
               for topic, (raw, groups) in zip(topics, split)]
    for (i, _), variant, (raw, groups) in zip(variants, variant_topics, split[len(topics):]):
        if not results[i][1].covered:  # covered by its own title: a translation adds nothing
            _take_translation(results[i][1],
                              _scored(variant, raw, groups, index, rules, threshold)[1])
    for (_, result, _), matches, rest in zip(results, links, rests):
        if matches and not result.covered:
            _glossary_evidence(result, named_entries(matches), rest, entry_terms, index, rules)
    _add_semantic(results, index, rules, threshold)
    return results


def _scored(topic: Topic, raw: list[tuple[Term, bool, bool, bool, bool]],
            groups: list[tuple[Term, bool, bool, bool, list[Term]]], index: ContentIndex,
            rules: CoverageRules, threshold: float) -> tuple[Topic, TopicCoverage, list[KeyTerm]]:
    """A topic's lexical coverage: its key terms (``raw``, with ``groups`` of compound
    parts) weighted and scored over the teaching windows."""
    position = {term: i for i, (term, *_) in enumerate(raw)}

    def weight(term: Term, generic: bool, keyword: bool) -> float:
        return (index.idf(term) * (rules.generic_weight if generic else 1.0)
                * (rules.keyword_boost if keyword else 1.0))

    terms = [KeyTerm(term, weight(term, generic, keyword) if own else 0.0, generic, described)
             for term, generic, keyword, described, own in raw]
    compounds = [Compound([position[p] for p in members], weight(whole, generic, keyword),
                          described)
                 for whole, generic, keyword, described, members in groups]
    windows = _score_topic(topic, terms, index, rules, compounds)
    has_strong = any(not k.generic for k in terms)
    best = windows[0] if windows else None
    if best is None:
        covered = False
    elif has_strong:
        covered = best.score >= threshold and best.strong
    else:
        covered = max(w.fuzzy for w in windows) >= rules.generic_fuzzy
    evidence = [_evidence(index.segments[w.center]) for w in windows[:rules.evidence]]
    return topic, TopicCoverage(
        title=topic.title, covered=covered, score=round(best.score if best else 0.0, 4),
        evidence=evidence, source=dict(topic.source)), terms


def _take_translation(result: TopicCoverage, other: TopicCoverage) -> None:
    """Fold the score of a topic's title in the other language into the topic's own: the
    better one counts, with its evidence (a Chinese syllabus over English slides)."""
    if result.covered or not (other.covered or other.score > result.score):
        return
    result.covered = other.covered
    result.score = other.score
    result.evidence = [dict(e, match="translation", via=other.title) for e in other.evidence]


def _entry_terms(entries: list[GlossaryEntry], rules: CoverageRules) -> dict[int, dict[Term, str]]:
    """Per entry (by ``id``), its terms as looked up, each with the term as written."""
    out: dict[int, dict[Term, str]] = {}
    for entry in entries:
        by_term = out.setdefault(id(entry), {})
        for text in entry.all_terms():
            term = term_of_phrase(text, rules.stemmer)
            if term is not None:
                by_term.setdefault(term, text)
    return out


def _glossary_evidence(result: TopicCoverage, entries: list[GlossaryEntry], rest: list[Term],
                       entry_terms: dict[int, dict[Term, str]], index: ContentIndex,
                       rules: CoverageRules) -> None:
    """Cover a topic whose glossary entries are taught in other words.

    An entry is taught where one teaching window (the segment and its neighbours) holds
    ``min_terms`` distinct terms of it; the topic is covered when at least
    ``entries_share`` of the entries its title names are (rounded up, at least one).
    What the title says besides the names (``rest``: *Evolutionary* game theory) must be
    said somewhere in the teaching: the terms of 博弈论 say nothing of *evolutionary*
    (while *TCP* of TCP拥塞控制 may well be said slides away).  The windows that
    teach them become its evidence, marked ``match: glossary`` with the terms they hold."""
    if not all(index.postings.get(t) for t in rest):
        return
    want = rules.glossary.min_terms
    found: list[tuple[int, int, list[str]]] = []  # (distinct terms, center, terms) per taught entry
    for entry in entries:
        postings = [(text, index.postings[t]) for t, text in entry_terms[id(entry)].items()
                    if index.postings.get(t)]
        if len(postings) < want:
            continue
        best: tuple[int, int, list[str]] | None = None
        centers = sorted({seg for _, plist in postings for seg in plist[:GLOSSARY_CENTERS]})
        for center in centers:
            lo, hi = index.window(center)
            present = [text for text, plist in postings if _posting_in(plist, lo, hi)]
            if len(present) >= want and (best is None or len(present) > best[0]):
                best = (len(present), center, present)
        if best is not None:
            found.append(best)
    need = max(1, math.ceil(rules.glossary.entries_share * len(entries) - 1e-9))
    if len(found) < need:
        return
    result.covered = True
    found.sort(key=lambda f: (-f[0], f[1]))
    result.evidence = ([dict(_evidence(index.segments[center]), match="glossary", terms=terms)
                        for _, center, terms in found] + result.evidence)[: rules.evidence]


def _mostly_cjk(index: ContentIndex, sample: int = 2000) -> bool:
    """Whether the teaching is mostly Chinese (up to ``sample`` segments spread over it)."""
    return mostly_cjk(seg.text for seg in index.segments[::max(1, index.size // sample)])


def _own_words(text: str, rules: CoverageRules) -> list[Term]:
    """The non-generic key terms of what a title says besides its glossary names."""
    return list(dict.fromkeys(term for low, term in _content_terms(text, rules)
                              if not _is_generic(low, term, rules)))


#: Segments per glossary term that open a window to look in (a term said in thousands of
#: cues is looked for around the first ones only; a course that teaches it says the
#: others near them).
GLOSSARY_CENTERS = 400


def _add_semantic(results: list[tuple[Topic, TopicCoverage, list[KeyTerm]]],
                  index: ContentIndex, rules: CoverageRules, threshold: float) -> None:
    """Topics taught in other words (:mod:`reviewer.checks.coverage_semantic`); the
    evidence of a topic still uncovered is marked ``nearest_miss``.

    A topic of generic words only has a lexical score that says nothing (系统设计 in
    这个系统很复杂 … 界面设计): it counts as 0.  A ``coverage_threshold`` option scales the
    semantic bars by its ratio to the rule file's threshold."""
    from reviewer.checks import coverage_semantic

    lexical = [(r.covered, r.score if any(not k.generic for k in terms) else 0.0)
               for _, r, terms in results]
    decided = coverage_semantic.assess(
        [t for t, _, _ in results], lexical, index, rules.semantic, rules.evidence,
        scale=threshold / rules.threshold if rules.threshold > 0 else 1.0)
    for (_, result, _), sem in zip(results, decided):
        if sem is not None:
            near = [dict(_evidence(index.segments[seg]), similarity=sim, match="semantic")
                    for sim, seg in sem.best]
            if sem.covered:
                result.covered = True
                result.evidence = near + result.evidence[: max(0, rules.evidence - len(near))]
            else:
                seen = {(e["file"], str(e["location"])) for e in near}
                result.evidence = (near + [e for e in result.evidence
                                           if (e["file"], str(e["location"])) not in seen]
                                   )[: rules.evidence]
        if not result.covered:
            for item in result.evidence:
                item["nearest_miss"] = True


#: Chinese terms at least this long that the content never uses are split into their parts.
COMPOUND_MIN = 4


def _split_absent_compounds(terms: list[tuple[Term, bool, bool, bool]], index: ContentIndex,
                            rules: CoverageRules):
    """分布式文件系统 never said, but 分布式 … 文件 … 系统 are: look for the parts instead.

    jieba keeps dictionary compounds whole, and lectures often say them in
    pieces (分布式的文件系统).  The parts come from jieba's search mode; a part counts only together with all the others (see
    :class:`Compound`), so 网络安全 is not found in 网络 … 安全状态 … elsewhere.

    Returns ``(terms, compounds)``: terms as ``(term, generic, keyword,
    described, own)`` — ``own`` false for a part that only counts in its
    compound — and compounds as ``(whole, generic, keyword, described, parts)``.
    """
    out: list[tuple[Term, bool, bool, bool, bool]] = []
    groups: list[tuple[Term, bool, bool, bool, list[Term]]] = []
    present = {t for t, *_ in terms}
    added: set[Term] = set()
    for term, generic, keyword, described in terms:
        if term.latin or len(term.key) < COMPOUND_MIN or index.postings.get(term):
            out.append((term, generic, keyword, described, True))
            continue
        parts = [p for p in _search_parts(term.key) if p != term.key and len(p) >= 2]
        parts = [p for p in parts if not any(p != q and p in q for q in parts)]  # the longest
        if len(parts) < 2:
            out.append((term, generic, keyword, described, True))
            continue
        members = [Term(p, False) for p in parts]
        groups.append((term, generic, keyword, described, members))
        for sub in members:
            if sub not in present and sub not in added:
                added.add(sub)
                out.append((sub, sub.key in rules.generic, keyword, described, False))
    return out, groups


def _search_parts(word: str) -> list[str]:
    """jieba's search-mode parts of ``word`` (``jieba.cut_for_search``: each word of its
    cut, preceded by its dictionary 2- and 3-grams), from the dictionary in its fast form
    (:mod:`reviewer.checks.wordfreq`) instead of loading jieba's."""
    from reviewer.checks.coverage_text import tokens
    from reviewer.checks.wordfreq import base

    freq = base()
    out: list[str] = []
    for token in tokens(word):
        for n in (2, 3):
            if len(token) > n:
                out += [token[i:i + n] for i in range(len(token) - n + 1)
                        if freq.get(token[i:i + n])]
        out.append(token)
    return list(dict.fromkeys(out))


def _evidence(segment: Segment) -> dict[str, Any]:
    text = " ".join(segment.text.split())
    return {"file": segment.file, "location": segment.locator.to_dict(),
            "text": text[:200] + ("…" if len(text) > 200 else "")}


# ------------------------------------------------------------------ hours

def _num(value: Any) -> float | None:
    """A positive, finite number from a manifest value (``.inf`` or "nan" is none)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError):  # OverflowError: an int too large for a float
        return None
    return number if math.isfinite(number) and number > 0 else None


def _option(ctx: CheckContext, name: str, default: float) -> float:
    """A finite number from the check options, else ``default``."""
    try:
        value = float(ctx.options.get(name, default))
    except (TypeError, ValueError, OverflowError):
        return default
    return value if math.isfinite(value) else default


def declared_class_hours(manifest: dict[str, Any] | None, rules: HoursRules) -> float | None:
    """Class hours (学时) from ``hours``, else from ``credit_hours`` (credits when small)."""
    manifest = manifest or {}
    hours = _num(manifest.get("hours"))
    if hours is not None:
        return hours
    credit = _num(manifest.get("credit_hours"))
    if credit is None:
        return None
    return credit * rules.class_hours_per_credit if credit <= rules.credits_max else credit


def hours_findings(ctx: CheckContext, rules: CoverageRules) -> list[Finding]:
    """Declared class hours that the transcripts' total duration can't support."""
    package = ctx.package
    hours = declared_class_hours(package.manifest, rules.hours)
    transcripts = [f for f in package.files if f.role == "transcript" and f.status == "ok"]
    if hours is None or not transcripts:
        return []
    manifest_file = next((f.path for f in package.files if f.role == "manifest"), None)
    total_ms = sum(f.duration_ms for f in transcripts)
    if total_ms <= 0:
        msg = rules.messages["hours_unknown"]
        return [file_finding(manifest_file, check=CHECK, rule="hours-unknown",
                             category=rules.category, severity="info", message=dict(msg),
                             match=f"{hours:g}", extra={"class_hours": hours})]
    ratio = _option(ctx, "hours_min_ratio", rules.hours.min_ratio)
    need_min = hours * rules.hours.minutes_per_class_hour
    have_min = total_ms / 60_000
    if have_min >= ratio * need_min:
        return []
    values = {"hours": hours, "need_min": need_min, "have_min": have_min, "ratio": ratio}
    message = {k: v.format(**values) for k, v in rules.messages["hours"].items()}
    return [file_finding(manifest_file, check=CHECK, rule="hours-unsupported",
                         category=rules.category, severity=rules.hours.severity,
                         message=message, match=f"{hours:g}",
                         extra={"class_hours": hours, "declared_minutes": round(need_min, 1),
                                "transcript_minutes": round(have_min, 1), "min_ratio": ratio})]


# ------------------------------------------------------------------ the check

def _uncovered_finding(topic: Topic, result: TopicCoverage, terms: list[KeyTerm],
                       rules: CoverageRules, threshold: float, package: Package) -> Finding:
    values = {"title": topic.title, "score": result.score, "threshold": threshold}
    message = {k: v.format(**values) for k, v in rules.messages["uncovered"].items()}
    extra = {"score": result.score, "terms": [k.term.key for k in terms],
             "evidence": result.evidence[:1]}
    if topic.segment is not None:
        return finding_at(topic.segment, topic.start, topic.end, check=CHECK,
                          rule="topic-uncovered", category=rules.category, severity="warning",
                          message=message, extra=extra)
    manifest_file = next((f.path for f in package.files if f.role == "manifest"), None)
    return file_finding(manifest_file, check=CHECK, rule="topic-uncovered",
                        category=rules.category, severity="warning", message=message,
                        match=topic.title, extra=dict(extra, **topic.source))


def topics_of(package: Package, rules: CoverageRules) -> list[Topic]:
    """Manifest topics when present, else those extracted from the syllabus."""
    return manifest_topics(package.manifest) or syllabus_topics(package, rules.topics)


@register(CHECK)
def check_coverage(ctx: CheckContext) -> CheckResult:
    """Per-topic coverage of the syllabus by transcripts and slides; declared hours."""
    rulesets = [r for r in ctx.rules.get("coverage", []) if isinstance(r, CoverageRules)]
    if not rulesets:
        return CheckResult()
    rules = rulesets[-1]  # a later (institution's) coverage file overrides the shipped one
    package = ctx.package
    findings = hours_findings(ctx, rules)
    topics = topics_of(package, rules)
    if not topics:
        syllabus = next((f.path for f in package.files
                         if f.role == "syllabus" and f.status == "ok"), None)
        if syllabus is not None:
            findings.append(file_finding(
                syllabus, check=CHECK, rule="no-topics", category=rules.category,
                severity="info", message=dict(rules.messages["no_topics"])))
        return CheckResult(findings)
    threshold = _option(ctx, "coverage_threshold", rules.threshold)
    index = ContentIndex(package, rules)
    report = CoverageReport()
    glossaries = {g.id: g for g in ctx.rules.get("glossary", []) if isinstance(g, Glossary)}
    names = Names(list(glossaries.values())) if glossaries else None
    for topic, result, terms in assess(topics, index, rules, threshold, names):
        report.topics.append(result)
        if not result.covered:
            findings.append(_uncovered_finding(topic, result, terms, rules, threshold, package))
    return CheckResult(findings, coverage=report)
