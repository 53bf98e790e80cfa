"""The lexicon engine (room: checks): a compiled ``terms`` rule file (:class:`Lexicon`)
and one scan of a batch of segments — candidates from one Aho-Corasick automaton and
the file's regular expressions, then the validators (allow-lists, noise gaps, Latin
and Chinese word boundaries, longer matches) and the context rules.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from reviewer.checks.normalize import (
    SEPARATOR,
    Normalized,
    NormalizeOptions,
    char_class,
    normalizer,
)
from reviewer.ingest.model import Msg, Segment
from reviewer.checks.lexicon.model import (
    ContextRule,
    DEFAULT_MAX_GAP,
    Hit,
    INFLECTIONS,
    LURE_MARGIN,
    PatternEntry,
    SEGMENT_WINDOW,
    SEVERITY_RANK,
    TermEntry,
    TextBatch,
    _TERM_FIELDS,
)
from reviewer.checks.lexicon.segmenter import _Segmenter


class Lexicon:
    """A compiled ``terms`` rule file (picklable; the automaton is rebuilt lazily)."""

    def __init__(self, *, id: str, source: str, name: Msg, category: str, severity: str,
                 message: Msg, check: str = "lexicon", version: str | None = None,
                 description: Msg | None = None, starter: bool = False,
                 options: NormalizeOptions | None = None, max_gap: int = DEFAULT_MAX_GAP,
                 terms: list[TermEntry] | None = None, patterns: list[PatternEntry] | None = None,
                 allow: list[str] | None = None, term_allows: dict[int, list[str]] | None = None,
                 context: list[ContextRule] | None = None, lures: list[tuple[str, int]] | None = None,
                 segmenter_mode: str = "suggest"):
        self.id, self.source, self.name = id, source, name
        self.category, self.severity, self.message = category, severity, message
        self.check, self.version, self.description = check, version, description or {}
        self.starter = starter
        self.options = options or NormalizeOptions()
        self.max_gap = max_gap
        self.terms = terms or []
        self.patterns = patterns or []
        self.context = context or []
        self.segmenter_mode = segmenter_mode
        self.tests: dict[str, list[tuple[Any, int | None]]] = {"match": [], "no_match": []}
        # Automaton keys and their roles.
        self.keys: list[str] = []
        self.key_term: list[int] = []  # term index or -1
        self.key_allow: list[tuple[int, ...]] = []  # owners: term index, or -1 for the file
        self.key_lure: list[tuple[int, ...]] = []  # context rule indexes
        self._build_keys(allow or [], term_allows or {}, lures or [])
        self._automaton = None
        self._segmenter: _Segmenter | None = None

    # -- building ------------------------------------------------------------
    def _build_keys(self, allow: list[str], term_allows: dict[int, list[str]],
                    lures: list[tuple[str, int]]) -> None:
        index: dict[str, int] = {}

        def key(text: str) -> int:
            k = index.get(text)
            if k is None:
                k = index[text] = len(self.keys)
                self.keys.append(text)
                self.key_term.append(-1)
                self.key_allow.append(())
                self.key_lure.append(())
            return k

        for i, entry in enumerate(self.terms):
            k = key(entry.norm)
            if self.key_term[k] == -1:  # the first of several terms that normalise alike wins
                self.key_term[k] = i
        for phrase in allow:
            k = key(phrase)
            self.key_allow[k] += (-1,)
        for i, phrases in term_allows.items():
            for phrase in phrases:
                k = key(phrase)
                self.key_allow[k] += (i,)
        for phrase, rule in lures:
            k = key(phrase)
            self.key_lure[k] += (rule,)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_automaton"] = None
        state["_segmenter"] = None
        # Plain tuples pickle several times faster than 50,000 slotted objects.
        state["terms"] = [tuple(getattr(t, f) for f in _TERM_FIELDS) for t in self.terms]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["terms"] = [TermEntry(*t) for t in state["terms"]]
        self.__dict__.update(state)

    @property
    def automaton(self):
        if self._automaton is None and self.keys:
            self._automaton = _overlapping_automaton(self.keys)
        return self._automaton

    def segmenter(self) -> _Segmenter:
        if self._segmenter is None:
            self._segmenter = _Segmenter(self.segmenter_mode)
        return self._segmenter

    def _fast_folds(self):
        """The two forms the segmenter sees, as bound methods of cached normalizers:
        text folded (same length, digits and noise left as they are) and a term as a
        word of the segmenter's dictionary (folded, noise removed, digits kept)."""
        return (normalizer(replace(self.options, digits=False, noise=False)).fold,
                normalizer(replace(self.options, digits=False)).strip)

    def __repr__(self) -> str:
        return f"<Lexicon {self.id} terms={len(self.terms)} patterns={len(self.patterns)}>"

    # -- matching ------------------------------------------------------------
    def find(self, batch: TextBatch | Sequence[Segment]) -> list[Hit]:
        """Every validated hit of this rule file in ``batch``, in text order."""
        if not isinstance(batch, TextBatch):
            batch = TextBatch(batch)
        if not batch.segments:
            return []
        state = _ScanState(self, batch)
        self._scan_terms(state)
        self._scan_patterns(state)
        hits = state.resolve()
        return hits

    def _scan_terms(self, state: "_ScanState") -> None:
        if not self.keys:
            return
        norm = state.batch.normalized(self.options)
        raw = state.batch.term_matches.get(id(self))  # found with other rule files' terms
        if raw is None:
            raw = self.automaton.find_matches_as_indexes(norm.text, overlapping=True)
        if not raw:
            return
        arr = np.asarray(raw, dtype=np.int64)
        keys, nstart, nend = arr[:, 0], arr[:, 1], arr[:, 2]
        ostart = norm.index[nstart]
        oend = norm.index[nend - 1] + 1
        segs = state.batch.locate_many(ostart)
        starts = state.batch.starts
        key_term, key_allow, key_lure = self.key_term, self.key_allow, self.key_lure
        folded = None
        for k, ns, ne, s, e, si in zip(keys.tolist(), nstart.tolist(), nend.tolist(),
                                       ostart.tolist(), oend.tolist(), segs.tolist()):
            base = starts[si]
            # An allow-list phrase stands only as written: 保过！期末 is not 保过期 once the
            # noise is dropped (it would excuse the advert it sits in). Spaces between
            # words may vary; anything else dropped in between voids the allowance.
            if key_allow[k]:
                as_written = (e - s) == (ne - ns)
                if not as_written:
                    if folded is None:
                        folded = state.batch.folded(self.options)
                    as_written = len("".join(folded[s:e].split())) == ne - ns
                if as_written:
                    state.allows[si].append((s - base, e - base, key_allow[k]))
            if key_lure[k]:
                state.lures[si].append((s - base, e - base, key_lure[k]))
            t = key_term[k]
            if t >= 0:
                gappy = (e - s) != (ne - ns)
                if gappy and not self._gaps_ok(norm, ns, ne):
                    continue
                state.candidates.append((si, s - base, e - base, t, gappy))

    def _gaps_ok(self, norm: Normalized, ns: int, ne: int) -> bool:
        idx = norm.index[ns:ne]
        return int(np.max(np.diff(idx))) - 1 <= self.max_gap

    def _scan_patterns(self, state: "_ScanState") -> None:
        if not self.patterns:
            return
        folded = state.batch.folded(self.options)
        gate = state.batch.gate(self.options)
        starts = state.batch.starts
        for pi, entry in enumerate(self.patterns):
            if not gate.may_match(entry.regex.pattern, entry.regex.flags):
                continue  # a piece of text every match holds is absent
            for m in entry.regex.finditer(folded):
                s, e = m.span()
                if e <= s or SEPARATOR in m.group():
                    continue
                si = state.batch.locate(s)
                state.pattern_hits.append((si, s - starts[si], e - starts[si], pi))


