"""SRT and WebVTT subtitles, read tolerantly (room: ingest).

Each cue becomes one segment located by ``Locator(cue=n, start_ms, end_ms)``
where ``n`` is the cue's 1-based position in the file as parsed (not the
index written in the file, which real files skip, repeat and mistype).
Multi-line cues (a Chinese and an English line) keep their lines joined with
``"\\n"``; formatting tags (``<i>``, ``<c.x>``, ``<v Name>``, ``{\\an8}``) are
removed, and in VTT the HTML entities are unescaped.

Defects are tolerated and reported as warnings, one issue per kind per file
with a count and the first places: missing or mistyped index lines, skipped or
out-of-order indices, stray text blocks (attached to the cue before them),
an end time before its start, a start earlier than the cue before, cues with
no text, lines with ``-->`` that are not timings, a VTT file without its
``WEBVTT`` header.  Timestamps accept ``,`` or ``.`` before the fraction,
tenths or hundredths instead of milliseconds, missing hours, and a UTF-8 BOM
(removed by the decoder).  A file with no timing line at all is read as plain
text lines, with a warning.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from reviewer.ingest.formats.base import Extracted, issue
from reviewer.ingest.formats.text import decode_or_fail, lines_to_segments
from reviewer.ingest.model import Locator, Segment, format_ms

def _ts(p: str) -> str:
    return (rf"(?:(?P<{p}h>\d{{1,3}})\s*:\s*)?(?P<{p}m>\d{{1,2}})\s*:\s*(?P<{p}s>\d{{1,2}})"
            rf"(?:\s*[,.]\s*(?P<{p}f>\d{{1,9}}))?")


TIMING = re.compile(rf"^\s*(?P<start>{_ts('a')})\s*-{{1,2}}>\s*(?P<end>{_ts('b')})(?P<settings>(?:\s.*)?)$")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>|<\d{1,2}:\d{2}[^<>]{0,20}>|\{\\[^{}]{0,100}\}")
_STAMP = re.compile(rf"^\s*{_ts('a')}\s*$")
_INDEX = re.compile(r"^\s*\d{1,9}\s*$")
_VTT_BLOCKS = ("NOTE", "STYLE", "REGION")

#: How many first places an aggregated defect message lists.
FIRST_PLACES = 3

_DEFECTS = {
    # kind: (zh template, en template) — {n} count, {first} first cue numbers
    "missing-index": ("{n} 条字幕缺少序号行", "{n} cue(s) without an index line"),
    "mistyped-index": ("{n} 条字幕序号有误", "{n} cue(s) with a mistyped index"),
    "skipped-index": ("{n} 处字幕序号跳号", "{n} place(s) where cue indices skip numbers"),
    "index-out-of-order": ("{n} 条字幕序号倒退或重复", "{n} cue(s) whose index goes back or repeats"),
    "stray-text": ("{n} 段无时间轴的游离文字（已并入前一条字幕）",
                   "{n} stray text block(s) without a timing line (attached to the cue before)"),
    "end-before-start": ("{n} 条字幕结束时间早于开始时间", "{n} cue(s) ending before they start"),
    "time-goes-back": ("{n} 条字幕开始时间早于前一条", "{n} cue(s) starting before the previous cue"),
    "empty-cue": ("{n} 条字幕没有文字", "{n} cue(s) without text"),
    "bad-timing": ("{n} 行含 “-->” 但无法解析为时间轴", "{n} line(s) with '-->' that are not a valid timing"),
}


def parse_timestamp(stamp: str) -> int:
    """Tolerant timestamp → milliseconds: ``01:02:03,5`` is 3723500, ``02:03.25`` is 123250.

    The grammar and arithmetic are those of the timing lines (:data:`TIMING`, :func:`_ms`).
    """
    m = _STAMP.match(stamp)
    if m is None:
        raise ValueError(f"not a subtitle timestamp: {stamp!r}")
    return _ms(m, "a")


def _ms(m: re.Match, p: str) -> int:
    return _to_ms(m[p + "h"], m[p + "m"], m[p + "s"], m[p + "f"])


def _to_ms(hours: str | None, minutes: str, seconds: str, frac: str | None) -> int:
    millis = int((frac + "00")[:3]) if frac else 0
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis


def clean_cue_text(lines: list[str], vtt: bool) -> str:
    """Cue lines → text: tags removed, entities unescaped (VTT), lines joined with ``\\n``."""
    out = []
    for line in lines:
        if "<" in line or "{" in line:  # (a test ~5x cheaper than the substitution)
            line = _TAG.sub("", line)
        if vtt and "&" in line:
            line = html.unescape(line)
        line = line.strip()
        if line:
            out.append(line)
    return "\n".join(out)


@dataclass(slots=True)
class _Cue:
    ordinal: int  # 1-based position
    start: int
    end: int
    index_text: str | None
    lines: list[str] = field(default_factory=list)

    @property
    def locator(self) -> Locator:
        return Locator(cue=self.ordinal, start_ms=self.start, end_ms=self.end)


class _Defects:
    """Defects collected per kind, reported once per kind."""

    def __init__(self) -> None:
        self.places: dict[str, list[Locator | None]] = {}

    def add(self, kind: str, locator: Locator | None) -> None:
        self.places.setdefault(kind, []).append(locator)

    def issues(self, path: str) -> list:
        out = []
        for kind, places in self.places.items():
            zh_t, en_t = _DEFECTS[kind]
            n = len(places)
            shown = [p for p in places if p is not None][:FIRST_PLACES]
            first_zh = "、".join(f"第 {p.cue} 条（{format_ms(p.start_ms or 0)}）" for p in shown)
            first_en = ", ".join(f"cue {p.cue} ({format_ms(p.start_ms or 0)})" for p in shown)
            zh = zh_t.format(n=n) + (f"，首次出现：{first_zh}" if shown else "")
            en = en_t.format(n=n) + (f"; first at {first_en}" if shown else "")
            out.append(issue(f"subtitle-{kind}", "warning", zh, en, file=path,
                             locator=shown[0] if shown else None))
        return out


def _identifier_lines(lines: list[str], timings: list[int], vtt: bool) -> list[int | None]:
    """For each timing line, the line index of its cue identifier (or ``None``)."""
    ids: list[int | None] = []
    for j, t in enumerate(timings):
        lower = timings[j - 1] + 1 if j else 0
        k = t - 1
        ident = None
        if k >= lower and lines[k].strip():
            candidate = lines[k].strip()
            blank_before = k - 1 < lower or not lines[k - 1].strip()
            if _INDEX.match(candidate) or (vtt and blank_before and not candidate.startswith("WEBVTT")):
                ident = k
        ids.append(ident)
    return ids


def _split_blocks(lines: list[str], start: int, stop: int) -> list[list[str]]:
    """Non-blank runs of ``lines[start:stop]``."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines[start:stop]:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _line_pattern(pattern: str) -> str:
    """A one-line pattern made to stay on its line inside a text of ``\\n``-joined lines
    (``\\s`` would step over the line break; inside one line it is the same)."""
    return pattern.replace(r"\s", r"[^\S\n]")


