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

:func:`check_lexicon` (here) is the registered check: it runs every compiled rule
set in ``ctx.rules["terms"]`` and emits findings with the check name of each
file (``lexicon`` or ``outdated``).

The package, one stage a module: :mod:`.model` (compiled entries, hits, the text
batch), :mod:`.segmenter` (Chinese word boundaries), :mod:`.engine` (:class:`Lexicon`
and one scan), :mod:`.rules` (parsing a ``terms`` file, its embedded tests),
:mod:`.findings` (hits to findings) and :mod:`.streams` (cues that run on, runs of
text); this module registers the check and names what other rooms use.
"""

from __future__ import annotations

from reviewer.checks.lexicon.engine import Lexicon
from reviewer.checks.lexicon.findings import hit_message, hits_to_findings
from reviewer.checks.lexicon.model import STRADDLE_MIN_FREQ, Hit, TermEntry, TextBatch
from reviewer.checks.lexicon.rules import example_segment, parse_terms, run_embedded_tests
from reviewer.checks.lexicon.segmenter import _Segmenter
from reviewer.checks.lexicon.streams import find_in_segments, run_on, scan_units
from reviewer.checks.model import CheckContext, CheckResult
from reviewer.checks.registry import register

__all__ = [
    "STRADDLE_MIN_FREQ", "Hit", "Lexicon", "TermEntry", "TextBatch", "_Segmenter", "check_lexicon",
    "example_segment", "find_in_segments", "hit_message", "hits_to_findings", "parse_terms",
    "run_embedded_tests", "run_on", "scan_units",
]


@register("lexicon")
def check_lexicon(ctx: CheckContext) -> CheckResult:
    """Every ``terms`` rule file over every segment of the package."""
    lexicons = ctx.rules.get("terms", [])
    segments = list(ctx.package.segments())
    if not lexicons or not segments:
        return CheckResult()
    return CheckResult(findings=find_in_segments(lexicons, segments))
