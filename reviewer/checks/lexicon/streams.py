"""Scanning a package's segments with every lexicon (room: checks): cues and lines that run
on are joined into streams so an advert cut over two cues is found at both, and a large
course is scanned in runs of text cut between scan units (bounded memory).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any


from reviewer.checks.model import Finding, finding_id, snippet
from reviewer.ingest.model import Segment
from reviewer.checks.lexicon.model import Hit, RUN_ON_MAX_GAP_MS, TextBatch
from reviewer.checks.lexicon.engine import Lexicon, SharedTerms
from reviewer.checks.lexicon.findings import hits_to_findings


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
    shared = SharedTerms(lexicons)
    for units in _chunks(scan_units(segments), BATCH_CHARS):
        streams = {id(u.segment): u for u in units if isinstance(u, _Stream)}
        batch = TextBatch([u.segment if isinstance(u, _Stream) else u for u in units])
        shared.scan(batch)
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