class SharedTerms:
    """One Aho-Corasick automaton over the terms of every lexicon that normalises alike:
    a batch is searched once per option set instead of once per rule file (nine passes
    over the large course's 2 M characters took 0.13 s, one takes 0.02).  Overlapping
    search reports every occurrence of every key, ordered by where it ends and, at one
    end, longest first, so each lexicon's share of the matches, renumbered, is the list
    its own automaton gives (``tests/checks/test_lexicon_engine.py``)."""

    def __init__(self, lexicons: Iterable[Lexicon]):
        by_options: dict[NormalizeOptions, list[Lexicon]] = defaultdict(list)
        for lex in lexicons:
            if lex.keys:
                by_options[lex.options].append(lex)
        self.groups = [_SharedGroup(options, group) for options, group in by_options.items()
                       if len(group) > 1]

    def scan(self, batch: TextBatch) -> None:
        """Fill ``batch.term_matches`` for every lexicon of a shared group."""
        for group in self.groups:
            shares: list[list[tuple[int, int, int]]] = [[] for _ in group.lexicons]
            for g, start, end in group.automaton().find_matches_as_indexes(
                    batch.normalized(group.options).text, overlapping=True):
                for li, k in group.owners[g]:
                    shares[li].append((k, start, end))
            for lex, share in zip(group.lexicons, shares):
                batch.term_matches[id(lex)] = share