_H = r"[^\S\n]"  # white space on one line
#: A well-formed SRT text (lines joined with ``\n``, one more at the end) read in one
#: pass: blank lines, then cues of an index line, a timing line (:data:`TIMING`'s
#: grammar), non-blank text lines and one or more blank lines each (the last cue may
#: end the file instead).
_SRT_CUE = re.compile(
    rf"{_H}*(?P<index>\d{{1,9}}){_H}*\n"
    rf"{_line_pattern(TIMING.pattern[1:-1])}\n"
    rf"(?P<body>(?:[^\n]*\S[^\n]*\n)+)"
    rf"(?:(?:{_H}*\n)+|\Z)")
_LEADING_BLANK = re.compile(rf"(?:{_H}*\n)*")


def _parse_plain_srt(lines: list[str]) -> list[_Cue] | None:
    """The cues of an SRT file laid out as the format says, or None for any other
    layout (then :func:`parse_cues` reads it line by line and says what is amiss).

    Where this answers, its cues are those of the line-by-line reading: every
    ``->`` of the text is in a timing line that follows an index line, and every
    cue's text runs from its timing to a blank line, so there is no stray text,
    no bad timing and no missing index line (tests/ingest/test_subtitles.py)."""
    text = "\n".join(lines) + "\n"
    pos = _LEADING_BLANK.match(text).end()
    cues: list[_Cue] = []
    arrows = 0  # the "->" of the timing lines read
    match = _SRT_CUE.match
    while pos < len(text):
        m = match(text, pos)
        if m is None:
            return None
        index, _, ah, am, as_, af, _, bh, bm, bs, bf, settings, body = m.groups()
        # Timestamps hold no "-": a timing line's arrows are its own and its settings'.
        if settings:
            arrows += settings.count("->")
        cues.append(_Cue(len(cues) + 1, _to_ms(ah, am, as_, af), _to_ms(bh, bm, bs, bf), index,
                         body.split("\n")[:-1]))
        pos = m.end()
    if not cues or arrows + len(cues) != text.count("->"):
        return None
    return cues


