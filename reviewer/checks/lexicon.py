"""The lexicon check: terms and patterns from rule files, matched against evasion (room: checks).

Pipeline, per rule file (a compiled :class:`Lexicon`):

1. All segments are joined into one string (:class:`TextBatch`, segments
   separated by :data:`~reviewer.checks.normalize.SEPARATOR`) and normalised
   once per set of normalisation switches (:mod:`reviewer.checks.normalize`):
   folding and noise removal, with an index back to the original offsets.
2. One Aho-Corasick automaton (ahocorasick-rs, overlapping matches) holds the
   file's terms, its allow-list phrases and its context lures; one scan finds
   them all.  Regular-expression ``patterns`` run over the folded text.
3. Validators decide which candidates stand: allow-lists (per term and per
   file), the noise gap between a term's characters, Latin whole-word
   boundaries, Chinese word boundaries from the jieba segmentation (with the
   file's terms added to a private view of jieba's dictionary), and, among
   the survivors, a term inside a longer match of the same file gives way.
4. Context rules raise (a contact lure nearby) or lower (a bare term) the
   severity; findings report the original text and its exact span.

:func:`check_lexicon` is the registered check: it runs every compiled rule
set in ``ctx.rules["terms"]`` and emits findings with the check name of each
file (``lexicon`` or ``outdated``).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from reviewer.checks.model import (
    CheckContext,
    CheckResult,
    Finding,
    finding_at,
    finding_id,
    snippet,
)
from reviewer.checks.normalize import (
    SEPARATOR,
    Normalized,
    NormalizeOptions,
    char_class,
    normalizer,
)
from reviewer.checks.registry import register
from reviewer.checks.rulefile import RuleFileError, line_of, register_kind, validate_schema
from reviewer.ingest.model import Locator, Msg, Segment

#: Bumped when the compiled form changes (part of the on-disk cache key).
COMPILED_FORMAT = 4

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
DEFAULT_WINDOW = 20
DEFAULT_MAX_GAP = 8
#: Characters searched beyond a context window so a lure pattern reaching into it is whole.
LURE_MARGIN = 40
#: Characters of context each side of a Chinese candidate given to the segmenter.
SEGMENT_WINDOW = 12
#: English inflections accepted after a term with ``boundary.latin: inflected``.
#: A term straddling a token only counts as innocent when that token is a real word:
#: ad copy makes jieba produce junk tokens such as 信包 (frequency 3) in 加微信包过.
STRADDLE_MIN_FREQ = 20
#: Frequency given to lexicon terms in segmenter mode ``boost`` (measured, not the default).
BOOST_FREQ = 1000
INFLECTIONS = frozenset({"s", "es", "ed", "d", "ing", "in", "er", "ers", "ings", "y"})
#: Cues further apart than this are not one utterance (see :func:`run_on`).
RUN_ON_MAX_GAP_MS = 3000


_NO_MSG: Msg = {}  # shared (never mutated): pickles as one object for 50,000 terms


def _msg(value: Any) -> Msg:
    if value is None:
        return _NO_MSG
    if isinstance(value, str):
        return {"zh": value, "en": value}
    return {k: str(v) for k, v in value.items() if k in ("zh", "en")}


# -- compiled data ---------------------------------------------------------------


@dataclass(slots=True)
class TermEntry:
    """One term of a rule file, normalised."""

    term: str
    norm: str
    severity: str
    category: str
    latin: str = "word"  # word | inflected | none
    cjk: str = "segment"  # segment | none
    note: Msg = field(default_factory=dict)
    replacement: str | None = None
    since: str | None = None
    breaks: frozenset[int] = frozenset()  # normalised positions where the term has a space
    line: int | None = None
    needs_context: bool = False  # stands only where a raise_to rule fires (initials, pinyin)


_TERM_FIELDS = tuple(TermEntry.__dataclass_fields__)


@dataclass(slots=True)
class PatternEntry:
    """One regular expression of a rule file (matched on the folded text)."""

    pattern: str
    regex: re.Pattern
    name: str
    severity: str
    category: str
    note: Msg = field(default_factory=dict)
    line: int | None = None


@dataclass(slots=True)
class ContextRule:
    """``raise_to`` near a lure, or ``lower_to`` when the match stands alone."""

    action: str  # raise | lower
    severity: str
    window: int = DEFAULT_WINDOW
    near_patterns: tuple[re.Pattern, ...] = ()
    terms: frozenset[str] | None = None  # normalised terms it applies to (None: all)
    when_alone: bool = False  # lower rules: the match has no lure and no other term nearby


@dataclass(slots=True)
class Hit:
    """A validated match: where it is and what it means."""

    segment: Segment
    start: int
    end: int
    severity: str
    category: str
    term: str  # as written in the rule file (a pattern's name or text)
    entry: TermEntry | PatternEntry

    @property
    def text(self) -> str:
        return self.segment.text[self.start:self.end]


class TextBatch:
    """Segments joined for one scan, with their normalised forms cached per options."""

    def __init__(self, segments: Sequence[Segment]):
        self.segments = list(segments)
        starts, pos = [], 0
        for seg in self.segments:
            starts.append(pos)
            pos += len(seg.text) + 1
        self.starts = starts
        self._starts_np = np.asarray(starts, dtype=np.int64)
        self.text = SEPARATOR.join(seg.text for seg in self.segments)
        self._norm: dict[NormalizeOptions, Normalized] = {}
        self._fold: dict[NormalizeOptions, str] = {}

    def normalized(self, options: NormalizeOptions) -> Normalized:
        if options not in self._norm:
            self._norm[options] = normalizer(options).normalize(self.text)
        return self._norm[options]

    def folded(self, options: NormalizeOptions) -> str:
        if options not in self._fold:
            self._fold[options] = normalizer(options).fold_long(self.text)
        return self._fold[options]

    def locate(self, pos: int) -> int:
        """Index of the segment holding batch offset ``pos``."""
        return bisect.bisect_right(self.starts, pos) - 1

    def locate_many(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self._starts_np, positions, side="right") - 1


class _Segmenter:
    """Dictionary words of jieba's segmentation, with a rule file's terms added privately.

    spaCy's blank "zh" pipeline with ``segmenter="jieba"`` is ``jieba.cut``
    over jieba's global dictionary.  A term only straddles a *word*, so what
    matters here is where jieba's dictionary route puts its words: this class
    computes that route (jieba's own DAG and dynamic programme, the part of
    ``jieba.cut`` that places dictionary words; its HMM step only glues single
    characters into words that are not in the dictionary) over a private
    overlay of jieba's dictionary.  The global jieba state that spaCy and other
    checks use is never changed, and each rule file's result does not depend on
    which other files are loaded.

    Terms are added to the overlay lazily, when a window that contains them is
    segmented — the route over a window depends only on the dictionary words
    that occur in it, so this equals adding every term up front, without
    paying for 50,000 frequency suggestions.  A term's frequency is jieba's
    ``suggest_freq`` computed against the base dictionary (mode ``suggest``),
    at least :data:`BOOST_FREQ` (``boost``), or it is not added (``none``).
    """

    def __init__(self, mode: str = "suggest"):
        from reviewer.checks.wordfreq import base

        self._base = base()  # jieba's dictionary, in a form that loads in milliseconds
        self._total = self._base.total
        self._logtotal = math.log(self._total)
        self._extra: dict[str, int] = {}
        self.mode = mode

    def freq(self, word: str) -> int:
        return self._extra.get(word) or self._base.get(word) or 0

    def add(self, words: Iterable[str]) -> None:
        """Add ``words`` (already folded) to the private dictionary."""
        if self.mode == "none":
            return
        for word in words:
            if len(word) < 2 or word in self._extra:
                continue
            base = self._base.get(word) or 0
            if self.mode == "boost":
                freq = max(BOOST_FREQ, base)
            else:  # jieba's suggest_freq(word), against the base dictionary
                p = 1.0
                for token in self._tokens(word, base_only=True):
                    p *= (self._base.get(token) or 1) / self._total
                freq = max(int(p * self._total) + 1, base or 1)
            for i in range(1, len(word)):
                self._extra.setdefault(word[:i], self._base.get(word[:i]) or 0)
            self._extra[word] = freq

    def _tokens(self, block: str, base_only: bool = False) -> list[str]:
        """jieba's dictionary route over one block of Han/alphanumeric text."""
        base, extra = self._base, ({} if base_only else self._extra)
        n = len(block)
        dag: list[list[int]] = []
        for k in range(n):
            ends = []
            i = k
            frag = block[k]
            while i < n and (frag in extra or frag in base):
                if extra.get(frag) or base.get(frag):
                    ends.append(i)
                i += 1
                frag = block[k:i + 1]
            dag.append(ends or [k])
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        logtotal, log = self._logtotal, math.log
        for idx in range(n - 1, -1, -1):
            route[idx] = max((log(extra.get(block[idx:x + 1]) or base.get(block[idx:x + 1]) or 1)
                              - logtotal + route[x + 1][0], x) for x in dag[idx])
        out, x = [], 0
        while x < n:
            y = route[x][1] + 1
            out.append(block[x:y])
            x = y
        return out

    def straddlers(self, text: str) -> list[tuple[int, int]]:
        """Spans of the real words in ``text`` (dictionary frequency of at least
        :data:`STRADDLE_MIN_FREQ`): only those make a term straddling them innocent."""
        out = []
        for m in _JIEBA_BLOCK.finditer(text):
            pos = m.start()
            for token in self._tokens(m.group()):
                end = pos + len(token)
                if len(token) > 1 and self.freq(token) >= STRADDLE_MIN_FREQ:
                    out.append((pos, end))
                pos = end
        return out