class _SharedGroup:
    """Lexicons of one option set, their keys merged (each merged key → its owners)."""

    def __init__(self, options: NormalizeOptions, lexicons: list[Lexicon]):
        self.options, self.lexicons = options, lexicons
        self.keys: list[str] = []
        self.owners: list[list[tuple[int, int]]] = []  # (lexicon, its own key number)
        index: dict[str, int] = {}
        for li, lex in enumerate(lexicons):
            for k, key in enumerate(lex.keys):
                g = index.get(key)
                if g is None:
                    g = index[key] = len(self.keys)
                    self.keys.append(key)
                    self.owners.append([])
                self.owners[g].append((li, k))
        self._automaton: Any = None

    def automaton(self) -> Any:
        if self._automaton is None:
            self._automaton = _overlapping_automaton(self.keys)
        return self._automaton


def _overlapping_automaton(keys: list[str]) -> Any:
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MATCHKIND_STANDARD,
                                      implementation=ahocorasick_rs.Implementation.ContiguousNFA)


class _ScanState:
    """Candidates of one scan and the validation that turns them into hits."""

    def __init__(self, lexicon: Lexicon, batch: TextBatch):
        self.lex = lexicon
        self.batch = batch
        self.candidates: list[tuple[int, int, int, int, bool]] = []  # seg, start, end, term, gappy
        self.pattern_hits: list[tuple[int, int, int, int]] = []
        self.allows: dict[int, list[tuple[int, int, tuple[int, ...]]]] = defaultdict(list)
        self.lures: dict[int, list[tuple[int, int, tuple[int, ...]]]] = defaultdict(list)
        self._boundaries: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        self._folded: dict[int, str] = {}
        self._plain: dict[int, str] = {}
        self._segmenter_fed: set[int] = set()
        self._jieba_fold, self._segment_form = lexicon._fast_folds()
        self._plain_options = replace(lexicon.options, digits=False, noise=False)
        self._words_by_seg: dict[int, set[str]] | None = None
        self._near: dict[tuple[str, int], _Spans] = {}

    # -- helpers ---------------------------------------------------------------
    def _spans(self, kind: str, si: int) -> "_Spans":
        """Segment ``si``'s allow-list phrases (``kind`` "allows") or lures ("lures"),
        complete once the scan is done, indexed by position: a page repeating a term
        must not compare every candidate with every phrase."""
        spans = self._near.get((kind, si))
        if spans is None:
            spans = self._near[(kind, si)] = _Spans(getattr(self, kind).get(si, ()))
        return spans

    def _slice(self, options: NormalizeOptions, si: int) -> str:
        """Segment ``si`` cut from the batch folded once for ``options`` (a stream of cues
        can be long: folding it again per rule file would cost more than the scan)."""
        start = self.batch.starts[si]
        return self.batch.folded(options)[start:start + len(self.batch.segments[si].text)]

    def folded(self, si: int) -> str:
        """The segment's text, folded (same length) — for neighbours and lure patterns."""
        if si not in self._folded:
            self._folded[si] = self._slice(self.lex.options, si)
        return self._folded[si]

    def allowed(self, si: int, s: int, e: int, owner: int) -> bool:
        for a, b, owners in self._spans("allows", si).overlapping(e - 1, s + 1):
            if a <= s and e <= b and (owner in owners or -1 in owners):
                return True
        return False

    def latin_spacing_ok(self, si: int, s: int, e: int, entry: TermEntry) -> bool:
        """Noise with whitespace inside a Latin match: only at the term's own spaces,
        or letter-spaced evasion (``f u c k``)."""
        text = self.batch.segments[si].text[s:e]
        noise = normalizer(self.lex.options)
        pieces: list[str] = []
        breaks: list[int] = []
        current, pos, spaced = "", 0, False
        for ch in text:
            if noise.is_noise(ch):
                if ch.isspace():
                    spaced = True
                continue
            if spaced and current:
                pieces.append(current)
                breaks.append(pos)
                current = ""
            spaced = False
            current += ch
            pos += 1
        pieces.append(current)
        if len(pieces) == 1:
            return True
        lettered = [p for p in pieces if any(c.isalpha() for c in p)]
        if lettered and all(len(p) == 1 for p in lettered):
            return True
        return set(breaks) <= entry.breaks

    def segment_words(self, si: int) -> set[str]:
        """The rule file's words present in segment ``si`` (its candidates and lures),
        in the form the segmenter sees."""
        if self._words_by_seg is None:
            self._words_by_seg = defaultdict(set)
            form = self._segment_form
            for seg, _, _, t, _ in self.candidates:
                self._words_by_seg[seg].add(form(self.lex.terms[t].term))
            for seg, spans in self.lures.items():
                text = self.batch.segments[seg].text
                for a, b, _ in spans:
                    self._words_by_seg[seg].add(form(text[a:b]))
        return self._words_by_seg.get(si, set())

    def cjk_edge_ok(self, si: int, s: int, e: int, at_start: bool) -> bool:
        text = self.batch.segments[si].text
        if len(text) <= 4 * SEGMENT_WINDOW:
            lo, hi = 0, len(text)
        else:
            lo, hi = max(0, s - SEGMENT_WINDOW), min(len(text), e + SEGMENT_WINDOW)
        key = (si, lo, hi)
        words = self._boundaries.get(key)
        if words is None:
            segmenter = self.lex.segmenter()
            if si not in self._segmenter_fed:
                segmenter.add(self.segment_words(si))
                self._segmenter_fed.add(si)
            window = self._jieba_fold(text[lo:hi])
            words = [(lo + a, lo + b) for a, b in segmenter.straddlers(window)]
            self._boundaries[key] = words
        pos = s if at_start else e
        return not any(a < pos < b for a, b in words)

    def plain(self, si: int) -> str:
        """The segment folded without digit folding: 一 stays a Han character here."""
        if si not in self._plain:
            self._plain[si] = self._slice(self._plain_options, si)
        return self._plain[si]

    def edge_ok(self, si: int, s: int, e: int, entry: TermEntry, left: bool) -> tuple[bool, int]:
        """Check one edge of a candidate; returns (ok, end — extended over an inflection)."""
        text = self.plain(si)
        cls = char_class(text[s] if left else text[e - 1])
        if cls in ("latin", "digit"):
            if entry.latin == "none":
                return True, e
            if left:
                return not (s > 0 and char_class(text[s - 1]) in ("latin", "digit")), e
            if e < len(text) and char_class(text[e]) in ("latin", "digit"):
                if entry.latin == "inflected" and cls == "latin":
                    j = e
                    while j < len(text) and char_class(text[j]) == "latin":
                        j += 1
                    if text[e:j].lower() in INFLECTIONS and (
                            j >= len(text) or char_class(text[j]) != "digit"):
                        return True, j
                return False, e
            return True, e
        if cls == "cjkdigit":  # 一九六四 is one number: 六四 is not a word inside it
            neighbour = (text[s - 1] if s > 0 else "") if left else \
                (text[e] if e < len(text) else "")
            if neighbour and char_class(neighbour) == "cjkdigit":
                return False, e
        if cls in ("han", "cjkdigit") and entry.cjk == "segment":
            return self.cjk_edge_ok(si, s, e, left), e
        return True, e

    # -- resolution -------------------------------------------------------------
    def resolve(self) -> list[Hit]:
        lex = self.lex
        by_seg: dict[int, list[Hit]] = defaultdict(list)
        for si, s, e, t, gappy in self.candidates:
            entry = lex.terms[t]
            if self.allowed(si, s, e, t):
                continue
            if gappy and any(c.isascii() and c.isalpha() for c in entry.norm) and \
                    not self.latin_spacing_ok(si, s, e, entry):
                continue
            ok, _ = self.edge_ok(si, s, e, entry, left=True)
            if not ok:
                continue
            ok, e2 = self.edge_ok(si, s, e, entry, left=False)
            if not ok:
                continue
            by_seg[si].append(Hit(self.batch.segments[si], s, e2, entry.severity,
                                  entry.category, entry.term, entry))
        for si, s, e, pi in self.pattern_hits:
            entry = lex.patterns[pi]
            if self.allowed(si, s, e, -2 - pi):
                continue
            by_seg[si].append(Hit(self.batch.segments[si], s, e, entry.severity,
                                  entry.category, entry.name, entry))
        out: list[Hit] = []
        for si in sorted(by_seg):
            hits = _drop_contained(by_seg[si])
            for k, hit in enumerate(hits):
                hit.severity, raised = self.context_severity(si, hits, k)
                if raised or not getattr(hit.entry, "needs_context", False):
                    out.append(hit)
        return out

    def context_severity(self, si: int, hits: list[Hit], k: int) -> tuple[str, bool]:
        """The severity of ``hits[k]`` after the file's context rules, and whether a
        ``raise_to`` rule that names its term fired."""
        lex = self.lex
        hit = hits[k]
        severity = hit.severity
        norm_term = hit.entry.norm if isinstance(hit.entry, TermEntry) else None
        rules = [(i, r) for i, r in enumerate(lex.context)
                 if r.terms is None or (norm_term is not None and norm_term in r.terms)]
        for i, rule in rules:
            if rule.action != "lower" or SEVERITY_RANK[severity] <= SEVERITY_RANK[rule.severity]:
                continue
            if (rule.when_alone and self.alone(si, hits, k, rule.window)) or \
                    self.lure_near(si, hit, i, rule):
                severity = rule.severity
        raised = False  # by a rule naming the term: what a needs_context term waits for
        for i, rule in rules:
            if rule.action == "raise" and self.lure_near(si, hit, i, rule):
                raised = raised or rule.terms is not None
                if SEVERITY_RANK[severity] < SEVERITY_RANK[rule.severity]:
                    severity = rule.severity
        return severity, raised

    def lure_near(self, si: int, hit: Hit, rule_index: int, rule: ContextRule) -> bool:
        lo, hi = hit.start - rule.window, hit.end + rule.window
        for a, b, rules in self._spans("lures", si).overlapping(lo, hi):
            if rule_index in rules and b > lo and a < hi and not (hit.start <= a and b <= hit.end):
                return True
        if rule.near_patterns:
            # A lure counts when it reaches into the window; search a margin around it so
            # a phone number that starts inside the window is seen whole.
            folded = self.folded(si)
            wlo = max(0, lo - LURE_MARGIN)
            window = folded[wlo:max(wlo, hi + LURE_MARGIN)]
            for regex in rule.near_patterns:
                for m in regex.finditer(window):
                    a, b = wlo + m.start(), wlo + m.end()
                    if b > a and b > lo and a < hi and not (hit.start <= a and b <= hit.end):
                        return True
        return False

    def alone(self, si: int, hits: list[Hit], k: int, window: int) -> bool:
        """``hits[k]`` has no lure and no other hit within ``window``.  ``hits`` come from
        :func:`_drop_contained`: starts and ends both increase, so only the neighbours
        can reach into the window."""
        hit = hits[k]
        lo, hi = hit.start - window, hit.end + window
        for i, rule in enumerate(self.lex.context):
            if rule.action == "raise" and self.lure_near(si, hit, i, replace(rule, window=window)):
                return False
        return not ((k > 0 and hits[k - 1].end > lo)
                    or (k + 1 < len(hits) and hits[k + 1].start < hi))


class _Spans:
    """Spans ``(start, end, owners)`` of one segment sorted by start."""

    __slots__ = ("spans", "starts", "longest")

    def __init__(self, spans: Iterable[tuple[int, int, tuple[int, ...]]]):
        self.spans = sorted(spans)
        self.starts = [a for a, _, _ in self.spans]
        self.longest = max((b - a for a, b, _ in self.spans), default=0)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int, tuple[int, ...]]]:
        """A superset of the spans with ``end > lo`` and ``start < hi`` (few besides them)."""
        i = bisect.bisect_right(self.starts, lo - self.longest)
        return self.spans[i:bisect.bisect_left(self.starts, hi)]


def _drop_contained(hits: list[Hit]) -> list[Hit]:
    """Sort by position; a hit strictly inside a longer hit of the same file gives way."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    # Every earlier hit starts at or before this one, so it lies inside one of them (or
    # has the same span) exactly when one of them ends at or after it: one running
    # maximum instead of comparing each hit with every kept one (a page repeating a
    # term thousands of times made that quadratic).
    out: list[Hit] = []
    reach = -1
    for hit in hits:
        if hit.end <= reach:
            continue
        out.append(hit)
        reach = hit.end
    return out
