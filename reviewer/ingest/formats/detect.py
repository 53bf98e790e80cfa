"""Which format a file is, and which role it plays (room: ingest).

Formats come from the name (``.md.txt`` is Markdown, ``.tex`` is text),
with a look at the first bytes for files without a known extension (a text
file called ``LICENSE`` is text).  Roles come from the manifest when it lists
the file, otherwise from the path: see :func:`infer_role`.
"""

from __future__ import annotations

import re

from reviewer.ingest.formats.table import BY_EXTENSION, BY_NAME, IMAGE_EXTENSIONS, MEDIA_EXTENSIONS, TABLE

#: Every format name, in the order of :data:`reviewer.ingest.formats.table.TABLE`.
FORMATS = tuple(spec.name for spec in TABLE)

#: Pictures read by OCR (see reviewer.ingest.ocr.IMAGE_EXT); other media are listed, not read.
IMAGE_EXT = frozenset(IMAGE_EXTENSIONS)
MEDIA_EXT = frozenset(MEDIA_EXTENSIONS)
#: Legacy Office documents and decks, read through LibreOffice (reviewer.ingest.formats.legacy).
LEGACY_READ = {ext: name for ext, name in BY_EXTENSION.items() if BY_NAME[name].legacy}

#: Formats the tool cannot read, with the reason shown for them.
LEGACY_EXT = frozenset(".pages .key .numbers".split())
BUNDLE_EXT = (".pages", ".key", ".numbers")


def extension(path: str) -> str:
    """The lower-case extension, ``.md.txt`` counted as one."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.endswith(".md.txt"):
        return ".md.txt"
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def bundle_of(path: str) -> str | None:
    """The ``x.pages``/``x.key`` folder that ``path`` lies in, if any."""
    parts = path.split("/")[:-1]
    for i, part in enumerate(parts):
        if part.lower().endswith(BUNDLE_EXT):
            return "/".join(parts[: i + 1])
    return None


def detect_format(path: str, head: bytes = b"") -> str:
    """Format name for ``path``; ``head`` (first bytes) helps files without a known extension."""
    ext = extension(path)
    if bundle_of(path):
        return "unknown"  # the inside of a .pages/.key/.numbers bundle
    if ext in BY_EXTENSION:
        return BY_EXTENSION[ext]
    if ext in LEGACY_EXT:
        return "unknown"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not ext and head and _looks_text(head):
        return "txt"
    return "unknown"


def _looks_text(head: bytes) -> bool:
    if b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        head[:8192].decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start > len(head[:8192]) - 4  # cut inside a multi-byte character


_LICENCE = re.compile(r"^(licen[cs]e|copying|notice|authors)(\.(md|txt))?$")
_SYLLABUS = re.compile(r"syllabus|大纲|教学计划|课程标准")
_TRANSCRIPT = re.compile(r"transcript|subtitle|caption|字幕|讲稿|文字稿|逐字稿")
_EXAM = re.compile(r"(?<![a-z])(exams?|quiz(zes)?|midterms?)(?![a-z])|考试|试卷|试题|测验|期中|期末")
_SLIDES = re.compile(r"slides?|(?<![a-z])ppt|lecture|课件|幻灯|讲义")


def infer_role(path: str, fmt: str) -> str:
    """Role guessed from the path and format (used when the manifest does not say).

    syllabus|大纲 → syllabus; .srt/.vtt or transcript/字幕 in the path →
    transcript; exam/quiz/考试 → exam; LICENSE/COPYING files → other; .pptx, or a PDF under slides/lecture/课件
    → slides; other documents → notes; images, media and unknown files → other.
    """
    p = path.lower()
    name = p.rsplit("/", 1)[-1]
    if fmt in ("image", "media", "unknown") or _LICENCE.match(name):
        return "other"
    if _SYLLABUS.search(p):
        return "syllabus"
    if fmt in ("srt", "vtt") or _TRANSCRIPT.search(p):
        return "transcript"
    if _EXAM.search(p):
        return "exam"
    if fmt in ("pptx", "ppt") or (fmt == "pdf" and _SLIDES.search(p)):
        return "slides"
    if fmt in ("pdf", "docx", "doc", "xlsx", "xls", "md", "txt", "yaml"):
        return "notes"
    return "other"