# jieba's re_han_default: the blocks its dictionary route runs over.
_JIEBA_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+")


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
            import ahocorasick_rs

            self._automaton = ahocorasick_rs.AhoCorasick(
                self.keys, matchkind=ahocorasick_rs.MATCHKIND_STANDARD,
                implementation=ahocorasick_rs.Implementation.ContiguousNFA)
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
        automaton = self.automaton
        if automaton is None:
            return
        norm = state.batch.normalized(self.options)
        raw = automaton.find_matches_as_indexes(norm.text, overlapping=True)
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
        starts = state.batch.starts
        for pi, entry in enumerate(self.patterns):
            for m in entry.regex.finditer(folded):
                s, e = m.span()
                if e <= s or SEPARATOR in m.group():
                    continue
                si = state.batch.locate(s)
                state.pattern_hits.append((si, s - starts[si], e - starts[si], pi))


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


# -- parsing -------------------------------------------------------------------


def _compile_regex(pattern: str, source: str, line: int | None) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE)
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


# -- embedded tests ---------------------------------------------------------------


def example_segment(text: str) -> Segment:
    return Segment(file="<test>", ordinal=0, locator=Locator(line=1), text=text)


def run_embedded_tests(lexicon: Lexicon) -> list[str]:
    """Run the file's ``tests``; return one line per failing example (empty: all pass)."""
    failures: list[str] = []
    for example, line in lexicon.tests["match"]:
        spec = {"text": example} if isinstance(example, str) else example
        hits = lexicon.find([example_segment(spec["text"])])
        where = f"line {line}: " if line else ""
        if not hits:
            failures.append(f"{where}match {spec['text']!r}: found nothing")
            continue
        if spec.get("term") and not any(h.term == spec["term"] for h in hits):
            got = ", ".join(sorted({h.term for h in hits}))
            failures.append(f"{where}match {spec['text']!r}: expected term {spec['term']!r}, "
                            f"found {got}")
        if spec.get("severity") and not any(h.severity == spec["severity"] for h in hits):
            got = ", ".join(sorted({h.severity for h in hits}))
            failures.append(f"{where}match {spec['text']!r}: expected severity "
                            f"{spec['severity']}, got {got}")
    for example, line in lexicon.tests["no_match"]:
        hits = lexicon.find([example_segment(example)])
        if hits:
            where = f"line {line}: " if line else ""
            got = ", ".join(f"{h.text!r} ({h.term})" for h in hits)
            failures.append(f"{where}no_match {example!r}: matched {got}")
    return failures


