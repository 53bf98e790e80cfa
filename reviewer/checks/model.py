"""Findings and the context checks run in.

A check is a pure function ``(CheckContext) -> CheckResult``: it reads the
package's segments and the parsed rule data and returns findings.  No I/O, no
SQL, no UI.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reviewer.ingest.model import Locator, Msg, Package, Segment

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

#: How many characters of text to show on each side of a match.
CONTEXT_CHARS = 40
#: Text read by OCR with a confidence below this is uncertain: its findings are one
#: severity lower (option ``ocr_min_confidence``).
OCR_MIN_CONFIDENCE = 0.8
_ONE_LOWER = {"error": "warning", "warning": "info", "info": "info"}


def finding_id(check: str, rule: str, file: str | None, locator: Locator | None,
               match: str, occurrence: int = 0) -> str:
    """Stable id: the same problem at the same place keeps its id across re-scans.

    Built from the check, rule, file, locator key, the matched text and the
    occurrence number of that text within the segment (0 for the first).
    """
    key = "\x1f".join([
        check, rule, file or "", locator.key() if locator else "file", match, str(occurrence),
    ])
    # surrogatepass: a lone surrogate from a broken file must not crash the scan
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check flagged, with where it is and the text around it."""

    id: str
    check: str  # ingest | lexicon | pii | outdated | coverage | completeness | platform
    rule: str
    category: str
    severity: str  # error | warning | info
    file: str | None
    locator: Locator | None
    match: str  # the original text matched (never the normalised copy)
    message: Msg  # {"zh": ..., "en": ...}
    context: str = ""  # original text around the match
    context_start: int = 0  # offset of ``match`` inside ``context`` (for highlighting)
    extra: dict[str, Any] = field(default_factory=dict)

    def msg(self, lang: str = "zh") -> str:
        from reviewer.i18n import in_lang

        return in_lang(self.message, lang)

    @property
    def location(self) -> dict[str, Any]:
        return self.locator.to_dict() if self.locator else {}

    def location_label(self, lang: str = "zh") -> str:
        """The locator's label; a match cut over cues names each of them
        (``00:00:02.000 → 00:00:04.000``)."""
        if self.locator is None:
            return ""
        labels = [self.locator.label(lang)]
        for loc in self.extra.get("continues") or ():
            try:
                labels.append(Locator.from_dict(loc["location"]).label(lang))
            except (TypeError, ValueError, KeyError, AttributeError):
                continue
        return " → ".join(labels)

    def sort_key(self) -> tuple:
        loc = self.locator
        return (
            SEVERITY_ORDER.get(self.severity, 9),
            self.check,
            self.file or "",
            loc.kind if loc else "",
            (loc.page or loc.slide or loc.cue or loc.paragraph or loc.line or 0) if loc else 0,
            1 if loc is not None and loc.notes else 0,
            # ties (two findings on one page) break by position, then text, then id,
            # so the order is the same however the findings were read back
            self.extra.get("start", -1) if isinstance(self.extra.get("start"), int) else -1,
            self.match,
            self.id,
        )


def lower_uncertain(findings: Iterable[Finding], options: dict[str, Any] | None = None) -> list[Finding]:
    """Findings on OCR text below the confidence threshold, one severity lower.

    The checks stay unaware of OCR: this runs once over their merged findings.
    A lowered finding keeps its id and records ``extra.ocr_confidence`` and
    ``extra.severity_before``.
    """
    try:
        threshold = float((options or {}).get("ocr_min_confidence", OCR_MIN_CONFIDENCE))
    except (TypeError, ValueError):
        threshold = OCR_MIN_CONFIDENCE
    out = []
    for f in findings:
        loc = f.locator
        if (loc is not None and loc.source == "ocr" and loc.confidence is not None
                and loc.confidence < threshold and "severity_before" not in f.extra):
            f = dataclasses.replace(f, severity=_ONE_LOWER.get(f.severity, f.severity),
                                    extra=dict(f.extra, ocr_confidence=loc.confidence,
                                               severity_before=f.severity))
        out.append(f)
    return out


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings counted by severity (error, warning and info always present)."""
    out = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def snippet(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, int]:
    """Context around ``text[start:end]``: ``(context, offset of the match in it)``.

    Line breaks are shown as spaces so a snippet is one line.
    """
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    ctx = text[lo:hi].replace("\r", " ").replace("\n", " ")
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    return prefix + ctx + suffix, start - lo + len(prefix)


def finding_at(segment: Segment, start: int, end: int, *, check: str, rule: str,
               category: str, severity: str, message: Msg, occurrence: int = 0,
               extra: dict[str, Any] | None = None) -> Finding:
    """A finding for ``segment.text[start:end]`` with its context and stable id."""
    match = segment.text[start:end]
    ctx, off = snippet(segment.text, start, end)
    return Finding(
        id=finding_id(check, rule, segment.file, segment.locator, match, occurrence),
        check=check, rule=rule, category=category, severity=severity,
        file=segment.file, locator=segment.locator, match=match, message=message,
        context=ctx, context_start=off, extra=dict(extra or {}, start=start, end=end),
    )


def file_finding(file: str | None, *, check: str, rule: str, category: str, severity: str,
                 message: Msg, match: str = "", locator: Locator | None = None,
                 occurrence: int = 0, extra: dict[str, Any] | None = None) -> Finding:
    """A finding about a whole file (or, with ``file=None``, the whole package)."""
    return Finding(
        id=finding_id(check, rule, file, locator, match, occurrence),
        check=check, rule=rule, category=category, severity=severity, file=file,
        locator=locator, match=match, message=message, context="", context_start=0,
        extra=dict(extra or {}),
    )


@dataclass(slots=True)
class TopicCoverage:
    title: str
    covered: bool
    score: float
    evidence: list[dict[str, Any]] = field(default_factory=list)  # {"file", "location", "text"}
    source: dict[str, Any] = field(default_factory=dict)  # where the topic came from


@dataclass(slots=True)
class CoverageReport:
    topics: list[TopicCoverage] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        if not self.topics:
            return 0.0
        return sum(1 for t in self.topics if t.covered) / len(self.topics)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CoverageReport":
        """The inverse of :meth:`to_dict` (reading a stored scan back)."""
        return cls([TopicCoverage(t["title"], bool(t["covered"]), float(t["score"]),
                                  list(t.get("evidence", [])), dict(t.get("source", {})))
                    for t in data.get("topics", [])])

    def to_dict(self) -> dict[str, Any]:
        return {
            "ratio": round(self.ratio, 4),
            "topics": [
                {"title": t.title, "covered": t.covered, "score": round(t.score, 4),
                 "evidence": t.evidence}
                for t in self.topics
            ],
        }


@dataclass(slots=True)
class CheckContext:
    """Everything a check may read. Built by the service layer, which does the I/O."""

    package: Package
    rules: dict[str, list[Any]] = field(default_factory=dict)  # rule-file kind → parsed rule sets
    term_date: date | None = None  # the version's date (manifest), for outdated checks
    today: date | None = None
    options: dict[str, Any] = field(default_factory=dict)
    lang: str = "zh"


@dataclass(slots=True)
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    coverage: CoverageReport | None = None
    #: What a check established besides findings, by name, JSON-ready: evidence a
    #: checklist item shows with ``{fact: NAME}`` (the ``platform`` check's whitelist
    #: match, whether or not it is a problem).  Each value carries ``met`` (bool or
    #: None) and a bilingual ``message``.
    facts: dict[str, Any] = field(default_factory=dict)