def parse_cues(text: str, vtt: bool = False) -> tuple[list[_Cue], _Defects, bool]:
    """Parse subtitle text: ``(cues, defects, has_header)``."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    defects = _Defects()
    plain = None if vtt else _parse_plain_srt(lines)
    if plain is not None:
        _check_indices(plain, defects, vtt)
        _check_times(plain, defects)
        return plain, defects, bool(lines) and lines[0].lstrip("\ufeff").startswith("WEBVTT")
    timings: list[int] = []
    matches: list[re.Match] = []
    for k, line in enumerate(lines):
        if "->" in line:
            m = TIMING.match(line)
            if m:
                timings.append(k)
                matches.append(m)
            elif "-->" in line:
                defects.add("bad-timing", None)
    has_header = bool(lines) and lines[0].lstrip("\ufeff").startswith("WEBVTT")
    ids = _identifier_lines(lines, timings, vtt)
    cues: list[_Cue] = []
    orphan: list[str] = []  # stray text before the first cue
    for j, t in enumerate(timings):
        m = matches[j]
        ident = ids[j]
        cue = _Cue(j + 1, _ms(m, "a"), _ms(m, "b"),
                   lines[ident].strip() if ident is not None else None)
        if j == 0:
            head_stop = ident if ident is not None else t
            blocks = _split_blocks(lines, 0, head_stop)
            if vtt and blocks and blocks[0][0].lstrip("\ufeff").startswith("WEBVTT"):
                blocks = blocks[1:]
            blocks = [b for b in blocks if not (vtt and b[0].strip().split(" ")[0] in _VTT_BLOCKS)]
            for block in blocks:
                orphan.extend(block)
                defects.add("stray-text", cue.locator)
        stop = len(lines)
        if j + 1 < len(timings):
            stop = ids[j + 1] if ids[j + 1] is not None else timings[j + 1]
        body = lines[t + 1:stop]
        # the cue text runs to the first blank line; later blocks are stray
        first_blank = next((i for i, line in enumerate(body) if not line.strip()), len(body))
        cue.lines = orphan + body[:first_blank]
        orphan = []
        for block in _split_blocks(body, first_blank, len(body)):
            if vtt and block[0].strip().split(" ")[0] in _VTT_BLOCKS:
                continue
            cue.lines.extend(block)
            defects.add("stray-text", cue.locator)
        cues.append(cue)
    _check_indices(cues, defects, vtt)
    _check_times(cues, defects)
    return cues, defects, has_header


def _check_indices(cues: list[_Cue], defects: _Defects, vtt: bool) -> None:
    last = 0
    for pos, cue in enumerate(cues):
        expected = last + 1
        if cue.index_text is None:
            if not vtt:
                defects.add("missing-index", cue.locator)
            last = expected
            continue
        text = cue.index_text
        if not (text.isascii() and text.isdigit()) and not _INDEX.match(text):
            last = expected  # a VTT identifier that is not a number
            continue
        number = int(text)
        if number == expected:
            last = number
            continue
        nxt = cues[pos + 1].index_text if pos + 1 < len(cues) else None
        if nxt is not None and _INDEX.match(nxt) and int(nxt) == expected + 1:
            defects.add("mistyped-index", cue.locator)
            last = expected
        elif number > expected:
            defects.add("skipped-index", cue.locator)
            last = number
        else:
            defects.add("index-out-of-order", cue.locator)
            last = number


def _check_times(cues: list[_Cue], defects: _Defects) -> None:
    prev_start = -1
    for cue in cues:
        if cue.end < cue.start:
            defects.add("end-before-start", cue.locator)
        if cue.start < prev_start:
            defects.add("time-goes-back", cue.locator)
        prev_start = max(prev_start, cue.start)


def read_subtitles(data: bytes, path: str, *, vtt: bool = False) -> Extracted:
    """Read an SRT (``vtt=False``) or WebVTT file into cue segments."""
    text, encoding = decode_or_fail(data)
    cues, defects, has_header = parse_cues(text, vtt=vtt)
    if not cues:
        out = lines_to_segments(text, path)
        out.meta["encoding"] = encoding
        if out.segments:
            out.issues.append(issue(
                "subtitle-no-cues", "warning",
                "字幕文件中没有任何时间轴，已按纯文本逐行读取",
                "no cue timings found in the subtitle file; read as plain text lines", file=path))
        return out
    out = Extracted(units=len(cues), meta={"encoding": encoding})
    ordinal = 0
    for cue in cues:
        body = clean_cue_text(cue.lines, vtt)
        if not body:
            defects.add("empty-cue", cue.locator)
            continue
        out.segments.append(Segment(path, ordinal, cue.locator, body))
        ordinal += 1
    if vtt and not has_header:
        out.issues.append(issue("subtitle-vtt-header", "warning",
                                "WebVTT 文件缺少首行 “WEBVTT”",
                                "WebVTT file does not start with the 'WEBVTT' header", file=path))
    out.issues.extend(defects.issues(path))
    out.meta["duration_ms"] = max((c.end for c in cues), default=0)
    return out


def read_srt(data: bytes, path: str) -> Extracted:
    """Read a ``.srt`` file."""
    return read_subtitles(data, path, vtt=False)


def read_vtt(data: bytes, path: str) -> Extracted:
    """Read a ``.vtt`` file."""
    return read_subtitles(data, path, vtt=True)