# -- findings --------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(term|replacement|since|match)\}")


def _format(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template)


def hit_message(lexicon: Lexicon, hit: Hit) -> Msg:
    entry = hit.entry
    values = {"term": hit.term, "match": hit.text,
              "replacement": getattr(entry, "replacement", None) or "",
              "since": getattr(entry, "since", None) or ""}
    out: Msg = {}
    for lang in ("zh", "en"):
        base = lexicon.message.get(lang) or lexicon.message.get("zh") or \
            lexicon.message.get("en") or ""
        text = _format(base, values)
        note = entry.note.get(lang) or entry.note.get("zh") or entry.note.get("en")
        if note:
            text = f"{text}（{note}）" if lang == "zh" else f"{text} ({note})"
        out[lang] = text
    return out


def hits_to_findings(lexicon: Lexicon, hits: Iterable[Hit]) -> list[Finding]:
    """Findings for ``hits`` with occurrence numbers that keep their ids stable."""
    seen: dict[tuple[int, str], int] = defaultdict(int)
    out: list[Finding] = []
    for hit in hits:
        key = (id(hit.segment), hit.text)
        occurrence = seen[key]
        seen[key] += 1
        entry = hit.entry
        extra: dict[str, Any] = {"term": hit.term}
        if isinstance(entry, TermEntry):
            if entry.replacement:
                extra["replacement"] = entry.replacement
            if entry.since:
                extra["since"] = entry.since
        else:
            extra["pattern"] = entry.pattern
        if lexicon.starter:
            extra["starter"] = True
        out.append(finding_at(
            hit.segment, hit.start, hit.end, check=lexicon.check, rule=lexicon.id,
            category=hit.category, severity=hit.severity, message=hit_message(lexicon, hit),
            occurrence=occurrence, extra=extra))
    return out


