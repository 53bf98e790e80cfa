"""The data that ingestion produces: located text.

A :class:`Package` holds :class:`FileRecord` objects; each file holds
:class:`Segment` objects, each with a :class:`Locator` that a reviewer can
follow back to the original (PDF page, slide, subtitle cue, docx paragraph,
text line).  These are plain dataclasses: no I/O, no SQL, no UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer.ingest.textnorm import fold_compat

#: A bilingual message: ``{"zh": "...", "en": "..."}``.
Msg = dict[str, str]

ROLES = ("syllabus", "transcript", "slides", "notes", "exam", "manifest", "other")
SEVERITIES = ("error", "warning", "info")


def format_ms(ms: int) -> str:
    """``62500`` → ``"00:01:02.500"`` (the timestamp form used in reports)."""
    ms = max(0, int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def parse_ms(stamp: str) -> int:
    """``"00:01:02.500"`` (or ``,500``) → ``62500``."""
    stamp = stamp.strip().replace(",", ".")
    main, _, frac = stamp.partition(".")
    parts = [int(p) for p in main.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    millis = int((frac + "000")[:3]) if frac else 0
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


@dataclass(frozen=True, slots=True)
class Locator:
    """Where a piece of text is inside its file.

    Exactly one kind is set: ``page`` (PDF, 1-based), ``slide`` (PPTX, 1-based;
    ``notes`` marks the speaker notes), ``cue`` (subtitle, 1-based ordinal in the
    file as parsed, with ``start_ms``/``end_ms``), ``paragraph`` (DOCX, 1-based,
    with the ``heading`` path above it) or ``line`` (text and Markdown, 1-based).

    Text read from a picture rather than the file's text layer has a
    ``source``: ``"ocr"`` (one recognised line; ``line`` is its number in the
    picture, ``confidence`` the recogniser's score 0–1) or ``"qr"`` (a decoded
    QR code; ``line`` numbers the codes).  ``image`` names the picture inside
    the file (``image3.png``; ``None`` for a rendered PDF page or an image file
    itself) and ``box`` is ``(x0, y0, x1, y1)`` in the picture's pixels (PDF
    points for a rendered page).
    """

    page: int | None = None
    slide: int | None = None
    notes: bool = False
    cue: int | None = None
    start_ms: int | None = None
    end_ms: int | None = None
    paragraph: int | None = None
    heading: str | None = None
    line: int | None = None
    source: str | None = None  # None: the file's own text; "ocr" | "qr": read from a picture
    image: str | None = None
    box: tuple[int, int, int, int] | None = None
    confidence: float | None = None

    @property
    def kind(self) -> str:
        # The first of page, slide, cue, paragraph, line that is set (asked per segment
        # by the store and the checks: plain tests, not a loop of getattr).
        if self.page is not None:
            return "page"
        if self.slide is not None:
            return "slide"
        if self.cue is not None:
            return "cue"
        if self.paragraph is not None:
            return "paragraph"
        if self.line is not None:
            return "line"
        return "file"

    def to_dict(self) -> dict[str, Any]:
        """The report form: ``{"page": 3}``, ``{"cue": 17, "start": …, "end": …}`` …

        Text read from a picture adds ``source`` and, when known, ``line``,
        ``image``, ``box`` and ``confidence``:
        ``{"page": 3, "line": 2, "source": "ocr", "box": [40, 80, 610, 112], "confidence": 0.97}``.
        """
        kind = self.kind
        out: dict[str, Any]
        if kind == "page":
            out = {"page": self.page}
        elif kind == "slide":
            out = {"slide": self.slide}
            if self.notes:
                out["notes"] = True
        elif kind == "cue":
            return {
                "cue": self.cue,
                "start": format_ms(self.start_ms or 0),
                "end": format_ms(self.end_ms or 0),
            }
        elif kind == "paragraph":
            out = {"paragraph": self.paragraph, "heading": self.heading or ""}
        elif kind == "line":
            out = {"line": self.line}
            if self.heading and not self.source:  # a spreadsheet row: its sheet
                out["sheet"] = self.heading
        else:
            out = {}
        if self.source:
            if self.line is not None:
                out["line"] = self.line
            out["source"] = self.source
            if self.image:
                out["image"] = self.image
            if self.box is not None:
                out["box"] = list(self.box)
            if self.confidence is not None:
                out["confidence"] = self.confidence
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Locator":
        if not data:
            return cls()
        if "cue" in data:
            return cls(
                cue=int(data["cue"]),
                start_ms=parse_ms(data.get("start", "0")),
                end_ms=parse_ms(data.get("end", "0")),
            )
        box = data.get("box")
        confidence = data.get("confidence")
        return cls(
            page=data.get("page"),
            slide=data.get("slide"),
            notes=bool(data.get("notes", False)),
            paragraph=data.get("paragraph"),
            heading=data.get("heading") if "paragraph" in data else data.get("sheet") if "line" in data else None,
            line=data.get("line"),
            source=data.get("source") or None,
            image=data.get("image") or None,
            box=tuple(int(v) for v in box) if isinstance(box, (list, tuple)) and len(box) == 4 else None,
            confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
        )

    def origin(self) -> dict[str, Any] | None:
        """Where picture text came from (``source``, ``image``, ``box``, ``confidence``); ``None``
        for the file's own text.  The store keeps this beside the locator's columns."""
        if not self.source:
            return None
        return {"source": self.source, "image": self.image,
                "box": list(self.box) if self.box is not None else None,
                "confidence": self.confidence}

    def key(self) -> str:
        """A stable, compact string for ids and sorting (``page=3``, ``slide=4n``).

        Picture text adds its source, picture and line (``slide=2/ocr:image3.png:4``),
        so two recognised lines on one slide never share a key."""
        kind = self.kind
        if kind == "slide":
            base = f"slide={self.slide}{'n' if self.notes else ''}"
        elif kind == "file":
            base = "file"
        else:
            base = f"{kind}={getattr(self, kind)}"
            if kind == "line" and self.heading and not self.source:
                base += f"@{self.heading}"  # rows of two sheets never share a key
        if self.source:
            base += f"/{self.source}:{self.image or ''}:{self.line or 0}"
        return base

    def label(self, lang: str = "zh") -> str:
        """Human label: ``第 3 页`` / ``p. 3``, ``00:01:02.500`` …; picture text says so:
        ``第 3 页 · image2.png · OCR 第 4 行`` / ``p. 3 · image2.png · OCR line 4``, ``… · 二维码`` / ``… · QR code``."""
        base = self._base_label(lang)
        if not self.source or self.kind == "line":
            return base
        return self._picture_label(base, lang == "zh")

    def _picture_label(self, base: str | None, zh: bool) -> str:
        parts = [base] if base else []
        if self.image:
            parts.append(self.image)
        if self.source == "qr":
            parts.append("二维码" if zh else "QR code")
        else:
            n = self.line or 0
            parts.append(f"OCR 第 {n} 行" if zh else f"OCR line {n}")
        return " · ".join(parts)

    def _base_label(self, lang: str) -> str:
        kind = self.kind
        zh = lang == "zh"
        if kind == "page":
            return f"第 {self.page} 页" if zh else f"p. {self.page}"
        if kind == "slide":
            base = f"第 {self.slide} 张幻灯片" if zh else f"slide {self.slide}"
            if self.notes:
                base += "（备注）" if zh else " (notes)"
            return base
        if kind == "cue":
            start = format_ms(self.start_ms or 0)
            end = format_ms(self.end_ms or 0)
            return (f"字幕 {self.cue} " if zh else f"cue {self.cue} ") + f"{start}–{end}"
        if kind == "paragraph":
            base = f"第 {self.paragraph} 段" if zh else f"¶ {self.paragraph}"
            return f"{base} · {self.heading}" if self.heading else base
        if kind == "line":
            if self.source:
                return self._picture_label(None, zh)
            if self.heading:  # a spreadsheet row
                return f"{self.heading} · 第 {self.line} 行" if zh else f"{self.heading} · row {self.line}"
            return f"第 {self.line} 行" if zh else f"line {self.line}"
        return "整个文件" if zh else "whole file"


@dataclass(slots=True)
class Segment:
    """One located piece of a file's text.

    ``text`` is exactly what the file says; ``norm`` is the same text with
    compatibility code points folded (Kangxi radicals → ideographs, full-width
    → ASCII …) and is **always the same length**, so an offset found in
    ``norm`` points at the same characters in ``text``.
    """

    file: str
    ordinal: int
    locator: Locator
    text: str
    norm: str = ""

    def __post_init__(self) -> None:
        if not self.norm:
            self.norm = fold_compat(self.text)


@dataclass(slots=True)
class IngestIssue:
    """A problem met while reading: becomes a finding of check ``ingest``."""

    rule: str
    severity: str
    message: Msg
    file: str | None = None
    locator: Locator | None = None


@dataclass(slots=True)
class FileRecord:
    """One file of the package, its digest and what could be read from it."""

    path: str
    size: int
    sha256: str
    role: str = "other"
    format: str = "unknown"
    status: str = "ok"  # "ok" | "error"
    error: str | None = None
    units: int = 0  # pages, slides, cues, paragraphs or lines
    segments: list[Segment] = field(default_factory=list)
    issues: list[IngestIssue] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # title, author, created, modified (ISO 8601)

    @property
    def duration_ms(self) -> int:
        """For subtitles: the end of the last cue (0 for other formats)."""
        ends = [s.locator.end_ms or 0 for s in self.segments if s.locator.cue is not None]
        return max(ends, default=0)


@dataclass(slots=True)
class Package:
    """A course package as read: manifest, files with their text, and its digest."""

    source: str  # the path as given
    kind: str  # "dir" | "zip"
    files: list[FileRecord]
    digest: str  # "sha256:<hex>" over the sorted (path, sha256) list, see digest.py
    manifest: dict[str, Any] | None = None
    issues: list[IngestIssue] = field(default_factory=list)

    @property
    def id(self) -> str:
        if self.manifest and self.manifest.get("id"):
            return str(self.manifest["id"])
        from pathlib import PurePath

        name = PurePath(self.source.rstrip("/\\")).name
        return name.removesuffix(".zip") or "package"

    @property
    def title(self) -> str:
        title = (self.manifest or {}).get("title")
        if isinstance(title, dict):
            return str(title.get("zh") or title.get("en") or self.id)
        return str(title or self.id)

    def file(self, path: str) -> FileRecord | None:
        for record in self.files:
            if record.path == path:
                return record
        return None

    def segments(self, *roles: str):
        """All segments, optionally only of files with one of ``roles``."""
        for record in self.files:
            if roles and record.role not in roles:
                continue
            yield from record.segments
