"""The lexicon check's compiled data (room: checks): term, pattern and context entries,
a candidate hit, and the batch of segments one scan reads (joined, normalised once per
set of normalisation switches).  Constants that tune the engine live here too.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reviewer.checks.literals import LiteralGate
from reviewer.checks.normalize import SEPARATOR, Normalized, NormalizeOptions, normalizer
from reviewer.checks.rulefields import LazyPattern
from reviewer.ingest.model import Msg, Segment


#: Bumped when the compiled form changes (part of the on-disk cache key); 5: the
#: classes moved into the package ``reviewer.checks.lexicon``; 6: regular expressions
#: are kept as their source and compiled on first use (``LazyPattern``).
COMPILED_FORMAT = 6


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
    regex: LazyPattern  # compiled on first use; pickled as its source
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
    near_patterns: tuple[LazyPattern, ...] = ()
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
        self._gates: dict[NormalizeOptions, LiteralGate] = {}
        #: id(lexicon) → its automaton's matches in this batch, where they were found by
        #: one automaton shared by several lexicons (:class:`~.engine.SharedTerms`)
        self.term_matches: dict[int, list[tuple[int, int, int]]] = {}

    def normalized(self, options: NormalizeOptions) -> Normalized:
        if options not in self._norm:
            self._norm[options] = normalizer(options).normalize(self.text)
        return self._norm[options]

    def folded(self, options: NormalizeOptions) -> str:
        if options not in self._fold:
            self._fold[options] = normalizer(options).fold_long(self.text)
        return self._fold[options]

    def gate(self, options: NormalizeOptions) -> LiteralGate:
        """Which patterns can match the text folded for ``options`` at all."""
        if options not in self._gates:
            self._gates[options] = LiteralGate(self.folded(options))
        return self._gates[options]

    def locate(self, pos: int) -> int:
        """Index of the segment holding batch offset ``pos``."""
        return bisect.bisect_right(self.starts, pos) - 1

    def locate_many(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self._starts_np, positions, side="right") - 1