class _Stream:
    """Cues (or lines) that run on, joined into one text to be scanned as one segment:
    a sentence, and an advert, continues over the join (网课代 | 刷), and so does the
    context that raises or lowers a match.  ``offsets[k]`` is where piece ``k`` (the
    segment ``members[k]``) starts in ``segment.text``; a space is put between two
    Latin letters or digits so English words stay apart."""

    __slots__ = ("members", "offsets", "segment")

    def __init__(self, members: list[Segment]):
        self.members = members
        self.offsets: list[int] = []
        parts: list[str] = []
        pos = 0
        for seg in members:
            if parts and _latin_join(parts[-1], seg.text):
                parts.append(" ")
                pos += 1
            self.offsets.append(pos)
            parts.append(seg.text)
            pos += len(seg.text)
        text = "".join(parts)
        first = members[0]
        # ``norm`` is not read by the lexicon engine (it folds the text itself): skip it.
        self.segment = Segment(file=first.file, ordinal=first.ordinal, locator=first.locator,
                               text=text, norm=text or " ")

    def pieces(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """``(member index, start, end)`` of each member that ``[start, end)`` touches."""
        k = bisect.bisect_right(self.offsets, start) - 1
        out = []
        while k < len(self.members) and self.offsets[k] < end:
            at = self.offsets[k]
            lo, hi = max(start, at), min(end, at + len(self.members[k].text))
            if hi > lo:
                out.append((k, lo - at, hi - at))
            k += 1
        return out


def _latin_join(left: str, right: str) -> bool:
    a, b = left[-1:], right[:1]
    return a.isascii() and a.isalnum() and b.isascii() and b.isalnum()


def run_on(a: Segment, b: Segment) -> bool:
    """Does ``b`` continue ``a``: the next cue (at most :data:`RUN_ON_MAX_GAP_MS` later)
    or the next line of the same file?"""
    if b.ordinal != a.ordinal + 1 or a.file != b.file:
        return False
    la, lb = a.locator, b.locator
    if la.cue is not None and lb.cue is not None:
        if la.end_ms is not None and lb.start_ms is not None \
                and lb.start_ms - la.end_ms > RUN_ON_MAX_GAP_MS:
            return False
    elif la.line is None or lb.line is None or la.kind != "line" or lb.kind != "line":
        return False
    return bool(a.text.strip() and b.text.strip())


def scan_units(segments: Sequence[Segment]) -> list[Segment | _Stream]:
    """``segments`` grouped for scanning: each run of cues or lines that run on becomes
    one :class:`_Stream`; every other segment stands alone."""
    units: list[Segment | _Stream] = []
    run: list[Segment] = []
    for seg in segments:
        if run and run_on(run[-1], seg):
            run.append(seg)
            continue
        if run:
            units.append(_Stream(run) if len(run) > 1 else run[0])
        run = [seg]
    if run:
        units.append(_Stream(run) if len(run) > 1 else run[0])
    return units


def _stream_findings(lexicon: Lexicon, hits: list[Hit], streams: dict[int, _Stream]
                     ) -> list[Finding]:
    """Findings for ``hits`` of a scan over :func:`scan_units`, located in the real segments.

    A match inside one cue is that cue's finding, exactly as if the cue had been scanned
    alone (same id).  A match cut over a join is located at the cue where it starts
    (``start``/``end``: its part there) and names the cues it runs on into under
    ``continues``; its ``match`` and context are the text as read across the join.
    """
    plain: list[Hit] = []
    across: list[tuple[Hit, _Stream, list[tuple[int, int, int]]]] = []
    for hit in hits:
        stream = streams.get(id(hit.segment))
        if stream is None:
            plain.append(hit)
            continue
        parts = stream.pieces(hit.start, hit.end)
        if len(parts) == 1:
            k, a, b = parts[0]
            plain.append(Hit(stream.members[k], a, b, hit.severity, hit.category, hit.term,
                             hit.entry))
        else:
            across.append((hit, stream, parts))
    out = hits_to_findings(lexicon, plain)
    seen: dict[tuple[int, str], int] = defaultdict(int)
    for hit, stream, parts in across:
        k, a, b = parts[0]
        first = stream.members[k]
        key = (id(first), hit.text)
        occurrence = seen[key]
        seen[key] += 1
        finding = hits_to_findings(lexicon, [hit])[0]
        ctx, off = snippet(hit.segment.text, hit.start, hit.end)
        extra = dict(finding.extra, start=a, end=b, continues=[
            {"location": stream.members[j].locator.to_dict(), "start": x, "end": y}
            for j, x, y in parts[1:]])
        out.append(replace(
            finding, id=finding_id(lexicon.check, lexicon.id, first.file, first.locator,
                                   hit.text, occurrence),
            file=first.file, locator=first.locator, context=ctx, context_start=off,
            extra=extra))
    return out


def find_in_segments(lexicons: Iterable[Any], segments: Sequence[Segment]) -> list[Finding]:
    """Run every rule set over ``segments`` (normalising the text once per option set).

    Cues and lines that run on are scanned as one text (:func:`scan_units`), so a match
    or its context may continue over the join; findings are located in the real cues.
    """
    lexicons = [lex for lex in (getattr(item, "rules", item) for item in lexicons)
                if isinstance(lex, Lexicon)]
    findings: list[Finding] = []
    for units in _chunks(scan_units(segments), BATCH_CHARS):
        streams = {id(u.segment): u for u in units if isinstance(u, _Stream)}
        batch = TextBatch([u.segment if isinstance(u, _Stream) else u for u in units])
        for lexicon in lexicons:
            findings.extend(_stream_findings(lexicon, lexicon.find(batch), streams))
    return findings


#: Text scanned in one batch at most (characters).  Every match and its context lie
#: inside one scan unit (a segment, or a stream of cues that run on), so cutting
#: between units changes no finding; it bounds the memory the normalised views and
#: offset maps take (a 22 MB course held them all at once: ~300 MB more at peak).
BATCH_CHARS = 2_000_000


def _chunks(units: list[Segment | _Stream], limit: int) -> Iterator[list[Segment | _Stream]]:
    """``units`` in order, cut between units into runs of about ``limit`` characters."""
    run: list[Segment | _Stream] = []
    size = 0
    for unit in units:
        text = unit.segment.text if isinstance(unit, _Stream) else unit.text
        if run and size + len(text) > limit:
            yield run
            run, size = [], 0
        run.append(unit)
        size += len(text) + 1
    if run:
        yield run


@register("lexicon")
def check_lexicon(ctx: CheckContext) -> CheckResult:
    """Every ``terms`` rule file over every segment of the package."""
    lexicons = ctx.rules.get("terms", [])
    segments = list(ctx.package.segments())
    if not lexicons or not segments:
        return CheckResult()
    return CheckResult(findings=find_in_segments(lexicons, segments))
